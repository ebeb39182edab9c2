-- "analyse".sources: for each input source, what was loaded and how fresh it is: files,
-- rows read, loaded and quarantined (from the last load attempt of each file: loading a
-- file again replaces its rejects), first and last load, and the span of dates its data
-- cover (offers created, months of jobseeker statistics, survey years...). Referentials
-- (rome, communes) have no data dates.
create or replace table "analyse".sources as
with

essais as (
    select
        source,
        sha256,
        min(charge_le) as premier_essai,
        max(charge_le) as charge_le,
        arg_max(lignes_lues, charge_le) as lignes_lues,
        arg_max(lignes_rejetees, charge_le) as lignes_rejetees
    from controle.chargements
    group by source, sha256
),

chargements as (
    select
        source,
        count(*) as fichiers,
        cast(sum(lignes_lues) as bigint) as lignes_lues,
        cast(sum(lignes_rejetees) as bigint) as lignes_en_quarantaine,
        min(premier_essai) as premier_chargement,
        max(charge_le) as dernier_chargement
    from essais
    group by source
),

periodes as (
    select
        'offres-ft' as source,
        cast(min(date_creation) as date) as donnees_depuis,
        cast(max(date_creation) as date) as donnees_jusqu_au
    from int.offres
    where source = 'france-travail'
    union all
    select
        'offres-fichier' as source,
        cast(min(date_creation) as date) as donnees_depuis,
        cast(max(date_creation) as date) as donnees_jusqu_au
    from int.offres
    where source <> 'france-travail'
    union all
    select
        'demandeurs' as source,
        min(date_debut) as donnees_depuis,
        last_day(max(date_debut)) as donnees_jusqu_au
    from prep.demandeurs
    union all
    select
        'profils' as source,
        min(mois) as donnees_depuis,
        last_day(max(mois)) as donnees_jusqu_au
    from prep.profils
    union all
    select
        'bmo' as source,
        make_date(min(annee), 1, 1) as donnees_depuis,
        make_date(max(annee), 12, 31) as donnees_jusqu_au
    from prep.bmo
    union all
    select
        'dares' as source,
        make_date(min(annee), 1, 1) as donnees_depuis,
        make_date(max(annee), 12, 31) as donnees_jusqu_au
    from prep.dares_tensions
    union all
    select
        'entreprise' as source,
        min(date_ouverture) as donnees_depuis,
        max(greatest(date_ouverture, coalesce(date_cloture, date_ouverture))) as donnees_jusqu_au
    from int.recrutements
)

select
    chargements.source,
    chargements.fichiers,
    chargements.lignes_lues,
    chargements.lignes_lues - chargements.lignes_en_quarantaine as lignes_chargees,
    chargements.lignes_en_quarantaine,
    chargements.premier_chargement,
    chargements.dernier_chargement,
    periodes.donnees_depuis,
    periodes.donnees_jusqu_au
from chargements
left join periodes on chargements.source = periodes.source
