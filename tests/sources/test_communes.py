"""Communes and the commune -> BMO basin table: the real files of ../shared, malformed files."""

from __future__ import annotations

from tests.conftest import rejets

ENTETE_COMMUNES = ("insee_com,insee_reg,insee_dep,commune,commune_article,code_postal,commune_type,insee_parente,"
                   "lat,lng,superficie_km2,population_2021,population_2015,menages_2021,naissances_2022,deces_2022,"
                   "pop_15_64_totale_2021,pop_15_64_chomage_2021,pop_15_64_active_2021")
DIJON = "21231,27,21,Dijon,Dijon,21000,COM,,47.33187,5.03222,40.41,159346,155114,87936,1460,1265,109232,10281,75968"
ENTETE_BASSINS = "reg,dep,code_commune_insee,code_bassin_BMO,lib_bassin_BMO"


def _commune(insee: str, nom: str, cp: str, lat: str = "47.3", population: str = "100",
             type_: str = "COM", parente: str = "") -> str:
    dep = "" if type_ == "COMD" else insee[:2]
    reg = "" if type_ == "COMD" else "27"
    return f"{insee},{reg},{dep},{nom},{nom},{cp},{type_},{parente},{lat},5.0,10.5,{population},90,40,1,1,60,5,50"


def test_communes_reelles(partage, con, charger):
    (bilan,) = charger("communes", partage / "communes" / "communes.csv")
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (36208, 36208, 0)
    # line 7048 of the file
    assert con.execute(
        "select code_postal, insee_reg, insee_dep, commune, commune_type, lat, lng, population_2021, "
        "pop_15_64_chomage_2021, _ligne from brut.communes where insee_com = '21231'").fetchall() == [
        ("21000", "27", "21", "Dijon", "COM", 47.33187, 5.03222, 159346, 10281, 7048)]
    assert con.execute("select count(*) from brut.communes where insee_com like '21%'").fetchone()[0] == 705
    # a merged former commune (COMD) shares its new commune's code and postcode
    assert con.execute(
        "select commune_type, commune, insee_dep from brut.communes where insee_com = '01015' order by all"
    ).fetchall() == [("COM", "Arboys en Bugey", "01"), ("COMD", "Arbignieu", None)]
    # 4 communes have no coordinates in the source (Hauts-Talican twice, L'Oie, Sainte-Florence)
    assert con.execute("select count(*) from brut.communes where lat is null").fetchone()[0] == 4


def test_bassins_reels(partage, con, charger):
    (bilan,) = charger("communes", partage / "bmo-2024" / "bassin_emploi.csv")
    # 37,499 lines with the header; `wc -l` says 37,498 because the last line has no newline
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (37498, 37498, 0)
    lire = "select reg, dep, code_bassin, lib_bassin, _ligne from brut.bassins_bmo where code_commune_insee = ?"
    assert con.execute(lire, ["21231"]).fetchone() == ("27", "21", "2715", "DIJON", 5593)
    # the file writes "84,3,03130,...": the département gets its leading zero back
    assert con.execute(lire, ["03130"]).fetchone() == ("84", "03", "8447", "MONTLUCON", 1002)
    assert con.execute("select count(distinct code_bassin) from brut.bassins_bmo").fetchone()[0] == 404


def test_fautes_de_ligne_au_milieu_d_un_fichier_valide(tmp_path, con, charger):
    fichier = tmp_path / "communes.csv"
    fichier.write_text("\n".join([
        ENTETE_COMMUNES,
        DIJON,                                                         # line 2
        _commune("21054", "Beaune", "21200", lat='"47,3x"'),           # 3: bad number
        _commune("21617", "Talant", "21240", population="-5"),         # 4: negative count
        _commune("21166", "Chenôve", "21300", population="12.5"),      # 5: not a whole number
        _commune("210A1", "Nulle-Part", "21000"),                      # 6: bad INSEE code
        _commune("21452", "Nuits-Saint-Georges", "21700", lat="147.3"),  # 7: out of range
        _commune("21231", "Dijon", "21000"),                           # 8: same key as line 2
        _commune("21231", "Dijon", "21000", type_="COMD", parente="21231"),  # 9: same code, other type
        _commune("01053", "Bourg-en-Bresse", "1000"),                  # 10: postcode lost its 0
    ]) + "\n")
    (bilan,) = charger("communes", fichier)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (9, 3, 6)
    assert con.execute("select insee_com, code_postal, commune_type, lat from brut.communes order by all").fetchall() == [
        ("01053", "01000", "COM", 47.3), ("21231", "21000", "COM", 47.33187), ("21231", "21000", "COMD", 47.3)]
    assert rejets(con) == [
        ("communes.csv", 3, "lat", "nombre illisible « 47,3x »"),
        ("communes.csv", 4, "population_2021", "effectif négatif « -5 »"),
        ("communes.csv", 5, "population_2021", "effectif non entier « 12.5 »"),
        ("communes.csv", 6, "insee_com", "code commune INSEE mal formé « 210A1 » (5 caractères attendus)"),
        ("communes.csv", 7, "lat", "coordonnée hors bornes « 147.3 » (attendu entre -90 et 90)"),
        ("communes.csv", 8, "insee_com, code_postal, commune_type, commune",
         "ligne en double dans le fichier : même insee_com, code_postal, commune_type, commune que la ligne 2"),
    ]


def test_bassins_fautes_de_ligne_et_rechargement(tmp_path, con, charger):
    fichier = tmp_path / "bassins.csv"
    fichier.write_bytes("\r\n".join([
        ENTETE_BASSINS,
        "27,21,21231,2715,DIJON",          # line 2
        "27,21,21054,27A5,BEAUNE",         # 3: bad basin code
        "27,21,21231,2716,DIJON SUD",      # 4: same commune as line 2
        "84,3,03130,8447.0,MONTLUCON",     # 5: spreadsheet-style numbers
        "27,21,,2715,DIJON",               # 6: no commune
    ]).encode())
    b1, b2 = charger("communes", fichier, fichier)
    assert (b1.nouvelles, b1.rejetees) == (2, 3)
    assert (b2.nouvelles, b2.mises_a_jour, b2.inchangees) == (0, 0, 2)
    assert con.execute("select * exclude (_fichier, _sha256, _charge_le, _chemin_json) from brut.bassins_bmo "
                       "order by all").fetchall() == [
        ("03130", "84", "03", "8447", "MONTLUCON", 5), ("21231", "27", "21", "2715", "DIJON", 2)]
    assert rejets(con) == [
        ("bassins.csv", 3, "code_bassin_bmo", "code de bassin d'emploi mal formé « 27A5 » (attendu 3 ou 4 chiffres)"),
        ("bassins.csv", 4, "code_commune_insee",
         "ligne en double dans le fichier : même code_commune_insee que la ligne 2"),
        ("bassins.csv", 6, "code_commune_insee", "valeur obligatoire manquante"),
    ]


def test_rechargement_des_communes_inchange(tmp_path, con, charger):
    fichier = tmp_path / "communes.csv"
    fichier.write_text("\n".join([ENTETE_COMMUNES, DIJON, _commune("21231", "Dijon", "21000", type_="COMD",
                                                                   parente="21231", lat="")]) + "\n")
    b1, b2 = charger("communes", fichier, fichier)
    assert (b1.nouvelles, b2.nouvelles, b2.mises_a_jour, b2.inchangees) == (2, 0, 0, 2)
    assert con.execute("select count(*), count(lat) from brut.communes").fetchone() == (2, 1)


def test_colonne_absente_entete_inconnu_et_encodages(tmp_path, con, charger):
    sans_lat = tmp_path / "sans_lat.csv"
    sans_lat.write_text(ENTETE_COMMUNES.replace("lat,", "") + "\n")
    sans_bassin = tmp_path / "sans_bassin.csv"
    sans_bassin.write_text("reg,dep,code_commune_insee,lib_bassin_BMO\n27,21,21231,DIJON\n")
    autre = tmp_path / "autre.csv"
    autre.write_text("fap,Tension ,Année\nG1Z70,1.56,2019\n")
    latin = tmp_path / "latin.csv"
    latin.write_bytes((ENTETE_COMMUNES + "\n" + _commune("21166", "Chenôve", "21300") + "\n").encode("cp1252"))
    melange = tmp_path / "melange.csv"
    melange.write_bytes((ENTETE_COMMUNES + "\n" + _commune("21263", "Fénay", "21600") + "\n").encode()
                        + (_commune("21166", "Chenôve", "21300") + "\n").encode("cp1252")
                        + (DIJON + "\n").encode())
    bilans = charger("communes", sans_lat, sans_bassin, autre, latin, melange)
    assert [b.nouvelles for b in bilans] == [0, 0, 0, 1, 2]
    assert bilans[3].remarques == "fichier lu en Windows-1252 (encodage non UTF-8 détecté)"
    assert con.execute("select commune from brut.communes order by all").fetchall() == [
        ("Chenôve",), ("Dijon",), ("Fénay",)]
    (autre_rejet,) = [r for r in rejets(con) if r[0] == "autre.csv"]
    assert autre_rejet[1:3] == (1, "(fichier)")
    assert autre_rejet[3].startswith("en-tête non reconnu (3 colonnes ; reconnue(s) : aucune ; inconnue(s) : "
                                     "colonnes 1 à 3) ; en-têtes attendus : communes "
                                     "(communes.csv) (insee_com, insee_reg, ")
    assert [r for r in rejets(con) if r[0] != "autre.csv"] == [
        ("melange.csv", 3, "(ligne)",
         "encodage invalide : octet 0xF4 non UTF-8 en colonne 17 (réenregistrez le fichier en UTF-8)"),
        ("sans_bassin.csv", 1, "code_bassin_bmo", "colonne(s) obligatoire(s) absente(s) : code_bassin_bmo "
                                                  "(en-tête lu : 4 colonnes ; reconnue(s) : reg, dep, "
                                                  "code_commune_insee, lib_bassin_bmo)"),
        ("sans_lat.csv", 1, "lat", "colonne(s) obligatoire(s) absente(s) : lat (en-tête lu : "
         + f"{ENTETE_COMMUNES.count(',')} colonnes ; reconnue(s) : " + ENTETE_COMMUNES.replace("lat,", "").replace(",", ", ") + ")"),
    ]


def test_bassins_officiels_reels(partage, con, charger):
    (bilan,) = charger("communes", partage / "bmo-2024" / "France_Travail_Bassin_Emploi_2021.csv")
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (37498, 37498, 0)
    lire = "select reg, dep, code_bassin, lib_bassin, _ligne from brut.bassins_bmo where code_commune_insee = ?"
    assert con.execute(lire, ["21231"]).fetchone() == ("27", "21", "2715", "DIJON", 5593)
    assert con.execute(lire, ["74010"]).fetchone() == ("84", "74", "8407", "ANNECY", 2257)
    # the basin the rebuilt bassin_emploi.csv lacks: 2708 AUTUN (its communes are all in
    # Saône-et-Loire in this file, though the BMO survey also has a Côte-d'Or part of it)
    assert con.execute("select list(distinct dep order by dep), count(*) from brut.bassins_bmo "
                       "where code_bassin = '2708'").fetchone() == (["71"], 62)
    assert con.execute("select count(distinct code_bassin) from brut.bassins_bmo").fetchone()[0] == 404


def test_bassins_officiels_fautes(tmp_path, con, charger):
    fichier = tmp_path / "France_Travail_Bassin_Emploi_2021.csv"
    fichier.write_bytes("\ufeffreg,dep,codgeo,codbe,libbe\r\n27,21,21231,2715,DIJON\r\n27,71,71009,27O8,AUTUN\r\n"
                        "27,21,21054,2716,BEAUNE\r\n".encode())
    (bilan,) = charger("communes", fichier)
    assert (bilan.nouvelles, bilan.rejetees) == (2, 1)
    assert con.execute("select code_commune_insee, dep, code_bassin, lib_bassin from brut.bassins_bmo order by all"
                       ).fetchall() == [("21054", "21", "2716", "BEAUNE"), ("21231", "21", "2715", "DIJON")]
    assert rejets(con) == [("France_Travail_Bassin_Emploi_2021.csv", 3, "codbe",
                            "code de bassin d'emploi mal formé « 27O8 » (attendu 3 ou 4 chiffres)")]
