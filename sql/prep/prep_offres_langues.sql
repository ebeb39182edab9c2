-- prep.offres_langues: the languages each France Travail offer asks for, as loaded.
create or replace table prep.offres_langues as
select
    offre_id,
    rang,
    libelle,
    exigence
from brut.offres_ft_langues
