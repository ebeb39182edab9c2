-- Every official figure loaded (DARES scores, BMO projects), per occupation x territory.
select
    source,
    code,
    libelle,
    niveau_territoire || ':' || code_territoire as territoire,
    annee,
    score_dares,
    niveau_dares,
    projets_bmo,
    projets_difficiles_bmo,
    part_difficile_bmo
from "analyse".indicateurs_officiels
order by source, territoire, code
