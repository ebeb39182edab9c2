"""The thresholds a page prints next to a diagnosis are those the transformation used
("analyse".seuils), not those of config/parametres.toml on the day of publishing: edit the
TOML between `transformer` and `publier`, and the report and the dashboard still agree
with their diagnosis."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from flows.config import CONFIG
from flows.erreurs import ErreurUtilisateur
from flows.render import rapport, tableau_de_bord

# the warehouse was built with config/parametres.toml; publishing reads a TOML edited since
MODIFIES = {"penurie_entrees_par_offre = 1.0": "penurie_entrees_par_offre = 2.0",
            "difficulte_delai_jours = 45.0": "difficulte_delai_jours = 60.0",
            "difficulte_taux_abandon = 0.25": "difficulte_taux_abandon = 0.4",
            "rayon_defaut_km = 30.0": "rayon_defaut_km = 50.0",
            "min_entreprises = 3": "min_entreprises = 5",
            "part_max_dominante = 0.85": "part_max_dominante = 0.9"}
FINE = "\u202f"


@pytest.fixture
def toml_modifie(tmp_path, monkeypatch):
    texte = (CONFIG / "parametres.toml").read_text(encoding="utf-8")
    for avant, apres in MODIFIES.items():
        assert texte.count(avant) == 1, avant
        texte = texte.replace(avant, apres)
    (tmp_path / "parametres.toml").write_text(texte, encoding="utf-8")
    monkeypatch.setenv("HUB_PARAMETRES", str(tmp_path / "parametres.toml"))


def _mots(chemin) -> str:
    return re.sub(r"[ \t\r\n]+", " ", chemin.read_text(encoding="utf-8"))  # not \s: keeps the thin spaces


def test_rapport_seuils_de_la_transformation(entrepot_test, tmp_path, toml_modifie):
    texte = _mots(rapport.construire(entrepot_test, "Alpha Pharma", tmp_path / "alpha.html"))
    # the summary's definition of a difficulty, and the method
    assert (f"(délai de pourvoi médian au-delà de 45 jours ou plus de 25{FINE}% de recrutements abandonnés)"
            in texte)
    assert (f"<strong>Difficulté</strong> : délai de pourvoi médian au-delà de 45 jours ou plus de 25{FINE}% de "
            "recrutements abandonnés.") in texte
    assert "<strong>Pénurie</strong> : moins de 1,0 nouveau demandeur d'emploi (catégorie A)" in texte
    # the secrecy rule that "analyse".benchmark applied, in the method and the glossary
    assert f"au moins 3 entreprises et qu'aucune ne pèse plus de 85{FINE}% de leurs recrutements (secret" in texte
    assert f"au moins 3 entreprises et qu&#39;aucune ne pèse plus de 85{FINE}% de leurs recrutements.</dd>" in texte
    assert "autour du site (30 km s&#39;il n&#39;en déclare pas)" in texte
    assert not re.search(f"60 jours|40{FINE}%|au moins 5 entreprises|90{FINE}%|50 km", texte)


def test_tableau_de_bord_seuils_de_la_transformation(entrepot_test, tmp_path, toml_modifie):
    texte = _mots(tableau_de_bord.construire(entrepot_test, tmp_path, None, tmp_path / "modeles"))
    assert "de 45 jours à pourvoir ses postes" in texte
    assert "(difficulté au-delà de 45 jours ou d&#39;un quart d&#39;abandons)" in texte
    assert "60 jours" not in texte
    figure = tableau_de_bord.figures_du_tableau(entrepot_test, tmp_path / "modeles")["etude"]
    # the study's chart: pénurie at 1 new jobseeker per offer (ratio 1), difficulty at 45 days
    assert sorted((forme.type, forme.x0, forme.y0) for forme in figure.layout.shapes) == [
        ("line", 0, 45.0), ("line", 1.0, 0)]


def test_entrepot_sans_seuils(entrepot_test, tmp_path):
    """A warehouse transformed before "analyse".seuils existed: one French line, not a stack trace."""
    entrepot = tmp_path / "ancien.duckdb"
    shutil.copy(entrepot_test, entrepot)
    with duckdb.connect(str(entrepot)) as con:
        con.execute('drop table "analyse".seuils')
    with pytest.raises(ErreurUtilisateur, match=r"^l'entrepôt ne garde pas les seuils du diagnostic \(table "
                                                r"analyse.seuils\) : relancez la transformation"):
        rapport.construire(entrepot, "Alpha Pharma", tmp_path / "alpha.html")
