-- prep.noms_territoires: the name of each département, region and BMO employment basin,
-- as the loaded sources spell it (the BMO survey names all three; the official basin
-- table names the basins; the « Marché du travail » API names those it was asked about). Basin names, written in capitals there, are put in the usual
-- case. A code with several spellings keeps the most frequent, ties broken by the name
-- itself (two runs give the same name).
create or replace table prep.noms_territoires as
with

noms as (
    select
        'departement' as niveau_territoire,
        dept as code_territoire,
        nom_dept as nom
    from brut.bmo
    union all
    select
        'region',
        reg,
        nom_reg
    from brut.bmo
    union all
    select
        'bassin',
        bassin,
        nom_propre(nom_bassin)
    from brut.bmo
    union all
    select
        'bassin',
        code_bassin,
        nom_propre(lib_bassin)
    from brut.bassins_bmo
    union all
    select distinct
        case type_territoire when 'DEP' then 'departement' when 'REG' then 'region' else 'bassin' end,
        code_territoire,
        case when type_territoire = 'BASSIN' then nom_propre(lib_territoire) else lib_territoire end
    from brut.stat_marche
    where type_territoire in ('DEP', 'REG', 'BASSIN')
)

select
    niveau_territoire,
    code_territoire,
    nom
from noms
where code_territoire is not null and nullif(trim(nom), '') is not null
group by niveau_territoire, code_territoire, nom
qualify row_number() over (partition by niveau_territoire, code_territoire order by count(*) desc, nom) = 1
