"""Drivers of difficulty: features against the market computed by hand, a planted effect
recovered with its interval, and the verdicts that refuse to say more than the data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from flows.ml import difficulte
from flows.ml.communs import regles

REGLES = regles()["difficulte"] | {"tirages_bootstrap": 100}


def test_caracteristiques_au_regard_du_marche():
    d = difficulte._caracteristiques(pd.DataFrame({
        "salaire_affiche": [False, True], "salaire": [2100.0, None], "salaire_median": [2400.0, 2400.0],
        "experience_mois": [60.0, 12.0], "experience_mediane_mois": [24.0, None], "diplome": [6.0, None],
        "diplome_median": [5.0, 5.0], "longueur_description": [250, 800], "longueur_description_mediane": [500.0, None],
        "type_contrat": ["CDD", "CDI"], "demandeurs_par_offre": [2.0, None], "nb_canaux": [2, 4]}))
    assert d.salaire_masque.tolist() == [1.0, 0.0]
    assert d.ecart_salaire.tolist() == [pytest.approx(-0.125), 0.0]  # 2100 / 2400 - 1; unknown: the market's
    assert d.experience_en_plus.tolist() == [3.0, 0.0]  # (60 - 24) / 12 years
    assert d.diplome_en_plus.tolist() == [1.0, 0.0]
    assert d.description.tolist() == [pytest.approx(math.log(0.5)), 0.0]
    assert d.autre_contrat.tolist() == [1.0, 0.0]
    # unknown tension: the median of the known ones
    assert d.tension.tolist() == [pytest.approx(math.log(2)), pytest.approx(math.log(2))]
    assert d.canaux_limites.tolist() == [1.0, 0.0]


def recrutements(n: int = 240, graine: int = 1) -> pd.DataFrame:
    """Three companies, two roles; time to fill = 40 days x 1.5 when the salary is hidden
    x 1.1 per year of experience above the market x the company's own pace, with a 10 %
    noise. The contract has no effect; channels only differ between companies."""
    r = np.random.default_rng(graine)
    entreprise = r.choice(["A", "B", "C"], n)
    d = pd.DataFrame({
        "entreprise": entreprise, "rome_code_parent": r.choice(["I1304", "H1503"], n),
        "salaire_masque": (r.random(n) < 0.3).astype(float), "ecart_salaire": r.normal(0, 0.05, n),
        "experience_en_plus": r.choice([0.0, 0.0, 1.0, 2.0, 3.0], n), "diplome_en_plus": r.choice([0.0, 1.0], n),
        "canaux_limites": (entreprise == "C").astype(float), "description": r.normal(0, 0.3, n),
        "autre_contrat": (r.random(n) < 0.3).astype(float), "tension": r.normal(0.7, 0.2, n)})
    rythme = d.entreprise.map({"A": 1.0, "B": 1.3, "C": 0.8})
    d["delai_pourvoi_jours"] = (40 * 1.5 ** d.salaire_masque * 1.1 ** d.experience_en_plus * rythme
                                * np.exp(r.normal(0, 0.1, n)))
    return d


@pytest.fixture(scope="module")
def estimation() -> difficulte.Estimation:
    return difficulte.estimer(recrutements(), difficulte.DELAI, REGLES)


def test_effet_plante_retrouve_avec_son_intervalle(estimation):
    facteurs = estimation.facteurs.set_index("facteur")
    salaire = facteurs.loc["Salaire non affiché"]
    assert salaire.effet == pytest.approx(0.5, abs=0.05)
    assert salaire.effet_ic_bas < 0.5 < salaire.effet_ic_haut and salaire.effet_ic_bas > 0.4
    assert (salaire.sens, salaire.verdict) == ("allonge le délai", "effet net")
    experience = facteurs.loc["Expérience exigée au-delà du marché"]  # contrast: 2 years, 1.1² - 1 = 21 %
    assert experience.effet == pytest.approx(0.21, abs=0.04) and experience.verdict == "effet net"
    assert facteurs.loc["Contrat autre qu'un CDI"].verdict == "pas d'effet mesurable"
    assert facteurs.loc["Contrat autre qu'un CDI"].sens == "incertain"
    assert estimation.scores["modele"] > estimation.scores["reference"]
    assert salaire.importance > facteurs.loc["Contrat autre qu'un CDI"].importance


def test_facteur_confondu_avec_l_entreprise(estimation):
    canaux = estimation.facteurs.set_index("facteur").loc["Diffusion sur deux canaux au plus"]
    assert canaux.verdict == ("non séparable de l'entreprise : ce facteur ne varie pas au sein des entreprises "
                              "pilotes")
    assert pd.isna(canaux.effet) and pd.isna(canaux.sens)


def test_trop_peu_de_donnees():
    estimation = difficulte.estimer(recrutements(20), difficulte.DELAI, REGLES)
    assert estimation.verdict == "trop peu de données : 20 recrutements pourvus, il en faut 30"
    assert estimation.facteurs.to_dict("records") == [{
        "facteur": "aucun facteur estimé", "mesure": "délai de pourvoi",
        "population": "recrutements pourvus des entreprises pilotes", "n": 20,
        "verdict": "trop peu de données : 20 recrutements pourvus, il en faut 30"}]
    assert difficulte.simuler(estimation, recrutements(20), REGLES).empty
    offres = pd.DataFrame({"offres_manque_candidats": [1.0] * 12 + [0.0] * 300})
    assert difficulte.estimer(offres, difficulte.MANQUE, REGLES).verdict == (
        "trop peu de données : 12 offres dans la classe la plus rare (signalées ou non en manque de candidats), "
        "il en faut 30")


def test_tirage_au_dela_du_plafond():
    """Past ``observations_max`` rows, a seeded sample: the same rows each run, and the
    planted effect still found."""
    d = recrutements(600)
    plafond = REGLES | {"observations_max": 400}
    une, deux = (difficulte.estimer(d, difficulte.DELAI, plafond) for _ in range(2))
    assert (une.n, une.population_totale) == (400, len(d)) and len(d) > 400
    assert une.facteurs.equals(deux.facteurs)
    salaire = une.facteurs.set_index("facteur").loc["Salaire non affiché"]
    assert salaire.n == 400 and salaire.effet == pytest.approx(0.5, abs=0.08)
    entier = difficulte.estimer(d, difficulte.DELAI, REGLES)
    assert (entier.n, entier.population_totale) == (len(d), len(d))


def test_simulations_par_entreprise_et_metier(estimation):
    petite = recrutements().head(3).assign(entreprise="D", salaire_masque=1.0)  # 3 requisitions only
    d = pd.concat([recrutements(), petite], ignore_index=True)
    simulations = difficulte.simuler(estimation, d, REGLES).set_index(["entreprise", "rome_code_parent", "scenario"])
    ligne = simulations.loc[("A", "I1304", "afficher le salaire")]
    cibles = d[(d.entreprise == "A") & (d.rome_code_parent == "I1304") & (d.salaire_masque == 1)]
    assert ligne.concernes == len(cibles) >= 5
    # showing the salary takes the hidden-salary requisitions back by a third (1 / 1.5)
    assert ligne.variation_jours == pytest.approx(-ligne.delai_estime_jours / 3, rel=0.1)
    assert ligne.variation_ic_bas < ligne.variation_jours < ligne.variation_ic_haut < 0
    assert ligne.verdict == "baisse nette du délai"
    canaux = simulations.loc[("C", "I1304", "diffuser sur au moins trois canaux")]
    assert canaux.verdict == "non estimable : ce facteur ne varie pas au sein des entreprises pilotes"
    assert pd.isna(canaux.variation_jours)
    assert simulations.loc[("D", slice(None), "afficher le salaire"), "verdict"].str.startswith(
        "trop peu de données : ").all()
    assert simulations[simulations.concernes < 5].verdict.str.startswith("trop peu de données").all()
