-- int.marche_duncan: geographic mismatch of a département or region cell, the Duncan
-- dissimilarity index over its BMO basins: 0.5 x sum over basins of |share of the cell's
-- vacancies - share of its category-A jobseekers|.
create or replace table int.marche_duncan as
with

bassins_englobants as (
    select distinct
        bassin,
        'departement' as niveau_territoire,
        departement as code_territoire
    from prep.communes
    where bassin is not null
    union
    select distinct
        bassin,
        'region',
        region
    from prep.communes
    where bassin is not null
),

offres as (
    select
        opc.niveau_code,
        opc.code,
        englobant.niveau_territoire,
        englobant.code_territoire,
        opc.type_periode,
        opc.periode,
        opc.code_territoire as bassin,
        opc.offres
    from int.marche_offres as opc
    inner join bassins_englobants as englobant on opc.code_territoire = englobant.bassin
    where opc.niveau_territoire = 'bassin'
),

demandeurs as (
    select
        dpc.niveau_code,
        dpc.code,
        englobant.niveau_territoire,
        englobant.code_territoire,
        dpc.type_periode,
        dpc.periode,
        dpc.code_territoire as bassin,
        dpc.demandeurs_a as demandeurs
    from int.marche_demandeurs as dpc
    inner join bassins_englobants as englobant on dpc.code_territoire = englobant.bassin
    where dpc.niveau_territoire = 'bassin'
),

repartition as (
    -- vacancies and category-A jobseekers of each basin, within each département or region
    select
        coalesce(o.niveau_code, d.niveau_code) as niveau_code,
        coalesce(o.code, d.code) as code,
        coalesce(o.niveau_territoire, d.niveau_territoire) as niveau_territoire,
        coalesce(o.code_territoire, d.code_territoire) as code_territoire,
        coalesce(o.type_periode, d.type_periode) as type_periode,
        coalesce(o.periode, d.periode) as periode,
        coalesce(o.offres, 0) as offres,
        coalesce(d.demandeurs, 0) as demandeurs
    from offres as o
    full outer join demandeurs as d
        on
            o.niveau_code = d.niveau_code and o.code = d.code
            and o.niveau_territoire = d.niveau_territoire and o.code_territoire = d.code_territoire
            and o.type_periode = d.type_periode and o.periode = d.periode and o.bassin = d.bassin
),

parts as (
    select
        *,
        offres / nullif(sum(offres) over cellule, 0) as part_offres,
        -- mean stocks have decimals: summed exactly, so in no particular order
        demandeurs / nullif(cast(sum(cast(demandeurs as decimal(38, 10))) over cellule as double), 0)
            as part_demandeurs
    from repartition
    window cellule as (
        partition by niveau_code, code, niveau_territoire, code_territoire, type_periode, periode
    )
)

select
    niveau_code,
    code,
    niveau_territoire,
    code_territoire,
    type_periode,
    periode,
    -- summed in sorted order: the same last digit at every build
    0.5 * list_sum(list_sort(list(abs(part_offres - part_demandeurs)))) as indice_duncan
from parts
group by all
