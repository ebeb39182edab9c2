-- Load control: one row per load attempt, and the quarantine of rejected rows.
create schema if not exists controle;

create table if not exists controle.chargements (
    source varchar not null,
    fichier varchar not null,
    sha256 varchar not null,
    charge_le timestamp not null,
    lignes_lues bigint not null,
    lignes_nouvelles bigint not null,
    lignes_mises_a_jour bigint not null,
    lignes_inchangees bigint not null,
    lignes_rejetees bigint not null,
    remarques varchar
);

create table if not exists controle.rejets (
    source varchar not null,
    fichier varchar not null,
    sha256 varchar not null,
    ligne bigint,
    chemin_json varchar,
    champ varchar not null,
    valeur varchar,
    motif varchar not null,
    rejete_le timestamp not null
);
