"""The « apprentissage » flows: « apprendre » from the command line on the demo warehouse,
then the layers rebuilt and the drivers estimated again, as the pipeline orders them (the
story the generator planted comes back); and a warehouse of real offers (too little data
for the drivers, and it says so)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import duckdb
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from flows import learning, warehouse
from flows.cli import app
from flows.formats import nombre_fr
from flows.ml import doublons, etapes
from flows.ml.communs import pourcent, regles
from flows.sources import lecteur
from flows.transformation import COUCHES, construire_couche

SOURCES = {"offres-ft": "france-travail", "emploi-bfc": "emploi-bfc", "ats-talentis": "ats-talentis"}


@pytest.fixture(scope="module")
def appris(prefect_harness, demo_ml, tmp_path_factory) -> Iterator[dict]:
    """« python -m flows apprendre » once on a copy of the demo warehouse, with its own
    model files and outputs; then « transformer » and the drivers again (part (b)), so that
    int, analyse and the drivers use the predictions and clusters, as in a pipeline run."""
    dossier = tmp_path_factory.mktemp("apprendre")
    entrepot = dossier / "demo.duckdb"
    shutil.copy(demo_ml["entrepot"], entrepot)
    with pytest.MonkeyPatch.context() as environnement:
        environnement.setenv("HUB_MODELES_ML", str(dossier / "modeles-ml"))
        environnement.setenv("HUB_SORTIES", str(dossier / "sorties"))
        resultat = CliRunner().invoke(app, ["apprendre", "--entrepot", str(entrepot)])
        assert resultat.exit_code == 0, resultat.output
        assert "relancez « python -m flows transformer »" in resultat.output
        transforme = CliRunner().invoke(app, ["transformer", "--entrepot", str(entrepot)])
        assert transforme.exit_code == 0, transforme.output
        learning.facteurs(str(entrepot))
        yield {"texte": resultat.output, "entrepot": str(entrepot), "sorties": dossier / "sorties",
               "modeles": dossier / "modeles-ml", "verite": demo_ml["verite"]}


def test_classement_rome_des_offres_sans_code(appris, monkeypatch):
    verite = appris["verite"]
    assert "Classement ROME : modèle entraîné" in appris["texte"]
    with duckdb.connect(appris["entrepot"], read_only=True) as con:
        predites = con.execute("select source, identifiant, rome_code_parent, a_revoir from ml.predictions_rome "
                               "where objet = 'offre'").fetchall()
        origines = dict(con.execute("select rome_origine, count(*) from int.offres group by all").fetchall())
    assert len(predites) == verite["comptes"]["emploi_bfc"] + verite["comptes"]["ats_talentis"]
    vrai = {(s, i): r for s, i, r in verite["rome_offres_fichier"]}
    justes = sum(vrai[s, i] == p for s, i, p, _ in predites)
    assert justes / len(predites) >= 0.95
    a_revoir = sum(r for *_, r in predites)
    assert origines["classifieur"] == len(predites) - a_revoir  # trusted predictions reach int.offres
    monkeypatch.setenv("HUB_MODELES_ML", str(appris["modeles"]))  # each test otherwise gets its own folder
    assert learning.classer_rome.fn(appris["entrepot"], str(appris["sorties"]))["entraine"] is False


def test_doublons_plantes_retrouves(appris, consigner, capsys):
    with duckdb.connect(appris["entrepot"], read_only=True) as con:
        lignes = con.execute("select source || ':' || offre_id, doublon_de from ml.doublons").fetchall()
        offres, annonces = con.execute("select count(*), count(distinct doublon_de) from int.offres").fetchone()
    assert len(lignes) == offres
    assert annonces == len({d for _, d in lignes})
    vraies = doublons.paires_de_grappes([[f"{SOURCES[x['source']]}:{x['id']}" for x in g]
                                         for g in appris["verite"]["doublons"]["grappes"]])
    predites = doublons.paires_de_grappes(doublons.grappes(*map(list, zip(*lignes, strict=True))))
    figures = doublons.precision_rappel(predites, vraies)
    consigner("doublons", "doublons_plantes_demo_echelle_1500", figures)
    with capsys.disabled():
        print(f"\nDoublons plantés dans la démonstration (échelle 1 500) : précision {pourcent(figures['precision'])}, "
              f"rappel {pourcent(figures['rappel'])} ({figures['paires_vraies']} paires)")
    assert figures["precision"] >= 0.99 and figures["rappel"] >= 0.99


def test_part_des_relais_par_source_et_site(appris):
    """analyse.relais_sites: in each group of postings of one vacancy, all but the first
    created are relays; the rows per site add up to the source, the sources to the total."""
    with duckdb.connect(appris["entrepot"], read_only=True) as con:
        lignes = con.execute('select source, site, offres, offres_en_grappe, relais, part_relais '
                             'from "analyse".relais_sites').df()
        offres, annonces = con.execute("select count(*), count(distinct doublon_de) from int.offres").fetchone()
    total = lignes[lignes.source == "toutes"].iloc[0]
    assert (total.site, total.offres, total.relais) == ("tous", offres, offres - annonces)
    par_site = lignes[(lignes.source != "toutes") & (lignes.site != "tous")]
    par_source = lignes[(lignes.source != "toutes") & (lignes.site == "tous")].set_index("source").sort_index()
    assert par_site.groupby("source")[["offres", "relais"]].sum().equals(par_source[["offres", "relais"]])
    # the board relays what France Travail and the ATS published first
    assert set(par_source.index) == set(SOURCES.values()) and par_source.relais["emploi-bfc"] > 0
    assert (lignes.part_relais == (lignes.relais / lignes.offres).round(4)).all()


def test_doublons_par_lots_de_departements(appris, tmp_path, monkeypatch):
    """One batch per département, or one batch read by slices of 7 offers' texts, gives
    exactly the clusters and scores of one batch for all (pairs by title and by
    description never cross départements; an offer's blocks depend on it alone, a pair's
    decision on its two offers): full passes (« --complet ») with the title weights of
    « apprendre »."""
    monkeypatch.setenv("HUB_MODELES_ML", str(appris["modeles"]))
    monkeypatch.setenv("HUB_SORTIES", str(tmp_path / "sorties"))
    predictions = learning.classer_rome.fn(appris["entrepot"], str(tmp_path))["fichier"]
    sorties = {}
    for nom, changes in {"departements": {"offres_par_lot": 1}, "un": {"offres_par_lot": 10**9},
                         "tranches": {"offres_par_lot": 10**9, "textes_lus_max": 7}}.items():
        reglages = regles() | {"doublons": regles()["doublons"] | changes}
        monkeypatch.setattr(etapes, "regles", lambda reglages=reglages: reglages)
        (tmp_path / nom).mkdir()
        bilan = learning.regrouper_doublons.fn(appris["entrepot"], predictions, str(tmp_path / nom), True)
        sorties[nom] = (bilan, pd.read_parquet(bilan["fichier"]).sort_values(["source", "offre_id"],
                                                                             ignore_index=True))
    (par_departement, lots), (en_un, un), (par_tranches, tranches) = sorties.values()
    with duckdb.connect(appris["entrepot"], read_only=True) as con:
        departements = con.execute("select count(distinct coalesce(departement, '')) from prep.offres").fetchone()[0]
    assert en_un["lots"] == par_tranches["lots"] == 1 and par_departement["lots"] == departements > 1
    assert lots.equals(un) and tranches.equals(un) and par_departement["grappes"] == en_un["grappes"] > 0
    assert par_departement["paires_comparees"] == en_un["paires_comparees"] == par_tranches["paires_comparees"]


def test_facteurs_plantes_retrouves_avec_le_bon_signe(appris):
    """The generator lengthens the time to fill by 45 % when the salary is hidden and by
    12 % per year of experience asked above the market, and triples the chance that an
    offer lacks candidates when it hides the salary."""
    with duckdb.connect(appris["entrepot"], read_only=True) as con:
        facteurs = {(m, f): (e, s, v) for f, m, e, s, v in con.execute(
            'select facteur, mesure, effet, sens, verdict from ml.facteurs_difficulte').fetchall()}
        pilote = next(p["nom"] for p in appris["verite"]["entreprises_pilotes"] if p["cause"] == "contenu_offre")
        simulation = con.execute("""
            select variation_jours, variation_ic_haut, verdict from ml.simulations_entreprise
            where entreprise = ? and rome_code_parent = 'I1304' and scenario = 'afficher le salaire'""",
                                 [pilote]).fetchone()
    for mesure, facteur in (("délai de pourvoi", "Salaire non affiché"),
                            ("délai de pourvoi", "Expérience exigée au-delà du marché"),
                            ("offre signalée en manque de candidats", "Salaire non affiché")):
        effet, sens, verdict = facteurs[mesure, facteur]
        assert effet > 0 and verdict == "effet net" and sens in ("allonge le délai", "augmente le risque")
    # the pilot that hides its salary would fill its maintenance technicians faster
    assert simulation[0] < 0 and simulation[1] < 0 and simulation[2] == "baisse nette du délai"


def test_cartes_des_modeles(appris):
    """The cards and the trained model belong to the warehouse they were trained on (demo.duckdb)."""
    cartes = appris["sorties"] / "modeles" / "demo"
    for modele in ("rome", "doublons", "difficulte"):
        carte = json.loads((cartes / modele / "carte.json").read_text(encoding="utf-8"))
        assert carte["nom"] and carte["methode"]
        assert (cartes / modele / "carte.md").read_text(encoding="utf-8").startswith("# Modèle")
    assert "Cartes des modèles : " + str(cartes) in appris["texte"]
    assert sorted(p.name for p in (appris["modeles"] / "demo").glob("rome-*.joblib"))


def test_apprendre_sur_les_offres_reelles(prefect_harness, partage, tmp_path, sorties_isolees):
    entrepot = tmp_path / "reel.duckdb"
    fichiers = [("rome", partage / "rome-v460" / "unix_referentiel_code_rome_v460_utf8.csv"),
                ("rome", partage / "rome-v460" / "unix_referentiel_appellation_v460_utf8.csv"),
                *[("offres-ft", p) for p in sorted((partage / "ft-offres-74").glob("*.json"))]]
    with warehouse.ouvrir(entrepot) as con:
        for source, fichier in fichiers:
            warehouse.charger(con, lecteur(source)(fichier, warehouse.contexte(con, b"sel-de-test")))
    for couche in COUCHES:
        construire_couche.fn(couche, str(entrepot))
    texte = learning.apprentissage(str(entrepot))
    assert (f"Classement ROME : modèle entraîné ({nombre_fr(1584)} codes, {nombre_fr(15307)} appellations, "
            "838 offres et recrutements codés).") in texte
    assert "0 offre et 0 recrutement sans code" in texte
    assert "Doublons : 838 offres" in texte and "→ 822 annonces distinctes (16 grappes de doublons)" in texte
    with duckdb.connect(str(entrepot), read_only=True) as con:
        verdicts = con.execute('select mesure, n, verdict from ml.facteurs_difficulte order by mesure').fetchall()
        simulations = con.execute('select count(*) from ml.simulations_entreprise').fetchone()[0]
    assert verdicts == [
        ("délai de pourvoi", 0, "trop peu de données : 0 recrutement pourvu, il en faut 30"),
        ("offre signalée en manque de candidats", 359, "trop peu de données : 20 offres dans la classe la plus rare "
                                                       "(signalées ou non en manque de candidats), il en faut 30")]
    assert simulations == 0


def test_sous_le_seuil_l_offre_reste_a_revoir(entrepot_demo, sorties_isolees, tmp_path, monkeypatch):
    """An offer whose calibrated confidence is under [apprentissage.rome] seuil_confiance is
    « à revoir »: kept in ml.predictions_rome, and left without a code in int.offres. The
    demo's titles are easy (confidences near 1): the threshold is raised above the median
    confidence, so that at least half the offers fall under it."""
    premier = learning.classer_rome.fn(entrepot_demo, str(tmp_path))
    seuil = float(np.nextafter(pd.read_parquet(premier["fichier"]).confiance.median(), 2.0))
    haut = regles() | {"rome": regles()["rome"] | {"seuil_confiance": seuil}}
    monkeypatch.setattr(etapes, "regles", lambda: haut)
    bilan = learning.classer_rome.fn(entrepot_demo, str(tmp_path))
    assert bilan["entraine"] is False  # the threshold acts after the fit
    predites = pd.read_parquet(bilan["fichier"])
    assert predites.a_revoir.tolist() == (predites.confiance < seuil).tolist()
    assert len(predites) / 2 <= bilan["a_revoir"] == predites.a_revoir.sum()
    groupes = tmp_path / "doublons.parquet"
    pd.DataFrame({"source": pd.Series(dtype=str), "offre_id": pd.Series(dtype=str),
                  "doublon_de": pd.Series(dtype=str), "score": pd.Series(dtype=float)}).to_parquet(groupes)
    learning.enregistrer.fn(entrepot_demo, bilan["fichier"], str(groupes))
    construire_couche.fn("int", entrepot_demo)
    with duckdb.connect(entrepot_demo, read_only=True) as con:
        codes = dict(((s, i), (c, o)) for s, i, c, o in con.execute(
            "select source, offre_id, rome_code, rome_origine from int.offres").fetchall())
    offres = predites[predites.objet == "offre"]
    for source, identifiant, a_revoir, code in zip(offres.source, offres.identifiant, offres.a_revoir,
                                                   offres.rome_code, strict=True):
        assert codes[source, identifiant] == ((None, None) if a_revoir else (code, "classifieur"))
