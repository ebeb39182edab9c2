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

-- State of the incremental deduplication (flows/ml/etapes.py, regrouper_doublons), written
-- with ml.doublons: the next run compares again only the new or changed offers with their
-- blocks. Per offer, in row order (ligne): the fingerprint of what the deduplication reads
-- of it and its day (days since 1970, the smallest bigint when unknown).
create table if not exists ml.doublons_offres (
    ligne bigint not null,
    source varchar not null,
    offre_id varchar not null,
    empreinte ubigint not null,
    jour bigint not null
);

-- The blocks of each offer (64-bit hash of a blocking key, or of a description anchor
-- within its département when ancre is true).
create table if not exists ml.doublons_blocs (
    ligne bigint not null,
    bloc ubigint not null,
    ancre boolean not null
);

-- The retained pairs (keys « source:offre_id ») with their score.
create table if not exists ml.doublons_paires (
    offre_1 varchar not null,
    offre_2 varchar not null,
    score double
);

-- The title weights (fingerprint of the vocabulary and weights) and the settings the
-- state was computed with: when either differs, the next run makes a full pass.
create table if not exists ml.doublons_etat (
    poids_titres varchar not null,
    reglages varchar not null,
    le timestamp not null
);
