-- Outputs of the learning stage (flows/learning.py), read by the int models. They exist
-- empty from the start, so that int and analyse run before any model is trained: an
-- offer without a cluster is its own cluster, an offer without a code keeps none.
-- ml.facteurs_difficulte and ml.simulations_entreprise are written whole by
-- flows/ml/difficulte.py (ecrire) once the drivers are estimated; they stay absent before.
create schema if not exists ml;

-- Cross-source duplicates: every offer of one vacancy shares doublon_de.
create table if not exists ml.doublons (
    source varchar not null,
    offre_id varchar not null,
    doublon_de varchar not null,
    score double
);

-- ROME codes predicted for offers and requisitions that arrive without one (or with a
-- doubtful one). a_revoir: confidence below the configured threshold.
create table if not exists ml.predictions_rome (
    objet varchar not null,      -- 'offre' or 'recrutement'
    source varchar not null,     -- offer source, or the company for a requisition
    identifiant varchar not null,
    rome_code varchar,
    rome_code_parent varchar,
    confiance double,
    rome_code_2 varchar,
    rome_code_3 varchar,
    a_revoir boolean not null
);
