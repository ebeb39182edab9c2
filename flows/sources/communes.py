"""Communes (INSEE codes, postcodes, coordinates, population) and the commune -> BMO
employment basin table: France Travail's official file (``France_Travail_Bassin_Emploi_2021.csv``:
``reg,dep,codgeo,codbe,libbe``) or the table rebuilt by dataforgoodfr/13_odis
(``bassin_emploi.csv``, which lacks basin 2708 AUTUN). Both load into the same table.

Which of the three a file holds is read from its header, not its name. Both are referentials:
commune codes are checked for their shape only (the basin table also lists former communes).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flows.lecture.genres import lire_csv_de_formats, table_du_genre
from flows.lecture.lots import Contexte, Lot
from flows.lecture.valeurs import (
    ValeurInvalide,
    cite,
    lire_code,
    lire_commune,
    lire_decimal,
    lire_effectif,
    obligatoire,
    texte,
)

SOURCE = "communes"

COMMUNES = "communes (communes.csv)"
BASSINS = "communes et bassins d'emploi BMO (bassin_emploi.csv)"
BASSINS_OFFICIELS = "bassins d'emploi BMO de France Travail (France_Travail_Bassin_Emploi_2021.csv)"


def lire_bassin(valeur: Any) -> str | None:
    """A BMO employment basin code, kept as text (``2715``; ``2715.0`` from a spreadsheet)."""
    code = lire_code(valeur)
    if code is not None and not re.fullmatch(r"[0-9]{3,4}", code):
        raise ValeurInvalide(f"code de bassin d'emploi mal formé {cite(valeur)} (attendu 3 ou 4 chiffres)")
    return code


def _code_postal(valeur: Any) -> str | None:
    code = lire_code(valeur, 5)
    if code is not None and not re.fullmatch(r"[0-9]{5}", code):
        raise ValeurInvalide(f"code postal mal formé {cite(valeur)} (attendu 5 chiffres)")
    return code


def _coordonnee(borne: float):
    def lire(valeur: Any) -> float | None:
        nombre = lire_decimal(valeur)
        if nombre is not None and not -borne <= nombre <= borne:
            raise ValeurInvalide(f"coordonnée hors bornes {cite(valeur)} (attendu entre -{borne:g} et {borne:g})")
        return nombre

    return lire


def _surface(valeur: Any) -> float | None:
    nombre = lire_decimal(valeur)
    if nombre is not None and nombre < 0:
        raise ValeurInvalide(f"superficie négative {cite(valeur)}")
    return nombre


def _region(valeur: Any) -> str | None:
    return lire_code(valeur, 2)


EFFECTIFS = ("population_2021", "population_2015", "menages_2021", "naissances_2022", "deces_2022",
             "pop_15_64_totale_2021", "pop_15_64_chomage_2021", "pop_15_64_active_2021")

# Per kind of file: raw table, natural key, {field in the file: (column, parser)}.
FORMATS: dict[str, tuple[str, tuple[str, ...], dict[str, tuple[str, Any]]]] = {
    COMMUNES: ("brut.communes", ("insee_com", "code_postal", "commune_type", "commune"), {
        "insee_com": ("insee_com", obligatoire(lire_commune)),
        "insee_reg": ("insee_reg", _region),
        "insee_dep": ("insee_dep", _region),
        "commune": ("commune", obligatoire(texte)),
        "commune_article": ("commune_article", texte),
        "code_postal": ("code_postal", obligatoire(_code_postal)),
        "commune_type": ("commune_type", obligatoire(texte)),
        "insee_parente": ("insee_parente", lire_commune),
        "lat": ("lat", _coordonnee(90)),
        "lng": ("lng", _coordonnee(180)),
        "superficie_km2": ("superficie_km2", _surface),
        **{c: (c, lire_effectif) for c in EFFECTIFS},
    }),
    BASSINS: ("brut.bassins_bmo", ("code_commune_insee",), {
        "reg": ("reg", _region),
        "dep": ("dep", _region),
        "code_commune_insee": ("code_commune_insee", obligatoire(lire_commune)),
        "code_bassin_BMO": ("code_bassin", obligatoire(lire_bassin)),
        "lib_bassin_BMO": ("lib_bassin", texte),
    }),
    BASSINS_OFFICIELS: ("brut.bassins_bmo", ("code_commune_insee",), {
        "reg": ("reg", _region),
        "dep": ("dep", _region),
        "codgeo": ("code_commune_insee", obligatoire(lire_commune)),
        "codbe": ("code_bassin", obligatoire(lire_bassin)),
        "libbe": ("lib_bassin", texte),
    }),
}


def table_de(chemin: Path) -> str | None:
    """The raw table a file loads into, from its header alone; None if it fits no kind
    (both basin tables load into ``brut.bassins_bmo``)."""
    return table_du_genre(chemin, FORMATS)


def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse one communes file or one commune -> basin file into a ``Lot``."""
    return lire_csv_de_formats(chemin, SOURCE, FORMATS)
