-- prep.rome_qualif_fap: DARES's official passage ROME v3 code x qualification level ->
-- FAP-2021 (detailed FAP341 family), with the FAP228 family it belongs to: the « Code
-- métier BMO » of the BMO survey. qualification is France Travail's qualificationCode
-- ("1" manœuvre .. "9" cadre); "0" is the passage's own row for an unknown qualification,
-- the one an offer without qualificationCode takes. Example: I1304 at 7-8 -> G1X72a ->
-- G1X72; at 0-6 -> G0A40b -> G0A40; at 9 -> H1X92.
create or replace table prep.rome_qualif_fap as
with

passage as (
    select
        code_rome as code_rome_parent,
        qualification,
        code_fap341
    from brut.rome_qualif_fap2021
),

nomenclature as (
    select
        code_fap341,
        code_fap228,
        intitule_fap228
    from brut.fap2021
)

select
    passage.code_rome_parent,
    passage.qualification,
    passage.code_fap341,
    -- a FAP341 code is its FAP228 code, plus a letter when the family is split
    coalesce(nomenclature.code_fap228, left(passage.code_fap341, 5)) as code_fap228,
    nomenclature.intitule_fap228 as libelle_fap228
from passage
left join nomenclature on passage.code_fap341 = nomenclature.code_fap341
