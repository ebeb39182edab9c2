-- "analyse".metiers: the label of each occupation code that the dashboard and the reports
-- show, so that rendering never reads the referentials: v3 ROME families (rome3) and
-- FAP-2009 families (fap2009). A FAP family takes the DARES label when the DARES median
-- salary file is loaded (« Techniciens et agents de maîtrise de la maintenance et de
-- l'environnement (G1Z70) »), else its code and the v3 families it covers; codes_rome3
-- lists them (to filter by occupation).
create or replace table "analyse".metiers as
with

rome3 as (
    select distinct
        code_rome_parent as code,
        libelle_parent as libelle
    from prep.rome
),

fap2009 as (
    select
        rome_fap.code_fap as code,
        list_sort(list_distinct(list(rome_fap.code_rome_parent))) as codes_rome3,
        string_agg(distinct rome3.libelle, ' ; ' order by rome3.libelle) as libelles
    from prep.rome_fap as rome_fap
    left join rome3 on rome_fap.code_rome_parent = rome3.code
    where rome_fap.nomenclature = 'fap2009'
    group by rome_fap.code_fap
)

select
    'rome3' as niveau_code,
    code,
    libelle,
    [code] as codes_rome3
from rome3
union all
select
    'fap2009' as niveau_code,
    fap2009.code,
    coalesce(
        libelles_fap.libelle || ' (' || fap2009.code || ')',
        fap2009.code || ' (' || coalesce(fap2009.libelles, 'aucun métier ROME chargé') || ')'
    ) as libelle,
    fap2009.codes_rome3
from fap2009
left join prep.libelles_fap as libelles_fap on fap2009.code = libelles_fap.code
