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
from pathlib import Path

from flows.erreurs import ErreurUtilisateur

NOM_VALIDE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
RESERVES = {"modeles", "tests"}  # sorties/modeles: model cards; sorties/tests: test screenshots
EXECUTEURS = ("local", "dask")


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
