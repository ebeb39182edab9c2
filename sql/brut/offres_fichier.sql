-- Offers exported from job boards or ATS (CSV/XLSX), mapped through
-- config/sources_offres.toml. plateforme is the source name in that file.
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
    temps_plein boolean,
    salaire_libelle varchar,
    salaire_min_mensuel double,
    salaire_max_mensuel double,
    experience_mois double,
    niveau_diplome integer,
    nombre_postes bigint,
    url varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);
