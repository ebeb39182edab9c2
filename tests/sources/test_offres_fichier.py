"""Job-board and ATS exports read through config/sources_offres.toml: the two declared
platforms, a board declared by a test, recognition of the platform, faulty rows, reload."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import Workbook

from flows.erreurs import ErreurUtilisateur
from flows.lecture.lots import Contexte
from flows.sources.offres_fichier import lire
from tests.conftest import rejets

BFC = ["Référence annonce", "Intitulé du poste", "Descriptif", "Date de publication", "Code commune", "Société",
       "Contrat", "Durée (mois)", "Temps de travail", "Rémunération", "Expérience", "Nombre de postes", "Lien"]
TALENTIS = ["Job ID", "Job title", "Job description", "Created on", "Location INSEE", "Company", "Contract type",
            "Salary min", "Salary max", "Experience (years)", "Education level", "Openings", "Url"]
HEURES = 151.67  # legal full-time month, config/parametres.toml


def _bfc(tmp_path, *lignes: str, nom="emploi-bfc.csv", encodage="cp1252", entete=BFC):
    chemin = tmp_path / nom
    chemin.write_bytes("\r\n".join([";".join(entete), *lignes, ""]).encode(encodage))
    return chemin


def _classeur(tmp_path, lignes, nom="talentis.xlsx", feuille="Offres", entete=TALENTIS):
    wb = Workbook()
    ws = wb.active
    ws.title = feuille
    ws.append(entete)
    for ligne in lignes:
        ws.append(ligne)
    wb.save(tmp_path / nom)
    return tmp_path / nom


def _offres(con, colonnes: str) -> list[tuple]:
    return con.execute(f"select {colonnes} from brut.offres_fichier order by plateforme, _ligne").fetchall()  # noqa: S608 (names from the test)


def test_emploi_bfc_valeurs_exactes(tmp_path, con, charger):
    chemin = _bfc(
        tmp_path,
        "EB-2025-0101;Technicien de maintenance H/F;Écrire à rh@labo-exemple.fr ou au 03 80 12 34 56;03/03/2025;"
        "21231;Labo Exemple;CDD;6;Temps plein;Mensuel de 2000 Euros à 2400 Euros;Expérience exigée de 2 An(s);2;"
        "https://emploi-bfc.example/EB-2025-0101",
        "EB-2025-0102;Conducteur de ligne;Ligne de conditionnement;04/03/2025;1053;Pharma Exemple;CDI;;"
        "Temps partiel;Annuel de 26 400 Euros à 30 000 Euros;Débutant accepté;1;",
        "EB-2025-0103;Opérateur de production;;05/03/2025;21231;Labo Exemple;Intérim;4,5;35H/semaine;"
        "Horaire de 12,50 Euros;6 mois;;",
        "EB-2025-0104;Magasinier;;06/03/2025;21231;Labo Exemple;CDI;;;Selon profil;;1;",
    )
    (bilan,) = charger("offres-fichier", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (4, 4, 0)
    assert bilan.remarques == "plateforme : emploi-bfc; fichier lu en Windows-1252 (encodage non UTF-8 détecté)"
    assert _offres(con, "plateforme, offre_id, intitule, description, date_creation, commune_insee, entreprise_nom, "
                        "type_contrat, duree_contrat_mois, temps_travail_libelle, temps_plein, nombre_postes, url, "
                        "_version, _ligne") == [
        ("emploi-bfc", "EB-2025-0101", "Technicien de maintenance H/F",
         "Écrire à [courriel masqué] ou au [téléphone masqué]", date(2025, 3, 3), "21231", "Labo Exemple", "CDD",
         6.0, "Temps plein", True, 2, "https://emploi-bfc.example/EB-2025-0101", date(2025, 3, 3), 2),
        ("emploi-bfc", "EB-2025-0102", "Conducteur de ligne", "Ligne de conditionnement", date(2025, 3, 4), "01053",
         "Pharma Exemple", "CDI", None, "Temps partiel", False, 1, None, date(2025, 3, 4), 3),
        ("emploi-bfc", "EB-2025-0103", "Opérateur de production", None, date(2025, 3, 5), "21231", "Labo Exemple",
         "Intérim", 4.5, "35H/semaine", True, None, None, date(2025, 3, 5), 4),
        ("emploi-bfc", "EB-2025-0104", "Magasinier", None, date(2025, 3, 6), "21231", "Labo Exemple", "CDI", None,
         None, None, 1, None, date(2025, 3, 6), 5),
    ]
    salaires = _offres(con, "salaire_libelle, salaire_periode, salaire_min_mensuel, salaire_max_mensuel, "
                            "experience_libelle, experience_mois")
    assert salaires == [
        ("Mensuel de 2000 Euros à 2400 Euros", "mensuel", 2000.0, 2400.0, "Expérience exigée de 2 An(s)", 24.0),
        ("Annuel de 26 400 Euros à 30 000 Euros", "annuel", 2200.0, 2500.0, "Débutant accepté", 0.0),
        ("Horaire de 12,50 Euros", "horaire", pytest.approx(12.5 * HEURES), pytest.approx(12.5 * HEURES),
         "6 mois", 6.0),
        # an unreadable label is kept, the amounts stay unknown
        ("Selon profil", None, None, None, None, None),
    ]


def test_ats_talentis_xlsx_valeurs_exactes(tmp_path, con, charger):
    chemin = _classeur(tmp_path, [
        [1001, "Technicien de maintenance", "Maintenance des lignes", "12/03/2025", 21231, "Pharma Exemple",
         "Permanent", 30000, 36000, 2, "Bac+2", 1, "https://talentis.example/jobs/1001"],
        ["1002", "Responsable qualité", None, datetime(2025, 3, 13), "01053", "Pharma Exemple", "Fixed-term",
         None, 42500.5, 0.5, 7, None, None],
        [1003, "Préparateur", None, "14/03/2025", 21231, None, None, None, None, None, "Ingénieur", 3, None],
    ])
    (bilan,) = charger("offres-fichier", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (3, 3, 0)
    assert _offres(con, "plateforme, offre_id, intitule, description, date_creation, commune_insee, entreprise_nom, "
                        "type_contrat, salaire_libelle, salaire_periode, salaire_min_mensuel, salaire_max_mensuel, "
                        "experience_mois, niveau_diplome, nombre_postes, url") == [
        ("ats-talentis", "1001", "Technicien de maintenance", "Maintenance des lignes", date(2025, 3, 12), "21231",
         "Pharma Exemple", "Permanent", None, "annuel", 2500.0, 3000.0, 24.0, 5, 1,
         "https://talentis.example/jobs/1001"),
        # only a maximum: the range is that single amount
        ("ats-talentis", "1002", "Responsable qualité", None, date(2025, 3, 13), "01053", "Pharma Exemple",
         "Fixed-term", None, "annuel", pytest.approx(42500.5 / 12), pytest.approx(42500.5 / 12), 6.0, 7, None, None),
        ("ats-talentis", "1003", "Préparateur", None, date(2025, 3, 14), "21231", None, None, None, None, None, None,
         None, 7, 3, None),
    ]


def test_feuille_masquee_non_lue(tmp_path, con, charger):
    """A platform without a declared sheet reads the first sheet a person sees, not a hidden
    one before it, and says which sheets it left."""
    wb = Workbook()
    cachee = wb.active
    cachee.title = "Ancien export"
    cachee.append(BFC)
    cachee.append(["EB-OLD", "Ancienne offre", None, "01/01/2024", "21231"])
    cachee.sheet_state = "hidden"
    visible = wb.create_sheet("Export")
    visible.append(BFC)
    visible.append(["EB-1", "Opérateur", None, "03/03/2025", "21231"])
    visible.append(["EB-2", "Régleur", None, "04/03/2025", "21231"])
    wb.active = 1
    wb.save(tmp_path / "bfc.xlsx")
    (bilan,) = charger("offres-fichier", tmp_path / "bfc.xlsx")
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (2, 2, 0)
    assert bilan.remarques == ("plateforme : emploi-bfc; feuille lue : « Export » ; feuille(s) masquée(s) non lue(s) : "
                               "« Ancien export » (déclarez la feuille à lire, option feuille de "
                               "config/sources_offres.toml, si ce n'est pas la bonne)")
    assert _offres(con, "offre_id, intitule") == [("EB-1", "Opérateur"), ("EB-2", "Régleur")]


def test_cellules_en_erreur_ou_formules_sans_valeur(tmp_path, con, charger):
    """Error cells and formulas never calculated are read as empty by spreadsheet readers:
    here the row goes to the quarantine, the reason naming the sheet and the cell. A fault
    in a column the platform does not map changes nothing."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Offres"
    ws.append([*TALENTIS, "Notes"])
    ws.append([1001, "Technicien", None, "12/03/2025", 21231, None, None, None, None, None, None, 1, None, "=1/0"])
    ws.append([1002, "Régleur", None, "12/03/2025", 21231, None, None, "=H4*12", None, None, None, 1, None])
    ws.append([1003, "Opérateur", None, "12/03/2025", 21231, None, None, None, None, None, None, "#DIV/0!", None])
    ws.append([1004, "Préparateur", None, "12/03/2025", "#N/A", None, None, None, None, None, None, 1, None])
    ws.append(["=A2+4"])  # a row of formulas only: read as a blank row by the spreadsheet reader
    wb.save(tmp_path / "talentis.xlsx")
    (bilan,) = charger("offres-fichier", tmp_path / "talentis.xlsx")
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (5, 1, 4)
    assert _offres(con, "offre_id") == [("1001",)]
    assert rejets(con) == [
        ("talentis.xlsx", 3, "Salary min", "cellule H3 de la feuille « Offres » : formule sans valeur calculée "
                                           "(classeur écrit par un programme, jamais recalculé) : ouvrez-le dans un "
                                           "tableur et réenregistrez-le"),
        ("talentis.xlsx", 4, "Openings", "cellule L4 de la feuille « Offres » en erreur (« #DIV/0! ») : corrigez la "
                                         "formule ou la valeur dans le classeur"),
        ("talentis.xlsx", 5, "Location INSEE", "cellule E5 de la feuille « Offres » en erreur (« #N/A ») : corrigez "
                                               "la formule ou la valeur dans le classeur"),
        ("talentis.xlsx", 6, "Job ID", "cellule A6 de la feuille « Offres » : formule sans valeur calculée "
                                       "(classeur écrit par un programme, jamais recalculé) : ouvrez-le dans un "
                                       "tableur et réenregistrez-le"),
    ]


def test_plateforme_non_reconnue_ou_colonne_manquante(tmp_path, con, charger):
    sans_lien = _bfc(tmp_path, "EB-1;Technicien;;03/03/2025;21231;Labo;CDI;;;;;1", nom="sans-lien.csv",
                     entete=BFC[:-1])
    charger("offres-fichier", sans_lien)
    assert rejets(con) == [(
        "sans-lien.csv", 1, "(fichier)",
        "aucune plateforme connue ne correspond à l'en-tête du fichier ; plateformes déclarées dans "
        "config/sources_offres.toml : emploi-bfc = Emploi BFC, site d'emploi régional (export CSV Windows-1252, "
        "« ; ») (colonne(s) absente(s) : « Lien ») ; ats-talentis = Talentis, logiciel de recrutement (export "
        "XLSX, feuille « Offres ») (colonne(s) absente(s) : « Job ID », « Job title », « Job description », "
        "« Created on » …)")]
    # forced by the user, the platform's reader names the missing column
    charger("offres-fichier", sans_lien, plateforme="emploi-bfc")
    assert rejets(con) == [(
        "sans-lien.csv", 1, "lien",
        "colonne(s) obligatoire(s) absente(s) : lien (en-tête lu : 12 colonnes ; reconnue(s) : reference_annonce, intitule_du_poste, descriptif, "
        "date_de_publication, code_commune, societe, contrat, duree_mois, temps_de_travail, remuneration, "
        "experience, nombre_de_postes)")]
    assert con.execute("select count(*) from brut.offres_fichier").fetchone() == (0,)


def test_plateforme_inconnue_ou_feuille_absente(tmp_path, con, charger):
    with pytest.raises(ErreurUtilisateur, match="plateforme inconnue « monster » ; plateformes déclarées dans "
                                                "config/sources_offres.toml : emploi-bfc, ats-talentis"):
        lire(_bfc(tmp_path, "EB-1;T;;03/03/2025;21231;L;CDI;;;;;1;"), Contexte(plateforme="monster"))
    chemin = _classeur(tmp_path, [[1001, "Technicien"] + [None] * 11], feuille="Export")
    charger("offres-fichier", chemin, plateforme="ats-talentis")
    assert rejets(con) == [("talentis.xlsx", 1, "(fichier)",
                            "feuille « Offres » absente du classeur (feuilles trouvées : « Export »)")]


def test_offres_fautives_en_quarantaine(tmp_path, con, charger):
    chemin = _bfc(
        tmp_path,
        "EB-1;Technicien;;03/03/2025;21231;Labo;CDI;;;;;1;",        # 2 valid
        "EB-2;Technicien;;2025-03-04;21231;Labo;CDI;;;;;1;",        # 3 date not in the declared format
        "EB-3;Technicien;;05/03/2025;21231;Labo;CDI;;;;;-2;",       # 4 negative count
        "EB-4;Technicien;;06/03/2025;Dijon;Labo;CDD;-6;;;;1;",      # 5 two faults
        "EB-1;Technicien bis;;07/03/2025;21231;Labo;CDI;;;;;1;",    # 6 same id as line 2
        ";Technicien;;08/03/2025;21231;Labo;CDI;;;;;1;",            # 7 no id
        "EB-5;Technicien;;09/03/2025;21231;Labo;CDI;;;;1;",         # 8 a field short
    )
    (bilan,) = charger("offres-fichier", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (7, 1, 6)
    assert _offres(con, "offre_id, intitule") == [("EB-1", "Technicien")]
    assert rejets(con) == [
        ("emploi-bfc.csv", 3, "Date de publication", "date illisible « 2025-03-04 » (format attendu jj/mm/aaaa)"),
        ("emploi-bfc.csv", 4, "Nombre de postes", "effectif négatif « -2 »"),
        ("emploi-bfc.csv", 5, "Code commune", "code commune INSEE mal formé « Dijon » (5 caractères attendus)"),
        ("emploi-bfc.csv", 5, "Durée (mois)", "valeur négative « -6 »"),
        ("emploi-bfc.csv", 6, "Référence annonce", "offre en double dans le fichier (déjà lue ligne 2)"),
        ("emploi-bfc.csv", 7, "Référence annonce", "valeur obligatoire manquante"),
        ("emploi-bfc.csv", 8, "(ligne)", "12 champs au lieu de 13 (séparateur ou guillemets ?)"),
    ]


def test_encodage_utf8_ou_ligne_mal_encodee(tmp_path, con, charger):
    # the board declares nothing: a UTF-8 export is read as such, with its accents
    utf8 = _bfc(tmp_path, "EB-1;Opérateur;;03/03/2025;21231;Labo;Intérim;;;;Débutant accepté;1;",
                nom="utf8.csv", encodage="utf-8-sig")
    # a UTF-8 file with one line pasted from a Windows-1252 source
    melange = tmp_path / "melange.csv"
    melange.write_bytes(";".join(BFC).encode() + b"\n"
                        + "EB-2;Régleur;;03/03/2025;21231;Labo;CDI;;;;;1;\n".encode()
                        + "EB-3;Régleur;;03/03/2025;21231;Labo;CDI;;;;;1;\n".encode("cp1252"))
    charger("offres-fichier", utf8, melange)
    assert _offres(con, "offre_id, intitule, type_contrat, experience_mois") == [
        ("EB-1", "Opérateur", "Intérim", 0.0), ("EB-2", "Régleur", "CDI", None)]
    assert rejets(con) == [("melange.csv", 3, "(ligne)", "encodage invalide : octet 0xE9 non UTF-8 en colonne 7 "
                                                         "(réenregistrez le fichier en UTF-8)")]


def test_export_windows_1252_avec_une_ligne_utf8(tmp_path, con, charger):
    """A Windows-1252 export with one line pasted from a UTF-8 source: every line keeps its
    own text, the remark names the UTF-8 line, nothing is rejected."""
    chemin = tmp_path / "mele.csv"
    chemin.write_bytes(";".join(BFC).encode("cp1252") + b"\r\n"
                       + "EB-1;Opérateur;;03/03/2025;21231;Labo;Intérim;;;;;1;\r\n".encode("cp1252")
                       + "EB-2;Régleur;;03/03/2025;21231;Labo;CDI;;;;;1;\r\n".encode()
                       + "EB-3;Contrôleur qualité;;04/03/2025;21231;Labo;CDI;;;;;1;\r\n".encode("cp1252"))
    (bilan,) = charger("offres-fichier", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (3, 3, 0)
    assert bilan.remarques == ("plateforme : emploi-bfc; fichier lu en Windows-1252 (encodage non UTF-8 détecté); "
                               "encodage mêlé : ligne 3 en UTF-8, lue(s) comme telle(s) "
                               "(réenregistrez le fichier dans un seul encodage)")
    assert _offres(con, "offre_id, intitule") == [("EB-1", "Opérateur"), ("EB-2", "Régleur"),
                                                  ("EB-3", "Contrôleur qualité")]
    assert rejets(con) == []


def test_valeurs_d_erreur_d_un_export_csv(tmp_path, con, charger):
    """A CSV exported from a workbook writes its error cells as text (« #N/A »): not a title."""
    chemin = _bfc(tmp_path, "EB-1;#N/A;;03/03/2025;21231;Labo;CDI;;;;;1;",
                  "EB-2;Régleur;;03/03/2025;21231; #VALEUR! ;CDI;;;;;1;",
                  "EB-3;Régleur;;03/03/2025;21231;Labo;CDI;;;;;1;")
    (bilan,) = charger("offres-fichier", chemin)
    assert (bilan.nouvelles, bilan.rejetees) == (1, 2)
    suite = " : la cellule était en erreur dans le classeur d'origine (corrigez la formule ou la valeur, puis exportez " \
            "à nouveau)"
    assert rejets(con) == [("emploi-bfc.csv", 2, "Intitulé du poste", "valeur d'erreur du tableur « #N/A »" + suite),
                           ("emploi-bfc.csv", 3, "Société", "valeur d'erreur du tableur « #VALEUR! »" + suite)]


def test_recharger_le_meme_export_ne_change_rien(tmp_path, con, charger):
    chemin = _classeur(tmp_path, [[1001, "Technicien", None, "12/03/2025", 21231, None, None, 30000, 36000, 2,
                                   "Bac+2", 1, None],
                                  [1002, "Technicien", None, "12/03/2025", 21231, None, None, -1, None, None,
                                   None, None, None]])
    charger("offres-fichier", chemin)
    avant = con.execute("select * exclude (_charge_le) from brut.offres_fichier order by all").fetchall()
    (bilan,) = charger("offres-fichier", chemin)
    assert (bilan.nouvelles, bilan.mises_a_jour, bilan.inchangees, bilan.rejetees) == (0, 0, 1, 1)
    assert con.execute("select * exclude (_charge_le) from brut.offres_fichier order by all").fetchall() == avant
    assert rejets(con) == [("talentis.xlsx", 3, "Salary min", "valeur négative « -1 »")]


# --------------------------------------------------------------------------- a board declared by a test

NOUVEAU_SITE = """
[plateformes.site-test]
libelle = "Site déclaré par le test"
format_date = "%Y-%m-%d"
salaire_periode = "horaire"

[plateformes.site-test.colonnes]
offre_id = "id"
intitule = "titre"
rome_code = "rome"
date_creation = "cree"
date_actualisation = "maj"
salaire_min = "taux min"
salaire_max = "taux max"
experience_mois = "exp"
temps_travail = "plein"
"""


@pytest.fixture
def site_test(tmp_path, monkeypatch):
    """A configuration with one more board, declared without code."""
    from flows.config import CONFIG

    config = tmp_path / "sources_offres.toml"
    config.write_text((CONFIG / "sources_offres.toml").read_text(encoding="utf-8") + NOUVEAU_SITE, encoding="utf-8")
    monkeypatch.setenv("HUB_SOURCES_OFFRES", str(config))
    return config


def _site(tmp_path, nom, *lignes):
    chemin = tmp_path / nom
    chemin.write_text("\n".join(["id,titre,rome,cree,maj,taux min,taux max,exp,plein", *lignes, ""]),
                      encoding="utf-8")
    return chemin


def test_un_nouveau_site_se_declare_sans_code(tmp_path, con, charger, site_test):
    for code in ("I1304", "H2301"):
        con.execute("insert into brut.rome_codes (code_rome, _fichier, _sha256, _charge_le) "
                    "values (?, 'test', 'test', now()::timestamp)", [code])
    chemin = _site(tmp_path, "site.csv",
                   "S1,Technicien,I1304,2025-03-01,2025-03-10,12.5,14,18,oui",
                   "S2,Conducteur,H9999,2025-03-01,,12,13,,non",
                   "S3,Opérateur,H2301,2025-03-02,,15,12,,",
                   '"S4","Agent, polyvalent",H2301,2025-03-02,,,13,6,Temps partiel')
    (bilan,) = charger("offres-fichier", chemin)
    assert bilan.remarques == "plateforme : site-test; séparateur « , » détecté au lieu de « ; »"
    assert _offres(con, "plateforme, offre_id, intitule, rome_code, date_creation, date_actualisation, "
                        "salaire_periode, salaire_min_mensuel, salaire_max_mensuel, experience_mois, temps_plein, "
                        "_version") == [
        ("site-test", "S1", "Technicien", "I1304", date(2025, 3, 1), date(2025, 3, 10), "horaire",
         pytest.approx(12.5 * HEURES), pytest.approx(14 * HEURES), 18.0, True, date(2025, 3, 10)),
        ("site-test", "S4", "Agent, polyvalent", "H2301", date(2025, 3, 2), None, "horaire",
         pytest.approx(13 * HEURES), pytest.approx(13 * HEURES), 6.0, False, date(2025, 3, 2)),
    ]
    assert rejets(con) == [
        ("site.csv", 3, "rome", "code ROME inconnu « H9999 » : absent du référentiel ROME chargé "
                                "(chargez le référentiel complet avec « ingerer rome »)"),
        ("site.csv", 4, "taux min", "salaire minimum supérieur au maximum (« 12.0 »)"),
    ]


def test_un_export_plus_ancien_n_ecrase_pas_le_recent(tmp_path, con, charger, site_test):
    recent = _site(tmp_path, "recent.csv", "S1,Technicien confirmé,,2025-03-01,2025-03-20,13,15,24,oui")
    ancien = _site(tmp_path, "ancien.csv", "S1,Technicien,,2025-03-01,2025-03-10,12,14,18,oui",
                   "S2,Conducteur,,2025-03-05,,12,13,,non")
    (premier,) = charger("offres-fichier", recent)
    (second,) = charger("offres-fichier", ancien)
    assert (second.nouvelles, second.mises_a_jour, second.inchangees) == (1, 0, 1)
    assert _offres(con, "offre_id, intitule, date_actualisation, _fichier") == [
        ("S1", "Technicien confirmé", date(2025, 3, 20), str(recent)),
        ("S2", "Conducteur", None, str(ancien))]


def test_plusieurs_plateformes_possibles(tmp_path, con, charger, monkeypatch):
    config = tmp_path / "deux.toml"
    config.write_text('[plateformes.a.colonnes]\noffre_id = "id"\n[plateformes.b.colonnes]\noffre_id = "id"\n'
                      'intitule = "titre"\n', encoding="utf-8")
    monkeypatch.setenv("HUB_SOURCES_OFFRES", str(config))
    chemin = tmp_path / "ambigu.csv"
    chemin.write_text("id;titre\nX1;Technicien\n", encoding="utf-8")
    charger("offres-fichier", chemin)
    assert rejets(con) == [("ambigu.csv", 1, "(fichier)", "plusieurs plateformes correspondent à l'en-tête du "
                                                          "fichier : a, b ; précisez laquelle (option --plateforme)")]
    charger("offres-fichier", chemin, plateforme="b")
    assert _offres(con, "plateforme, offre_id, intitule") == [("b", "X1", "Technicien")]


@pytest.mark.parametrize(("declaration", "message"), [
    ('[plateformes.x.colonnes]\nintitule = "titre"\n',
     "config/sources_offres.toml, plateforme « x » : la colonne offre_id doit être déclarée dans "
     "[plateformes.x.colonnes]"),
    ('[plateformes.x.colonnes]\noffre_id = "id"\nsalaire = "s"\n',
     "config/sources_offres.toml, plateforme « x » : colonne(s) cible(s) inconnue(s) : salaire"),
    ('[plateformes.x]\nformat = "csv"\n[plateformes.x.colonnes]\noffre_id = "id"\n',
     "config/sources_offres.toml, plateforme « x » : option(s) inconnue(s) : format"),
    ('[plateformes.x.colonnes]\noffre_id = "id"\nsalaire_min = "s"\n',
     "config/sources_offres.toml, plateforme « x » : salaire_periode doit valoir mensuel, annuel, horaire "
     "quand salaire_min ou salaire_max est déclaré"),
])
def test_une_declaration_erronee_est_nommee(tmp_path, monkeypatch, declaration, message):
    config = tmp_path / "faux.toml"
    config.write_text(declaration, encoding="utf-8")
    monkeypatch.setenv("HUB_SOURCES_OFFRES", str(config))
    chemin = tmp_path / "offres.csv"
    chemin.write_text("id;titre\nX1;Technicien\n", encoding="utf-8")
    with pytest.raises(ErreurUtilisateur) as erreur:
        lire(chemin, Contexte())
    assert str(erreur.value).startswith(message)
