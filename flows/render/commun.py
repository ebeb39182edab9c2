"""What the dashboard and the reports share: reading the ``analyse`` schema (read-only),
French formats for the templates, company pseudonyms and file names, embedding Plotly."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from flows import warehouse
from flows.confidentialite import pseudonymiser, sel
from flows.config import parametres
from flows.formats import ESPACE_FINE, date_fr, nombre_fr

TEMPLATES = Path(__file__).parent / "templates"


# --------------------------------------------------------------------------- reading

@contextmanager
def ouvrir(entrepot: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, read-only: publishing never writes it."""
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        yield con


def lire(con: duckdb.DuckDBPyConnection, requete: str, parametres: list | None = None) -> pd.DataFrame:
    return con.execute(requete, parametres or []).df()


def table_existe(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether ``"analyse".<table>`` exists (the learning flow's tables may not, yet)."""
    ligne = con.execute("select count(*) from information_schema.tables where table_schema = 'analyse' "
                        "and table_name = ?", [table]).fetchone()
    return ligne is not None and ligne[0] > 0


def entreprises(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The pilot companies, from their process indicators."""
    return [r[0] for r in con.execute(
        'select distinct entreprise from "analyse".process_entreprise order by entreprise').fetchall()]


def libelles_metiers(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """v3 ROME code -> label."""
    return dict(con.execute(
        "select code, libelle from \"analyse\".metiers where niveau_code = 'rome3'").fetchall())


def comptes_entonnoir(process: pd.DataFrame) -> pd.DataFrame:
    """Counts at each stage of the funnel, rebuilt from "analyse".process_entreprise's
    applications and stage-to-stage rates (counts add up over roles, rates do not)."""
    return process.assign(
        preselectionnees=lambda t: t["candidatures"] * t["taux_preselection"].fillna(0),
        entretiens=lambda t: t["preselectionnees"] * t["taux_entretien"].fillna(0),
        propositions=lambda t: t["entretiens"] * t["taux_proposition"].fillna(0),
        embauches=lambda t: t["propositions"] * t["taux_acceptation"].fillna(0))


ETAPES_ENTONNOIR = ["candidatures", "preselectionnees", "entretiens", "propositions", "embauches"]


# --------------------------------------------------------------------------- companies

def lettres(rang: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet style)."""
    texte = ""
    rang += 1
    while rang:
        rang, reste = divmod(rang - 1, 26)
        texte = chr(ord("A") + reste) + texte
    return texte


@dataclass(frozen=True)
class Pseudonymes:
    """Name shown in the task force's dashboard for each pilot company."""

    libelles: dict[str, str]

    def __call__(self, entreprise: str) -> str:
        return self.libelles[entreprise]

    def masquer(self, texte: str | None) -> str | None:
        """Free text with every pilot company's name replaced by its label."""
        return remplacer_noms(texte, self.libelles)


def pseudonymes(noms: list[str], nommees: list[str], modele: str, sel: bytes) -> Pseudonymes:
    """Consenting companies keep their name; the others get ``modele`` with a letter.

    Letters follow the order of the salted hash of the names: stable from one run to the
    next, and telling nothing of the alphabetical order of the names (with five known
    pilots, « Entreprise A » would otherwise name the first one alphabetically).
    """
    ordre = sorted(noms, key=lambda nom: pseudonymiser(nom, sel))
    return Pseudonymes({nom: nom if nom in nommees else modele.format(lettre=lettres(rang))
                        for rang, nom in enumerate(ordre)})


def pseudonymes_publication(con: duckdb.DuckDBPyConnection) -> Pseudonymes:
    """The pilot companies' names as ``[publication]`` of config/parametres.toml says."""
    regles = parametres()["publication"]
    return pseudonymes(entreprises(con), list(regles["entreprises_nommees"]), regles["pseudonyme"], sel())


def remplacer_noms(texte: str | None, remplacements: dict[str, str]) -> str | None:
    """Replace each name (any case) by its replacement, longest names first."""
    if not texte or not remplacements:
        return texte
    noms = sorted((n for n in remplacements if n), key=len, reverse=True)
    motif = re.compile("|".join(re.escape(n) for n in noms), re.IGNORECASE)
    par_minuscule = {n.lower(): remplacements[n] for n in noms}
    return motif.sub(lambda m: par_minuscule[m.group(0).lower()], texte)


def slug(nom: str) -> str:
    """A file name from a company name: ASCII, lower case, hyphens, nothing else (so no
    ``/`` nor ``..``), at most 80 characters."""
    ascii_ = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode()
    texte = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:80].strip("-")
    return texte or "entreprise"


def slugs(noms: list[str]) -> dict[str, str]:
    """One distinct file name per company (a suffix when two names give the same slug)."""
    pris: dict[str, str] = {}
    for nom in sorted(noms):
        base = candidat = slug(nom)
        suffixe = 2
        while candidat in pris.values():
            candidat = f"{base}-{suffixe}"
            suffixe += 1
        pris[nom] = candidat
    return pris


# --------------------------------------------------------------------------- formats

def manquant(valeur: object) -> bool:
    if valeur is None or valeur is pd.NA or valeur is pd.NaT:
        return True
    return isinstance(valeur, float) and math.isnan(valeur)


def nombre(valeur: object, decimales: int = 0) -> str:
    """``1234.5`` -> ``1 234,5``; a missing value -> ``—``."""
    return "—" if manquant(valeur) else nombre_fr(float(valeur), decimales)  # type: ignore[arg-type]


def pourcent(part: object, decimales: int = 0) -> str:
    """A share: ``0.256`` -> ``26 %``."""
    return "—" if manquant(part) else f"{nombre_fr(100 * float(part), decimales)}{ESPACE_FINE}%"  # type: ignore[arg-type]


def ecart(part: object, decimales: int = 0) -> str:
    """A relative gap with its sign: ``-0.071`` -> ``−7 %``."""
    if manquant(part):
        return "—"
    valeur = 100 * float(part)  # type: ignore[arg-type]
    signe = "+" if valeur > 0 else ("−" if valeur < 0 else "")
    return f"{signe}{nombre_fr(abs(valeur), decimales)}{ESPACE_FINE}%"


def jour(valeur: object) -> str:
    if manquant(valeur):
        return "—"
    if isinstance(valeur, str):
        valeur = date.fromisoformat(valeur[:10])
    return date_fr(valeur)  # type: ignore[arg-type]


def horodatage(valeur: object) -> str:
    if manquant(valeur):
        return "—"
    if isinstance(valeur, str):
        valeur = datetime.fromisoformat(valeur)
    if not isinstance(valeur, date):
        raise TypeError(f"horodatage attendu, reçu {valeur!r}")
    return valeur.strftime("%d/%m/%Y à %H:%M")


@cache
def environnement() -> Environment:
    """Jinja2 with autoescape on: every text from the data is shown as text."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(nombre=nombre, pourcent=pourcent, ecart=ecart, jour=jour, horodatage=horodatage)
    return env


# --------------------------------------------------------------------------- plotly

@cache
def plotly_js() -> Markup:
    """plotly.js, inlined once per page (no CDN: the files open offline)."""
    from plotly.offline import get_plotlyjs

    return Markup(get_plotlyjs())


def figure_html(figure: go.Figure, identifiant: str, responsive: bool = True) -> Markup:
    """One chart as a ``<div>`` and its script, without plotly.js. Plotly writes the data
    as JSON with ``<``, ``>`` and ``/`` escaped, so no text can close the ``<script>``.
    Reports' charts have a fixed width and no tool bar (``responsive=False``): they print as drawn."""
    config = {"locale": "fr", "displaylogo": False, "responsive": responsive, "displayModeBar": responsive,
              "modeBarButtonsToRemove": ["select2d", "lasso2d", "toggleSpikelines"]}
    return Markup(pio.to_html(figure, full_html=False, include_plotlyjs=False, div_id=identifiant,
                              config=config, validate=False))
