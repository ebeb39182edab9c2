-- "analyse".passerelles_entreprise: for each pilot company x v3 occupation x period of
-- "analyse".process_entreprise, the neighbouring occupations of "analyse".passerelles
-- ('rome3') in the company's département (where most of its requisitions on the role
-- are) and year (the period's, or for 'ensemble' the year of its latest requisition on
-- the role): their jobseekers, offers and tension, and the skills the target's offers ask
-- for that theirs rarely do (département, else region; at most passerelles_competences_max,
-- the most asked first). vivier_passerelles_par_poste is the pool of the neighbours not
-- in tension per post to fill, the indicator of the diagnosis's rule « vivier_passerelles ».
create or replace table "analyse".passerelles_entreprise as
with

recrutements as (
    select
        entreprise,
        rome_code_parent,
        departement,
        region,
        date_ouverture,
        cast(year(date_ouverture) as varchar) as annee
    from int.recrutements
),

par_periode as (
    select
        entreprise,
        rome_code_parent,
        'annee' as type_periode,
        annee as periode,
        departement,
        region,
        date_ouverture,
        annee
    from recrutements
    union all
    select
        entreprise,
        rome_code_parent,
        'ensemble',
        'ensemble',
        departement,
        region,
        date_ouverture,
        annee
    from recrutements
),

roles as (
    -- the département with the most requisitions (ties: the smallest code), the latest year
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        mode() within group (order by departement) filter (where departement is not null) as departement,
        mode() within group (order by region) filter (where region is not null) as region,
        max(annee) as annee
    from par_periode
    group by all
),

process as (
    select
        process.entreprise,
        process.rome_code_parent,
        process.type_periode,
        process.periode,
        process.postes / nullif(process.recrutements, 0) as postes_par_recrutement,
        process.vivier_qualifie
    from "analyse".process_entreprise as process
),

competences as (
    select
        code,
        code_voisin,
        niveau_territoire,
        code_territoire,
        periode,
        list(element_libelle order by rang_competence) as competences
    from "analyse".passerelles_competences
    where
        niveau_code = 'rome3' and type_periode = 'annee'
        and rang_competence <= getvariable('passerelles_competences_max')
    group by all
)

select
    roles.entreprise,
    roles.rome_code_parent,
    roles.type_periode,
    roles.periode,
    roles.departement,
    roles.annee,
    process.postes_par_recrutement,
    process.vivier_qualifie / nullif(process.postes_par_recrutement, 0) as vivier_qualifie_par_poste,
    passerelles.code_voisin,
    passerelles.libelle_voisin,
    passerelles.metiers_sources,
    passerelles.rang,
    passerelles.demandeurs_a_voisin,
    passerelles.demandeurs_abc_voisin,
    passerelles.offres_voisin,
    passerelles.niveau_tension_voisin,
    passerelles.voisin_en_tension,
    coalesce(competences_departement.competences, competences_region.competences, [])
        as competences_a_acquerir,
    passerelles.demandeurs_a as demandeurs_a_metier,
    passerelles.nb_voisins,
    passerelles.nb_voisins_en_tension,
    passerelles.voisins_en_tension,
    passerelles.vivier_passerelles_a,
    passerelles.vivier_passerelles_abc,
    passerelles.vivier_passerelles_a / nullif(process.postes_par_recrutement, 0) as vivier_passerelles_par_poste
from roles
inner join process
    on
        roles.entreprise = process.entreprise and roles.rome_code_parent = process.rome_code_parent
        and roles.type_periode = process.type_periode and roles.periode = process.periode
inner join "analyse".passerelles as passerelles
    on
        passerelles.niveau_code = 'rome3' and roles.rome_code_parent = passerelles.code
        and passerelles.niveau_territoire = 'departement' and roles.departement = passerelles.code_territoire
        and passerelles.type_periode = 'annee' and roles.annee = passerelles.periode
left join competences as competences_departement
    on
        passerelles.code = competences_departement.code
        and passerelles.code_voisin = competences_departement.code_voisin
        and competences_departement.niveau_territoire = 'departement'
        and roles.departement = competences_departement.code_territoire
        and roles.annee = competences_departement.periode
left join competences as competences_region
    on
        passerelles.code = competences_region.code
        and passerelles.code_voisin = competences_region.code_voisin
        and competences_region.niveau_territoire = 'region'
        and roles.region = competences_region.code_territoire
        and roles.annee = competences_region.periode
