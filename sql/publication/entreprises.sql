-- The pilot companies, from their process indicators.
select distinct entreprise
from "analyse".process_entreprise
order by entreprise
