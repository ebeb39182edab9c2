-- The v3 ROME codes and their labels.
select
    code,
    libelle
from "analyse".metiers
where niveau_code = 'rome3'
