"""The batch a loader hands to the warehouse's single writer, and its provenance.

A loader's ``lire(chemin, contexte)`` is pure: it reads one file and returns a ``Lot``
(rows per raw table, with provenance, plus rejected rows with a French reason). It never
touches the warehouse, so files can be parsed in parallel; ``flows.warehouse.charger``
is the single writer. A loader of large files also has ``lire_par_lots``, which yields
the same file as several ``Lot``s (``flows.warehouse.charger_lots`` merges them in one
transaction); its ``lire`` is then ``fusionner_lots`` of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.config import RACINE


@dataclass
class Rejet:
    """One unusable value: the row it belongs to goes to ``controle.rejets``."""

    ligne: int | None
    champ: str
    valeur: str | None
    motif: str
    chemin_json: str | None = None


@dataclass
class Table:
    """Rows for one raw table and how they merge with what is already there.

    ``cle`` is the natural key. ``version`` names a column: an incoming row replaces the
    stored one only when its version is newer. ``parent`` makes this a child table: its
    rows are replaced for every parent key that was inserted or updated.
    """

    nom: str
    lignes: list[dict[str, Any]]
    cle: tuple[str, ...]
    version: str | None = None
    parent: str | None = None
    parquet: str | None = None  # rows of a ``Paquet``, typed, in a Parquet file (``lignes`` unused)


@dataclass
class FichierLu:
    """One file of a ``Paquet``: its rank in the load order and what its parsing found."""

    ordre: int
    nom: str  # as ``nom_affiche`` shows it
    sha256: str
    lignes_lues: int = 0
    lignes_rejetees: int = 0
    remarques: str = ""


@dataclass
class Paquet:
    """Many files of one source parsed together (a bulk loader's partition).

    Rows and rejects are Parquet files in which ``_ordre`` is the rank of each row's file
    in the load order (its ``FichierLu``). The single writer merges a packet in one
    transaction, with the result of loading its files one by one in that order.
    """

    source: str
    fichiers: list[FichierLu]
    tables: list[Table]  # each with ``parquet``
    rejets: str  # Parquet: _ordre, ligne, chemin_json, champ, valeur, motif


@dataclass
class Lot:
    """One parsed input file, ready for the single writer."""

    source: str
    fichier: Path
    sha256: str
    tables: list[Table] = field(default_factory=list)
    rejets: list[Rejet] = field(default_factory=list)
    remarques: list[str] = field(default_factory=list)
    lignes_lues: int = 0

    @property
    def nom_fichier(self) -> str:
        return nom_affiche(self.fichier)

    def lignes_rejetees(self) -> int:
        """Distinct rows that went to the quarantine (a row may have several faults)."""
        return len({(r.ligne, r.chemin_json) for r in self.rejets})


@dataclass
class Contexte:
    """What validation needs to know from the warehouse (small referential sets)."""

    codes_rome: frozenset[str] = frozenset()
    communes: frozenset[str] = frozenset()
    sel: bytes = b""  # salt for pseudonymising jobseekers' and candidates' identifiers
    plateforme: str | None = None  # job-board source forced by the user (offres-fichier)


def nom_affiche(chemin: Path) -> str:
    """Path shown to users and kept as provenance: relative to the project when inside."""
    chemin = Path(chemin).absolute()
    try:
        return str(chemin.relative_to(RACINE))
    except ValueError:
        return str(chemin)


def empreinte(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


def fusionner_lots(lots: Iterable[Lot]) -> Lot:
    """The batches of one file as the single ``Lot`` of the whole file."""
    tout: Lot | None = None
    for lot in lots:
        if tout is None:
            tout = Lot(lot.source, lot.fichier, lot.sha256, [Table(t.nom, [], t.cle, t.version, t.parent)
                                                               for t in lot.tables])
        for table, morceau in zip(tout.tables, lot.tables, strict=True):
            table.lignes.extend(morceau.lignes)
        tout.rejets += lot.rejets
        tout.remarques += lot.remarques
        tout.lignes_lues += lot.lignes_lues
    if tout is None:
        raise ValueError("fusionner_lots: no batch")
    return tout
