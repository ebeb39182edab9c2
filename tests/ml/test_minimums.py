"""Each learning step below its minimum (config/parametres.toml) says so in one French
line instead of failing: no title to classify or too few labelled ones to calibrate, fewer
than two offers to compare, too few requisitions or offers for the drivers."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from flows import learning
from flows.ml import difficulte, doublons
from flows.ml.communs import regles

CLASSE_RARE = "offre dans la classe la plus rare (signalées ou non en manque de candidats), il en faut 30"


def _chemin(con) -> str:
    return con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]


@pytest.fixture
def entrepot(referentiel, inserer, construire, con):
    """entrepot(offres=[...], recrutements=[...]): the raw rows, both layers rebuilt, the
    warehouse closed (the tasks open it read-only); returns its path."""

    def _entrepot(offres: list[dict] | None = None, recrutements: list[dict] | None = None) -> str:
        inserer("brut.offres_ft", offres or [])
        inserer("brut.recrutements", recrutements or [])
        construire()
        chemin = _chemin(con)
        con.close()
        return chemin

    return _entrepot


def _offre(offre_id: str, **valeurs) -> dict:
    return {"offre_id": offre_id, "intitule": "Technicien de maintenance (H/F)", "rome_code": "I1304",
            "date_creation": "2025-03-03 08:00:00", "commune_insee": "21231", "entreprise_nom": "Alpha Pharma",
            "offres_manque_candidats": False} | valeurs


def _recrutement(reference: str, **valeurs) -> dict:
    return {"entreprise": "Alpha Pharma", "reference": reference, "intitule": "Technicien de maintenance",
            "code_rome": "I1304", "commune_site": "21231", "date_ouverture": date(2025, 3, 3),
            "date_cloture": date(2025, 4, 2), "statut": "pourvu"} | valeurs


def _predictions(tmp_path) -> str:
    chemin = tmp_path / "predictions.parquet"
    pd.DataFrame({"objet": pd.Series(dtype=str), "source": pd.Series(dtype=str),
                  "identifiant": pd.Series(dtype=str), "rome_code_parent": pd.Series(dtype=str)}).to_parquet(chemin)
    return str(chemin)


def test_les_minimums_sont_des_parametres():
    assert (regles()["doublons"]["min_offres"], regles()["rome"]["min_offres_calibration"],
            regles()["difficulte"]["min_observations"], regles()["difficulte"]["min_evenements"]) == (2, 100, 30, 30)


def test_classement_rome_sans_titre_a_classer(entrepot, tmp_path):
    """Every offer and requisition came with its code: nothing to predict."""
    chemin = entrepot([_offre("O1")], [_recrutement("R1")])
    bilan = learning.classer_rome.fn(chemin, str(tmp_path))
    assert bilan["manque"] == "classement ROME : 0 offre et 0 recrutement sans code"
    assert (bilan["predictions"], bilan["offres"], bilan["recrutements"]) == (0, 0, 0)
    assert len(pd.read_parquet(bilan["fichier"])) == 0


def test_classement_rome_sans_calibration(entrepot, tmp_path):
    """One requisition without a code, one labelled title (100 needed to calibrate): the
    prediction is made with the raw probability, and the summary says why."""
    chemin = entrepot([], [_recrutement("R1"), _recrutement("R2", code_rome=None)])
    bilan = learning.classer_rome.fn(chemin, str(tmp_path))
    assert bilan["manque"] == ("classement ROME : 1 offre ou recrutement codé, il en faut 100 pour calibrer "
                               "la confiance")
    assert (bilan["predictions"], bilan["recrutements"], bilan["calibre"]) == (1, 1, False)
    predite = pd.read_parquet(bilan["fichier"])
    assert list(predite[["identifiant", "rome_code_parent"]].itertuples(index=False, name=None)) == [("R2", "I1304")]


def test_doublons_sans_offre(entrepot, tmp_path):
    bilan = learning.regrouper_doublons.fn(entrepot(), _predictions(tmp_path), str(tmp_path))
    assert bilan["manque"] == "doublons : aucune offre à comparer"
    assert (bilan["offres"], bilan["annonces"], bilan["paires_comparees"], bilan["lots"]) == (0, 0, 0, 0)
    assert len(pd.read_parquet(bilan["fichier"])) == 0


def test_doublons_une_seule_offre(entrepot, tmp_path):
    """One offer: a vacancy of its own, without any pair compared."""
    bilan = learning.regrouper_doublons.fn(entrepot([_offre("O1")]), _predictions(tmp_path), str(tmp_path))
    assert bilan["manque"] == "doublons : 1 offre, il en faut 2 pour comparer"
    assert (bilan["offres"], bilan["annonces"], bilan["grappes"], bilan["paires_comparees"]) == (1, 1, 0, 0)
    sortie = pd.read_parquet(bilan["fichier"])
    assert sortie[["source", "offre_id", "doublon_de"]].values.tolist() == [
        ["france-travail", "O1", "france-travail:O1"]]
    assert sortie.score.isna().all()


def test_doublons_intitules_sans_aucun_mot():
    """Titles made only of noise words (« H/F », « URGENT - CDI ») weigh nothing: the
    vectoriser of the whole stream no longer fails on an empty vocabulary; only the
    description can pair such offers."""
    titres = doublons.vectoriseur_titres(pd.Series([2, 1], index=["", None]))
    assert titres.transform(["", "technicien"]).nnz == 0
    texte = " ".join(["Maintenance préventive et curative des lignes de conditionnement."] * 5)
    paires = pd.DataFrame([
        {"source": s, "offre_id": i, "intitule": t, "description": texte, "rome_code_parent": "I1304",
         "date_creation": "2025-03-03", "departement": "21", "commune_insee": "21231",
         "entreprise_nom": "Alpha Pharma", "type_contrat": "CDI", "salaire_min_mensuel": None,
         "salaire_max_mensuel": None}
        for s, i, t in (("a", "1", "H/F"), ("b", "2", "URGENT - CDI H/F"))])
    resultat = doublons.dedoublonner(paires, regles()["doublons"], titres)
    # an empty title key blocks nothing, but the shared description pairs them, and two sites
    # showing the same text of the same employer the same day show one vacancy
    assert (resultat.paires_comparees, resultat.paires_retenues) == (1, 1)
    assert list(resultat.doublon_de) == ["a:1", "a:1"]
    assert doublons.dedoublonner(paires.assign(description="Poste à pourvoir."), regles()["doublons"],
                                 titres).doublon_de.tolist() == ["a:1", "b:2"]  # a line says nothing


def test_facteurs_avec_un_seul_recrutement(entrepot):
    chemin = entrepot([_offre("O1")], [_recrutement("R1")])
    bilan = learning.facteurs_difficulte.fn(chemin)
    assert bilan["manque"] == f"facteurs : 1 recrutement pourvu, il en faut 30 ; 0 {CLASSE_RARE}"
    assert [(m["mesure"], m["n"]) for m in bilan["mesures"]] == [
        ("délai de pourvoi", 1), ("offre signalée en manque de candidats", 1)]
    assert bilan["simulations"] == {"lignes": 0, "chiffrees": 0}


def test_facteurs_une_mesure_sous_son_minimum():
    """What is missing, and the stored verdict built from it."""
    offres = pd.DataFrame({"offres_manque_candidats": [1.0] * 12 + [0.0] * 300})
    estimation = difficulte.estimer(offres, difficulte.MANQUE, regles()["difficulte"])
    assert estimation.manque == CLASSE_RARE.replace("offre dans", "12 offres dans")
    assert estimation.verdict == f"trop peu de données : {estimation.manque}"
