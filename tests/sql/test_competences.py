"""Skills in demand, on the real France Travail offers of Haute-Savoie (2025), and a
company's requirements against the market, on tiny hand-made records."""

from __future__ import annotations

from datetime import date, datetime

import pytest


def _part(con, code, categorie, libelle, exigence):
    return con.execute("""
        select offres, offres_total, part from "analyse".competences_demandees
        where niveau_code = 'rome4' and code = ? and niveau_territoire = 'departement' and code_territoire = '74'
          and type_periode = 'annee' and periode = '2025' and categorie = ? and element_libelle = ?
          and exigence = ?""", [code, categorie, libelle, exigence]).fetchone()


def test_competences_des_offres_reelles(partage, charger, construire, con):
    charger("offres-ft", *sorted((partage / "ft-offres-74").glob("*.json")))
    construire()
    # counted in the JSON: 32 D1507 offers (all created in 2025, all in 74); "Réaliser
    # l'étiquetage de produits" is wished in 5 of them and required in 1, never both
    etiquetage = "Réaliser l'étiquetage de produits"
    assert _part(con, "D1507", "competence", etiquetage, "S") == (5, 32, pytest.approx(5 / 32))
    assert _part(con, "D1507", "competence", etiquetage, "E") == (1, 32, pytest.approx(1 / 32))
    assert _part(con, "D1507", "competence", etiquetage, "tous") == (6, 32, pytest.approx(6 / 32))
    # diplomas: 3 of the 32 require "Bac ou équivalent", none wishes it
    assert _part(con, "D1507", "diplome", "Bac ou équivalent", "E") == (3, 32, pytest.approx(3 / 32))
    assert _part(con, "D1507", "diplome", "Bac ou équivalent", "S") is None
    # K2204 (4 offers): "Entretenir, nettoyer un espace, un lieu, un local" required twice
    assert _part(con, "K2204", "competence", "Entretenir, nettoyer un espace, un lieu, un local", "E") == (
        2, 4, 0.5)
    # no offer of 2024 in the file: the change against the previous year is unknown
    precedent = con.execute("""select distinct part_precedente from "analyse".competences_demandees
        where type_periode = 'annee' and periode = '2025'""").fetchall()
    assert precedent == [(None,)]


def test_evolution_et_progression(referentiel, inserer, construire, con):
    # I1304 in Dijon: 2024, 2 offers, one asking GMAO; 2025, 4 offers, three asking GMAO
    # and one asking "Soudure" -> GMAO 0.5 -> 0.75 (+0.25), Soudure 0 -> 0.25 (+0.25)
    offres, competences = [], []
    for i, (annee, liste) in enumerate([(2024, ["GMAO"]), (2024, []), (2025, ["GMAO"]), (2025, ["GMAO", "Soudure"]),
                                        (2025, ["GMAO"]), (2025, [])]):
        moment = datetime(annee, 5, 1 + i)
        offres.append({"offre_id": f"O{i}", "intitule": "Technicien", "rome_code": "I1304", "commune_insee": "21231",
                       "date_creation": moment, "_version": moment})
        competences += [{"offre_id": f"O{i}", "rang": r, "libelle": c, "exigence": "E"} for r, c in enumerate(liste, 1)]
    inserer("brut.offres_ft", offres)
    inserer("brut.offres_ft_competences", competences)
    construire()
    lignes = con.execute("""
        select element_libelle, part, part_precedente, evolution, rang_progression
        from "analyse".competences_demandees
        where niveau_code = 'rome3' and code = 'I1304' and niveau_territoire = 'departement'
          and type_periode = 'annee' and periode = '2025' and categorie = 'competence' and exigence = 'E'
        order by element_libelle""").fetchall()
    assert lignes == [("GMAO", 0.75, 0.5, 0.25, 1), ("Soudure", 0.25, 0.0, 0.25, 1)]


def test_exigences_rares_sur_le_marche(referentiel, inserer, construire, con):
    # market, Côte-d'Or 2025: 10 I1304 offers, one asking at least bac+5 (level 7)
    offres, formations = [], []
    for i in range(10):
        moment = datetime(2025, 3, 1 + i)
        offres.append({"offre_id": f"M{i}", "intitule": "Technicien", "rome_code": "I1304", "commune_insee": "21231",
                       "date_creation": moment, "_version": moment, "experience_mois": 24.0 if i else 72.0})
        formations.append({"offre_id": f"M{i}", "rang": 1, "exigence": "E",
                           "niveau_libelle": "Bac+5 et plus ou équivalents" if i == 0 else "Bac+2 ou équivalents"})
    inserer("brut.offres_ft", offres)
    inserer("brut.offres_ft_formations", formations)
    # the company asks bac+5 and 6 years in both of its requisitions
    inserer("brut.recrutements", [
        {"entreprise": "Alpha", "reference": f"R{i}", "code_rome": "I1304", "commune_site": "21231",
         "date_ouverture": date(2025, 2, 1), "statut": "ouvert", "diplome_requis": 7,
         "experience_requise_mois": 72.0} for i in (1, 2)])
    # pool: 4 profiles in Côte-d'Or, one with bac+5, two with 5 years or more
    inserer("brut.profils_demandeurs", [
        {"demandeur_hash": f"p{i}", "mois": date(2025, 1, 1), "code_rome": "I1304", "commune_insee": "21231",
         "niveau_diplome": d, "experience_annees": e} for i, (d, e) in enumerate([(7, 1.0), (5, 6.0), (5, 8.0), (4, 0.0)])])
    construire()
    lignes = con.execute("""
        select element, part_recrutements, part_marche, part_vivier, rare_sur_le_marche
        from "analyse".exigences_entreprise where entreprise = 'Alpha' and categorie <> 'competence'
        order by categorie, element""").fetchall()
    assert lignes == [
        ("au moins CAP-BEP", 1.0, 1.0, 1.0, False),
        ("au moins bac", 1.0, 1.0, 1.0, False),
        ("au moins bac+2", 1.0, 1.0, 0.75, False),
        ("au moins bac+3", 1.0, 0.1, 0.25, True),
        ("au moins bac+5", 1.0, 0.1, 0.25, True),
        ("au moins 1 an", 1.0, 1.0, 0.75, False),
        ("au moins 2 ans", 1.0, 1.0, 0.5, False),
        ("au moins 5 ans", 1.0, 0.1, 0.5, True),
    ]


def test_exigences_face_au_departement_principal(referentiel, inserer, construire, con):
    # Alpha recruits I1304 twice in Dijon (21) and once in Mâcon (71): its requirements are
    # set against the Côte-d'Or market, every build. Market 2025: in 21, one offer asking
    # bac+2 and one asking bac+5; in 71, one offer asking bac+5.
    offres, formations = [], []
    for i, (commune, niveau) in enumerate([("21231", "Bac+2 ou équivalents"), ("21231", "Bac+5 et plus ou équivalents"),
                                           ("71270", "Bac+5 et plus ou équivalents")]):
        moment = datetime(2025, 3, 1 + i)
        offres.append({"offre_id": f"M{i}", "intitule": "Technicien", "rome_code": "I1304", "commune_insee": commune,
                       "date_creation": moment, "_version": moment})
        formations.append({"offre_id": f"M{i}", "rang": 1, "exigence": "E", "niveau_libelle": niveau})
    inserer("brut.offres_ft", offres)
    inserer("brut.offres_ft_formations", formations)
    inserer("brut.recrutements", [
        {"entreprise": "Alpha", "reference": f"R{i}", "code_rome": "I1304", "commune_site": commune,
         "date_ouverture": date(2025, 2, 1), "statut": "ouvert", "diplome_requis": 7}
        for i, commune in enumerate(["71270", "21231", "21617"])])
    construire()
    # 3 requisitions, all asking bac+5; 2 market offers in 21, 1 of which asks bac+5
    assert con.execute("""
        select recrutements_total, offres_marche, part_recrutements, part_marche from "analyse".exigences_entreprise
        where entreprise = 'Alpha' and element = 'au moins bac+5'""").fetchall() == [(3, 2, 1.0, 0.5)]


def test_libelles_a_la_casse_pres(referentiel, inserer, construire, con):
    # three offers list the same uncoded skill, written "GMAO" once and "gmao" twice: one
    # element, counted in the three offers, under the label most of them use
    offres, competences = [], []
    for i, libelle in enumerate(["GMAO", "gmao", "gmao"]):
        moment = datetime(2025, 5, 1 + i)
        offres.append({"offre_id": f"O{i}", "intitule": "Technicien", "rome_code": "I1304", "commune_insee": "21231",
                       "date_creation": moment, "_version": moment})
        competences.append({"offre_id": f"O{i}", "rang": 1, "libelle": libelle, "exigence": "E"})
    inserer("brut.offres_ft", offres)
    inserer("brut.offres_ft_competences", competences)
    construire()
    assert con.execute("""
        select element_libelle, offres, part from "analyse".competences_demandees
        where niveau_code = 'rome3' and code = 'I1304' and niveau_territoire = 'departement'
          and type_periode = 'annee' and periode = '2025' and categorie = 'competence' and exigence = 'E'
        """).fetchall() == [("gmao", 3, 1.0)]
