-- How the offers of each source got their ROME code, the largest source first.
select *
from "analyse".couverture_offres
order by offres desc, source asc
