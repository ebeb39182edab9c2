-- What each source loaded, and how fresh it is (dashboard's data quality section).
select * exclude (premier_chargement)
from "analyse".sources
order by source
