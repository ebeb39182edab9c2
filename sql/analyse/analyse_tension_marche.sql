-- "analyse".tension_marche: market tension per occupation (ROME 4.0, its v3 parent, and
-- FAP-2009 through the DARES mapping) x territory (BMO basin, département, region) x
-- period (month, quarter, year), DARES-style.
--
-- The medians of the offers' requirements and content (experience, diploma, description
-- length, skills listed) are the market reference of the company indicators.
-- The BMO share is that of the latest survey not after the period's year (annee_bmo),
-- over the FAP-2021 families (FAP228, the survey's « Code métier BMO ») of the cell's
-- offers: each offer takes the family DARES's passage gives for its ROME v3 code AND its
-- qualification level (qualificationCode; an offer without one takes the passage's row
-- for level 0, "qualification unknown"): I1304 at 7-8 is G1X72, at 0-6 G0A40. The
-- projects of these families in the territory are pooled: part_difficile_bmo = difficult
-- projects / projects, masked cells left out. A cell without offers (jobseekers only)
-- takes the level-0 families of its code.
-- offres counts deduplicated new offers (one per duplicate cluster, dated by its first
-- posting). Jobseeker statistics exist for v3 families (and FAP by summing them); rows at
-- the 4.0 level carry the offer side and the BMO share of their own offers.
-- score_tension = weighted mean of the z-scores of ratio_tension, taux_ecoulement and
-- part_difficile_bmo (weights renormalised over the components present; composantes says
-- which), each z-scored across occupations of the same level, territory level and period
-- type over the reference period of config/parametres.toml.
create or replace table "analyse".tension_marche as
with

postings as (
    -- the postings of each vacancy in order: first posted first, those of the same day by
    -- source and id (the same order at every build, whatever order the rows are read in)
    select
        *,
        row_number() over (partition by doublon_de order by date_creation, source, offre_id) as rang
    from int.offres
    where date_creation is not null
),

clusters as (
    -- one row per vacancy: the attributes of its first posting
    select
        doublon_de,
        min(date_creation) as date_creation,
        arg_min(rome_code, rang) as rome_code,
        arg_min(rome_code_parent, rang) as rome_code_parent,
        arg_min(bassin, rang) as bassin,
        arg_min(departement, rang) as departement,
        arg_min(region, rang) as region,
        arg_min(commune_insee, rang) as commune_insee,
        arg_min(lower(trim(entreprise_nom)), rang) as entreprise,
        arg_min(type_contrat, rang) as type_contrat,
        arg_min(duree_contrat_mois, rang) as duree_contrat_mois,
        arg_min(temps_plein, rang) as temps_plein,
        max(coalesce(nombre_postes, 1)) as postes,
        bool_or(salaire_affiche) as salaire_affiche,
        arg_min(
            (salaire_min_mensuel + coalesce(salaire_max_mensuel, salaire_min_mensuel)) / 2,
            rang
        ) filter (where salaire_min_mensuel is not null
        ) as salaire_mensuel,
        arg_min(experience_mois, rang) as experience_mois,
        arg_min(niveau_diplome, rang) as niveau_diplome,
        arg_min(qualification_code, rang) as qualification_code,
        arg_min(longueur_description, rang) as longueur_description,
        arg_min(nb_competences, rang) as nb_competences,
        bool_or(offres_manque_candidats) as manque_candidats,
        max(duree_publication_jours) as duree_publication_jours
    from postings
    group by doublon_de
),

reposts as (
    -- a vacancy is a repost when the same employer posted the same occupation in the same
    -- commune within the configured window before it
    select
        doublon_de,
        coalesce(
            date_diff(
                'day',
                lag(date_creation) over (
                    partition by entreprise, rome_code_parent, commune_insee order by date_creation, doublon_de
                ),
                date_creation
            ) <= getvariable('tension_fenetre_republication_jours'),
            false
        ) and entreprise is not null as republiee
    from clusters
),

offres_detail as (
    select
        clusters.*,
        reposts.republiee,
        coalesce(qualifiee.code_fap228, sans_qualification.code_fap228) as code_fap228,
        not(
            (
                upper(clusters.type_contrat) = 'CDI'
                or (
                    upper(clusters.type_contrat) = 'CDD'
                    and clusters.duree_contrat_mois >= getvariable('tension_duree_cdd_durable_mois')
                )
            )
            and coalesce(clusters.temps_plein, true)
        ) as non_durable
    from clusters
    inner join reposts on clusters.doublon_de = reposts.doublon_de
    left join prep.rome_qualif_fap as qualifiee
        on
            clusters.rome_code_parent = qualifiee.code_rome_parent
            and clusters.qualification_code = qualifiee.qualification
    left join prep.rome_qualif_fap as sans_qualification
        on clusters.rome_code_parent = sans_qualification.code_rome_parent and sans_qualification.qualification = '0'
),

codes as (
    select
        doublon_de,
        'rome4' as niveau_code,
        rome_code as code
    from offres_detail
    where rome_code is not null
    union all
    select
        doublon_de,
        'rome3',
        rome_code_parent
    from offres_detail
    where rome_code_parent is not null
    union all
    select
        offres_detail.doublon_de,
        'fap2009',
        rome_fap.code_fap
    from offres_detail
    inner join prep.rome_fap as rome_fap
        on rome_fap.nomenclature = 'fap2009' and offres_detail.rome_code_parent = rome_fap.code_rome_parent
),

territoires as (
    select
        doublon_de,
        'bassin' as niveau_territoire,
        bassin as code_territoire
    from offres_detail
    where bassin is not null
    union all
    select
        doublon_de,
        'departement',
        departement
    from offres_detail
    where departement is not null
    union all
    select
        doublon_de,
        'region',
        region
    from offres_detail
    where region is not null
),

offres_par_cellule as (
    select
        codes.niveau_code,
        codes.code,
        territoires.niveau_territoire,
        territoires.code_territoire,
        calendrier.type_periode,
        calendrier.periode,
        any_value(calendrier.debut) as debut,
        count(*) as offres,
        sum(offres_detail.postes) as postes,
        avg(cast(offres_detail.non_durable as double)) as part_non_durable,
        avg(cast(offres_detail.salaire_affiche as double)) as part_salaire_affiche,
        median(offres_detail.salaire_mensuel) as salaire_median,
        avg(cast(offres_detail.manque_candidats as double)) as part_manque_candidats,
        median(offres_detail.duree_publication_jours) as duree_publication_mediane_jours,
        avg(cast(offres_detail.republiee as double)) as taux_republication,
        median(offres_detail.experience_mois) as experience_mediane_mois,
        median(offres_detail.niveau_diplome) as diplome_median,
        median(offres_detail.longueur_description) as longueur_description_mediane,
        median(offres_detail.nb_competences) as nb_competences_median
    from offres_detail
    inner join codes on offres_detail.doublon_de = codes.doublon_de
    inner join territoires on offres_detail.doublon_de = territoires.doublon_de
    inner join prep.calendrier as calendrier
        on cast(date_trunc('month', offres_detail.date_creation) as date) = calendrier.mois
    group by all
),

demandeurs_rome as (
    -- v3 families as given, and FAP-2009 families as the sum of their v3 codes
    select
        'rome3' as niveau_code,
        code_rome_parent as code,
        * exclude (code_rome_parent)
    from prep.demandeurs
    union all
    select
        'fap2009',
        rome_fap.code_fap,
        demandeurs.* exclude (code_rome_parent)
    from prep.demandeurs as demandeurs
    inner join prep.rome_fap as rome_fap
        on rome_fap.nomenclature = 'fap2009' and demandeurs.code_rome_parent = rome_fap.code_rome_parent
),

demandeurs_mensuels as (
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        date_debut as mois,
        sum(demandeurs) filter (where categorie = 'A') as stock_a,
        sum(demandeurs) filter (where categorie = 'ABC') as stock_abc,
        sum(entrees) filter (where categorie = 'A') as entrees_a,
        sum(sorties) filter (where categorie = 'ABC') as sorties_abc
    from demandeurs_rome
    where granularite = 'mois'
    group by all
),

demandeurs_par_cellule as (
    -- mean stock over the months of the period; flows summed over them
    select
        mensuels.niveau_code,
        mensuels.code,
        mensuels.niveau_territoire,
        mensuels.code_territoire,
        calendrier.type_periode,
        calendrier.periode,
        any_value(calendrier.debut) as debut,
        avg(mensuels.stock_a) as demandeurs_a,
        avg(mensuels.stock_abc) as demandeurs_abc,
        sum(mensuels.entrees_a) as entrees_a,
        sum(mensuels.sorties_abc) as sorties_abc
    from demandeurs_mensuels as mensuels
    inner join prep.calendrier as calendrier on mensuels.mois = calendrier.mois
    where mensuels.niveau_territoire in ('bassin', 'departement', 'region')
    group by all
),

grille as (
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        type_periode,
        periode,
        debut
    from offres_par_cellule
    union
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        type_periode,
        periode,
        debut
    from demandeurs_par_cellule
),

faps_offres as (
    -- the FAP-2021 families (FAP228) of the offers of each cell
    select distinct
        codes.niveau_code,
        codes.code,
        territoires.niveau_territoire,
        territoires.code_territoire,
        calendrier.type_periode,
        calendrier.periode,
        offres_detail.code_fap228 as code_fap
    from offres_detail
    inner join codes on offres_detail.doublon_de = codes.doublon_de
    inner join territoires on offres_detail.doublon_de = territoires.doublon_de
    inner join prep.calendrier as calendrier
        on cast(date_trunc('month', offres_detail.date_creation) as date) = calendrier.mois
    where offres_detail.code_fap228 is not null
),

faps_sans_qualification as (
    -- the families of each code for an unknown qualification (the passage's level 0):
    -- v3 codes, their 4.0 children, and FAP-2009 families through their v3 codes
    select
        'rome3' as niveau_code,
        code_rome_parent as code,
        code_fap228 as code_fap
    from prep.rome_qualif_fap
    where qualification = '0'
    union
    select
        'rome4',
        rome.code_rome,
        passage.code_fap228
    from prep.rome as rome
    inner join prep.rome_qualif_fap as passage
        on rome.code_rome_parent = passage.code_rome_parent and passage.qualification = '0'
    union
    select
        'fap2009',
        rome_fap.code_fap,
        passage.code_fap228
    from prep.rome_fap as rome_fap
    inner join prep.rome_qualif_fap as passage
        on rome_fap.code_rome_parent = passage.code_rome_parent and passage.qualification = '0'
    where rome_fap.nomenclature = 'fap2009'
),

faps_cellule as (
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        type_periode,
        periode,
        code_fap
    from faps_offres
    union all
    select
        grille.niveau_code,
        grille.code,
        grille.niveau_territoire,
        grille.code_territoire,
        grille.type_periode,
        grille.periode,
        sans_qualification.code_fap
    from grille
    inner join faps_sans_qualification as sans_qualification
        on grille.niveau_code = sans_qualification.niveau_code and grille.code = sans_qualification.code
    anti join faps_offres
        on
            grille.niveau_code = faps_offres.niveau_code and grille.code = faps_offres.code
            and grille.niveau_territoire = faps_offres.niveau_territoire
            and grille.code_territoire = faps_offres.code_territoire
            and grille.type_periode = faps_offres.type_periode and grille.periode = faps_offres.periode
),

bmo_par_cellule as (
    -- projects of the cell's families in its territory, per survey year
    select
        faps.niveau_code,
        faps.code,
        faps.niveau_territoire,
        faps.code_territoire,
        faps.type_periode,
        faps.periode,
        bmo.annee,
        sum(bmo.projets) as projets,
        sum(bmo.projets_difficiles) as projets_difficiles
    from faps_cellule as faps
    inner join prep.bmo as bmo
        on
            faps.code_fap = bmo.code_fap and faps.niveau_territoire = bmo.niveau_territoire
            and faps.code_territoire = bmo.code_territoire
    group by all
),

bassins_englobants as (
    select distinct
        bassin,
        'departement' as niveau_territoire,
        departement as code_territoire
    from prep.communes
    where bassin is not null
    union
    select distinct
        bassin,
        'region',
        region
    from prep.communes
    where bassin is not null
),

repartition as (
    -- offers and category-A jobseekers of each basin, within each département or region
    select
        coalesce(o.niveau_code, d.niveau_code) as niveau_code,
        coalesce(o.code, d.code) as code,
        coalesce(o.niveau_territoire, d.niveau_territoire) as niveau_territoire,
        coalesce(o.code_territoire, d.code_territoire) as code_territoire,
        coalesce(o.type_periode, d.type_periode) as type_periode,
        coalesce(o.periode, d.periode) as periode,
        coalesce(o.offres, 0) as offres,
        coalesce(d.demandeurs, 0) as demandeurs
    from (
        select
            opc.niveau_code,
            opc.code,
            englobant.niveau_territoire,
            englobant.code_territoire,
            opc.type_periode,
            opc.periode,
            opc.code_territoire as bassin,
            opc.offres
        from offres_par_cellule as opc
        inner join bassins_englobants as englobant on opc.code_territoire = englobant.bassin
        where opc.niveau_territoire = 'bassin'
    ) as o
    full outer join (
        select
            dpc.niveau_code,
            dpc.code,
            englobant.niveau_territoire,
            englobant.code_territoire,
            dpc.type_periode,
            dpc.periode,
            dpc.code_territoire as bassin,
            dpc.demandeurs_a as demandeurs
        from demandeurs_par_cellule as dpc
        inner join bassins_englobants as englobant on dpc.code_territoire = englobant.bassin
        where dpc.niveau_territoire = 'bassin'
    ) as d
        on
            o.niveau_code = d.niveau_code and o.code = d.code
            and o.niveau_territoire = d.niveau_territoire and o.code_territoire = d.code_territoire
            and o.type_periode = d.type_periode and o.periode = d.periode and o.bassin = d.bassin
),

duncan as (
    -- dissimilarity index: 0.5 x sum over basins of |share of offers - share of jobseekers|
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        type_periode,
        periode,
        0.5 * list_sum(list_sort(list(abs(part_offres - part_demandeurs)))) as indice_duncan  -- sorted: see reference
    from (
        select
            *,
            offres / nullif(sum(offres) over cellule, 0) as part_offres,
            -- mean stocks have decimals: summed exactly, so in no particular order
            demandeurs / nullif(cast(sum(cast(demandeurs as decimal(38, 10))) over cellule as double), 0)
                as part_demandeurs
        from repartition
        window cellule as (
            partition by niveau_code, code, niveau_territoire, code_territoire, type_periode, periode
        )
    ) as parts
    group by all
),

indicateurs as (
    select
        grille.niveau_code,
        grille.code,
        grille.niveau_territoire,
        grille.code_territoire,
        grille.type_periode,
        grille.periode,
        grille.debut,
        coalesce(o.offres, 0) as offres,
        coalesce(o.postes, 0) as postes,
        d.demandeurs_a,
        d.demandeurs_abc,
        d.entrees_a,
        d.sorties_abc,
        coalesce(o.offres, 0) / nullif(d.entrees_a, 0) as ratio_tension,
        d.demandeurs_a / nullif(o.offres, 0) as demandeurs_par_offre,
        d.sorties_abc / nullif(d.demandeurs_abc, 0) as taux_ecoulement,
        bmo.annee as annee_bmo,
        bmo.projets as projets_bmo,
        bmo.projets_difficiles / nullif(bmo.projets, 0) as part_difficile_bmo,
        o.part_non_durable,
        duncan.indice_duncan as inadequation_geographique,
        o.part_salaire_affiche,
        o.salaire_median,
        o.part_manque_candidats,
        o.duree_publication_mediane_jours,
        o.taux_republication,
        o.experience_mediane_mois,
        o.diplome_median,
        o.longueur_description_mediane,
        o.nb_competences_median
    from grille
    left join offres_par_cellule as o
        on
            grille.niveau_code = o.niveau_code and grille.code = o.code
            and grille.niveau_territoire = o.niveau_territoire and grille.code_territoire = o.code_territoire
            and grille.type_periode = o.type_periode and grille.periode = o.periode
    left join demandeurs_par_cellule as d
        on
            grille.niveau_code = d.niveau_code and grille.code = d.code
            and grille.niveau_territoire = d.niveau_territoire and grille.code_territoire = d.code_territoire
            and grille.type_periode = d.type_periode and grille.periode = d.periode
    asof left join bmo_par_cellule as bmo
        on
            grille.niveau_code = bmo.niveau_code and grille.code = bmo.code
            and grille.niveau_territoire = bmo.niveau_territoire and grille.code_territoire = bmo.code_territoire
            and grille.type_periode = bmo.type_periode and grille.periode = bmo.periode
            and year(grille.debut) >= bmo.annee
    left join duncan
        on
            grille.niveau_code = duncan.niveau_code and grille.code = duncan.code
            and grille.niveau_territoire = duncan.niveau_territoire
            and grille.code_territoire = duncan.code_territoire
            and grille.type_periode = duncan.type_periode and grille.periode = duncan.periode
),

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
        from indicateurs
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
    from indicateurs
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
