-- One company's applications and hires per sourcing channel, all roles together.
select
    canal,
    sum(candidatures) as candidatures,
    sum(embauches) as embauches
from "analyse".process_canaux
where entreprise = $entreprise
group by canal
order by candidatures desc, canal asc
