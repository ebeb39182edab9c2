-- Offers and new category-A jobseekers per month of each v3 occupation x territory, and
-- of all occupations together (metier = 'tous'; a sum of unknown entries stays unknown).
with

mois as (
    select
        code as metier,
        niveau_territoire || ':' || code_territoire as territoire,
        debut,
        offres,
        entrees_a
    from "analyse".tension_marche
    where niveau_code = 'rome3' and type_periode = 'mois'
),

tous as (
    select
        'tous' as metier,
        territoire,
        debut,
        cast(sum(offres) as bigint) as offres,
        sum(entrees_a) as entrees_a
    from mois
    group by territoire, debut
)

select
    metier,
    territoire,
    debut,
    offres,
    entrees_a
from mois
union all
select
    metier,
    territoire,
    debut,
    offres,
    entrees_a
from tous
order by metier, territoire, debut
