-- The pilot companies' requirements that the market rarely asks (dashboard).
select
    entreprise,
    rome_code_parent as metier,
    categorie,
    element,
    part_recrutements,
    part_marche,
    part_vivier
from "analyse".exigences_entreprise
where rare_sur_le_marche
order by entreprise, metier, categorie, element
