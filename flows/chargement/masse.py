"""Bulk loading of the France Travail pages: files grouped in partitions (about
``PARTITION_OCTETS`` of JSON each), parsed in parallel by the flow's task runner (threads,
or a Dask cluster) into Parquet, each partition merged by the single writer in one
transaction with the result of loading its files one by one."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows import warehouse
from flows.arguments import verifier_executeur
from flows.chargement.empreintes import coeurs, deja_charges, empreintes_fichiers
from flows.chargement.progression import Progression
from flows.chargement.un_fichier import charger_fichier
from flows.confidentialite import sel
from flows.config import dask_adresse_par_defaut, executeur_par_defaut, parametres
from flows.erreurs import ErreurUtilisateur
from flows.lecture.fichiers import TAILLE_MAX_FICHIER
from flows.lecture.lots import Contexte, Paquet, nom_affiche
from flows.processus import retirer_restes

PARTITION_OCTETS = 64 * 1024**2  # JSON per bulk partition: ~20,000 offers, ~300 MB of DuckDB memory
SOURCES_EN_MASSE = {"offres-ft"}
# DuckDB writes its log into the database file (a checkpoint) once the log passes this
# size; its default, 16 MB, meant one checkpoint per partition, each longer as the
# tables grow (1.7 s a partition at a million offers, against 0.3 s for the commit alone).
SEUIL_POINT_DE_CONTROLE = "512MB"


def executeur_de(executeur: str | None = None, adresse: str | None = None) -> Any:
    """The task runner that parses partitions: threads (``local``, the default), or Dask —
    the cluster at ``adresse``, else a local cluster started for the run. Unset arguments
    come from the settings (``HUB_EXECUTEUR``, ``HUB_DASK_ADRESSE``: see ``flows.config``)."""
    executeur = executeur or executeur_par_defaut()
    adresse = adresse or dask_adresse_par_defaut()
    verifier_executeur(executeur)
    if executeur == "local":
        return ThreadPoolTaskRunner(max_workers=coeurs())
    from prefect_dask import DaskTaskRunner

    if adresse:
        return DaskTaskRunner(address=adresse)
    return DaskTaskRunner(cluster_kwargs={"n_workers": coeurs(), "threads_per_worker": 1,
                                         "dashboard_address": None})


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
