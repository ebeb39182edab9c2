"""Flows chaining the stages: the drop zone (``pipeline``) and the demo (``pipeline_demo``)."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.config import DEMO, ENTREE, REFERENTIELS
from flows.ingestion import ingestion_complete, resume
from flows.transformation import transformation


def _executer(zones: list[Path], entrepot: str) -> str:
    bilans = ingestion_complete([str(z) for z in zones], entrepot)
    tables = transformation(entrepot)
    lignes = [resume(bilans, entrepot)]
    for couche, noms in tables.items():
        lignes.append(f"Couche {couche} : {len(noms)} table(s) reconstruite(s).")
    lignes.append(f"Entrepôt : {entrepot}")
    return "\n".join(lignes)


@flow(name="pipeline", log_prints=True)
def pipeline(entrepot: str) -> str:
    """Shipped referentials and the drop zone ``donnees/entree/``, then every stage."""
    return _executer([REFERENTIELS, ENTREE], entrepot)


@flow(name="pipeline démo", log_prints=True)
def pipeline_demo(entrepot: str, graine: int = 2026) -> str:
    """Generate the fictitious demo data if ``donnees/demo`` is empty, then run it all."""
    from flows.demo import generer

    if not any(p for p in DEMO.iterdir() if not p.name.startswith(".")):
        generer(DEMO, graine=graine)
    return _executer([REFERENTIELS, DEMO], entrepot)
