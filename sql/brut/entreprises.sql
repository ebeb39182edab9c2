-- Pilot companies' own hiring records (donnees/modeles/guide-entreprise.md).
create schema if not exists brut;

-- One row per requisition, key (entreprise, reference). statut: pourvu, abandonne, ouvert
-- (date_cloture is set exactly when the requisition is closed). type_contrat: CDI, CDD,
-- intérim, alternance, stage, saisonnier. Salaries are gross monthly euros; diplome_requis
-- is a level 1 to 8 (3 = CAP, 4 = bac, 5 = bac+2, 7 = bac+5); canaux: channel slugs
-- (france_travail, apec, jobboard, site_carriere, reseaux_sociaux, interim, cabinet,
-- cooptation, ecole, salon, spontanee). _chemin_json: the sheet, for a workbook.
create table if not exists brut.recrutements (
    entreprise varchar not null,
    reference varchar not null,
    commune_site varchar,
    intitule varchar,
    code_rome varchar,
    date_ouverture date not null,
    date_cloture date,
    statut varchar not null,
    nombre_postes bigint,
    type_contrat varchar,
    duree_contrat_mois double,
    salaire_affiche boolean,
    salaire_min_mensuel double,
    salaire_max_mensuel double,
    experience_requise_mois double,
    diplome_requis integer,
    canaux varchar[],
    description varchar,
    competences varchar[],
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- One row per application, key (entreprise, reference_recrutement, candidat_hash); the
-- candidate is a salted hash made at load time. Stage dates are in order (reception <=
-- preselection <= entretien <= proposition <= embauche); at most one outcome among
-- embauche, desistement, refus; motif: free text of a withdrawal or a rejection.
create table if not exists brut.candidatures (
    entreprise varchar not null,
    reference_recrutement varchar not null,
    candidat_hash varchar not null,
    canal varchar,
    date_reception date not null,
    date_preselection date,
    date_entretien date,
    date_proposition date,
    date_embauche date,
    date_desistement date,
    date_refus date,
    motif varchar,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);

-- Actions agreed between the task force and a pilot company, followed by
-- "analyse".suivi_pilote. indicateur_cible: delai_pourvoi, candidatures_par_recrutement,
-- taux_abandon or taux_desistement_apres_entretien.
create table if not exists brut.actions_pilote (
    entreprise varchar not null,
    action varchar not null,
    date_debut date not null,
    indicateur_cible varchar not null,
    _fichier varchar not null,
    _sha256 varchar not null,
    _ligne bigint,
    _chemin_json varchar,
    _charge_le timestamp not null
);
