-- The difficulty-factor model's scenarios for one company's roles (learning stage).
select * exclude (entreprise)
from ml.simulations_entreprise
where entreprise = $entreprise
order by rome_code_parent, scenario
