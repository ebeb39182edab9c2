"""Market tension on a tiny hand-made market (March 2025, Côte-d'Or); every expected
value is worked out by hand below."""

from __future__ import annotations

from datetime import date, datetime
from statistics import mean, stdev

import pytest

M = datetime(2025, 3, 1)


def _offre(oid, rome, commune, jour, **autres):
    return {"offre_id": oid, "intitule": f"Offre {oid}", "rome_code": rome, "commune_insee": commune,
            "date_creation": M.replace(day=jour), "_version": M.replace(day=jour)} | autres


def _stat(rome, type_territoire, code, categorie, demandeurs, entrees, sorties):
    return {"code_rome": rome, "type_territoire": type_territoire, "code_territoire": code,
            "type_periode": "MOIS", "periode": "2025-03", "date_debut": date(2025, 3, 1),
            "categorie": categorie, "demandeurs": demandeurs, "entrees": entrees, "sorties": sorties}


def passage(inserer):
    """DARES's passage for I1304 (workers at levels 0-6, technicians at 7-8) and H2301."""
    inserer("brut.rome_qualif_fap2021", [
        *({"code_rome": "I1304", "qualification": str(q), "code_fap341": "G0A40b"} for q in range(7)),
        *({"code_rome": "I1304", "qualification": str(q), "code_fap341": "G1X72a"} for q in (7, 8)),
        {"code_rome": "H2301", "qualification": "0", "code_fap341": "E2X40"}])
    inserer("brut.fap2021", [
        {"code_fap22": "G", "code_fap86": "G1X", "code_fap228": "G1X72", "code_fap341": "G1X72a"},
        {"code_fap22": "G", "code_fap86": "G0A", "code_fap228": "G0A40", "code_fap341": "G0A40b"},
        {"code_fap22": "E", "code_fap86": "E2X", "code_fap228": "E2X40", "code_fap341": "E2X40"}])


@pytest.fixture
def marche(referentiel, inserer, construire, con):
    inserer("brut.offres_ft", [
        # A1 and A2: same employer, occupation and commune, 10 days apart -> A2 is a repost
        _offre("A1", "I1304", "21231", 2, entreprise_nom="Labo X", type_contrat="CDI", temps_plein=True,
               qualification_code="7",
               salaire_min_mensuel=2000.0, salaire_max_mensuel=2400.0, offres_manque_candidats=True,
               date_actualisation=datetime(2025, 3, 12)),
        _offre("A2", "I1304", "21231", 12, entreprise_nom="Labo X", type_contrat="CDD", duree_contrat_mois=3.0,
               temps_plein=True, offres_manque_candidats=False, date_actualisation=datetime(2025, 3, 12),
               qualification_code="8"),
        _offre("A3", "I1326", "21054", 20, entreprise_nom="Maintenance Y", type_contrat="MIS",
               salaire_min_mensuel=1800.0, date_actualisation=datetime(2025, 3, 24), qualification_code="7"),
        _offre("C1", "H2301", "21231", 5, entreprise_nom="Chimie Z", type_contrat="CDI"),
        _offre("C2", "H2301", "21617", 6, entreprise_nom="Chimie Z", type_contrat="CDI"),
    ])
    inserer("brut.offres_fichier", [
        {"plateforme": "emploi-bfc", "offre_id": "B1", "intitule": "Technicien", "rome_code": "I1304",
         "commune_insee": "21231", "date_creation": date(2025, 3, 3)}])
    # the board offer B1 is the same vacancy as A1
    inserer("ml.doublons", [{"source": "france-travail", "offre_id": "A1", "doublon_de": "g1"},
                            {"source": "emploi-bfc", "offre_id": "B1", "doublon_de": "g1"}])
    inserer("brut.demandeurs_stat", [
        _stat("I1304", "DEP", "21", "A", 20, 8, None), _stat("I1304", "DEP", "21", "ABC", 30, None, 6),
        _stat("H2301", "DEP", "21", "A", 2, 1, None), _stat("H2301", "DEP", "21", "ABC", 3, None, 3),
        _stat("K2402", "DEP", "21", "A", 10, 5, None), _stat("K2402", "DEP", "21", "ABC", 12, None, 2),
        _stat("I1304", "BASSIN", "2715", "A", 5, None, None), _stat("I1304", "BASSIN", "2716", "A", 15, None, None),
    ])
    passage(inserer)
    inserer("brut.bmo", [
        {"annee": 2024, "code_fap": "G1X72", "dept": "21", "reg": "27", "bassin": "2715", "projets": 34,
         "projets_difficiles": 34},
        {"annee": 2024, "code_fap": "G1X72", "dept": "21", "reg": "27", "bassin": "2716", "projets": 10,
         "projets_difficiles": None},  # masked "*": left out of both sums
        {"annee": 2024, "code_fap": "E2X40", "dept": "21", "reg": "27", "bassin": "2715", "projets": 10,
         "projets_difficiles": 2},
        # technicians' offers (levels 7-8) are not workers' ones (G0A40): left out of I1304
        {"annee": 2024, "code_fap": "G0A40", "dept": "21", "reg": "27", "bassin": "2715", "projets": 50,
         "projets_difficiles": 10},
    ])
    construire()

    def ligne(code, niveau_territoire="departement", territoire="21", niveau_code="rome3", type_periode="mois",
              periode="2025-03"):
        return con.execute(
            'select * from "analyse".tension_marche where niveau_code = ? and code = ? and niveau_territoire = ? '
            "and code_territoire = ? and type_periode = ? and periode = ?",
            [niveau_code, code, niveau_territoire, territoire, type_periode, periode]).df().iloc[0]

    return ligne


def test_offres_dedoublonnees_et_flux(marche):
    i = marche("I1304")
    # A1+B1 (one vacancy), A2, A3 (I1326 -> parent I1304)
    assert (i.offres, i.postes) == (3, 3)
    assert (i.demandeurs_a, i.demandeurs_abc, i.entrees_a, i.sorties_abc) == (20, 30, 8, 6)
    assert i.ratio_tension == pytest.approx(3 / 8)
    assert i.demandeurs_par_offre == pytest.approx(20 / 3)
    assert i.taux_ecoulement == pytest.approx(6 / 30)
    # 4.0 level: only A1+B1 and A2 are coded I1304 itself; no jobseeker statistics there
    quatre = marche("I1304", niveau_code="rome4")
    assert quatre.offres == 2 and quatre.demandeurs_a != quatre.demandeurs_a  # NaN


def test_bmo_masque_exclu_et_annee_la_plus_recente(marche):
    i = marche("I1304")
    assert (i.annee_bmo, i.projets_bmo, i.part_difficile_bmo) == (2024, 34, 1.0)  # 34 of 34, masked cell out
    assert marche("H2301").part_difficile_bmo == pytest.approx(0.2)
    assert marche("K2402").part_difficile_bmo != marche("K2402").part_difficile_bmo  # NaN: no survey row


def test_famille_bmo_selon_la_qualification(referentiel, inserer, construire, con):
    # Dijon (2715): one worker's offer (level 5 -> G0A40b); Beaune (2716): one without a
    # qualification (the passage's level 0 -> G0A40b too) and one technician's (7 -> G1X72a)
    inserer("brut.offres_ft", [_offre("Q5", "I1304", "21231", 2, qualification_code="5"),
                               _offre("Q0", "I1304", "21054", 3),
                               _offre("Q7", "I1326", "21054", 4, qualification_code="7")])
    passage(inserer)
    inserer("brut.bmo", [
        {"annee": 2024, "code_fap": "G1X72", "dept": "21", "reg": "27", "bassin": "2715", "projets": 34,
         "projets_difficiles": 34},
        {"annee": 2024, "code_fap": "G1X72", "dept": "21", "reg": "27", "bassin": "2716", "projets": 8,
         "projets_difficiles": 6},
        {"annee": 2024, "code_fap": "G0A40", "dept": "21", "reg": "27", "bassin": "2715", "projets": 50,
         "projets_difficiles": 10},
        {"annee": 2024, "code_fap": "G0A40", "dept": "21", "reg": "27", "bassin": "2716", "projets": 12,
         "projets_difficiles": 4},
        {"annee": 2024, "code_fap": "G1X72", "dept": "71", "reg": "27", "bassin": "2709", "projets": 7,
         "projets_difficiles": 7},
    ])
    construire()
    bmo = {(n, c, t): (p, d) for n, c, t, p, d in con.execute(
        "select niveau_code, code, code_territoire, projets_bmo, part_difficile_bmo from \"analyse\".tension_marche "
        "where type_periode = 'mois'").fetchall()}
    assert bmo["rome3", "I1304", "2715"] == (50, pytest.approx(10 / 50))  # G0A40 only
    assert bmo["rome3", "I1304", "2716"] == (20, pytest.approx((6 + 4) / 20))  # G0A40 + G1X72, pooled
    assert bmo["rome3", "I1304", "21"] == (104, pytest.approx((34 + 6 + 10 + 4) / 104))  # both, every basin
    assert bmo["rome4", "I1304", "2716"] == (12, pytest.approx(4 / 12))  # Q0 alone: level 0 -> G0A40
    assert bmo["rome4", "I1326", "2716"] == (8, pytest.approx(6 / 8))  # Q7 alone: G1X72


def test_score_z_et_niveau(marche):
    lignes = {c: marche(c) for c in ("I1304", "H2301", "K2402")}
    ratios = {"I1304": 3 / 8, "H2301": 2 / 1, "K2402": 0 / 5}
    ecoulements = {"I1304": 6 / 30, "H2301": 3 / 3, "K2402": 2 / 12}
    bmo = {"I1304": 1.0, "H2301": 0.2}

    def z(valeurs, code):
        return (valeurs[code] - mean(valeurs.values())) / stdev(valeurs.values())

    i = lignes["I1304"]
    assert i.z_ratio == pytest.approx(z(ratios, "I1304"))
    assert i.z_ecoulement == pytest.approx(z(ecoulements, "I1304"))
    assert i.z_bmo == pytest.approx(z(bmo, "I1304"))  # (1.0 - 0.6) / 0.5657 = 0.7071
    attendu = 0.3 * z(ratios, "I1304") + 0.2 * z(ecoulements, "I1304") + 0.5 * z(bmo, "I1304")
    assert i.score_tension == pytest.approx(attendu)
    assert list(i.composantes) == ["ratio_tension", "taux_ecoulement", "part_difficile_bmo"]
    # K2402 has no BMO row: the weights are renormalised over the two components present
    k = lignes["K2402"]
    assert k.score_tension == pytest.approx((0.3 * z(ratios, "K2402") + 0.2 * z(ecoulements, "K2402")) / 0.5)
    assert list(k.composantes) == ["ratio_tension", "taux_ecoulement"]
    # cut-offs -0.84 / -0.25 / 0.25 / 0.84 (config/parametres.toml)
    niveaux = {c: 1 + sum(lignes[c].score_tension >= s for s in (-0.84, -0.25, 0.25, 0.84)) for c in lignes}
    assert {c: int(lignes[c].niveau_tension) for c in lignes} == niveaux
    # by hand: I1304 0.3(-0.392) + 0.2(-0.542) + 0.5(0.707) = 0.128; H2301 0.3(1.137) + 0.2(1.154)
    # + 0.5(-0.707) = 0.218; K2402 (0.3(-0.745) + 0.2(-0.612)) / 0.5 = -0.692
    assert [round(lignes[c].score_tension, 3) for c in ("I1304", "H2301", "K2402")] == [0.128, 0.218, -0.692]
    assert niveaux == {"I1304": 3, "H2301": 3, "K2402": 2}


def test_indicateurs_complementaires(marche):
    i = marche("I1304")
    # A1 CDI full time is durable; A2 (CDD of 3 months) and A3 (temporary work) are not
    assert i.part_non_durable == pytest.approx(2 / 3)
    assert i.part_salaire_affiche == pytest.approx(2 / 3)
    assert i.salaire_median == pytest.approx((2200 + 1800) / 2)  # midpoints 2200 (A1) and 1800 (A3)
    assert i.part_manque_candidats == pytest.approx(1 / 2)  # A1 yes, A2 no, A3 unknown
    assert i.duree_publication_mediane_jours == 4  # 10, 0 and 4 days
    assert i.taux_republication == pytest.approx(1 / 3)  # A2 reposts A1 within 90 days


def test_indice_de_duncan(marche):
    # offers: 2 in basin 2715 (A1, A2), 1 in 2716 (A3); jobseekers A: 5 and 15
    attendu = 0.5 * (abs(2 / 3 - 5 / 20) + abs(1 / 3 - 15 / 20))
    assert marche("I1304").inadequation_geographique == pytest.approx(attendu)  # 0.41667


def test_trimestre_et_annee(marche):
    # one month of data: the quarter's mean stock and flows are the month's
    t = marche("I1304", type_periode="trimestre", periode="2025-T1")
    assert (t.offres, t.demandeurs_a, t.entrees_a) == (3, 20, 8)
    assert marche("I1304", niveau_territoire="bassin", territoire="2715").offres == 2


def test_meme_jour_le_meme_choix_a_chaque_construction(referentiel, inserer, construire, con):
    """Ties on the day are broken by source then id, never by the order rows are read in."""
    minuit = datetime(2025, 3, 3)
    inserer("brut.offres_ft", [
        # V1 is posted the same day on France Travail in Dijon (basin 2715) and on the board
        # in Beaune (basin 2716): the board's posting comes first ('emploi-bfc' < 'france-travail')
        _offre("V1", "I1304", "21231", 3, date_creation=minuit),
        # W1 and W2: one employer, same day, same commune, two 4.0 codes of parent I1304;
        # W2 comes after W1 (by id), so W2 is the repost
        _offre("W1", "I1304", "21617", 10, entreprise_nom="Labo X"),
        _offre("W2", "I1326", "21617", 10, entreprise_nom="Labo X"),
    ])
    inserer("brut.offres_fichier", [
        {"plateforme": "emploi-bfc", "offre_id": "B1", "intitule": "Technicien", "rome_code": "I1304",
         "commune_insee": "21054", "date_creation": date(2025, 3, 3)}])
    inserer("ml.doublons", [{"source": "france-travail", "offre_id": "V1", "doublon_de": "v"},
                            {"source": "emploi-bfc", "offre_id": "B1", "doublon_de": "v"}])
    construire()
    lignes = con.execute("""
        select niveau_code, code, niveau_territoire, code_territoire, offres, taux_republication
        from "analyse".tension_marche
        where type_periode = 'mois' and periode = '2025-03' and niveau_territoire in ('bassin', 'departement')
          and niveau_code in ('rome3', 'rome4')
        order by all""").fetchall()
    assert lignes == [
        ("rome3", "I1304", "bassin", "2715", 2, 0.5),  # W1, W2 (Talant)
        ("rome3", "I1304", "bassin", "2716", 1, 0.0),  # V1 + B1 (Beaune, as B1)
        ("rome3", "I1304", "departement", "21", 3, pytest.approx(1 / 3)),
        ("rome4", "I1304", "bassin", "2715", 1, 0.0),  # W1
        ("rome4", "I1304", "bassin", "2716", 1, 0.0),
        ("rome4", "I1304", "departement", "21", 2, 0.0),
        ("rome4", "I1326", "bassin", "2715", 1, 1.0),  # W2, the repost
        ("rome4", "I1326", "departement", "21", 1, 1.0),
    ]


def test_noms_des_territoires_de_l_api_marche_du_travail(referentiel, inserer, construire, con):
    """A territory the BMO survey does not name takes the name the « Marché du travail » API
    gives it; where both name it, the survey's spelling (on more rows) wins."""
    base = {"code_indicateur": "ED_STOCK_A", "type_activite": "ROME", "code_activite": "I1304",
            "type_periode": "MOIS", "code_periode": "2025-01", "valeur_nombre": 10.0}
    inserer("brut.stat_marche", [
        base | {"type_territoire": "DEP", "code_territoire": "71", "lib_territoire": "Saône-et-Loire"},
        base | {"type_territoire": "REG", "code_territoire": "27", "lib_territoire": "Bourgogne-Franche-Comté"},
        base | {"type_territoire": "DEP", "code_territoire": "21", "lib_territoire": "Cote d'Or"}])
    inserer("brut.bmo", [{"annee": 2025, "code_fap": fap, "reg": "27", "nom_reg": "Bourgogne-Franche-Comté",
                          "dept": "21", "nom_dept": "Côte-d'Or", "bassin": "2715", "nom_bassin": "DIJON",
                          "projets": 10, "projets_difficiles": 5} for fap in ("G1X72", "G0A40")])
    construire()
    assert con.execute("""select niveau_territoire, code_territoire, libelle from "analyse".territoires
        where niveau_territoire <> 'bassin' order by all""").fetchall() == [
        ("departement", "21", "Côte-d'Or (21)"), ("departement", "71", "Saône-et-Loire (71)"),
        ("region", "27", "Bourgogne-Franche-Comté")]
