-- One company's diagnosis per v3 occupation over the whole period, its main roles first.
select
    rome_code_parent as metier,
    cause,
    sous_cause,
    difficulte,
    recrutements,
    delai_pourvoi_median_jours,
    taux_abandon
from "analyse".diagnostic
where entreprise = $entreprise and type_periode = 'ensemble'
order by recrutements desc, metier asc
