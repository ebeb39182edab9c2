"""The drivers of difficulty are estimated again only when more than ``part_nouvelle_max``
of a measure's observations changed, or its settings, or on demand; otherwise the stored
estimation is reused as it was."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flows.ml import difficulte
from tests.ml.test_difficulte import REGLES, recrutements

PEU = REGLES | {"tirages_bootstrap": 20, "permutations": 2}


def _reprendre(d: pd.DataFrame, dossier, regles=PEU, reentrainer=False):
    return difficulte.estimer_ou_reprendre(d, difficulte.DELAI, regles, dossier, reentrainer)


def test_reestime_au_dela_de_la_part(tmp_path):
    d = recrutements(240)
    premiere, decision = _reprendre(d, tmp_path)
    assert (decision.entraine, decision.raison) == (True, "aucun_modele")
    assert [f.name for f in tmp_path.iterdir()] == ["difficulte-delai_pourvoi_jours.joblib"]
    # 12 filled requisitions more: 12 / 252 = 4.8 %, at most 5 %: reused as it was;
    # requisitions not filled yet (no time to fill) are not observations of the delay model
    ouvertes = recrutements(50, graine=3).assign(delai_pourvoi_jours=np.nan)
    plus = pd.concat([d, recrutements(12, graine=2), ouvertes], ignore_index=True)
    reprise, decision = _reprendre(plus, tmp_path)
    assert not decision.entraine and decision.part == pytest.approx(12 / 252)
    assert reprise.n == 240 and reprise.facteurs.equals(premiere.facteurs)
    assert decision.texte().startswith("modèle réutilisé : 4,8\u202f% d'observations nouvelles, modifiées ou "
                                       "retirées, seuil 5\u202f% (entraîné le ")
    # 13 more: 13 / 253 = 5.1 %, estimated again on every row
    plus = pd.concat([d, recrutements(13, graine=2)], ignore_index=True)
    nouvelle, decision = _reprendre(plus, tmp_path)
    assert decision.entraine and decision.part == pytest.approx(13 / 253) and nouvelle.n == 253
    # one changed time to fill out of 253: reused
    change = plus.copy()
    change.loc[0, "delai_pourvoi_jours"] += 1
    assert _reprendre(change, tmp_path)[1].part == pytest.approx(1 / 253)
    # the market context of every row moved (one more week of offers): no observation changed
    marche = plus.assign(tension=plus.tension + 0.01, ecart_salaire=plus.ecart_salaire - 0.01)
    assert _reprendre(marche, tmp_path)[1].part == 0.0


def test_reglages_ou_demande_reestiment(tmp_path):
    d = recrutements(240)
    _reprendre(d, tmp_path)
    # the share itself acts after the estimation
    assert not _reprendre(d, tmp_path, PEU | {"part_nouvelle_max": 0.5})[1].entraine
    decision = _reprendre(d, tmp_path, PEU | {"plis": 4})[1]
    assert (decision.entraine, decision.texte()) == (True, "modèle réentraîné : réglages changés")
    decision = _reprendre(d, tmp_path, PEU | {"plis": 4}, reentrainer=True)[1]
    assert (decision.entraine, decision.texte()) == (True, "modèle réentraîné à la demande (--reentrainer)")


def test_trop_peu_de_donnees_n_est_pas_stocke(tmp_path):
    d = recrutements(240)
    _reprendre(d, tmp_path)
    petite, decision = _reprendre(d.head(20), tmp_path)  # 220 removed of 240: estimated again
    assert decision.entraine and petite.verdict == ("trop peu de données : 20 recrutements pourvus, "
                                                    "il en faut 30")
    assert not list(tmp_path.iterdir())
    assert _reprendre(d.head(21), tmp_path)[1].raison == "aucun_modele"
