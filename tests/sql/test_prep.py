"""The prep models on tiny hand-made raw rows; every expected value is worked out by hand
below. ML-derived columns (predicted ROME codes, duplicate clusters) are left to the
analyse tests: they do not belong to prep."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from flows.transformation import construire_couche


@pytest.fixture
def prep(con):
    """Rebuild the prep layer only; returns a query helper (rows sorted)."""

    def _prep(requete: str) -> list[tuple]:
        chemin = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
        construire_couche.fn("prep", chemin)
        return con.execute(requete).fetchall()

    return _prep


def test_bmo_cellule_masquee_hors_des_sommes(inserer, prep):
    def ligne(bassin, dept, projets, difficiles):
        return {"annee": 2024, "code_fap": "G1X72", "libelle_fap": "Techniciens", "reg": "27", "dept": dept,
                "bassin": bassin, "projets": projets, "projets_difficiles": difficiles}

    inserer("brut.bmo", [ligne("2715", "21", 30, 12), ligne("2716", "21", 10, None), ligne("2709", "71", 20, 15)])
    assert prep("select niveau_territoire, code_territoire, annee, code_fap, libelle_fap, projets, projets_difficiles, "
                "cellules_masquees, part_difficile from prep.bmo order by all") == [
        ("bassin", "2709", 2024, "G1X72", "Techniciens", 20, 15, 0, 0.75),
        ("bassin", "2715", 2024, "G1X72", "Techniciens", 30, 12, 0, 0.4),
        # masked: unknown, never 0, and no share
        ("bassin", "2716", 2024, "G1X72", "Techniciens", None, None, 1, None),
        ("departement", "21", 2024, "G1X72", "Techniciens", 30, 12, 1, 0.4),
        ("departement", "71", 2024, "G1X72", "Techniciens", 20, 15, 0, 0.75),
        ("region", "27", 2024, "G1X72", "Techniciens", 50, 27, 1, 27 / 50),
    ]


def test_calendrier_periodes_et_precedentes(prep):
    lignes = prep("select type_periode, periode, debut, fin, periode_precedente from prep.calendrier "
                  "where mois = date '2025-02-01' order by all")
    assert lignes == [
        ("annee", "2025", date(2025, 1, 1), date(2025, 12, 31), "2024"),
        ("mois", "2025-02", date(2025, 2, 1), date(2025, 2, 28), "2025-01"),
        ("trimestre", "2025-T1", date(2025, 1, 1), date(2025, 3, 31), "2024-T4"),
    ]
    # 2000-01 to 2040-12: 41 years of 12 months, each in three periods
    assert prep("select count(*), min(mois), max(mois) from prep.calendrier") == [
        (41 * 12 * 3, date(2000, 1, 1), date(2040, 12, 1))]


def test_candidatures_etapes_et_delais(inserer, prep):
    inserer("brut.candidatures", [
        # interviewed, then withdrew
        {"entreprise": "Alpha", "reference_recrutement": "R1", "candidat_hash": "c1", "canal": "jobboard",
         "date_reception": date(2025, 3, 1), "date_preselection": date(2025, 3, 4),
         "date_entretien": date(2025, 3, 10), "date_desistement": date(2025, 3, 12), "motif": "autre offre"},
        # hired: every stage
        {"entreprise": "Alpha", "reference_recrutement": "R1", "candidat_hash": "c2", "canal": "apec",
         "date_reception": date(2025, 3, 2), "date_preselection": date(2025, 3, 2),
         "date_entretien": date(2025, 3, 5), "date_proposition": date(2025, 3, 9),
         "date_embauche": date(2025, 3, 20)},
        # rejected on receipt, channel not given
        {"entreprise": "Alpha", "reference_recrutement": "R2", "candidat_hash": "c3",
         "date_reception": date(2025, 3, 3), "date_refus": date(2025, 3, 6)},
    ])
    assert prep("select reference, candidat_hash, canal, preselectionnee, entretien, proposition, embauchee, "
                "desistement, refusee, etape_avant_issue, delai_preselection_jours, delai_entretien_jours, "
                "delai_proposition_jours, delai_embauche_jours, delai_reception_proposition_jours "
                "from prep.candidatures order by all") == [
        ("R1", "c1", "jobboard", True, True, False, False, True, False, "entretien", 3, 6, None, None, None),
        ("R1", "c2", "apec", True, True, True, True, False, False, "proposition", 0, 3, 4, 11, 7),
        ("R2", "c3", "inconnu", False, False, False, False, False, True, "reception", None, None, None, None, None),
    ]


def test_communes_ligne_de_la_commune_et_bassin(inserer, prep):
    def commune(insee, nom, type_, lat, lng, population, dep="21", reg="27"):
        return {"insee_com": insee, "code_postal": "21000", "insee_reg": reg, "insee_dep": dep, "commune": nom,
                "commune_type": type_, "lat": lat, "lng": lng, "population_2021": population}

    inserer("brut.communes", [
        # a merged former commune first, then the commune's own row: the latter names it
        commune("21231", "Ancienne", "COMD", 1.0, 2.0, 100),
        commune("21231", "Dijon", "COM", 47.3, 5.0, 159000),
        commune("21999", "Sans-Bassin", "COM", None, None, None),
    ])
    inserer("brut.bassins_bmo", [{"code_commune_insee": "21231", "code_bassin": "2715", "lib_bassin": "DIJON"}])
    assert prep("select * from prep.communes order by all") == [
        ("21231", "Dijon", "21", "27", "2715", "DIJON", 47.3, 5.0, 159000),
        ("21999", "Sans-Bassin", "21", "27", None, None, None, None, None),
    ]


def test_demandeurs_codes_4_0_dans_leur_famille(referentiel, inserer, prep):
    def stat(rome, type_territoire, code, type_periode, periode, debut, categorie, demandeurs, entrees, sorties):
        return {"code_rome": rome, "type_territoire": type_territoire, "code_territoire": code,
                "type_periode": type_periode, "periode": periode, "date_debut": debut, "categorie": categorie,
                "demandeurs": demandeurs, "entrees": entrees, "sorties": sorties}

    inserer("brut.demandeurs_stat", [
        # I1326 counts in its v3 family I1304: 20 + 4; a masked cell stays NULL
        stat("I1304", "DEP", "21", "MOIS", "2025-03", date(2025, 3, 1), "A", 20, 5, None),
        stat("I1326", "DEP", "21", "MOIS", "2025-03", date(2025, 3, 1), "A", 4, None, None),
        stat("H2301", "BASSIN", "2715", "TRIMESTRE", "2025-T1", date(2025, 1, 1), "ABC", 7, 1, 2),
        # a code absent from the referential is kept as it is
        stat("Z9999", "REG", "27", "MOIS", "2025-03", date(2025, 3, 1), "A", 3, None, 1),
    ])
    assert prep("select * from prep.demandeurs order by all") == [
        ("H2301", "bassin", "2715", "trimestre", date(2025, 1, 1), "ABC", 7, 1, 2),
        ("I1304", "departement", "21", "mois", date(2025, 3, 1), "A", 24, 5, None),
        ("Z9999", "region", "27", "mois", date(2025, 3, 1), "A", 3, None, 1),
    ]


def test_libelles_fap_periode_la_plus_recente(inserer, prep):
    inserer("brut.dares_salaires", [
        {"fap": "G1Z70", "periode": "2014-2016", "libelle_fap": "Ancien libellé"},
        {"fap": "G1Z70", "periode": "2017-2019", "libelle_fap": "Techniciens de la maintenance"},
        {"fap": "G1Z", "periode": "2017-2019", "libelle_fap": None},  # no label: no row
    ])
    assert prep("select * from prep.libelles_fap") == [("G1Z70", "Techniciens de la maintenance")]


def test_noms_territoires_orthographe_la_plus_frequente(inserer, prep):
    bmo = {"annee": 2024, "code_fap": "G1X72", "reg": "27", "nom_reg": "Bourgogne-Franche-Comté", "dept": "21",
           "nom_dept": "Côte-d'Or", "bassin": "2715", "nom_bassin": "DIJON"}
    inserer("brut.bmo", [bmo, bmo | {"code_fap": "E2X40"}])
    inserer("brut.bassins_bmo", [{"code_commune_insee": "21617", "code_bassin": "2716", "lib_bassin": "BEAUNE"}])
    # the API spells the département once otherwise: twice « Côte-d'Or » wins
    inserer("brut.stat_marche", [
        {"code_indicateur": "x", "type_territoire": "DEP", "code_territoire": "21", "lib_territoire": "Cote d'Or",
         "type_activite": "ROME", "code_activite": "I1304", "type_periode": "ANNEE", "code_periode": "2024"},
        {"code_indicateur": "x", "type_territoire": "NAT", "code_territoire": "FR", "lib_territoire": "France",
         "type_activite": "ROME", "code_activite": "I1304", "type_periode": "ANNEE", "code_periode": "2024"}])
    assert prep("select * from prep.noms_territoires order by all") == [
        ("bassin", "2715", "Dijon"),
        ("bassin", "2716", "Beaune"),
        ("departement", "21", "Côte-d'Or"),
        ("region", "27", "Bourgogne-Franche-Comté"),
    ]


def test_profils_famille_territoire_et_experience(referentiel, inserer, prep):
    inserer("brut.profils_demandeurs", [
        {"demandeur_hash": "d1", "mois": date(2025, 3, 1), "code_rome": "I1326", "commune_insee": "21231",
         "categorie": "A", "niveau_diplome": 5, "experience_annees": 2.5, "permis_b": True,
         "rayon_mobilite_km": 30.0}])
    assert prep("select * from prep.profils") == [
        ("d1", date(2025, 3, 1), "I1304", "21231", "21", "27", 47.33187, 5.03222, "A", 5, 30.0, True, 30.0)]


def test_recrutements_delais_et_valeurs_par_defaut(referentiel, inserer, prep):
    inserer("brut.recrutements", [
        {"entreprise": "Alpha", "reference": "R1", "commune_site": "21231", "code_rome": "I1304",
         "date_ouverture": date(2025, 1, 10), "date_cloture": date(2025, 2, 9), "statut": "pourvu",
         "nombre_postes": 2, "salaire_affiche": True, "salaire_min_mensuel": 2000.0, "salaire_max_mensuel": 2400.0,
         "canaux": ["apec", "jobboard"], "description": "abcde", "competences": ["soudure"]},
        # still open: its duration runs to the last date the records mention (R3's closing)
        {"entreprise": "Alpha", "reference": "R2", "commune_site": "21054", "code_rome": "I1326",
         "date_ouverture": date(2025, 3, 1), "statut": "ouvert", "salaire_min_mensuel": 1800.0},
        {"entreprise": "Beta", "reference": "R3", "commune_site": "71270", "code_rome": "H2301",
         "date_ouverture": date(2025, 2, 1), "date_cloture": date(2025, 3, 15), "statut": "abandonne"},
    ])
    assert prep("select entreprise, reference, departement, region, bassin, delai_pourvoi_jours, duree_jours, "
                "nombre_postes, salaire_affiche, salaire_mensuel, canaux, nb_canaux, longueur_description, "
                "competences, nb_competences from prep.recrutements order by all") == [
        ("Alpha", "R1", "21", "27", "2715", 30, 30, 2, True, 2200.0, ["apec", "jobboard"], 2, 5, ["soudure"], 1),
        ("Alpha", "R2", "21", "27", "2716", None, 14, 1, False, 1800.0, [], 0, None, [], 0),
        ("Beta", "R3", "71", "27", "2709", None, 42, 1, False, None, [], 0, None, [], 0),
    ]


def test_rome_fap_sans_doublon_ni_code_absent(inserer, prep):
    inserer("brut.dares_fap_rome", [{"fap": "G1Z70", "rome_code": "I1304"}, {"fap": "G1Z70", "rome_code": "I1304"},
                                    {"fap": "G1Z70", "rome_code": "I1310"}, {"fap": "X0Z00", "rome_code": None}])
    assert prep("select * from prep.rome_fap order by all") == [
        ("fap2009", "I1304", "G1Z70"), ("fap2009", "I1310", "G1Z70")]


def test_rome_qualif_fap_famille_fap228(inserer, prep):
    inserer("brut.rome_qualif_fap2021", [
        {"code_rome": "I1304", "qualification": "7", "code_fap341": "G1X72a"},
        # absent from the nomenclature: its FAP228 is its first five characters, with no label
        {"code_rome": "H2301", "qualification": "0", "code_fap341": "E2X40z"}])
    inserer("brut.fap2021", [{"code_fap22": "G", "code_fap86": "G1X", "code_fap228": "G1X72",
                              "intitule_fap228": "Techniciens de la maintenance", "code_fap341": "G1X72a"}])
    assert prep("select * from prep.rome_qualif_fap order by all") == [
        ("H2301", "0", "E2X40z", "E2X40", None),
        ("I1304", "7", "G1X72a", "G1X72", "Techniciens de la maintenance"),
    ]


def test_rome_parent_et_son_libelle(referentiel, inserer, prep):
    inserer("brut.rome_codes", [{"code_rome": "M1607", "libelle_rome": "Secrétaire"}])  # no parent given: itself
    assert prep("select * from prep.rome order by all") == [
        ("H2301", "Conducteur de ligne", "H2301", "Conducteur de ligne"),
        ("I1304", "Technicien de maintenance industrielle", "I1304", "Technicien de maintenance industrielle"),
        ("I1326", "Responsable d'équipe maintenance", "I1304", "Technicien de maintenance industrielle"),
        ("K2402", "Chercheur", "K2402", "Chercheur"),
        ("M1607", "Secrétaire", "M1607", "Secrétaire"),
    ]


def test_offres_territoire_diplome_et_competences(referentiel, inserer, prep):
    def ft(oid, commune, lieu, **autres):
        return {"offre_id": oid, "intitule": f"Offre {oid}", "commune_insee": commune, "lieu_libelle": lieu,
                "date_creation": datetime(2025, 3, 1), "_version": datetime(2025, 3, 1)} | autres

    inserer("brut.offres_ft", [
        ft("F1", "21054", "21 - Beaune", salaire_libelle="Mensuel de 2000 Euros", description="abc",
           date_actualisation=datetime(2025, 3, 11), qualification_code="7"),
        ft("F2", None, "71 - Saône-et-Loire"),  # no commune: the département of the place's label
        ft("F3", "97411", "974 - Saint-Denis"),  # overseas: three digits, a region no commune here names
    ])
    inserer("brut.offres_ft_formations", [
        # a required level wins over a lower wished one; else the lowest wished one
        {"offre_id": "F1", "rang": 1, "niveau_libelle": "Bac+2 ou équivalents", "exigence": "E"},
        {"offre_id": "F1", "rang": 2, "niveau_libelle": "CAP, BEP et équivalents", "exigence": "S"},
        {"offre_id": "F2", "rang": 1, "niveau_libelle": "Bac+5 et plus ou équivalents", "exigence": "S"},
        {"offre_id": "F2", "rang": 2, "niveau_libelle": "Aucune formation scolaire", "exigence": "S"}])
    inserer("brut.offres_ft_competences", [{"offre_id": "F1", "rang": r, "libelle": f"c{r}"} for r in (1, 2)])
    inserer("brut.offres_fichier", [
        {"plateforme": "emploi-bfc", "offre_id": "B1", "intitule": "Technicien", "commune_insee": "21231",
         "date_creation": date(2025, 3, 3), "salaire_min_mensuel": 1800.0, "niveau_diplome": 4}])
    assert prep("select source, offre_id, departement, region, bassin, salaire_affiche, niveau_diplome, "
                "qualification_code, nb_competences, longueur_description, duree_publication_jours, date_creation "
                "from prep.offres order by all") == [
        ("emploi-bfc", "B1", "21", "27", "2715", True, 4, None, None, None, None, datetime(2025, 3, 3)),
        ("france-travail", "F1", "21", "27", "2716", True, 5, "7", 2, 3, 10, datetime(2025, 3, 1)),
        ("france-travail", "F2", "71", "27", None, False, 2, None, 0, None, None, datetime(2025, 3, 1)),
        ("france-travail", "F3", "974", None, None, False, None, None, 0, None, None, datetime(2025, 3, 1)),
    ]
