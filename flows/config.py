"""Paths and settings in one place.

Every path the pipeline uses is derived here from the project root, so that the CLI, the
flows and the tests agree. Thresholds and rules live in ``config/parametres.toml`` (with
comments giving their source), never as literals in code.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

RACINE = Path(__file__).resolve().parents[1]
CONFIG = RACINE / "config"
SQL = RACINE / "sql"
DONNEES = RACINE / "donnees"
ENTREE = DONNEES / "entree"
REFERENTIELS = DONNEES / "referentiels"
DEMO = DONNEES / "demo"
MODELES = DONNEES / "modeles"
SORTIES = RACINE / "sorties"

ENTREPOT_DEFAUT = DONNEES / "entrepot.duckdb"


def chemin_entrepot(explicite: str | Path | None = None) -> Path:
    """Warehouse file: the ``--entrepot`` option, else ``HUB_ENTREPOT``, else the default."""
    if explicite:
        return Path(explicite).expanduser().resolve()
    env = os.environ.get("HUB_ENTREPOT")
    if env:
        return Path(env).expanduser().resolve()
    return ENTREPOT_DEFAUT


def nom_entrepot(explicite: str | Path | None = None) -> str:
    """The name that ties outputs to their warehouse (model cards, trained models): the
    warehouse file's name without its extension (``reel`` for donnees/reel.duckdb)."""
    return chemin_entrepot(explicite).stem


def chemin_sorties() -> Path:
    """Root of the outputs: ``HUB_SORTIES`` when set (tests, another disk), else ``sorties/``."""
    env = os.environ.get("HUB_SORTIES")
    return Path(env).expanduser().resolve() if env else SORTIES


def chemin_journaux() -> Path:
    """Folder of the error logs (full tracebacks the terminal does not show): ``HUB_JOURNAUX``
    when set, else ``donnees/journaux``, beside the warehouse and outside the outputs."""
    env = os.environ.get("HUB_JOURNAUX")
    return Path(env).expanduser().resolve() if env else DONNEES / "journaux"


def chemin_secrets() -> Path:
    """Folder for the hashing salt: outside the warehouse and outside the outputs."""
    env = os.environ.get("HUB_SECRETS")
    return Path(env).expanduser().resolve() if env else DONNEES / "secrets"


@cache
def _lire_toml(chemin: str) -> dict[str, Any]:
    with Path(chemin).open("rb") as f:
        return tomllib.load(f)


def parametres() -> dict[str, Any]:
    """Thresholds and rules (``HUB_PARAMETRES`` may point to another TOML file).
    Read once per process and path: loaders call this for every value they parse."""
    return _lire_toml(os.environ.get("HUB_PARAMETRES") or str(CONFIG / "parametres.toml"))


def sources_offres() -> dict[str, Any]:
    """Column mappings of job-board and ATS exports (``config/sources_offres.toml``)."""
    return _lire_toml(os.environ.get("HUB_SOURCES_OFFRES") or str(CONFIG / "sources_offres.toml"))


def bornes_des_dates(aujourd_hui: date | None = None) -> tuple[date, date]:
    """The earliest and latest plausible date of an input (section ``[dates]``): a fixed
    earliest day, and the day of the load plus ``avance_max_jours``."""
    bornes = parametres()["dates"]
    debut = bornes["plus_ancienne"]  # a TOML date (1990-01-01), or the same written as text
    debut = debut if isinstance(debut, date) else date.fromisoformat(str(debut))
    return debut, (aujourd_hui or date.today()) + timedelta(days=int(bornes["avance_max_jours"]))


def controles_entreprise() -> dict[str, int]:
    """Tolerances of the cross-sheet checks of a pilot company's workbook (``[entreprise]``)."""
    return dict(parametres()["entreprise"])


# --------------------------------------------------------------------------- executor (ingestion)
# The task runner that parses the bulk sources' partitions; ``--executeur`` and
# ``--dask-adresse`` override these for one command.

def executeur_par_defaut() -> str:
    """``HUB_EXECUTEUR``: ``local`` (threads, the default) or ``dask``."""
    return os.environ.get("HUB_EXECUTEUR") or "local"


def dask_adresse_par_defaut() -> str | None:
    """``HUB_DASK_ADRESSE``: the address of a running Dask scheduler; unset, ``dask`` starts
    a local cluster for the run."""
    return os.environ.get("HUB_DASK_ADRESSE") or None
