"""One module per input format. Each exposes ``lire(chemin, contexte) -> Lot`` (pure
parsing and validation) and the warehouse's single writer merges the result.

``SOURCES`` maps the command-line source names to their module; modules are imported on
first use so that a command only pays for the formats it reads.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from flows.erreurs import ErreurUtilisateur
from flows.lecture.lots import Contexte, Lot

SOURCES: dict[str, tuple[str, str]] = {
    "offres-ft": ("offres_ft", "offres France Travail (API v2, JSON)"),
    "offres-fichier": ("offres_fichier", "offres de sites d'emploi ou d'ATS (CSV, XLSX)"),
    "demandeurs": ("demandeurs", "statistiques demandeurs et offres par ROME et territoire"),
    "profils": ("profils", "profils anonymisés de demandeurs d'emploi"),
    "bmo": ("bmo", "enquête Besoins en Main-d'Œuvre"),
    "dares": ("dares", "indicateurs de tension DARES et correspondance ROME → FAP"),
    "rome": ("rome", "référentiel ROME 4.0 (RefRomeCsv)"),
    "fap2021": ("fap2021", "nomenclature FAP-2021 et table de passage ROME-Qualif → FAP-2021 (DARES)"),
    "communes": ("communes", "communes et bassins d'emploi BMO"),
    "entreprise": ("entreprise", "recrutements et candidatures d'une entreprise pilote"),
}


def lecteur(source: str) -> Callable[[Path, Contexte], Lot]:
    """The ``lire`` function of a source, or a French error listing the valid names."""
    if source not in SOURCES:
        raise ErreurUtilisateur(
            f"source inconnue « {source} » ; sources possibles : {', '.join(SOURCES)}"
        )
    module = importlib.import_module(f"flows.sources.{SOURCES[source][0]}")
    return module.lire


def table_de(source: str, chemin: Path) -> str | None:
    """The raw table a file of a referential source (files of fixed kinds: ROME codes, job
    titles, basins...) loads into, read from its header; None for the other sources, or
    when the header fits no kind."""
    module = importlib.import_module(f"flows.sources.{SOURCES[source][0]}")
    lire_table = getattr(module, "table_de", None)
    return lire_table(Path(chemin)) if lire_table else None
