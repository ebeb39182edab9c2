-- "analyse".diagnostic: the cause of each pilot company's hiring difficulty per v3
-- occupation x period, decided from the rules of "analyse".diagnostic_preuves in the
-- study's order. A cause is only given where there is a difficulty (median time to fill
-- or share of abandoned requisitions past its threshold, rules of famille 'difficulte'):
--   non_mesurable     no requisition closed yet: neither rule has a value;
--   pas_de_difficulte both measured values within the thresholds: no cause, whatever
--                     the other rules say (they stay in diagnostic_preuves as signals);
-- then, for a difficulty:
--   penurie        the market has few jobseekers per offer;
--   process        requirements above the market (analyse_besoin), whatever the pool;
--   qualification  a large pool on paper but a small qualified pool within reach;
--   process        offer content, sourcing or procedure falls short of the market or the
--                  peers (the strongest is the main sub-cause), or the company is slow
--                  with no identified reason ('indeterminee').
create or replace table "analyse".diagnostic as
with

familles as (
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        famille,
        bool_or(declenchee) as declenchee,
        bool_or(valeur is not null) as mesuree,
        max(force) filter (where declenchee) as force
    from "analyse".diagnostic_preuves
    group by all
),

par_ligne as (
    select
        entreprise,
        rome_code_parent,
        type_periode,
        periode,
        coalesce(bool_or(declenchee) filter (where famille = 'penurie'), false) as penurie,
        coalesce(bool_or(declenchee) filter (where famille = 'difficulte'), false) as difficulte,
        coalesce(bool_or(mesuree) filter (where famille = 'difficulte'), false) as mesuree,
        coalesce(bool_or(declenchee) filter (where famille = 'analyse_besoin'), false) as besoin,
        coalesce(bool_or(declenchee) filter (where famille = 'qualification'), false) as qualification,
        list(famille order by force desc, famille asc) filter (
            where declenchee and famille in ('analyse_besoin', 'contenu_offre', 'sourcing', 'procedure')
        ) as sous_causes
    from familles
    group by all
),

decision as (
    select
        *,
        case
            when not mesuree then 'non_mesurable'
            when not difficulte then 'pas_de_difficulte'
            when penurie then 'penurie'
            when besoin then 'process'
            when qualification then 'qualification'
            else 'process'
        end as cause
    from par_ligne
)

select
    decision.entreprise,
    decision.rome_code_parent,
    decision.type_periode,
    decision.periode,
    decision.cause,
    case
        when decision.cause <> 'process' then null
        when decision.besoin then 'analyse_besoin'
        else coalesce(decision.sous_causes[1], 'indeterminee')
    end as sous_cause,
    case when decision.cause = 'process' then coalesce(decision.sous_causes, []) else [] end as sous_causes,
    decision.difficulte,
    process.recrutements,
    process.delai_pourvoi_median_jours,
    process.taux_abandon,
    process.demandeurs_par_offre_marche,
    process.entrees_a_par_offre_marche
from decision
inner join "analyse".process_entreprise as process
    on
        decision.entreprise = process.entreprise
        and decision.rome_code_parent = process.rome_code_parent
        and decision.type_periode = process.type_periode
        and decision.periode = process.periode
