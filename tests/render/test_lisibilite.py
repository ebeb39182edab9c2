"""Charts a reader can read and the finding in words: each dashboard figure's Plotly
layout is read (legend above the plot, every axis titled and not longer than the plot,
log-axis ticks, no more than seven series to tell apart for a selection), and the
paragraph that opens the dashboard is checked against the small warehouse of donnees.py."""

from __future__ import annotations

import re
from collections import Counter

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest

from flows.render import figures, libelles, tableau_de_bord

# DejaVu Sans at 12 px: at most about 7 px a character
PIXELS_PAR_CARACTERE = 7


@pytest.fixture(scope="module")
def graphiques(entrepot_test, tmp_path_factory) -> dict[str, go.Figure]:
    return tableau_de_bord.figures_du_tableau(entrepot_test, tmp_path_factory.mktemp("modeles"))


def _axes(figure: go.Figure) -> dict[str, dict]:
    disposition = figure.to_plotly_json()["layout"]
    return {cle: valeur for cle, valeur in disposition.items() if re.fullmatch(r"[xy]axis\d*", cle)}


def _titre(axe: dict) -> str:
    titre = axe.get("title") or {}
    return (titre.get("text") if isinstance(titre, dict) else str(titre)) or ""


def _series(figure: go.Figure) -> int:
    """Series a reader must tell apart: the visible traces' legend entries (a legend group
    counts once)."""
    entrees = set()
    for trace in figure.data:
        if trace.visible is False or trace.showlegend is False:
            continue
        entrees.add(trace.legendgroup or trace.name)
    return len(entrees)


def _points_visibles(figure: go.Figure) -> int:
    """How many values the visible traces draw (x, y or z, missing ones left out)."""
    return sum(1 for t in figure.data if t.visible is not False
               for axe in ("x", "y", "z") if getattr(t, axe, None) is not None
               for v in getattr(t, axe) if v is not None)


def test_les_graphiques_attendus(graphiques):
    assert sorted(graphiques) == ["canaux", "carte-tension", "couverture", "delais-etapes", "entonnoir", "etude",
                                  "offres-marche", "offres-mois", "qualite", "relais", "score-tendance"]


def verifier_legendes(graphiques: dict[str, go.Figure]) -> None:
    for cle, figure in graphiques.items():
        legende = figure.layout.legend
        assert (legende.y, legende.yanchor, legende.orientation) == (1.02, "bottom", "h"), cle
        assert figure.layout.margin.t is not None and figure.layout.margin.t >= 0, cle


def verifier_axes(graphiques: dict[str, go.Figure]) -> None:
    for cle, figure in graphiques.items():
        marges = figure.layout.margin
        hauteur_trace = figure.layout.height - marges.t - marges.b
        for nom, axe in _axes(figure).items():
            titre = _titre(axe)
            assert titre, f"{cle} : axe {nom} sans titre"
            if nom.startswith("y"):  # written vertically: it must fit the plot's height
                assert len(titre) * PIXELS_PAR_CARACTERE <= hauteur_trace, f"{cle} : « {titre} » coupé"


def verifier_series(graphiques: dict[str, go.Figure], metier: str, periode: str) -> None:
    for cle, figure in graphiques.items():
        copie = figures.selection_initiale(go.Figure(figure), {"metier": metier, "territoire": "departement:21",
                                                               "periode": periode})
        assert _series(copie) <= figures.SERIES_MAX, (cle, metier, periode)


def test_legende_au_dessus_du_trace(graphiques):
    """A legend above the plot area (Plotly widens the top margin for it) covers neither
    tick labels nor axis titles, which are below and to the left."""
    verifier_legendes(graphiques)


def test_chaque_axe_a_un_titre_entier(graphiques):
    verifier_axes(graphiques)


@pytest.mark.parametrize("metier", ["tous", "I1304", "H2301"])
@pytest.mark.parametrize("periode", ["tous", "2025"])
def test_au_plus_sept_series_par_selection(graphiques, metier, periode):
    verifier_series(graphiques, metier, periode)


@pytest.mark.lent
def test_graphiques_lisibles_sur_la_demo(demo, tmp_path):
    """The same checks on the demo's charts (DARES comparison and skills included), for
    every occupation of the demo under the whole period and its last year."""
    graphiques = tableau_de_bord.figures_du_tableau(demo["entrepot"], tmp_path)
    assert {"comparaison-dares", "competences", "etude", "score-tendance"} <= set(graphiques)
    verifier_legendes(graphiques)
    verifier_axes(graphiques)
    with duckdb.connect(demo["entrepot"], read_only=True) as con:
        metiers = [m for (m,) in con.execute("""select distinct code from "analyse".tension_marche
            where niveau_code = 'rome3' order by code""").fetchall()]
        derniere = con.execute("""select max(periode) from "analyse".tension_marche
            where type_periode = 'annee'""").fetchone()[0]
    for metier in ["tous", *metiers]:
        for periode in ("tous", derniere):
            verifier_series(graphiques, metier, periode)
    # the page opens on the study's occupation in Côte-d'Or: no chart of it is empty
    ouverture = {"metier": "I1304", "territoire": "departement:21", "periode": "tous"}
    vides = [cle for cle, figure in graphiques.items()
             if not _points_visibles(figures.selection_initiale(go.Figure(figure), ouverture))]
    assert vides == []
    axe = graphiques["etude"].layout.xaxis
    assert list(axe.ticktext) == [figures.graduation(v) for v in axe.tickvals]
    assert set(axe.tickvals) <= set(figures.GRADUATIONS_LOG) and 1.0 in axe.tickvals


def test_axe_logarithmique_du_constat():
    # two companies at 0.4 and 0.3 offers per new jobseeker: the axis runs from 0.3 / 1.5 =
    # 0.2 to 2 x 1.5 = 3 (the threshold 1 doubled), so its ticks are 0.25, 0.5, 1 and 2
    points = pd.DataFrame({
        "cause": ["process", "pas_de_difficulte"], "ratio_tension": [0.4, 0.3], "delai": [60.0, 20.0],
        "recrutements": [4, 1], "entreprise": ["Entreprise A", "Entreprise B"], "metier": ["I1304", "I1304"],
        "metier_libelle": ["Technicien de maintenance industrielle"] * 2, "sous_cause": ["", ""],
        "f_periode": [["tous"], ["tous"]], "f_territoire": [["21"], ["21"]]})
    figure = figures.etude(points, 1.0, 45.0)
    axe = figure.layout.xaxis
    assert axe.type == "log" and axe.tickmode == "array"
    assert list(axe.tickvals) == [0.25, 0.5, 1.0, 2.0]
    assert list(axe.ticktext) == ["0,25", "0,5", "1", "2"]
    # the job names the legend group and shows in the hover; colours follow the cause
    propres = [t for t in figure.data if t.legendgroup == "I1304"]
    assert [t.name for t in propres] == ["Processus de recrutement", "Pas de difficulté"]
    assert propres[0].legendgrouptitle.text == "Technicien de maintenance industrielle :"
    assert propres[0].customdata[0][1] == "Technicien de maintenance industrielle"
    assert [t.marker.color for t in propres] == ["#d68910", "#7f8c8d"]
    assert all(t.mode == "markers" for t in figure.data)  # no label to pile up


def test_tendance_six_metiers_et_autres_en_gris():
    # nine occupations in one territory, I01 with the most offers ... I09 the fewest
    series = pd.DataFrame([
        {"metier": f"I0{i}", "metier_libelle": f"Métier {i}", "territoire": "21", "debut": pd.Timestamp(2025, 1, 1),
         "score_tension": 0.1 * i, "offres": 100 - i} for i in range(1, 10)])
    figure = figures.score_tendance(series)
    tous = figures.selection_initiale(go.Figure(figure), {"metier": "tous", "territoire": "21", "periode": "tous"})
    visibles = [t for t in tous.data if t.visible is not False and t.type == "scatter" and t.x is not None]
    assert [t.name for t in visibles if t.line.color != figures.GRIS_AUTRES] == [f"Métier {i}" for i in range(1, 7)]
    assert [t.customdata[0] for t in visibles if t.line.color == figures.GRIS_AUTRES] == [
        "Métier 7", "Métier 8", "Métier 9"]
    assert _series(tous) == 7
    seul = figures.selection_initiale(go.Figure(figure), {"metier": "I08", "territoire": "21", "periode": "tous"})
    assert [t.name for t in seul.data if t.visible is not False and t.x is not None] == ["Métier 8"]


def test_le_constat_en_mots(entrepot_test, tmp_path):
    """The paragraph for I1304 in Côte-d'Or, computed by hand from donnees.py: 6 offers in
    2025 (H2301: 3, so I1304 is first of 2 occupations); 10 category-A entries a month for
    6 months = 60, i.e. 10 per offer; four pilots, each with four I1304 hires filled in
    40, 50, 60 and 70 days (median 55, over 45: all in difficulty), 16 hires in all; with a
    pool that large, the cause is the process."""
    page = tableau_de_bord.construire(entrepot_test, tmp_path, None, tmp_path / "modeles").read_text(encoding="utf-8")
    with duckdb.connect(str(entrepot_test), read_only=True) as con:
        territoire = con.execute("""select libelle from "analyse".territoires
            where niveau_territoire = 'departement' and code_territoire = '21'""").fetchone()[0]
    attendu = (
        "Technicien de maintenance industrielle (I1304) est le 1er métier sur 2 par nombre d&#39;offres "
        f"d&#39;emploi sur le territoire « {territoire} » en 2025 : 6 offres publiées. Le vivier n&#39;est pas "
        "rare : il arrive 10,0 nouveaux demandeurs d&#39;emploi (catégorie A) par offre, quand l&#39;étude parle "
        "de pénurie en dessous de 1,0. Pourtant, les 4 entreprises pilotes qui le recrutent ici (16 recrutements) "
        "mettent, en médiane, 55 jours à pourvoir un poste (difficulté au-delà de 45 jours ou d&#39;un quart "
        "d&#39;abandons). Toutes sont en difficulté ; cause diagnostiquée : processus de recrutement pour 4.")
    visibles = re.findall(r'<p data-filtrable data-metier="([^"]*)" data-territoire="([^"]*)" '
                          r'data-periode="([^"]*)">([^<]*)</p>', page)
    # the page opens on the study's occupation and territory, whole period: one paragraph shows
    assert visibles == [("I1304 tous", "departement:21", "tous", attendu)]
    assert '<option value="I1304" selected>' in page and '<option value="departement:21" selected>' in page
    # H2301 in Côte-d'Or: 3 offers, 1 entry a month for 6 months = 2 per offer; Gamma and
    # Delta hire one each in 59 days (1 February to 1 April 2025): median 59
    h2301 = re.search(r'data-metier="H2301" data-territoire="departement:21" data-periode="2025" hidden>([^<]*)</p>', page)
    assert h2301 is not None
    assert ("est le 2e métier sur 2" in h2301.group(1) and "2,0 nouveaux demandeurs" in h2301.group(1)
            and "les 2 entreprises pilotes qui le recrutent ici (2 recrutements) mettent, en médiane, 59 jours"
            in h2301.group(1))


def test_graduation_francaise():
    assert [figures.graduation(v) for v in (0.0625, 0.125, 0.25, 0.5, 1.0, 4.0)] == [
        "0,0625", "0,125", "0,25", "0,5", "1", "4"]


def test_heure_de_paris(monkeypatch):
    """One instant reads the same in the header (aware, Paris) and in the freshness table
    (naive, the machine's clock, here UTC): 17:14 UTC is 18:14 in Paris in winter."""
    import time
    from datetime import UTC, datetime

    from flows.formats import PARIS
    from flows.render.commun import horodatage

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert horodatage(datetime(2026, 12, 3, 17, 14)) == "03/12/2026 à 18:14"
        assert horodatage(pd.Timestamp(2026, 12, 3, 17, 14)) == "03/12/2026 à 18:14"
        assert horodatage(datetime(2026, 12, 3, 18, 14, tzinfo=PARIS)) == "03/12/2026 à 18:14"
        assert horodatage(datetime(2026, 7, 1, 10, 0, tzinfo=UTC)) == "01/07/2026 à 12:00"  # summer: UTC+2
        assert horodatage("2026-12-03T03:47:07+01:00") == "03/12/2026 à 03:47"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_carte_du_classement_rome_en_phrases(tmp_path):
    carte = {"nom": "classement ROME", "methode": "TF-IDF des intitulés", "seuil_confiance": 0.6,
             "entraine_le": "2026-12-03T03:46:52+01:00",
             "exemples": {"appellations_et_libelles": 15307, "offres_et_recrutements_etiquetes": 6334},
             "evaluation_interne": {"offres": 5800, "top1_code": 0.9783, "top1_parent": 0.9991},
             "derniere_execution": {"le": "2026-12-03T03:46:56+01:00", "predictions": 1674, "a_revoir": 0}}
    (tmp_path / "rome").mkdir()
    (tmp_path / "rome" / "carte.json").write_text(__import__("json").dumps(carte), encoding="utf-8")
    [resume] = tableau_de_bord.cartes_modeles(tmp_path)
    assert resume["phrases"] == [
        "Ce que fait le modèle : TF-IDF des intitulés.",
        "Appris sur 15\u202f307 appellations et libellés du ROME et 6\u202f334 offres et recrutements déjà codés ; "
        "mesuré sur 5\u202f800 offres prédites sans leurs propres republications, il trouve le bon métier (code "
        "parent) dans 99,9\u202f% des cas et le bon code précis dans 97,8\u202f%.",
        "Entraîné le 03/12/2026 à 03:46 (heure de Paris)."]
    # 15 307 + 6 334 = 21 641 examples
    assert resume["lignes"][:3] == [("Exemples d'apprentissage", "21\u202f641"),
                                    ("Métier juste (code parent)", "99,9\u202f%"), ("Code précis juste", "97,8\u202f%")]
    assert "À la dernière exécution" not in dict(resume["lignes"])  # a card of before #17 says nothing

    # a card since #17 tells whether the last run reused the stored model
    carte["derniere_execution"]["modele"] = "modèle réutilisé : 0,3\u202f% d'exemples nouveaux, seuil 10\u202f%"
    (tmp_path / "rome" / "carte.json").write_text(__import__("json").dumps(carte), encoding="utf-8")
    [resume] = tableau_de_bord.cartes_modeles(tmp_path)
    assert resume["lignes"][-1] == ("À la dernière exécution",
                                    "Modèle réutilisé : 0,3\u202f% d'exemples nouveaux, seuil 10\u202f%")


@pytest.mark.lent
def test_le_constat_de_la_demo_contre_les_tables(demo, tmp_path):
    """On the demo, the opening paragraph's numbers against the tables, each recomputed by
    another road: offers from the monthly rows, pilots and their delays from the diagnosis."""
    page = tableau_de_bord.construire(demo["entrepot"], tmp_path, None, tmp_path / "modeles").read_text(
        encoding="utf-8")
    [texte] = re.findall(r'data-metier="I1304 tous" data-territoire="departement:21" data-periode="tous">([^<]*)</p>', page)
    with duckdb.connect(demo["entrepot"], read_only=True) as con:
        offres, entrees = con.execute("""select sum(offres), sum(entrees_a) from "analyse".tension_marche
            where niveau_code = 'rome3' and code = 'I1304' and niveau_territoire = 'departement'
              and code_territoire = '21' and type_periode = 'mois'""").fetchone()
        pilotes = con.execute("""select entreprise, recrutements, delai_pourvoi_median_jours, difficulte, cause
            from "analyse".diagnostic where rome_code_parent = 'I1304' and type_periode = 'ensemble'
              and entreprise in (select entreprise from "analyse".offres_entreprise
                                 where rome_code_parent = 'I1304' and departement = '21')""").fetchall()
    delais = sorted(p[2] for p in pilotes)
    mediane = (delais[len(delais) // 2] if len(delais) % 2 else (delais[len(delais) // 2 - 1]
                                                                  + delais[len(delais) // 2]) / 2)
    nombre = tableau_de_bord.nombre
    assert "est le 1er métier sur " in texte
    assert f" : {nombre(offres)} offres publiées." in texte
    assert f"il arrive {nombre(entrees / offres, 1)} nouveaux demandeurs" in texte
    assert (f"les {len(pilotes)} entreprises pilotes qui le recrutent ici ({nombre(sum(p[1] for p in pilotes))} "
            f"recrutements) mettent, en médiane, {nombre(mediane, 0 if float(mediane).is_integer() else 1)} jours"
            in texte)
    en_difficulte = sum(1 for p in pilotes if p[3])
    assert (f"{en_difficulte} sur {len(pilotes)} sont en difficulté" in texte if en_difficulte < len(pilotes)
            else "Toutes sont en difficulté" in texte)
    # every cause of the pilots in difficulty, most frequent first (the demo has process and qualification)
    causes = Counter(p[4] for p in pilotes if p[3])
    assert set(causes) == {"process", "qualification"}
    attendu = ", ".join(f"{libelles.CAUSES[c].lower()} pour {n}" for c, n in causes.most_common())
    assert texte.endswith(f"; cause diagnostiquée : {attendu}.")


def test_au_dela_de_sept_entreprises_les_autres_en_gris():
    """Nine companies: the six with most applications keep their series, the three others
    are summed per territory of the filter (C and I in Côte-d'Or, H in Doubs)."""
    from flows.render.tableau_de_bord import autres_entreprises

    candidatures = {"A": 90, "B": 80, "C": 10, "D": 70, "E": 60, "F": 50, "G": 40, "H": 20, "I": 5}
    territoire = {"H": "departement:25"}
    lignes = pd.DataFrame({
        "entreprise": list(candidatures), "metier": ["I1304"] * 9, "periode": ["tous"] * 9,
        "f_territoire": [[territoire.get(e, "departement:21"), "region:27"] for e in candidatures],
        "candidatures": list(candidatures.values()), "preselectionnees": [v // 2 for v in candidatures.values()],
        "entretiens": [4] * 9, "propositions": [2] * 9, "embauches": [1] * 9})
    regroupees = autres_entreprises(lignes, ["metier", "periode"], list(lignes.columns[4:]))
    figure = figures.entonnoir(regroupees)
    autres = [(t.meta["filtre"]["territoire"], list(t.customdata)) for t in figure.data
              if t.name == "Autres entreprises"]
    assert autres == [(["departement:21"], [15, 7, 8, 4, 2]), (["departement:25"], [20, 10, 4, 2, 1]),
                      (["region:27"], [35, 17, 12, 6, 3])]
    assert {t.marker.color for t in figure.data if t.name == "Autres entreprises"} == {figures.GRIS_AUTRES}
    for selection in ("departement:21", "departement:25", "region:27"):
        copie = figures.selection_initiale(go.Figure(figure), {"metier": "I1304", "territoire": selection,
                                                               "periode": "tous"})
        assert _series(copie) <= figures.SERIES_MAX
    assert _series(figures.selection_initiale(go.Figure(figure), {
        "metier": "I1304", "territoire": "region:27", "periode": "tous"})) == 7


def test_carte_de_tension_les_25_metiers_les_plus_offerts():
    """About 200 occupations have a score on the real files: the heat map shows, for each
    year, the 25 with the most offers (all départements together), the first on top."""
    # 2025: « Métier 01 » ... « Métier 30 », Métier i with 100 - i offers in Côte-d'Or and
    # 1 in Doubs: the first 25 show
    cellules = [{"annee": "2025", "metier": f"M{i:02}", "metier_libelle": f"Métier {i:02}",
                 "territoire_libelle": departement, "score_tension": 0.1, "niveau_tension": 3,
                 "offres": offres, "demandeurs_a": None}
                for i in range(1, 31) for departement, offres in (("Côte-d'Or (21)", 100 - i), ("Doubs (25)", 1))]
    # 2024: three occupations; B and C tie on offers (5), C has a score in two départements
    cellules += [{"annee": "2024", "metier": m, "metier_libelle": f"Métier {m}", "territoire_libelle": t,
                  "score_tension": 0.2, "niveau_tension": 3, "offres": o, "demandeurs_a": None}
                 for m, t, o in (("A", "Doubs (25)", 9), ("B", "Doubs (25)", 5), ("C", "Doubs (25)", 3),
                                 ("C", "Jura (39)", 2))]
    figure = figures.carte_tension(pd.DataFrame(cellules), "2025")
    par_annee = {trace.colorbar.title.text: trace for trace in figure.data}
    assert list(par_annee["Score 2025"].y) == [f"Métier {i:02}" for i in range(1, 26)]
    assert list(par_annee["Score 2024"].y) == ["Métier A", "Métier C", "Métier B"]
    assert figures.CARTE_METIERS_MAX == 25
    assert figure.layout.height == 140 + 28 * 25 and figure.layout.yaxis.autorange == "reversed"
    # every département of any year is a column
    assert list(par_annee["Score 2025"].x) == ["Côte-d'Or (21)", "Doubs (25)", "Jura (39)"]


def test_comparaison_dares_par_libelle_de_famille():
    """The DARES comparison names the FAP families by their label (the code in the hover);
    under « all occupations », only the 15 families with the most offers of the territory
    and year show, an occupation chosen shows its own."""
    lignes = pd.DataFrame([{
        "territoire": "departement:74", "annee": "2025", "fap": f"G{i:02}Z70",
        "fap_libelle": f"Famille {i:02} (G{i:02}Z70)", "codes_rome3": [f"I13{i:02}"], "offres": 40 - i,
        "score_tension": 0.5, "score_dares": 1.0, "annee_dares": 2019} for i in range(1, 21)]
        # a family without a DARES label keeps its code and the occupations it covers
        + [{"territoire": "departement:74", "annee": "2025", "fap": "B7Z90",
            "fap_libelle": "B7Z90 (Architecte d'intérieur ; Architecte du bâtiment)", "codes_rome3": ["F1102"],
            "offres": 39, "score_tension": 0.1, "score_dares": 5.11, "annee_dares": 2019},
           # the demo loads no DARES label: G1Z70 is named by its 27 occupations, cut short
           {"territoire": "departement:74", "annee": "2025", "fap": "G1Z70",
            "fap_libelle": "G1Z70 (Agent / Agente d'exploitation des réseaux d'assainissement ; Antenniste ; "
                           "Ascensoriste ; Automaticien / Automaticienne en bureau d'études ; Chauffagiste ; Frigoriste)",
            "codes_rome3": ["I1304"], "offres": 0, "score_tension": 0.2, "score_dares": 0.8, "annee_dares": 2019}])
    figure = figures.comparaison_dares(lignes, "2025")
    notre, dares = figure.data
    assert (notre.orientation, notre.name, dares.name) == ("h", "Notre score", "Score publié par la DARES")
    assert list(notre.y[:3]) == ["B7Z90 (Architecte d'intérieur ;<br>Architecte du bâtiment)", "Famille 01",
                                 "Famille 02"]  # 39 offers each: by label
    assert list(notre.customdata[:2]) == ["B7Z90 (Architecte d'intérieur ; Architecte du bâtiment)<br>39 offre(s)",
                                          "Famille 01 (G01Z70)<br>39 offre(s)"]
    assert [y for y in notre.y if "Z70" in y] == [notre.y[-1]]  # a code only for the family without a label
    tous = [i for i, metiers in enumerate(notre.meta["points"]["metier"]) if "tous" in metiers]
    assert tous == list(range(15)) and figures.DARES_FAMILLES_MAX == 15
    assert notre.meta["points"]["metier"][20] == ["I1320"]  # the 21st family: its occupation only
    assert list(figure.layout.yaxis.range) == [14.5, -0.5]  # 15 slots, the most offers on top
    assert figure.layout.yaxis.type == "category"  # empty (Côte-d'Or, no offer): no numbered ticks
    assert figure.layout.height == 150 + 44 * 15
    # 80 characters at most on the axis (two lines of 40), 160 in the hover
    assert notre.y[-1] == "G1Z70 (Agent / Agente d'exploitation des<br>réseaux d'assainissement …"
    assert notre.customdata[-1] == ("G1Z70 (Agent / Agente d'exploitation des réseaux d'assainissement ; Antenniste ; "
                                    "Ascensoriste ; Automaticien / Automaticienne en bureau d'études …<br>0 offre(s)")
    assert _titre(figure.layout.yaxis.to_plotly_json()) == "Famille professionnelle (FAP)"


def test_roles_nommes_par_le_libelle_du_metier(graphiques):
    """The company × role charts name the occupation, not its ROME code (donnees.py: four
    companies, I1304 « Technicien de maintenance industrielle » and H2301 « Conducteur de
    ligne »)."""
    technicien, conducteur = "Technicien de maintenance industrielle", "Conducteur de ligne"
    roles = {"Entreprise A · " + technicien, "Entreprise B · " + conducteur, "Entreprise B · " + technicien,
             "Entreprise C · " + technicien, "Entreprise D · " + conducteur, "Entreprise D · " + technicien}
    for cle in ("delais-etapes", "offres-marche"):
        figure = graphiques[cle]
        assert {y.replace("<br>", " ") for trace in figure.data for y in trace.y} == roles, cle
        # one row per role, long labels cut into lines of 45 characters at most
        assert all(t.orientation == "h" for t in figure.data) and figure.layout.yaxis.autorange == "reversed"
        assert max(len(ligne) for t in figure.data for y in t.y for ligne in y.split("<br>")) <= 45
