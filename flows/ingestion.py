"""Flow « ingestion »: parse, validate and load input files into the raw schema.

Each file is one task and one transaction: a file either loads completely (its valid rows
plus its quarantined rows) or not at all. A file already loaded cleanly (same sha256, no
rejected row) is skipped without being parsed again.

France Travail pages, the one source that reaches millions of rows, are read in bulk:
files are grouped in partitions (about ``PARTITION_OCTETS`` of JSON each), parsed in
parallel by the flow's task runner (threads, or a Dask cluster with ``--executeur dask``)
into Parquet, and each partition is merged by the single writer in one transaction, with
the result of loading its files one by one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows import warehouse
from flows.arguments import verifier_executeur
from flows.confidentialite import sel
from flows.config import ENTREE, REFERENTIELS, parametres
from flows.erreurs import ErreurUtilisateur, disque_plein
from flows.formats import nombre_fr, pluriel
from flows.lecture.fichiers import (
    TAILLE_MAX_FICHIER,
    FichierRefuse,
    lien_hors_dossier,
    lire_octets,
    motif_illisible,
)
from flows.lecture.lots import Contexte, Lot, Paquet, Rejet, empreinte, nom_affiche
from flows.manques import signaler
from flows.processus import retirer_restes
from flows.sources import lecteur, table_de

# Referentials first: validating the other sources checks codes against them.
ORDRE_SOURCES = ("rome", "fap2021", "communes", "dares", "bmo", "demandeurs", "profils", "offres-ft",
                 "offres-fichier", "entreprise")
EXTENSIONS = {".json", ".jsonl", ".ndjson", ".csv", ".txt", ".xlsx"}


def lister_fichiers(chemins: Sequence[str | Path]) -> list[tuple[Path, str | None]]:
    """Expand folders into their input files (sorted, hidden files skipped), each with the
    French reason it is refused, or None.

    A symbolic link is refused when it leads outside the folder given (a linked folder),
    or, for a linked file, outside its own folder: whoever can drop a link in the input
    folder must not be able to load the salt or another company's records. Links to
    folders inside the folder given are not followed (their files are listed anyway).
    """
    fichiers: list[tuple[Path, str | None]] = []
    for chemin in map(Path, chemins):
        if chemin.is_dir():
            for p in sorted(chemin.rglob("*")):
                if p.name.startswith((".", "~$")):
                    continue
                motif = lien_hors_dossier(p, chemin) if p.is_symlink() else None
                if p.is_symlink() and p.is_file():
                    motif = motif or lien_hors_dossier(p)
                if not motif and p.is_file() and p.suffix.lower() in EXTENSIONS:
                    motif = motif_illisible(p)  # refused alone: one unreadable file stops no other
                    fichiers.append((p, motif))
                elif motif:
                    fichiers.append((p, motif))
        elif chemin.exists():
            fichiers.append((chemin, lien_hors_dossier(chemin) if chemin.is_symlink() else None))
        else:
            raise ErreurUtilisateur(f"{chemin} : fichier ou dossier introuvable")
    return fichiers


def lot_refuse(source: str, fichier: Path, motif: str) -> Lot:
    """A file that is not read, as one quarantine row. Its content is not read, so its
    fingerprint is that of its path: each refused path keeps its own quarantine row."""
    return Lot(source, fichier, empreinte(f"refusé : {nom_affiche(fichier)}".encode()),
               rejets=[Rejet(1, "(fichier)", None, motif)])


def deja_charge(con, source: str, sha256: str) -> bool:
    ligne = con.execute(
        "select count(*) from controle.chargements where source = ? and sha256 = ? and lignes_rejetees = 0",
        [source, sha256],
    ).fetchone()
    return bool(ligne and ligne[0])


@task(name="charger un fichier", task_run_name="charger {source} : {chemin}", cache_policy=NO_CACHE)
def charger_fichier(source: str, chemin: str, entrepot: str | None = None, plateforme: str | None = None,
                    refus: str | None = None) -> dict:
    """Parse one file and merge it into the warehouse; returns its bilan as a dict. A file
    refused by ``lister_fichiers`` (``refus``) or by the reading helper is not read: it
    becomes one quarantine row."""
    fichier = Path(chemin)
    with warehouse.ouvrir(entrepot) as con:
        try:
            if refus:
                raise FichierRefuse(fichier, refus)
            if deja_charge(con, source, empreinte(lire_octets(fichier))):
                return asdict(warehouse.Bilan(source, nom_affiche(fichier), deja_charge=True))
            contexte = warehouse.contexte(con, sel())
            contexte.plateforme = plateforme
            lot = lecteur(source)(fichier, contexte)
        except FichierRefuse as e:
            lot = lot_refuse(source, fichier, e.motif)
        return asdict(warehouse.charger(con, lot))


PARTITION_OCTETS = 64 * 1024**2  # JSON per bulk partition: ~20,000 offers, ~300 MB of DuckDB memory
SOURCES_EN_MASSE = {"offres-ft"}
# DuckDB writes its log into the database file (a checkpoint) once the log passes this
# size; its default, 16 MB, meant one checkpoint per partition, each longer as the
# tables grow (1.7 s a partition at a million offers, against 0.3 s for the commit alone).
SEUIL_POINT_DE_CONTROLE = "512MB"


def coeurs() -> int:
    return os.cpu_count() or 1


def executeur_de(executeur: str | None = None, adresse: str | None = None) -> Any:
    """The task runner that parses partitions: threads (``local``, the default), or Dask —
    the cluster at ``adresse``, else a local cluster started for the run. Unset arguments
    come from ``HUB_EXECUTEUR`` and ``HUB_DASK_ADRESSE`` (what the command line sets)."""
    executeur = executeur or os.environ.get("HUB_EXECUTEUR") or "local"
    adresse = adresse or os.environ.get("HUB_DASK_ADRESSE") or None
    verifier_executeur(executeur)
    if executeur == "local":
        return ThreadPoolTaskRunner(max_workers=coeurs())
    from prefect_dask import DaskTaskRunner

    if adresse:
        return DaskTaskRunner(address=adresse)
    return DaskTaskRunner(cluster_kwargs={"n_workers": coeurs(), "threads_per_worker": 1,
                                         "dashboard_address": None})


@contextlib.contextmanager
def executeur_choisi(executeur: str | None, adresse: str | None) -> Iterator[None]:
    """Make ``executeur_de`` choose this runner for the flows started inside (the pipeline
    calls ``ingestion_complete`` without arguments)."""
    avant = {cle: os.environ.get(cle) for cle in ("HUB_EXECUTEUR", "HUB_DASK_ADRESSE")}
    for cle, valeur in (("HUB_EXECUTEUR", executeur), ("HUB_DASK_ADRESSE", adresse)):
        if valeur:
            os.environ[cle] = valeur
    try:
        yield
    finally:
        for cle, valeur in avant.items():
            if valeur is None:
                os.environ.pop(cle, None)
            else:
                os.environ[cle] = valeur


def ingestion(source: str, chemins: list[str], entrepot: str | None = None, plateforme: str | None = None,
              executeur: str | None = None, dask_adresse: str | None = None) -> list[dict]:
    """Load every file given (folders are expanded) as one source, with the task runner
    chosen (``executeur_de``)."""
    lecteur(source)  # unknown source: fail before touching anything
    flux = flux_ingestion
    if source in SOURCES_EN_MASSE:
        flux = flux.with_options(task_runner=executeur_de(executeur, dask_adresse))
    return flux(source, chemins, entrepot, plateforme)


@flow(name="ingestion", flow_run_name="ingestion {source}", log_prints=True)
def flux_ingestion(source: str, chemins: list[str], entrepot: str | None = None,
                   plateforme: str | None = None) -> list[dict]:
    """Load every file given (folders are expanded) as one source."""
    lecteur(source)
    fichiers = lister_fichiers(chemins)
    with disque_plein_en_francais(entrepot), Progression(source, len(fichiers)) as progression:
        if source in SOURCES_EN_MASSE:
            return charger_en_masse(source, fichiers, entrepot, progression)
        bilans = []
        for f, refus in fichiers:
            bilans.append(charger_fichier(source, str(f), entrepot, plateforme, refus))
            progression.avancer(1, bilans[-1]["lignes_lues"])
        return bilans


@contextlib.contextmanager
def disque_plein_en_francais(entrepot: str | None) -> Iterator[None]:
    """A full disk met while loading ends the load with one French line (the warehouse is
    left as it was: each file, or partition, is merged in one transaction)."""
    try:
        yield
    except Exception as e:
        if not disque_plein(e):
            raise
        dossier = warehouse.chemin_entrepot(entrepot).parent
        raise ErreurUtilisateur(
            f"disque plein : plus de place pour écrire dans {dossier} ; libérez de la place sur ce disque puis "
            "relancez le chargement (l'entrepôt est resté tel qu'il était avant le fichier en cours ; les "
            "fichiers déjà chargés le restent)") from e


# --------------------------------------------------------------------------- bulk loading

def charger_en_masse(source: str, fichiers: list[tuple[Path, str | None]], entrepot: str | None,
                     progression: Progression) -> list[dict]:
    """Refused files are quarantined one by one; the others are hashed, those already
    loaded cleanly skipped, and the rest parsed by partitions in parallel, each merged by
    the single writer as soon as it is ready (and all earlier ones are merged)."""
    bilans: dict[int, dict] = {}
    a_lire = []
    for ordre, (fichier, refus) in enumerate(fichiers):
        if refus or fichier.stat().st_size > TAILLE_MAX_FICHIER:  # the one-file path says why
            bilans[ordre] = charger_fichier(source, str(fichier), entrepot, None, refus)
            progression.avancer(1, bilans[ordre]["lignes_lues"])
        else:
            a_lire.append((ordre, fichier))
    with warehouse.ouvrir(entrepot) as con:
        empreintes = empreintes_fichiers(con, [f for _, f in a_lire])
        propres = deja_charges(con, source, list(empreintes.values()))
        contexte = warehouse.contexte(con, sel())
    partitions: list[list[tuple[int, str, str, str]]] = [[]]
    taille = 0
    for ordre, fichier in a_lire:
        sha256 = empreintes[fichier]
        if sha256 in propres:
            bilans[ordre] = asdict(warehouse.Bilan(source, nom_affiche(fichier), deja_charge=True))
            continue
        if partitions[-1] and taille >= PARTITION_OCTETS:
            partitions.append([])
            taille = 0
        partitions[-1].append((ordre, str(fichier.absolute()), sha256, nom_affiche(fichier)))
        taille += fichier.stat().st_size
    progression.avancer(sum(b["deja_charge"] for b in bilans.values()), 0)
    partitions = [p for p in partitions if p]
    if partitions:
        memoire = memoire_par_tache()
        with dossier_de_travail(entrepot) as travail:
            futurs = [preparer_partition.submit(source, numero, partition, str(travail / f"partition-{numero}"),
                                                contexte, memoire)
                      for numero, partition in enumerate(partitions, start=1)]
            try:
                # quoted: Prefect would otherwise wait for every future before starting the writer
                bilans |= charger_partitions(source, len(futurs), quote(futurs), entrepot,  # type: ignore[call-overload]
                                             quote(progression))
            finally:
                wait(futurs)  # if the writer fails, the parsers still write into the folder about to be removed
    return [bilans[ordre] for ordre in sorted(bilans)]


def memoire_par_tache() -> str:
    """DuckDB memory of one parsing task: the parsers (one per core) share half of
    ``memoire_max``; the writer, running beside them, has the other half."""
    return f"{max(128, _megaoctets() // 2 // coeurs())}MB"


def memoire_ecrivain() -> str:
    return f"{_megaoctets() // 2}MB"


def _megaoctets() -> int:
    """``memoire_max`` of config/parametres.toml (``1500MB``, ``2GB``...) in megabytes."""
    texte = str(parametres()["entrepot"]["memoire_max"]).strip().upper()
    trouve = re.fullmatch(r"([0-9.]+)\s*([KMGT])I?B", texte)
    if not trouve:
        raise ErreurUtilisateur(f"memoire_max illisible « {texte} » (attendu par exemple 1500MB ou 2GB)")
    return int(float(trouve[1]) * {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024**2}[trouve[2]])


PREFIXE_PARTITIONS = ".partitions-"


@contextlib.contextmanager
def dossier_de_travail(entrepot: str | None) -> Iterator[Path]:
    """A folder beside the warehouse for the run's Parquet partitions, removed afterwards
    (beside it, so that Dask workers sharing the warehouse's disk can write there). Its
    name holds the pid: the folders of killed runs (SIGKILL) are removed by the next one."""
    parent = warehouse.chemin_entrepot(entrepot).parent
    parent.mkdir(parents=True, exist_ok=True)
    retirer_restes(parent, PREFIXE_PARTITIONS)
    dossier = Path(tempfile.mkdtemp(prefix=f"{PREFIXE_PARTITIONS}{os.getpid()}-", dir=parent))
    try:
        yield dossier
    finally:
        shutil.rmtree(dossier, ignore_errors=True)


@task(name="préparer une partition", task_run_name="préparer {source} : partition {numero}",
      cache_policy=NO_CACHE)
def preparer_partition(source: str, numero: int, fichiers: list[tuple[int, str, str, str]], dossier: str,
                       contexte: Contexte, memoire: str) -> Paquet:
    """Parse one partition's files into Parquet (no warehouse access: runs anywhere)."""
    from flows.sources import offres_ft_masse

    return offres_ft_masse.preparer(fichiers, Path(dossier), contexte, memoire)


@task(name="charger les partitions", task_run_name="charger {source} : {nombre} partition(s)",
      cache_policy=NO_CACHE)
def charger_partitions(source: str, nombre: int, futurs: list[PrefectFuture], entrepot: str | None,
                       progression: Progression) -> dict[int, dict]:
    """The single writer: merges each parsed partition, in order, as soon as it is ready
    (one transaction each, one connection for all); returns the bilan of each file by rank."""
    bilans: dict[int, dict] = {}
    with warehouse.ouvrir(entrepot) as con:
        con.execute(f"set memory_limit = '{memoire_ecrivain()}'")  # the parsers run beside it
        con.execute(f"set checkpoint_threshold = '{SEUIL_POINT_DE_CONTROLE}'")
        try:
            for futur in futurs:
                paquet: Paquet = futur.result()
                charges = warehouse.charger_paquet(con, paquet)
                bilans |= {f.ordre: asdict(b) for f, b in zip(paquet.fichiers, charges, strict=True)}
                progression.avancer(len(paquet.fichiers), sum(f.lignes_lues for f in paquet.fichiers))
                shutil.rmtree(Path(paquet.rejets).parent, ignore_errors=True)
        finally:
            con.execute("reset checkpoint_threshold")
        con.execute("checkpoint")
    return bilans


def empreintes_fichiers(con, fichiers: list[Path]) -> dict[Path, str]:
    """The sha256 of each file. A file whose path, size, inode and modification and change
    times match ``controle.empreintes`` is not read again (a change time cannot be set by
    a user: rewriting a file in place changes it); the others are hashed on every core,
    and remembered."""
    connus = {(chemin, taille, inode, modifie, change): sha256 for chemin, taille, inode, modifie, change, sha256
              in con.execute("select chemin, taille, inode, modifie_ns, change_ns, sha256 from controle.empreintes")
              .fetchall()}
    signatures = {}
    for fichier in fichiers:
        etat = fichier.stat()
        signatures[fichier] = (str(fichier.absolute()), etat.st_size, etat.st_ino, etat.st_mtime_ns, etat.st_ctime_ns)
    resultat = {f: connus[s] for f, s in signatures.items() if s in connus}
    nouveaux = [f for f in fichiers if f not in resultat]
    with ThreadPoolExecutor(coeurs()) as pool:  # hashlib releases the GIL
        resultat |= dict(zip(nouveaux, pool.map(_sha256, nouveaux), strict=True))
    if nouveaux:
        import pyarrow as pa

        lignes = pa.Table.from_pylist([dict(zip(("chemin", "taille", "inode", "modifie_ns", "change_ns"),
                                                signatures[f], strict=True)) | {"sha256": resultat[f]}
                                       for f in nouveaux])
        with warehouse.transaction(con):
            con.register("_empreintes", lignes)
            con.execute("delete from controle.empreintes where chemin in (select chemin from _empreintes)")
            con.execute("insert into controle.empreintes by name select * from _empreintes")
            con.unregister("_empreintes")
    return resultat


def _sha256(fichier: Path) -> str:
    with fichier.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def deja_charges(con, source: str, empreintes: list[str]) -> set[str]:
    """The fingerprints among ``empreintes`` of files of ``source`` already loaded cleanly."""
    return {s for (s,) in con.execute(
        "select distinct sha256 from controle.chargements where source = ? and lignes_rejetees = 0 "
        "and sha256 in (select unnest(?))", [source, empreintes]).fetchall()}


# --------------------------------------------------------------------------- progress

class Progression:
    """Files done out of the total and rows read, for one source: a bar on the terminal
    (stderr, when it is one), a Prefect progress artifact (key ``ingestion-<source>``)
    and a line in the run's log every 10 %."""

    def __init__(self, source: str, total: int):
        self.source, self.total, self.faits, self.lignes, self.pourcent = source, total, 0, 0, 0
        self.barre: Any = None
        self.artefact: Any = None

    def __enter__(self) -> Progression:
        if self.total and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.barre = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("fichiers · {task.fields[lignes]} lignes"), TimeElapsedColumn(),
                                  console=Console(stderr=True), transient=True)
            self.barre.start()
            self.tache = self.barre.add_task(self.source, total=self.total, lignes="0")
        if self.total > 1:
            self.artefact = create_progress_artifact(
                progress=0.0, key=f"ingestion-{self.source}", description=self._texte())
        return self

    def _texte(self) -> str:
        return (f"{self.source} : {nombre_fr(self.faits)} / {pluriel(self.total, 'fichier')}, "
                f"{nombre_fr(self.lignes)} ligne(s) lue(s)")

    def avancer(self, fichiers: int, lignes: int) -> None:
        if not fichiers:
            return
        self.faits += fichiers
        self.lignes += lignes
        if self.barre is not None:
            self.barre.update(self.tache, completed=self.faits, lignes=nombre_fr(self.lignes))
        pourcent = 100 * self.faits // self.total
        if self.artefact is not None and pourcent > self.pourcent:  # at most 100 calls to the API
            update_progress_artifact(self.artefact, progress=float(pourcent), description=self._texte())
        if self.total > 1 and (pourcent // 10 > self.pourcent // 10 or self.faits == self.total):
            get_run_logger().info(self._texte())
        self.pourcent = pourcent

    def __exit__(self, *exc: object) -> None:
        if self.barre is not None:
            self.barre.stop()


def dossiers_par_source(racine: Path) -> dict[str, Path]:
    """Sub-folders of a drop zone named after a source (``entree/offres-ft/``...)."""
    return {s: racine / s for s in ORDRE_SOURCES if (racine / s).is_dir()}


def livres_remplaces(source: str, livre: Path, deposes: list[Path]) -> dict[Path, Path]:
    """The shipped referential files of a source (in ``livre``) that a file dropped by the
    analyst (in one of the folders ``deposes``) replaces because it fills the same raw table,
    each with the file that replaces it: a newer ROME export or basin table is loaded
    instead of the shipped one, not on top of it. What a file holds is read from its header."""
    remplacants: dict[str, Path] = {}
    for dossier in deposes:
        for fichier, refus in lister_fichiers([dossier]):
            if not refus and (table := table_de(source, fichier)):
                remplacants.setdefault(table, fichier)
    remplaces = {}
    for fichier, _ in lister_fichiers([livre]):
        table = table_de(source, fichier)
        if table in remplacants:
            remplaces[fichier] = remplacants[table]
    return remplaces


@flow(name="ingestion complète", log_prints=True)
def ingestion_complete(racines: list[str] | None = None, entrepot: str | None = None,
                       executeur: str | None = None, dask_adresse: str | None = None) -> list[dict]:
    """Load the shipped referentials, then every source folder of the drop zones, in
    dependency order (referentials before what they validate). A shipped referential file
    is skipped when the analyst dropped a file of the same kind (``livres_remplaces``).
    Only the bulk sources use the chosen task runner: the others load file by file."""
    zones = [Path(r) for r in racines] if racines else [REFERENTIELS, ENTREE]
    bilans: list[dict] = []
    for source in ORDRE_SOURCES:
        for zone in zones:
            dossier = dossiers_par_source(zone).get(source)
            if not dossier:
                continue
            chemins = [str(dossier)]
            if zone.resolve() == REFERENTIELS.resolve():
                deposes = [d for z in zones if z.resolve() != REFERENTIELS.resolve()
                           if (d := dossiers_par_source(z).get(source))]
                remplaces = livres_remplaces(source, dossier, deposes)
                for livre, depose in remplaces.items():
                    print(f"Référentiel livré {nom_affiche(livre)} non chargé : remplacé par {nom_affiche(depose)}, "
                          "déposé par l'analyste.")
                chemins = [str(f) for f, _ in lister_fichiers([dossier]) if f not in remplaces]
            if chemins:
                bilans += ingestion(source, chemins, entrepot, None, executeur, dask_adresse)
    return bilans



def referentiels_a_charger(entrepot: str | None, source: str | None = None,
                           chemins: Sequence[str | Path] = (),
                           deposes: Sequence[str | Path] | None = None) -> list[tuple[str, Path, Path | None]]:
    """The shipped referential files that a command loading or transforming by hand must
    load first, so that no manual step is needed: one per raw table still empty in the
    warehouse (a warehouse not created yet has them all empty), as (source, file to load,
    the shipped file it replaces or None). A file the analyst dropped in a drop zone
    (``deposes``, ``donnees/entree`` by default) that fills the same table is loaded instead
    of the shipped one; a table that the files being loaded by hand (``chemins`` of
    ``source``) fill themselves gets nothing shipped, so a newer ROME loaded by hand never
    gets the shipped one on top."""
    zones = [Path(z) for z in deposes] if deposes is not None else [ENTREE]
    fournies = ({table_de(source, f) for f, refus in lister_fichiers(chemins) if not refus} - {None}
                if source in ORDRE_SOURCES and chemins else set())
    fichier = warehouse.chemin_entrepot(entrepot)
    candidats: list[tuple[str, str, Path, Path | None]] = []
    for nom in ORDRE_SOURCES:
        livre = REFERENTIELS / nom
        if not livre.is_dir():
            continue
        remplaces = livres_remplaces(nom, livre, [d for z in zones if (d := z / nom).is_dir()])
        for f, refus in lister_fichiers([livre]):
            table = table_de(nom, f)
            if refus or not table or (nom == source and table in fournies):
                continue
            candidats.append((nom, table, remplaces.get(f, f), f if f in remplaces else None))
    if not candidats or not fichier.exists():
        return [(nom, f, remplace) for nom, _, f, remplace in candidats]
    with warehouse.ouvrir(fichier) as con:  # read-write: creates the raw tables of an older warehouse
        # table names come from the parsers' fixed formats, never from the user
        vides = {table for _, table, _, _ in candidats
                 if con.execute(f"select not exists (from {table})").fetchone() == (True,)}
    return [(nom, f, remplace) for nom, table, f, remplace in candidats if table in vides]


@flow(name="référentiels livrés", log_prints=True)
def referentiels_livres(entrepot: str | None = None, source: str | None = None, chemins: list[str] | None = None,
                        deposes: list[str] | None = None) -> tuple[list[dict], str | None]:
    """Load the shipped referentials whose tables are still empty (``referentiels_a_charger``);
    returns their bilans and the one French line that says what was loaded (None when
    nothing was)."""
    a_charger = referentiels_a_charger(entrepot, source, chemins or [], deposes)
    bilans: list[dict] = []
    for nom in ORDRE_SOURCES:
        fichiers = [str(f) for s, f, _ in a_charger if s == nom]
        if fichiers:
            bilans += ingestion(nom, fichiers, entrepot)
    texte = resume_referentiels(a_charger, bilans)
    if texte:
        print(texte)
    return bilans, texte


def resume_referentiels(a_charger: list[tuple[str, Path, Path | None]], bilans: list[dict]) -> str | None:
    """One French line: the shipped referentials loaded (files per source, rows), the
    dropped files loaded instead of shipped ones, rows quarantined."""
    if not a_charger:
        return None
    par_source: dict[str, int] = {}
    for nom, _, _ in a_charger:
        par_source[nom] = par_source.get(nom, 0) + 1
    sources = ", ".join(f"{nom} ({pluriel(n, 'fichier')})" for nom, n in par_source.items())
    nouvelles = sum(b["nouvelles"] for b in bilans)
    rejetees = sum(b["rejetees"] for b in bilans)
    texte = (f"Référentiels livrés chargés, leurs tables étant vides : {sources} ; "
             f"{pluriel(nouvelles, 'ligne chargée', 'lignes chargées')}")
    remplacants = [f"{nom_affiche(f)} à la place de {livre.name}" for _, f, livre in a_charger if livre]
    if remplacants:
        texte += " ; déposé par l'analyste : " + ", ".join(remplacants)
    if rejetees:
        texte += f" ; {nombre_fr(rejetees)} en quarantaine (table controle.rejets)"
    return texte + "."



def manque_depot(zone: Path, bilans: list[dict]) -> str | None:
    """One French line when a drop zone brought nothing new (empty, or every file already
    loaded), or None. ``bilans``: those of the run that loaded the zone."""
    fichiers = {nom_affiche(f) for dossier in dossiers_par_source(zone).values()
                for f, _ in lister_fichiers([dossier])}
    if any(b["fichier"] in fichiers and not b["deja_charge"] for b in bilans):
        return None
    if not fichiers:
        return signaler(f"ingestion : zone de dépôt vide ({nom_affiche(zone)})")
    return signaler(f"ingestion : aucun fichier nouveau dans la zone de dépôt ({nom_affiche(zone)}, "
                    f"{pluriel(len(fichiers), 'fichier déjà chargé', 'fichiers déjà chargés')})")


COMPTES = ("lignes_lues", "nouvelles", "mises_a_jour", "inchangees", "rejetees")
FICHIERS_DETAILLES = 10  # above this many files, a source is summed up in one line


def _ligne_bilan(nom: str, b: dict) -> str:
    return (f"  {nom} : {nombre_fr(b['lignes_lues'])} lue(s), {nombre_fr(b['nouvelles'])} nouvelle(s), "
            f"{nombre_fr(b['mises_a_jour'])} mise(s) à jour, {nombre_fr(b['inchangees'])} inchangée(s), "
            f"{nombre_fr(b['rejetees'])} en quarantaine" + (f" — {b['remarques']}" if b.get("remarques") else ""))


def resume(bilans: list[dict], entrepot: str | None = None, rejets_affiches: int = 10) -> str:
    """French summary of loads: one line per file (or per source when it has many files),
    totals, then the first rejects."""
    if not bilans:
        return "Aucun fichier à charger."
    lignes = []
    par_source: dict[str, list[dict]] = {}
    for b in bilans:
        par_source.setdefault(b["source"], []).append(b)
    for source, fichiers in par_source.items():
        if len(fichiers) > FICHIERS_DETAILLES:
            somme = {k: sum(b[k] for b in fichiers) for k in COMPTES}
            deja = sum(b["deja_charge"] for b in fichiers)
            nom = f"{source} ({pluriel(len(fichiers), 'fichier')}" + (
                f", dont {nombre_fr(deja)} déjà chargé(s))" if deja else ")")
            lignes.append(_ligne_bilan(nom, somme))
            continue
        for b in fichiers:
            if b["deja_charge"]:
                lignes.append(f"  {b['fichier']} : déjà chargé, inchangé")
            else:
                lignes.append(_ligne_bilan(b["fichier"], b))
    total = {k: sum(b[k] for b in bilans) for k in ("nouvelles", "mises_a_jour", "inchangees", "rejetees")}
    sources = sorted({b["source"] for b in bilans})
    texte = [f"Ingestion ({', '.join(sources)}) : {pluriel(len(bilans), 'fichier')}", *lignes,
             f"Total : {nombre_fr(total['nouvelles'])} ligne(s) chargée(s), "
             f"{nombre_fr(total['mises_a_jour'])} mise(s) à jour, {nombre_fr(total['inchangees'])} inchangée(s), "
             f"{nombre_fr(total['rejetees'])} en quarantaine."]
    if total["rejetees"]:
        fichiers = [b["fichier"] for b in bilans if b["rejetees"]]
        with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
            premiers = con.execute(
                "select fichier, ligne, chemin_json, champ, motif from controle.rejets "
                "where fichier in (select unnest(?)) order by fichier, ligne, chemin_json, champ, motif limit ?",
                [fichiers, rejets_affiches]).fetchall()
        texte.append("Lignes en quarantaine (table controle.rejets) :")
        for fichier, ligne, chemin_json, champ, motif in premiers:
            ou = f"ligne {ligne}" if ligne is not None else chemin_json
            texte.append(f"  {fichier}, {ou}, champ « {champ} » : {motif}")
        if total["rejetees"] > rejets_affiches:
            texte.append(f"  … voir controle.rejets pour les {nombre_fr(total['rejetees'])} lignes.")
    return "\n".join(texte)
