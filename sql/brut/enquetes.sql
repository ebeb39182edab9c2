-- BMO survey and DARES reference indicators.
create schema if not exists brut;

-- "Besoins en Main-d'Œuvre": hiring projects per FAP-2021 occupation and basin.
-- NULL counts are cells masked by statistical secrecy ("*"), never zeros.
create table if not exists brut.bmo (
    annee integer not null,
    code_fap varchar not null,
    libelle_fap varchar,
    famille varchar,
    libelle_famille varchar,
    reg varchar,
    nom_reg varchar,
    dept varchar,
    nom_dept varchar,
    bassin varchar not null,
    nom_bassin varchar,
    projets bigint,
    projets_difficiles bigint,
    projets_saisonniers bigint,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- DARES tensions.csv: tension score, category and complementary quintiles (FAP-2009).
-- code_territoire: "FR" for the national level, else the region or département code.
create table if not exists brut.dares_tensions (
    annee integer not null,
    niveau_fap varchar not null,
    niveau_geo varchar not null,
    code_territoire varchar not null,
    fap varchar not null,
    emploi_moyen double,
    tension double,
    categorie_tension integer,
    intensite_embauches integer,
    lien_formation_emploi integer,
    manque_main_oeuvre integer,
    non_durabilite integer,
    conditions_travail integer,
    inadequation_geographique integer,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

create table if not exists brut.dares_evol_tensions (
    fap varchar not null,
    annee integer not null,
    tension double,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- ROME v3 -> FAP-2009 (many to many); rome_code NULL where the FAP has no ROME ("NA").
create table if not exists brut.dares_fap_rome (
    fap varchar not null,
    rome_code varchar,
    intitule_rome varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- National jobseekers (DEFM) by FAP-87, in thousands.
create table if not exists brut.dares_demandeurs (
    fap87 varchar not null,
    annee integer not null,
    categorie varchar not null,
    effectifs_milliers double,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);
