-- "analyse".benchmark: each pilot company's indicators beside the distribution of the
-- same indicator across the OTHER pilot companies on the same v3 occupation and period.
--
-- This is the one place where the statistical-secrecy rule of [sql.secret] is applied:
-- the peers' figures are published only when there are at least min_entreprises peers
-- with a value and none weighs more than part_max_dominante of their requisitions;
-- otherwise they are NULL, secret is true and motif_secret says why (in French).
-- Only the peers' mean and median are published, never a minimum, maximum or any value
-- that belongs to one company. Company reports read peers' figures from this table only.
create or replace table "analyse".benchmark as
with

valeurs as (
    unpivot (
        select
            entreprise,
            rome_code_parent,
            type_periode,
            periode,
            recrutements,
            cast(delai_pourvoi_median_jours as double) as delai_pourvoi_median_jours,
            cast(taux_abandon as double) as taux_abandon,
            cast(candidatures_par_recrutement as double) as candidatures_par_recrutement,
            cast(taux_preselection as double) as taux_preselection,
            cast(taux_entretien as double) as taux_entretien,
            cast(taux_proposition as double) as taux_proposition,
            cast(taux_acceptation as double) as taux_acceptation,
            cast(taux_desistement_apres_entretien as double) as taux_desistement_apres_entretien,
            cast(delai_reception_proposition_median_jours as double) as delai_reception_proposition_median_jours,
            cast(nb_canaux_moyen as double) as nb_canaux_moyen,
            cast(part_salaire_affiche as double) as part_salaire_affiche,
            cast(ecart_salaire_marche as double) as ecart_salaire_marche,
            cast(experience_requise_mediane_mois as double) as experience_requise_mediane_mois,
            cast(longueur_description_mediane as double) as longueur_description_mediane
        from "analyse".process_entreprise
    )
    on columns(* exclude (entreprise, rome_code_parent, type_periode, periode, recrutements))
    into name indicateur value valeur
),

pairs as (
    select
        soi.entreprise,
        soi.rome_code_parent,
        soi.type_periode,
        soi.periode,
        soi.indicateur,
        soi.valeur,
        count(pair.valeur) as nb_pairs,
        max(pair.recrutements) filter (where pair.valeur is not null)
        / nullif(sum(pair.recrutements) filter (where pair.valeur is not null), 0) as part_pair_dominant,
        -- summed in sorted order: the same last digit at every build (see analyse.tension_marche)
        list_avg(list_sort(list(pair.valeur) filter (where pair.valeur is not null))) as pairs_moyenne,
        median(pair.valeur) as pairs_mediane
    from valeurs as soi
    left join valeurs as pair
        on
            soi.rome_code_parent = pair.rome_code_parent
            and soi.type_periode = pair.type_periode
            and soi.periode = pair.periode
            and soi.indicateur = pair.indicateur
            and soi.entreprise <> pair.entreprise
    group by all
),

regle as (
    select
        *,
        case
            when nb_pairs < getvariable('secret_min_entreprises')
                then
                    'moins de ' || getvariable('secret_min_entreprises')
                    || ' autres entreprises pilotes sur ce métier (' || nb_pairs || ')'
            when part_pair_dominant > getvariable('secret_part_max_dominante') then
                'une entreprise représente plus de '
                || cast(round(100 * getvariable('secret_part_max_dominante')) as integer)
                || ' % des recrutements des autres entreprises pilotes'
        end as motif_secret
    from pairs
)

select
    entreprise,
    rome_code_parent,
    type_periode,
    periode,
    indicateur,
    valeur,
    motif_secret is not null as secret,
    motif_secret,
    case when motif_secret is null then nb_pairs end as nb_pairs,
    case when motif_secret is null then pairs_moyenne end as pairs_moyenne,
    case when motif_secret is null then pairs_mediane end as pairs_mediane
from regle
