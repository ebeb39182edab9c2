-- The name of one territory.
select libelle
from "analyse".territoires
where niveau_territoire = $niveau and code_territoire = $territoire
