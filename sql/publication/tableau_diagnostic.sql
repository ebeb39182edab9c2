-- The diagnosis of every pilot company x v3 occupation x period (dashboard).
select
    entreprise,
    rome_code_parent as metier,
    type_periode,
    periode,
    cause,
    sous_cause,
    recrutements,
    delai_pourvoi_median_jours,
    taux_abandon,
    entrees_a_par_offre_marche
from "analyse".diagnostic
order by entreprise, metier, periode
