-- BMO survey and DARES reference indicators.
create schema if not exists brut;

-- "Besoins en Main-d'Œuvre": hiring projects per FAP-2021 occupation and basin.
-- NULL counts are cells masked by statistical secrecy ("*"), never zeros. A basin that
-- spans several départements (e.g. 2708 AUTUN: 21 and 71) has one row per département
-- part, hence the key (annee, code_fap, dept, bassin).
create table if not exists brut.bmo (
    annee integer not null,
    code_fap varchar not null,
    libelle_fap varchar,
    famille varchar,
    libelle_famille varchar,
    reg varchar,
    nom_reg varchar,
    dept varchar not null,
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
-- niveau_geo: nat, reg or dep; code_territoire: "FR" for the national level, else the
-- region ("27", "01") or département ("21", "2A") code. Key (annee, niveau_fap, niveau_geo,
-- code_territoire, fap). NULL tension or quintiles: not published for that cell.
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

-- National tension score by FAP-2009 family and year, key (fap, annee).
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

-- ROME v3 -> FAP-2009 (many to many), key (fap, rome_code); rome_code and intitule_rome
-- are NULL where the FAP has no ROME ("NA" in the file).
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

-- National jobseekers (DEFM) by year, in thousands, key (fap, annee,
-- categorie). fap: a FAP-87 family ("G1Z"), a FAP-225 one ("G1Z70") or "Ensemble"
-- (its values are not published: NULL). categorie: "A" or "ABC" (categories A, B, C).
create table if not exists brut.dares_demandeurs (
    fap varchar not null,
    annee integer not null,
    categorie varchar not null,
    effectifs_milliers double,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- Median monthly net salary (euros) by FAP-2009 code at its three levels (domain "G",
-- family of 87 "G1Z", of 225 "G1Z70") and period ("2017-2019"), key (fap, periode); the
-- file is also where the FAP-2009 labels come from.
create table if not exists brut.dares_salaires (
    fap varchar not null,
    periode varchar not null,
    libelle_fap varchar,
    salaire_median double,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);
