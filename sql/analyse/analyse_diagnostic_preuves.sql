-- "analyse".diagnostic_preuves: every rule of the diagnosis evaluated for each pilot
-- company x v3 occupation x period, with the indicator, its value, the reference it is
-- compared with, the effective threshold and whether it fired. Thresholds come from
-- [sql.diagnostic] in config/parametres.toml (each with its source there).
--
-- famille is the cause or process sub-cause a rule argues for; decisive rules decide it,
-- the others are context. force measures how far past its threshold a fired rule is
-- (1 = just at the threshold), so that the strongest sub-cause can be named.
-- Peers are the other pilot companies on the same occupation and period.
create or replace table "analyse".diagnostic_preuves as
with

process as (
    select
        *,
        postes / nullif(recrutements, 0) as postes_par_recrutement
    from "analyse".process_entreprise
),

base as (
    select
        process.*,
        (
            select median(pairs.candidatures_par_recrutement)
            from process as pairs
            where
                pairs.rome_code_parent = process.rome_code_parent
                and pairs.type_periode = process.type_periode
                and pairs.periode = process.periode
                and pairs.entreprise <> process.entreprise
        ) as candidatures_pairs,
        (
            select median(pairs.delai_reception_proposition_median_jours)
            from process as pairs
            where
                pairs.rome_code_parent = process.rome_code_parent
                and pairs.type_periode = process.type_periode
                and pairs.periode = process.periode
                and pairs.entreprise <> process.entreprise
        ) as delai_pairs
    from process
),

regles as (
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'penurie' as famille,
        'penurie_marche' as regle,
        true as decisive,
        'entrees_a_par_offre_marche' as indicateur,
        entrees_a_par_offre_marche as valeur,
        null::double as reference,
        getvariable('diagnostic_penurie_entrees_par_offre') as seuil,
        '<' as sens
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'difficulte',
        'delai_pourvoi',
        true,
        'delai_pourvoi_median_jours',
        delai_pourvoi_median_jours,
        null,
        getvariable('diagnostic_difficulte_delai_jours'),
        '>'
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'difficulte',
        'abandons',
        true,
        'taux_abandon',
        taux_abandon,
        null,
        getvariable('diagnostic_difficulte_taux_abandon'),
        '>'
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'analyse_besoin',
        'experience_exigee',
        true,
        'experience_requise_mediane_mois',
        experience_requise_mediane_mois,
        experience_marche_mois,
        greatest(
            experience_marche_mois * getvariable('diagnostic_besoin_ratio_experience'),
            experience_marche_mois + getvariable('diagnostic_besoin_ecart_experience_mois')
        ),
        '>'
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'analyse_besoin',
        'diplome_exige',
        true,
        'diplome_requis_median',
        diplome_requis_median,
        diplome_marche,
        diplome_marche + getvariable('diagnostic_besoin_ecart_diplome'),
        '>='
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'qualification',
        'vivier_qualifie',
        vivier_papier / nullif(postes_par_recrutement, 0)
        >= getvariable('diagnostic_qualification_vivier_papier_par_poste'),
        'vivier_qualifie_par_poste',
        vivier_qualifie / nullif(postes_par_recrutement, 0),
        vivier_papier / nullif(postes_par_recrutement, 0),
        getvariable('diagnostic_qualification_vivier_qualifie_par_poste'),
        '<'
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'contenu_offre',
        'description_courte',
        true,
        'longueur_description_mediane',
        longueur_description_mediane,
        longueur_description_marche,
        longueur_description_marche * getvariable('diagnostic_contenu_ratio_description'),
        '<'
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'contenu_offre',
        'salaire_masque',
        true,
        'part_salaire_affiche',
        part_salaire_affiche,
        part_salaire_affiche_marche,
        getvariable('diagnostic_contenu_part_salaire_affiche'),
        '<'
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'contenu_offre',
        'salaire_sous_marche',
        true,
        'ecart_salaire_marche',
        ecart_salaire_marche,
        0,
        getvariable('diagnostic_contenu_ecart_salaire'),
        '<'
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'sourcing',
        'peu_de_canaux',
        false,
        'nb_canaux_moyen',
        nb_canaux_moyen,
        null,
        getvariable('diagnostic_sourcing_canaux_max'),
        '<='
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        -- few applications only count as a sourcing problem with few channels
        'sourcing',
        'peu_de_candidatures',
        nb_canaux_moyen <= getvariable('diagnostic_sourcing_canaux_max'),
        'candidatures_par_recrutement',
        candidatures_par_recrutement,
        candidatures_pairs,
        candidatures_pairs * getvariable('diagnostic_sourcing_ratio_candidatures'),
        '<'
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'procedure',
        'delais_longs',
        true,
        'delai_reception_proposition_median_jours',
        delai_reception_proposition_median_jours,
        delai_pairs,
        delai_pairs * getvariable('diagnostic_procedure_ratio_delai'),
        '>'
    from base
    union all
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        'procedure',
        'desistements',
        true,
        'taux_desistement_apres_entretien',
        taux_desistement_apres_entretien,
        null,
        getvariable('diagnostic_procedure_taux_desistement'),
        '>'
    from base
    union all
    -- passerelles (analyse_passerelles_entreprise.sql): with a thin qualified pool, large
    -- pools of neighbouring occupations not in tension are where to look
    select
        base.entreprise,
        base.rome_code_parent,
        base.type_periode,
        base.periode,
        'passerelles',
        'vivier_passerelles',
        base.vivier_qualifie / nullif(base.postes_par_recrutement, 0)
        < getvariable('diagnostic_qualification_vivier_qualifie_par_poste'),
        'vivier_passerelles_par_poste',
        passerelles.vivier_passerelles_par_poste,
        base.vivier_qualifie / nullif(base.postes_par_recrutement, 0),
        getvariable('passerelles_vivier_par_poste_min'),
        '>='
    from base
    inner join (
        select distinct
            entreprise,
            rome_code_parent,
            type_periode,
            periode,
            vivier_passerelles_par_poste
        from "analyse".passerelles_entreprise
    ) as passerelles
        on
            base.entreprise = passerelles.entreprise and base.rome_code_parent = passerelles.rome_code_parent
            and base.type_periode = passerelles.type_periode and base.periode = passerelles.periode
),

evaluees as (
    select
        *,
        coalesce(case sens
            when '<' then valeur < seuil
            when '<=' then valeur <= seuil
            when '>' then valeur > seuil
            when '>=' then valeur >= seuil
        end, false) as depasse
    from regles
)

select
    entreprise,
    rome_code_parent,
    type_periode,
    periode,
    famille,
    regle,
    indicateur,
    valeur,
    reference,
    seuil,
    sens,
    coalesce(decisive, false) as decisive,
    depasse,
    depasse and coalesce(decisive, false) as declenchee,
    case
        when not depasse then null
        when sens in ('>', '>=') then valeur / nullif(seuil, 0)
        -- below a threshold: ratio threshold / value, capped at 10 when the value is ~0
        when seuil < 0 then valeur / seuil
        else least(10.0, seuil / greatest(valeur, seuil / 10))
    end as force
from evaluees
