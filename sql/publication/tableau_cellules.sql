-- Each v3 occupation x territory's latest year, with what its score is made of (the
-- official figures panel of the dashboard).
select
    code as metier,
    niveau_territoire || ':' || code_territoire as territoire,
    periode,
    offres,
    demandeurs_a,
    projets_bmo,
    part_difficile_bmo,
    score_tension,
    niveau_tension,
    composantes
from "analyse".tension_marche
where niveau_code = 'rome3' and type_periode = 'annee'
qualify periode = max(periode) over (partition by code, niveau_territoire, code_territoire)
order by territoire asc, offres desc, metier asc
