"""Parsers of French values and the validation of raw rows: each parser takes a raw
value and returns it typed, or raises ``ValeurInvalide`` with the French reason that the
quarantine shows."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flows.config import bornes_des_dates
from flows.erreurs import ErreurUtilisateur
from flows.formats import date_fr, nombre_fr
from flows.lecture.lots import Contexte, Rejet


def cite(valeur: Any) -> str:
    """A value read from a file, quoted for a reason: « value ». Reasons quote what they
    read only this way, so that "analyse".quarantaine can blank every quoted value before
    anything is published; a « or » inside the value becomes ‹ or › so that it cannot end
    the quotation early (and leave the rest of the value outside it)."""
    return "« " + str(valeur).replace("«", "‹").replace("»", "›") + " »"


def cites(valeurs: Any) -> str:
    """Several values, each quoted by ``cite``."""
    return ", ".join(cite(v) for v in valeurs)


_ACCENTS = str.maketrans("àâäéèêëîïôöùûüçœ", "aaaeeeeiioouuuco")


def normaliser_nom_colonne(nom: str) -> str:
    nom = nom.strip().strip('"').lower().translate(_ACCENTS)
    return re.sub(r"[^a-z0-9]+", "_", nom).strip("_")


class ValeurInvalide(ValueError):
    """A raw value that cannot be read; the message is the French reason."""


def vide(valeur: Any) -> bool:
    return valeur is None or (isinstance(valeur, str) and valeur.strip() == "")


_FORMATS_DATE = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def lire_date(valeur: Any) -> date | None:
    """A date as French exports write it (``12/03/2025``), or ISO; empty means unknown. A
    date outside the plausible bounds (``date_plausible``) is a fault."""
    if vide(valeur):
        return None
    if isinstance(valeur, datetime):
        return date_plausible(valeur.date(), valeur)
    if isinstance(valeur, date):
        return date_plausible(valeur, valeur)
    texte = str(valeur).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", texte):
        texte = texte[:10]
    jour = _jour(texte)
    if jour is None:
        raise ValeurInvalide(f"date illisible {cite(texte)} (attendu jj/mm/aaaa)")
    return date_plausible(jour, texte)


def _jour(texte: str) -> date | None:
    """The day a text writes in one of the accepted formats, or None."""
    for fmt in _FORMATS_DATE:
        try:
            return datetime.strptime(texte, fmt).date()
        except ValueError:
            continue
    return None


def date_plausible(jour: date, valeur: Any) -> date:
    """``jour`` when it lies within the bounds of ``[dates]`` in config/parametres.toml, else
    the fault: year 1, 1900 or 9999 would load, then vanish from every indicator."""
    debut, fin = bornes_des_dates()
    if not debut <= jour <= fin:
        lue = valeur if isinstance(valeur, str) else date_fr(valeur)
        raise ValeurInvalide(f"date invraisemblable {cite(lue)} (attendu du {date_fr(debut)} au {date_fr(fin)} : "
                             "bornes de la section [dates] de config/parametres.toml)")
    return jour


def lire_horodatage(valeur: Any) -> datetime | None:
    """An ISO 8601 timestamp from the France Travail API (``2025-08-04T18:00:50.137Z``),
    within the plausible bounds of dates."""
    if vide(valeur):
        return None
    try:
        moment = datetime.fromisoformat(str(valeur).strip())
    except ValueError as e:
        raise ValeurInvalide(f"horodatage illisible {cite(valeur)} (attendu ISO 8601)") from e
    date_plausible(moment.date(), str(valeur).strip())
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


def lire_decimal(valeur: Any) -> float | None:
    """A French decimal (``1 234,5``; also accepts ``1234.5``)."""
    if vide(valeur):
        return None
    if isinstance(valeur, int | float) and not isinstance(valeur, bool):
        if isinstance(valeur, int) and abs(valeur) > _PLUS_GRAND_DECIMAL:
            raise ValeurInvalide(f"nombre hors limites {cite(valeur)}")
        if not math.isfinite(valeur):
            raise ValeurInvalide(f"nombre illisible {cite(valeur)}")
        return float(valeur)
    texte = str(valeur).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if "," in texte:
        texte = texte.replace(".", "").replace(",", ".")
    # ASCII digits only: float() would also take "nan", "inf", "1_000" or other scripts' digits
    if not _DECIMAL.fullmatch(texte) or not math.isfinite(nombre := float(texte)):
        raise ValeurInvalide(f"nombre illisible {cite(valeur)}")
    return nombre


_PLUS_GRAND_DECIMAL = int(sys.float_info.max)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def lire_effectif(valeur: Any, masque: str | None = "*") -> int | None:
    """A count: a non-negative whole number; blank or the mask (``*``) means unknown."""
    if vide(valeur) or (masque is not None and str(valeur).strip() == masque):
        return None
    entier = _ENTIER.fullmatch(str(valeur)) if isinstance(valeur, int | str) and not isinstance(valeur, bool) else None
    # whole numbers are read exactly (a float would round 2^63 - 1 up to 2^63)
    nombre: float | int | None = int(entier[0]) if entier else lire_decimal(valeur)
    assert nombre is not None
    if nombre != int(nombre):
        raise ValeurInvalide(f"effectif non entier {cite(valeur)}")
    if nombre < 0:
        raise ValeurInvalide(f"effectif négatif {cite(valeur)}")
    if nombre >= EFFECTIF_MAX:  # a BIGINT column holds less than 2^63
        raise ValeurInvalide(f"effectif démesuré {cite(valeur)} (au plus {_EFFECTIF_MAX_FR})")
    return int(nombre)


EFFECTIF_MAX = 2**63
_ENTIER = re.compile(r"\s*\+?[0-9]{1,30}\s*")
_EFFECTIF_MAX_FR = nombre_fr(EFFECTIF_MAX - 1)


def lire_booleen(valeur: Any) -> bool | None:
    if vide(valeur):
        return None
    if isinstance(valeur, bool):
        return valeur
    texte = str(valeur).strip().lower()
    if texte in {"oui", "o", "vrai", "true", "1", "yes", "x"}:
        return True
    if texte in {"non", "n", "faux", "false", "0", "no"}:
        return False
    raise ValeurInvalide(f"valeur oui/non illisible {cite(valeur)}")


MOTIF_ROME = re.compile(r"[A-N]\d{4}")


def lire_code_rome(valeur: Any, contexte: Contexte | None = None) -> str | None:
    """A ROME code, checked against the loaded referential when there is one."""
    if vide(valeur):
        return None
    code = str(valeur).strip().upper()
    if not MOTIF_ROME.fullmatch(code):
        raise ValeurInvalide(f"code ROME mal formé {cite(valeur)} (attendu une lettre et 4 chiffres)")
    if contexte and contexte.codes_rome and code not in contexte.codes_rome:
        raise ValeurInvalide(
            f"code ROME inconnu {cite(code)} : absent du référentiel ROME chargé "
            "(chargez le référentiel complet avec « ingerer rome »)"
        )
    return code


def lire_commune(valeur: Any, contexte: Contexte | None = None) -> str | None:
    """An INSEE commune code (5 characters; Corsica uses 2A/2B)."""
    if vide(valeur):
        return None
    code = str(valeur).strip().upper()
    if re.fullmatch(r"\d{4}", code):
        code = "0" + code  # Excel drops the leading zero of 01xxx-09xxx
    if not re.fullmatch(r"(\d{5}|2[AB]\d{3})", code):
        raise ValeurInvalide(f"code commune INSEE mal formé {cite(valeur)} (5 caractères attendus)")
    if contexte and contexte.communes and code not in contexte.communes:
        raise ValeurInvalide(f"code commune INSEE inconnu {cite(code)}")
    return code


def valider(
    numero: int | None,
    brut: dict[str, Any],
    regles: dict[str, Any],
    rejets: list[Rejet],
    chemin_json: str | None = None,
) -> dict[str, Any] | None:
    """Apply ``{column: parser}`` to a raw row; on any failure record every fault and
    return None (the row goes to the quarantine whole). A workbook's cell without a value
    (``CelluleFautive``) is a fault of its own, never read as blank."""
    sortie: dict[str, Any] = {}
    fautes = []
    for colonne, lecteur in regles.items():
        valeur = brut.get(colonne)
        if isinstance(valeur, CelluleFautive):  # an error cell or an uncalculated formula
            fautes.append(Rejet(numero, colonne, valeur.valeur, valeur.motif, chemin_json))
            continue
        if type(valeur) is str and valeur.strip() in ERREURS_TABLEUR:  # what a CSV export writes for one
            fautes.append(Rejet(numero, colonne, valeur, (
                f"valeur d'erreur du tableur {cite(valeur.strip())} : la cellule était en erreur dans le classeur "
                "d'origine (corrigez la formule ou la valeur, puis exportez à nouveau)"), chemin_json))
            continue
        try:
            sortie[colonne] = lecteur(valeur)
        except ValeurInvalide as e:
            fautes.append(Rejet(numero, colonne, None if vide(valeur) else str(valeur), str(e),
                                chemin_json))
    if fautes:
        rejets.extend(fautes)
        return None
    return sortie


# Error values of Excel and LibreOffice, in English and French: a CSV export writes them as
# text, where a loader would take them for a title or a name.
ERREURS_TABLEUR = frozenset({
    "#NULL!", "#NUL!", "#DIV/0!", "#VALUE!", "#VALEUR!", "#REF!", "#NAME?", "#NOM?", "#NUM!", "#NOMBRE!", "#N/A",
    "#CALC!", "#SPILL!", "#PROPAGATION!", "#GETTING_DATA", "Err:502", "Err:504", "Err:508", "Err:522"})


def obligatoire(lecteur: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap a parser so that an empty value is a fault."""

    def lire(valeur: Any) -> Any:
        if vide(valeur):
            raise ValeurInvalide("valeur obligatoire manquante")
        return lecteur(valeur)

    return lire


def texte(valeur: Any) -> str | None:
    return None if vide(valeur) else str(valeur).strip()


def lire_decimal_positif(valeur: Any) -> float | None:
    """A French decimal that cannot be negative (an amount, a duration, a distance)."""
    nombre = lire_decimal(valeur)
    if nombre is not None and nombre < 0:
        raise ValeurInvalide(f"valeur négative {cite(valeur)}")
    return nombre


def choix(*valeurs: str, synonymes: dict[str, str] | None = None) -> Callable[[Any], str | None]:
    """Parser of a value from a closed list, matched without case, accents or punctuation;
    ``synonymes`` maps other accepted spellings to one of ``valeurs``."""
    table = {normaliser_nom_colonne(v): v for v in valeurs}
    table |= {normaliser_nom_colonne(s): v for s, v in (synonymes or {}).items()}

    def lire(valeur: Any) -> str | None:
        if vide(valeur):
            return None
        trouve = table.get(normaliser_nom_colonne(str(valeur)))
        if trouve is None:
            raise ValeurInvalide(f"valeur inconnue {cite(valeur)} (valeurs possibles : {', '.join(valeurs)})")
        return trouve

    return lire


def lire_mois(valeur: Any) -> date | None:
    """A month as ``2025-03``, ``03/2025`` or any date inside it: its first day."""
    if vide(valeur):
        return None
    if isinstance(valeur, date):
        return date_plausible(date(valeur.year, valeur.month, 1), valeur)
    texte_ = str(valeur).strip()
    if trouve := re.fullmatch(r"(\d{4})-(\d{1,2})", texte_):
        annee, mois = int(trouve[1]), int(trouve[2])
    elif trouve := re.fullmatch(r"(\d{1,2})/(\d{4})", texte_):
        annee, mois = int(trouve[2]), int(trouve[1])
    elif (jour := _jour(texte_[:10] if re.match(r"\d{4}-\d{2}-\d{2}[T ]", texte_) else texte_)) is not None:
        annee, mois = jour.year, jour.month
    else:
        raise ValeurInvalide(f"mois illisible {cite(texte_)} (attendu aaaa-mm ou jj/mm/aaaa)")
    if not 1 <= mois <= 12 or not 1 <= annee:
        raise ValeurInvalide(f"mois illisible {cite(texte_)} (mois entre 01 et 12 attendu)")
    return date_plausible(date(annee, mois, 1), texte_)


# French education levels (nomenclature of 2019): common labels -> level.
NIVEAUX_DIPLOME = {
    "Aucun": 2, "Sans diplôme": 2, "CAP": 3, "BEP": 3, "CAP/BEP": 3,
    "Bac": 4, "Baccalauréat": 4, "Bac pro": 4, "Bac+2": 5, "BTS": 5, "DUT": 5,
    "Bac+3": 6, "Licence": 6, "Licence pro": 6, "BUT": 6, "Bac+4": 6,
    "Bac+5": 7, "Master": 7, "Ingénieur": 7, "Doctorat": 8,
}
_NIVEAUX = {normaliser_nom_colonne(libelle): niveau for libelle, niveau in NIVEAUX_DIPLOME.items()}


def lire_niveau_diplome(valeur: Any) -> int | None:
    """An education level: ``1``..``8`` (``Niveau 5`` too) or a label (``Bac+2`` → 5)."""
    if vide(valeur):
        return None
    cle = normaliser_nom_colonne(str(valeur)).removeprefix("niveau_")
    if cle in _NIVEAUX:
        return _NIVEAUX[cle]
    try:
        niveau = lire_decimal(cle.replace("_", ","))
    except ValeurInvalide:
        niveau = None
    if niveau is None or niveau != int(niveau) or not 1 <= niveau <= 8:
        raise ValeurInvalide(
            f"niveau de diplôme inconnu {cite(valeur)} (attendu un niveau de 1 à 8 ou : "
            + ", ".join(NIVEAUX_DIPLOME) + ")"
        )
    return int(niveau)


def sel_obligatoire(contexte: Contexte) -> bytes:
    """The salt that pseudonymises people's identifiers: loading them without it would
    store hashes anyone could recompute."""
    if not contexte.sel:
        raise ErreurUtilisateur(
            "sel de pseudonymisation absent : les identifiants de personnes ne peuvent pas être "
            "chargés sans lui (voir flows/confidentialite.py)"
        )
    return contexte.sel


@dataclass(frozen=True)
class CelluleFautive:
    """A cell whose value the workbook does not hold: an error (``#DIV/0!``, ``#N/A`` …) or a
    formula never calculated. Spreadsheet readers give an empty cell for both; this one
    takes its place in the rows so that the row is quarantined, not read as blank.
    ``motif`` names the sheet and the cell, in French."""

    motif: str
    valeur: str | None = None

    def __str__(self) -> str:
        """Empty, as the spreadsheet reader gave it: a header cell in error names no column."""
        return ""


def lire_code(valeur: Any, largeur: int = 0) -> str | None:
    """A code kept as text. Spreadsheets and statistics tools write codes as numbers:
    ``2715.0`` becomes ``2715``, and a numeric code shorter than ``largeur`` gets its
    leading zeros back (``1`` -> ``01`` for a region)."""
    if vide(valeur):
        return None
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    code = str(valeur).strip()
    return code.split(".")[0].zfill(largeur) if _CODE_NUMERIQUE.fullmatch(code) else code


_CODE_NUMERIQUE = re.compile(r"[0-9]+(?:\.0+)?")


def lire_annee(valeur: Any) -> int | None:
    """A year (``2024``, or ``2024.0`` from a spreadsheet)."""
    code = lire_code(valeur)
    if code is None:
        return None
    if not re.fullmatch(r"(19|20)[0-9]{2}", code):
        raise ValeurInvalide(f"année illisible {cite(valeur)} (attendu 4 chiffres, ex. 2024)")
    return int(code)


def _memoriser(lecteur: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Parsers are pure: a value already seen in a column is not parsed again (codes and
    labels repeat on most rows of a statistics file). Faults are not remembered."""
    vus: dict[str, Any] = {}

    def lire(valeur: Any) -> Any:
        if type(valeur) is not str:
            return lecteur(valeur)
        try:
            return vus[valeur]
        except KeyError:
            resultat = vus[valeur] = lecteur(valeur)
            return resultat

    return lire


def valider_lignes(
    lignes: list[tuple[int, dict[str, Any]]],
    regles: dict[str, Any],
    cle: tuple[str, ...],
    rejets: list[Rejet],
    noms: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """``valider`` every raw row and rename its fields to the table's columns (``noms``:
    field in the file -> column; unnamed fields keep their name). Of rows sharing the
    natural key ``cle`` (table columns) the first is kept and the others are rejected with
    a reason naming its line. Each kept row carries its line number in ``_ligne``."""
    return Validation(regles, cle, noms)(lignes, rejets)


class Validation:
    """``valider_lignes`` over the successive batches of one file: a key seen in an earlier
    batch is a duplicate too."""

    def __init__(self, regles: dict[str, Any], cle: tuple[str, ...], noms: dict[str, str] | None = None):
        self.regles, self.cle, self.noms = regles, cle, noms or {}
        self.champs_cle = ", ".join(next((f for f, c in self.noms.items() if c == k), k) for k in cle)
        self.vues: dict[tuple, int] = {}

    def __call__(self, lignes: list[tuple[int, dict[str, Any]]], rejets: list[Rejet]) -> list[dict[str, Any]]:
        regles = {champ: _memoriser(lecteur) for champ, lecteur in self.regles.items()}  # per batch: bounded
        noms, cle, vues, champs_cle = self.noms, self.cle, self.vues, self.champs_cle
        gardees: list[dict[str, Any]] = []
        for numero, brut in lignes:
            sortie = valider(numero, brut, regles, rejets)
            if sortie is None:
                continue
            ligne = {noms.get(champ, champ): v for champ, v in sortie.items()}
            valeur = tuple(ligne[k] for k in cle)
            if valeur in vues:
                rejets.append(Rejet(
                    numero, champs_cle, " | ".join("" if v is None else str(v) for v in valeur),
                    f"ligne en double dans le fichier : même {champs_cle} que la ligne {vues[valeur]}"))
                continue
            vues[valeur] = numero
            ligne["_ligne"] = numero
            gardees.append(ligne)
        return gardees
