-- Offers of each source and site that relay another site's offer (dashboard).
select
    source,
    site,
    offres,
    relais,
    part_relais
from "analyse".relais_sites
where source <> 'toutes'
order by source asc, site = 'tous' desc, offres desc, site asc
