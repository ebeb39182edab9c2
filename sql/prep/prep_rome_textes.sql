-- prep.rome_textes: the sentences describing each ROME code (definition, access to the
-- job), in their order within each kind of text; the ROME classifier reads them.
create or replace table prep.rome_textes as
select
    code_rome,
    code_compo_bloc,
    libelle_type_texte,
    position_phrase,
    libelle_texte
from brut.rome_textes
