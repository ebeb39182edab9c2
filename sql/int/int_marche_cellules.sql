-- int.marche_cellules: the cells of the market, occupation x territory x period, that have
-- vacancies or jobseeker statistics (or both): the rows of "analyse".tension_marche.
create or replace table int.marche_cellules as
select
    niveau_code,
    code,
    niveau_territoire,
    code_territoire,
    type_periode,
    periode,
    debut
from int.marche_offres
union
select
    niveau_code,
    code,
    niveau_territoire,
    code_territoire,
    type_periode,
    periode,
    debut
from int.marche_demandeurs
