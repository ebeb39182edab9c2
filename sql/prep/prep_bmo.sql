-- prep.bmo: BMO hiring projects and the share judged difficult, per FAP-2021 occupation
-- x territory (basin, département, region) x survey year. A masked count ("*") is left
-- out of both sums, so the share is computed on the cells where both are known; when
-- none is known the share is NULL, never 0.
create or replace table prep.bmo as
with

cellules as (
    select
        annee,
        code_fap,
        libelle_fap,
        bassin,
        dept,
        reg,
        projets,
        projets_difficiles,
        projets is not null and projets_difficiles is not null as connue
    from brut.bmo
),

par_territoire as (
    select
        annee,
        code_fap,
        libelle_fap,
        'bassin' as niveau_territoire,
        bassin as code_territoire,
        projets,
        projets_difficiles,
        connue
    from cellules
    union all
    select
        annee,
        code_fap,
        libelle_fap,
        'departement',
        dept,
        projets,
        projets_difficiles,
        connue
    from cellules
    union all
    select
        annee,
        code_fap,
        libelle_fap,
        'region',
        reg,
        projets,
        projets_difficiles,
        connue
    from cellules
)

select
    annee,
    code_fap,
    any_value(libelle_fap) as libelle_fap,
    niveau_territoire,
    code_territoire,
    sum(projets) filter (where connue) as projets,
    sum(projets_difficiles) filter (where connue) as projets_difficiles,
    count(*) filter (where not connue) as cellules_masquees,
    sum(projets_difficiles) filter (where connue)
    / nullif(sum(projets) filter (where connue), 0) as part_difficile
from par_territoire
group by annee, code_fap, niveau_territoire, code_territoire
