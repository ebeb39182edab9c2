-- prep.dares_tensions: DARES's published tension indicators (tensions.csv) per FAP family
-- level, territory level and year, as loaded: the file is already the published figure.
create or replace table prep.dares_tensions as
select
    annee,
    niveau_fap,
    niveau_geo,
    code_territoire,
    fap,
    emploi_moyen,
    tension,
    categorie_tension,
    intensite_embauches,
    lien_formation_emploi,
    manque_main_oeuvre,
    non_durabilite,
    conditions_travail,
    inadequation_geographique
from brut.dares_tensions
