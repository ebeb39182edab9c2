-- prep.rome: every ROME 4.0 code with its label, its parent v3 code and the parent's label.
create or replace table prep.rome as
with

codes as (
    select
        code_rome,
        libelle_rome,
        coalesce(code_rome_parent, code_rome) as code_rome_parent
    from brut.rome_codes
)

select
    codes.code_rome,
    codes.libelle_rome,
    codes.code_rome_parent,
    coalesce(parents.libelle_rome, codes.libelle_rome) as libelle_parent
from codes
left join codes as parents on codes.code_rome_parent = parents.code_rome
