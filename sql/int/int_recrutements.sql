-- int.recrutements: prep.recrutements with the ROME code predicted with enough confidence
-- for a requisition whose company gave none (rome_origine says where the code came from).
create or replace table int.recrutements as
with

predictions as (
    select
        source as entreprise,
        identifiant as reference,
        rome_code
    from ml.predictions_rome
    where objet = 'recrutement' and not a_revoir
),

avec_codes as (
    select
        recrutements.*,
        coalesce(recrutements.rome_code, predictions.rome_code) as rome_code_retenu,
        case
            when recrutements.rome_code is not null then 'entreprise'
            when predictions.rome_code is not null then 'classifieur'
        end as rome_origine
    from prep.recrutements as recrutements
    left join predictions
        on
            recrutements.entreprise = predictions.entreprise
            and recrutements.reference = predictions.reference
)

select
    avec_codes.entreprise,
    avec_codes.reference,
    avec_codes.intitule,
    avec_codes.rome_code_retenu as rome_code,
    coalesce(rome.code_rome_parent, avec_codes.rome_code_retenu) as rome_code_parent,
    avec_codes.rome_origine,
    avec_codes.commune_site,
    avec_codes.departement,
    avec_codes.region,
    avec_codes.bassin,
    avec_codes.latitude,
    avec_codes.longitude,
    avec_codes.date_ouverture,
    avec_codes.date_cloture,
    avec_codes.statut,
    avec_codes.delai_pourvoi_jours,
    avec_codes.duree_jours,
    avec_codes.nombre_postes,
    avec_codes.type_contrat,
    avec_codes.duree_contrat_mois,
    avec_codes.salaire_affiche,
    avec_codes.salaire_min_mensuel,
    avec_codes.salaire_max_mensuel,
    avec_codes.salaire_mensuel,
    avec_codes.experience_requise_mois,
    avec_codes.diplome_requis,
    avec_codes.canaux,
    avec_codes.nb_canaux,
    avec_codes.longueur_description,
    avec_codes.competences,
    avec_codes.nb_competences
from avec_codes
left join prep.rome as rome on avec_codes.rome_code_retenu = rome.code_rome
