-- prep.calendrier: each month with the three periods it belongs to (month, quarter,
-- year) and the period just before each, so that every indicator aggregates months and
-- compares periods the same way.
create or replace table prep.calendrier as
with

mois as (
    select cast(range as date) as mois
    from range(date '2000-01-01', date '2041-01-01', interval 1 month)
)

select
    mois.mois,
    periodes.type_periode,
    periodes.periode,
    periodes.debut,
    periodes.fin,
    periodes.periode_precedente
from mois
cross join lateral (
    select
        'mois' as type_periode,
        strftime(mois.mois, '%Y-%m') as periode,
        mois.mois as debut,
        cast(mois.mois + interval 1 month - interval 1 day as date) as fin,
        strftime(mois.mois - interval 1 month, '%Y-%m') as periode_precedente
    union all
    select
        'trimestre',
        strftime(mois.mois, '%Y') || '-T' || quarter(mois.mois),
        cast(date_trunc('quarter', mois.mois) as date),
        cast(date_trunc('quarter', mois.mois) + interval 3 month - interval 1 day as date),
        strftime(mois.mois - interval 3 month, '%Y') || '-T' || quarter(mois.mois - interval 3 month)
    union all
    select
        'annee',
        strftime(mois.mois, '%Y'),
        cast(date_trunc('year', mois.mois) as date),
        cast(date_trunc('year', mois.mois) + interval 1 year - interval 1 day as date),
        strftime(mois.mois - interval 1 year, '%Y')
) as periodes
