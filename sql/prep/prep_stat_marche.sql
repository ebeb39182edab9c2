-- prep.stat_marche: France Travail's "Marché du travail" statistics (indicator x territory
-- x activity x period), as loaded.
create or replace table prep.stat_marche as
select
    code_indicateur,
    lib_indicateur,
    type_territoire,
    code_territoire,
    lib_territoire,
    type_activite,
    code_activite,
    lib_activite,
    code_nomenclature,
    lib_nomenclature,
    type_periode,
    code_periode,
    lib_periode,
    valeur_nombre,
    valeur_taux,
    valeur_rang,
    valeur_montant,
    valeur_decimale,
    date_maj
from brut.stat_marche
