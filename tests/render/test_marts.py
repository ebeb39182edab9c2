"""The marts added for publishing (sql/analyse/): freshness and loads per source, reasons
of quarantine without row contents, the pilots' offers beside the market, what the models
add to the offers, labels. Expected values worked out from tests/render/donnees.py."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest


@pytest.fixture(scope="module")
def lecture(entrepot_test):
    con = duckdb.connect(str(entrepot_test), read_only=True)
    yield lambda requete: con.execute(requete).fetchall()
    con.close()


def test_sources_derniere_tentative_de_chaque_fichier(lecture):
    # p1.json: last attempt 10 read, 2 rejected; p2.json: 5 read; offers created 10/01 to 10/06/2025
    assert lecture('select * from "analyse".sources') == [(
        "offres-ft", 2, 15, 13, 2, datetime(2026, 1, 1, 10), datetime(2026, 1, 3, 10),
        date(2025, 1, 10), date(2025, 6, 10))]


def test_quarantaine_sans_les_valeurs_rejetees(lecture):
    lignes = lecture('select source, champ, motif, lignes, fichiers from "analyse".quarantaine order by champ')
    assert lignes == [("offres-ft", "dateCreation", "horodatage illisible « … »", 2, 1),
                      ("offres-ft", "romeCode", "code ROME inconnu « … »", 1, 1)]
    assert "Jean Dupont" not in str(lecture('select * from "analyse".quarantaine'))


def test_offres_entreprise_face_au_marche(lecture):
    # Alpha pays 2 000 € where the Côte-d'Or I1304 offers of 2025 pay 2 500 €, writes 100
    # characters where they write 500, and asks their 12 months
    assert lecture("""select reference, intitule, salaire_mensuel, salaire_marche, ecart_salaire_marche,
            experience_requise_mois, experience_marche_mois, longueur_description, longueur_description_marche
        from "analyse".offres_entreprise where reference = 'ALP-1'""") == [
        ("ALP-1", "<script>alert(1)</script>", 2000.0, 2500.0, pytest.approx(-0.2), 12.0, 12.0, 100, 500.0)]
    assert lecture('select count(*) from "analyse".offres_entreprise') == [(18,)]


def test_couverture_des_offres(lecture):
    # 11 France Travail offers, all with their ROME code, none grouped as duplicates yet
    assert lecture('select * from "analyse".couverture_offres order by source') == [
        ("france-travail", 11, 11, 0, 0, 11), ("toutes", 11, 11, 0, 0, 11)]


def test_libelles_metiers_et_territoires(lecture):
    assert lecture('select niveau_code, code, libelle, codes_rome3 from "analyse".metiers order by code') == [
        ("rome3", "H2301", "Conducteur de ligne", ["H2301"]),
        ("rome3", "I1304", "Technicien de maintenance industrielle", ["I1304"])]
    assert lecture('select * from "analyse".territoires order by niveau_territoire, code_territoire') == [
        # basins named by the official table (in capitals there); no BMO survey names the others
        ("bassin", "2709", "Bassin de Mâcon", "27"), ("bassin", "2715", "Bassin de Dijon", "27"),
        ("departement", "21", "Département 21", "27"), ("departement", "71", "Département 71", "27"),
        ("region", "27", "Région 27", "27")]
