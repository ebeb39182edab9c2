"""Rebuild the small referential subsets shipped in ``donnees/referentiels/`` from the real
public files (``../shared/donnees-reelles`` by default, or the folder given as argument).

Run once by hand: ``python donnees/referentiels/extraire.py [dossier]``. Rows are copied
byte for byte (same header, quoting, line endings and encoding as the source), so the
project's loaders read the subsets exactly as they read the full files. Only
``rome_fap2021.csv`` is hand-made: its ROME -> FAP-2021 choices are written below, the
FAP labels are read from the BMO survey file.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pandas as pd

ICI = Path(__file__).resolve().parent
REELLES = ICI.parents[1].parent / "shared" / "donnees-reelles"
# one sub-folder per loader source, as in the drop zone (donnees/entree/<source>/)
SOUS_DOSSIER = {"unix_referentiel_code_rome_v460_utf8.csv": "rome", "unix_referentiel_appellation_v460_utf8.csv": "rome",
                "rome_fap2021.csv": "rome", "communes.csv": "communes", "bassin_emploi.csv": "communes"}

# ROME v3 codes of the health-industry and maintenance occupations the demo uses; the
# subset keeps them and every ROME 4.0 code whose parent they are.
ROME_V3 = ("I1304", "I1309", "I1310", "H2301", "H1503", "H1502", "H1206", "H1404",
           "H2102", "H1303", "N1103", "H1210", "H2502", "K2402")

REGION = "27"  # Bourgogne-Franche-Comté
DEPARTEMENTS_EN_PLUS = ("52",)  # Haute-Marne, neighbour of Côte-d'Or in Grand Est

# Hand-made approximation of DARES's ROME -> FAP-2021 table: one FAP per ROME v3 code.
ROME_FAP2021 = {
    "I1304": "G1X72", "I1309": "G1X77", "I1310": "G1X72", "H2301": "E2X40",
    "H1503": "H0X90", "H1502": "H1X93", "H1206": "N1X90", "H1404": "H0X92",
    "H2102": "E3X40", "H1303": "G1X70", "N1103": "J0X33", "H1210": "N0X70",
    "H2502": "H1X90", "K2402": "N1X91",
}


def _lignes(chemin: Path) -> tuple[bytes, list[tuple[bytes, list[str]]]]:
    """The header line and every data line with its parsed fields (one record per line:
    none of these files has a quoted line break)."""
    brutes = chemin.read_bytes().splitlines(keepends=True)
    lignes = []
    for brute in brutes[1:]:
        champs = next(csv.reader(io.StringIO(brute.decode("utf-8"))))
        lignes.append((brute, champs))
    return brutes[0], lignes


def _ecrire(nom: str, entete: bytes, lignes: list[bytes]) -> int:
    fin = entete[len(entete.rstrip(b"\r\n")):]  # the source's line terminator
    (ICI / SOUS_DOSSIER[nom] / nom).write_bytes(entete + b"".join(ligne if ligne.endswith(b"\n") else ligne + fin for ligne in lignes))
    return len(lignes)


def extraire(reelles: Path) -> dict[str, int]:
    """Write the subsets; returns the number of data rows per file."""
    comptes: dict[str, int] = {}
    rome = reelles / "rome-v460"
    entete, codes = _lignes(rome / "unix_referentiel_code_rome_v460_utf8.csv")
    colonnes = next(csv.reader([entete.decode()]))
    i_code, i_parent = colonnes.index("code_rome"), colonnes.index("code_rome_parent")
    gardes = [(b, c) for b, c in codes if c[i_parent] in ROME_V3]
    retenus = {c[i_code] for _, c in gardes}
    comptes["unix_referentiel_code_rome_v460_utf8.csv"] = _ecrire(
        "unix_referentiel_code_rome_v460_utf8.csv", entete, [b for b, _ in gardes])

    entete, appellations = _lignes(rome / "unix_referentiel_appellation_v460_utf8.csv")
    colonnes = next(csv.reader([entete.decode()]))
    i_code, i_parent = colonnes.index("code_rome"), colonnes.index("code_rome_parent")
    # both codes of a job title must be in the subset, or the loader would reject it
    comptes["unix_referentiel_appellation_v460_utf8.csv"] = _ecrire(
        "unix_referentiel_appellation_v460_utf8.csv", entete,
        [b for b, c in appellations if c[i_code] in retenus and c[i_parent] in retenus])

    entete, communes = _lignes(reelles / "communes" / "communes.csv")
    colonnes = next(csv.reader([entete.decode()]))
    i_reg, i_dep, i_com = (colonnes.index(c) for c in ("insee_reg", "insee_dep", "insee_com"))
    gardees = [(b, c) for b, c in communes if c[i_reg] == REGION or c[i_dep] in DEPARTEMENTS_EN_PLUS]
    codes_communes = {c[i_com] for _, c in gardees}
    comptes["communes.csv"] = _ecrire("communes.csv", entete, [b for b, _ in gardees])

    entete, bassins = _lignes(reelles / "bmo-2024" / "bassin_emploi.csv")
    colonnes = next(csv.reader([entete.decode().strip()]))
    i_com = colonnes.index("code_commune_insee")
    comptes["bassin_emploi.csv"] = _ecrire(
        "bassin_emploi.csv", entete, [b for b, c in bassins if c[i_com] in codes_communes])

    bmo = pd.read_excel(reelles / "bmo-2024" / "Base_open_data_BMO_2024.xlsx",
                        sheet_name="BMO_2024_open_data", dtype=str, engine="calamine",
                        usecols=["Code métier BMO", "Nom métier BMO"])
    libelles = dict(bmo.drop_duplicates("Code métier BMO").itertuples(index=False))
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";", lineterminator="\n")
    ecrivain.writerow(["code_rome", "code_fap2021", "libelle_fap2021"])
    for code, fap in ROME_FAP2021.items():
        ecrivain.writerow([code, fap, libelles[fap]])
    (ICI / "rome" / "rome_fap2021.csv").write_text(sortie.getvalue(), encoding="utf-8")
    comptes["rome_fap2021.csv"] = len(ROME_FAP2021)
    return comptes


if __name__ == "__main__":
    dossier = Path(sys.argv[1]) if len(sys.argv) > 1 else REELLES
    for fichier, n in extraire(dossier).items():
        taille = (ICI / SOUS_DOSSIER[fichier] / fichier).stat().st_size
        print(f"{fichier} : {n} lignes, {taille / 1024:.0f} Kio")
