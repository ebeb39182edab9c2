-- prep.offres: one row per offer version kept, France Travail and job-board exports side
-- by side, with the ROME code it came with (if any), its territory and the features the
-- indicators compare. No model output: int.offres adds predicted codes and duplicate clusters.
create or replace table prep.offres as
with

formations as (
    -- diploma level asked: the lowest required level, else the lowest wished one
    select
        offre_id,
        coalesce(
            min(niveau) filter (where exigence = 'E'),
            min(niveau)
        ) as niveau_diplome
    from (
        select
            offre_id,
            exigence,
            case
                when niveau_libelle ilike 'aucune%' then 2
                when niveau_libelle ilike 'cap%' then 3
                when niveau_libelle ilike 'bac+5%' or niveau_libelle ilike 'bac+8%' then 7
                when niveau_libelle ilike 'bac+3%' then 6
                when niveau_libelle ilike 'bac+2%' then 5
                when niveau_libelle ilike 'bac%' then 4
            end as niveau
        from brut.offres_ft_formations
    ) as niveaux
    group by offre_id
),

competences as (
    select
        offre_id,
        count(*) as nb_competences
    from brut.offres_ft_competences
    group by offre_id
),

offres_ft as (
    select
        ft.offre_id,
        'france-travail' as source,
        ft.intitule,
        ft.description,
        ft.rome_code,
        ft.date_creation,
        ft.date_actualisation,
        ft.commune_insee,
        regexp_extract(ft.lieu_libelle, '^(\d[\dAB]\d?) - ', 1) as departement_libelle,
        ft.entreprise_nom,
        ft.type_contrat,
        ft.duree_contrat_mois,
        ft.temps_plein,
        ft.salaire_libelle,
        ft.salaire_min_mensuel,
        ft.salaire_max_mensuel,
        ft.experience_mois,
        formations.niveau_diplome,
        ft.qualification_code,
        ft.nombre_postes,
        ft.offres_manque_candidats,
        coalesce(competences.nb_competences, 0) as nb_competences,
        ft.latitude,
        ft.longitude,
        ft.lieu_libelle,
        coalesce(ft.partenaires[1], 'France Travail') as site
    from brut.offres_ft as ft
    left join formations on ft.offre_id = formations.offre_id
    left join competences on ft.offre_id = competences.offre_id
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
        entreprise_nom,
        type_contrat,
        duree_contrat_mois,
        temps_plein,
        salaire_libelle,
        salaire_min_mensuel,
        salaire_max_mensuel,
        experience_mois,
        niveau_diplome,
        null as qualification_code,
        nombre_postes,
        null as offres_manque_candidats,
        null as nb_competences,
        null as latitude,
        null as longitude,
        null as lieu_libelle,
        plateforme as site
    from brut.offres_fichier
),

toutes as (
    select * from offres_ft
    union all by name
    select * from offres_fichier
),

departements as (
    select distinct
        departement,
        region
    from prep.communes
),

avec_codes as (
    select
        toutes.*,
        case
            when toutes.commune_insee like '97%' then left(toutes.commune_insee, 3)
            when toutes.commune_insee is not null then left(toutes.commune_insee, 2)
            else nullif(toutes.departement_libelle, '')
        end as departement
    from toutes
)

select
    avec_codes.offre_id,
    avec_codes.source,
    avec_codes.intitule,
    avec_codes.description,
    avec_codes.rome_code,
    coalesce(rome.code_rome_parent, avec_codes.rome_code) as rome_code_parent,
    avec_codes.date_creation,
    avec_codes.date_actualisation,
    avec_codes.commune_insee,
    avec_codes.departement,
    coalesce(communes.region, departements.region) as region,
    communes.bassin,
    avec_codes.entreprise_nom,
    avec_codes.type_contrat,
    avec_codes.duree_contrat_mois,
    avec_codes.temps_plein,
    avec_codes.salaire_libelle is not null
    or avec_codes.salaire_min_mensuel is not null as salaire_affiche,
    avec_codes.salaire_min_mensuel,
    avec_codes.salaire_max_mensuel,
    avec_codes.experience_mois,
    avec_codes.niveau_diplome,
    avec_codes.qualification_code,
    avec_codes.nombre_postes,
    avec_codes.offres_manque_candidats,
    avec_codes.nb_competences,
    length(avec_codes.description) as longueur_description,
    date_diff('day', avec_codes.date_creation, avec_codes.date_actualisation) as duree_publication_jours,
    -- where the deduplication looks: the place as written, its coordinates, and the site
    -- that showed the offer (the partner board a France Travail offer relays, else the source)
    avec_codes.latitude,
    avec_codes.longitude,
    avec_codes.lieu_libelle,
    avec_codes.site
from avec_codes
left join prep.rome as rome on avec_codes.rome_code = rome.code_rome
left join prep.communes as communes on avec_codes.commune_insee = communes.insee_com
left join departements on avec_codes.departement = departements.departement
