-- prep.rome_appellations: the job titles of the ROME referential, each with its code (what
-- the ROME classifier learns from, beside the codes' labels of prep.rome).
create or replace table prep.rome_appellations as
select
    code_ogr,
    code_rome,
    libelle_appellation_long,
    libelle_appellation_court
from brut.rome_appellations
