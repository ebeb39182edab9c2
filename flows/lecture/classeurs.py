"""Reading spreadsheets (XLSX, XLS): archives refused before they exhaust memory, cells
without a value kept as faults, sheets read into raw rows like delimited files."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any

from flows.formats import nombre_fr
from flows.lecture.fichiers import verifier_entete
from flows.lecture.lots import Rejet
from flows.lecture.valeurs import CelluleFautive, ValeurInvalide, cite, normaliser_nom_colonne, vide

# A workbook is a ZIP: refused before decompression when it declares more than this once
# unzipped (calamine needs about 4 times the XML size in memory; the real BMO workbook
# declares 28 MB), or when one member over 1 MB unzips to more than 100 times its
# compressed size (real workbooks: 5 to 20 times; a ZIP bomb: about 1000 times).
TAILLE_MAX_DECOMPRESSEE = 256 * 1024**2
TAUX_MAX_COMPRESSION = 100

SIGNATURES_CLASSEUR = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # XLSX (zip), XLS (OLE)


def est_classeur(contenu: bytes) -> bool:
    return contenu.startswith(SIGNATURES_CLASSEUR)


class Classeur(dict[str, list[list[Any]]]):
    """The sheets of a workbook by name, in the workbook's order, and which are hidden."""

    def __init__(self, feuilles: dict[str, list[list[Any]]], masquees: frozenset[str] = frozenset()):
        super().__init__(feuilles)
        self.masquees = masquees

    def visibles(self) -> list[str]:
        """The sheets a person sees in the spreadsheet, in order."""
        return [nom for nom in self if nom not in self.masquees]


def ouvrir_classeur(contenu: bytes) -> Classeur:
    """Every sheet of an XLSX or XLS workbook as rows of cells; index 0 is row 1 (leading
    empty rows are kept so that numbers match the spreadsheet's). Error cells and formulas
    without a calculated value of an XLSX are ``CelluleFautive`` (an XLS keeps them empty)."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    fautives: dict[str, dict[tuple[int, int], CelluleFautive]] = {}
    if contenu.startswith(b"PK"):
        verifier_archive(contenu)
        fautives = cellules_fautives(contenu)
    try:
        classeur = CalamineWorkbook.from_filelike(io.BytesIO(contenu))
        feuilles: dict[str, list[list[Any]]] = {nom: classeur.get_sheet_by_name(nom).to_python(skip_empty_area=False)
                    for nom in classeur.sheet_names}
        masquees = frozenset(m.name for m in classeur.sheets_metadata if m.visible != SheetVisibleEnum.Visible)
    except CalamineError as e:
        raise ValeurInvalide(f"classeur illisible ({e})") from e
    for nom, cellules in fautives.items():
        lignes = feuilles.setdefault(nom, [])
        for (rang, colonne), cellule in cellules.items():
            while len(lignes) <= rang:
                lignes.append([])
            lignes[rang].extend([""] * (colonne + 1 - len(lignes[rang])))
            lignes[rang][colonne] = cellule
    return Classeur(feuilles, masquees)


_ESPACES_XLSX = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                 "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                 "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
# Cells that may hold no value: of the error type, or starting with a formula (``f`` is the
# first child of ``c`` in SpreadsheetML). Attributes hold no "/" nor ">".
_CELLULE_ERREUR = re.compile(rb'<(?:\w+:)?c\b([^>/]*\bt="e"[^>/]*)>(.*?)</(?:\w+:)?c>', re.S)
_CELLULE_FORMULE = re.compile(rb"<(?:\w+:)?c\b([^>/]*)>(<(?:\w+:)?f\b.*?)</(?:\w+:)?c>", re.S)
_REFERENCE = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_VALEUR = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_V = re.compile(rb"<(?:\w+:)?v\b")


def cellules_fautives(contenu: bytes) -> dict[str, dict[tuple[int, int], CelluleFautive]]:
    """The error cells and the formulas without a calculated value of an XLSX, per sheet,
    as ``{(row index, column index): CelluleFautive}`` (0-based)."""
    import xml.etree.ElementTree as ET

    archive = zipfile.ZipFile(io.BytesIO(contenu))
    try:
        classeur = ET.fromstring(archive.read("xl/workbook.xml"))
        liens = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return {}  # calamine says what is wrong with such an archive
    cibles = {lien.get("Id"): str(lien.get("Target", "")) for lien in liens.findall("p:Relationship", _ESPACES_XLSX)}
    sortie: dict[str, dict[tuple[int, int], CelluleFautive]] = {}
    for feuille in classeur.iterfind("m:sheets/m:sheet", _ESPACES_XLSX):
        nom, cible = str(feuille.get("name")), cibles.get(feuille.get(f"{{{_ESPACES_XLSX['r']}}}id"), "")
        membre = cible.lstrip("/") if cible.startswith("/") else f"xl/{cible}"
        try:
            xml = archive.read(membre)
        except KeyError:
            continue
        # substring tests first: a regular expression over a 28 MB sheet costs about a second
        cellules = [(c, True) for c in _CELLULE_ERREUR.finditer(xml)] if b't="e"' in xml else []
        if any(balise in xml for balise in (b"<f>", b"<f ", b":f>", b":f ")):
            cellules += [(c, False) for c in _CELLULE_FORMULE.finditer(xml)]
        for cellule, erreur in cellules:
            attributs, valeur = cellule[1], _VALEUR.search(cellule[2])
            if not erreur and (b't="e"' in attributs or (valeur is not None and valeur[1].strip())
                               or (b't="str"' in attributs and _V.search(cellule[2]))):
                continue  # a value, or a calculated empty text (=SI(A2="";"";A2))
            reference = _REFERENCE.search(attributs)
            if reference is None:
                continue
            colonne = 0
            for lettre in reference[1]:
                colonne = colonne * 26 + lettre - 64
            ref = reference[1].decode() + reference[2].decode()
            if erreur:
                code = valeur[1].decode("utf-8", errors="replace") if valeur else "?"
                faute = CelluleFautive(f"cellule {ref} de la feuille {cite(nom)} en erreur ({cite(code)}) : "
                                       "corrigez la formule ou la valeur dans le classeur", code)
            else:
                faute = CelluleFautive(f"cellule {ref} de la feuille {cite(nom)} : formule sans valeur calculée "
                                       "(classeur écrit par un programme, jamais recalculé) : ouvrez-le dans un "
                                       "tableur et réenregistrez-le")
            sortie.setdefault(nom, {})[(int(reference[2]) - 1, colonne - 1)] = faute
    return sortie


def verifier_archive(contenu: bytes) -> None:
    """Refuse a ZIP (an XLSX) whose declared unzipped size would exhaust memory, before
    anything is decompressed (``ValeurInvalide`` with the French reason)."""
    try:
        membres = zipfile.ZipFile(io.BytesIO(contenu)).infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise ValeurInvalide("classeur illisible (archive ZIP endommagée ou tronquée : "
                             "réenregistrez-le depuis le tableur)") from e
    total = sum(m.file_size for m in membres)
    if total > TAILLE_MAX_DECOMPRESSEE:
        raise ValeurInvalide(
            f"classeur refusé : il déclare {nombre_fr(total / 1024**2)} Mo une fois décompressé, au-delà de "
            f"la limite de {TAILLE_MAX_DECOMPRESSEE // 1024**2} Mo (archive piégée, ou classeur à découper)")
    for membre in membres:
        if membre.file_size > 1024**2 and membre.file_size > TAUX_MAX_COMPRESSION * max(membre.compress_size, 1):
            raise ValeurInvalide(
                f"classeur refusé : {cite(membre.filename)} se décompresse à "
                f"{nombre_fr(membre.file_size // max(membre.compress_size, 1))} fois sa taille compressée, plus de "
                f"{TAUX_MAX_COMPRESSION} fois (archive piégée ?)")


def trouver_feuille(feuilles: dict[str, Any], nom: str) -> str | None:
    """The sheet called ``nom``, ignoring case, accents and surrounding spaces."""
    cle = normaliser_nom_colonne(nom)
    return next((f for f in feuilles if normaliser_nom_colonne(f) == cle), None)


def _cellule(valeur: Any) -> Any:
    """A cell as the parsers expect it: text stripped, whole numbers as text (codes and
    references lose nothing), dates at midnight as dates, other values as typed."""
    if valeur is None:
        return ""
    if isinstance(valeur, str):
        return valeur.strip()
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    if isinstance(valeur, int) and not isinstance(valeur, bool):
        return str(valeur)
    if isinstance(valeur, datetime) and valeur == datetime(valeur.year, valeur.month, valeur.day):
        return valeur.date()
    return valeur


def lire_feuille(
    cellules: list[list[Any]],
    colonnes_obligatoires: list[str],
    colonnes_facultatives: list[str] = (),  # type: ignore[assignment]
) -> tuple[list[tuple[int, dict[str, Any]]], list[Rejet], list[str]]:
    """One sheet read like ``lire_csv``: ``(row number, {column: value})`` rows, rejects and
    remarks; the header is the first non-empty row."""
    lignes_ = [[_cellule(c) for c in ligne] for ligne in cellules]
    premiere = next((i for i, ligne in enumerate(lignes_) if any(not vide(c) for c in ligne)), None)
    if premiere is None:
        return [], [Rejet(1, "(fichier)", None, "feuille vide : aucune ligne d'en-tête")], []
    remarques: list[str] = []
    entete = [normaliser_nom_colonne(str(c)) for c in lignes_[premiere]]
    faute = verifier_entete(entete, colonnes_obligatoires, colonnes_facultatives, premiere + 1, remarques)
    if faute:
        return [], [faute], remarques
    lignes = [
        (numero, {c: v for c, v in zip(entete, ligne, strict=False) if c})
        for numero, ligne in enumerate(lignes_[premiere + 1 :], start=premiere + 2)
        if any(not vide(v) for v in ligne)
    ]
    return lignes, [], remarques
