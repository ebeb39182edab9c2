-- Applications and hires per sourcing channel of every pilot company x v3 occupation.
select
    entreprise,
    rome_code_parent as metier,
    canal,
    candidatures,
    embauches
from "analyse".process_canaux
order by entreprise asc, metier asc, candidatures desc, canal asc
