"""ROME 4.0 referential, France Travail's RefRomeCsv open-data export: the job codes
(``unix_referentiel_code_rome_v460_utf8.csv``) and the job titles
(``unix_referentiel_appellation_v460_utf8.csv``); and the ROME v3 -> FAP-2021
correspondence (``rome_fap2021.csv``: ``code_rome;code_fap2021;libelle_fap2021``) that
links occupations to the BMO survey.

Which of the two a file holds is read from its header, not its name, so a renamed or newer
version loads the same way. The codes file is the referential itself: its codes are only
checked for their shape. A job title's codes must also exist in the loaded codes, when they
are loaded (load the codes file first).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flows.sources.communs import (
    Contexte,
    Lot,
    Table,
    ValeurInvalide,
    cite,
    lire_code_rome,
    lire_csv_d_un_genre,
    obligatoire,
    texte,
    valider_lignes,
)

SOURCE = "rome"

CODES = "référentiel des codes ROME"
APPELLATIONS = "référentiel des appellations ROME"
FAP2021 = "correspondance ROME → FAP-2021"


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
        FAP2021: ("brut.rome_fap2021", ("code_rome", "code_fap2021"), {
            "code_rome": obligatoire(code_connu),
            "code_fap2021": obligatoire(_code_fap),
            "libelle_fap2021": texte,
        }),
    }


def _code_fap(valeur: Any) -> str | None:
    """A FAP-2021 family code as in the BMO survey (``G1X72``)."""
    code = texte(valeur)
    if code is not None and not re.fullmatch(r"[A-Z]\d[A-Z]\d{2}", code):
        raise ValeurInvalide(f"code FAP-2021 mal formé {cite(valeur)} (attendu comme G1X72)")
    return code


def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse one RefRomeCsv file (codes or job titles) into a ``Lot``."""
    formats = _formats(contexte)
    lot, genre, lignes = lire_csv_d_un_genre(chemin, SOURCE, {nom: list(regles) for nom, (_, _, regles)
                                                                in formats.items()})
    if genre is None:
        return lot
    table, cle, regles = formats[genre]
    lot.tables.append(Table(table, valider_lignes(lignes, regles, cle, lot.rejets), cle))
    return lot
