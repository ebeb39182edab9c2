-- "analyse".relais_sites: per source and site (the partner board that relayed a France
-- Travail offer, « dépôt direct » for its own offers; the board for the other sources),
-- the share of postings that relay another posting of the same vacancy. In a group of
-- postings of one vacancy (doublon_de, from the deduplication model), the first created
-- (then the smallest « source:offre_id ») is the original and each other one a relay.
-- Rows per site, per source (site 'tous') and for all (source 'toutes', site 'tous').
create or replace table "analyse".relais_sites as
with

offres as (
    select
        o.source,
        o.doublon_de,
        o.date_creation,
        o.source || ':' || o.offre_id as cle,
        case
            when o.source = 'france-travail' then coalesce(ft.partenaires[1], 'dépôt direct')
            else o.source
        end as site
    from int.offres as o
    left join prep.offres_partenaires as ft
        on o.source = 'france-travail' and o.offre_id = ft.offre_id
),

rangs as (
    select
        source,
        site,
        count(*) over (partition by doublon_de) as postes_annonce,
        row_number() over (
            partition by doublon_de order by date_creation asc nulls last, cle asc
        ) as rang
    from offres
)

select
    coalesce(source, 'toutes') as source,
    coalesce(site, 'tous') as site,
    count(*) as offres,
    count(*) filter (where postes_annonce > 1) as offres_en_grappe,
    count(*) filter (where rang > 1) as relais,
    round(count(*) filter (where rang > 1) / nullif(count(*), 0), 4) as part_relais
from rangs
group by grouping sets ((source, site), (source), ())
