-- prep.rome_fap: ROME v3 codes -> FAP-2009 families, the DARES mapping of its 2019 tension
-- indicators (fap225_rome.csv); many to many. The FAP-2021 family of an offer depends on
-- its qualification too: see prep.rome_qualif_fap.
create or replace table prep.rome_fap as
select distinct
    'fap2009' as nomenclature,
    rome_code as code_rome_parent,
    fap as code_fap
from brut.dares_fap_rome
where rome_code is not null
