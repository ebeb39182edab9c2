"""The ROME classifier on tiny hand-made referentials: the kernel vote, the parent chosen
before the code, empty titles, retraining exactly when the data change, and the CSV
command."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from typer.testing import CliRunner

from flows import warehouse
from flows.cli import app
from flows.erreurs import ErreurUtilisateur
from flows.ml import rome
from flows.ml.communs import dossier_modeles, nettoyer_intitule, normaliser, regles

CODES = pd.DataFrame({
    "code_rome": ["I1304", "I1326", "H2301", "K2402"],
    "libelle_rome": ["Technicien de maintenance industrielle", "Responsable d'équipe maintenance",
                     "Conducteur de ligne chimie", "Chercheur"],
    "code_rome_parent": ["I1304", "I1304", "H2301", "K2402"],
})
APPELLATIONS = pd.DataFrame({
    "code_rome": ["I1304", "I1304", "I1326", "H2301", "K2402"],
    "libelle_appellation_long": ["Technicien / Technicienne de maintenance industrielle",
                                 "Électromécanicien / Électromécanicienne de maintenance industrielle",
                                 "Chef / Cheffe d'équipe de maintenance industrielle",
                                 "Conducteur / Conductrice de ligne de production pharmaceutique",
                                 "Chercheur / Chercheuse en biologie"],
    "libelle_appellation_court": ["Technicien(ne) maintenance industrielle", "Électromécanicien(ne) industriel(le)",
                                  "Chef(fe) d'équipe maintenance", "Conducteur(trice) ligne pharmaceutique",
                                  "Chercheur(se) biologie"],
})
OFFRES = pd.DataFrame({
    "intitule": ["Technicien de maintenance H/F", "Technicien de maintenance H/F", "Conducteur de ligne (F/H)"],
    "rome_code": ["I1304", "I1304", "H2301"],
    "entreprise": ["Pharma Fictive", "Pharma Fictive", "Chimie Fictive"],
    "commune": ["21231", "21231", "71270"],
})


@pytest.fixture
def donnees() -> rome.DonneesRome:
    return rome.donnees(CODES, APPELLATIONS, OFFRES)


def test_intitules_nettoyes():
    assert normaliser("Électromécanicien(ne) — Équipe de NUIT") == "electromecanicien ne equipe de nuit"
    assert nettoyer_intitule("URGENT - Technicien(ne) de maintenance H/F CDI 35h") == "technicien maintenance"
    assert nettoyer_intitule(None) == nettoyer_intitule(float("nan")) == ""


def test_donnees_libelles_et_reposts(donnees):
    # 5 long + 5 short labels + 4 code labels, none repeated
    assert len(donnees.appellations) == 14
    assert donnees.parents == {"I1304": "I1304", "I1326": "I1304", "H2301": "H2301", "K2402": "K2402"}
    # the two identical offers of one employer, commune and title are reposts of one vacancy
    assert list(donnees.exemples.groupe) == ["pharma fictive|21231|technicien maintenance"] * 2 + [
        "chimie fictive|71270|conducteur ligne"]


def _modele(parents: dict[str, str], codes: list[str], tau: float) -> rome.ClassifieurRome:
    liste = np.array(sorted(set(parents.values())))
    return rome.ClassifieurRome(
        vectoriseur=None, exemples=sp.csr_matrix((0, 0)), vote=sp.csr_matrix((0, 0)), codes=np.array(codes),
        parent_de=np.array([list(liste).index(parents[c]) for c in codes]), parents=liste, tau=tau, empreinte="")


def test_vote_a_noyau_calcule_a_la_main():
    modele = _modele({"X1": "X", "Y1": "Y"}, ["X1", "Y1"], tau=0.5)
    # three examples: two of X1 (weights 1 and 2), one of Y1; cosines 1, 0.5 and 0
    modele.vote = sp.csr_matrix(np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0]]))
    probas = modele._voter(np.array([[1.0, 0.5, 0.0]]))
    x1 = 1 * math.exp(0) + 2 * math.exp(-1)  # exp((cos - 1) / tau)
    y1 = math.exp(-2)
    assert probas[0] == pytest.approx([x1 / (x1 + y1), y1 / (x1 + y1)])


def test_le_parent_est_choisi_avant_le_code():
    """X1 alone is the most probable code, but its family X has less mass than Y's two
    children together: the parent is Y, the code Y's best child, then the next two."""
    modele = _modele({"X1": "X", "Y1": "Y", "Y2": "Y"}, ["X1", "Y1", "Y2"], tau=0.1)
    classement = modele.classer(["a", "b"], probas=np.array([[0.40, 0.35, 0.25], [0.7, 0.2, 0.1]]))
    assert classement.parents[:, 0].tolist() == ["Y", "X"]
    assert classement.codes.tolist() == [["Y1", "X1", "Y2"], ["X1", "Y1", "Y2"]]
    assert classement.probabilite_parent == pytest.approx([0.60, 0.70])


def test_predictions(donnees):
    modele = rome.entrainer(donnees, regles()["rome"] | {"min_offres_calibration": 100})
    sortie = modele.predire(["Technicienne de maintenance industrielle", "Chercheuse en biologie", "H/F", None])
    assert sortie.rome_code.tolist()[:2] == ["I1304", "K2402"]
    assert sortie.rome_code_parent.tolist()[:2] == ["I1304", "K2402"]
    # a title with no usable word gets no code and a zero confidence
    assert sortie.rome_code.tolist()[2:] == [None, None] and sortie.confiance.tolist()[2:] == [0.0, 0.0]
    # 3 labelled offers: too few to calibrate, the confidence is the raw probability
    assert modele.calibration is None and 0.5 < sortie.confiance[0] <= 1
    assert modele.carte["classes"] == {"codes_rome_4": 4, "codes_parents_v3": 3}
    assert modele.carte["exemples"]["groupes"] == 2


def test_reentraine_seulement_si_les_donnees_changent(donnees, tmp_path):
    parametres = regles()["rome"]
    premier, decision = rome.charger_ou_entrainer(donnees, parametres, tmp_path)
    assert decision.entraine and len(list(tmp_path.glob("rome-*.joblib"))) == 1
    encore, decision = rome.charger_ou_entrainer(rome.donnees(CODES, APPELLATIONS, OFFRES.iloc[::-1]), parametres,
                                                 tmp_path)
    assert not decision.entraine and encore.empreinte == premier.empreinte  # same data in another order
    # one offer more out of 4: a quarter of the examples, above the 10 % share
    autres = pd.concat([OFFRES, OFFRES.iloc[[2]].assign(commune="71076")])
    nouveau, decision = rome.charger_ou_entrainer(rome.donnees(CODES, APPELLATIONS, autres), parametres, tmp_path)
    assert decision.entraine and decision.part == 0.25 and nouveau.empreinte != premier.empreinte
    assert {f.name for f in tmp_path.glob("rome-*")} == {
        f"rome-{nouveau.empreinte[:16]}.exemples.npy", f"rome-{nouveau.empreinte[:16]}.joblib", "rome-courant.json"}
    assert rome.modele_courant(tmp_path).empreinte == nouveau.empreinte


def test_classer_rome_en_ligne_de_commande(donnees, tmp_path, monkeypatch):
    """The model belongs to the warehouse it was trained on: another warehouse has none."""
    monkeypatch.setenv("HUB_MODELES_ML", str(tmp_path / "modeles"))
    reel, demo = tmp_path / "reel.duckdb", tmp_path / "demo.duckdb"
    for base in (reel, demo):
        with warehouse.ouvrir(base):
            pass
    entree, sortie = tmp_path / "intitules.csv", tmp_path / "codes.csv"
    entree.write_text("id;intitule;description\nA1;Technicien de maintenance industrielle H/F;\n"
                      "A2;;Poste de chercheur en biologie\nA3;CDI H/F;\n", encoding="utf-8")
    sans_modele = CliRunner().invoke(app, ["classer-rome", str(entree), str(sortie), "--entrepot", str(reel)])
    assert sans_modele.exit_code == 1
    assert "Erreur : aucun modèle ROME entraîné sur cet entrepôt" in sans_modele.output
    rome.charger_ou_entrainer(donnees, regles()["rome"], dossier_modeles(reel))
    resultat = CliRunner().invoke(app, ["classer-rome", str(entree), str(sortie), "--entrepot", str(reel)])
    assert resultat.exit_code == 0, resultat.output
    assert "3 intitulé(s) classé(s)" in resultat.output and "1 sans mot exploitable" in resultat.output
    lignes = sortie.read_text(encoding="utf-8").splitlines()
    assert lignes[0] == "id,rome_code,rome_code_parent,confiance,rome_code_2,rome_code_3"
    assert [ligne.split(",")[:3] for ligne in lignes[1:]] == [
        ["A1", "I1304", "I1304"], ["A2", "K2402", "K2402"], ["A3", "", ""]]
    autre = CliRunner().invoke(app, ["classer-rome", str(entree), str(sortie), "--entrepot", str(demo)])
    assert autre.exit_code == 1 and "aucun modèle ROME entraîné sur cet entrepôt" in autre.output


def test_fichier_sans_colonne_intitule(donnees, tmp_path):
    entree = tmp_path / "mauvais.csv"
    entree.write_text("id;titre\n1;Technicien\n", encoding="utf-8")
    modele = rome.entrainer(donnees, regles()["rome"])
    with pytest.raises(ErreurUtilisateur, match="mauvais.csv : .*intitule"):
        rome.classer_fichier(entree, tmp_path / "sortie.csv", modele)


def test_reference_floue():
    codes, parents = rome.reference_floue(
        pd.DataFrame({"libelle": ["Chercheur en biologie", "Responsable d'équipe maintenance"],
                      "code_rome": ["K2402", "I1326"]}), ["chercheur biologie"], {"K2402": "K2402", "I1326": "I1304"})
    assert codes.tolist() == [["K2402", "I1326", ""]] and parents.tolist() == [["K2402", "I1304", ""]]


def _textes_a_la_main(**reglages) -> rome.Textes:
    """Two words, two codes: the profile of code 0 is « alpha », of code 1 « beta »; one
    labelled description of each (groups 0 and 1)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriseur = TfidfVectorizer().fit(["alpha", "beta"])
    identite = sp.csr_matrix(np.eye(2, dtype=np.float32))
    return rome.Textes(vectoriseur=vectoriseur, profils=identite, descriptions=identite,
                       vote_descriptions=sp.csr_matrix(np.eye(2)), groupes=np.array([0, 1]),
                       longueur=1000, **{"temperature": 0.5, "poids_profil": 1.0, "poids_description": 0.0,
                                         "tau_description": 0.5} | reglages)


def test_profil_du_referentiel_calcule_a_la_main():
    """Titles split evenly between the codes; the title + description « alpha » has cosine 1
    with code 0's profile and 0 with code 1's: log-odds 1 x (1 - 0) / 0.5 = 2."""
    modele = _modele({"X1": "X", "Y1": "Y"}, ["X1", "Y1"], tau=0.1)
    modele.textes = _textes_a_la_main()
    probas = modele._combiner(np.array([[0.5, 0.5]]), ["alpha"], [""])
    assert probas[0] == pytest.approx([math.e ** 2 / (math.e ** 2 + 1), 1 / (math.e ** 2 + 1)], rel=1e-4)


def test_vote_des_descriptions_sans_sa_propre_annonce():
    """The description « alpha » is its own group's (group 0): left out, only group 1's
    description votes, with kernel exp((0 - 1) / 0.5); with weight 1 the description vote
    alone decides (the profile weight is 0)."""
    modele = _modele({"X1": "X", "Y1": "Y"}, ["X1", "Y1"], tau=0.1)
    modele.textes = _textes_a_la_main(poids_profil=0.0, poids_description=1.0)
    gardee = modele._combiner(np.array([[0.5, 0.5]]), ["gamma"], ["alpha"])
    # with its own description: votes 1 (cosine 1) and exp(-2) (cosine 0), floor 1e-3 under each
    x, y = 1 / (1 + math.exp(-2)) + 1e-3, math.exp(-2) / (1 + math.exp(-2)) + 1e-3
    assert gardee[0] == pytest.approx([x / (x + y), y / (x + y)], rel=1e-4)
    sans = modele._combiner(np.array([[0.5, 0.5]]), ["gamma"], ["alpha"], exclus=np.array([0]))
    assert sans[0] == pytest.approx([1e-3 / 1.002, 1.001 / 1.002], rel=1e-4)
    # no description: the description vote is left out
    assert modele._combiner(np.array([[0.5, 0.5]]), ["gamma"], [""])[0] == pytest.approx([0.5, 0.5])


TEXTES = pd.DataFrame({
    "code_rome": ["K2402", "K2402", "H2301"],
    "libelle_type_texte": ["definition", "acces_metier", "definition"],
    "position_phrase": [1, 1, 1],
    "libelle_texte": ["Conduit des recherches en biologie moléculaire au laboratoire.",
                      "Cet emploi est accessible avec un doctorat.",
                      "Pilote une ligne de conditionnement de médicaments."],
})


def test_les_textes_du_referentiel_classent_un_intitule_inconnu():
    """« Scientifique » names no appellation and no labelled offer; its description speaks of
    molecular work in a laboratory, which only K2402's definition mentions."""
    offre = (["Scientifique"], ["Travaux moléculaires au laboratoire"])
    avec = rome.entrainer(rome.donnees(CODES, APPELLATIONS, OFFRES, TEXTES), regles()["rome"])
    assert avec.predire(*offre).rome_code.tolist() == ["K2402"]
    sans = rome.entrainer(rome.donnees(CODES, APPELLATIONS, OFFRES), regles()["rome"])
    assert sans.predire(*offre).rome_code.tolist() != ["K2402"]
    donnees = rome.donnees(CODES, APPELLATIONS, OFFRES, TEXTES)
    assert donnees.textes["K2402"] == ("Cet emploi est accessible avec un doctorat. "
                                       "Conduit des recherches en biologie moléculaire au laboratoire.")
