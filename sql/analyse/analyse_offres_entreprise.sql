-- "analyse".offres_entreprise: each requisition (offer) of the pilot companies beside the
-- market medians of the France Travail and job-board offers for the same v3 occupation,
-- département and year (as in "analyse".process_entreprise): salary, experience and
-- diploma asked, description length, skills listed. Read by the company reports only.
create or replace table "analyse".offres_entreprise as
with

marche as (
    select
        code,
        code_territoire,
        periode,
        salaire_median,
        experience_mediane_mois,
        diplome_median,
        longueur_description_mediane,
        nb_competences_median
    from "analyse".tension_marche
    where niveau_code = 'rome3' and niveau_territoire = 'departement' and type_periode = 'annee'
)

select
    recrutements.entreprise,
    recrutements.reference,
    recrutements.intitule,
    recrutements.rome_code,
    recrutements.rome_code_parent,
    recrutements.departement,
    recrutements.region,
    recrutements.date_ouverture,
    recrutements.date_cloture,
    recrutements.statut,
    recrutements.delai_pourvoi_jours,
    recrutements.nombre_postes,
    recrutements.type_contrat,
    recrutements.salaire_affiche,
    recrutements.salaire_mensuel,
    marche.salaire_median as salaire_marche,
    recrutements.salaire_mensuel / nullif(marche.salaire_median, 0) - 1 as ecart_salaire_marche,
    recrutements.experience_requise_mois,
    marche.experience_mediane_mois as experience_marche_mois,
    recrutements.diplome_requis,
    marche.diplome_median as diplome_marche,
    recrutements.longueur_description,
    marche.longueur_description_mediane as longueur_description_marche,
    recrutements.nb_competences,
    marche.nb_competences_median as nb_competences_marche,
    recrutements.nb_canaux
from int.recrutements as recrutements
left join marche
    on
        recrutements.rome_code_parent = marche.code
        and recrutements.departement = marche.code_territoire
        and cast(year(recrutements.date_ouverture) as varchar) = marche.periode
