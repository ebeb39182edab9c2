-- This run's key figures, one row (kept in chiffres-cles.json, that the next run compares
-- with): offers and distinct postings loaded, v3 occupation x département cells in high
-- tension (level 4 or 5) in the latest year, pilot companies, requisitions and
-- applications followed, roles whose difficulty comes from the process, quarantined rows.
with

chargees as (
    select
        coalesce(sum(offres), 0) as offres,
        coalesce(sum(annonces_distinctes), 0) as annonces
    from "analyse".couverture_offres
    where source = 'toutes'
),

cellules as (
    select
        periode,
        niveau_tension
    from "analyse".tension_marche
    where niveau_code = 'rome3' and type_periode = 'annee' and niveau_territoire = 'departement'
),

derniere as (
    select max(periode) as annee
    from cellules
),

tension as (
    select count(*) filter (where cellules.niveau_tension >= 4) as tension_forte
    from cellules
    inner join derniere on cellules.periode = derniere.annee
),

pilotes as (
    select
        count(distinct entreprise) as entreprises,
        coalesce(sum(recrutements) filter (where type_periode = 'ensemble'), 0) as recrutements,
        coalesce(sum(candidatures) filter (where type_periode = 'ensemble'), 0) as candidatures
    from "analyse".process_entreprise
),

diagnostics as (
    select count(*) filter (where cause = 'process') as process
    from "analyse".diagnostic
    where type_periode = 'ensemble'
),

quarantaine as (
    select coalesce(sum(lignes_en_quarantaine), 0) as quarantaine
    from "analyse".sources
)

select
    derniere.annee as derniere_annee,
    chargees.offres,
    chargees.annonces,
    tension.tension_forte,
    pilotes.entreprises,
    pilotes.recrutements,
    pilotes.candidatures,
    diagnostics.process,
    quarantaine.quarantaine
from derniere
cross join chargees
cross join tension
cross join pilotes
cross join diagnostics
cross join quarantaine
