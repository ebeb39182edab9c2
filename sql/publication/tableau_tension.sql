-- Market tension of each v3 occupation x territory, for one kind of period
-- ($type_periode: mois, trimestre or annee), in time order (dashboard).
select
    code as metier,
    niveau_territoire || ':' || code_territoire as territoire,
    niveau_territoire,
    periode,
    debut,
    offres,
    entrees_a,
    demandeurs_a,
    score_tension,
    niveau_tension
from "analyse".tension_marche
where niveau_code = 'rome3' and type_periode = $type_periode
order by debut
