-- prep.rome_mobilites: the ROME 4.0 mobility paths (« passerelles »), one row per source
-- code -> target code with its rank in the source's ordered list (1 = closest), and both
-- codes' v3 parents. A path repeated in the file keeps its best rank; a path from a code
-- to itself, or naming a code absent from the referential, is left out (it leads nowhere).
create or replace table prep.rome_mobilites as
with

chemins as (
    select
        upper(trim(code_rome)) as code_rome_source,
        upper(trim(code_rome_cible)) as code_rome_cible,
        min(numero_ordre) as rang
    from brut.rome_mobilites
    group by all
)

select
    chemins.code_rome_source,
    source.code_rome_parent as code_rome_parent_source,
    chemins.code_rome_cible,
    cible.code_rome_parent as code_rome_parent_cible,
    chemins.rang
from chemins
inner join prep.rome as source on chemins.code_rome_source = source.code_rome
inner join prep.rome as cible on chemins.code_rome_cible = cible.code_rome
where chemins.code_rome_source <> chemins.code_rome_cible
