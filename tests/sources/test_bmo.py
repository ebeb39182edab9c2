"""BMO survey open data: the real 2024 workbook of ../shared, and malformed workbooks and CSV."""

from __future__ import annotations

import openpyxl

from tests.conftest import rejets

ENTETE = ["annee", "Code métier BMO", "Nom métier BMO", "Famille_met", "Lbl_fam_met", "REG", "NOM_REG", "Dept",
          "NomDept", "BE24", "NOMBE24", "met", "xmet", "smet"]
TECHNICIENS = "Techniciens et agents de maîtrise en maintenance générale et mécanique industrielle"


def _ligne(fap: str, met, xmet, smet, dept: str = "21", bassin=2715.0, annee=2024.0, reg: str = "27") -> list:
    """A row as the published workbook has it: the year and the basin are numbers, the rest text."""
    return [annee, fap, TECHNICIENS, "T", "Autres techniciens et employés", reg, "Bourgogne-Franche-Comté", dept,
            "Côte-d'Or", bassin, "DIJON", met, xmet, smet]


def _classeur(chemin, feuilles: dict[str, list[list]]):
    classeur = openpyxl.Workbook()
    classeur.remove(classeur.active)
    for nom, lignes in feuilles.items():
        feuille = classeur.create_sheet(nom)
        for ligne in lignes:
            feuille.append(ligne)
    classeur.save(chemin)
    return chemin


def _instantane(con) -> list:
    return con.execute("select * exclude (_charge_le) from brut.bmo order by all").fetchall()


def test_bmo_2024_reel(partage, con, charger):
    (bilan,) = charger("bmo", partage / "bmo-2024" / "Base_open_data_BMO_2024.xlsx")
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (53443, 53443, 0)
    # "*" cells counted in the sheet: 10,891 in met, 20,507 in xmet, 39,359 in smet
    assert bilan.remarques == (
        "feuille lue : « BMO_2024_open_data »; 70\u202f757 effectif(s) masqué(s) par le secret statistique (« * ») "
        "ou vide(s) : chargé(s) comme inconnus (NULL), pas comme 0")
    assert con.execute(
        "select count(*) filter (projets is null), count(*) filter (projets_difficiles is null), "
        "count(*) filter (projets_saisonniers is null), count(*) filter (projets = 0) from brut.bmo"
    ).fetchone() == (10891, 20507, 39359, 0)
    assert con.execute(
        "select annee, libelle_fap, reg, dept, nom_bassin, projets, projets_difficiles, projets_saisonniers, _ligne "
        "from brut.bmo where bassin = '2715' and code_fap = 'G1X72'").fetchall() == [
        (2024, TECHNICIENS, "27", "21", "DIJON", 34, 34, None, 19134)]
    # basin 2708 AUTUN spans Côte-d'Or and Saône-et-Loire: one row per département part
    assert con.execute(
        "select dept, projets, projets_difficiles, projets_saisonniers, _ligne from brut.bmo "
        "where bassin = '2708' and code_fap = 'A1X42' order by dept").fetchall() == [
        ("21", 38, 38, 38, 1941), ("71", 576, 235, 558, 1942)]
    # Guadeloupe keeps the leading zero of region "01"; the basin 101.0 of the sheet is "101"
    assert con.execute("select reg, dept from brut.bmo where bassin = '101' and code_fap = 'A0X40'").fetchone() == (
        "01", "971")


def test_autre_annee_autre_feuille_et_fautes_de_ligne(tmp_path, con, charger):
    entete = [c.replace("24", "23") for c in ENTETE]
    fichier = _classeur(tmp_path / "bmo2023.xlsx", {
        "Notice": [["Enquête Besoins en Main-d'Œuvre 2023"], ["Variables", "annee", "met"]],
        "Données 2023": [
            ["Enquête BMO 2023 - données ouvertes"],                           # row 1: title
            [],
            entete,                                                             # row 3: header
            _ligne("G1X72", 34.0, "34", "*", annee=2023.0),                     # 4
            _ligne("A0X40", "95", "31", "44", dept="971", bassin=101.0, annee=2023.0, reg="01"),
            _ligne("G1X70", "-3", "*", "*", annee=2023.0),                      # 6: negative count
            _ligne("G1X71", "10", 2.5, "*", annee=2023.0),                      # 7: not a whole number
            _ligne("G1X73", "10", "*", "n.d.", annee=2023.0),                   # 8: not a number
            _ligne("G1X72", "12", "*", "*", annee=2023.0),                      # 9: same key as row 4
            _ligne("G1X7", "10", "*", "*", annee=2023.0),                       # 10: bad FAP code
            [],                                                                 # 11: empty, skipped
            _ligne("G1X72", "7", "*", "*", dept="71", annee=2023.0),            # 12: other département
        ],
    })
    (bilan,) = charger("bmo", fichier)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (8, 3, 5)
    assert bilan.remarques.startswith("feuille lue : « Données 2023 »; 3 effectif(s) masqué(s)")  # rows 4, 12
    assert con.execute(
        "select annee, code_fap, reg, dept, bassin, projets, projets_difficiles, projets_saisonniers, _ligne "
        "from brut.bmo order by _ligne").fetchall() == [
        (2023, "G1X72", "27", "21", "2715", 34, 34, None, 4),
        (2023, "A0X40", "01", "971", "101", 95, 31, 44, 5),
        (2023, "G1X72", "27", "71", "2715", 7, None, None, 12),
    ]
    assert rejets(con) == [
        ("bmo2023.xlsx", 6, "met", "effectif négatif « -3 »"),
        ("bmo2023.xlsx", 7, "xmet", "effectif non entier « 2.5 »"),
        ("bmo2023.xlsx", 8, "smet", "nombre illisible « n.d. »"),
        ("bmo2023.xlsx", 9, "annee, code_metier_bmo, dept, be23",
         "ligne en double dans le fichier : même annee, code_metier_bmo, dept, be23 que la ligne 4"),
        ("bmo2023.xlsx", 10, "code_metier_bmo",
         "code métier BMO (FAP-2021) mal formé « G1X7 » (attendu par ex. G1X72)"),
    ]


def test_mauvaise_feuille_colonne_absente_classeur_illisible(tmp_path, con, charger):
    sans_donnees = _classeur(tmp_path / "synthese.xlsx", {
        "Notice": [["Enquête BMO 2024"]],
        "Synthèse": [["Région", "Projets"], ["Bourgogne-Franche-Comté", 52000]],
    })
    sans_xmet = _classeur(tmp_path / "sans_xmet.xlsx", {
        "BMO_2024_open_data": [[c for c in ENTETE if c != "xmet"]]})
    sans_bassin = _classeur(tmp_path / "sans_bassin.xlsx", {
        "BMO_2024_open_data": [[c for c in ENTETE if c != "BE24"]]})
    illisible = tmp_path / "illisible.xlsx"
    illisible.write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    bilans = charger("bmo", sans_donnees, sans_xmet, sans_bassin, illisible)
    assert [(b.nouvelles, b.rejetees) for b in bilans] == [(0, 1)] * 4
    lues = "annee, code_metier_bmo, nom_metier_bmo, famille_met, lbl_fam_met, reg, nom_reg, dept, nomdept"
    (illisible_rejet, *autres) = rejets(con)
    assert illisible_rejet[:3] == ("illisible.xlsx", 1, "(fichier)")
    assert illisible_rejet[3].startswith("classeur illisible (")
    assert illisible_rejet[3].endswith(")")
    assert autres == [
        ("sans_bassin.xlsx", 1, "bexx",
         f"feuille « BMO_2024_open_data » : colonne(s) obligatoire(s) absente(s) : bexx (en-tête lu : 13 colonnes ; "
         f"reconnue(s) : {lues}, nombe24, met, xmet, smet) ; bexx = code du bassin d'emploi suivi de l'année (BE24 pour l'enquête 2024)"),
        ("sans_xmet.xlsx", 1, "xmet",
         f"feuille « BMO_2024_open_data » : colonne(s) obligatoire(s) absente(s) : xmet (en-tête lu : 13 colonnes ; "
         f"reconnue(s) : {lues}, be24, nombe24, met, smet)"),
        ("synthese.xlsx", 1, "(fichier)",
         "aucune feuille de données BMO dans le classeur (feuilles trouvées : « Notice », « Synthèse ») : attendu "
         "une feuille dont l'en-tête contient annee, Code métier BMO, Nom métier BMO, Famille_met, Lbl_fam_met, "
         "REG, NOM_REG, Dept, NomDept, BExx, NOMBExx, met, xmet, smet (xx = année de l'enquête)"),
    ]


def _csv(*lignes: list) -> str:
    return "".join(";".join(str(int(v) if isinstance(v, float) else v) for v in ligne) + "\n" for ligne in lignes)


def test_csv_windows_1252_et_utf8_mal_encode(tmp_path, con, charger):
    latin = tmp_path / "bmo_latin.csv"
    latin.write_bytes(_csv(ENTETE, _ligne("G1X72", "34", "34", "*")).encode("cp1252"))
    melange = tmp_path / "bmo_melange.csv"
    melange.write_bytes(_csv(ENTETE, _ligne("G1X70", "5", "*", "*")).encode()
                        + _csv(_ligne("G1X71", "6", "*", "*")).encode("cp1252")
                        + _csv(_ligne("G1X73", "7", "*", "*")).encode())
    sans_bassin = tmp_path / "bmo_sans_bassin.csv"
    sans_bassin.write_text(_csv([c for c in ENTETE if c != "BE24"]))
    b1, b2, b3 = charger("bmo", latin, melange, sans_bassin)
    assert b1.remarques == ("fichier lu en Windows-1252 (encodage non UTF-8 détecté); 1 effectif(s) masqué(s) par "
                            "le secret statistique (« * ») ou vide(s) : chargé(s) comme inconnus (NULL), pas comme 0")
    assert (b1.nouvelles, b2.nouvelles, b2.rejetees, b3.rejetees) == (1, 2, 1, 1)
    assert con.execute("select code_fap, libelle_fap, nom_dept, projets_difficiles from brut.bmo order by all"
                       ).fetchall() == [("G1X70", TECHNICIENS, "Côte-d'Or", None), ("G1X72", TECHNICIENS, "Côte-d'Or", 34),
                                        ("G1X73", TECHNICIENS, "Côte-d'Or", None)]
    # line 3 of bmo_melange.csv: "2024;G1X71;Techniciens et agents de ma" then 0xEE (î in cp1252)
    assert rejets(con) == [
        ("bmo_melange.csv", 3, "(ligne)",
         "encodage invalide : octet 0xEE non UTF-8 en colonne 39 (réenregistrez le fichier en UTF-8)"),
        ("bmo_sans_bassin.csv", 1, "bexx", "colonne(s) obligatoire(s) absente(s) : bexx (en-tête lu : 13 colonnes ; "
         "reconnue(s) : annee, code_metier_bmo, nom_metier_bmo, famille_met, lbl_fam_met, reg, nom_reg, dept, nomdept, nombe24, met, "
         "xmet, smet) ; bexx = code du bassin d'emploi suivi de l'année (BE24 pour l'enquête 2024)"),
    ]


def test_recharger_le_meme_classeur_ne_change_rien(tmp_path, con, charger):
    fichier = _classeur(tmp_path / "bmo.xlsx", {"BMO_2024_open_data": [
        ENTETE, _ligne("G1X72", "34", "34", "*"), _ligne("G1X70", "*", "*", "*"), _ligne("G1X71", "0", "0", "0")]})
    (b1,) = charger("bmo", fichier)
    avant = _instantane(con)
    (b2,) = charger("bmo", fichier)
    assert (b1.nouvelles, b2.nouvelles, b2.mises_a_jour, b2.inchangees) == (3, 0, 0, 3)
    assert _instantane(con) == avant
    assert con.execute("select projets from brut.bmo order by code_fap").fetchall() == [(None,), (0,), (34,)]
