-- prep.offres_formations: the training each France Travail offer asks for (diploma level,
-- training field), as loaded, in its order.
create or replace table prep.offres_formations as
select
    offre_id,
    rang,
    code_formation,
    domaine_libelle,
    niveau_libelle,
    exigence
from brut.offres_ft_formations
