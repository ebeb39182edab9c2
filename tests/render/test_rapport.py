"""Each pilot company's report: nothing of any other company (name, requisition
reference, candidate) in its HTML nor in its PDF; texts from the data escaped; the
diagnosis phrased as actions with their evidence; the secrecy rule explained."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from flows.render import pdf, rapport
from flows.render.commun import ouvrir, plotly_js, slugs
from tests.conftest import absent
from tests.render.conftest import CAPTURES
from tests.render.donnees import CHARGE_UTILE, ENTREPRISES


@pytest.fixture(scope="module")
def rapports(entrepot_test, tmp_path_factory) -> dict[str, Path]:
    dossier = tmp_path_factory.mktemp("rapports")
    fichiers = slugs(list(ENTREPRISES))
    return {nom: rapport.construire(entrepot_test, nom, dossier / f"{fichiers[nom]}.html") for nom in ENTREPRISES}


def traces_des_autres(entreprise: str) -> list[re.Pattern]:
    """Patterns of every other company's name, references and candidates."""
    motifs = []
    for nom, prefixe in ENTREPRISES.items():
        if nom != entreprise:
            premier_mot = nom.split()[0]
            motifs += [re.compile(rf"\b{re.escape(premier_mot)}\b", re.IGNORECASE),
                       re.compile(rf"\b{prefixe}-\d"), re.compile(rf"cand-{prefixe}")]
    return motifs


def fuites(texte: str, entreprise: str) -> list[str]:
    """Traces of the others in a page or a PDF (plotly.js itself, with words like
    « Delta » in its code, is left out; the charts' data are searched)."""
    texte = texte.replace(plotly_js(), "")
    return [m.pattern for m in traces_des_autres(entreprise) if m.search(texte)]


def texte_visible(chemin: Path) -> str:
    """A page's text without tags, runs of ASCII blanks as one (narrow spaces kept)."""
    return html.unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", chemin.read_text("utf-8"))))


def test_un_fichier_par_entreprise_sans_traversee(rapports):
    assert sorted(p.name for p in rapports.values()) == [
        "alpha-pharma.html", "beta-labo.html", "delta-b-sante-b-cie.html", "gamma-chimie.html"]
    assert len({p.parent for p in rapports.values()}) == 1


def test_html_sans_rien_des_autres_entreprises(rapports):
    for entreprise, chemin in rapports.items():
        page = chemin.read_text(encoding="utf-8")
        assert html.escape(entreprise, quote=False) in page
        assert fuites(page, entreprise) == [], entreprise
        assert "cand-" not in page  # nor its own candidates: a report names no one


def test_pdf_sans_rien_des_autres_entreprises(rapports, chromium, tmp_path):
    """The same HTML printed by Chromium, charts included (their axis labels are text)."""
    def imprimer(entreprise: str) -> tuple[str, str]:
        chemin = pdf.imprimer(rapports[entreprise], tmp_path / f"{rapports[entreprise].stem}.pdf", chromium)
        return entreprise, "\n".join(page.extract_text() for page in PdfReader(chemin).pages)

    with ThreadPoolExecutor(max_workers=4) as pool:
        textes = dict(pool.map(imprimer, ENTREPRISES))
    for entreprise, texte in textes.items():
        assert entreprise in texte
        assert fuites(texte, entreprise) == [], entreprise
        assert "cand-" not in texte
        # the charts are drawn: the funnel's stages and the channels' axis are in the PDF
        assert "Présélection" in texte and "Embauches pour 100 candidatures" in texte
    assert CHARGE_UTILE in re.sub(r"\s", "", textes["Alpha Pharma"])  # shown as text (wrapped in its cell)


def test_textes_des_donnees_echappes(rapports):
    alpha = rapports["Alpha Pharma"].read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in alpha
    assert CHARGE_UTILE not in alpha
    delta = rapports["Delta <b>Santé</b> & Cie"].read_text(encoding="utf-8")
    assert "Delta &lt;b&gt;Santé&lt;/b&gt; &amp; Cie" in delta and "<b>Santé" not in delta


def test_nom_d_un_autre_pilote_masque_dans_un_intitule(rapports):
    assert "Technicien (remplace [autre entreprise])" in rapports["Beta Labo"].read_text(encoding="utf-8")


def test_trois_actions_avec_leurs_preuves(rapports):
    # Alpha, I1304: salary 20 % under the market's 2 500 € (force 4), descriptions of 100
    # characters against 500 (threshold 250, force 2.5), half the interviewed withdraw (1.67)
    page = texte_visible(rapports["Alpha Pharma"])
    metier = "Technicien de maintenance industrielle (I1304)"
    attendues = [
        f"Revoir le salaire proposé. Le salaire proposé pour {metier} est 20\u202f% sous le salaire médian des "
        "offres du marché. Objectif : Ramener l'écart sous 5\u202f%",
        f"Étoffer le texte des offres. Vos offres de {metier} font 100 caractères en médiane, contre 500 caractères "
        "pour les offres du marché. Objectif : Dépasser 250 caractères",
        f"Garder le lien avec les candidats après l'entretien. 50\u202f% des candidats vus en entretien pour "
        f"{metier} se désistent ensuite (alerte au-delà de 30\u202f%).",
    ]
    positions = [page.find(a) for a in attendues]
    assert -1 not in positions, [a for a, p in zip(attendues, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    assert "Modèles pas encore entraînés" in page


def test_secret_statistique_explique(rapports):
    # on H2301 Gamma has one peer (Delta): nothing of Delta is shown, and the report says why
    page = html.unescape(rapports["Gamma Chimie"].read_text(encoding="utf-8"))
    assert "non publié : moins de 3 autres entreprises pilotes sur ce métier (1)" in page
    # on I1304 the three others pass the rule: their median time to fill, 55 days
    assert "55 jours (3 entreprises)" in page


def test_suivi_sans_le_temoin_quand_trop_peu_de_donnees(rapports):
    page = html.unescape(rapports["Alpha Pharma"].read_text(encoding="utf-8"))
    assert "Alpha Pharma affiche le salaire" in page and "trop peu de données" in page
    assert "effet estimé" not in page


# --------------------------------------------------------------------------- actions

def _omega(referentiel, inserer, construire, con):
    """Omega hires on three roles of Côte-d'Or in 2025, against market offers of 500
    characters (half: 250): I1304, 3 requisitions filled in 60 days, descriptions of 200
    characters (force 250 / 200 = 1.25); H2301, 1 filled in 60 days, 20 characters (force
    250 / 25 = 10, the floor of a tenth of the threshold); K2402, 2 filled in 20 days, 20
    characters: no difficulty, so no action on it."""
    marche = [{"offre_id": f"M-{rome}-{i}", "intitule": "Offre", "rome_code": rome, "commune_insee": "21231",
               "date_creation": datetime(2025, 2, 10 + i), "_version": datetime(2025, 2, 10 + i),
               "salaire_min_mensuel": 2500.0, "salaire_max_mensuel": 2500.0, "description": "m" * 500}
              for rome in ("I1304", "H2301", "K2402") for i in range(2)]
    inserer("brut.offres_ft", marche)
    lignes = []
    for rome, nombre, delai, longueur in (("I1304", 3, 60, 200), ("H2301", 1, 60, 20), ("K2402", 2, 20, 20)):
        for i in range(nombre):
            ouverture = date(2025, 1, 1) + timedelta(days=7 * i)
            lignes.append({"entreprise": "Omega", "reference": f"O-{rome}-{i}", "code_rome": rome,
                           "commune_site": "21231", "date_ouverture": ouverture,
                           "date_cloture": ouverture + timedelta(days=delai), "statut": "pourvu", "nombre_postes": 1,
                           "salaire_affiche": True, "salaire_min_mensuel": 2500.0, "salaire_max_mensuel": 2500.0,
                           "canaux": ["france_travail", "jobboard", "apec"], "description": "x" * longueur})
    inserer("brut.recrutements", lignes)
    construire()
    return rapport._lire(con, "Omega")


def test_actions_du_metier_qui_pese_le_plus_et_pourquoi_moins_de_trois(referentiel, inserer, construire, con):
    donnees = _omega(referentiel, inserer, construire, con)
    libelles_ = {"I1304": "Technicien de maintenance industrielle", "H2301": "Conducteur de ligne",
                 "K2402": "Chercheur"}
    metier = lambda code: f"{libelles_[code]} ({code})"  # noqa: E731
    liste = rapport.actions(donnees["preuves"], donnees["benchmark"], metier, None, libelle=libelles_.get)
    # the rule is strongest on H2301 (force 10), but I1304 weighs 3 requisitions against 1;
    # K2402 has the same signal but no difficulty (20 days): not named
    assert [(a["titre"], a["constat"], a["ailleurs"], a["effet"]) for a in liste] == [(
        "Étoffer le texte des offres",
        "Vos offres de Technicien de maintenance industrielle (I1304) font 200 caractères en médiane, contre "
        "500 caractères pour les offres du marché.", "Conducteur de ligne", None)]
    assert rapport.pourquoi_moins_d_actions(liste, donnees["diagnostic"], libelles_.get) == (
        "Pourquoi une seule action et non trois : sur vos métiers en difficulté (Technicien de maintenance "
        "industrielle et Conducteur de ligne), les autres règles du diagnostic (exigences, contenu des offres, "
        "sourcing, procédure) restent dans la norme du marché et des autres entreprises pilotes ; nous ne "
        "proposons pas d'action sans écart mesuré.")
    seuils = {"difficulte_delai_jours": 45.0, "difficulte_taux_abandon": 0.25}
    assert rapport.diagnostic_en_mots(donnees["diagnostic"], libelles_.get, seuils) == [
        "2 de vos 3 métiers connaissent une difficulté de recrutement (délai de pourvoi médian au-delà de 45 jours "
        "ou plus de 25\u202f% de recrutements abandonnés) ; ils représentent 4 de vos 6 recrutements.",
        "Pour Technicien de maintenance industrielle, votre premier métier (3 recrutements, délai médian 60 jours, "
        "0\u202f% d'abandons) : le vivier existe ; la difficulté vient du processus de recrutement, en premier lieu "
        "le contenu des offres.",
        "Même diagnostic pour Conducteur de ligne.",
        "Sans difficulté : Chercheur."]


def test_pas_d_action_sans_difficulte():
    diagnostic = pd.DataFrame({"metier": ["I1304"], "cause": ["pas_de_difficulte"], "sous_cause": [None],
                               "difficulte": [False], "recrutements": [3], "delai_pourvoi_median_jours": [20.0],
                               "taux_abandon": [0.0]})
    assert rapport.pourquoi_moins_d_actions([], diagnostic, str) == (
        "Aucune action prioritaire : aucun de vos métiers ne dépasse les seuils de difficulté. Nous ne proposons "
        "pas d'action sans difficulté à résoudre ; continuez à suivre vos délais de pourvoi.")
    assert rapport.diagnostic_en_mots(diagnostic, {"I1304": "Technicien"}.get, {
        "difficulte_delai_jours": 45.0, "difficulte_taux_abandon": 0.25}) == [
        "Votre métier recruté (3 recrutements) ne connaît pas de difficulté de recrutement (délai de pourvoi médian "
        "au-delà de 45 jours ou plus de 25\u202f% de recrutements abandonnés)."]


SIMULATIONS = pd.DataFrame(
    [("I1304", "afficher le salaire", 52, 20, 63.45, 42.0, -21.45, -27.19, -15.70, "baisse nette du délai"),
     ("I1304", "aligner le salaire sur la médiane du marché", 52, 39, 56.2, 54.7, -1.48, -3.67, 0.38,
      "pas d'effet mesurable"),
     ("I1304", "étoffer la description (au moins la médiane du marché)", 52, 52, 42.9, None, None, None, None,
      "non estimable : ce facteur ne varie pas au sein des entreprises pilotes"),
     ("H1404", "afficher le salaire", 9, 4, 62.4, None, None, None, None,
      "trop peu de données : 4 recrutement(s) concerné(s), il en faut 5")],
    columns=["rome_code_parent", "scenario", "recrutements", "concernes", "delai_estime_jours", "delai_simule_jours",
             "variation_jours", "variation_ic_bas", "variation_ic_haut", "verdict"])


def test_effet_attendu_en_une_phrase():
    # 63,45 -> 42: 21 days less (21,45), interval 15,70 to 27,19 days less
    assert rapport.effet_attendu("salaire_masque", "I1304", SIMULATIONS) == (
        "délai estimé 63 → 42 jours pour vos 20 recrutements concernés, soit 21 jours de moins (intervalle à "
        "95\u202f% : 16 à 27 jours de moins).")
    assert rapport.effet_attendu("salaire_sous_marche", "I1304", SIMULATIONS) == (
        "pas d'effet mesurable sur le délai (56 → 55 jours pour vos 39 recrutements concernés ; intervalle à "
        "95\u202f% de la variation : −4 à 0 jours).")
    assert rapport.effet_attendu("description_courte", "I1304", SIMULATIONS) == (
        "non chiffré (non estimable : ce facteur ne varie pas au sein des entreprises pilotes).")
    assert rapport.effet_attendu("salaire_masque", "H1404", SIMULATIONS) == (
        "non chiffré (trop peu de données : 4 recrutement(s) concerné(s), il en faut 5).")
    assert rapport.effet_attendu("desistements", "I1304", SIMULATIONS) == (
        "non chiffré : le modèle des facteurs de difficulté ne mesure pas ce levier.")
    assert rapport.effet_attendu("salaire_masque", "I1304", None) is None


def test_scenarios_du_modele():
    """Each action's scenario is one of the difficulty-factor model's."""
    from flows.ml.difficulte import SCENARIOS

    assert set(rapport.SCENARIOS.values()) <= {nom for nom, *_ in SCENARIOS}


def test_annexe_seulement_les_estimations_chiffrees():
    diagnostic = pd.DataFrame({"metier": ["H1404", "I1304"], "recrutements": [9, 52]})
    lignes = rapport.annexe_simulations(SIMULATIONS, {"I1304": "Technicien", "H1404": "Méthodes"}.get, diagnostic)
    assert [(ligne["metier"], ligne["levier"], ligne["variation"]) for ligne in lignes] == [
        ("Technicien", "Afficher le salaire", "−21 j (−27 à −16)"),
        ("Technicien", "Aligner le salaire sur la médiane du marché", "−1 j (−4 à 0)")]


# --------------------------------------------------------------------------- figures and pages

def test_figures_du_rapport_legende_au_dessus_axes_titres(entrepot_test):
    with ouvrir(entrepot_test) as con:
        donnees = rapport._lire(con, "Alpha Pharma")
    graphiques = rapport.figures_rapport(donnees["process"], donnees["entonnoir"], donnees["canaux"],
                                         donnees["benchmark"], str)
    assert sorted(graphiques) == ["canaux", "delais", "entonnoir", "offres", "pairs"]
    for cle, figure in graphiques.items():
        layout = figure.layout
        if len([t for t in figure.data if t.showlegend is not False]) > 1 and layout.showlegend is not False:
            # above the plot: it cannot cover a tick label nor a title
            assert (layout.legend.orientation, layout.legend.yanchor, layout.legend.xanchor) == ("h", "bottom", "left"), cle
            assert layout.legend.y >= 1 and layout.margin.t >= 40, cle
        else:
            assert layout.showlegend is False, cle
    # every value axis has its title with its unit
    titres = {cle: {k: f.layout[k].title.text for k in sorted(f.layout) if k.startswith(("xaxis", "yaxis"))
                    and f.layout[k].title.text} for cle, f in graphiques.items()}
    assert titres == {
        "entonnoir": {},
        "delais": {"xaxis": "Jours (médiane de chaque étape)"},
        "canaux": {"xaxis": "Canal (nombre de candidatures reçues au-dessus de chaque barre)",
                   "yaxis": "Embauches pour 100 candidatures"},
        "offres": {"xaxis": "Salaire mensuel<br>(€)", "xaxis2": "Expérience exigée<br>(mois)",
                   "xaxis3": "Description<br>(caractères)"},
        "pairs": {"xaxis": "Délai de pourvoi médian (jours)"},
    }


def remplissage(page) -> float:
    """How far down the page's text goes, as a share of the printable height (A4, 15 mm
    margins): 1 when it reaches the bottom margin. Chromium prints the charts' labels as text."""
    hauts = []

    def visiteur(texte, cm, tm, _fonte, _taille):
        if texte.strip():
            hauts.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visiteur)
    marge = 15 / 25.4 * 72
    haut, bas = float(page.mediabox.height) - marge, marge
    return (haut - min(hauts)) / (haut - bas) if hauts else 0.0


def texte_pdf(page) -> str:
    """A page's text, ligatures (« ﬃ ») as letters."""
    return unicodedata.normalize("NFKC", page.extract_text())


def verifier_pages(chemin: Path) -> list[str]:
    """Page 1 holds the whole summary and nothing after it; no page but the last is
    under a third full. Returns each page's text."""
    pages = PdfReader(chemin).pages
    textes = [texte_pdf(page) for page in pages]
    premiere = textes[0]
    for titre in ("En bref", "Les actions prioritaires", "Suivi des actions engagées"):
        assert titre in premiere, (chemin.name, titre)
    assert "Vos indicateurs face aux autres" not in premiere, chemin.name
    assert all("Suivi des actions engagées" not in t and "Les actions prioritaires" not in t for t in textes[1:])
    remplies = [round(remplissage(page), 2) for page in pages]
    assert all(r >= 1 / 3 for r in remplies[:-1]), (chemin.name, remplies)
    return textes


def captures(pdf_: Path) -> None:
    """Every page as a PNG in sorties/tests/, for a person to look at."""
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        absent("pdftoppm absent (apt-get install -y poppler-utils) : pas de captures des pages du PDF")
    CAPTURES.mkdir(parents=True, exist_ok=True)
    for ancienne in CAPTURES.glob(f"{pdf_.stem}-p*.png"):
        ancienne.unlink()
    subprocess.run([pdftoppm, "-png", "-r", "60", str(pdf_), str(CAPTURES / f"{pdf_.stem}-p")], check=True,
                   timeout=120)


def test_pdf_page_par_page(rapports, chromium, tmp_path):
    def imprimer(chemin: Path) -> Path:
        return pdf.imprimer(chemin, tmp_path / f"rapport-test-{chemin.stem}.pdf", chromium)

    with ThreadPoolExecutor(max_workers=2) as pool:
        imprimes = list(pool.map(imprimer, rapports.values()))
    for chemin in imprimes:
        verifier_pages(chemin)
        captures(chemin)
    # the follow-up of Alpha's action is on page 1
    assert "Alpha Pharma affiche le salaire" in texte_pdf(PdfReader(imprimes[0]).pages[0])


def test_pdf_de_la_demo_page_par_page(demo, chromium, tmp_path):
    """The five pilots' reports on the demo (seven roles for the largest), printed."""
    from flows.render.commun import entreprises

    with ouvrir(demo["entrepot"]) as con:
        noms = entreprises(con)
    fichiers = slugs(noms)
    html_ = [rapport.construire(demo["entrepot"], nom, tmp_path / f"demo-{fichiers[nom]}.html") for nom in noms]
    with ThreadPoolExecutor(max_workers=2) as pool:
        imprimes = list(pool.map(lambda h: pdf.imprimer(h, h.with_suffix(".pdf"), chromium), html_))
    for chemin in imprimes:
        verifier_pages(chemin)
        captures(chemin)
    # the largest pilot's summary: the maintenance technician (52 requisitions) comes first
    ouche = texte_pdf(PdfReader(imprimes[noms.index("Laboratoires Fictifs de l'Ouche")]).pages[0])
    assert "Technicien / Technicienne de maintenance industrielle (I1304)" in ouche.split("Les actions prioritaires")[1]


def test_la_synthese_tient_en_une_page_quel_que_soit_le_nombre_de_metiers():
    # names beyond four are counted, not listed
    assert rapport._quelques(["A", "B", "C", "D"]) == "A, B, C et D"
    assert rapport._quelques(["A", "B", "C", "D", "E", "F"]) == "A, B, C et 3 autres"
