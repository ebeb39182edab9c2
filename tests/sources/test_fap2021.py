"""DARES FAP-2021 nomenclature and ROME-Qualif -> FAP-2021 passage: the real files of
../shared, and hand-made files in their formats."""

from __future__ import annotations

from tests.conftest import rejets

ENTETE_NOMENCLATURE = ("Code FAP 22;Intitulé FAP 22;Code FAP 86;Intitulé FAP 86;Code FAP 228;Intitulé FAP 228;"
                       "Code FAP 341;Intitulé FAP 341")
G1X72A = ("G;Maintenance;G1X;Techniciens et agents de maîtrise de la maintenance;G1X72;Techniciens et agents "
          "de maîtrise en maintenance générale et mécanique industrielle;G1X72a;Techniciens et agents de maîtrise "
          "en maintenance mécanique et entretien d'équipements industriels")
I1304 = "I1304;Installation et maintenance d'équipements industriels et d'exploitation"


def test_fichiers_reels(partage, con, charger):
    dossier = partage / "fap2021"
    passage, nomenclature = charger("fap2021", dossier / "Dares_Table_passage_ROME_Qualif_to_FAP2021_pour_programme.csv",
                                    dossier / "dares_nomenclature_fap2021.csv")
    assert (passage.lignes_lues, passage.nouvelles, passage.rejetees) == (5320, 5320, 0)
    assert (nomenclature.lignes_lues, nomenclature.nouvelles, nomenclature.rejetees) == (341, 341, 0)
    assert con.execute("select count(distinct code_rome), count(distinct code_fap341) from brut.rome_qualif_fap2021"
                       ).fetchone() == (532, 337)
    # the Windows-1252 file is read as such
    assert con.execute("select intitule_rome, code_fap341, intitule_fap341 from brut.rome_qualif_fap2021 "
                       "where code_rome = 'I1304' and qualification = '7'").fetchone() == (
        "Installation et maintenance d'équipements industriels et d'exploitation", "G1X72a",
        "Techniciens et agents de maîtrise en maintenance mécanique et entretien d'équipements industriels")
    assert con.execute("select list(qualification order by qualification) from brut.rome_qualif_fap2021 "
                       "where code_rome = 'I1304' and code_fap341 = 'G0A40b'").fetchone()[0] == [
        "0", "1", "2", "3", "4", "5", "6"]
    assert con.execute("select code_fap22, code_fap86, code_fap228, intitule_fap228 from brut.fap2021 "
                       "where code_fap341 = 'G1X72a'").fetchone() == (
        "G", "G1X", "G1X72", "Techniciens et agents de maîtrise en maintenance générale et mécanique industrielle")
    assert con.execute("select count(distinct code_fap228) from brut.fap2021").fetchone()[0] == 228


def test_lignes_en_faute(tmp_path, con, charger):
    passage = tmp_path / "passage.csv"
    passage.write_bytes((
        "ROME;Intitule_ROME;Qualif;FAP341;Intitule_FAP341\r\n"
        f"{I1304};7;G1X72a;Techniciens et agents de maîtrise en maintenance\r\n"   # line 2
        f"{I1304};10;G1X72a;Techniciens et agents de maîtrise en maintenance\r\n"  # 3: level out of 0-9
        f"{I1304};8;G1X7;Techniciens\r\n"                                          # 4: truncated FAP code
        f"{I1304};7;G0A40b;Ouvriers\r\n"                                           # 5: same key as line 2
        f"{I1304};0;G0A40b;Ouvriers en maintenance générale et mécanique industrielle\r\n"
    ).encode("cp1252"))
    nomenclature = tmp_path / "nomenclature.csv"
    nomenclature.write_bytes(("\ufeff" + ENTETE_NOMENCLATURE + "\r\n" + G1X72A + "\r\n"
                              + G1X72A.replace("G1X72a", "G1X72b").replace(";G1X;", ";;") + "\r\n").encode())
    b1, b2 = charger("fap2021", passage, nomenclature)
    assert (b1.lignes_lues, b1.nouvelles, b1.rejetees) == (5, 2, 3)
    assert b1.remarques == "fichier lu en Windows-1252 (encodage non UTF-8 détecté)"
    assert con.execute("select code_rome, qualification, code_fap341 from brut.rome_qualif_fap2021 order by all"
                       ).fetchall() == [("I1304", "0", "G0A40b"), ("I1304", "7", "G1X72a")]
    assert (b2.nouvelles, b2.rejetees) == (1, 1)
    assert con.execute("select code_fap86, code_fap228, code_fap341 from brut.fap2021").fetchall() == [
        ("G1X", "G1X72", "G1X72a")]
    assert rejets(con) == [
        ("nomenclature.csv", 3, "code_fap_86", "valeur obligatoire manquante"),
        ("passage.csv", 3, "qualif", "niveau de qualification hors de 0 à 9 « 10 »"),
        ("passage.csv", 4, "fap341", "code FAP 341 mal formé « G1X7 » (attendu par ex. G1X72a)"),
        ("passage.csv", 5, "rome, qualif", "ligne en double dans le fichier : même rome, qualif que la ligne 2"),
    ]


def test_code_rome_inconnu_du_referentiel_charge(tmp_path, con, charger, inserer):
    inserer("brut.rome_codes", [{"code_rome": "I1304", "libelle_rome": "Maintenance", "code_rome_parent": "I1304"}])
    passage = tmp_path / "passage.csv"
    passage.write_text("ROME;Intitule_ROME;Qualif;FAP341;Intitule_FAP341\n"
                       f"{I1304};0;G0A40b;Ouvriers\nK2112;Gardien de phare;0;G0A40b;Ouvriers\n")
    (bilan,) = charger("fap2021", passage)
    assert (bilan.nouvelles, bilan.rejetees) == (1, 1)
    assert rejets(con) == [("passage.csv", 3, "rome", "code ROME inconnu « K2112 » : absent du référentiel ROME "
                                                      "chargé (chargez le référentiel complet avec « ingerer rome »)")]
