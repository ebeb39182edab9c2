"""The market's components per cell (int.marche_*) on a tiny hand-made market of
Côte-d'Or, February-March 2025; every expected value is worked out by hand below."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.sql.test_tension_marche import passage

DEP = ("departement", "21")


def _stat(rome, type_territoire, code, mois, categorie, demandeurs, entrees=None, sorties=None):
    return {"code_rome": rome, "type_territoire": type_territoire, "code_territoire": code,
            "type_periode": "MOIS", "periode": f"2025-{mois:02}", "date_debut": date(2025, mois, 1),
            "categorie": categorie, "demandeurs": demandeurs, "entrees": entrees, "sorties": sorties}


@pytest.fixture
def marche(referentiel, inserer, construire, con):
    def moment(jour):
        return datetime(2025, 3, jour)

    inserer("brut.offres_ft", [
        # V1: Dijon (basin 2715), technician (level 7 -> G1X72), CDI full time, 2 positions
        {"offre_id": "V1", "intitule": "Technicien", "rome_code": "I1304", "commune_insee": "21231",
         "date_creation": moment(2), "_version": moment(2), "type_contrat": "CDI", "temps_plein": True,
         "qualification_code": "7", "salaire_min_mensuel": 2000.0, "nombre_postes": 2},
        # V2: Beaune (basin 2716), worker (level 5 -> G0A40), CDD of 3 months: not durable
        {"offre_id": "V2", "intitule": "Chef d'équipe", "rome_code": "I1326", "commune_insee": "21054",
         "date_creation": moment(5), "_version": moment(5), "type_contrat": "CDD", "duree_contrat_mois": 3.0,
         "qualification_code": "5"},
    ])
    inserer("brut.dares_fap_rome", [{"fap": "G1Z80", "rome_code": "I1304"}])
    inserer("brut.demandeurs_stat", [
        _stat("I1304", "DEP", "21", 2, "A", 4, entrees=2), _stat("I1304", "DEP", "21", 2, "ABC", 6, sorties=1),
        _stat("I1304", "DEP", "21", 3, "A", 8, entrees=4), _stat("I1304", "DEP", "21", 3, "ABC", 10, sorties=5),
        _stat("I1304", "BASSIN", "2715", 3, "A", 6), _stat("I1304", "BASSIN", "2716", 3, "A", 2),
        _stat("H2301", "DEP", "21", 3, "A", 3, entrees=1),
    ])
    passage(inserer)
    inserer("brut.bmo", [
        {"annee": 2024, "code_fap": f, "dept": "21", "reg": "27", "bassin": b, "projets": p, "projets_difficiles": d}
        for f, b, p, d in (("G1X72", "2715", 10, 5), ("G0A40", "2716", 20, 4), ("E2X40", "2715", 6, 3))])
    construire()

    def ligne(table, colonnes, code, niveau_code="rome3", territoire=DEP, type_periode="mois", periode="2025-03"):
        return con.execute(
            f"select {colonnes} from int.{table} where niveau_code = ? and code = ? and niveau_territoire = ? "
            "and code_territoire = ? and type_periode = ? and periode = ?",
            [niveau_code, code, *territoire, type_periode, periode]).fetchall()

    return ligne


def test_offres(marche):
    colonnes = "offres, postes, part_non_durable, part_salaire_affiche, salaire_median, familles_fap228"
    # V1 and V2 (I1326 -> parent I1304): 2 + 1 positions, one durable, one salary (2000)
    assert marche("marche_offres", colonnes, "I1304") == [(2, 3, 0.5, 0.5, 2000.0, ["G0A40", "G1X72"])]
    assert marche("marche_offres", colonnes, "G1Z80", niveau_code="fap2009") == [
        (2, 3, 0.5, 0.5, 2000.0, ["G0A40", "G1X72"])]
    assert marche("marche_offres", colonnes, "I1326", niveau_code="rome4", territoire=("bassin", "2716")) == [
        (1, 1, 1.0, 0.0, None, ["G0A40"])]
    assert marche("marche_offres", colonnes, "I1304", type_periode="annee", periode="2025") == [
        (2, 3, 0.5, 0.5, 2000.0, ["G0A40", "G1X72"])]


def test_demandeurs(marche):
    colonnes = "demandeurs_a, demandeurs_abc, entrees_a, sorties_abc"
    assert marche("marche_demandeurs", colonnes, "I1304") == [(8.0, 10.0, 4, 5)]
    # the quarter: mean stocks of February and March, flows summed
    assert marche("marche_demandeurs", colonnes, "I1304", type_periode="trimestre", periode="2025-T1") == [
        (6.0, 8.0, 6, 6)]
    # FAP-2009 family G1Z80: the sum of its v3 codes (I1304 alone here)
    assert marche("marche_demandeurs", colonnes, "G1Z80", niveau_code="fap2009") == [(8.0, 10.0, 4, 5)]


def test_cellules(marche, con):
    codes = con.execute("""select niveau_code, code, periode from int.marche_cellules
        where niveau_territoire = 'departement' and code_territoire = '21' and type_periode = 'mois'
        order by all""").fetchall()
    # offers in March, jobseekers in February and March (H2301: jobseekers only)
    assert codes == [("fap2009", "G1Z80", "2025-02"), ("fap2009", "G1Z80", "2025-03"),
                     ("rome3", "H2301", "2025-03"), ("rome3", "I1304", "2025-02"), ("rome3", "I1304", "2025-03"),
                     ("rome4", "I1304", "2025-03"), ("rome4", "I1326", "2025-03")]


def test_bmo(marche):
    colonnes = "annee, projets, projets_difficiles"
    # the families of the cell's vacancies, G1X72 (V1) and G0A40 (V2): 10 + 20, 5 + 4
    assert marche("marche_bmo", colonnes, "I1304") == [(2024, 30, 9)]
    assert marche("marche_bmo", colonnes, "I1304", niveau_code="rome4", territoire=("bassin", "2715")) == [
        (2024, 10, 5)]
    # no vacancy: the families of the code for an unknown qualification (level 0)
    assert marche("marche_bmo", colonnes, "I1304", periode="2025-02") == [(2024, 20, 4)]
    assert marche("marche_bmo", colonnes, "H2301") == [(2024, 6, 3)]


def test_duncan(marche):
    # basins 2715 and 2716: vacancies 1 and 1 (1/2, 1/2), jobseekers 6 and 2 (3/4, 1/4)
    attendu = 0.5 * (abs(1 / 2 - 3 / 4) + abs(1 / 2 - 1 / 4))
    assert marche("marche_duncan", "indice_duncan", "I1304") == [(attendu,)]
    # Mâcon's basin (2709) has neither: region 27 gets the same index
    assert marche("marche_duncan", "indice_duncan", "I1304", territoire=("region", "27")) == [(attendu,)]


def test_indicateurs(marche):
    colonnes = ("offres, postes, demandeurs_a, ratio_tension, demandeurs_par_offre, taux_ecoulement, annee_bmo, "
                "projets_bmo, part_difficile_bmo, inadequation_geographique")
    # 2 vacancies for 4 entries, 8 jobseekers for 2 vacancies, 5 exits of 10, 9 of 30 projects
    assert marche("marche_indicateurs", colonnes, "I1304") == [(2, 3, 8.0, 0.5, 4.0, 0.5, 2024, 30, 0.3, 0.25)]
    # jobseekers only: no vacancy, so no jobseekers per vacancy
    assert marche("marche_indicateurs", colonnes, "H2301") == [(0, 0, 3.0, 0.0, None, None, 2024, 6, 0.5, None)]
