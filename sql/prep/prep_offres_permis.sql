-- prep.offres_permis: the driving licences each France Travail offer asks for, as loaded.
create or replace table prep.offres_permis as
select
    offre_id,
    rang,
    libelle,
    exigence
from brut.offres_ft_permis
