-- The period each data source covers (the referentials have none).
select
    source,
    donnees_depuis,
    donnees_jusqu_au
from "analyse".sources
where source not in ('rome', 'communes', 'fap2021')
order by source
