-- int.marche_demandeurs: the jobseeker side of the market per cell, occupation (ROME v3
-- families as given, FAP-2009 families as the sum of their v3 codes) x territory (BMO
-- basin, département, region) x period (month, quarter, year), from the monthly
-- statistics: mean category-A and ABC stocks over the months of the period, category-A
-- entries and ABC exits summed over them.
create or replace table int.marche_demandeurs as
with

demandeurs_rome as (
    select
        'rome3' as niveau_code,
        code_rome_parent as code,
        * exclude (code_rome_parent)
    from prep.demandeurs
    union all
    select
        'fap2009',
        rome_fap.code_fap,
        demandeurs.* exclude (code_rome_parent)
    from prep.demandeurs as demandeurs
    inner join prep.rome_fap as rome_fap
        on rome_fap.nomenclature = 'fap2009' and demandeurs.code_rome_parent = rome_fap.code_rome_parent
),

mensuels as (
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        date_debut as mois,
        sum(demandeurs) filter (where categorie = 'A') as stock_a,
        sum(demandeurs) filter (where categorie = 'ABC') as stock_abc,
        sum(entrees) filter (where categorie = 'A') as entrees_a,
        sum(sorties) filter (where categorie = 'ABC') as sorties_abc
    from demandeurs_rome
    where granularite = 'mois'
    group by all
)

select
    mensuels.niveau_code,
    mensuels.code,
    mensuels.niveau_territoire,
    mensuels.code_territoire,
    calendrier.type_periode,
    calendrier.periode,
    any_value(calendrier.debut) as debut,
    avg(mensuels.stock_a) as demandeurs_a,
    avg(mensuels.stock_abc) as demandeurs_abc,
    sum(mensuels.entrees_a) as entrees_a,
    sum(mensuels.sorties_abc) as sorties_abc
from mensuels
inner join prep.calendrier as calendrier on mensuels.mois = calendrier.mois
where mensuels.niveau_territoire in ('bassin', 'departement', 'region')
group by all
