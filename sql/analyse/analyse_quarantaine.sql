-- "analyse".quarantaine: rows in quarantine per source, field and reason, never their
-- contents: the values a reason quotes between « » are blanked, so that reasons group
-- and nothing of a rejected row (a name, an identifier) reaches the dashboard. Reasons
-- quote what they read only through flows.lecture.valeurs.cite (a value cannot close the
-- quotation early) and describe a header without quoting it (it may be a data row).
create or replace table "analyse".quarantaine as
with

rejets as (
    select
        source,
        sha256,
        struct_pack(fichier, ligne, chemin_json) as ligne_rejetee,
        champ,
        regexp_replace(motif, '«[^»]*»', '« … »', 'g') as motif,
        rejete_le
    from controle.rejets
)

select
    source,
    champ,
    motif,
    count(distinct ligne_rejetee) as lignes,
    count(distinct sha256) as fichiers,
    max(rejete_le) as dernier_rejet
from rejets
group by source, champ, motif
