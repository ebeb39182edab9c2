-- Every pilot company's process indicators per v3 occupation x period (dashboard).
select
    entreprise,
    rome_code_parent as metier,
    type_periode,
    periode,
    recrutements,
    candidatures,
    taux_preselection,
    taux_entretien,
    taux_proposition,
    taux_acceptation,
    delai_preselection_median_jours,
    delai_entretien_median_jours,
    delai_proposition_median_jours,
    delai_embauche_median_jours,
    part_salaire_affiche,
    part_salaire_affiche_marche,
    ecart_salaire_marche,
    longueur_description_mediane,
    longueur_description_marche
from "analyse".process_entreprise
order by entreprise, metier, periode
