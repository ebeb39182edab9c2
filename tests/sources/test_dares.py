"""DARES tension indicators, FAP-ROME correspondence and jobseeker series: the real files of
../shared, and malformed files."""

from __future__ import annotations

from tests.conftest import rejets

ENTETE_TENSIONS = ("fap,Emploi moyen,Tension ,Catégorie Tension,Intensité d'embauches,Lien formation-emploi,"
                   "Manque de main-d'œuvre disponible,Non-durabilité de l'emploi,"
                   "Conditions de travail contraignantes,Inadéquation géographique,Année,niveau_geo,niveau_fap,reg,dep")


def _tension(fap: str = "G1Z70", emploi: str = "125000", tension: str = "1.5", categorie: str = "5.0",
             niveau: str = "nat", reg: str = "", dep: str = "") -> str:
    return f"{fap},{emploi},{tension},{categorie},5.0,1.0,5.0,2.0,4.0,3.0,2019,{niveau},fap 225,{reg},{dep}"


def _instantane(con) -> list:
    return [con.execute(requete).fetchall() for requete in (
        "select * exclude (_charge_le) from brut.dares_tensions order by all",
        "select * exclude (_charge_le) from brut.dares_evol_tensions order by all",
        "select * exclude (_charge_le) from brut.dares_fap_rome order by all",
        "select * exclude (_charge_le) from brut.dares_demandeurs order by all")]


def test_fichiers_reels(partage, con, charger):
    charger("rome", partage / "rome-v460" / "unix_referentiel_code_rome_v460_utf8.csv")  # to check ROME codes
    dossier = partage / "dares"
    fichiers = [dossier / f for f in ("tensions.csv", "evol_tensions.csv", "fap225_rome.csv",
                                      "serie_demandeurs_emploi_A_ABC.csv")]
    bilans = charger("dares", *fichiers)
    # `wc -l` gives one more line per file (the header), and 769 for fap225_rome.csv: its
    # last 3 lines are ";;", empty rows that are skipped
    assert [(b.lignes_lues, b.nouvelles, b.rejetees) for b in bilans] == [
        (31034, 31034, 0), (2367, 2367, 0), (765, 765, 0), (14256, 14256, 0)]
    assert [b.remarques for b in bilans[2:]] == ["fichier lu en Windows-1252 (encodage non UTF-8 détecté)"] * 2
    # G1Z70 (maintenance technicians): lines 79, 1503 ("reg", "27.0") and 11069 ("dep", "21"),
    # each "…,5.0,5.0,4.0,4.0,1.0,3.0,2.0,2019,…" for the category and the six quintiles
    assert con.execute(
        "select niveau_geo, code_territoire, emploi_moyen, round(tension, 2), categorie_tension, "
        "lien_formation_emploi, non_durabilite, inadequation_geographique, _ligne from brut.dares_tensions "
        "where fap = 'G1Z70' and (niveau_geo, code_territoire) in (('nat', 'FR'), ('reg', '27'), ('dep', '21')) "
        "order by _ligne").fetchall() == [
        ("nat", "FR", 276900, 1.56, 5, 4, 1, 2, 79), ("reg", "27", 11700, 1.70, 5, 4, 1, 2, 1503),
        ("dep", "21", 2400, 2.96, 5, 4, 1, 2, 11069)]
    # "reg" (3,162 rows) and "reg " (1,309 rows) are one level; "1.0" is Guadeloupe, "01"
    assert con.execute(
        "select niveau_geo, count(*), count(distinct code_territoire), min(code_territoire) "
        "from brut.dares_tensions group by niveau_geo order by niveau_geo").fetchall() == [
        ("dep", 26300, 100, "01"), ("nat", 263, 1, "FR"), ("reg", 4471, 17, "01")]
    assert con.execute("select count(*) from brut.dares_tensions where tension is null").fetchone()[0] == 1488
    assert con.execute(
        "select tension from brut.dares_evol_tensions where fap = 'G1Z70' and annee = 2019").fetchone()[0] == (
        1.564256287338403)
    assert con.execute(
        "select count(*) filter (rome_code is null), count(*) filter (fap = 'G1Z70') from brut.dares_fap_rome"
    ).fetchone() == (16, 22)
    # the cp1252 "…" (byte 0x85) stays a character, not a line break
    assert con.execute("select intitule_rome from brut.dares_fap_rome where (fap, rome_code) = ('E0Z24', 'H3303')"
                       ).fetchone()[0] == (
        "Préparation de matières et produits industriels (broyage, mélange, …)")
    assert con.execute(
        "select fap, categorie, effectifs_milliers from brut.dares_demandeurs where annee = 2020 "
        "and fap in ('G1Z', 'Ensemble') order by all").fetchall() == [
        ("Ensemble", "A", None), ("Ensemble", "ABC", None), ("G1Z", "A", 39.95), ("G1Z", "ABC", 60.69)]
    avant = _instantane(con)
    encore = charger("dares", *fichiers)
    assert [(b.nouvelles, b.mises_a_jour, b.inchangees) for b in encore] == [
        (0, 0, 31034), (0, 0, 2367), (0, 0, 765), (0, 0, 14256)]
    assert _instantane(con) == avant


def test_tensions_fautes_de_ligne_au_milieu_d_un_fichier_valide(tmp_path, con, charger):
    fichier = tmp_path / "tensions.csv"
    fichier.write_text("\n".join([
        ENTETE_TENSIONS,
        _tension(),                                               # line 2
        _tension(niveau="reg ", reg="27.0", tension="1.7"),       # 3: trailing space, float code
        _tension(niveau="reg", reg="1.0"),                        # 4
        _tension(niveau="dep", dep="21", tension="2.96"),         # 5
        _tension(niveau="dep", dep="25", tension="abc"),          # 6: bad number
        _tension(niveau="dep", dep="39", categorie="7.0"),        # 7: out of 1-5
        _tension(niveau="com", dep="21231"),                      # 8: unknown level
        _tension(niveau="dep"),                                   # 9: no département
        _tension(niveau="dep", dep="21", tension="3.1"),          # 10: same key as line 5
        _tension(niveau="dep", dep="58", emploi="-100"),          # 11: negative
        _tension(fap="G1Z71", tension="", categorie=""),          # 12: not published
    ]) + "\n")
    (bilan,) = charger("dares", fichier)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (11, 5, 6)
    assert con.execute(
        "select fap, niveau_geo, code_territoire, tension, categorie_tension, _ligne from brut.dares_tensions "
        "order by _ligne").fetchall() == [
        ("G1Z70", "nat", "FR", 1.5, 5, 2), ("G1Z70", "reg", "27", 1.7, 5, 3), ("G1Z70", "reg", "01", 1.5, 5, 4),
        ("G1Z70", "dep", "21", 2.96, 5, 5), ("G1Z71", "nat", "FR", None, None, 12)]
    assert rejets(con) == [
        ("tensions.csv", 6, "tension", "nombre illisible « abc »"),
        ("tensions.csv", 7, "categorie_tension", "rang hors de 1 à 5 « 7.0 »"),
        ("tensions.csv", 8, "niveau_geo", "niveau géographique inconnu « com » (attendu nat, reg ou dep)"),
        ("tensions.csv", 9, "dep",
         "code de territoire manquant : la colonne dep doit être remplie quand niveau_geo vaut « dep »"),
        ("tensions.csv", 10, "annee, niveau_fap, niveau_geo, code_territoire, fap",
         "ligne en double dans le fichier : même annee, niveau_fap, niveau_geo, code_territoire, fap que la ligne 5"),
        ("tensions.csv", 11, "emploi_moyen", "nombre négatif « -100 »"),
    ]


def test_fap_rome_en_windows_1252_ou_utf8(tmp_path, con, charger):
    lignes = ["Fap;Rome;intitule_rome", "A0Z00;NA;NA", "G1Z70;I1304;Installation et maintenance d'équipements",
              "G1Z70;I13O4;Faute de frappe",
              "E0Z24;H3303;Préparation de matières et produits industriels (broyage, mélange, …)", ";;", ";;"]
    texte = "\n".join(lignes) + "\n"
    latin = tmp_path / "fap225_rome.csv"
    latin.write_bytes(texte.encode("cp1252"))
    utf8 = tmp_path / "fap225_rome_utf8.csv"
    utf8.write_text(texte, encoding="utf-8")
    melange = tmp_path / "fap225_rome_melange.csv"
    melange.write_bytes("\n".join(lignes[:3]).encode() + b"\n" + lignes[4].encode("cp1252") + b"\n")
    b1, b2, b3 = charger("dares", latin, utf8, melange)
    assert (b1.lignes_lues, b1.nouvelles, b1.rejetees) == (4, 3, 1)
    assert b1.remarques == "fichier lu en Windows-1252 (encodage non UTF-8 détecté)"
    assert (b2.nouvelles, b2.mises_a_jour, b2.inchangees, b2.remarques) == (0, 0, 3, "")
    assert (b3.nouvelles, b3.inchangees, b3.rejetees) == (0, 2, 1)
    assert con.execute("select fap, rome_code, intitule_rome from brut.dares_fap_rome order by all").fetchall() == [
        ("A0Z00", None, None), ("E0Z24", "H3303", "Préparation de matières et produits industriels (broyage, mélange, …)"),
        ("G1Z70", "I1304", "Installation et maintenance d'équipements")]
    mal_forme = "code ROME mal formé « I13O4 » (attendu une lettre et 4 chiffres)"
    assert rejets(con) == [
        ("fap225_rome.csv", 4, "rome", mal_forme),
        ("fap225_rome_melange.csv", 4, "(ligne)",
         "encodage invalide : octet 0xE9 non UTF-8 en colonne 15 (réenregistrez le fichier en UTF-8)"),
        ("fap225_rome_utf8.csv", 4, "rome", mal_forme),
    ]


def test_demandeurs_fautes_de_ligne(tmp_path, con, charger):
    fichier = tmp_path / "demandeurs.csv"
    fichier.write_bytes((
        '"Fap3","Annee","Effectifs","Categorie"\n'
        '"G1Z","2020",39.95,"Catégorie A"\n'
        '"Ensemble","2020",NA,"Catégorie A"\n'
        '"G1Z","2020",-1.5,"Catégories A, B, C"\n'
        '"G1Z","2019",12,"Catégorie B"\n'
        '"G1Z","20X0",12,"Catégorie A"\n'
        '"G1Z70","2020",3.5,"Catégories A, B, C"\n'
    ).encode("cp1252"))
    (bilan,) = charger("dares", fichier)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (6, 3, 3)
    assert con.execute("select fap, annee, categorie, effectifs_milliers from brut.dares_demandeurs order by all"
                       ).fetchall() == [("Ensemble", 2020, "A", None), ("G1Z", 2020, "A", 39.95),
                                        ("G1Z70", 2020, "ABC", 3.5)]
    assert rejets(con) == [
        ("demandeurs.csv", 4, "effectifs", "nombre négatif « -1.5 »"),
        ("demandeurs.csv", 5, "categorie",
         "catégorie inconnue « Catégorie B » (attendu « Catégorie A » ou « Catégories A, B, C »)"),
        ("demandeurs.csv", 6, "annee", "année illisible « 20X0 » (attendu 4 chiffres, ex. 2024)"),
    ]


def test_colonne_absente_et_fichier_non_reconnu(tmp_path, con, charger):
    sans_categorie = tmp_path / "tensions.csv"
    sans_categorie.write_text(ENTETE_TENSIONS.replace("Catégorie Tension,", "") + "\n")
    evol = tmp_path / "evol.csv"
    evol.write_text("fap,Année\nG1Z70,2019\n")
    autre = tmp_path / "bmo.csv"
    autre.write_text("annee;Code métier BMO;BE24;met\n2024;G1X72;2715;34\n")
    bilans = charger("dares", sans_categorie, evol, autre)
    assert [b.nouvelles for b in bilans] == [0, 0, 0]
    (autre_rejet, evol_rejet, tensions_rejet) = rejets(con)
    assert autre_rejet[:3] == ("bmo.csv", 1, "(fichier)")
    assert autre_rejet[3].startswith("en-tête non reconnu (4 colonnes ; reconnue(s) : annee ; inconnue(s) : colonnes 2 à 4) ; "
                                     "en-têtes attendus : "
                                     "indicateurs de tension (tensions.csv) (fap, Emploi moyen, Tension , ")
    assert evol_rejet == ("evol.csv", 1, "tension",
                          "colonne(s) obligatoire(s) absente(s) : tension (en-tête lu : 2 colonnes ; reconnue(s) : fap, annee)")
    assert tensions_rejet == ("tensions.csv", 1, "categorie_tension", (
        "colonne(s) obligatoire(s) absente(s) : categorie_tension (en-tête lu : 14 colonnes ; reconnue(s) : fap, "
        "emploi_moyen, tension, "
        "intensite_d_embauches, lien_formation_emploi, manque_de_main_d_ouvre_disponible, "
        "non_durabilite_de_l_emploi, conditions_de_travail_contraignantes, inadequation_geographique, annee, "
        "niveau_geo, niveau_fap, reg, dep)"))


def test_salaire_median_et_libelles_fap(partage, con, charger):
    """dares_salaire_median.csv (Windows-1252, quoted, `;`): 616 rows, codes at the three
    FAP-2009 levels and « Ensemble »; « nd » (not available) reads as unknown."""
    (bilan,) = charger("dares", partage / "dares" / "dares_salaire_median.csv")
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (616, 616, 0)
    # lines 219-220 of the file: "G1Z70";"Techniciens et agents de maîtrise de la maintenance et de
    # l'environnement";"2017-2019";"2100" then the 2003-2005 row
    assert con.execute("select periode, libelle_fap, salaire_median from brut.dares_salaires where fap = 'G1Z70' "
                       "order by periode").fetchall() == [
        ("2003-2005", "Techniciens et agents de maîtrise de la maintenance et de l'environnement", 1702.0),
        ("2017-2019", "Techniciens et agents de maîtrise de la maintenance et de l'environnement", 2100.0)]
    # « nd », unquoted: the label of « Ensemble » (lines 178-179) and 3 salaries at the end of a line
    lignes = (partage / "dares" / "dares_salaire_median.csv").read_bytes().splitlines()
    assert con.execute("select count(*) filter (where salaire_median is null), count(*) filter (where libelle_fap "
                       "is null) from brut.dares_salaires").fetchone() == (
        sum(ligne.endswith(b";nd") for ligne in lignes), sum(ligne.startswith(b'"Ensemble";nd;') for ligne in lignes))
