"""Flows chaining the stages: the drop zone (``pipeline``) and the demo (``pipeline_demo``).

The only place where stages follow each other, data flowing one way: ingestion (brut) →
transformation of prep → learning (a) (ml: ROME codes, duplicates) → transformation of int
and analyse → learning (b) (ml: drivers of difficulty) → publication. Each table is
built at most once per run, and only when its inputs changed; the summary counts the
builds and the tables reused. Each run leaves two Prefect
artifacts: the rows loaded and quarantined per source (table) and a summary linking the
outputs (Markdown).

A stage is a function of the run's ``Execution`` that returns its French summary: adding
one is that function plus one line in ``ETAPES``.

No Prefect cache on the stages: each one writes the warehouse, whose load log already
skips a file by its sha256 (``controle.chargements``), whereas a Prefect cache would keep
skipping it after the warehouse was rebuilt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prefect import flow
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.states import State

from flows.config import DEMO, ENTREE, REFERENTIELS, chemin_entrepot, chemin_sorties
from flows.erreurs import etat_d_echec
from flows.formats import PARIS, heure_paris, nombre_fr
from flows.ingestion import ingestion_complete, manque_depot, resume
from flows.resumes import chargements_par_source, constructions, resume_markdown
from flows.transformation import manque, transformation


@dataclass
class Execution:
    """What the stages of one run share."""

    entrepot: str
    zones: list[Path]  # drop zones, loaded in this order
    sorties: Path  # folder of this run's outputs (dashboard, reports, extracts)
    bilans: list[dict] = field(default_factory=list)  # one per file ingested
    executeur: str | None = None  # task runner of the bulk parsing (None: flows.config's setting)
    dask_adresse: str | None = None
    constructions: Counter[str] = field(default_factory=Counter)  # table -> builds in this run
    reutilisees: set[str] = field(default_factory=set)  # tables kept as they were (inputs unchanged)
    complet: bool = False  # redo everything (after an upgrade of the code, say), not only what changed


def ingerer(execution: Execution) -> str:
    execution.bilans = ingestion_complete([str(z) for z in execution.zones], execution.entrepot,
                                          execution.executeur, execution.dask_adresse)
    manques = [manque_depot(z, execution.bilans) for z in execution.zones if z != REFERENTIELS]
    return "\n".join([resume(execution.bilans, execution.entrepot), *filter(None, manques)])


def _transformer(execution: Execution, couches: list[str]) -> list[str]:
    bilans = transformation(execution.entrepot, couches, execution.complet)
    for bilan in bilans.values():
        execution.constructions.update(list(bilan.construites))
        execution.reutilisees.update(bilan.reutilisees)
    return [f"Couche {couche} : {len(b.construites)} table(s) reconstruite(s), {len(b.reutilisees)} réutilisée(s)."
            for couche, b in bilans.items()]


def preparer(execution: Execution) -> str:
    return "\n".join([*_transformer(execution, ["prep"]), *filter(None, [manque(execution.entrepot)])])


def classer(execution: Execution) -> str:
    from flows.learning import classement_et_doublons

    return classement_et_doublons(execution.entrepot, complet=execution.complet)


def analyser(execution: Execution) -> str:
    return "\n".join(_transformer(execution, ["int", "analyse"]))


def estimer_facteurs(execution: Execution) -> str:
    from flows.learning import facteurs

    return facteurs(execution.entrepot)


def publier(execution: Execution) -> str:
    from flows.publication import publication

    return publication(execution.entrepot, execution.sorties.name, str(execution.sorties.parent),
                       execution.complet)


# stage -> its name in French messages (the flow display names)
ETAPES: dict[Callable[[Execution], str], str] = {
    ingerer: "ingestion", preparer: "transformation", classer: "apprentissage", analyser: "transformation",
    estimer_facteurs: "apprentissage", publier: "publication"}


def _executer(execution: Execution, titre: str, cle: str) -> str | State:
    """Every stage in order; a failed stage ends the run Failed with one French sentence
    naming it (what the Prefect interface shows for a scheduled run)."""
    textes = []
    for etape, nom in ETAPES.items():
        try:
            textes.append(etape(execution))
        except Exception as erreur:  # noqa: BLE001 - told in French, traceback in the run's log
            return etat_d_echec(erreur, nom)
    textes += [constructions(execution.constructions, execution.reutilisees), f"Entrepôt : {execution.entrepot}"]
    texte = "\n".join(textes)
    # counts as text in the French format: Prefect's interface would show 70757 or 70,757
    table = [{colonne: nombre_fr(v) if isinstance(v, int) else v for colonne, v in ligne.items()}
             for ligne in chargements_par_source(execution.bilans)]
    create_table_artifact(table=table, key=f"{cle}-chargements",
                          description=f"{titre} : lignes chargées et mises en quarantaine par source")
    create_markdown_artifact(markdown=resume_markdown(titre, texte, execution.entrepot, execution.sorties), key=f"{cle}-resume",
                             description=f"{titre} : bilan et sorties")
    return texte


def _horodatage() -> str:
    return heure_paris(datetime.now(PARIS), entre=" à ")


@flow(name="pipeline", flow_run_name=lambda: f"pipeline du {_horodatage()}", log_prints=True)
def pipeline(entrepot: str | None = None, entree: str | None = None, executeur: str | None = None,
             dask_adresse: str | None = None, complet: bool = False) -> str | State:
    """Shipped referentials and the drop zone (``donnees/entree/`` unless ``entree``), then every
    stage; each redoes only what its inputs changed, unless ``complet``."""
    titre = f"Pipeline du {_horodatage()}"
    execution = Execution(str(chemin_entrepot(entrepot)), [REFERENTIELS, Path(entree) if entree else ENTREE],
                          chemin_sorties() / datetime.now(PARIS).strftime("%Y-%m-%d_%H%M"),
                          executeur=executeur, dask_adresse=dask_adresse, complet=complet)
    return _executer(execution, titre, "pipeline")


@flow(name="pipeline démo", flow_run_name=lambda: f"démonstration du {_horodatage()}", log_prints=True)
def pipeline_demo(entrepot: str, graine: int = 2026, executeur: str | None = None,
                  dask_adresse: str | None = None) -> str | State:
    """Generate the fictitious demo data if ``donnees/demo`` is empty, then run it all."""
    from flows.demo import generer

    if not any(p for p in DEMO.iterdir() if not p.name.startswith(".")):
        generer(DEMO, graine=graine)
    execution = Execution(str(chemin_entrepot(entrepot)), [REFERENTIELS, DEMO], chemin_sorties() / "demo",
                          executeur=executeur, dask_adresse=dask_adresse)
    return _executer(execution, f"Démonstration du {_horodatage()}", "demo")
