"""DARES files of the "Portrait statistique des métiers" (FAP-2009 nomenclature): tension
indicators by territory (``tensions.csv``), national tension by year
(``evol_tensions.csv``), the ROME v3 -> FAP correspondence (``fap225_rome.csv``),
national jobseeker series (``serie_demandeurs_emploi_A_ABC.csv``) and the median salary
by family (``dares_salaire_median.csv``, which also gives the FAP-2009 labels).

Which of the five a file holds is read from its header, not its name; the encoding (UTF-8
or Windows-1252) and the separator are detected. ``NA`` is R's "not available": NULL.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flows.lecture.genres import lire_csv_de_formats, table_du_genre
from flows.lecture.lots import Contexte, Lot, Rejet
from flows.lecture.valeurs import (
    ValeurInvalide,
    cite,
    lire_annee,
    lire_code,
    lire_code_rome,
    lire_decimal,
    normaliser_nom_colonne,
    obligatoire,
    texte,
)

SOURCE = "dares"

TENSIONS = "indicateurs de tension (tensions.csv)"
EVOLUTION = "évolution de la tension (evol_tensions.csv)"
FAP_ROME = "correspondance FAP - ROME (fap225_rome.csv)"
DEMANDEURS = "séries de demandeurs d'emploi (serie_demandeurs_emploi_A_ABC.csv)"
SALAIRES = "salaire médian par famille professionnelle (dares_salaire_median.csv)"

CATEGORIES = {"categorie_a": "A", "categories_a_b_c": "ABC"}  # normalised labels


def _na(lecteur):
    """Wrap a parser so that R's ``NA`` reads as unknown."""
    return lambda valeur: None if texte(valeur) == "NA" else lecteur(valeur)


def _fap(valeur: Any) -> str | None:
    """A FAP-2009 code: family of 87 (``G1Z``) or of 225 (``G1Z70``); ``ZZZ``, ``ZZZZZ``: not stated."""
    code = texte(valeur)
    if code is not None and not re.fullmatch(r"[A-Z][0-9A-Z]{2}([0-9A-Z]{2})?", code):
        raise ValeurInvalide(f"code FAP mal formé {cite(valeur)} (attendu par ex. G1Z70 ou G1Z)")
    return code


def _fap_a_trois_niveaux(valeur: Any) -> str | None:
    """A FAP-2009 code at any of its three levels: domain (``G``), family of 87 or of 225;
    ``Ensemble`` for all occupations."""
    code = texte(valeur)
    if code is not None and not re.fullmatch(r"[A-Z]", code):
        return _fap_ou_ensemble(code)
    return code


def _fap_ou_ensemble(valeur: Any) -> str | None:
    return "Ensemble" if texte(valeur) == "Ensemble" else _fap(valeur)


def _nd(lecteur):
    """Wrap a parser so that ``nd`` (« non disponible », the DARES's word) reads as unknown."""
    return lambda valeur: None if texte(valeur) == "nd" else lecteur(valeur)


def _positif(valeur: Any) -> float | None:
    nombre = lire_decimal(valeur)
    if nombre is not None and nombre < 0:
        raise ValeurInvalide(f"nombre négatif {cite(valeur)}")
    return nombre


def _quintile(valeur: Any) -> int | None:
    """A category or quintile from 1 to 5 (written ``5.0`` by the DARES tools)."""
    nombre = lire_decimal(valeur)
    if nombre is None:
        return None
    if nombre not in (1, 2, 3, 4, 5):
        raise ValeurInvalide(f"rang hors de 1 à 5 {cite(valeur)}")
    return int(nombre)


def _categorie(valeur: Any) -> str | None:
    libelle = texte(valeur)
    if libelle is None:
        return None
    code = CATEGORIES.get(normaliser_nom_colonne(libelle))
    if code is None:
        raise ValeurInvalide(f"catégorie inconnue {cite(valeur)} (attendu « Catégorie A » ou « Catégories A, B, C »)")
    return code


def _territoire(valeur: Any) -> str | None:
    return lire_code(valeur, 2)


def _formats(contexte: Contexte) -> dict[str, tuple[str, tuple[str, ...], dict[str, tuple[Any, Any]]]]:
    """Per kind of file: raw table, natural key, {field in the file: (column, parser)}."""
    rome = _na(lambda v: lire_code_rome(v, contexte))
    return {
        TENSIONS: ("brut.dares_tensions", ("annee", "niveau_fap", "niveau_geo", "code_territoire", "fap"), {
            "fap": ("fap", obligatoire(_fap)),
            "Emploi moyen": ("emploi_moyen", _positif),
            "Tension ": ("tension", lire_decimal),
            "Catégorie Tension": ("categorie_tension", _quintile),
            "Intensité d'embauches": ("intensite_embauches", _quintile),
            "Lien formation-emploi": ("lien_formation_emploi", _quintile),
            "Manque de main-d'œuvre disponible": ("manque_main_oeuvre", _quintile),
            "Non-durabilité de l'emploi": ("non_durabilite", _quintile),
            "Conditions de travail contraignantes": ("conditions_travail", _quintile),
            "Inadéquation géographique": ("inadequation_geographique", _quintile),
            "Année": ("annee", obligatoire(lire_annee)),
            "niveau_geo": ("niveau_geo", obligatoire(texte)),
            "niveau_fap": ("niveau_fap", obligatoire(texte)),
            "reg": (None, None),  # reg or dep becomes code_territoire, by niveau_geo (_territoires)
            "dep": (None, None),
        }),
        EVOLUTION: ("brut.dares_evol_tensions", ("fap", "annee"), {
            "fap": ("fap", obligatoire(_fap)),
            "Tension ": ("tension", lire_decimal),
            "Année": ("annee", obligatoire(lire_annee)),
        }),
        FAP_ROME: ("brut.dares_fap_rome", ("fap", "rome_code"), {
            "Fap": ("fap", obligatoire(_fap)),
            "Rome": ("rome_code", rome),
            "intitule_rome": ("intitule_rome", _na(texte)),
        }),
        DEMANDEURS: ("brut.dares_demandeurs", ("fap", "annee", "categorie"), {
            "Fap3": ("fap", obligatoire(_fap_ou_ensemble)),
            "Annee": ("annee", obligatoire(lire_annee)),
            "Effectifs": ("effectifs_milliers", _na(_positif)),
            "Categorie": ("categorie", obligatoire(_categorie)),
        }),
        SALAIRES: ("brut.dares_salaires", ("fap", "periode"), {
            "Code Fap": ("fap", obligatoire(_fap_a_trois_niveaux)),
            "Libellé de la famille professionnelle": ("libelle_fap", _nd(texte)),
            "Année": ("periode", obligatoire(texte)),
            "Salaire médian (en €)": ("salaire_median", _nd(_positif)),
        }),
    }


def _territoires(lignes: list[tuple[int, dict[str, str]]], rejets: list[Rejet]) -> list[tuple[int, dict[str, str]]]:
    """tensions.csv gives a row's territory in ``reg`` or ``dep`` according to ``niveau_geo``
    (written ``reg `` on some rows): keep one field, ``code_territoire`` ("FR" for France)."""
    gardees = []
    for numero, brut in lignes:
        niveau = brut["niveau_geo"].strip().lower()
        if niveau not in ("nat", "reg", "dep"):
            rejets.append(Rejet(numero, "niveau_geo", brut["niveau_geo"] or None,
                                f"niveau géographique inconnu {cite(brut['niveau_geo'])} (attendu nat, reg ou dep)"))
            continue
        code = "FR" if niveau == "nat" else brut[niveau]
        if not code:
            rejets.append(Rejet(numero, niveau, None,
                                f"code de territoire manquant : la colonne {niveau} doit être remplie "
                                f"quand niveau_geo vaut {cite(niveau)}"))
            continue
        autres = {c: v for c, v in brut.items() if c not in ("reg", "dep")}
        gardees.append((numero, autres | {"niveau_geo": niveau, "code_territoire": code}))
    return gardees


def table_de(chemin: Path) -> str | None:
    """The raw table a file loads into, from its header alone; None if it fits no kind."""
    return table_du_genre(chemin, _formats(Contexte()))


def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse one of the five DARES files into a ``Lot``."""
    return lire_csv_de_formats(chemin, SOURCE, _formats(contexte), _ajuster)


def _ajuster(genre: str, lignes: list[tuple[int, dict[str, str]]], regles: dict[str, Any],
             rejets: list[Rejet]) -> list[tuple[int, dict[str, str]]]:
    """The tension file: one territory column from its level and codes."""
    if genre != TENSIONS:
        return lignes
    regles["code_territoire"] = obligatoire(_territoire)
    return _territoires(lignes, rejets)
