"""Each pilot company's report: nothing of any other company (name, requisition
reference, candidate) in its HTML nor in its PDF; texts from the data escaped; the
diagnosis phrased as actions with their evidence; the secrecy rule explained."""

from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from flows.render import pdf, rapport
from flows.render.commun import plotly_js, slugs
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
