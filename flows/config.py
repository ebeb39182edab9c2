"""Paths and settings in one place.

Every path the pipeline uses is derived here from the project root, so that the CLI, the
flows and the tests agree. Thresholds and rules live in ``config/parametres.toml`` (with
comments giving their source), never as literals in code. Environment variables are read
here only, by the functions below (tests/test_config.py checks it).
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


def lignes_par_lot() -> int:
    """Rows of a delimited file parsed, checked and merged at a time (``[entrepot]``)."""
    return int(parametres()["entrepot"]["lignes_par_lot"])


def controles_entreprise() -> dict[str, int]:
    """Tolerances of the cross-sheet checks of a pilot company's workbook (``[entreprise]``)."""
    return dict(parametres()["entreprise"])


# --------------------------------------------------------------------------------------
# Settings read from the environment, and the scheduled collections (issue #16: every
# setting is read here; the rest of the code calls these functions).


def racine_modeles_ml() -> Path:
    """Root of the trained model files: ``HUB_MODELES_ML`` when set, else donnees/modeles-ml."""
    env = os.environ.get("HUB_MODELES_ML")
    return Path(env).expanduser().resolve() if env else DONNEES / "modeles-ml"


def sel_impose() -> bytes | None:
    """The hashing salt given by ``HUB_SEL`` (tests, a salt kept elsewhere), else None: the
    salt file of ``chemin_secrets()`` is used."""
    env = os.environ.get("HUB_SEL")
    return env.encode() if env else None


def identifiants_france_travail() -> tuple[str | None, str | None]:
    """``FT_CLIENT_ID`` and ``FT_CLIENT_SECRET`` (either may be missing: the collection then
    falls back to the Prefect server's Secret blocks)."""
    return os.environ.get("FT_CLIENT_ID"), os.environ.get("FT_CLIENT_SECRET")


def url_france_travail(explicite: str | None, variable: str, defaut: str) -> str:
    """An API address: the command-line option, else the environment variable (``FT_API_URL``,
    ``FT_STATS_URL``, ``FT_TOKEN_URL``), else the real endpoint; without a trailing slash."""
    return (explicite or os.environ.get(variable) or defaut).rstrip("/")


def url_serveur_prefect() -> str | None:
    """``PREFECT_API_URL`` as exported, read before asking Prefect's own settings."""
    return os.environ.get("PREFECT_API_URL") or None


def reglages_prefect() -> dict[str, str]:
    """Prefect settings this project gives before Prefect is imported (an exported variable
    wins): no analytics call (no network here); Prefect's console output silenced (commands
    print their French summary, the Prefect UI still gets every log); and time for the
    temporary server to create its database the first time (``[prefect]``)."""
    return {
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": str(parametres()["prefect"]["demarrage_serveur_secondes"]),
    }


def appliquer_reglages_prefect() -> None:
    """Put ``reglages_prefect()`` in the environment unless already there: Prefect reads its
    settings from the environment once, when it is first imported, so the command line
    calls this before any import of Prefect."""
    for variable, valeur in reglages_prefect().items():
        os.environ.setdefault(variable, valeur)


def delai_demarrage_prefect() -> str | None:
    """The temporary Prefect server's startup timeout in force, in seconds, as text."""
    return os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS")


def collectes_planifiees() -> dict[str, Any]:
    """What the scheduled collections fetch (section ``[collecte]``): the département of the
    daily offers, the territories and occupations of the weekly market statistics."""
    collecte = parametres()["collecte"]
    return {"departement": str(collecte["departement_offres"]),
            "territoires": [str(t) for t in collecte["territoires_marche"]],
            "metiers": [str(m) for m in collecte["metiers_suivis"]]}


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
