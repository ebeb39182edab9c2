"""What the dashboard and the reports share: reading the ``analyse`` schema (read-only),
French formats for the templates, company pseudonyms and file names, embedding Plotly."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, cached_property
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from flows import warehouse
from flows.confidentialite import masquer_coordonnees, masquer_personnes, pseudonymiser, sel
from flows.config import SQL, parametres
from flows.erreurs import ErreurUtilisateur
from flows.formats import ESPACE_FINE, date_fr, heure_paris, nombre_fr

TEMPLATES = Path(__file__).parent / "templates"
REQUETES = SQL / "publication"


# --------------------------------------------------------------------------- reading

@contextmanager
def ouvrir(entrepot: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, read-only: publishing never writes it."""
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        yield con


def requete(con: duckdb.DuckDBPyConnection, nom: str, parametres: Mapping[str, object] | None = None) -> pd.DataFrame:
    """The result of the saved query ``sql/publication/<nom>.sql``: every query of the
    publication lives there (linted and read like the models), its values passed as
    named parameters (``$entreprise``), never built into the text."""
    return con.execute((REQUETES / f"{nom}.sql").read_text(encoding="utf-8"), dict(parametres or {})).df()


def table_existe(con: duckdb.DuckDBPyConnection, table: str, schema: str = "analyse",
                 colonne: str | None = None) -> bool:
    """Whether ``<schema>.<table>`` exists (the learning stage's tables may not, yet),
    and has ``colonne`` when one is given."""
    return bool(requete(con, "table_existe", {"schema": schema, "table": table, "colonne": colonne})
                ["existe"].iloc[0])


def entreprises(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The pilot companies, from their process indicators."""
    return list(requete(con, "entreprises")["entreprise"])


def libelles_metiers(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """v3 ROME code -> label."""
    metiers = requete(con, "metiers_rome3")
    return dict(zip(metiers["code"], metiers["libelle"], strict=True))


def seuils(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, float]]:
    """The thresholds the transformation used ("analyse".seuils), by section as in
    config/parametres.toml's ``[sql.*]``: ``seuils(con)["diagnostic"]["difficulte_delai_jours"]``.
    What a page says next to a diagnosis must be what the diagnosis used, even when the
    TOML changed between ``transformer`` and ``publier``."""
    if not table_existe(con, "seuils"):  # a warehouse transformed before the table existed
        raise ErreurUtilisateur("l'entrepôt ne garde pas les seuils du diagnostic (table analyse.seuils) : "
                                "relancez la transformation (python -m flows transformer) avant de publier")
    resultat: dict[str, dict[str, float]] = {}
    for section, cle, valeur in requete(con, "seuils").itertuples(index=False):
        resultat.setdefault(section, {})[cle] = valeur
    return resultat


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
    """Name shown in the task force's dashboard for each pilot company, and the masking of
    the pilots' free text published beside it (every pilot's requisition references)."""

    libelles: dict[str, str]
    references: frozenset[str] = frozenset()

    def __call__(self, entreprise: str) -> str:
        return self.libelles[entreprise]

    @cached_property
    def masque(self) -> Masque:
        return Masque(self.libelles, self.references)

    def masquer(self, texte: str | None, personnes: bool = False) -> str | None:
        """Free text as ``Masque`` publishes it: each pilot named by its label."""
        return self.masque(texte, personnes)


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
    noms = pseudonymes(entreprises(con), list(regles["entreprises_nommees"]), regles["pseudonyme"], sel())
    return Pseudonymes(noms.libelles, references(con))


def references(con: duckdb.DuckDBPyConnection, sauf: str | None = None) -> frozenset[str]:
    """The requisition references of every pilot company (but ``sauf``), for ``Masque``."""
    if not table_existe(con, "offres_entreprise"):
        return frozenset()
    return frozenset(r for r in requete(con, "references", {"sauf": sauf})["reference"] if r)


# Words of a company name too common to mask on their own (legal forms, trades, places,
# everyday words): they are masked only next to a distinctive word of the same name.
MOTS_GENERIQUES = frozenset("""
    sa sas sasu sarl eurl snc sca scop gie cie compagnie societe groupe group holding ets etablissements
    france europe international industrie industries industriel industrielle industriels services solutions
    sante pharma pharmacie pharmaceutique pharmaceutiques laboratoire laboratoires labo labos chimie chimique
    medicament medicaments biologie cosmetique cosmetiques dijon bourgogne franche comte region
    nord sud est ouest centre part plus pour avec sans nouvelle nouveau grand grande petit petite
    les des aux une""".split())
# Small words that join a name's words (« Laboratoires Fictifs de l'Ouche »).
MOTS_VIDES = frozenset("de du des d l la le les et en au aux".split())
LONGUEUR_MOT_DISTINCTIF = 4
LONGUEUR_MIN_REFERENCE = 4  # shorter references (« 12 ») would mask numbers in any sentence
REFERENCE_MASQUEE = "[référence masquée]"
_MOT = re.compile(r"[^\W_]+")
_JETON_REFERENCE = re.compile(r"[\w-]+")
_ENTRE_MOTS = r"[\s'’.&<>/_-]{1,5}"  # between two words of a name (« Delta <b>Santé</b> & Cie »)


def plier(texte: str) -> str:
    """Lower case without accents, one character for one (positions stay those of ``texte``)."""
    def lettre(c: str) -> str:
        base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x)).lower()
        return base if len(base) == 1 else (c.lower() if len(c.lower()) == 1 else c)
    return "".join(lettre(c) for c in texte)


@dataclass(frozen=True)
class Masque:
    """The one masking of a pilot company's free text (offer titles, agreed actions,
    requirements) before it is published, in the dashboard, the extracts and the reports.

    - contacts: e-mail addresses and phone numbers (``masquer_coordonnees``, as for offers);
    - the requisition references in ``references`` (of every pilot, or of the others in a
      company's own report), whole, in any case, if at least 4 characters long;
    - each name of ``noms`` (name -> what replaces it; a name that stays maps to itself),
      in any case and accent spelling, and any run of its words (joined by spaces,
      hyphens, apostrophes...) that holds one of its distinctive words: « BIOCHIMERE SANTE »,
      « BioChimère » and « Pharma Imaginaire » for « BioChimère Santé » and « Pharma
      Imaginaire de Bourgogne ». A word is distinctive when it has 4 letters or more and
      is not in ``MOTS_GENERIQUES``; a name without one is masked only whole. Where two
      names match the same words, the longer match wins, then the whole name, then the
      one that masks;
    - with ``personnes``, for the texts that speak of people (agreed actions), what looks
      like a person's name outside the pilots' names (``masquer_personnes``; not for
      offer titles nor requirements, often capitalised like names).
    """

    noms: dict[str, str]
    references: frozenset[str] = frozenset()

    def __call__(self, texte: str | None, personnes: bool = False) -> str | None:
        if not texte:
            return texte
        autour = masquer_personnes if personnes else (lambda morceau: morceau)
        texte = self._sans_references(masquer_coordonnees(texte) or "")
        plie = plier(texte)
        # at one place: the longest match, then the whole name, then one that masks
        trouves = sorted(((debut, -(fin - debut), _MOT.findall(plie[debut:fin]) != _MOT.findall(plier(nom)),
                           remplacement == nom, fin, remplacement)
                          for nom, remplacement in self.noms.items() if nom
                          for debut, fin in self._passages(nom, plie)))
        morceaux, position = [], 0
        for debut, *_, fin, remplacement in trouves:
            if debut >= position:
                morceaux += [autour(texte[position:debut]) or "", remplacement]
                position = fin
        return "".join(morceaux) + (autour(texte[position:]) or "")

    def _sans_references(self, texte: str) -> str:
        """``texte`` with each reference written whole (not inside a longer run of letters,
        digits, ``_`` or ``-``) replaced, in any case."""
        simples, autres = self._references
        if autres is not None:
            texte = autres.sub(REFERENCE_MASQUEE, texte)
        if simples:
            texte = _JETON_REFERENCE.sub(
                lambda m: REFERENCE_MASQUEE if m.group(0).lower() in simples else m.group(0), texte)
        return texte

    @cached_property
    def _references(self) -> tuple[frozenset[str], re.Pattern[str] | None]:
        """The references made of letters, digits, ``_`` and ``-`` only (nearly all), lower
        case: such a reference written whole is a whole run of those characters, found by a
        set lookup (one pattern of 60 000 alternatives took a minute per report at 1M
        offers); and a pattern for the others, longest first."""
        longues = sorted((r.strip() for r in self.references if len(r.strip()) >= LONGUEUR_MIN_REFERENCE),
                         key=len, reverse=True)
        simples = frozenset(r.lower() for r in longues if _JETON_REFERENCE.fullmatch(r))
        autres = [r for r in longues if not _JETON_REFERENCE.fullmatch(r)]
        if not autres:
            return simples, None
        return simples, re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(r) for r in autres) + r")(?![\w-])",
                                   re.IGNORECASE)

    @cached_property
    def _motifs(self) -> dict[str, tuple[re.Pattern[str], frozenset[str]]]:
        """Per name: the pattern of a run of its words (folded), and its distinctive words."""
        motifs = {}
        for nom in self.noms:
            mots = list(dict.fromkeys(_MOT.findall(plier(nom))))
            distinctifs = frozenset(m for m in mots if len(m) >= LONGUEUR_MOT_DISTINCTIF and m not in MOTS_GENERIQUES)
            if distinctifs:
                un_mot = "(?:" + "|".join(re.escape(m) for m in sorted(mots, key=len, reverse=True)) + ")"
                motif = rf"(?<![^\W_]){un_mot}(?:{_ENTRE_MOTS}{un_mot})*(?![^\W_])"
            else:
                motif = r"(?<![^\W_])" + _ENTRE_MOTS.join(re.escape(m) for m in _MOT.findall(plier(nom))) + r"(?![^\W_])"
            motifs[nom] = (re.compile(motif), distinctifs)
        return motifs

    def _passages(self, nom: str, plie: str) -> list[tuple[int, int]]:
        """Where ``nom`` is written in the folded text: runs of its words holding one of its
        distinctive words, without the small joining words at their ends."""
        motif, distinctifs = self._motifs[nom]
        passages = []
        for trouve in motif.finditer(plie):
            mots = [(m.start() + trouve.start(), m.end() + trouve.start(), m.group(0))
                    for m in _MOT.finditer(trouve.group(0))]
            if distinctifs and not any(mot in distinctifs for *_, mot in mots):
                continue
            while mots and mots[0][2] in MOTS_VIDES:
                mots.pop(0)
            while mots and mots[-1][2] in MOTS_VIDES:
                mots.pop()
            if mots:
                passages.append((mots[0][0], mots[-1][1]))
        return passages


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
    """An instant in Paris time, ``03/12/2026 à 18:17`` (``flows.formats.heure_paris``, which
    adds the offset in the hour the change to winter time repeats): the warehouse stores
    load times as naive timestamps of the machine's clock (often UTC), the header an aware
    Paris time."""
    if manquant(valeur):
        return "—"
    if isinstance(valeur, str):
        valeur = datetime.fromisoformat(valeur)
    if isinstance(valeur, pd.Timestamp):
        valeur = valeur.to_pydatetime()
    if isinstance(valeur, datetime):
        return heure_paris(valeur, naif_en_utc=False, entre=" à ")
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y à %H:%M")
    raise TypeError(f"horodatage attendu, reçu {valeur!r}")


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
    # the tool bar shows on hover only: always shown, it covers the legends above the plots
    config = {"locale": "fr", "displaylogo": False, "responsive": responsive,
              "displayModeBar": "hover" if responsive else False,
              "modeBarButtonsToRemove": ["select2d", "lasso2d", "toggleSpikelines"]}
    return Markup(pio.to_html(figure, full_html=False, include_plotlyjs=False, div_id=identifiant,
                              config=config, validate=False))
