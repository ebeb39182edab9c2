-- One company's funnel over all its roles and the whole period: applications at each
-- stage, rebuilt per role from its applications and stage-to-stage rates (counts add up
-- over roles, rates do not), summed in the report's role order.
with

roles as (
    select
        recrutements,
        rome_code_parent,
        candidatures,
        candidatures * coalesce(taux_preselection, 0) as preselectionnees,
        preselectionnees * coalesce(taux_entretien, 0) as entretiens,
        entretiens * coalesce(taux_proposition, 0) as propositions,
        propositions * coalesce(taux_acceptation, 0) as embauches
    from "analyse".process_entreprise
    where entreprise = $entreprise and type_periode = 'ensemble'
)

select
    sum(candidatures) as candidatures,
    sum(preselectionnees order by recrutements desc, rome_code_parent asc) as preselectionnees,
    sum(entretiens order by recrutements desc, rome_code_parent asc) as entretiens,
    sum(propositions order by recrutements desc, rome_code_parent asc) as propositions,
    sum(embauches order by recrutements desc, rome_code_parent asc) as embauches
from roles
