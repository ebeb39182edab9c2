-- The thresholds the transformation used, that the pages print next to a diagnosis.
select
    section,
    cle,
    valeur
from "analyse".seuils
order by section, cle
