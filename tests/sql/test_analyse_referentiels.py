"""Occupation labels and official tension figures ("analyse".metiers,
"analyse".indicateurs_officiels, "analyse".comparaison_officielle) on tiny hand-made
referentials; every expected value is worked out by hand below."""

from __future__ import annotations

from datetime import datetime

import pytest

TECHNICIEN = "Technicien de maintenance industrielle"


def test_metiers_familles_rome3_et_fap2009(referentiel, inserer, construire, con):
    inserer("brut.dares_fap_rome", [
        {"fap": "G1Z70", "rome_code": "I1304"},
        {"fap": "X0Z00", "rome_code": "K2402"}, {"fap": "X0Z00", "rome_code": "H2301"},
        {"fap": "Y1Z00", "rome_code": "Z9999"},  # a code the referential does not know
    ])
    inserer("brut.dares_salaires", [{"fap": "G1Z70", "periode": "2017-2019",
                                     "libelle_fap": "Techniciens de la maintenance"}])
    construire()
    assert con.execute('select niveau_code, code, libelle, codes_rome3 from "analyse".metiers order by all'
                       ).fetchall() == [
        # the DARES label when the salary file names the family
        ("fap2009", "G1Z70", "Techniciens de la maintenance (G1Z70)", ["I1304"]),
        # else the labels of the v3 families it covers, in alphabetical order
        ("fap2009", "X0Z00", "X0Z00 (Chercheur ; Conducteur de ligne)", ["H2301", "K2402"]),
        ("fap2009", "Y1Z00", "Y1Z00 (aucun métier ROME chargé)", ["Z9999"]),
        ("rome3", "H2301", "Conducteur de ligne", ["H2301"]),
        # I1326 is a 4.0 code of the I1304 family: no row of its own
        ("rome3", "I1304", TECHNICIEN, ["I1304"]),
        ("rome3", "K2402", "Chercheur", ["K2402"]),
    ]


def _bmo(annee, bassin, projets, difficiles, nom_bassin):
    return {"annee": annee, "code_fap": "G1X72", "libelle_fap": "Techniciens", "reg": "27",
            "nom_reg": "Bourgogne-Franche-Comté", "dept": "21", "nom_dept": "Côte-d'Or", "bassin": bassin,
            "nom_bassin": nom_bassin, "projets": projets, "projets_difficiles": difficiles}


def _dares(annee, niveau_fap, niveau_geo, territoire, fap, tension, categorie):
    return {"annee": annee, "niveau_fap": niveau_fap, "niveau_geo": niveau_geo, "code_territoire": territoire,
            "fap": fap, "tension": tension, "categorie_tension": categorie}


def test_indicateurs_officiels_derniere_annee_publiee(referentiel, inserer, construire, con):
    inserer("brut.bmo", [
        _bmo(2024, "2715", 30, 12, "DIJON"),
        _bmo(2025, "2715", None, None, "DIJON"),  # masked in 2025: Dijon keeps 2024
        _bmo(2025, "2716", 10, 5, "BEAUNE"),
    ])
    inserer("brut.dares_fap_rome", [{"fap": "G1Z70", "rome_code": "I1304"}])
    inserer("brut.dares_tensions", [
        _dares(2022, "fap 225", "dep", "21", "G1Z70", 0.5, 3),
        _dares(2023, "fap 225", "dep", "21", "G1Z70", 1.2, 5),
        _dares(2023, "fap 225", "reg", "27", "G1Z70", None, None),  # not published: no row
        _dares(2023, "fap 225", "nat", "FR", "G1Z70", 0.9, 4),  # national: no territory of ours
        _dares(2023, "fap 87", "dep", "21", "G1Z", 0.7, 4),  # another FAP level
    ])
    construire()
    assert con.execute('select * from "analyse".indicateurs_officiels order by all').fetchall() == [
        ("bmo", "fap2021", "G1X72", "Techniciens (G1X72)", "bassin", "2715", "Bassin de Dijon", 2024, None, None,
         30, 12, 0.4, 0),
        ("bmo", "fap2021", "G1X72", "Techniciens (G1X72)", "bassin", "2716", "Bassin de Beaune", 2025, None, None,
         10, 5, 0.5, 0),
        # 2025 in the département: Beaune's cell known, Dijon's masked
        ("bmo", "fap2021", "G1X72", "Techniciens (G1X72)", "departement", "21", "Côte-d'Or (21)", 2025, None, None,
         10, 5, 0.5, 1),
        ("bmo", "fap2021", "G1X72", "Techniciens (G1X72)", "region", "27", "Bourgogne-Franche-Comté", 2025, None,
         None, 10, 5, 0.5, 1),
        ("dares", "fap2009", "G1Z70", f"G1Z70 ({TECHNICIEN})", "departement", "21", "Côte-d'Or (21)", 2023, 1.2, 5,
         None, None, None, None),
    ]


def test_comparaison_officielle_annee_publiee_la_plus_proche(referentiel, inserer, construire, con):
    inserer("brut.offres_ft", [{"offre_id": "A1", "intitule": "Technicien", "rome_code": "I1304",
                                "commune_insee": "21231", "date_creation": datetime(2025, 3, 2),
                                "_version": datetime(2025, 3, 2)}])
    inserer("brut.dares_fap_rome", [{"fap": "G1Z70", "rome_code": "I1304"}])
    inserer("brut.dares_tensions", [
        _dares(2019, "fap 225", "dep", "21", "G1Z70", 0.84, 5),
        _dares(2026, "fap 225", "dep", "21", "G1Z70", 0.1, 1),  # after our year: not read
    ])

    def perspective(annee, nomenclature, rang):
        return {"code_indicateur": "PERSP_EMPL", "type_territoire": "DEP", "code_territoire": "21",
                "type_activite": "ROME", "code_activite": "I1304", "code_nomenclature": nomenclature,
                "type_periode": "ANNEE", "code_periode": str(annee), "valeur_rang": rang}

    inserer("brut.stat_marche", [perspective(2024, "PERSPECTIVE", 4), perspective(2024, "MAIN_OEUVRE", 2),
                                 perspective(2023, "PERSPECTIVE", 1)])
    construire()
    lignes = con.execute(
        "select niveau_code, code, annee, offres, annee_dares, score_dares, niveau_dares, annee_france_travail, "
        'rang_perspective, rang_main_oeuvre, rang_conditions_travail from "analyse".comparaison_officielle '
        "where niveau_territoire = 'departement' and code_territoire = '21' order by all").fetchall()
    assert lignes == [
        # DARES at the FAP-2009 level only, France Travail at the v3 level only
        ("fap2009", "G1Z70", "2025", 1, 2019, pytest.approx(0.84), 5, None, None, None, None),
        ("rome3", "I1304", "2025", 1, None, None, None, 2024, 4, 2, None),
    ]
