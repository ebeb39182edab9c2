-- The study's finding, per v3 occupation x territory (département or region) x period
-- (each year, and 'tous' for the whole period): the occupation's rank by offers published
-- in the territory, its new category-A jobseekers per offer, and what the pilot companies
-- recruiting it there show (median over companies of their median time to fill, how many
-- are in difficulty and the causes diagnosed for those only). Read by the dashboard
-- (flows/render/tableau_de_bord.py) to write the paragraph that opens it.
with

marche_annees as (
    select
        code as metier,
        niveau_territoire,
        code_territoire as territoire,
        periode,
        offres,
        entrees_a
    from "analyse".tension_marche
    where
        niveau_code = 'rome3'
        and type_periode = 'annee'
        and niveau_territoire in ('departement', 'region')
),

marche as (
    select
        metier,
        niveau_territoire,
        territoire,
        periode,
        periode as premiere_annee,
        periode as derniere_annee,
        coalesce(offres, 0) as offres,
        entrees_a,
        entrees_a / nullif(offres, 0) as entrees_a_par_offre
    from marche_annees
    union all
    select
        metier,
        niveau_territoire,
        territoire,
        'tous' as periode,
        min(periode) as premiere_annee,
        max(periode) as derniere_annee,
        coalesce(sum(offres), 0) as offres,
        sum(entrees_a) as entrees_a,
        -- the years without jobseeker figures count in the rank, not in the ratio
        sum(entrees_a) / nullif(sum(offres) filter (where entrees_a is not null), 0) as entrees_a_par_offre
    from marche_annees
    group by metier, niveau_territoire, territoire
),

rangs as (
    select
        metier,
        niveau_territoire,
        territoire,
        periode,
        premiere_annee,
        derniere_annee,
        offres,
        entrees_a,
        entrees_a_par_offre,
        rank() over (partition by niveau_territoire, territoire, periode order by offres desc) as rang_offres,
        count(*) over (partition by niveau_territoire, territoire, periode) as metiers_classes
    from marche
    where offres > 0
),

implantations as (
    select distinct
        entreprise,
        rome_code_parent as metier,
        unnest(['departement', 'region']) as niveau_territoire,
        unnest([departement, region]) as territoire
    from "analyse".offres_entreprise
),

pilotes as (
    select
        diagnostic.rome_code_parent as metier,
        implantations.niveau_territoire,
        implantations.territoire,
        case when diagnostic.type_periode = 'ensemble' then 'tous' else diagnostic.periode end as periode,
        count(*) as entreprises,
        sum(diagnostic.recrutements) as recrutements,
        median(diagnostic.delai_pourvoi_median_jours) as delai_pourvoi_median_jours,
        count(*) filter (where diagnostic.difficulte) as en_difficulte,
        count(*) filter (where diagnostic.difficulte and diagnostic.cause = 'process') as cause_process,
        count(*) filter (where diagnostic.difficulte and diagnostic.cause = 'qualification') as cause_qualification,
        count(*) filter (where diagnostic.difficulte and diagnostic.cause = 'penurie') as cause_penurie
    from "analyse".diagnostic as diagnostic
    inner join implantations
        on
            diagnostic.entreprise = implantations.entreprise
            and diagnostic.rome_code_parent = implantations.metier
    where implantations.territoire is not null and diagnostic.type_periode in ('ensemble', 'annee')
    group by all
)

select
    rangs.metier,
    rangs.niveau_territoire,
    rangs.territoire,
    rangs.periode,
    rangs.premiere_annee,
    rangs.derniere_annee,
    rangs.offres,
    rangs.entrees_a,
    rangs.entrees_a_par_offre,
    rangs.rang_offres,
    rangs.metiers_classes,
    coalesce(pilotes.entreprises, 0) as entreprises,
    pilotes.recrutements,
    pilotes.delai_pourvoi_median_jours,
    coalesce(pilotes.en_difficulte, 0) as en_difficulte,
    coalesce(pilotes.cause_process, 0) as cause_process,
    coalesce(pilotes.cause_qualification, 0) as cause_qualification,
    coalesce(pilotes.cause_penurie, 0) as cause_penurie
from rangs
left join pilotes
    on
        rangs.metier = pilotes.metier
        and rangs.niveau_territoire = pilotes.niveau_territoire
        and rangs.territoire = pilotes.territoire
        and rangs.periode = pilotes.periode
order by rangs.niveau_territoire, rangs.territoire, rangs.periode, rangs.rang_offres, rangs.metier
