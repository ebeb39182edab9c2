"""Staging models that pass a raw table on as loaded (what the offers ask for, their
partner boards, DARES's and France Travail's published indicators): the analyse layer
reads them instead of brut. Each keeps its rows and business columns, not the provenance."""

from __future__ import annotations

from datetime import datetime


def test_exigences_des_offres(inserer, construire, con):
    inserer("brut.offres_ft", [
        {"offre_id": "O1", "intitule": "Technicien", "partenaires": ["Indeed", "Hellowork"], "_version": datetime(2025, 3, 1)},
        {"offre_id": "O2", "intitule": "Opérateur", "_version": datetime(2025, 3, 1)}])
    inserer("brut.offres_ft_competences", [{"offre_id": "O1", "rang": 1, "code": "100123", "libelle": "GMAO",
                                            "exigence": "E"}])
    inserer("brut.offres_ft_formations", [{"offre_id": "O1", "rang": 1, "code_formation": "23684",
                                           "domaine_libelle": "Maintenance industrielle",
                                           "niveau_libelle": "Bac+2 ou équivalents", "commentaire": "BTS",
                                           "exigence": "S"}])
    inserer("brut.offres_ft_permis", [{"offre_id": "O1", "rang": 1, "libelle": "B - Véhicule léger", "exigence": "E"}])
    inserer("brut.offres_ft_langues", [{"offre_id": "O2", "rang": 1, "libelle": "Anglais", "exigence": "S"}])
    construire()

    def lignes(table):
        return con.execute(f"select * from prep.{table} order by all").fetchall()

    assert lignes("offres_competences") == [("O1", 1, "100123", "GMAO", "E")]
    assert lignes("offres_formations") == [("O1", 1, "23684", "Maintenance industrielle", "Bac+2 ou équivalents", "S")]
    assert lignes("offres_permis") == [("O1", 1, "B - Véhicule léger", "E")]
    assert lignes("offres_langues") == [("O2", 1, "Anglais", "S")]
    assert lignes("offres_partenaires") == [("O1", ["Indeed", "Hellowork"]), ("O2", None)]


def test_indicateurs_publies(inserer, construire, con):
    inserer("brut.dares_tensions", [{"annee": 2023, "niveau_fap": "fap 225", "niveau_geo": "dep",
                                     "code_territoire": "21", "fap": "G1Z80", "emploi_moyen": 1200.0,
                                     "tension": 0.8, "categorie_tension": 4, "intensite_embauches": 3}])
    inserer("brut.stat_marche", [{"code_indicateur": "PERSP_01", "type_territoire": "DEP", "code_territoire": "21",
                                  "type_activite": "ROME", "code_activite": "I1304", "code_nomenclature": "PERSPECTIVE",
                                  "type_periode": "ANNEE", "code_periode": "2024", "valeur_rang": 5}])
    construire()
    assert con.execute("select * from prep.dares_tensions").fetchall() == [
        (2023, "fap 225", "dep", "21", "G1Z80", 1200.0, 0.8, 4, 3, None, None, None, None, None)]
    assert con.execute("""select code_indicateur, type_territoire, code_territoire, type_activite, code_activite,
        code_nomenclature, type_periode, code_periode, valeur_rang, valeur_nombre from prep.stat_marche""").fetchall() == [
        ("PERSP_01", "DEP", "21", "ROME", "I1304", "PERSPECTIVE", "ANNEE", "2024", 5, None)]
