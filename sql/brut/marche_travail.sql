-- Jobseeker and offer statistics by ROME code x territory x period.
create schema if not exists brut;

-- France Travail "Marché du travail" API (stat-demandeurs, stat-offres,
-- stat-perspective-employeur): one row per value of listeValeursParPeriode.
-- code_nomenclature is NULL when the request asked for no breakdown; date_maj is the
-- API's text as sent; caracteristiques_json is listeValeurParCaract as JSON text.
create table if not exists brut.stat_marche (
    code_indicateur varchar not null,
    lib_indicateur varchar,
    type_territoire varchar not null,
    code_territoire varchar not null,
    lib_territoire varchar,
    type_activite varchar not null,
    code_activite varchar not null,
    lib_activite varchar,
    code_nomenclature varchar,
    lib_nomenclature varchar,
    type_periode varchar not null,
    code_periode varchar not null,
    lib_periode varchar,
    valeur_nombre double,
    valeur_taux double,
    valeur_rang integer,
    valeur_montant double,
    valeur_decimale double,
    date_maj varchar,
    caracteristiques_json varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- The same figures as a spreadsheet (donnees/modeles/demandeurs.md).
-- type_territoire: COMMUNE, BASSIN, DEP, REG; type_periode: MOIS (2025-03) or
-- TRIMESTRE (2025-T1); categorie: A or ABC. NULL = masked cell ("*" or blank).
create table if not exists brut.demandeurs_stat (
    code_rome varchar not null,
    type_territoire varchar not null,
    code_territoire varchar not null,
    type_periode varchar not null,
    periode varchar not null,
    date_debut date not null,
    categorie varchar not null,
    demandeurs bigint,
    entrees bigint,
    sorties bigint,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- Anonymised jobseeker profiles: the identifier is a salted hash made at load time.
create table if not exists brut.profils_demandeurs (
    demandeur_hash varchar not null,
    mois date not null,
    code_rome varchar not null,
    commune_insee varchar,
    categorie varchar,
    niveau_diplome integer,
    experience_annees double,
    permis_b boolean,
    rayon_mobilite_km double,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);
