-- Offers exported from job boards or ATS (CSV/XLSX), mapped through
-- config/sources_offres.toml. plateforme is the section name in that file; key
-- (plateforme, offre_id). Raw labels are kept beside what was parsed from them
-- (temps_travail_libelle -> temps_plein, salaire_libelle -> salaire_*_mensuel,
-- experience_libelle -> experience_mois). Salaries are gross euros a month; salaire_periode
-- is the period they were converted from. _version (last update, else publication date)
-- keeps an older export from overwriting a newer one.
create schema if not exists brut;

create table if not exists brut.offres_fichier (
    plateforme varchar not null,
    offre_id varchar not null,
    intitule varchar,
    description varchar,
    rome_code varchar,
    date_creation date,
    date_actualisation date,
    commune_insee varchar,
    entreprise_nom varchar,
    type_contrat varchar,
    duree_contrat_mois double,
    temps_travail_libelle varchar,
    temps_plein boolean,
    salaire_libelle varchar,
    salaire_periode varchar,
    salaire_min_mensuel double,
    salaire_max_mensuel double,
    experience_libelle varchar,
    experience_mois double,
    niveau_diplome integer,
    nombre_postes bigint,
    url varchar,
    _version date,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);
