"""DARES's FAP-2021 families of occupations: the nomenclature (``dares_nomenclature_fap2021.csv``:
FAP341 -> FAP228 -> FAP86 -> FAP22 with labels; a FAP228 code is the « Code métier BMO »
of the BMO survey) and the passage from ROME v3 and qualification level to FAP341
(``Dares_Table_passage_ROME_Qualif_to_FAP2021_pour_programme.csv``: one row per ROME v3
code and level 0 to 9, the level being France Travail's ``qualificationCode``, 0 when
unknown).

Which of the two a file holds is read from its header, not its name; the encoding (the
passage is Windows-1252, the nomenclature UTF-8 with a BOM) and the separator are detected.
The passage's ROME codes must exist in the loaded ROME referential, when it is loaded.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flows.lecture.genres import lire_csv_de_formats, table_du_genre
from flows.lecture.lots import Contexte, Lot
from flows.lecture.valeurs import ValeurInvalide, cite, lire_code_rome, obligatoire, texte

SOURCE = "fap2021"

PASSAGE = "table de passage ROME-Qualif → FAP-2021 (DARES)"
NOMENCLATURE = "nomenclature FAP-2021 (DARES)"

# code shape at each level of the tree; the Q families (public service) have a letter second
MOTIFS = {
    "22": (r"[A-Z]", "G"),
    "86": (r"[A-Z][0-9A-Z][A-Z]", "G1X"),
    "228": (r"[A-Z][0-9A-Z][A-Z][0-9]{2}", "G1X72"),
    "341": (r"[A-Z][0-9A-Z][A-Z][0-9]{2}[a-z]?", "G1X72a"),
}


def _code_fap(niveau: str):
    motif, exemple = MOTIFS[niveau]

    def lire(valeur: Any) -> str | None:
        code = texte(valeur)
        if code is not None and not re.fullmatch(motif, code):
            raise ValeurInvalide(f"code FAP {niveau} mal formé {cite(valeur)} (attendu par ex. {exemple})")
        return code

    return lire


def _qualification(valeur: Any) -> str | None:
    """A qualification level from 0 (unknown) to 9 (cadre), France Travail's codes."""
    code = texte(valeur)
    if code is not None and not re.fullmatch(r"[0-9]", code):
        raise ValeurInvalide(f"niveau de qualification hors de 0 à 9 {cite(valeur)}")
    return code


def _formats(contexte: Contexte) -> dict[str, tuple[str, tuple[str, ...], dict[str, tuple[str, Any]]]]:
    """Per kind of file: raw table, natural key, {field in the file: (column, parser)}."""
    code_connu = lambda v: lire_code_rome(v, contexte)  # noqa: E731
    arbre: dict[str, tuple[str, Any]] = {}
    for niveau in MOTIFS:
        arbre[f"Code FAP {niveau}"] = (f"code_fap{niveau}", obligatoire(_code_fap(niveau)))
        arbre[f"Intitulé FAP {niveau}"] = (f"intitule_fap{niveau}", texte)
    return {
        PASSAGE: ("brut.rome_qualif_fap2021", ("code_rome", "qualification"), {
            "ROME": ("code_rome", obligatoire(code_connu)),
            "Intitule_ROME": ("intitule_rome", texte),
            "Qualif": ("qualification", obligatoire(_qualification)),
            "FAP341": ("code_fap341", obligatoire(_code_fap("341"))),
            "Intitule_FAP341": ("intitule_fap341", texte),
        }),
        NOMENCLATURE: ("brut.fap2021", ("code_fap341",), arbre),
    }


def table_de(chemin: Path) -> str | None:
    """The raw table a file loads into, from its header alone; None if it fits no kind."""
    return table_du_genre(chemin, _formats(Contexte()))


def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse the FAP-2021 nomenclature or the ROME-Qualif passage into a ``Lot``."""
    return lire_csv_de_formats(chemin, SOURCE, _formats(contexte))
