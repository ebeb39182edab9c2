"""The dashboard and a report opened from disk in headless Chromium: no console error,
every chart drawn, filters that change what is shown, a data text with a script shown as
text. Screenshots go to sorties/tests/ (look at them); the opening time is printed.

``HUB_ENTREPOT_DEMO`` (a warehouse built by ``make demo``, e.g. donnees/entrepot.duckdb)
adds the same measures on the demo data (marked ``lent``)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from flows.render import rapport, tableau_de_bord
from tests.render.conftest import CAPTURES
from tests.render.donnees import CHARGE_UTILE
from tests.render.navigateur import Navigateur

pytestmark = pytest.mark.navigateur

FIGURES = "document.querySelectorAll('figure.graphique').length"
DESSINES = "document.querySelectorAll('figure.graphique .js-plotly-plot .main-svg').length"
# visible points of a chart: the sum over its shown traces of their x (or z) lengths
POINTS = """(function (id) {
  var gd = document.getElementById(id);
  return gd.data.filter(function (t) { return t.visible !== false; })
    .reduce(function (n, t) { return n + (t.x || t.z || []).length; }, 0);
})('%s')"""
CONSTATS = ("Array.from(document.querySelectorAll('#constat p[data-filtrable]')).filter(function (p) "
            "{ return !p.hidden; }).map(function (p) { return p.getAttribute('data-metier'); })")
TITRE = "document.getElementById('%s').closest('figure').querySelector('figcaption').textContent"
LIGNES = "Array.from(document.querySelectorAll('#etude tr[data-filtrable]')).filter(function (l) { return !l.hidden; }).length"


def choisir(navigateur: Navigateur, filtre: str, valeur: str) -> None:
    navigateur.evaluer(f"(function () {{ var s = document.querySelector('select[name={filtre}]'); s.value = '{valeur}'; "
                       "s.dispatchEvent(new Event('change')); })()")


def ouvrir_et_compter(navigateur: Navigateur, fichier: Path) -> tuple[int, float]:
    """Open a page; returns its number of charts once all are drawn, and the seconds it took."""
    debut = time.monotonic()
    navigateur.ouvrir(fichier)
    attendus = navigateur.evaluer(FIGURES)
    navigateur.attendre_que(f"{DESSINES} >= {attendus}", delai=60)
    return attendus, time.monotonic() - debut


def capturer_les_graphiques(navigateur: Navigateur, prefixe: str) -> None:
    """One screenshot per chart (its title, the chart and its notes, under the sticky
    header), for a person to look at in sorties/tests/."""
    identifiants = navigateur.evaluer("Array.from(document.querySelectorAll('figure.graphique .js-plotly-plot'))"
                                      ".map(function (g) { return g.id; })")
    for identifiant in identifiants:
        navigateur.evaluer(f"(function () {{ var f = document.getElementById('{identifiant}').closest('figure'); "
                           "var haut = document.querySelector('.bandeau').getBoundingClientRect().height; "
                           "window.scrollTo(0, f.getBoundingClientRect().top + window.scrollY - haut - 10); })()")
        navigateur.capture(CAPTURES / f"{prefixe}-{identifiant.removeprefix('graphique-')}.png")


@pytest.fixture
def navigateur(chromium, tmp_path):
    with Navigateur(chromium, tmp_path / "profil") as nav:
        yield nav


@pytest.fixture(scope="module")
def tableau(entrepot_test, tmp_path_factory, parametres_nommant) -> Path:
    racine = tmp_path_factory.mktemp("sorties")
    (racine / "essai").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUB_PARAMETRES", str(parametres_nommant))  # Delta consented to be named
        return tableau_de_bord.construire(entrepot_test, racine / "essai", None, racine / "modeles")


def test_tableau_de_bord_dans_le_navigateur(navigateur, tableau, capsys):
    graphiques, duree = ouvrir_et_compter(navigateur, tableau)
    with capsys.disabled():
        print(f"\n  tableau de bord (données de test, {tableau.stat().st_size / 1024**2:.1f} Mo) "
              f"ouvert et dessiné en {duree:.2f} s")
    assert navigateur.erreurs() == []
    # 11 charts (the relays among them): no DARES figures nor learned drivers in the test warehouse
    assert graphiques == 11
    assert navigateur.evaluer("document.querySelectorAll('.js-plotly-plot').length") == 11
    navigateur.capture(CAPTURES / "tableau-de-bord.png")
    capturer_les_graphiques(navigateur, "tableau-de-bord")

    # the page opens on the study's occupation (I1304), département 21, whole period: one
    # paragraph states the finding; the chart titles say what they show
    assert navigateur.evaluer(CONSTATS) == ["I1304 tous"]
    assert navigateur.evaluer(TITRE % "graphique-etude").endswith(
        " — Technicien de maintenance industrielle (I1304) · Département 21 · Toute la période")
    # study chart: the four companies on I1304; the diagnosis table shows the same four
    assert (navigateur.evaluer(POINTS % "graphique-etude"), navigateur.evaluer(LIGNES)) == (4, 4)
    choisir(navigateur, "metier", "tous")  # and two more on H2301
    assert (navigateur.evaluer(POINTS % "graphique-etude"), navigateur.evaluer(LIGNES)) == (6, 6)
    assert navigateur.evaluer(CONSTATS) == ["I1304 tous"]  # « all »: the study's occupation
    choisir(navigateur, "metier", "H2301")
    assert (navigateur.evaluer(POINTS % "graphique-etude"), navigateur.evaluer(LIGNES)) == (2, 2)
    assert navigateur.evaluer(CONSTATS) == ["H2301"]
    assert " — Conducteur de ligne (H2301) · " in navigateur.evaluer(TITRE % "graphique-etude")
    choisir(navigateur, "periode", "2025")
    assert navigateur.evaluer(POINTS % "graphique-etude") == 2  # both opened in 2025
    assert navigateur.evaluer("document.getElementById('graphique-offres-mois').layout.xaxis.range") == [
        "2025-01-01", "2025-12-31"]
    choisir(navigateur, "territoire", "departement:71")  # no pilot there: the chart says so
    assert navigateur.evaluer(POINTS % "graphique-etude") == 0
    assert navigateur.evaluer("document.getElementById('graphique-etude').closest('figure')"
                              ".querySelector('.vide').hidden") is False
    # and gives its place to that note: no empty frame
    boite = "document.getElementById('graphique-etude').parentElement.hidden"
    assert navigateur.evaluer(boite) is True
    navigateur.evaluer("document.getElementById('etude').scrollIntoView()")
    navigateur.capture(CAPTURES / "tableau-de-bord-filtre.png")
    choisir(navigateur, "territoire", "departement:21")
    assert navigateur.evaluer(boite) is False  # shown again, redrawn, with its points
    assert navigateur.evaluer("document.getElementById('graphique-etude').getBoundingClientRect().height") > 200
    choisir(navigateur, "metier", "tous")
    choisir(navigateur, "periode", "tous")
    navigateur.evaluer("document.getElementById('process').scrollIntoView()")
    navigateur.capture(CAPTURES / "tableau-de-bord-process.png")
    # the consenting company's name, with its HTML, is shown as typed in the legend
    assert navigateur.evaluer("Array.from(document.querySelectorAll('#graphique-entonnoir .legendtext'))"
                              ".map(function (e) { return e.textContent; })").count("Delta <b>Santé</b> & Cie") == 1
    assert navigateur.erreurs() == []


def test_rapport_dans_le_navigateur(navigateur, entrepot_test, tmp_path):
    chemin = rapport.construire(entrepot_test, "Alpha Pharma", tmp_path / "alpha-pharma.html")
    graphiques, duree = ouvrir_et_compter(navigateur, chemin)
    assert navigateur.erreurs() == []
    assert graphiques == 5
    # the offer titled with a script is a cell's text, and nothing ran
    assert CHARGE_UTILE in navigateur.evaluer("Array.from(document.querySelectorAll('td'))"
                                              ".map(function (c) { return c.textContent; })")
    assert not [e for e in navigateur.evenements if e.get("method") == "Page.javascriptDialogOpening"]
    navigateur.capture(CAPTURES / "rapport.png")
    navigateur.evaluer("document.querySelector('table.offres').scrollIntoView()")
    navigateur.capture(CAPTURES / "rapport-offres.png")


def test_tableau_de_bord_demo(navigateur, demo, tmp_path, capsys):
    """The dashboard of the full demo: size and opening time measured and printed."""
    (tmp_path / "demo").mkdir()
    chemin = tableau_de_bord.construire(demo["entrepot"], tmp_path / "demo", None, tmp_path / "modeles")
    taille = chemin.stat().st_size / 1024**2
    graphiques, duree = ouvrir_et_compter(navigateur, chemin)
    with capsys.disabled():
        print(f"\n  tableau de bord de la démonstration : {taille:.1f} Mo, {graphiques} graphiques, "
              f"ouvert et dessiné en {duree:.2f} s")
    assert taille < 10
    assert navigateur.erreurs() == []
    # charts of one row per family or role take the height of the rows shown: at opening
    # (I1304, Côte-d'Or), the one FAP family of I1304 (G1Z70, 4 rows at least: room for the
    # axis title) and the six pilots' I1304 roles
    hauteur = "document.getElementById('graphique-%s').layout.height"
    assert navigateur.evaluer(hauteur % "comparaison-dares") == 150 + 44 * 4
    assert navigateur.evaluer(hauteur % "delais-etapes") == 130 + 34 * 6
    # and the chart's box with it: no blank space under the chart
    boite = "document.getElementById('graphique-%s').parentElement.getBoundingClientRect().height"
    assert navigateur.evaluer(boite % "delais-etapes") == 130 + 34 * 6
    navigateur.capture(CAPTURES / "tableau-de-bord-demo.png")
    capturer_les_graphiques(navigateur, "tableau-de-bord-demo")
