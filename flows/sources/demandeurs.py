"""Jobseeker and offer statistics by ROME code x territory x period, in two formats told
apart by their content:

- responses of France Travail's "Marché du travail" API (stat-demandeurs, stat-offres,
  stat-perspective-employeur), one row of ``brut.stat_marche`` per value of
  ``listeValeursParPeriode``; the breakdown by characteristic is kept as JSON text;
- the documented CSV of ``donnees/modeles/demandeurs.md`` → ``brut.demandeurs_stat``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from flows.lecture.fichiers import erreur_json, lire_csv, lire_octets
from flows.lecture.lots import Contexte, Lot, Rejet, Table, empreinte
from flows.lecture.valeurs import (
    ValeurInvalide,
    choix,
    cite,
    cites,
    lire_code,
    lire_code_rome,
    lire_commune,
    lire_decimal,
    lire_effectif,
    lire_mois,
    obligatoire,
    texte,
    valider,
    vide,
)

SOURCE = "demandeurs"

COLONNES = ["code_rome", "type_territoire", "code_territoire", "type_periode", "periode",
            "categorie", "demandeurs", "entrees", "sorties"]

# column of brut.stat_marche -> field of each element of listeValeursParPeriode
CHAMPS_API = {
    "type_territoire": "codeTypeTerritoire", "code_territoire": "codeTerritoire",
    "lib_territoire": "libTerritoire", "type_activite": "codeTypeActivite",
    "code_activite": "codeActivite", "lib_activite": "libActivite",
    "code_nomenclature": "codeNomenclature", "lib_nomenclature": "libNomenclature",
    "type_periode": "codeTypePeriode", "code_periode": "codePeriode", "lib_periode": "libPeriode",
}
OBLIGATOIRES_API = ("type_territoire", "code_territoire", "type_activite", "code_activite",
                    "type_periode", "code_periode")
VALEURS_API: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "valeur_nombre": ("valeurPrincipaleNombre", lire_decimal),
    "valeur_taux": ("valeurPrincipaleTaux", lire_decimal),
    "valeur_rang": ("valeurPrincipaleRang", partial(lire_effectif, masque=None)),
    "valeur_montant": ("valeurPrincipaleMontant", lire_decimal),
    "valeur_decimale": ("valeurPrincipaleDecimale", lire_decimal),
}
CLE_API = ("code_indicateur", "type_territoire", "code_territoire", "type_activite", "code_activite",
           "code_nomenclature", "type_periode", "code_periode")
CLE_CSV = ("code_rome", "type_territoire", "code_territoire", "type_periode", "periode", "categorie")


def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse an API response (JSON) or a statistics CSV into a ``Lot``."""
    contenu = lire_octets(chemin)
    lot = Lot(SOURCE, Path(chemin), empreinte(contenu))
    if contenu.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"["):
        _lire_api(contenu, contexte, lot)
    else:
        _lire_csv(contenu, contexte, lot)
    return lot


# --------------------------------------------------------------------------- API responses

def _lire_api(contenu: bytes, contexte: Contexte, lot: Lot) -> None:
    lignes: list[dict[str, Any]] = []
    lot.tables.append(Table("brut.stat_marche", lignes, CLE_API))
    try:
        document = json.loads(contenu.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        lot.rejets.append(Rejet(
            contenu[: e.start].count(b"\n") + 1, "(fichier)", None,
            f"encodage invalide : octet 0x{contenu[e.start:e.start + 1].hex().upper()} non UTF-8 "
            "(les réponses de l'API sont en UTF-8)"))
        return
    except json.JSONDecodeError as e:
        lot.rejets.append(Rejet(e.lineno, "(fichier)", None,
                                f"JSON invalide à la ligne {e.lineno}, colonne {e.colno} ({erreur_json(e)})"))
        return
    valeurs = document.get("listeValeursParPeriode") if isinstance(document, dict) else None
    if not isinstance(valeurs, list) or vide(document.get("codeIndicateur")):
        trouve = cites(list(document)[:6]) if isinstance(document, dict) else type(document).__name__
        lot.rejets.append(Rejet(1, "(fichier)", None,
                                "réponse de l'API « Marché du travail » attendue : clés « codeIndicateur » "
                                f"et « listeValeursParPeriode » (trouvé : {trouve})"))
        return
    vues: dict[tuple, str] = {}
    for i, element in enumerate(valeurs):
        chemin_json = f"listeValeursParPeriode[{i}]"
        lot.lignes_lues += 1
        ligne = _ligne_api(document, element, chemin_json, contexte, lot.rejets)
        if ligne is None:
            continue
        cle = tuple(ligne[c] for c in CLE_API)
        if cle in vues:
            lot.rejets.append(Rejet(None, "(valeur)", " | ".join(map(str, cle)),
                                    f"valeur en double dans la réponse : même territoire, activité, nomenclature "
                                    f"et période que {vues[cle]}", chemin_json))
            continue
        vues[cle] = chemin_json
        lignes.append(ligne | {"_ligne": None, "_chemin_json": chemin_json})


def _ligne_api(document: dict, element: Any, chemin_json: str, contexte: Contexte,
               rejets: list[Rejet]) -> dict[str, Any] | None:
    """One value of ``listeValeursParPeriode`` as a row, or None after recording its faults."""
    if not isinstance(element, dict):
        rejets.append(Rejet(None, "(valeur)", str(element)[:200],
                            "l'élément n'est pas une valeur (objet JSON attendu)", chemin_json))
        return None
    ligne: dict[str, Any] = {
        "code_indicateur": str(document["codeIndicateur"]).strip(),
        "lib_indicateur": texte(document.get("libIndicateur")),
        "date_maj": texte(element.get("datMaj") or document.get("datMaj")),
    }
    fautes = []
    for colonne, champ in CHAMPS_API.items():
        ligne[colonne] = texte(element.get(champ))
        if colonne in OBLIGATOIRES_API and ligne[colonne] is None:
            fautes.append(Rejet(None, champ, None, "valeur obligatoire manquante", chemin_json))
    if ligne["type_activite"] == "ROME" and ligne["code_activite"]:
        try:
            ligne["code_activite"] = lire_code_rome(ligne["code_activite"], contexte)
        except ValeurInvalide as e:
            fautes.append(Rejet(None, "codeActivite", ligne["code_activite"], str(e), chemin_json))
    for colonne, (champ, lecteur) in VALEURS_API.items():
        try:
            ligne[colonne] = lecteur(element.get(champ))
        except ValeurInvalide as e:
            fautes.append(Rejet(None, champ, str(element.get(champ)), str(e), chemin_json))
    caracteristiques = element.get("listeValeurParCaract")
    ligne["caracteristiques_json"] = (
        json.dumps(caracteristiques, ensure_ascii=False) if caracteristiques is not None else None)
    if fautes:
        rejets.extend(fautes)
        return None
    return ligne


# --------------------------------------------------------------------------- CSV

LONGUEUR_CODE = {"DEP": 2, "REG": 2, "BASSIN": 4}  # codes Excel may have stripped of leading zeros
FORME_CODE = {
    "DEP": (re.compile(r"\d{2}|2[AB]|97\d"), "code de département mal formé {} (01 à 95, 2A, 2B ou 97x attendu)"),
    "REG": (re.compile(r"\d{2}"), "code de région mal formé {} (2 chiffres attendus)"),
    "BASSIN": (re.compile(r"\d{4}"), "code de bassin d'emploi mal formé {} (4 chiffres attendus)"),
}


def lire_territoire(type_territoire: str, valeur: str, contexte: Contexte) -> str:
    """A territory code checked against the form its type requires."""
    if type_territoire == "COMMUNE":
        code = lire_commune(valeur, contexte)
        assert code is not None
        return code
    code = str(lire_code(valeur, LONGUEUR_CODE[type_territoire])).upper()
    forme, motif = FORME_CODE[type_territoire]
    if not forme.fullmatch(code):
        raise ValeurInvalide(motif.format(cite(valeur)))
    return code


def lire_periode(type_periode: str, valeur: str) -> tuple[str, date]:
    """``2025-03`` (MOIS) or ``2025-T1`` (TRIMESTRE) → the period as stored and its first day."""
    if type_periode == "MOIS":
        debut = lire_mois(valeur)
        assert debut is not None
        return f"{debut:%Y-%m}", debut
    trouve = re.fullmatch(r"(\d{4})\s*-?\s*T([1-4])", valeur.strip(), re.IGNORECASE)
    if not trouve:
        raise ValeurInvalide(f"trimestre illisible {cite(valeur)} (attendu aaaa-Tn, ex. 2025-T1)")
    annee, trimestre = int(trouve[1]), int(trouve[2])
    return f"{annee}-T{trimestre}", date(annee, 3 * trimestre - 2, 1)


def _lire_csv(contenu: bytes, contexte: Contexte, lot: Lot) -> None:
    lignes_csv, rejets, remarques = lire_csv(contenu, COLONNES)
    lot.rejets.extend(rejets)
    lot.remarques.extend(remarques)
    lot.lignes_lues = len(lignes_csv) + sum(r.champ == "(ligne)" for r in rejets)
    regles = {
        "code_rome": obligatoire(partial(lire_code_rome, contexte=contexte)),
        "type_territoire": obligatoire(choix("COMMUNE", "BASSIN", "DEP", "REG")),
        "code_territoire": obligatoire(texte),
        "type_periode": obligatoire(choix("MOIS", "TRIMESTRE")),
        "periode": obligatoire(texte),
        "categorie": obligatoire(choix("A", "ABC")),
        "demandeurs": lire_effectif,
        "entrees": lire_effectif,
        "sorties": lire_effectif,
    }
    lignes: list[dict[str, Any]] = []
    vues: dict[tuple, int] = {}
    for numero, brut in lignes_csv:
        ligne = valider(numero, brut, regles, lot.rejets)
        if ligne is None:
            continue
        try:
            ligne["code_territoire"] = lire_territoire(ligne["type_territoire"], ligne["code_territoire"], contexte)
        except ValeurInvalide as e:
            lot.rejets.append(Rejet(numero, "code_territoire", brut["code_territoire"], str(e)))
            continue
        try:
            ligne["periode"], ligne["date_debut"] = lire_periode(ligne["type_periode"], ligne["periode"])
        except ValeurInvalide as e:
            lot.rejets.append(Rejet(numero, "periode", brut["periode"], str(e)))
            continue
        cle = tuple(ligne[c] for c in CLE_CSV)
        if cle in vues:
            lot.rejets.append(Rejet(numero, ", ".join(CLE_CSV), " | ".join(map(str, cle)),
                                    f"ligne en double dans le fichier : même {', '.join(CLE_CSV)} "
                                    f"que la ligne {vues[cle]}"))
            continue
        vues[cle] = numero
        lignes.append(ligne | {"_ligne": numero, "_chemin_json": None})
    lot.tables.append(Table("brut.demandeurs_stat", lignes, CLE_CSV))
