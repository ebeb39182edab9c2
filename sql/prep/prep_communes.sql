-- prep.communes: one row per INSEE commune with its département, region, BMO basin and
-- coordinates (the territory levels of every indicator, and distances for the pool).
create or replace table prep.communes as
with

communes as (
    -- several rows per commune (one per postcode, and merged former communes):
    -- the commune's own row first
    select
        insee_com,
        arg_min(commune, case when commune_type = 'COM' then 0 else 1 end) as nom,
        arg_min(insee_dep, case when commune_type = 'COM' then 0 else 1 end) as departement,
        arg_min(insee_reg, case when commune_type = 'COM' then 0 else 1 end) as region,
        arg_min(lat, case when commune_type = 'COM' and lat is not null then 0 else 1 end) as latitude,
        arg_min(lng, case when commune_type = 'COM' and lng is not null then 0 else 1 end) as longitude,
        max(case when commune_type = 'COM' then population_2021 end) as population
    from brut.communes
    group by insee_com
),

bassins as (
    select
        code_commune_insee,
        code_bassin,
        lib_bassin
    from brut.bassins_bmo
)

select
    communes.insee_com,
    communes.nom,
    communes.departement,
    communes.region,
    bassins.code_bassin as bassin,
    bassins.lib_bassin as bassin_libelle,
    communes.latitude,
    communes.longitude,
    communes.population
from communes
left join bassins on communes.insee_com = bassins.code_commune_insee
