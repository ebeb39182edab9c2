"""ROME 4.0 referential, France Travail's RefRomeCsv open-data export: the job codes
(``unix_referentiel_code_rome_v460_utf8.csv``), the job titles
(``unix_referentiel_appellation_v460_utf8.csv``), the texts of each code, one sentence a
row (``unix_texte_v460_utf8.csv``) and the mobility paths between codes
(``unix_rubrique_mobilite_v460_utf8.csv``).

Which of the four a file holds is read from its header, not its name, so a renamed or newer
version loads the same way. The codes file is the referential itself: its codes are only
checked for their shape. The codes named by the other files must also exist in the loaded
codes, when they are loaded (load the codes file first).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flows.lecture.genres import lire_csv_d_un_genre, table_du_genre
from flows.lecture.lots import Contexte, Lot, Table
from flows.lecture.valeurs import (
    ValeurInvalide,
    cite,
    lire_code_rome,
    obligatoire,
    texte,
    valider_lignes,
)

SOURCE = "rome"

CODES = "référentiel des codes ROME"
APPELLATIONS = "référentiel des appellations ROME"
TEXTES = "textes des fiches ROME"
MOBILITES = "mobilités entre codes ROME"


def _identifiant(valeur: Any) -> str | None:
    """A numeric identifier of the referential (code OGR, fiche métier)."""
    code = texte(valeur)
    if code is not None and not re.fullmatch(r"[0-9]+", code):
        raise ValeurInvalide(f"identifiant mal formé {cite(valeur)} (attendu des chiffres)")
    return code


def _formats(contexte: Contexte) -> dict[str, tuple[str, tuple[str, ...], dict[str, Any]]]:
    """Per kind of file: raw table, natural key and ``{column: parser}``."""
    code_connu = lambda v: lire_code_rome(v, contexte)  # noqa: E731
    drapeaux = {c: texte for c in ("transition_eco", "transition_num", "transition_demo",
                                    "emploi_reglemente", "emploi_cadre")}
    return {
        CODES: ("brut.rome_codes", ("code_rome",), {
            "code_rome": obligatoire(lire_code_rome),
            "code_fiche_metier": _identifiant,
            "code_ogr": _identifiant,
            "libelle_rome": obligatoire(texte),
            **drapeaux,
            "code_rome_parent": lire_code_rome,
        }),
        APPELLATIONS: ("brut.rome_appellations", ("code_ogr",), {
            "code_ogr": obligatoire(_identifiant),
            "libelle_appellation_long": obligatoire(texte),
            "libelle_appellation_court": texte,
            "code_rome": obligatoire(code_connu),
            **drapeaux,
            "classification": texte,
            "origine": texte,
            "code_rome_parent": code_connu,
            "peu_usite": texte,
        }),
        TEXTES: ("brut.rome_textes", ("code_rome", "libelle_type_texte", "position_phrase"), {
            "code_rome": obligatoire(code_connu),
            "code_compo_bloc": _identifiant,
            "libelle_type_texte": obligatoire(texte),
            "position_phrase": obligatoire(_rang),
            "libelle_texte": obligatoire(texte),
        }),
        MOBILITES: ("brut.rome_mobilites", ("code_rome", "code_rome_cible"), {
            "code_rome": obligatoire(code_connu),
            "code_rome_cible": obligatoire(code_connu),
            "numero_ordre": _rang,
        }),
    }


def _rang(valeur: Any) -> int | None:
    """A position or an order number (``1``, ``2``...)."""
    code = _identifiant(valeur)
    return None if code is None else int(code)


def table_de(chemin: Path) -> str | None:
    """The raw table a file loads into, from its header alone; None if it fits no kind."""
    return table_du_genre(chemin, _formats(Contexte()))


def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse one RefRomeCsv file (codes, job titles, texts or mobilities) into a ``Lot``."""
    formats = _formats(contexte)
    lot, genre, lignes = lire_csv_d_un_genre(chemin, SOURCE, {nom: list(regles) for nom, (_, _, regles)
                                                                in formats.items()})
    if genre is None:
        return lot
    table, cle, regles = formats[genre]
    lot.tables.append(Table(table, valider_lignes(lignes, regles, cle, lot.rejets), cle))
    return lot
