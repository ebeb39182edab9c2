-- Where each pilot company recruits each v3 occupation (département and region, named as
-- in the page's territory filter).
select distinct
    entreprise,
    rome_code_parent as metier,
    'departement:' || departement as departement,
    'region:' || region as region
from "analyse".offres_entreprise
