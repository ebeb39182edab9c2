"""The workbook for training bodies: one sheet per occupation, French headers, shares as
numbers (a tiny hand-made market, Côte-d'Or 2025)."""

from __future__ import annotations

from datetime import datetime

from openpyxl import load_workbook

from flows.render import besoins_competences


def test_classeur_des_besoins_en_competences(referentiel, inserer, construire, con, tmp_path):
    # 4 I1304 offers in Dijon in 2025: GMAO required in 2, wished in 1; Bac+2 asked in 1
    offres, competences = [], []
    for i, liste in enumerate([[("GMAO", "E")], [("GMAO", "E"), ("Soudure", "S")], [("GMAO", "S")], []]):
        moment = datetime(2025, 4, 1 + i)
        offres.append({"offre_id": f"O{i}", "intitule": "Technicien", "rome_code": "I1304", "commune_insee": "21231",
                       "date_creation": moment, "_version": moment})
        competences += [{"offre_id": f"O{i}", "rang": r, "libelle": c, "exigence": e}
                        for r, (c, e) in enumerate(liste, 1)]
    inserer("brut.offres_ft", offres)
    inserer("brut.offres_ft_competences", competences)
    inserer("brut.offres_ft_formations", [{"offre_id": "O0", "rang": 1, "niveau_libelle": "Bac+2 ou équivalents",
                                           "exigence": "E"}])
    construire()
    entrepot = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    con.close()  # publication opens the warehouse read-only
    chemin = besoins_competences.ecrire(entrepot, tmp_path)
    classeur = load_workbook(chemin)
    assert classeur.sheetnames == ["Lisez-moi", "I1304 Technicien de maintenance"]
    assert [c.value for c in classeur["Lisez-moi"][7]] == [
        "Technicien de maintenance industrielle", "I1304", 4, "I1304 Technicien de maintenance"]
    feuille = classeur["I1304 Technicien de maintenance"]
    lignes = [[c.value for c in ligne] for ligne in feuille.iter_rows()]
    assert lignes[1] == ["Offres France Travail de l'année (doublons regroupés)", 4, None, None, None]
    assert lignes[4] == ["Compétence", "Exigée (part des offres)", "Souhaitée (part des offres)",
                         "Exigée ou souhaitée", "Évolution sur un an (points)"]
    # GMAO: required in 2 of 4, wished in 1, either in 3; no 2024 offer, so no change
    assert lignes[5] == ["GMAO", 0.5, 0.25, 0.75, None]
    assert lignes[6] == ["Soudure", 0.0, 0.25, 0.25, None]
    assert isinstance(feuille["B6"].value, float) and feuille["B6"].number_format == "0%"
    diplomes = lignes.index(["Diplômes demandés", None, None, None, None])
    assert lignes[diplomes + 2][:2] == ["Bac+2 ou équivalents", 0.25]
