-- prep.offres_partenaires: the partner boards a France Travail offer was relayed from
-- (empty for an offer posted on France Travail itself), as loaded.
create or replace table prep.offres_partenaires as
select
    offre_id,
    partenaires
from brut.offres_ft
