"""One module per input format. Each exposes ``lire(chemin, contexte) -> Lot`` (pure
parsing and validation), those of large files also ``lire_par_lots`` (the same in
bounded batches), and the warehouse's single writer merges the result.

The names of the sources and their modules are in ``flows.lecture.registre``; modules are
imported on first use so that a command only pays for the formats it reads.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path

from flows.lecture.lots import Contexte, Lot
from flows.lecture.registre import verifier_source


def lecteur(source: str) -> Callable[[Path, Contexte], Lot]:
    """The ``lire`` function of a source, or a French error listing the valid names."""
    module = importlib.import_module(f"flows.sources.{verifier_source(source)}")
    return module.lire


def lecteur_par_lots(source: str) -> Callable[[Path, Contexte], Iterable[Lot]]:
    """The ``lire_par_lots`` function of a source (a file in bounded batches), or its
    ``lire`` as one batch."""
    module = importlib.import_module(f"flows.sources.{verifier_source(source)}")
    return getattr(module, "lire_par_lots", None) or (lambda chemin, contexte: [module.lire(chemin, contexte)])


def table_de(source: str, chemin: Path) -> str | None:
    """The raw table a file of a referential source (files of fixed kinds: ROME codes, job
    titles, basins...) loads into, read from its header; None for the other sources, or
    when the header fits no kind."""
    module = importlib.import_module(f"flows.sources.{verifier_source(source)}")
    lire_table = getattr(module, "table_de", None)
    return lire_table(Path(chemin)) if lire_table else None
