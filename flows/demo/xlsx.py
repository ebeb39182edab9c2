"""A minimal streaming XLSX writer for the demo files.

openpyxl stamps the current time into the workbook (document properties and zip entries),
so two runs would differ; it is also slow for large sheets. This writer streams rows
straight into the zip with fixed timestamps: same rows, same bytes. Strings are written
inline, numbers as numbers; ``None`` leaves the cell empty.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

DATE_ZIP = (1980, 1, 1, 0, 0, 0)
_INTERDITS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0

_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{feuilles}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"""
_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>{auteur}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified></cp:coreProperties>"""
_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>"""
_CLASSEUR = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{feuilles}</sheets></workbook>"""
_CLASSEUR_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{feuilles}<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""
_DEBUT_FEUILLE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>"""
_FIN_FEUILLE = "</sheetData></worksheet>"


def _lettres(n: int) -> str:
    lettres = ""
    n += 1
    while n:
        n, reste = divmod(n - 1, 26)
        lettres = chr(65 + reste) + lettres
    return lettres


_COLONNES = [_lettres(i) for i in range(200)]


def _cellule(ref: str, valeur: Any, style: str) -> str:
    if valeur is None or valeur == "":
        return ""
    if isinstance(valeur, bool):
        valeur = "oui" if valeur else "non"
    if isinstance(valeur, int | float):
        return f'<c r="{ref}"{style}><v>{valeur!r}</v></c>'
    texte = escape(_INTERDITS.sub("", str(valeur)))
    espace = ' xml:space="preserve"' if texte != texte.strip() or "\n" in texte else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{espace}>{texte}</t></is></c>'


def _lignes_xml(lignes: Iterable[Sequence[Any]], entetes_gras: int) -> Iterable[str]:
    for numero, ligne in enumerate(lignes, start=1):
        style = ' s="1"' if numero <= entetes_gras else ""
        cellules = "".join(_cellule(f"{_COLONNES[i]}{numero}", v, style) for i, v in enumerate(ligne))
        yield f'<row r="{numero}">{cellules}</row>'


def ecrire_xlsx(
    chemin: Path,
    feuilles: Sequence[tuple[str, Iterable[Sequence[Any]]]],
    entetes_gras: int = 1,
    auteur: str = "",
    date: str = "2026-11-02T08:00:00Z",
) -> None:
    """Write a workbook whose sheets are ``(name, rows)``; rows are consumed lazily."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as archive:
        def ajouter(nom: str, contenu: str) -> None:
            archive.writestr(zipfile.ZipInfo(nom, DATE_ZIP), contenu, zipfile.ZIP_DEFLATED)

        types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(feuilles) + 1))
        ajouter("[Content_Types].xml", _TYPES.format(feuilles=types))
        ajouter("_rels/.rels", _RELS)
        ajouter("docProps/core.xml", _CORE.format(auteur=escape(auteur), date=date))
        ajouter("docProps/app.xml", _APP)
        ajouter("xl/workbook.xml", _CLASSEUR.format(feuilles="".join(
            f'<sheet name="{escape(nom)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, (nom, _) in enumerate(feuilles, start=1))))
        ajouter("xl/_rels/workbook.xml.rels", _CLASSEUR_RELS.format(feuilles="".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(feuilles) + 1))))
        ajouter("xl/styles.xml", _STYLES)
        for i, (_, lignes) in enumerate(feuilles, start=1):
            info = zipfile.ZipInfo(f"xl/worksheets/sheet{i}.xml", DATE_ZIP)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as flux:
                flux.write(_DEBUT_FEUILLE.encode())
                paquet: list[str] = []
                for xml in _lignes_xml(lignes, entetes_gras):
                    paquet.append(xml)
                    if len(paquet) >= 2000:
                        flux.write("".join(paquet).encode())
                        paquet.clear()
                flux.write(("".join(paquet) + _FIN_FEUILLE).encode())
