-- prep.offres_competences: the skills each France Travail offer lists, as loaded (code of
-- the ROME skill when given, label, requirement 'E' required / 'S' wished), in its order.
create or replace table prep.offres_competences as
select
    offre_id,
    rang,
    code,
    libelle,
    exigence
from brut.offres_ft_competences
