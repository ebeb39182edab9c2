-- "analyse".tension_marche: market tension per occupation (ROME 4.0, its v3 parent, and
-- FAP-2009 through the DARES mapping) x territory (BMO basin, département, region) x
-- period (month, quarter, year), DARES-style: the score of the market's components per
-- cell (int.marche_indicateurs, built from int.marche_offres, int.marche_demandeurs,
-- int.marche_bmo and int.marche_duncan).
-- score_tension = weighted mean of the z-scores of ratio_tension, taux_ecoulement and
-- part_difficile_bmo (weights renormalised over the components present; composantes says
-- which), each z-scored across occupations of the same level, territory level and period
-- type over the reference period of config/parametres.toml.
create or replace table "analyse".tension_marche as
with

reference as (
    -- distribution of each component across occupations over the reference period, the
    -- values summed in sorted order (a parallel sum adds them in any order, and the last
    -- digit of every score would change from one build to the next)
    select
        niveau_code,
        niveau_territoire,
        type_periode,
        list_avg(ratios) as moy_ratio,
        list_stddev_samp(ratios) as et_ratio,
        list_avg(ecoulements) as moy_ecoulement,
        list_stddev_samp(ecoulements) as et_ecoulement,
        list_avg(bmo) as moy_bmo,
        list_stddev_samp(bmo) as et_bmo
    from (
        select
            niveau_code,
            niveau_territoire,
            type_periode,
            list_sort(list(ratio_tension) filter (where ratio_tension is not null)) as ratios,
            list_sort(list(taux_ecoulement) filter (where taux_ecoulement is not null)) as ecoulements,
            list_sort(list(part_difficile_bmo) filter (where part_difficile_bmo is not null)) as bmo
        from int.marche_indicateurs
        where
            debut between cast(getvariable('tension_reference_debut') as date)
            and cast(getvariable('tension_reference_fin') as date)
        group by niveau_code, niveau_territoire, type_periode
    ) as valeurs
),

z as (
    select
        indicateurs.*,
        (indicateurs.ratio_tension - reference.moy_ratio) / nullif(reference.et_ratio, 0) as z_ratio,
        (indicateurs.taux_ecoulement - reference.moy_ecoulement) / nullif(reference.et_ecoulement, 0)
            as z_ecoulement,
        (indicateurs.part_difficile_bmo - reference.moy_bmo) / nullif(reference.et_bmo, 0) as z_bmo
    from int.marche_indicateurs as indicateurs
    left join reference
        on
            indicateurs.niveau_code = reference.niveau_code
            and indicateurs.niveau_territoire = reference.niveau_territoire
            and indicateurs.type_periode = reference.type_periode
),

score as (
    select
        z.*,
        (
            coalesce(getvariable('tension_poids_ratio') * z_ratio, 0)
            + coalesce(getvariable('tension_poids_ecoulement') * z_ecoulement, 0)
            + coalesce(getvariable('tension_poids_bmo') * z_bmo, 0)
        )
        / nullif(
            (case when z_ratio is not null then getvariable('tension_poids_ratio') else 0 end)
            + (case when z_ecoulement is not null then getvariable('tension_poids_ecoulement') else 0 end)
            + (case when z_bmo is not null then getvariable('tension_poids_bmo') else 0 end),
            0
        ) as score_tension,
        list_filter(
            [
                case when z_ratio is not null then 'ratio_tension' end,
                case when z_ecoulement is not null then 'taux_ecoulement' end,
                case when z_bmo is not null then 'part_difficile_bmo' end
            ],
            lambda x: x is not null
        ) as composantes
    from z
)

select
    niveau_code,
    code,
    niveau_territoire,
    code_territoire,
    type_periode,
    periode,
    debut,
    offres,
    postes,
    demandeurs_a,
    demandeurs_abc,
    entrees_a,
    sorties_abc,
    ratio_tension,
    demandeurs_par_offre,
    taux_ecoulement,
    annee_bmo,
    projets_bmo,
    part_difficile_bmo,
    z_ratio,
    z_ecoulement,
    z_bmo,
    score_tension,
    case
        when score_tension is null then null
        when score_tension < getvariable('tension_seuil_niveau_2') then 1
        when score_tension < getvariable('tension_seuil_niveau_3') then 2
        when score_tension < getvariable('tension_seuil_niveau_4') then 3
        when score_tension < getvariable('tension_seuil_niveau_5') then 4
        else 5
    end as niveau_tension,
    composantes,
    part_non_durable,
    inadequation_geographique,
    part_salaire_affiche,
    salaire_median,
    part_manque_candidats,
    duree_publication_mediane_jours,
    taux_republication,
    experience_mediane_mois,
    diplome_median,
    longueur_description_mediane,
    nb_competences_median
from score
