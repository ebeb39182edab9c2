-- Applications and hires per sourcing channel of every pilot company x v3 occupation,
-- then of every company over all its roles (metier = 'tous') (dashboard).
with

roles as (
    select
        entreprise,
        rome_code_parent as metier,
        canal,
        candidatures,
        embauches
    from "analyse".process_canaux
),

tous as (
    select
        entreprise,
        'tous' as metier,
        canal,
        cast(sum(candidatures) as bigint) as candidatures,
        cast(sum(embauches) as bigint) as embauches
    from roles
    group by entreprise, canal
),

lignes as (
    select
        1 as partie,
        entreprise,
        metier,
        canal,
        candidatures,
        embauches
    from roles
    union all
    select
        2 as partie,
        entreprise,
        metier,
        canal,
        candidatures,
        embauches
    from tous
)

select
    entreprise,
    metier,
    canal,
    candidatures,
    embauches
from lignes
order by
    partie asc,
    entreprise asc,
    metier asc,
    -- a company's channels over all its roles come by name, those of one role by applications
    if(partie = 1, candidatures, 0) desc,
    canal asc
