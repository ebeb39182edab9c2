-- "analyse".indicateurs_officiels: every official tension figure loaded, per occupation
-- family x territory, whether or not our own score can be computed there (it needs
-- offers or jobseekers in the territory; these figures do not):
--  - DARES (tensions.csv): the published score and its level 1-5 per FAP-2009 family
--    (fap 225) and département or region, latest year published;
--  - BMO survey: hiring projects, those judged difficult and their share per FAP-2021
--    family (« métier BMO ») and employment basin, département or region, latest survey
--    (cells masked by statistical secrecy left out, as in prep.bmo).
-- Like "analyse".comparaison_officielle, the DARES rows are read as loaded (prep stages
-- them unchanged): the file is already the published indicator.
create or replace table "analyse".indicateurs_officiels as
with

dares as (
    select
        fap as code,
        case niveau_geo when 'dep' then 'departement' else 'region' end as niveau_territoire,
        code_territoire,
        annee,
        tension as score_dares,
        categorie_tension as niveau_dares
    from prep.dares_tensions
    where niveau_fap = 'fap 225' and niveau_geo in ('dep', 'reg') and tension is not null
    qualify annee = max(annee) over (partition by fap, niveau_geo, code_territoire)
),

bmo as (
    select
        code_fap as code,
        libelle_fap as libelle,
        niveau_territoire,
        code_territoire,
        annee,
        projets,
        projets_difficiles,
        part_difficile,
        cellules_masquees
    from prep.bmo
    where projets is not null
    qualify annee = max(annee) over (partition by code_fap, niveau_territoire, code_territoire)
),

lignes as (
    select
        'dares' as source,
        'fap2009' as niveau_code,
        dares.code,
        coalesce(metiers.libelle, dares.code) as libelle,
        dares.niveau_territoire,
        dares.code_territoire,
        dares.annee,
        dares.score_dares,
        dares.niveau_dares,
        null::bigint as projets_bmo,
        null::bigint as projets_difficiles_bmo,
        null::double as part_difficile_bmo,
        null::bigint as cellules_masquees_bmo
    from dares
    left join "analyse".metiers as metiers on metiers.niveau_code = 'fap2009' and dares.code = metiers.code
    union all
    select
        'bmo',
        'fap2021',
        code,
        coalesce(libelle || ' (' || code || ')', code),
        niveau_territoire,
        code_territoire,
        annee,
        null,
        null,
        projets,
        projets_difficiles,
        part_difficile,
        cellules_masquees
    from bmo
)

select
    lignes.source,
    lignes.niveau_code,
    lignes.code,
    lignes.libelle,
    lignes.niveau_territoire,
    lignes.code_territoire,
    coalesce(territoires.libelle, lignes.code_territoire) as libelle_territoire,
    lignes.annee,
    lignes.score_dares,
    lignes.niveau_dares,
    lignes.projets_bmo,
    lignes.projets_difficiles_bmo,
    lignes.part_difficile_bmo,
    lignes.cellules_masquees_bmo
from lignes
left join "analyse".territoires as territoires
    on lignes.niveau_territoire = territoires.niveau_territoire and lignes.code_territoire = territoires.code_territoire
