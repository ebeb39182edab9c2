"""Checks of what the user typed, cheap enough to run before anything starts.

The command line calls them before it imports Prefect (whose temporary server takes tens
of seconds to start), so a mistyped name or a missing file is refused at once; the flows
call them too, for the runs the scheduler starts.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from flows.erreurs import ErreurUtilisateur
from flows.formats import PARIS

NOM_VALIDE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
RESERVES = {"modeles", "tests"}  # sorties/modeles: model cards; sorties/tests: test screenshots
EXECUTEURS = ("local", "dask")
DEPARTEMENT = re.compile(r"\d{2}|2[AB]|97\d")
TYPES_TERRITOIRE = ("NAT", "REG", "DEP", "BASSIN")
_TERRITOIRE = re.compile(r"([A-Z]+)\s*:\s*([0-9A-Z]+)")


def verifier_nom(nom: str) -> str:
    """An outputs folder name: one plain folder inside ``sorties/``."""
    if not NOM_VALIDE.fullmatch(nom) or nom in RESERVES:
        raise ErreurUtilisateur(
            f"nom de sortie invalide « {nom} » : lettres, chiffres, - et _ seulement (pas de « / » ni de « .. »), "
            f"et ni {' ni '.join(sorted(RESERVES))}")
    return nom


def verifier_executeur(executeur: str | None) -> None:
    if executeur is not None and executeur not in EXECUTEURS:
        raise ErreurUtilisateur(f"exécuteur inconnu « {executeur} » ; possibles : {', '.join(EXECUTEURS)}")


def verifier_entrees(chemins: Iterable[Path]) -> None:
    """Files or folders given to load: each must exist, be readable, and be a regular file
    or a folder (a named pipe would block the load forever while it holds the warehouse)."""
    for chemin in chemins:
        try:
            mode = chemin.stat().st_mode
        except FileNotFoundError:
            raise ErreurUtilisateur(f"{chemin} : fichier ou dossier introuvable") from None
        except OSError as e:  # a symbolic link loop, a path through a file...
            raise ErreurUtilisateur(f"{chemin} : chemin illisible ({e.strerror})") from None
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise ErreurUtilisateur(f"{chemin} : ni un fichier ni un dossier (tube ou périphérique) : refusé")
        if not os.access(chemin, os.R_OK | (os.X_OK if stat.S_ISDIR(mode) else 0)):
            raise ErreurUtilisateur(f"{chemin} : lecture interdite (droits du fichier)")


def verifier_fichier(chemin: Path) -> None:
    """One file to read (not a folder)."""
    verifier_entrees([chemin])
    if chemin.is_dir():
        raise ErreurUtilisateur(f"{chemin} est un dossier : donnez le chemin d'un fichier")


def verifier_fichier_a_ecrire(chemin: Path) -> None:
    """One file to write, in a folder that exists."""
    if chemin.is_dir():
        raise ErreurUtilisateur(f"{chemin} est un dossier : donnez le chemin du fichier à écrire")
    if not chemin.parent.is_dir():
        raise ErreurUtilisateur(f"dossier introuvable : {chemin.parent} (créez-le ou choisissez un autre chemin)")


def verifier_dossier_a_ecrire(dossier: Path) -> None:
    """A folder to write into: it may not exist yet, but its parent must, and it is not a file."""
    if dossier.exists() and not dossier.is_dir():
        raise ErreurUtilisateur(f"{dossier} n'est pas un dossier : donnez le chemin d'un dossier où écrire")
    if not dossier.exists() and not dossier.parent.is_dir():
        raise ErreurUtilisateur(f"dossier introuvable : {dossier.parent} (créez-le ou choisissez un autre chemin)")


def departement(texte: str) -> str:
    """``21``, ``2A``, ``974`` (``1`` -> ``01``), or a French error naming the bad value."""
    dep = str(texte).strip().upper()
    dep = dep.zfill(2) if dep.isdigit() and len(dep) == 1 else dep
    if not DEPARTEMENT.fullmatch(dep):
        raise ErreurUtilisateur(f"département mal formé « {texte} » (exemples : 21, 2A, 974)")
    return dep


def codes_rome(romes: list[str] | None) -> list[str]:
    """Checked, upper-case, sorted and distinct ROME codes."""
    codes = sorted({str(r).strip().upper() for r in romes or []})
    for code in codes:
        if not re.fullmatch(r"[A-Z]\d{4}", code):
            raise ErreurUtilisateur(f"code ROME mal formé « {code} » (une lettre et 4 chiffres, ex. I1304)")
    return codes


def lire_instant(texte: str, option: str) -> datetime:
    """``2025-05-01`` or ``2025-05-01T08:30[:00]``, Paris time unless it ends with ``Z``."""
    valeur = texte.strip()
    try:
        if valeur.endswith("Z"):
            return datetime.fromisoformat(valeur[:-1]).replace(tzinfo=UTC, microsecond=0)
        instant = datetime.fromisoformat(valeur)
    except ValueError:
        raise ErreurUtilisateur(f"date illisible « {texte} » pour {option} "
                                "(attendu AAAA-MM-JJ ou AAAA-MM-JJTHH:MM, heure de Paris)") from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=PARIS)
    return instant.astimezone(UTC).replace(microsecond=0)


def territoire(texte: str) -> tuple[str, str]:
    """``DEP:21`` -> ("DEP", "21")."""
    trouve = _TERRITOIRE.fullmatch(str(texte).strip().upper())
    if not trouve or trouve[1] not in TYPES_TERRITOIRE:
        raise ErreurUtilisateur(f"territoire mal formé « {texte} » (attendu TYPE:CODE, TYPE parmi "
                                f"{', '.join(TYPES_TERRITOIRE)} ; ex. DEP:21, REG:27)")
    return trouve[1], trouve[2]


def verifier_collecte_offres(dep: str, romes: list[str] | None, depuis: str | None, jusqua: str | None) -> None:
    """Everything ``collecter-ft`` is given, checked before Prefect starts."""
    departement(dep)
    codes_rome(romes)
    for texte, option in ((depuis, "--depuis"), (jusqua, "--jusqua")):
        if texte is not None:
            lire_instant(texte, option)


def verifier_collecte_marche(territoires: list[str], romes: list[str]) -> None:
    """Everything ``collecter-marche`` is given, checked before Prefect starts."""
    for t in territoires:
        territoire(t)
    if not codes_rome(romes) or not territoires:
        raise ErreurUtilisateur("indiquez au moins un territoire (--territoire DEP:21) et un métier (--rome I1304)")
