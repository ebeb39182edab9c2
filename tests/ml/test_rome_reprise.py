"""The stored ROME classifier is reused while at most ``part_nouvelle_max`` of its labelled
examples changed (the referential or a setting changing, or --reentrainer, always
retrains), and only the (model, text) pairs not classified yet are classified: the result
is exactly that of classifying everything with the model in use."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from flows.formats import PARIS
from flows.ml import rome
from flows.ml.communs import Decision, part_changee, regles
from tests.ml.test_ml_rome import APPELLATIONS, CODES

# ten vacancies, each its own repost group (employer, commune, title)
DIX = pd.DataFrame({
    "intitule": [f"Technicien de maintenance {i}" for i in range(6)] + [f"Conducteur de ligne {i}" for i in range(4)],
    "rome_code": ["I1304"] * 6 + ["H2301"] * 4,
    "entreprise": [f"Entreprise {i}" for i in range(10)],
    "commune": ["21231"] * 10,
})
UNE = DIX.iloc[[0]].assign(entreprise="Entreprise 10")


def _decision(offres: pd.DataFrame, dossier, **changes) -> tuple[rome.ClassifieurRome, Decision]:
    return rome.charger_ou_entrainer(rome.donnees(CODES, APPELLATIONS, offres), regles()["rome"] | changes, dossier)


def test_part_changee_calculee_a_la_main():
    # multisets {1, 1, 2, 3} and {1, 2, 2, 3, 4}: 1, 2 and 3 in common, over the larger (5)
    assert part_changee(np.array([1, 1, 2, 3], dtype=np.uint64), np.array([1, 2, 2, 3, 4], dtype=np.uint64)) == 0.4
    assert part_changee(np.array([], dtype=np.uint64), np.array([], dtype=np.uint64)) == 0.0


def test_reutilise_jusqu_au_seuil(tmp_path):
    premier, decision = _decision(DIX, tmp_path)
    assert (decision.entraine, decision.raison) == (True, "aucun_modele")
    # one offer added to ten: 1 / 11 = 9.1 %, at most 10 %: the stored model, said with its date
    modele, decision = _decision(pd.concat([DIX, UNE]), tmp_path)
    assert not decision.entraine and modele.empreinte == premier.empreinte
    assert decision.part == pytest.approx(1 / 11)
    quand = datetime.fromisoformat(premier.carte["entraine_le"]).astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")
    assert decision.texte() == ("modèle réutilisé : 9,1\u202f% d'exemples nouveaux, modifiés ou retirés, seuil "
                                f"10\u202f% (entraîné le {quand}, heure de Paris)")
    # one changed (its code) or one removed: 1 / 10, at the threshold: still reused
    change = DIX.copy()
    change.loc[9, "rome_code"] = "K2402"
    assert _decision(change, tmp_path)[1].part == pytest.approx(0.1)
    assert not _decision(change, tmp_path)[1].entraine
    assert not _decision(DIX.iloc[1:], tmp_path)[1].entraine
    # two added: 2 / 12 = 16.7 %, retrained; the new model is the one stored
    deux = pd.concat([DIX, UNE, UNE.assign(entreprise="Entreprise 11")])
    nouveau, decision = _decision(deux, tmp_path)
    assert decision.entraine and decision.part == pytest.approx(2 / 12)
    assert decision.texte() == ("modèle réentraîné : 16,7\u202f% d'exemples nouveaux, modifiés ou retirés, au-delà "
                                "du seuil de 10\u202f%")
    assert _decision(deux, tmp_path)[0].empreinte == nouveau.empreinte != premier.empreinte


def test_referentiel_reglages_ou_demande_reentrainent(tmp_path):
    _decision(DIX, tmp_path)
    # the thresholds that act after the fit do not retrain
    assert not _decision(DIX, tmp_path, seuil_confiance=0.9, part_nouvelle_max=0.5)[1].entraine
    decision = _decision(DIX, tmp_path, tau=0.07)[1]
    assert (decision.entraine, decision.texte()) == (True, "modèle réentraîné : référentiel ROME ou réglages changés")
    appellations = pd.concat([APPELLATIONS, APPELLATIONS.iloc[[0]].assign(
        libelle_appellation_long="Mécanicien / Mécanicienne de maintenance")])
    decision = rome.charger_ou_entrainer(rome.donnees(CODES, appellations, DIX), regles()["rome"] | {"tau": 0.07},
                                         tmp_path)[1]
    assert decision.raison == "reglages" and decision.entraine
    decision = rome.charger_ou_entrainer(rome.donnees(CODES, appellations, DIX), regles()["rome"] | {"tau": 0.07},
                                         tmp_path, reentrainer=True)[1]
    assert (decision.entraine, decision.texte()) == (True, "modèle réentraîné à la demande (--reentrainer)")


TEXTES = ["Technicien de maintenance H/F", "Conducteur de ligne", "Technicien de maintenance H/F", "H/F",
          "Chercheuse en biologie", None]
DESCRIPTIONS = ["Dépannage des lignes", None, "Dépannage des lignes", None, "Laboratoire", "Poste de chercheur"]


def _lots(textes: list, descriptions: list, taille: int | None = None) -> list[pd.DataFrame]:
    """The texts to classify as the warehouse gives them: batches of (texte, description)."""
    taille = taille or len(textes)
    return [pd.DataFrame({"texte": textes[i:i + taille], "description": descriptions[i:i + taille]})
            for i in range(0, len(textes), taille)]


def test_seules_les_paires_nouvelles_sont_classees(tmp_path):
    modele, _ = _decision(DIX, tmp_path)
    tout = modele.predire(TEXTES, DESCRIPTIONS)
    premiere, reprises = rome.predire_avec_reprise(modele, _lots(TEXTES, DESCRIPTIONS), tmp_path)
    pd.testing.assert_frame_equal(premiere, tout)
    assert reprises == 0
    stockees = pd.read_parquet(tmp_path / f"rome-{modele.empreinte[:16]}.predictions.parquet")
    assert len(stockees) == 5  # the repeated pair is classified once
    # the stored predictions are the ones given back: a value written into the store comes out
    stockees.loc[0, "confiance"] = 0.1234
    stockees.to_parquet(tmp_path / f"rome-{modele.empreinte[:16]}.predictions.parquet", index=False)
    seconde, reprises = rome.predire_avec_reprise(modele, _lots(TEXTES, DESCRIPTIONS), tmp_path)
    assert reprises == 6 and seconde.confiance.tolist() == [0.1234, *tout.confiance[1:2], 0.1234,
                                                            *tout.confiance[3:]]
    # a new description is a new pair; the others come from the store
    autres = [*DESCRIPTIONS[:4], "Laboratoire de biologie", DESCRIPTIONS[5]]
    troisieme, reprises = rome.predire_avec_reprise(modele, _lots(TEXTES, autres), tmp_path)
    assert reprises == 5
    pd.testing.assert_frame_equal(troisieme.iloc[4:5], modele.predire(TEXTES[4:5], autres[4:5]).set_axis([4]))


def test_par_lots_comme_d_un_tenant(tmp_path):
    """By batches of two, the rows' other columns come first and the pair repeated in the
    second batch is classified once, as in one batch."""
    modele, _ = _decision(DIX, tmp_path)
    lots = [lot.assign(identifiant=[f"o{2 * k}", f"o{2 * k + 1}"])
            for k, lot in enumerate(_lots(TEXTES, DESCRIPTIONS, 2))]
    predites, reprises = rome.predire_avec_reprise(modele, lots, tmp_path)
    assert reprises == 0 and list(predites.identifiant) == ["o0", "o1", "o2", "o3", "o4", "o5"]
    pd.testing.assert_frame_equal(predites.drop(columns="identifiant"), modele.predire(TEXTES, DESCRIPTIONS))
    assert len(pd.read_parquet(tmp_path / f"rome-{modele.empreinte[:16]}.predictions.parquet")) == 5


def test_un_modele_reentraine_reclasse_tout(tmp_path):
    modele, _ = _decision(DIX, tmp_path)
    rome.predire_avec_reprise(modele, _lots(TEXTES, DESCRIPTIONS), tmp_path)
    nouveau, decision = _decision(DIX.iloc[:5], tmp_path)
    assert decision.entraine
    assert not list(tmp_path.glob(f"rome-{modele.empreinte[:16]}*"))  # the old model and its predictions
    predites, reprises = rome.predire_avec_reprise(nouveau, _lots(TEXTES, DESCRIPTIONS), tmp_path)
    assert reprises == 0
    pd.testing.assert_frame_equal(predites, nouveau.predire(TEXTES, DESCRIPTIONS))
    # retrained on demand on the same examples: the same model, its predictions made again
    meme, decision = rome.charger_ou_entrainer(rome.donnees(CODES, APPELLATIONS, DIX.iloc[:5]), regles()["rome"],
                                               tmp_path, reentrainer=True)
    assert decision.entraine and meme.empreinte == nouveau.empreinte
    assert rome.predire_avec_reprise(meme, _lots(TEXTES, DESCRIPTIONS), tmp_path)[1] == 0


def test_classement_par_lots_egal_au_classement_d_un_tenant(tmp_path):
    """Six titles by batches of 4 (4 + 2) or of 1 give exactly the predictions of one batch:
    a prediction depends on its own row only (the batches bound the dense title x code matrices)."""
    modele, _ = _decision(DIX, tmp_path)
    tout = modele.predire(TEXTES, DESCRIPTIONS)
    assert len(tout) == 6
    pd.testing.assert_frame_equal(modele.predire(TEXTES, DESCRIPTIONS, lot=4), tout)
    pd.testing.assert_frame_equal(modele.predire(TEXTES, DESCRIPTIONS, lot=1), tout)
    pd.testing.assert_frame_equal(modele.predire(TEXTES, None, lot=4), modele.predire(TEXTES, None))
