"""Flow « ingestion »: parse, validate and load input files into the raw schema.

Each file is one task and one transaction: a file either loads completely (its valid rows
plus its quarantined rows) or not at all; a large delimited file is parsed and merged in
batches within that transaction. A file already loaded cleanly (same sha256, no rejected
row) is skipped without being parsed again, nor hashed again while it is unchanged on disk. France Travail pages, the one source
that reaches millions of rows, are read in bulk (``flows.chargement.masse``), parsed in
parallel by the flow's task runner: threads, or a Dask cluster with ``--executeur dask``.

This file is the table of contents; the tasks and helpers are in ``flows.chargement``.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.chargement.bilans import manque_depot, resume, resume_referentiels
from flows.chargement.fichiers import (
    ORDRE_SOURCES,
    chemins_a_charger,
    lister_fichiers,
    referentiels_a_charger,
)
from flows.chargement.masse import SOURCES_EN_MASSE, charger_en_masse, executeur_de
from flows.chargement.progression import Progression
from flows.chargement.un_fichier import (
    charger_un_par_un,
    deja_tous_charges,
    disque_plein_en_francais,
)
from flows.config import ENTREE, REFERENTIELS
from flows.lecture.registre import verifier_source

# what the command line, the collection flows and the pipeline call
__all__ = ["ingestion", "ingestion_complete", "manque_depot", "referentiels_livres", "resume"]


def ingestion(source: str, chemins: list[str], entrepot: str | None = None, plateforme: str | None = None,
              executeur: str | None = None, dask_adresse: str | None = None) -> list[dict]:
    """Load every file given (folders are expanded) as one source, with the task runner
    chosen (``executeur_de``)."""
    verifier_source(source)  # unknown source: fail before touching anything
    flux = flux_ingestion
    if source in SOURCES_EN_MASSE:
        flux = flux.with_options(task_runner=executeur_de(executeur, dask_adresse))
    return flux(source, chemins, entrepot, plateforme)


@flow(name="ingestion", flow_run_name="ingestion {source}", log_prints=True)
def flux_ingestion(source: str, chemins: list[str], entrepot: str | None = None,
                   plateforme: str | None = None) -> list[dict]:
    """Load every file given (folders are expanded) as one source."""
    verifier_source(source)
    fichiers = lister_fichiers(chemins)
    with disque_plein_en_francais(entrepot), Progression(source, len(fichiers)) as progression:
        if source in SOURCES_EN_MASSE:
            return charger_en_masse(source, fichiers, entrepot, progression)
        return charger_un_par_un(source, fichiers, entrepot, plateforme, progression)


@flow(name="ingestion complète", log_prints=True)
def ingestion_complete(racines: list[str] | None = None, entrepot: str | None = None,
                       executeur: str | None = None, dask_adresse: str | None = None) -> list[dict]:
    """Load the shipped referentials, then every source folder of the drop zones, in
    dependency order (referentials before what they validate). A shipped referential file
    is skipped when the analyst dropped a file of the same kind (``livres_remplaces``).
    Only the bulk sources use the chosen task runner: the others load file by file."""
    zones = [Path(r) for r in racines] if racines else [REFERENTIELS, ENTREE]
    bilans: list[dict] = []
    for source, chemins in chemins_a_charger(zones):
        # a source with nothing new costs no sub-flow (about a second each: most sources, most weeks)
        deja = deja_tous_charges(source, chemins, entrepot)
        bilans += deja if deja is not None else ingestion(source, chemins, entrepot, None, executeur, dask_adresse)
    return bilans


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
