"""Pilots' free text (agreed actions) is published masked like offers: contacts, the
requisition references of any pilot and every pilot's name in any spelling, in the
dashboard, the extracts and the reports (one definition: ``commun.Masque``)."""

from __future__ import annotations

import csv
import html
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.render import extraits, rapport, tableau_de_bord
from flows.render.commun import plotly_js, pseudonymes
from tests.render.donnees import ENTREPRISES

ACTION = ("Relancer la réf. ALP-2 et BET-3 (Karim Pseudonyme 06 39 98 34 36, karim.p@exemple.fr) comme "
          "ALPHA PHARMA, Alphà et GAMMA")


@pytest.fixture(scope="module")
def entrepot(entrepot_test, tmp_path_factory) -> Path:
    """The test warehouse with one more follow-up row: Beta's action names others."""
    chemin = tmp_path_factory.mktemp("textes") / "entrepot.duckdb"
    shutil.copy(entrepot_test, chemin)
    con = duckdb.connect(str(chemin))
    try:
        con.execute('insert into "analyse".suivi_pilote (entreprise, action, date_debut, indicateur_cible, '
                    "libelle_indicateur, verdict) values ('Beta Labo', ?, ?, 'delai_pourvoi', "
                    "'délai de pourvoi médian', 'trop tôt pour conclure')", [ACTION, date(2025, 4, 1)])
    finally:
        con.close()
    return chemin


def test_action_masquee_dans_le_tableau_de_bord_et_les_extraits(entrepot, tmp_path):
    noms = pseudonymes(list(ENTREPRISES), [], "Entreprise {lettre}", b"sel-de-test")
    alpha, gamma = noms("Alpha Pharma"), noms("Gamma Chimie")
    attendue = ("Relancer la réf. [référence masquée] et [référence masquée] ([nom masqué] [téléphone masqué], "
                f"[courriel masqué]) comme {alpha}, {alpha} et {gamma}")
    (tmp_path / "essai").mkdir()
    page = tableau_de_bord.construire(entrepot, tmp_path / "essai", None, tmp_path / "modeles").read_text("utf-8")
    assert f"<td>{html.escape(attendue)}</td>" in page
    extraits.ecrire(entrepot, tmp_path / "extraits")
    with (tmp_path / "extraits" / "suivi_pilote.csv").open(encoding="utf-8-sig", newline="") as f:
        actions = sorted(ligne["action"] for ligne in csv.DictReader(f, delimiter=";"))
    assert actions == [f"{alpha} affiche le salaire", attendue]
    parquet = duckdb.execute(f"select action from '{tmp_path / 'extraits' / 'suivi_pilote.parquet'}' "
                             "order by action").fetchall()
    assert parquet == [(f"{alpha} affiche le salaire",), (attendue,)]


def test_action_masquee_dans_le_rapport_sauf_ce_qui_est_a_l_entreprise(entrepot, tmp_path):
    page = rapport.construire(entrepot, "Beta Labo", tmp_path / "beta-labo.html").read_text("utf-8")
    attendue = ("Relancer la réf. [référence masquée] et BET-3 ([nom masqué] [téléphone masqué], "
                "[courriel masqué]) comme [autre entreprise], [autre entreprise] et [autre entreprise]")
    assert f"<td>{html.escape(attendue)}</td>" in page
    assert not re.search(r"ALP-2|06 39|karim|\balph[aà]\b|\bgamma\b", page.replace(plotly_js(), ""), re.IGNORECASE)
