"""One-way layers: prep holds only what the sources gave, int joins it with the learning
stage's outputs (ml) into the very columns analyse reads, and a pipeline run builds each
prep, int and analyse table once."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import duckdb

from flows import transformation

# the columns of prep.offres and prep.recrutements before the ML outputs left prep
# (names, types and order), now those of int.offres and int.recrutements
COLONNES_OFFRES = [
    ("offre_id", "VARCHAR"), ("source", "VARCHAR"), ("doublon_de", "VARCHAR"), ("intitule", "VARCHAR"),
    ("description", "VARCHAR"), ("rome_code", "VARCHAR"), ("rome_code_parent", "VARCHAR"),
    ("rome_origine", "VARCHAR"), ("date_creation", "TIMESTAMP"), ("date_actualisation", "TIMESTAMP"),
    ("commune_insee", "VARCHAR"), ("departement", "VARCHAR"), ("region", "VARCHAR"), ("bassin", "VARCHAR"),
    ("entreprise_nom", "VARCHAR"), ("type_contrat", "VARCHAR"), ("duree_contrat_mois", "DOUBLE"),
    ("temps_plein", "BOOLEAN"), ("salaire_affiche", "BOOLEAN"), ("salaire_min_mensuel", "DOUBLE"),
    ("salaire_max_mensuel", "DOUBLE"), ("experience_mois", "DOUBLE"), ("niveau_diplome", "INTEGER"),
    ("qualification_code", "VARCHAR"), ("nombre_postes", "BIGINT"), ("offres_manque_candidats", "BOOLEAN"),
    ("nb_competences", "BIGINT"), ("longueur_description", "BIGINT"), ("duree_publication_jours", "BIGINT")]
COLONNES_RECRUTEMENTS = [
    ("entreprise", "VARCHAR"), ("reference", "VARCHAR"), ("intitule", "VARCHAR"), ("rome_code", "VARCHAR"),
    ("rome_code_parent", "VARCHAR"), ("rome_origine", "VARCHAR"), ("commune_site", "VARCHAR"),
    ("departement", "VARCHAR"), ("region", "VARCHAR"), ("bassin", "VARCHAR"), ("latitude", "DOUBLE"),
    ("longitude", "DOUBLE"), ("date_ouverture", "DATE"), ("date_cloture", "DATE"), ("statut", "VARCHAR"),
    ("delai_pourvoi_jours", "BIGINT"), ("duree_jours", "BIGINT"), ("nombre_postes", "BIGINT"),
    ("type_contrat", "VARCHAR"), ("duree_contrat_mois", "DOUBLE"), ("salaire_affiche", "BOOLEAN"),
    ("salaire_min_mensuel", "DOUBLE"), ("salaire_max_mensuel", "DOUBLE"), ("salaire_mensuel", "DOUBLE"),
    ("experience_requise_mois", "DOUBLE"), ("diplome_requis", "INTEGER"), ("canaux", "VARCHAR[]"),
    ("nb_canaux", "BIGINT"), ("longueur_description", "BIGINT"), ("competences", "VARCHAR[]"),
    ("nb_competences", "BIGINT")]
SORTIES_ML = {"doublon_de", "rome_origine"}


def _prediction(objet: str, source: str, identifiant: str, code: str, a_revoir: bool) -> dict:
    return {"objet": objet, "source": source, "identifiant": identifiant, "rome_code": code,
            "rome_code_parent": code, "confiance": 0.5 if a_revoir else 0.9, "a_revoir": a_revoir}


def test_prep_sans_sortie_de_modele_et_int_les_joint(referentiel, inserer, construire, con):
    """A France Travail offer with its code (I1326, parent I1304), another relayed by a
    partner board (its site); a board offer without a code that the classifier codes H2301
    and finds to be the same vacancy as the first; a board offer whose prediction is « à
    revoir » (left without a code). A requisition without a code, predicted K2402."""
    inserer("brut.offres_ft", [{"offre_id": "A1", "intitule": "Technicien de maintenance", "rome_code": "I1326",
                                "commune_insee": "21231", "date_creation": datetime(2025, 3, 3, 8)},
                               {"offre_id": "A2", "intitule": "Technicien de maintenance", "rome_code": "I1304",
                                "commune_insee": "21231", "date_creation": datetime(2025, 3, 3, 9),
                                "partenaires": ["Meteojob"]}])
    inserer("brut.offres_fichier", [
        {"plateforme": "emploi-bfc", "offre_id": "B1", "intitule": "Conducteur de ligne", "commune_insee": "21231",
         "date_creation": date(2025, 3, 4)},
        {"plateforme": "emploi-bfc", "offre_id": "B2", "intitule": "Poste polyvalent", "commune_insee": "71270",
         "date_creation": date(2025, 3, 5)}])
    inserer("brut.recrutements", [{"entreprise": "Alpha", "reference": "R1", "intitule": "Chercheur",
                                   "commune_site": "21231", "date_ouverture": date(2025, 1, 6), "statut": "ouvert"}])
    inserer("ml.predictions_rome", [_prediction("offre", "emploi-bfc", "B1", "H2301", False),
                                    _prediction("offre", "emploi-bfc", "B2", "K2402", True),
                                    _prediction("recrutement", "Alpha", "R1", "K2402", False)])
    inserer("ml.doublons", [{"source": "france-travail", "offre_id": "A1", "doublon_de": "france-travail:A1"},
                            {"source": "emploi-bfc", "offre_id": "B1", "doublon_de": "france-travail:A1"}])
    construire()

    def colonnes(table: str) -> list[tuple[str, str]]:
        return [(nom, type_) for nom, type_, *_ in con.execute(f"describe {table}").fetchall()]

    assert colonnes("int.offres") == COLONNES_OFFRES
    assert colonnes("int.recrutements") == COLONNES_RECRUTEMENTS
    assert colonnes("prep.offres") == [c for c in COLONNES_OFFRES if c[0] not in SORTIES_ML] + [
        ("latitude", "DOUBLE"), ("longitude", "DOUBLE"), ("lieu_libelle", "VARCHAR"), ("site", "VARCHAR")]
    assert colonnes("prep.recrutements") == [c for c in COLONNES_RECRUTEMENTS if c[0] not in SORTIES_ML]

    assert con.execute("select offre_id, rome_code, rome_code_parent, site from prep.offres "
                       "order by offre_id").fetchall() == [
        ("A1", "I1326", "I1304", "France Travail"), ("A2", "I1304", "I1304", "Meteojob"),
        ("B1", None, None, "emploi-bfc"),
        ("B2", None, None, "emploi-bfc")]
    assert con.execute("select offre_id, doublon_de, rome_code, rome_code_parent, rome_origine, departement "
                       "from int.offres order by offre_id").fetchall() == [
        ("A1", "france-travail:A1", "I1326", "I1304", "offre", "21"),
        ("A2", "france-travail:A2", "I1304", "I1304", "offre", "21"),
        ("B1", "france-travail:A1", "H2301", "H2301", "classifieur", "21"),
        ("B2", "emploi-bfc:B2", None, None, None, "71")]  # never compared: its own cluster
    assert con.execute("select rome_code, rome_code_parent from prep.recrutements").fetchall() == [(None, None)]
    assert con.execute("select reference, rome_code, rome_code_parent, rome_origine, departement "
                       "from int.recrutements").fetchall() == [("R1", "K2402", "K2402", "classifieur", "21")]
    # every column that is not a model output is prep's, value for value
    communes = ", ".join(nom for nom, _ in COLONNES_OFFRES if nom not in SORTIES_ML | {"rome_code", "rome_code_parent"})
    assert con.execute(f"select {communes} from int.offres except select {communes} from prep.offres").fetchall() == []


def test_prep_ne_lit_aucune_sortie_de_modele():
    """prep reads brut only; int is the one layer that reads ml."""
    for couche, autorisees in (("prep", {"brut", "prep"}), ("int", {"prep", "ml", "int"})):
        for modele in transformation.modeles(couche):
            texte = transformation._sans_commentaires(modele.fichier.read_text(encoding="utf-8")).lower()
            lues = {s for s in ("brut", "ml", "prep", "int", "analyse") if f" {s}." in texte or f'"{s}".' in texte}
            assert lues <= autorisees, (modele.fichier.name, lues)


def test_un_pipeline_construit_chaque_table_une_fois(prefect_harness, tmp_path, monkeypatch):
    """Every model of prep, int and analyse runs exactly once in a first pipeline run (an
    empty drop zone: the shipped referentials only), and the summary says so; a second run
    on the same inputs rebuilds none; one more BMO row rebuilds only what reads it; a
    complete run (« pipeline --complet ») rebuilds every table again, once."""
    from flows.pipeline import pipeline

    construites: Counter[str] = Counter()
    executer_modele = transformation.executer_modele

    def compter(con, modele):
        construites[modele.table] += 1
        executer_modele(con, modele)

    monkeypatch.setattr(transformation, "executer_modele", compter)
    entree = tmp_path / "entree"
    entree.mkdir()

    def lancer(complet: bool = False) -> list[str]:
        construites.clear()
        etat = pipeline(entrepot=str(tmp_path / "entrepot.duckdb"), entree=str(entree), complet=complet,
                        return_state=True)
        assert etat.is_completed(), etat.message
        return etat.result().splitlines()

    resume = lancer()
    attendues = [m.table for couche in transformation.COUCHES for m in transformation.modeles(couche)]
    assert len(attendues) > 30 and construites == Counter(attendues)
    toutes = len(attendues) + len([t for modeles in transformation.MODELES_PYTHON.values() for t in modeles])
    assert f"Tables construites : {toutes}, chacune une fois." in resume

    resume = lancer()
    assert construites == Counter()
    assert f"Tables construites : 0, réutilisées : {toutes} (entrées inchangées)." in resume

    (entree / "bmo").mkdir()
    (entree / "bmo" / "bmo_2024.csv").write_text(
        "annee;Code métier BMO;Nom métier BMO;Famille_met;Lbl_fam_met;REG;NOM_REG;Dept;NomDept;BE24;NOMBE24;met;xmet;smet\n"
        "2024;G1X72;Techniciens;T;Autres techniciens;27;Bourgogne-Franche-Comté;21;Côte-d'Or;2715;DIJON;40;30;*\n",
        encoding="utf-8")
    resume = lancer()
    # brut.bmo is read by prep.bmo and prep.noms_territoires (the basin's name); prep.bmo by
    # int.marche_bmo and analyse.indicateurs_officiels, prep.noms_territoires by
    # analyse.territoires; the new file's line in the load log (controle.chargements) by
    # analyse.sources. int.marche_bmo joins BMO to the market cells of offers: without an
    # offer it stays empty, so what reads it (int.marche_indicateurs, ...) is reused.
    assert construites == Counter(["prep.bmo", "prep.noms_territoires", "int.marche_bmo",
                                   "analyse.indicateurs_officiels", "analyse.territoires", "analyse.sources"])
    assert f"Tables construites : 6, chacune une fois, réutilisées : {toutes - 6} (entrées inchangées)." in resume
    with duckdb.connect(str(tmp_path / "entrepot.duckdb"), read_only=True) as con:
        # one row per territory of the line: its basin, its département, its region
        assert con.execute("select count(*) from prep.bmo").fetchone() == (3,)
        assert con.execute("select count(*) from int.marche_bmo").fetchone() == (0,)

    resume = lancer(complet=True)
    assert construites == Counter(attendues)
    assert f"Tables construites : {toutes}, chacune une fois." in resume


def test_l_apprentissage_ne_construit_aucune_couche():
    """Only pipeline.py chains stages: the learning imports nothing of the transformation,
    and its models read the prepared tables, never brut."""
    from flows import learning
    from flows.ml import difficulte, doublons, etapes, rome

    for module in (learning, etapes):
        assert "flows.transformation" not in open(module.__file__, encoding="utf-8").read()
    for module in (etapes, rome, doublons, difficulte):
        assert "brut." not in open(module.__file__, encoding="utf-8").read()


def test_referentiel_rome_prepare_pour_le_classifieur(referentiel, inserer, construire, con):
    """What the ROME classifier learns from, read from prep: job titles and describing sentences."""
    inserer("brut.rome_appellations", [
        {"code_ogr": "10001", "code_rome": "I1304", "libelle_appellation_long": "Technicien / Technicienne de "
         "maintenance industrielle", "libelle_appellation_court": "Technicien de maintenance industrielle"}])
    inserer("brut.rome_textes", [
        {"code_rome": "I1304", "code_compo_bloc": "B1", "libelle_type_texte": "definition", "position_phrase": 1,
         "libelle_texte": "Effectue la maintenance préventive et corrective."}])
    construire()
    assert con.execute("select code_ogr, code_rome, libelle_appellation_court from prep.rome_appellations").fetchall() \
        == [("10001", "I1304", "Technicien de maintenance industrielle")]
    assert con.execute("select code_rome, libelle_type_texte, position_phrase, libelle_texte "
                       "from prep.rome_textes").fetchall() == [
        ("I1304", "definition", 1, "Effectue la maintenance préventive et corrective.")]
