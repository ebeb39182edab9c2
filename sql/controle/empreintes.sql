-- Fingerprints of input files already read, so that an unchanged file is not hashed again
-- (flows/ingestion.py): its sha256 is reused only when the path, size, inode, modification
-- time and change time (which a user cannot set) are all the same.
create schema if not exists controle;

create table if not exists controle.empreintes (
    chemin varchar not null,
    taille bigint not null,
    inode bigint not null,
    modifie_ns bigint not null,
    change_ns bigint not null,
    sha256 varchar not null
);
