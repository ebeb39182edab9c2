-- The difficulty factors estimated by the learning stage (dashboard).
select *
from ml.facteurs_difficulte
order by all
