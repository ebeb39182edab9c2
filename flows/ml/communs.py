"""What the three models share: text normalisation, data fingerprints, where trained
models and model cards live, and writing a model card (JSON for the dashboard, Markdown
in French for a reader)."""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from flows.config import chemin_sorties, nom_entrepot, parametres, racine_modeles_ml
from flows.formats import PARIS, heure_paris

# Words of a job title that say nothing about the job: gender marks, contract, schedule,
# urgency, housing, articles and prepositions, and the endings that French inclusive
# writing splits off ("technicien(ne)" -> "technicien ne").
_BRUIT = re.compile(
    r"\b(h|f|d|x|cdi|cdd|cdii|interim|alternance|apprentissage|stage|saison\d*|saisonnier|saisonniere|"
    r"loge|logee|non|urgent|poste|postes|a|pourvoir|suite|immediatement|temps|plein|partiel|job|hiver|ete|"
    r"\d+h?|h\d+|un|une|e|ne|rice|trice|ere|se|euse|ive|ve|le|la|les|des|du|de|d|l|en|et|au|aux|pour|sur|"
    r"dans)\b")


def sans_accents(texte: str) -> str:
    """Lower case without diacritics (œ and æ spelt out, other letters with no ASCII form
    dropped)."""
    texte = texte.lower().replace("œ", "oe").replace("æ", "ae")
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")


def normaliser(texte: Any) -> str:
    """Lower case, no accents, letters and digits only, single spaces (anything that is
    not a text, such as a missing value, gives "")."""
    if not isinstance(texte, str):
        return ""
    return re.sub(r"[^a-z0-9]+", " ", sans_accents(texte)).strip()


def nettoyer_intitule(texte: Any) -> str:
    """A job title reduced to the words that name the job."""
    return re.sub(r"\s+", " ", _BRUIT.sub(" ", normaliser(texte))).strip()


def empreinte(elements: Iterable[Any]) -> str:
    """SHA-256 of a sequence of values (each rendered with ``repr``): the identity of a
    training set, so that a model is retrained exactly when its data change."""
    h = hashlib.sha256()
    for element in elements:
        h.update(repr(element).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def empreintes_lignes(*colonnes: Any) -> np.ndarray:
    """One 64-bit hash per row of the given columns (sorted): a training set's identity,
    compared row by row with the next one's (``part_changee``)."""
    return np.sort(np.array([int.from_bytes(hashlib.blake2b(repr(ligne).encode("utf-8"), digest_size=8).digest(),
                                            "little") for ligne in zip(*colonnes, strict=True)], dtype=np.uint64))


def part_changee(anciennes: np.ndarray, nouvelles: np.ndarray) -> float:
    """Share of rows not common to two training sets (as multisets of row hashes), over
    the larger: k rows added to n give k / (n + k); k changed or removed, k / n."""
    if not len(anciennes) and not len(nouvelles):
        return 0.0
    a, na = np.unique(anciennes, return_counts=True)
    b, nb = np.unique(nouvelles, return_counts=True)
    _, ia, ib = np.intersect1d(a, b, assume_unique=True, return_indices=True)
    return float(1.0 - np.minimum(na[ia], nb[ib]).sum() / max(len(anciennes), len(nouvelles)))


@dataclass
class Decision:
    """Why a stored model was reused or a new one fitted (said by its card and the summary)."""

    entraine: bool
    raison: str  # 'aucun_modele', 'demande', 'reglages' or 'part'
    seuil: float  # the configured share (part_nouvelle_max)
    part: float | None = None  # share of rows added, changed or removed since the stored fit
    entraine_le: str | None = None  # when the model in use was fitted
    objets: str = "d'exemples nouveaux, modifiés ou retirés"
    changement: str = "réglages changés"

    def texte(self) -> str:
        """French, for the card and the summary."""
        seuil = pourcent(self.seuil, 0)
        if self.raison == "aucun_modele":
            return "modèle entraîné : aucun modèle stocké pour cet entrepôt"
        if self.raison == "demande":
            return "modèle réentraîné à la demande (--reentrainer)"
        if self.raison == "reglages":
            return f"modèle réentraîné : {self.changement}"
        part = pourcent(self.part or 0.0)
        if self.entraine:
            return f"modèle réentraîné : {part} {self.objets}, au-delà du seuil de {seuil}"
        quand = heure_paris(datetime.fromisoformat(self.entraine_le), entre=" à ") if self.entraine_le else "—"
        return f"modèle réutilisé : {part} {self.objets}, seuil {seuil} (entraîné le {quand}, heure de Paris)"


def rendre_memoire() -> None:
    """Give the freed heap back to the system between two steps of one process: glibc keeps
    it otherwise, and the next step's peak would start from the last one's (at a million
    offers, the deduplication started 1.4 GB high after the classifier)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the system's allocator does as it does
        pass


def regles() -> dict[str, Any]:
    """The ``[apprentissage]`` section of config/parametres.toml."""
    return parametres()["apprentissage"]


def dossier_modeles(entrepot: str | Path | None = None) -> Path:
    """Trained model files of one warehouse (git-ignored): ``<racine>/<warehouse name>/``,
    the root being ``HUB_MODELES_ML`` when set, else donnees/modeles-ml. A model belongs to
    the warehouse it was trained on: ``classer-rome --entrepot reel.duckdb`` uses that one."""
    return racine_modeles_ml() / nom_entrepot(entrepot)


def dossier_cartes(modele: str, entrepot: str | Path | None = None, sorties: Path | None = None) -> Path:
    """``sorties/modeles/<warehouse name>/<modele>/``, where publication finds the model
    cards of the warehouse it publishes (``sorties`` replaces ``sorties/``)."""
    return (sorties or chemin_sorties()) / "modeles" / nom_entrepot(entrepot) / modele


def maintenant() -> str:
    return datetime.now(PARIS).isoformat(timespec="seconds")


def ecrire_json(chemin: Path, contenu: dict[str, Any]) -> None:
    """Write through a temporary file, so that a reader never sees half a file."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    temporaire = chemin.with_name(f".{chemin.name}.{os.getpid()}")
    temporaire.write_text(json.dumps(contenu, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    temporaire.replace(chemin)


def ecrire_carte(modele: str, entrepot: str, carte: dict[str, Any], markdown: str) -> Path:
    """Write ``carte.json`` and ``carte.md`` of a model of ``entrepot``; returns the folder."""
    dossier = dossier_cartes(modele, entrepot)
    ecrire_json(dossier / "carte.json", carte)
    (dossier / "carte.md").write_text(markdown, encoding="utf-8")
    return dossier


def pourcent(valeur: float | None, decimales: int = 1) -> str:
    """``0.784`` -> ``78,4 %`` (French, for the Markdown cards)."""
    if valeur is None:
        return "—"
    return f"{100 * valeur:.{decimales}f}".replace(".", ",") + "\u202f%"
