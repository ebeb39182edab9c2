"""Reading spreadsheets (XLSX, XLS): archives refused before they exhaust memory, cells
without a value kept as faults, sheets read into raw rows like delimited files."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import IO, Any

from flows.formats import nombre_fr
from flows.lecture.fichiers import LectureParLots, verifier_entete
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


class Classeur(Mapping[str, list[list[Any]]]):
    """The sheets of a workbook by name, in the workbook's order, and which are hidden.

    Each sheet is decoded once, when the workbook is opened (so that an unreadable one is
    reported then), and turned into Python rows only when asked: ``rangs(nom)`` streams
    them, so a large export is never held whole in Python; ``classeur[nom]`` gives them
    all (small sheets). Index 0 is row 1 and column A (leading empty rows and columns are
    kept so that numbers match the spreadsheet's)."""

    def __init__(self, feuilles: dict[str, Any], masquees: frozenset[str],
                 fautives: dict[str, dict[tuple[int, int], CelluleFautive]]):
        self._feuilles, self.masquees, self._fautives = feuilles, masquees, fautives

    def __getitem__(self, nom: str) -> list[list[Any]]:
        return list(self.rangs(nom))

    def __iter__(self) -> Iterator[str]:
        return iter(self._feuilles)

    def __len__(self) -> int:
        return len(self._feuilles)

    def visibles(self) -> list[str]:
        """The sheets a person sees in the spreadsheet, in order."""
        return [nom for nom in self if nom not in self.masquees]

    def rangs(self, nom: str) -> Iterator[list[Any]]:
        """The rows of one sheet, one at a time, with its faulty cells in place."""
        feuille, fautives = self._feuilles[nom], self._fautives.get(nom, {})
        par_rang: dict[int, list[tuple[int, CelluleFautive]]] = {}
        for (rang, colonne), cellule in fautives.items():
            par_rang.setdefault(rang, []).append((colonne, cellule))
        rang = -1
        # calamine pads the leading empty rows of a sheet, not its leading empty columns,
        # and has no start on an empty sheet
        marge = [""] * feuille.start[1] if feuille.start is not None else []
        for rang, cellules in enumerate(feuille.iter_rows() if feuille.start is not None else ()):
            yield _placer(marge + cellules, par_rang.pop(rang, []))
        for suivant in range(rang + 1, max(par_rang, default=-1) + 1):  # faults below the values
            yield _placer([], par_rang.pop(suivant, []))


def _placer(cellules: list[Any], fautives: list[tuple[int, CelluleFautive]]) -> list[Any]:
    for colonne, cellule in fautives:
        cellules.extend([""] * (colonne + 1 - len(cellules)))
        cellules[colonne] = cellule
    return cellules


def ouvrir_classeur(contenu: bytes) -> Classeur:
    """An XLSX or XLS workbook (``ValeurInvalide`` when unreadable). Error cells and formulas
    without a calculated value of an XLSX are ``CelluleFautive`` (an XLS keeps them empty)."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    fautives: dict[str, dict[tuple[int, int], CelluleFautive]] = {}
    if contenu.startswith(b"PK"):
        verifier_archive(contenu)
        fautives = cellules_fautives(contenu)
    try:
        classeur = CalamineWorkbook.from_filelike(io.BytesIO(contenu))
        feuilles = {nom: classeur.get_sheet_by_name(nom) for nom in classeur.sheet_names}
        masquees = frozenset(m.name for m in classeur.sheets_metadata if m.visible != SheetVisibleEnum.Visible)
    except CalamineError as e:
        raise ValeurInvalide(f"classeur illisible ({e})") from e
    return Classeur(feuilles, masquees, fautives)


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
_BALISE_FIN_RANG = re.compile(rb"</(?:\w+:)?row>")
TAILLE_MORCEAU_XML = 8 * 1024**2


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
            flux = archive.open(membre)
        except KeyError:
            continue
        with flux:
            for cellule, erreur in _cellules_sans_valeur(flux):
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


def _cellules_sans_valeur(flux: IO[bytes]) -> Iterator[tuple[re.Match[bytes], bool]]:
    """The error cells (True) and the formula cells (False) of a sheet's XML, read in pieces
    that end with a row (a cell never spans two), so a large sheet is never held whole."""
    reste = b""
    while True:
        lu = flux.read(TAILLE_MORCEAU_XML)
        morceau, reste = _jusqu_au_dernier_rang(reste + lu) if lu else (reste, b"")
        # substring tests first: a regular expression over a 28 MB sheet costs about a second
        if b't="e"' in morceau:
            yield from ((c, True) for c in _CELLULE_ERREUR.finditer(morceau))
        if any(balise in morceau for balise in (b"<f>", b"<f ", b":f>", b":f ")):
            yield from ((c, False) for c in _CELLULE_FORMULE.finditer(morceau))
        if not lu:
            return


def _jusqu_au_dernier_rang(xml: bytes) -> tuple[bytes, bytes]:
    """``xml`` cut after its last closing row tag (``</row>``, ``</x:row>``): (head, rest)."""
    fin = len(xml)
    while (fin := xml.rfind(b"row>", 0, fin)) >= 0:
        debut = xml.rfind(b"<", 0, fin)
        if _BALISE_FIN_RANG.fullmatch(xml, debut, fin + 4):
            return xml[:fin + 4], xml[fin + 4:]
    return b"", xml


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


def trouver_feuille(feuilles: Iterable[str], nom: str) -> str | None:
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


class LectureFeuille(LectureParLots):
    """A sheet read row by row like ``LectureCsv``: the header is the first non-empty row;
    ``rangees()`` yields ``(row number, {column: value})``, empty rows skipped."""

    def __init__(self, rangs: Iterable[list[Any]], colonnes_obligatoires: list[str],
                 colonnes_facultatives: list[str] = ()):  # type: ignore[assignment]
        self.remarques: list[str] = []
        self._suite = enumerate(([_cellule(c) for c in rang] for rang in rangs), start=1)
        self.entete: list[str] = []
        self.faute = Rejet(1, "(fichier)", None, "feuille vide : aucune ligne d'en-tête")
        for numero, ligne in self._suite:
            if any(not vide(c) for c in ligne):
                self.entete = [normaliser_nom_colonne(str(c)) for c in ligne]
                self.faute = verifier_entete(self.entete, colonnes_obligatoires, colonnes_facultatives, numero,
                                             self.remarques)
                break

    def rangees(self) -> Iterator[tuple[int, dict[str, Any]] | Rejet]:
        if self.faute:
            return
        entete = self.entete
        for numero, ligne in self._suite:
            if any(not vide(v) for v in ligne):
                yield numero, {c: v for c, v in zip(entete, ligne, strict=False) if c}

