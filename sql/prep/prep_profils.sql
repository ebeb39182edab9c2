-- prep.profils: anonymised jobseeker profiles with their v3 family, coordinates and
-- qualifications (experience in months), for the qualified pool.
create or replace table prep.profils as
select
    profils.demandeur_hash,
    profils.mois,
    coalesce(rome.code_rome_parent, profils.code_rome) as rome_code_parent,
    profils.commune_insee,
    communes.departement,
    communes.region,
    communes.latitude,
    communes.longitude,
    profils.categorie,
    profils.niveau_diplome,
    profils.experience_annees * 12 as experience_mois,
    profils.permis_b,
    profils.rayon_mobilite_km
from brut.profils_demandeurs as profils
left join prep.rome as rome on profils.code_rome = rome.code_rome
left join prep.communes as communes on profils.commune_insee = communes.insee_com
