-- The latest year of skills in demand on one territory (NULL when it has none).
select max(periode) as annee
from "analyse".competences_demandees
where type_periode = 'annee' and niveau_territoire = $niveau and code_territoire = $territoire
