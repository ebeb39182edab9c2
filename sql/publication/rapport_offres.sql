-- One company's requisitions against the market, the latest first.
select
    reference,
    intitule,
    rome_code_parent as metier,
    date_ouverture,
    statut,
    delai_pourvoi_jours,
    salaire_mensuel,
    salaire_marche,
    experience_requise_mois,
    experience_marche_mois,
    longueur_description,
    longueur_description_marche
from "analyse".offres_entreprise
where entreprise = $entreprise
order by date_ouverture desc, reference asc
