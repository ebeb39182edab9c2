-- "analyse".territoires: the label of each territory code (département, region, BMO
-- employment area) and the region it lies in, so that a filter on a region also keeps
-- what lies in its départements. No département name is loaded: « Département 21 ».
create or replace table "analyse".territoires as
with

communes as (
    select
        departement,
        region,
        bassin,
        bassin_libelle
    from prep.communes
    where departement is not null
)

select
    'departement' as niveau_territoire,
    departement as code_territoire,
    'Département ' || departement as libelle,
    mode(region) as region
from communes
group by departement
union all
select
    'region' as niveau_territoire,
    region as code_territoire,
    'Région ' || region as libelle,
    region
from communes
where region is not null
group by region
union all
select
    'bassin' as niveau_territoire,
    bassin as code_territoire,
    'Bassin ' || coalesce(mode(bassin_libelle), bassin) as libelle,
    mode(region) as region
from communes
where bassin is not null
group by bassin
