-- Occupations of every nomenclature, with the v3 codes each groups (dashboard).
select
    niveau_code,
    code,
    libelle,
    codes_rome3
from "analyse".metiers
