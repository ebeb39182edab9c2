"""Fingerprints of the outputs, so that a publication redraws only the outputs whose
figures changed and copies the others from the previous run.

An output's fingerprint hashes everything it prints: the results of the saved queries it
runs (after masking and pseudonyms, so that the salt and the other pilots' names count
only where they are printed), the thresholds and labels it shows, and the version of the
code that draws it (``version_rendu``). Each run keeps them in ``empreintes.json`` with
the sha256 of each file written; the next run copies a file only when the fingerprint is
the same and the file is still the one written then (a file edited by hand is redrawn).
Nothing in a copied file may depend on the run (its name, its clock): the dashboard, which
dates the publication and compares it with the previous one, takes the previous page and
draws again only those parts (flows/render/tableau_de_bord.py, ``publier``).
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pyarrow as pa

from flows.config import RACINE, SQL
from flows.formats import PARIS

MANIFESTE = "empreintes.json"
# What turns figures into files, besides flows/render/ and sql/publication/: the French
# formats, the masking and pseudonyms, and the libraries that write HTML, CSV and Parquet.
MODULES = ("flows/formats.py", "flows/confidentialite.py", "flows/publication.py")
BIBLIOTHEQUES = ("plotly", "jinja2", "markupsafe", "pandas", "pyarrow", "duckdb")


@cache
def version_rendu() -> str:
    """Hash of the render code, templates and saved queries, and of the libraries' versions."""
    fichiers = sorted([f for f in (RACINE / "flows" / "render").rglob("*") if f.is_file() and f.suffix != ".pyc"]
                      + list((SQL / "publication").glob("*.sql")) + [RACINE / m for m in MODULES])
    h = hashlib.sha256()
    for f in fichiers:
        _ajouter(h, (f.relative_to(RACINE).as_posix(), f.read_bytes()))
    _ajouter(h, [platform.python_version(), *(version(b) for b in BIBLIOTHEQUES)])
    return h.hexdigest()


def version_navigateur(navigateur: str | None) -> str:
    """Chromium's version (its PDFs are reused only from the same one); « absent » without it."""
    if not navigateur:
        return "absent"
    try:
        sortie = subprocess.run([navigateur, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "inconnue"
    return sortie.stdout.strip() or "inconnue"


def empreinte(*parties: object) -> str:
    """sha256 of ``parties`` (tables, mappings, lists, scalars), the same for equal values."""
    h = hashlib.sha256()
    for partie in parties:
        _ajouter(h, partie)
    return h.hexdigest()


def _ajouter(h: hashlib._Hash, valeur: object) -> None:
    """Each value with its type and length first, so that no two values hash alike."""
    if isinstance(valeur, pd.DataFrame | pa.Table):
        flux = pa.BufferOutputStream()
        table = pa.Table.from_pandas(valeur, preserve_index=False) if isinstance(valeur, pd.DataFrame) else valeur
        with pa.ipc.new_stream(flux, table.schema) as ecrivain:
            ecrivain.write_table(table)
        octets = flux.getvalue().to_pybytes()
    elif isinstance(valeur, Mapping):
        h.update(f"dict:{len(valeur)}:".encode())
        for cle in sorted(valeur, key=repr):
            _ajouter(h, cle)
            _ajouter(h, valeur[cle])
        return
    elif isinstance(valeur, list | tuple | frozenset | set):
        elements = sorted(valeur, key=repr) if isinstance(valeur, frozenset | set) else valeur
        h.update(f"list:{len(elements)}:".encode())
        for element in elements:
            _ajouter(h, element)
        return
    elif isinstance(valeur, bytes):
        octets = valeur
    else:
        octets = repr(valeur).encode()
    h.update(f"{type(valeur).__name__}:{len(octets)}:".encode())
    h.update(octets)


def sha256_fichier(chemin: Path) -> str:
    h = hashlib.sha256()
    with open(chemin, "rb") as f:
        for bloc in iter(lambda: f.read(1 << 20), b""):
            h.update(bloc)
    return h.hexdigest()


@dataclass(frozen=True)
class Sortie:
    """One output of a run (a report with its PDF, an extracted table): its files, its
    fingerprint and whether they were copied from the previous run."""

    cle: str
    empreinte: str
    fichiers: tuple[Path, ...]
    reprise: bool


@dataclass(frozen=True)
class Anterieur:
    """The most recent earlier run of the same warehouse: its folder and its manifest."""

    dossier: Path
    sorties: Mapping[str, Mapping]

    def fichiers(self, cle: str, empreinte_: str, fichiers: list[Path]) -> list[Path] | None:
        """The earlier run's files of ``cle``, in the order of ``fichiers`` (matched by
        extension), if it printed them from the same fingerprint and they are unchanged
        since; else None."""
        entree = self.sorties.get(cle)
        if not entree or entree.get("empreinte") != empreinte_:
            return None
        anciens = {Path(f).suffix: (f, sha) for f, sha in dict(entree.get("fichiers", {})).items()}
        if sorted(anciens) != sorted(f.suffix for f in fichiers):
            return None
        sources = []
        for f in fichiers:
            ancien, sha = anciens[f.suffix]
            source = (self.dossier / ancien).resolve()
            if (not source.is_relative_to(self.dossier.resolve()) or not source.is_file()
                    or sha256_fichier(source) != sha):
                return None
            sources.append(source)
        return sources

    def reprendre(self, cle: str, empreinte_: str, fichiers: list[Path]) -> bool:
        """Copy the files of ``cle`` to ``fichiers`` when ``self.fichiers`` finds them."""
        sources = self.fichiers(cle, empreinte_, fichiers)
        if sources is None:
            return False
        for source, f in zip(sources, fichiers, strict=True):
            f.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, f)
        return True


def trouver_anterieur(racine: Path, entrepot: str | Path) -> Anterieur | None:
    """The manifest of the latest run of ``entrepot`` under ``racine`` (the folder about to be
    replaced included: republishing the same run name reuses it), None when there is none."""
    trouves = []
    for fichier in racine.glob(f"*/{MANIFESTE}") if racine.is_dir() else []:
        if ".tmp-" in fichier.parent.name or ".ancien-" in fichier.parent.name:
            continue
        try:
            contenu = json.loads(fichier.read_text(encoding="utf-8"))
            if contenu.get("entrepot") != str(Path(entrepot).resolve()):
                continue
            trouves.append((datetime.fromisoformat(str(contenu["publie_le"])), fichier.parent.name,
                            fichier.parent, dict(contenu["sorties"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    if not trouves:
        return None
    *_, dossier, sorties = max(trouves, key=lambda t: (t[0], t[1]))
    return Anterieur(dossier, sorties)


def ecrire_manifeste(dossier: Path, entrepot: str | Path, sorties: list[Sortie]) -> Path:
    """``empreintes.json``: each output's fingerprint and the sha256 of its files."""
    contenu = {
        "publie_le": datetime.now(PARIS).isoformat(timespec="microseconds"),
        "entrepot": str(Path(entrepot).resolve()),
        "sorties": {s.cle: {"empreinte": s.empreinte,
                            "fichiers": {f.relative_to(dossier).as_posix(): sha256_fichier(f)
                                         for f in s.fichiers if f.is_file()}}
                    for s in sorties},
    }
    chemin = dossier / MANIFESTE
    chemin.write_text(json.dumps(contenu, ensure_ascii=False, indent=1), encoding="utf-8")
    return chemin
