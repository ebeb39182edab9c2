"""The incremental deduplication gives exactly the clusters and scores of one pass over the
same offers with the same title weights: offers added (a relay that rewrites the title, a
new posting of an old vacancy), changed and removed, on tiny hand-made offers; then on the
demo warehouse through the learning step, against « --complet »."""

from __future__ import annotations

import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest

from flows import learning
from flows.ml import cartes, doublons, etapes
from flows.ml.communs import nettoyer_intitule, regles
from tests.ml.test_doublons import TEXTE, offre, relais


def poids(offres: list[dict]):
    """Title weights fitted on these offers' titles, then frozen."""
    titres = pd.Series([nettoyer_intitule(o["intitule"]) for o in offres])
    return doublons.vectoriseur_titres(titres.value_counts())


def passer(offres: list[dict], precedent, reglages, titres):
    """One incremental run on ``offres`` (sorted by key, as the flow reads them); returns
    the run, the rows it read and the one-pass result on the same offers."""
    tableau = pd.DataFrame(offres).sort_values(["source", "offre_id"], ignore_index=True)
    lues: set[int] = set()

    def lire(lignes: np.ndarray) -> pd.DataFrame:
        lues.update(lignes.tolist())
        return tableau.iloc[lignes].reset_index(drop=True)

    empreintes = pd.util.hash_pandas_object(tableau.astype(str), index=False)
    run = doublons.dedoublonner_increment(pd.DataFrame({"cle": tableau.source + ":" + tableau.offre_id,
                                                        "empreinte": empreintes}), lire, precedent, reglages, titres)
    un_passage = doublons.dedoublonner(tableau, reglages, titres)
    assert np.array_equal(run.doublons.doublon_de, un_passage.doublon_de)
    assert np.array_equal(run.doublons.score, un_passage.score, equal_nan=True)
    cles = (tableau.source + ":" + tableau.offre_id).to_numpy()
    return run, sorted(cles[list(lues)]), doublons.grappes(cles, run.doublons.doublon_de)


def test_semaine_suivante_ajouts_changements_retraits():
    """Week 2: a relay by another board (title rewritten) and a new posting of the old
    vacancy join its cluster, an offer changed into a copy joins it too, the board's copy
    changed into a CDD leaves it, another offer is removed."""
    ft = {"site": "France Travail"}
    semaine1 = [offre("france-travail", "200ABC", **ft),
                offre("emploi-bfc", "EB1", date_creation="2025-03-05"),
                offre("france-travail", "300OP", intitule="Opérateur de production", description="Conduite de ligne.",
                      date_creation="2025-03-04", **ft),
                offre("france-travail", "400X", description=TEXTE.replace("35h", "28h"), date_creation="2025-03-06",
                      **ft)]
    reglages = regles()["doublons"]
    titres = poids(semaine1)
    premier, lues, grappes = passer(semaine1, None, reglages, titres)
    assert grappes == [["emploi-bfc:EB1", "france-travail:200ABC"]]
    assert (premier.comparees, premier.retirees, premier.blocs_repris) == (4, 0, 0)
    assert len(lues) == 4
    semaine2 = [offre("france-travail", "200ABC", **ft),
                offre("emploi-bfc", "EB1", date_creation="2025-03-05", type_contrat="CDD"),
                offre("france-travail", "400X", date_creation="2025-03-06", **ft),
                relais(),  # france-travail:P1, shown by METEOJOB two days later
                offre("france-travail", "200ABE", date_creation="2025-03-08", **ft)]
    second, lues, grappes = passer(semaine2, premier.etat, reglages, titres)
    assert grappes == [["france-travail:200ABC", "france-travail:200ABE", "france-travail:400X",
                        "france-travail:P1"]]
    assert (second.comparees, second.retirees) == (4, 1)
    assert lues == ["emploi-bfc:EB1", "france-travail:200ABC", "france-travail:200ABE", "france-travail:400X",
                    "france-travail:P1"]  # 200ABC, unchanged, is read to be compared with the newcomers
    assert second.etat.paires.offre_1.tolist() and set(second.etat.paires.offre_1) <= set(grappes[0])
    # the same offers again: nothing compared, nothing read, the same clusters and scores
    troisieme, lues, grappes_bis = passer(semaine2, second.etat, reglages, titres)
    assert (troisieme.comparees, troisieme.blocs_recalcules, lues, grappes_bis) == (0, 0, [], grappes)
    assert troisieme.blocs_repris == second.blocs_repris + second.blocs_recalcules > 0
    assert troisieme.doublons.paires_comparees == 0


def test_parties_de_blocs_et_produits_par_lots(monkeypatch):
    """Blocks split into parts of 3 rows and dot products one pair at a time (the bounds
    that keep a million offers under 2 GB) give exactly the clusters, scores and pairs of
    one part and one batch."""
    ft = {"site": "France Travail"}
    offres = pd.DataFrame([offre("france-travail", "200ABC", **ft), offre("emploi-bfc", "EB1", date_creation="2025-03-05"),
                           offre("france-travail", "400X", date_creation="2025-03-06", **ft), relais(),
                           offre("france-travail", "200ABE", date_creation="2025-03-08", **ft)])
    reglages = regles()["doublons"]
    d = doublons.preparer(offres)
    b = doublons.blocs(d, reglages)
    assert len(b) > 3 * 2  # several parts
    entier = doublons.dedoublonner(offres, reglages)
    paires = doublons.paires_des_blocs(b, d["jour"].to_numpy(), reglages)
    monkeypatch.setattr(doublons, "LIGNES_PAR_PARTIE_BLOCS", 3)
    monkeypatch.setattr(doublons, "VALEURS_PAR_PRODUIT", 1)
    assert np.array_equal(doublons.paires_des_blocs(b, d["jour"].to_numpy(), reglages), paires) and len(paires) > 1
    par_parties = doublons.dedoublonner(offres, reglages)
    assert np.array_equal(par_parties.doublon_de, entier.doublon_de)
    assert np.array_equal(par_parties.score, entier.score, equal_nan=True)
    assert (par_parties.paires_comparees, par_parties.paires_retenues) == (entier.paires_comparees,
                                                                           entier.paires_retenues)
    assert len(set(entier.doublon_de)) < len(offres)  # some offers are clustered


def test_retrait_qui_ouvre_une_paire_entre_offres_inchangees():
    """A, M and C in one block, one day apart, each compared with its next neighbour only
    (voisins_max 1), the description's anchors shared by all three (too common: more than 2
    descriptions). A and C are copies, M the same text as a CDD. Removing M makes A and C
    neighbours, though neither changed: they are compared and merged; M's return splits them."""
    reglages = regles()["doublons"] | {"voisins_max": 1, "ancre_frequence_max": 2}
    a = offre("f", "A", date_creation="2025-03-03")
    m = offre("f", "M", date_creation="2025-03-04", type_contrat="CDD")
    c = offre("f", "C", date_creation="2025-03-05")
    titres = poids([a, m, c])
    premier, _, grappes = passer([a, m, c], None, reglages, titres)
    assert grappes == [] and premier.doublons.paires_comparees == 2  # (A, M) and (M, C)
    second, lues, grappes = passer([a, c], premier.etat, reglages, titres)
    assert grappes == [["f:A", "f:C"]] and second.comparees == 0 and second.retirees == 1
    assert lues == ["f:A", "f:C"] and second.doublons.paires_comparees == 1
    troisieme, _, grappes = passer([a, m, c], second.etat, reglages, titres)
    assert grappes == [] and troisieme.comparees == 1


@pytest.fixture
def predictions_vides(tmp_path) -> str:
    """No predicted code: the demo's board offers are blocked without an occupation."""
    chemin = tmp_path / "predictions.parquet"
    pd.DataFrame({c: pd.Series(dtype=str) for c in ("objet", "source", "identifiant", "rome_code", "rome_code_parent",
                                                    "rome_code_2", "rome_code_3")}
                 | {"confiance": pd.Series(dtype=float), "a_revoir": pd.Series(dtype=bool)}).to_parquet(chemin)
    return str(chemin)


def test_pas_d_apprentissage_incremental_egal_au_complet(entrepot_demo, sorties_isolees, predictions_vides, tmp_path):
    """On the demo warehouse: a full pass, then one week's changes in prep (a posting
    repeated under a new id, a description rewritten, an offer removed): the incremental
    pass writes exactly the ml.doublons of « --complet » with the same title weights."""
    premier = learning.regrouper_doublons.fn(entrepot_demo, predictions_vides, str(tmp_path))
    assert premier["passage"] == "complet" and premier["raison_complet"] == "premier calcul des poids des intitulés"
    learning.enregistrer.fn(entrepot_demo, predictions_vides, premier["fichier"], premier["etat"])
    with duckdb.connect(entrepot_demo) as con:
        colonnes = [c for (c,) in con.execute("select column_name from information_schema.columns "
                                              "where table_schema = 'prep' and table_name = 'offres'").fetchall()]
        choisies = con.execute("select source, offre_id from prep.offres where description is not null "
                               "order by source, offre_id limit 3").fetchall()
        nouvelle = ", ".join("'NOUVELLE-1'" if c == "offre_id" else c for c in colonnes)
        con.execute(f"insert into prep.offres select {nouvelle} from prep.offres where source = ? and offre_id = ?",
                    list(choisies[0]))
        con.execute("update prep.offres set description = description || ' Poste à pourvoir rapidement.' "
                    "where source = ? and offre_id = ?", list(choisies[1]))
        con.execute("delete from prep.offres where source = ? and offre_id = ?", list(choisies[2]))
        offres = con.execute("select count(*) from prep.offres").fetchone()[0]
    copie = tmp_path / "copie" / "demo.duckdb"  # the same name: the same model store, hence title weights
    copie.parent.mkdir()
    shutil.copy(entrepot_demo, copie)
    sorties = {}
    for nom, base, complet in (("incremental", entrepot_demo, False), ("complet", str(copie), True)):
        (tmp_path / nom).mkdir()
        sorties[nom] = learning.regrouper_doublons.fn(base, predictions_vides, str(tmp_path / nom), complet)
        learning.enregistrer.fn(base, predictions_vides, sorties[nom]["fichier"], sorties[nom]["etat"])
    incremental, complet = sorties["incremental"], sorties["complet"]
    assert incremental["passage"] == "incrémental" and complet["raison_complet"] == "demandé (--complet)"
    assert (incremental["offres_comparees"], incremental["offres_retirees"]) == (2, 1)
    assert incremental["offres_reprises"] == offres - 2 and complet["offres_comparees"] == offres
    assert incremental["poids_titres"]["reutilises"] and complet["poids_titres"]["reutilises"]
    assert incremental["blocs_repris"] > incremental["blocs_recalcules"] > 0
    requete = "select source, offre_id, doublon_de, score from ml.doublons order by source, offre_id"
    with duckdb.connect(entrepot_demo, read_only=True) as a, duckdb.connect(str(copie), read_only=True) as b:
        assert a.execute(requete).fetchall() == b.execute(requete).fetchall()
        for table in ("doublons_offres", "doublons_blocs", "doublons_paires"):
            assert a.execute(f"select * from ml.{table} order by all").fetchall() == \
                b.execute(f"select * from ml.{table} order by all").fetchall()
    assert complet["grappes"] > 0 and incremental["grappes"] == complet["grappes"]
    assert incremental["paires_comparees"] < complet["paires_comparees"]
    assert etapes.POIDS_TITRES in {p.name for p in (tmp_path / "modeles-ml").rglob("*.joblib")}


def test_paire_gardee_par_un_bloc_intact():
    """The same, but M is posted in another commune: A and C also share the blocks of their
    commune, which M's comings and goings leave untouched; the pair they give stays
    retained each week, and is checked on those blocks when M's return takes it from the
    employer's block."""
    reglages = regles()["doublons"] | {"voisins_max": 1, "ancre_frequence_max": 2}
    a = offre("f", "A", date_creation="2025-03-03")
    m = offre("f", "M", date_creation="2025-03-04", commune_insee="21617")
    c = offre("f", "C", date_creation="2025-03-05")
    titres = poids([a, m, c])
    premier, _, grappes = passer([a, m, c], None, reglages, titres)
    assert grappes == [["f:A", "f:C"]]
    second, _, grappes = passer([a, c], premier.etat, reglages, titres)
    assert grappes == [["f:A", "f:C"]] and second.doublons.paires_comparees == 0  # (A, C) decided in week 1
    troisieme, _, grappes = passer([a, m, c], second.etat, reglages, titres)
    assert grappes == [["f:A", "f:C"]] and troisieme.doublons.paires_comparees == 2  # (A, M) and (M, C)
    assert troisieme.etat.paires[["offre_1", "offre_2"]].values.tolist() == [["f:A", "f:C"]]


def test_resume_du_passage():
    poids = {"reutilises": True, "part_changee": 0.032, "seuil": 0.1, "calcules_le": "2026-12-01T09:00:00+01:00"}
    assert cartes.passage_doublons({
        "passage": "incrémental", "offres_comparees": 1240, "blocs_recalcules": 310, "offres_reprises": 98400,
        "blocs_repris": 41200, "offres_retirees": 1, "poids_titres": poids}) == (
        "doublons : 1\u202f240 offres nouvelles ou modifiées comparées dans 310 blocs ; 98\u202f400 offres reprises "
        "telles quelles, 41\u202f200 blocs repris, 1 offre retirée ; poids des intitulés du 01/12/2026 réutilisés "
        "(3,2\u202f% d'intitulés changés, seuil 10\u202f%).")
    assert cartes.passage_doublons({
        "passage": "complet", "raison_complet": "demandé (--complet)", "offres_comparees": 1, "blocs_recalcules": 4,
        "poids_titres": poids | {"reutilises": False}}) == (
        "doublons : passage complet (demandé (--complet)), 1 offre comparée dans 4 blocs.")


def test_poids_des_intitules_gardes_jusqu_au_seuil(tmp_path):
    """Ten offers; then one removed, one added and one retitled: 3 changes for 10 offers
    fitted on (30 %). At 10 % the weights are fitted again (and the state with them, its
    fingerprint differing); at 30 % they are kept."""
    cles = pd.Series([f"f:{k}" for k in range(10)])
    intitules = pd.Series(["Technicien de maintenance"] * 5 + ["Cariste"] * 5)
    apres_cles = pd.Series([*cles[1:], "f:10"])
    apres_intitules = pd.Series(["Soudeur", *intitules[2:], "Cariste"])
    assert doublons.part_changee(doublons.exemples_titres(cles, intitules),
                                 doublons.exemples_titres(apres_cles, apres_intitules)) == pytest.approx(0.3)
    premier = etapes._poids_titres(cles, intitules, {"part_nouvelle_max": 0.1}, tmp_path)
    assert (premier.raison, premier.part) == ("premier calcul des poids des intitulés", None)
    garde = etapes._poids_titres(apres_cles, apres_intitules, {"part_nouvelle_max": 0.3}, tmp_path)
    assert (garde.raison, garde.part, garde.empreinte) == (None, pytest.approx(0.3), premier.empreinte)
    refait = etapes._poids_titres(apres_cles, apres_intitules, {"part_nouvelle_max": 0.1}, tmp_path)
    assert refait.raison == "poids des intitulés recalculés : 30,0\u202f% d'intitulés changés, seuil 10\u202f%"
    assert refait.empreinte != premier.empreinte
    # fitted on the new titles: the state's fingerprint is now theirs
    assert etapes._poids_titres(apres_cles, apres_intitules, {"part_nouvelle_max": 0.0}, tmp_path).raison is None
