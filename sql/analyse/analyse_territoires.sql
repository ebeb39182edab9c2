-- "analyse".territoires: the label of each territory code (département, region, BMO
-- employment area) and the region it lies in, so that a filter on a region also keeps
-- what lies in its départements. No département name is loaded: « Département 21 ».
-- A label or region shared by as many communes as another is chosen in alphabetical
-- order (mode() would pick either, and two runs would differ).
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
),

-- the most frequent value of each territory, ties broken by the value itself
plus_frequents as (
    select
        niveau,
        code,
        valeur
    from (
        select
            'region_departement' as niveau,
            departement as code,
            region as valeur
        from communes
        union all
        select
            'region_bassin',
            bassin,
            region
        from communes
        union all
        select
            'libelle_bassin',
            bassin,
            bassin_libelle
        from communes
    ) as valeurs
    where code is not null and valeur is not null
    group by niveau, code, valeur
    qualify row_number() over (partition by niveau, code order by count(*) desc, valeur) = 1
)

select
    'departement' as niveau_territoire,
    communes.departement as code_territoire,
    'Département ' || communes.departement as libelle,
    any_value(region.valeur) as region
from communes
left join plus_frequents as region
    on region.niveau = 'region_departement' and communes.departement = region.code
group by communes.departement
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
    communes.bassin as code_territoire,
    'Bassin ' || coalesce(any_value(libelle.valeur), communes.bassin) as libelle,
    any_value(region.valeur) as region
from communes
left join plus_frequents as libelle
    on libelle.niveau = 'libelle_bassin' and communes.bassin = libelle.code
left join plus_frequents as region
    on region.niveau = 'region_bassin' and communes.bassin = region.code
where communes.bassin is not null
group by communes.bassin
