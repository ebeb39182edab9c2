-- Applications at each stage of the funnel per pilot company x v3 occupation x period
-- (whole period: 'tous'), rebuilt from the applications and stage-to-stage rates of
-- "analyse".process_entreprise (counts add up over roles, rates do not), then over all
-- roles of a company (metier = 'tous'; sums in role order). Roles first, in the dashboard's process order.
with

roles as (
    select
        entreprise,
        rome_code_parent as metier,
        if(type_periode = 'ensemble', 'tous', periode) as periode,
        periode as periode_source,
        candidatures,
        candidatures * coalesce(taux_preselection, 0) as preselectionnees,
        preselectionnees * coalesce(taux_entretien, 0) as entretiens,
        entretiens * coalesce(taux_proposition, 0) as propositions,
        propositions * coalesce(taux_acceptation, 0) as embauches
    from "analyse".process_entreprise
),

tous as (
    select
        entreprise,
        'tous' as metier,
        periode,
        sum(candidatures) as candidatures,
        sum(preselectionnees order by metier, periode_source) as preselectionnees,
        sum(entretiens order by metier, periode_source) as entretiens,
        sum(propositions order by metier, periode_source) as propositions,
        sum(embauches order by metier, periode_source) as embauches
    from roles
    group by entreprise, periode
),

lignes as (
    select
        1 as partie,
        entreprise,
        metier,
        periode,
        periode_source,
        candidatures,
        preselectionnees,
        entretiens,
        propositions,
        embauches
    from roles
    union all
    select
        2 as partie,
        entreprise,
        metier,
        periode,
        periode as periode_source,
        candidatures,
        preselectionnees,
        entretiens,
        propositions,
        embauches
    from tous
)

select
    entreprise,
    metier,
    periode,
    candidatures,
    preselectionnees,
    entretiens,
    propositions,
    embauches
from lignes
order by partie, entreprise, metier, periode_source
