-- int.offres_competences: offer x skill, for every France Travail offer (each posting,
-- not only the first of its vacancy): the one identification of a skill. competence_code
-- is the ROME skill code, else the lower-case label (« GMAO » and « gmao » are one);
-- libelle_comparable is the label as compared with the free text of company requisitions
-- (lower case, no accents, trimmed).
create or replace table int.offres_competences as
select
    offre_id,
    rang,
    coalesce(code, lower(libelle)) as competence_code,
    libelle as competence_libelle,
    lower(strip_accents(trim(libelle))) as libelle_comparable,
    exigence
from prep.offres_competences
