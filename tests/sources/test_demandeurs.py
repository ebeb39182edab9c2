"""Market statistics: "Marché du travail" API responses (built from the documented format,
no real response being saved) and the documented CSV."""

from __future__ import annotations

import json
from datetime import date

from tests.conftest import rejets

ROME = [("I1304", "Technicien / Technicienne de maintenance industrielle"),
        ("H2301", "Conducteur / Conductrice de ligne en industrie chimique")]
ENTETE = "code_rome;type_territoire;code_territoire;type_periode;periode;categorie;demandeurs;entrees;sorties\n"


def _referentiel_rome(con) -> None:
    """A two-code ROME referential, so that other codes are unknown."""
    for code, libelle in ROME:
        con.execute("insert into brut.rome_codes (code_rome, libelle_rome, _fichier, _sha256, _charge_le) "
                    "values (?, ?, 'test', 'test', now()::timestamp)", [code, libelle])


def _valeur(**champs) -> dict:
    """One element of listeValeursParPeriode: jobseekers in category A, region 27, 2025-T1."""
    return {"codeTypeTerritoire": "REG", "codeTerritoire": "27", "libTerritoire": "Bourgogne-Franche-Comté",
            "codeTypeActivite": "ROME", "codeActivite": "I1304",
            "libActivite": "Technicien / Technicienne de maintenance industrielle",
            "codeNomenclature": "CATCAND", "libNomenclature": "Catégorie A",
            "codeTypePeriode": "TRIMESTRE", "codePeriode": "2025T1", "libPeriode": "1er trimestre 2025",
            "valeurPrincipaleNombre": 1250, "datMaj": "2025-04-30"} | champs


def _reponse(tmp_path, valeurs, nom="stat-demandeurs.json", **document):
    chemin = tmp_path / nom
    chemin.write_text(json.dumps({"codeIndicateur": "DE_1", "libIndicateur": "Demandeurs d'emploi",
                                  "datMaj": "2025-05-02", "listeValeursParPeriode": valeurs} | document,
                                 ensure_ascii=False), encoding="utf-8")
    return chemin


def _stat_marche(con) -> list[tuple]:
    return con.execute(
        "select code_indicateur, lib_indicateur, type_territoire, code_territoire, lib_territoire, "
        "type_activite, code_activite, code_nomenclature, type_periode, code_periode, valeur_nombre, "
        "valeur_taux, valeur_rang, date_maj, caracteristiques_json, _chemin_json "
        "from brut.stat_marche order by _chemin_json").fetchall()


def test_reponse_api_une_ligne_par_valeur(tmp_path, con, charger):
    caracteristiques = [{"codeTypeCaract": "GENRE", "codeCaract": "F", "libCaract": "Femmes",
                         "nombre": 150, "pourcentage": 12.0}]
    chemin = _reponse(tmp_path, [
        _valeur(listeValeurParCaract=caracteristiques),
        _valeur(codeNomenclature="ABC", libNomenclature="Catégories A, B, C", valeurPrincipaleNombre="2 310,0",
                datMaj=None),
    ])
    (bilan,) = charger("demandeurs", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (2, 2, 0)
    assert _stat_marche(con) == [
        ("DE_1", "Demandeurs d'emploi", "REG", "27", "Bourgogne-Franche-Comté", "ROME", "I1304", "CATCAND",
         "TRIMESTRE", "2025T1", 1250.0, None, None, "2025-04-30",
         '[{"codeTypeCaract": "GENRE", "codeCaract": "F", "libCaract": "Femmes", "nombre": 150, '
         '"pourcentage": 12.0}]', "listeValeursParPeriode[0]"),
        # no datMaj on the value: the response's
        ("DE_1", "Demandeurs d'emploi", "REG", "27", "Bourgogne-Franche-Comté", "ROME", "I1304", "ABC",
         "TRIMESTRE", "2025T1", 2310.0, None, None, "2025-05-02", None, "listeValeursParPeriode[1]"),
    ]


def test_perspective_employeur_rang_et_taux(tmp_path, con, charger):
    sans_nombre = {k: v for k, v in _valeur().items() if k != "valeurPrincipaleNombre"}
    chemin = _reponse(tmp_path, [
        sans_nombre | {"codeNomenclature": "PERSPECTIVE", "valeurPrincipaleTaux": 0.82},
        sans_nombre | {"codeNomenclature": "MAIN_OEUVRE", "valeurPrincipaleRang": 4},
    ], codeIndicateur="PERSP_2")
    charger("demandeurs", chemin)
    assert con.execute("select code_indicateur, code_nomenclature, valeur_nombre, valeur_taux, valeur_rang "
                       "from brut.stat_marche order by code_nomenclature").fetchall() == [
        ("PERSP_2", "MAIN_OEUVRE", None, None, 4),
        ("PERSP_2", "PERSPECTIVE", None, 0.82, None),
    ]


def test_reponse_api_valeurs_fautives_en_quarantaine(tmp_path, con, charger):
    _referentiel_rome(con)
    chemin = _reponse(tmp_path, [
        _valeur(),
        _valeur(codeTerritoire=None),
        _valeur(codeActivite="H9999"),
        _valeur(valeurPrincipaleNombre="beaucoup"),
        _valeur(valeurPrincipaleNombre=1300),  # same key as [0]
        "pas un objet",
    ])
    (bilan,) = charger("demandeurs", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (6, 1, 5)
    assert con.execute("select code_activite, valeur_nombre from brut.stat_marche").fetchall() == [("I1304", 1250.0)]
    assert con.execute("select chemin_json, champ, valeur, motif from controle.rejets order by chemin_json"
                       ).fetchall() == [
        ("listeValeursParPeriode[1]", "codeTerritoire", None, "valeur obligatoire manquante"),
        ("listeValeursParPeriode[2]", "codeActivite", "H9999",
         "code ROME inconnu « H9999 » : absent du référentiel ROME chargé "
         "(chargez le référentiel complet avec « ingerer rome »)"),
        ("listeValeursParPeriode[3]", "valeurPrincipaleNombre", "beaucoup", "nombre illisible « beaucoup »"),
        ("listeValeursParPeriode[4]", "(valeur)", "DE_1 | REG | 27 | ROME | I1304 | CATCAND | TRIMESTRE | 2025T1",
         "valeur en double dans la réponse : même territoire, activité, nomenclature et période que "
         "listeValeursParPeriode[0]"),
        ("listeValeursParPeriode[5]", "(valeur)", "pas un objet", "l'élément n'est pas une valeur (objet JSON attendu)"),
    ]


def test_json_d_une_autre_forme_ou_invalide(tmp_path, con, charger):
    autre = tmp_path / "autre.json"
    autre.write_text('{"resultats": []}', encoding="utf-8")
    casse = tmp_path / "casse.json"
    casse.write_text('{"codeIndicateur": "DE_1",\n "listeValeursParPeriode": [}', encoding="utf-8")
    charger("demandeurs", autre, casse)
    assert rejets(con) == [
        ("autre.json", 1, "(fichier)", "réponse de l'API « Marché du travail » attendue : clés « codeIndicateur » "
                                       "et « listeValeursParPeriode » (trouvé : « resultats »)"),
        ("casse.json", 2, "(fichier)", "JSON invalide à la ligne 2, colonne 29 (valeur attendue)"),
    ]


def test_csv_valeurs_exactes(tmp_path, con, charger):
    _referentiel_rome(con)
    chemin = tmp_path / "demandeurs.csv"
    # as French Excel saves it: cp1252, CRLF, an extra column, codes that lost their leading zero
    chemin.write_bytes((
        ENTETE.rstrip("\n") + ";commentaire\r\n"
        "I1304;BASSIN;2715;TRIMESTRE;2025-T1;ABC;412;96;88;Dijon\r\n"
        "i1304;dep;21;mois;2025-03;a;233;*;;Côte-d'Or\r\n"
        "H2301;REG;1;TRIMESTRE;2024t4;A;1 204;0;12;Guadeloupe\r\n"
        "H2301;COMMUNE;1053;MOIS;01/02/2025;A;7;2;3;Bourg-en-Bresse\r\n"
    ).encode("cp1252"))
    (bilan,) = charger("demandeurs", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (4, 4, 0)
    assert bilan.remarques == ("fichier lu en Windows-1252 (encodage non UTF-8 détecté); "
                               "colonne(s) inconnue(s) ignorée(s) : commentaire")
    assert con.execute(
        "select code_rome, type_territoire, code_territoire, type_periode, periode, date_debut, categorie, "
        "demandeurs, entrees, sorties, _ligne from brut.demandeurs_stat order by _ligne").fetchall() == [
        ("I1304", "BASSIN", "2715", "TRIMESTRE", "2025-T1", date(2025, 1, 1), "ABC", 412, 96, 88, 2),
        ("I1304", "DEP", "21", "MOIS", "2025-03", date(2025, 3, 1), "A", 233, None, None, 3),
        ("H2301", "REG", "01", "TRIMESTRE", "2024-T4", date(2024, 10, 1), "A", 1204, 0, 12, 4),
        ("H2301", "COMMUNE", "01053", "MOIS", "2025-02", date(2025, 2, 1), "A", 7, 2, 3, 5),
    ]


def test_csv_lignes_fautives_en_quarantaine(tmp_path, con, charger):
    _referentiel_rome(con)
    chemin = tmp_path / "fautes.csv"
    chemin.write_text(
        ENTETE
        + "I1304;DEP;21;MOIS;2025-03;A;233;10;12\n"      # 2 valid
        + "I1304;DEP;21;MOIS;2025-04;A;-5;10;12\n"       # 3 negative count
        + "H9999;DEP;21;MOIS;2025-03;A;1;1;1\n"          # 4 unknown ROME code
        + "I1304;DEP;21;MOIS;2025-13;A;1;1;1\n"          # 5 bad month
        + "I1304;DEP;21;TRIMESTRE;2025-T5;A;1;1;1\n"     # 6 bad quarter
        + "I1304;CANTON;21;MOIS;2025-03;B;1;1;1\n"       # 7 unknown territory type and category
        + "I1304;BASSIN;27150;MOIS;2025-03;A;1;1;1\n"    # 8 malformed basin
        + "I1304;DEP;21;MOIS;2025-03;A;240;10;12\n"      # 9 duplicate of line 2
        + "H2301;REG;27;MOIS;2025-03;ABC;15;2,5;1\n",    # 10 fractional count
        encoding="utf-8")
    (bilan,) = charger("demandeurs", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (9, 1, 8)
    assert con.execute("select code_rome, periode, demandeurs from brut.demandeurs_stat").fetchall() == [
        ("I1304", "2025-03", 233)]
    assert rejets(con) == [
        ("fautes.csv", 3, "demandeurs", "effectif négatif « -5 »"),
        ("fautes.csv", 4, "code_rome", "code ROME inconnu « H9999 » : absent du référentiel ROME chargé "
                                       "(chargez le référentiel complet avec « ingerer rome »)"),
        ("fautes.csv", 5, "periode", "mois illisible « 2025-13 » (mois entre 01 et 12 attendu)"),
        ("fautes.csv", 6, "periode", "trimestre illisible « 2025-T5 » (attendu aaaa-Tn, ex. 2025-T1)"),
        ("fautes.csv", 7, "categorie", "valeur inconnue « B » (valeurs possibles : A, ABC)"),
        ("fautes.csv", 7, "type_territoire",
         "valeur inconnue « CANTON » (valeurs possibles : COMMUNE, BASSIN, DEP, REG)"),
        ("fautes.csv", 8, "code_territoire", "code de bassin d'emploi mal formé « 27150 » (4 chiffres attendus)"),
        ("fautes.csv", 9, "code_rome, type_territoire, code_territoire, type_periode, periode, categorie",
         "ligne en double dans le fichier : même code_rome, type_territoire, code_territoire, type_periode, "
         "periode, categorie que la ligne 2"),
        ("fautes.csv", 10, "entrees", "effectif non entier « 2,5 »"),
    ]


def test_csv_colonne_manquante(tmp_path, con, charger):
    chemin = tmp_path / "incomplet.csv"
    chemin.write_text("code_rome;type_territoire;code_territoire;type_periode;periode;demandeurs;entrees;sorties\n"
                      "I1304;DEP;21;MOIS;2025-03;233;10;12\n", encoding="utf-8")
    (bilan,) = charger("demandeurs", chemin)
    assert (bilan.nouvelles, bilan.rejetees) == (0, 1)
    assert rejets(con) == [(
        "incomplet.csv", 1, "categorie",
        "colonne(s) obligatoire(s) absente(s) : categorie (en-tête lu : 8 colonnes ; reconnue(s) : code_rome, type_territoire, "
        "code_territoire, type_periode, periode, demandeurs, entrees, sorties)")]


def test_csv_ligne_mal_encodee(tmp_path, con, charger):
    chemin = tmp_path / "melange.csv"
    # UTF-8 file with one line pasted from a Windows-1252 source
    chemin.write_bytes(
        (ENTETE.rstrip("\n") + ";commentaire\n").encode()
        + "I1304;DEP;21;MOIS;2025-03;A;233;10;12;Côte-d'Or\n".encode()
        + "I1304;DEP;21;MOIS;2025-04;A;240;11;13;Côte-d'Or\n".encode("cp1252"))
    (bilan,) = charger("demandeurs", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (2, 1, 1)
    assert con.execute("select periode from brut.demandeurs_stat").fetchall() == [("2025-03",)]
    assert rejets(con) == [("melange.csv", 3, "(ligne)", "encodage invalide : octet 0xF4 non UTF-8 en colonne 40 "
                                                         "(réenregistrez le fichier en UTF-8)")]


def test_recharger_les_memes_fichiers_ne_change_rien(tmp_path, con, charger):
    csv_ = tmp_path / "demandeurs.csv"
    csv_.write_text(ENTETE + "I1304;DEP;21;MOIS;2025-03;A;233;10;12\nI1304;DEP;21;MOIS;2025-04;A;-1;;\n",
                    encoding="utf-8")
    json_ = _reponse(tmp_path, [_valeur(), _valeur(codePeriode="2025T2")])
    charger("demandeurs", csv_, json_)
    avant = _etat(con)
    encore = charger("demandeurs", csv_, json_)
    assert [(b.nouvelles, b.mises_a_jour, b.inchangees, b.rejetees) for b in encore] == [(0, 0, 1, 1), (0, 0, 2, 0)]
    apres = _etat(con)
    assert [len(x) for x in apres] == [1, 2, 1]
    assert apres == avant


def _etat(con) -> list[list[tuple]]:
    """Raw rows and rejects without their load timestamps."""
    return [con.execute(f"select * exclude ({horodatage}) from {table} order by all").fetchall()  # noqa: S608 (names from the test)
            for table, horodatage in (("brut.demandeurs_stat", "_charge_le"), ("brut.stat_marche", "_charge_le"),
                                      ("controle.rejets", "rejete_le"))]
