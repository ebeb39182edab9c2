-- France Travail "Offres d'emploi v2": one row per offer (latest version seen), typed.
-- Recruiters' contacts are never stored (see flows/sources/offres_ft.py).
create schema if not exists brut;

create table if not exists brut.offres_ft (
    offre_id varchar not null,
    intitule varchar,
    description varchar,
    date_creation timestamp,
    date_actualisation timestamp,
    lieu_libelle varchar,
    latitude double,
    longitude double,
    code_postal varchar,
    commune_insee varchar,
    rome_code varchar,
    rome_libelle varchar,
    appellation_libelle varchar,
    entreprise_nom varchar,
    entreprise_description varchar,
    entreprise_url varchar,
    entreprise_adaptee boolean,
    employeur_handi_engage boolean,
    type_contrat varchar,
    type_contrat_libelle varchar,
    duree_contrat_mois double,
    nature_contrat varchar,
    experience_exige varchar,
    experience_libelle varchar,
    experience_commentaire varchar,
    experience_mois double,
    salaire_libelle varchar,
    salaire_commentaire varchar,
    salaire_complement1 varchar,
    salaire_complement2 varchar,
    salaire_min_mensuel double,
    salaire_max_mensuel double,
    salaire_periode varchar,
    salaire_periode_deduite boolean,
    duree_travail_libelle varchar,
    duree_travail_libelle_converti varchar,
    temps_plein boolean,
    alternance boolean,
    nombre_postes bigint,
    accessible_th boolean,
    qualification_code varchar,
    qualification_libelle varchar,
    code_naf varchar,
    secteur_activite varchar,
    secteur_activite_libelle varchar,
    origine_offre varchar,
    url_origine varchar,
    partenaires varchar[],
    offres_manque_candidats boolean,
    horaires varchar[],
    conditions_exercice varchar[],
    deplacement_code varchar,
    deplacement_libelle varchar,
    complement_exercice varchar,
    _version timestamp,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

create table if not exists brut.offres_ft_competences (
    offre_id varchar not null,
    rang integer not null,
    code varchar,
    libelle varchar,
    exigence varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _charge_le timestamp not null
);

create table if not exists brut.offres_ft_formations (
    offre_id varchar not null,
    rang integer not null,
    code_formation varchar,
    domaine_libelle varchar,
    niveau_libelle varchar,
    commentaire varchar,
    exigence varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _charge_le timestamp not null
);

create table if not exists brut.offres_ft_langues (
    offre_id varchar not null,
    rang integer not null,
    libelle varchar,
    exigence varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _charge_le timestamp not null
);

create table if not exists brut.offres_ft_permis (
    offre_id varchar not null,
    rang integer not null,
    libelle varchar,
    exigence varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _charge_le timestamp not null
);

create table if not exists brut.offres_ft_qualites (
    offre_id varchar not null,
    rang integer not null,
    libelle varchar,
    description varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _charge_le timestamp not null
);
