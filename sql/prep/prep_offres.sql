-- prep.offres: one row per offer version kept, France Travail and job-board exports
-- side by side, with the parent ROME v3 code and the département.
create or replace table prep.offres as
with

offres_ft as (
    select
        offre_id,
        'france-travail' as source,
        intitule,
        description,
        rome_code,
        date_creation,
        date_actualisation,
        commune_insee,
        regexp_extract(lieu_libelle, '^(\d[\dAB]\d?) - ', 1) as departement_libelle,
        type_contrat,
        duree_contrat_mois,
        temps_plein,
        salaire_min_mensuel,
        salaire_max_mensuel,
        experience_mois,
        qualification_code,
        entreprise_nom,
        nombre_postes
    from brut.offres_ft
),

offres_fichier as (
    select
        offre_id,
        plateforme as source,
        intitule,
        description,
        rome_code,
        cast(date_creation as timestamp) as date_creation,
        cast(date_actualisation as timestamp) as date_actualisation,
        commune_insee,
        null as departement_libelle,
        type_contrat,
        duree_contrat_mois,
        temps_plein,
        salaire_min_mensuel,
        salaire_max_mensuel,
        experience_mois,
        null as qualification_code,
        entreprise_nom,
        nombre_postes
    from brut.offres_fichier
),

toutes as (
    select * from offres_ft
    union all by name
    select * from offres_fichier
),

rome as (
    select
        code_rome,
        code_rome_parent
    from brut.rome_codes
)

select
    toutes.offre_id,
    toutes.source,
    toutes.intitule,
    toutes.description,
    toutes.rome_code,
    rome.code_rome_parent as rome_code_parent,
    toutes.date_creation,
    toutes.date_actualisation,
    toutes.commune_insee,
    case
        when toutes.commune_insee like '97%' then left(toutes.commune_insee, 3)
        when toutes.commune_insee is not null then left(toutes.commune_insee, 2)
        else nullif(toutes.departement_libelle, '')
    end as departement,
    toutes.type_contrat,
    toutes.duree_contrat_mois,
    toutes.temps_plein,
    toutes.salaire_min_mensuel,
    toutes.salaire_max_mensuel,
    toutes.experience_mois,
    toutes.qualification_code,
    toutes.entreprise_nom,
    toutes.nombre_postes
from toutes
left join rome on toutes.rome_code = rome.code_rome
