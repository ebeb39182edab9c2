-- prep.recrutements: each pilot company's requisitions with the ROME code the company
-- gave (if any), the site's territory, the time to fill and the features the diagnosis
-- compares with the market. No model output: int.recrutements adds predicted codes.
create or replace table prep.recrutements as
with

fin_des_donnees as (
    -- "today" for requisitions still open: the last date the records mention
    select max(greatest(date_ouverture, coalesce(date_cloture, date_ouverture))) as jour
    from brut.recrutements
)

select
    recrutements.entreprise,
    recrutements.reference,
    recrutements.intitule,
    recrutements.code_rome as rome_code,
    coalesce(rome.code_rome_parent, recrutements.code_rome) as rome_code_parent,
    recrutements.commune_site,
    communes.departement,
    communes.region,
    communes.bassin,
    communes.latitude,
    communes.longitude,
    recrutements.date_ouverture,
    recrutements.date_cloture,
    recrutements.statut,
    case
        when recrutements.statut = 'pourvu'
            then date_diff('day', recrutements.date_ouverture, recrutements.date_cloture)
    end as delai_pourvoi_jours,
    date_diff(
        'day', recrutements.date_ouverture,
        coalesce(recrutements.date_cloture, fin_des_donnees.jour)
    ) as duree_jours,
    coalesce(recrutements.nombre_postes, 1) as nombre_postes,
    recrutements.type_contrat,
    recrutements.duree_contrat_mois,
    coalesce(recrutements.salaire_affiche, false) as salaire_affiche,
    recrutements.salaire_min_mensuel,
    recrutements.salaire_max_mensuel,
    (
        recrutements.salaire_min_mensuel
        + coalesce(recrutements.salaire_max_mensuel, recrutements.salaire_min_mensuel)) / 2
        as salaire_mensuel,
    recrutements.experience_requise_mois,
    recrutements.diplome_requis,
    coalesce(recrutements.canaux, []) as canaux,
    len(coalesce(recrutements.canaux, [])) as nb_canaux,
    length(recrutements.description) as longueur_description,
    coalesce(recrutements.competences, []) as competences,
    len(coalesce(recrutements.competences, [])) as nb_competences
from brut.recrutements as recrutements
cross join fin_des_donnees
left join prep.rome as rome on recrutements.code_rome = rome.code_rome
left join prep.communes as communes on recrutements.commune_site = communes.insee_com
