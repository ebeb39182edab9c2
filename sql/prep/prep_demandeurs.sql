-- prep.demandeurs: jobseekers by ROME v3 x territory x month or quarter x category
-- (A, ABC), from the documented CSV. Statistics are read as ROME v3 families: a row given
-- for a 4.0 code counts in its parent. A masked cell stays NULL.
create or replace table prep.demandeurs as
with

stat as (
    select
        coalesce(rome.code_rome_parent, stat.code_rome) as code_rome_parent,
        case stat.type_territoire
            when 'COMMUNE' then 'commune'
            when 'BASSIN' then 'bassin'
            when 'DEP' then 'departement'
            when 'REG' then 'region'
        end as niveau_territoire,
        stat.code_territoire,
        case stat.type_periode when 'MOIS' then 'mois' else 'trimestre' end as granularite,
        stat.date_debut,
        stat.categorie,
        stat.demandeurs,
        stat.entrees,
        stat.sorties
    from brut.demandeurs_stat as stat
    left join prep.rome as rome on stat.code_rome = rome.code_rome
)

select
    code_rome_parent,
    niveau_territoire,
    code_territoire,
    granularite,
    date_debut,
    categorie,
    sum(demandeurs) as demandeurs,
    sum(entrees) as entrees,
    sum(sorties) as sorties
from stat
group by all
