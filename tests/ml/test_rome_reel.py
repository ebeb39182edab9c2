"""The ROME classifier measured on real France Travail offers (Haute-Savoie, 838 offers)
and the full ROME 4.0 referential (v460): grouped 5-fold cross-validation on titles only,
against a fuzzy-matching baseline. The figures are printed (and kept
in a session folder, never in sorties/)."""

from __future__ import annotations

import pytest

from flows.formats import nombre_fr
from flows.ml import rome
from flows.ml.communs import pourcent, regles

_MESURE: dict = {}


@pytest.fixture
def evaluation(reel, capsys, consigner) -> dict:
    """Measured once per session, printed once (even without -s)."""
    if _MESURE:
        return _MESURE
    offres = reel["offres"].rename(columns={"entreprise_nom": "entreprise", "commune_insee": "commune"})
    donnees = rome.donnees(reel["codes"], reel["appellations"], offres)
    resultat = _MESURE | rome.evaluer(donnees, regles()["rome"], plis=5, graine=0)
    _MESURE.update(resultat)
    consigner("rome", "offres_reelles_haute_savoie", resultat)
    m, b = resultat["modele"], resultat["reference_floue"]
    with capsys.disabled():
        print(f"\nClassement ROME sur {resultat['offres']} offres réelles ({resultat['groupes']} annonces), "
              f"{nombre_fr(resultat['appellations'])} libellés ROME :")
        for niveau, cle in (("code 4.0", "code"), ("parent v3", "parent")):
            print(f"  {niveau} : modèle top 1 {pourcent(m['top1_' + cle])}, top 3 {pourcent(m['top3_' + cle])} ; "
                  f"référence floue top 1 {pourcent(b['top1_' + cle])}, top 3 {pourcent(b['top3_' + cle])}")
        seuil = resultat["au_dessus_du_seuil"]
        print(f"  confiance ≥ {nombre_fr(seuil['seuil_confiance'], 2)} : {pourcent(seuil['part_des_offres'])} "
              f"des offres, parent juste pour {pourcent(seuil['top1_parent'])} ; entraînement "
              f"{nombre_fr(resultat['duree_entrainement_max_secondes'], 1)} s au plus")
    return resultat


def test_le_classifieur_bat_la_reference_floue(evaluation):
    assert evaluation["offres"] == 838
    assert evaluation["appellations"] == 15307  # 13,120 long + short labels and 1,584 code labels, deduplicated
    m, b = evaluation["modele"], evaluation["reference_floue"]
    assert m["top1_parent"] >= 0.78 and m["top3_parent"] >= 0.87
    assert m["top1_parent"] >= b["top1_parent"] + 0.15 and m["top3_parent"] >= b["top3_parent"] + 0.10
    assert m["top1_code"] >= 0.75
    assert evaluation["duree_entrainement_max_secondes"] < 120


def test_la_confiance_au_dessus_du_seuil_est_tenue(evaluation):
    """Above the configured threshold the parent is right at least as often as the
    confidence says (within 3 points): offers kept are trustworthy."""
    seuil = evaluation["au_dessus_du_seuil"]
    assert seuil["part_des_offres"] >= 0.7
    assert seuil["top1_parent"] >= 0.9
    assert seuil["top1_parent"] >= seuil["confiance_moyenne"] - 0.03


@pytest.mark.xfail(strict=True, reason=(
    "objectif du ticket (80 % au premier choix, 90 % parmi trois, au niveau parent) non atteint : "
    "environ 79 % et 88 % ; environ 5 % des offres ont un code que rien dans l'intitulé n'annonce "
    "(ex. « Chef d'équipe » codé N4201), hors des 20 premiers candidats"))
def test_objectif_du_ticket(evaluation):
    assert evaluation["modele"]["top1_parent"] >= 0.80 and evaluation["modele"]["top3_parent"] >= 0.90
