-- int.offres: prep.offres with what the learning stage found: the ROME code predicted
-- with enough confidence for an offer that came without one, and the duplicate cluster
-- (doublon_de, shared by every posting of one vacancy; an offer never compared is its own).
create or replace table int.offres as
with

predictions as (
    select
        source,
        identifiant as offre_id,
        rome_code
    from ml.predictions_rome
    where objet = 'offre' and not a_revoir
),

avec_codes as (
    select
        offres.*,
        coalesce(offres.rome_code, predictions.rome_code) as rome_code_retenu,
        case
            when offres.rome_code is not null then 'offre'
            when predictions.rome_code is not null then 'classifieur'
        end as rome_origine
    from prep.offres as offres
    left join predictions
        on offres.source = predictions.source and offres.offre_id = predictions.offre_id
)

select
    avec_codes.offre_id,
    avec_codes.source,
    coalesce(doublons.doublon_de, avec_codes.source || ':' || avec_codes.offre_id) as doublon_de,
    avec_codes.intitule,
    avec_codes.description,
    avec_codes.rome_code_retenu as rome_code,
    coalesce(rome.code_rome_parent, avec_codes.rome_code_retenu) as rome_code_parent,
    avec_codes.rome_origine,
    avec_codes.date_creation,
    avec_codes.date_actualisation,
    avec_codes.commune_insee,
    avec_codes.departement,
    avec_codes.region,
    avec_codes.bassin,
    avec_codes.entreprise_nom,
    avec_codes.type_contrat,
    avec_codes.duree_contrat_mois,
    avec_codes.temps_plein,
    avec_codes.salaire_affiche,
    avec_codes.salaire_min_mensuel,
    avec_codes.salaire_max_mensuel,
    avec_codes.experience_mois,
    avec_codes.niveau_diplome,
    avec_codes.qualification_code,
    avec_codes.nombre_postes,
    avec_codes.offres_manque_candidats,
    avec_codes.nb_competences,
    avec_codes.longueur_description,
    avec_codes.duree_publication_jours
from avec_codes
left join ml.doublons as doublons
    on avec_codes.source = doublons.source and avec_codes.offre_id = doublons.offre_id
left join prep.rome as rome on avec_codes.rome_code_retenu = rome.code_rome
