-- The ten skills most asked per v3 occupation x territory x year, with their shares as
-- required (E), wished (S) and either (tous) (dashboard).
with

parts as (
    select
        code as metier,
        niveau_territoire || ':' || code_territoire as territoire,
        periode as annee,
        element_libelle,
        max(part) filter (where exigence = 'E') as part_e,
        max(part) filter (where exigence = 'S') as part_s,
        max(part) filter (where exigence = 'tous') as part_tous
    from "analyse".competences_demandees
    where niveau_code = 'rome3' and categorie = 'competence' and type_periode = 'annee'
    group by code, niveau_territoire, code_territoire, periode, element_libelle
)

select
    metier,
    territoire,
    annee,
    element_libelle,
    part_e,
    part_s,
    part_tous
from parts
qualify row_number() over (partition by metier, territoire, annee order by part_tous desc, element_libelle asc) <= 10
order by metier asc, territoire asc, annee asc, part_tous desc, element_libelle asc
