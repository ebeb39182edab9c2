"""The task force's dashboard: self-contained (plotly.js once, nothing fetched), pilot
companies under pseudonyms unless they consented, data texts escaped, the models' state,
and what changed since the previous run."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.render import tableau_de_bord
from flows.render.commun import plotly_js
from tests.render.donnees import ENTREPRISES


def publier(entrepot: Path, racine: Path, nom: str = "essai", precedent: dict | None = None) -> str:
    dossier = racine / nom
    dossier.mkdir(parents=True)
    return tableau_de_bord.construire(entrepot, dossier, precedent, racine / "modeles").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(entrepot_test, tmp_path_factory) -> str:
    return publier(entrepot_test, tmp_path_factory.mktemp("sorties"))


def sans_plotly(texte: str) -> str:
    return texte.replace(plotly_js(), "")


def test_autonome_plotly_une_fois(page):
    assert page.count(plotly_js()) == 1
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|https?://", sans_plotly(page))
    assert '<html lang="fr">' in page
    assert len(page.encode()) < 10 * 1024**2


def test_entreprises_sous_pseudonyme(page):
    texte = sans_plotly(page)
    for nom, prefixe in ENTREPRISES.items():
        assert not re.search(rf"\b{nom.split()[0]}\b", texte, re.IGNORECASE), nom
        assert f"{prefixe}-" not in texte and f"cand-{prefixe}" not in texte
    assert all(f"Entreprise {lettre}" in texte for lettre in "ABCD")
    # the agreed action names Alpha in its text: shown with Alpha's pseudonym
    assert re.search(r"<td>Entreprise [A-D] affiche le salaire</td>", texte)


def test_entreprise_consentante_nommee_et_echappee(entrepot_test, tmp_path, monkeypatch, parametres_nommant):
    monkeypatch.setenv("HUB_PARAMETRES", str(parametres_nommant))
    texte = sans_plotly(publier(entrepot_test, tmp_path))
    assert "<td>Delta &lt;b&gt;Santé&lt;/b&gt; &amp; Cie</td>" in texte  # page text, escaped by Jinja
    assert '"Delta &lt;b&gt;Santé&lt;\\u002fb&gt; &amp; Cie"' in texte  # chart label: Plotly shows it as typed
    assert "<b>Santé" not in texte and "\\u003cb\\u003eSant" not in texte
    assert not re.search(r"\bAlpha\b|\bBeta\b|\bGamma\b", texte)
    assert "Nommées avec leur accord : Delta &lt;b&gt;Santé&lt;/b&gt; &amp; Cie" in texte


def test_quarantaine_motifs_sans_valeurs(page):
    assert "<td>dateCreation</td><td>horodatage illisible « … »</td><td class=\"nombre\">2</td>" in page
    assert "Jean Dupont" not in page


def test_modeles_pas_encore_entraines(page):
    assert "Modèles pas encore entraînés" in page


def test_modeles_entraines(entrepot_test, tmp_path):
    entrepot = tmp_path / "avec-modeles.duckdb"
    shutil.copy(entrepot_test, entrepot)
    with duckdb.connect(str(entrepot)) as con:
        con.execute("create table ml.facteurs_difficulte (facteur varchar, importance double)")
        con.execute("insert into ml.facteurs_difficulte values ('salaire affiché', 0.42), "
                    "('<i>canaux</i>', 0.17)")
    carte = tmp_path / "modeles" / "classement-rome" / "carte.json"
    carte.parent.mkdir(parents=True)
    carte.write_text(json.dumps({"nom": "Classement ROME", "metriques": {"exactitude": 0.9123},
                                 "exemples": 1200}), encoding="utf-8")
    texte = sans_plotly(publier(entrepot, tmp_path))
    assert "Modèles pas encore entraînés" not in texte
    assert "<h3>Modèle « Classement ROME »</h3>" in texte
    assert "<tr><th>metriques · exactitude</th><td>0,912</td></tr>" in texte
    assert "<tr><th>exemples</th><td>1\u202f200</td></tr>" in texte
    assert 'id="graphique-facteurs"' in texte and '"&lt;i&gt;canaux&lt;\\u002fi&gt;"' in texte


def test_ce_qui_a_change(entrepot_test, tmp_path):
    publier(entrepot_test, tmp_path, "premiere")
    ancien = json.loads((tmp_path / "premiere" / "chiffres-cles.json").read_text(encoding="utf-8"))
    assert ancien["chiffres"]["offres"]["valeur"] == 11 and ancien["chiffres"]["recrutements"]["valeur"] == 18
    # pretend the first run had 2 offers fewer and another diagnosis for one company
    ancien["chiffres"]["offres"]["valeur"] = 9
    cle = sorted(ancien["diagnostics"])[0]
    ancien["diagnostics"][cle] = "penurie"
    (tmp_path / "premiere" / "chiffres-cles.json").write_text(json.dumps(ancien), encoding="utf-8")
    precedent = tableau_de_bord.chiffres_precedents(tmp_path, "seconde")
    assert precedent["sortie"] == "premiere"
    texte = re.sub(r">\s+<", "><", publier(entrepot_test, tmp_path, "seconde", precedent))
    assert "Publication précédente : « premiere »" in texte
    assert ('<tr><td>Offres d&#39;emploi chargées</td><td class="nombre">9</td><td class="nombre">11</td>'
            '<td class="nombre">+2</td></tr>') in texte
    assert f"<tr><td>{cle}</td><td>Pénurie de candidats</td><td>Processus de recrutement</td></tr>" in texte
    assert tableau_de_bord.chiffres_precedents(tmp_path, "premiere")["sortie"] == "seconde"


def test_publication_precedente_au_changement_d_heure(tmp_path):
    # 25 October 2026 in Paris: 02:30 summer time (00:30 UTC) comes before 02:10 winter time
    # (01:10 UTC); compared as text, the earlier one would look later
    for nom, instant in (("avant", "2026-10-25T02:30:00+02:00"), ("apres", "2026-10-25T02:10:00+01:00")):
        (tmp_path / nom).mkdir()
        (tmp_path / nom / tableau_de_bord.CHIFFRES).write_text(
            json.dumps({"publie_le": instant, "chiffres": {}}), encoding="utf-8")
    assert tableau_de_bord.chiffres_precedents(tmp_path, "nouvelle")["sortie"] == "apres"
