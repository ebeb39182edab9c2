-- "analyse".territoires: the label of each territory code (département, region, BMO
-- employment basin) and the region it lies in, so that a filter on a region also keeps
-- what lies in its départements. Labels use the names the sources give
-- (prep.noms_territoires): « Côte-d'Or (21) », « Bourgogne-Franche-Comté », « Bassin de
-- Dijon »; a code no loaded source names reads « Département 21 », « Région 27 »,
-- « Bassin 2715 ». A region shared by as many communes as another is chosen in
-- alphabetical order (mode() would pick either, and two runs would differ).
create or replace table "analyse".territoires as
with

communes as (
    select
        departement,
        region,
        bassin
    from prep.communes
    where departement is not null
),

-- the region of each département and basin: that of most of its communes
regions as (
    select
        niveau,
        code,
        region
    from (
        select
            'departement' as niveau,
            departement as code,
            region
        from communes
        union all
        select
            'bassin',
            bassin,
            region
        from communes
    ) as valeurs
    where code is not null and region is not null
    group by niveau, code, region
    qualify row_number() over (partition by niveau, code order by count(*) desc, region) = 1
),

codes as (
    select distinct
        'departement' as niveau_territoire,
        departement as code_territoire
    from communes
    union
    select distinct
        'region',
        region
    from communes
    where region is not null
    union
    select distinct
        'bassin',
        bassin
    from communes
    where bassin is not null
)

select
    codes.niveau_territoire,
    codes.code_territoire,
    case codes.niveau_territoire
        when 'departement'
            then coalesce(noms.nom || ' (' || codes.code_territoire || ')', 'Département ' || codes.code_territoire)
        when 'region' then coalesce(noms.nom, 'Région ' || codes.code_territoire)
        else case
            when noms.nom is null then 'Bassin ' || codes.code_territoire
            when noms.nom like 'Le %' then 'Bassin du ' || substr(noms.nom, 4)
            when noms.nom like 'Les %' then 'Bassin des ' || substr(noms.nom, 5)
            when regexp_matches(noms.nom, '^[AEIOUYÂÉÈÊÎÔ]') then 'Bassin d''' || noms.nom
            else 'Bassin de ' || noms.nom
        end
    end as libelle,
    case codes.niveau_territoire when 'region' then codes.code_territoire else regions.region end as region
from codes
left join prep.noms_territoires as noms
    on codes.niveau_territoire = noms.niveau_territoire and codes.code_territoire = noms.code_territoire
left join regions
    on codes.niveau_territoire = regions.niveau and codes.code_territoire = regions.code
