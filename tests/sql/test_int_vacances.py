"""The market's offers (int.vacances) and offer x skill (int.offres_competences) on tiny
hand-made postings; every expected value is worked out by hand below."""

from __future__ import annotations

from datetime import date, datetime

import pytest


def _ft(oid, jour, **autres):
    moment = datetime(2025, 3, jour) if jour else None
    return {"offre_id": oid, "intitule": f"Offre {oid}", "rome_code": "I1304", "commune_insee": "21231",
            "date_creation": moment, "_version": moment or datetime(2025, 3, 1)} | autres


@pytest.fixture
def vacances(referentiel, inserer, construire, con):
    inserer("brut.offres_ft", [
        # A1 relays the board's B1 (one vacancy g1, B1 posted first); A0 is the same vacancy
        # posted on France Travail again, the same day as A1 (after it by id)
        _ft("A1", 2, entreprise_nom="Labo X", nombre_postes=2, salaire_min_mensuel=2000.0,
            salaire_max_mensuel=2400.0, experience_mois=24.0),
        _ft("A9", 2, entreprise_nom="Labo X", experience_mois=12.0),
        # A2: the same employer, occupation and commune 11 days after g1 -> a repost
        _ft("A2", 12, entreprise_nom=" labo x "),
        # C1 has no creation date: in no vacancy
        _ft("C1", None, entreprise_nom="Labo X"),
        # D1, D2: no employer name, 9 days apart in Mâcon -> never a repost
        _ft("D1", 1, rome_code="K2402", commune_insee="71270"),
        _ft("D2", 10, rome_code="K2402", commune_insee="71270"),
    ])
    inserer("brut.offres_fichier", [
        {"plateforme": "emploi-bfc", "offre_id": "B1", "intitule": "Technicien", "rome_code": "I1304",
         "commune_insee": "21231", "date_creation": date(2025, 3, 1), "entreprise_nom": "LABO X",
         "nombre_postes": 3}])
    inserer("ml.doublons", [{"source": "france-travail", "offre_id": "A1", "doublon_de": "g1"},
                            {"source": "france-travail", "offre_id": "A9", "doublon_de": "g1"},
                            {"source": "emploi-bfc", "offre_id": "B1", "doublon_de": "g1"}])
    construire()
    return con


def test_une_ligne_par_vacance_attributs_de_la_premiere_annonce(vacances):
    lignes = vacances.execute("""
        select doublon_de, date_creation, rome_code_parent, bassin, departement, region, entreprise, postes,
               salaire_affiche, salaire_mensuel, experience_mois, republiee
        from int.vacances order by doublon_de""").fetchall()
    assert lignes == [
        # B1 first (1 March): its employer and date; most positions of B1 (3) and A1 (2);
        # an attribute B1 leaves empty comes from the next posting giving it (A1): salary
        # (2000 + 2400) / 2 and 24 months of experience
        ("france-travail:A2", datetime(2025, 3, 12), "I1304", "2715", "21", "27", "labo x", 1,
         False, None, None, True),
        ("france-travail:D1", datetime(2025, 3, 1), "K2402", "2709", "71", "27", None, 1,
         False, None, None, False),
        ("france-travail:D2", datetime(2025, 3, 10), "K2402", "2709", "71", "27", None, 1,
         False, None, None, False),
        ("g1", datetime(2025, 3, 1), "I1304", "2715", "21", "27", "labo x", 3, True, 2200.0, 24.0, False),
    ]


def test_annonces_france_travail_dans_l_ordre(vacances):
    annonces = dict(vacances.execute("""
        select doublon_de, list_transform(annonces_ft, lambda a: a.offre_id) from int.vacances""").fetchall())
    # B1 (the board) is no France Travail posting; A1 and A9 the same day: by id
    assert annonces == {"g1": ["A1", "A9"], "france-travail:A2": ["A2"], "france-travail:D1": ["D1"],
                        "france-travail:D2": ["D2"]}
    premiere = vacances.execute(
        "select annonces_ft[1] from int.vacances where doublon_de = 'g1'").fetchone()[0]
    assert premiere == {"offre_id": "A1", "date_creation": datetime(2025, 3, 2), "rome_code": "I1304",
                        "rome_code_parent": "I1304", "departement": "21", "region": "27",
                        "experience_mois": 24.0, "niveau_diplome": None}


def test_offre_x_competence(referentiel, inserer, construire, con):
    inserer("brut.offres_ft_competences", [
        {"offre_id": "O1", "rang": 1, "code": "100123", "libelle": "GMAO", "exigence": "E"},
        {"offre_id": "O1", "rang": 2, "code": None, "libelle": " Électricité ", "exigence": "S"},
        {"offre_id": "O2", "rang": 1, "code": None, "libelle": "GMAO", "exigence": None},
    ])
    construire()
    assert con.execute("select * from int.offres_competences order by offre_id, rang").fetchall() == [
        # the ROME code when given, else the lower-case label; compared with company
        # requisitions through the label without case, accents or spaces around
        ("O1", 1, "100123", "GMAO", "gmao", "E"),
        ("O1", 2, " électricité ", " Électricité ", "electricite", "S"),
        ("O2", 1, "gmao", "GMAO", "gmao", None),
    ]
