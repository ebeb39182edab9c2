""""analyse".seuils keeps the thresholds of the TOML the transformation read, so that the
publication prints those, whatever the TOML says when it publishes."""

from __future__ import annotations

from flows.config import CONFIG, SQL
from flows.transformation import definir_variables


def test_seuils_du_toml_de_la_transformation(con, tmp_path, monkeypatch):
    texte = (CONFIG / "parametres.toml").read_text(encoding="utf-8")
    for avant, apres in (("difficulte_delai_jours = 45.0", "difficulte_delai_jours = 60.0"),
                         ("min_entreprises = 3", "min_entreprises = 4")):
        assert texte.count(avant) == 1
        texte = texte.replace(avant, apres)
    (tmp_path / "parametres.toml").write_text(texte, encoding="utf-8")
    monkeypatch.setenv("HUB_PARAMETRES", str(tmp_path / "parametres.toml"))
    definir_variables(con)
    con.execute((SQL / "analyse" / "analyse_seuils.sql").read_text(encoding="utf-8"))
    lignes = con.execute('select section, cle, valeur from "analyse".seuils order by section, cle').fetchall()
    assert len(lignes) == 25 and len({(s, c) for s, c, _ in lignes}) == 25  # one row per threshold
    valeurs = {(s, c): v for s, c, v in lignes}
    assert valeurs[("diagnostic", "difficulte_delai_jours")] == 60.0  # the edited TOML's
    assert valeurs[("secret", "min_entreprises")] == 4.0
    # the others as config/parametres.toml sets them
    assert valeurs[("diagnostic", "difficulte_taux_abandon")] == 0.25
    assert valeurs[("diagnostic", "penurie_entrees_par_offre")] == 1.0
    assert valeurs[("diagnostic", "contenu_ecart_salaire")] == -0.05
    assert valeurs[("secret", "part_max_dominante")] == 0.85
    assert valeurs[("vivier", "rayon_defaut_km")] == 30.0
    assert valeurs[("passerelles", "competence_part_cible_min")] == 0.2
    assert valeurs[("tension", "seuil_niveau_5")] == 0.84
    assert {s for s, _ in valeurs} == {"diagnostic", "secret", "vivier", "passerelles", "tension"}


def test_niveau_des_intervalles_du_suivi(con, construire, tmp_path, monkeypatch):
    """The follow-up's Python model records the level of its intervals beside the SQL
    thresholds: the report prints « intervalle à 90 % » as computed, whatever the TOML says later."""
    texte = (CONFIG / "parametres.toml").read_text(encoding="utf-8")
    assert texte.count("niveau_confiance = 0.95") == 1
    (tmp_path / "parametres.toml").write_text(texte.replace("niveau_confiance = 0.95", "niveau_confiance = 0.9"),
                                              encoding="utf-8")
    monkeypatch.setenv("HUB_PARAMETRES", str(tmp_path / "parametres.toml"))
    construire()
    assert con.execute("""select valeur from "analyse".seuils
        where section = 'suivi' and cle = 'niveau_confiance'""").fetchall() == [(0.9,)]
