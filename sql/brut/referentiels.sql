-- Referentials: ROME 4.0 (RefRomeCsv), communes, BMO employment basins and FAP-2021.
create schema if not exists brut;

-- ROME codes, key code_rome; code_rome_parent is the ROME v3 code a 4.0 code comes from.
create table if not exists brut.rome_codes (
    code_rome varchar not null,
    code_fiche_metier varchar,
    code_ogr varchar,
    libelle_rome varchar,
    transition_eco varchar,
    transition_num varchar,
    transition_demo varchar,
    emploi_reglemente varchar,
    emploi_cadre varchar,
    code_rome_parent varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- Job titles (appellations), key code_ogr.
create table if not exists brut.rome_appellations (
    code_ogr varchar not null,
    libelle_appellation_long varchar,
    libelle_appellation_court varchar,
    code_rome varchar,
    transition_eco varchar,
    transition_num varchar,
    transition_demo varchar,
    emploi_reglemente varchar,
    emploi_cadre varchar,
    classification varchar,
    origine varchar,
    code_rome_parent varchar,
    peu_usite varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- One row per commune and postcode, as in the source file. A merged former commune
-- (commune_type COMD) carries its parent's insee_com and postcode, so the key is
-- (insee_com, code_postal, commune_type, commune). insee_reg, insee_dep are NULL on COMD rows.
create table if not exists brut.communes (
    insee_com varchar not null,
    code_postal varchar not null,
    insee_reg varchar,
    insee_dep varchar,
    commune varchar not null,
    commune_article varchar,
    commune_type varchar not null,
    insee_parente varchar,
    lat double,
    lng double,
    superficie_km2 double,
    population_2021 bigint,
    population_2015 bigint,
    menages_2021 bigint,
    naissances_2022 bigint,
    deces_2022 bigint,
    pop_15_64_totale_2021 bigint,
    pop_15_64_chomage_2021 bigint,
    pop_15_64_active_2021 bigint,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- Commune -> BMO employment basin, key code_commune_insee. code_bassin is text ("2715");
-- reg and dep get back the leading zero the source file lost ("3" -> "03").
create table if not exists brut.bassins_bmo (
    code_commune_insee varchar not null,
    reg varchar,
    dep varchar,
    code_bassin varchar not null,
    lib_bassin varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- Texts of each ROME code, one sentence a row (definition, acces_metier...), key
-- (code_rome, libelle_type_texte, position_phrase).
create table if not exists brut.rome_textes (
    code_rome varchar not null,
    code_compo_bloc varchar,
    libelle_type_texte varchar not null,
    position_phrase integer not null,
    libelle_texte varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- Mobility paths between ROME codes (« passerelles »), key (code_rome, code_rome_cible).
create table if not exists brut.rome_mobilites (
    code_rome varchar not null,
    code_rome_cible varchar not null,
    numero_ordre integer,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- DARES passage ROME v3 x qualification level (0-9) -> detailed FAP-2021 family (FAP341),
-- key (code_rome, qualification). qualification is France Travail's qualificationCode
-- ("1".."9"); "0" is the passage's row for an unknown qualification.
create table if not exists brut.rome_qualif_fap2021 (
    code_rome varchar not null,
    intitule_rome varchar,
    qualification varchar not null,
    code_fap341 varchar not null,
    intitule_fap341 varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- DARES FAP-2021 nomenclature: FAP341 -> FAP228 (the BMO « Code métier BMO ») -> FAP86
-- -> FAP22, with labels; key code_fap341.
create table if not exists brut.fap2021 (
    code_fap22 varchar not null,
    intitule_fap22 varchar,
    code_fap86 varchar not null,
    intitule_fap86 varchar,
    code_fap228 varchar not null,
    intitule_fap228 varchar,
    code_fap341 varchar not null,
    intitule_fap341 varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);
