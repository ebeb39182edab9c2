-- prep.rome_fap: ROME v3 codes -> FAP families, the DARES FAP-2009 mapping (for the
-- official tension scores) and the FAP-2021 one (for the BMO survey). Many to many.
create or replace table prep.rome_fap as
select distinct
    'fap2009' as nomenclature,
    rome_code as code_rome_parent,
    fap as code_fap
from brut.dares_fap_rome
where rome_code is not null

union all

select distinct
    'fap2021' as nomenclature,
    code_rome as code_rome_parent,
    code_fap2021 as code_fap
from brut.rome_fap2021
