"""ROME 4.0 referential (RefRomeCsv): the real v4.60 files of ../shared, and malformed files."""

from __future__ import annotations

from tests.conftest import rejets

ENTETE_CODES = ("code_rome", "code_fiche_metier", "code_ogr", "libelle_rome", "transition_eco", "transition_num",
                "transition_demo", "emploi_reglemente", "emploi_cadre", "code_rome_parent")
ENTETE_APPELLATIONS = ("code_ogr", "libelle_appellation_long", "libelle_appellation_court", "code_rome",
                       "transition_eco", "transition_num", "transition_demo", "emploi_reglemente", "emploi_cadre",
                       "classification", "origine", "code_rome_parent", "peu_usite")


def _csv(*lignes: tuple[str, ...]) -> str:
    """RefRomeCsv style: every field quoted, comma-separated."""
    return "".join(",".join(f'"{v}"' for v in ligne) + "\n" for ligne in lignes)


def _code(code: str, libelle: str, parent: str, fiche: str = "1", ogr: str = "1") -> tuple[str, ...]:
    return (code, fiche, ogr, libelle, "Emploi Blanc", "N", "N", "N", "N", parent)


def _appellation(ogr: str, libelle: str, code: str) -> tuple[str, ...]:
    return (ogr, libelle, libelle, code, "Emploi Blanc", "", "", "", "", "SYNONYME", "", code, "N")


def _instantane(con) -> list:
    return [con.execute(requete).fetchall() for requete in (
        "select * exclude (_charge_le) from brut.rome_codes order by all",
        "select * exclude (_charge_le) from brut.rome_appellations order by all")]


def test_referentiel_reel_v460(partage, con, charger):
    dossier = partage / "rome-v460"
    codes = dossier / "unix_referentiel_code_rome_v460_utf8.csv"
    appellations = dossier / "unix_referentiel_appellation_v460_utf8.csv"
    b1, b2 = charger("rome", codes, appellations)  # codes first: appellations are checked against them
    assert (b1.lignes_lues, b1.nouvelles, b1.rejetees) == (1584, 1584, 0)
    assert (b2.lignes_lues, b2.nouvelles, b2.rejetees) == (13120, 13120, 0)
    assert con.execute("select count(distinct code_rome_parent) from brut.rome_codes").fetchone()[0] == 532
    # line 841 of the file: "I1326","33615","510453","Responsable d'équipe maintenance",...,"I1304"
    assert con.execute(
        "select code_fiche_metier, code_ogr, libelle_rome, transition_eco, emploi_cadre, code_rome_parent, _ligne "
        "from brut.rome_codes where code_rome = 'I1326'").fetchone() == (
        "33615", "510453", "Responsable d'équipe maintenance", "Emploi stratégique pour la Transition écologique",
        "N", "I1304", 841)
    # line 3 of the file: an empty flag stays NULL, not ""
    assert con.execute(
        "select libelle_rome, transition_num, code_rome_parent from brut.rome_codes where code_rome = 'A1102'"
    ).fetchone() == ("Conducteur / Conductrice d'engins d'exploitation forestière", None, "A1101")
    assert con.execute(
        "select libelle_appellation_long, code_rome, classification, peu_usite, _ligne "
        "from brut.rome_appellations where code_ogr = '10200'").fetchone() == (
        "Abatteur / Abatteuse de carrière", "F1402", "SYNONYME", "N", 2)
    avant = _instantane(con)
    encore = charger("rome", codes, appellations)
    assert [(b.nouvelles, b.mises_a_jour, b.inchangees) for b in encore] == [(0, 0, 1584), (0, 0, 13120)]
    assert _instantane(con) == avant


def test_le_genre_de_fichier_vient_de_l_entete_pas_du_nom(tmp_path, con, charger):
    trompeur = tmp_path / "unix_referentiel_code_rome_v470_utf8.csv"
    trompeur.write_text(_csv(ENTETE_APPELLATIONS, _appellation("38", "Technicien de maintenance", "I1304")))
    (bilan,) = charger("rome", trompeur)
    assert bilan.nouvelles == 1
    assert con.execute("select count(*) from brut.rome_codes").fetchone()[0] == 0
    assert con.execute("select code_ogr, code_rome from brut.rome_appellations").fetchall() == [("38", "I1304")]


def test_fautes_de_ligne_au_milieu_d_un_fichier_valide(tmp_path, con, charger):
    fichier = tmp_path / "codes.csv"
    fichier.write_text(_csv(
        ENTETE_CODES,
        _code("A1101", "Conducteur / Conductrice d'engins agricoles", "A1101"),   # line 2
        _code("I13O4", "Technicien de maintenance", "I1304"),                     # 3: letter O
        _code("I1304", "Technicien / Technicienne de maintenance industrielle", "I1304"),
        _code("I1326", "Responsable d'équipe maintenance", "I13"),                # 5: bad parent
        _code("A1101", "Doublon", "A1101"),                                       # 6: same key as line 2
        _code("I1310", "", "I1304", fiche="12a"),                                 # 7: two faults
        _code("M1607", "Secrétaire", "M1607"),
    ) + '"K2112","1","2"\n')                                                      # 9: 3 fields
    (bilan,) = charger("rome", fichier)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (8, 3, 5)
    assert con.execute("select list(code_rome order by code_rome) from brut.rome_codes").fetchone()[0] == [
        "A1101", "I1304", "M1607"]
    assert con.execute("select libelle_rome from brut.rome_codes where code_rome = 'A1101'").fetchone()[0] == (
        "Conducteur / Conductrice d'engins agricoles")  # the first of the duplicates is kept
    assert rejets(con) == [
        ("codes.csv", 3, "code_rome", "code ROME mal formé « I13O4 » (attendu une lettre et 4 chiffres)"),
        ("codes.csv", 5, "code_rome_parent", "code ROME mal formé « I13 » (attendu une lettre et 4 chiffres)"),
        ("codes.csv", 6, "code_rome", "ligne en double dans le fichier : même code_rome que la ligne 2"),
        ("codes.csv", 7, "code_fiche_metier", "identifiant mal formé « 12a » (attendu des chiffres)"),
        ("codes.csv", 7, "libelle_rome", "valeur obligatoire manquante"),
        ("codes.csv", 9, "(ligne)", "3 champs au lieu de 10 (séparateur ou guillemets ?)"),
    ]


def test_appellation_d_un_code_absent_du_referentiel_charge(tmp_path, con, charger):
    codes = tmp_path / "codes.csv"
    codes.write_text(_csv(ENTETE_CODES, _code("I1304", "Technicien de maintenance industrielle", "I1304")))
    appellations = tmp_path / "appellations.csv"
    appellations.write_text(_csv(
        ENTETE_APPELLATIONS,
        _appellation("38", "Technicien de maintenance", "I1304"),
        _appellation("39", "Gardien de phare", "K2112"),
        _appellation("4O", "Mécanicien", "I1304"),
    ))
    charger("rome", codes, appellations)
    assert con.execute("select code_ogr from brut.rome_appellations").fetchall() == [("38",)]
    inconnu = ("code ROME inconnu « K2112 » : absent du référentiel ROME chargé "
               "(chargez le référentiel complet avec « ingerer rome »)")
    assert rejets(con) == [
        ("appellations.csv", 3, "code_rome", inconnu),
        ("appellations.csv", 3, "code_rome_parent", inconnu),
        ("appellations.csv", 4, "code_ogr", "identifiant mal formé « 4O » (attendu des chiffres)"),
    ]


def test_colonne_absente_et_entete_inconnu(tmp_path, con, charger):
    sans_libelle = tmp_path / "sans_libelle.csv"
    entete = tuple(c for c in ENTETE_CODES if c != "libelle_rome")
    sans_libelle.write_text(_csv(entete, ("A1101", "11", "6", "", "", "", "", "", "A1101")))
    autre = tmp_path / "autre.csv"
    autre.write_text("fap;rome\nG1Z70;I1304\n")
    vide = tmp_path / "vide.csv"
    vide.write_text("\n\n")
    bilans = charger("rome", sans_libelle, autre, vide)
    assert [b.nouvelles for b in bilans] == [0, 0, 0]
    assert rejets(con) == [
        ("autre.csv", 1, "(fichier)",
         "en-tête non reconnu (2 colonnes ; reconnue(s) : aucune ; inconnue(s) : colonnes 1, 2) ; en-têtes attendus : référentiel des codes ROME ("
         + ", ".join(ENTETE_CODES) + ") ; référentiel des appellations ROME (" + ", ".join(ENTETE_APPELLATIONS)
         + ") ; textes des fiches ROME (code_rome, code_compo_bloc, libelle_type_texte, position_phrase, "
         "libelle_texte) ; mobilités entre codes ROME (code_rome, code_rome_cible, numero_ordre)"),
        ("sans_libelle.csv", 1, "libelle_rome",
         f"colonne(s) obligatoire(s) absente(s) : libelle_rome (en-tête lu : {len(entete)} colonnes ; reconnue(s) : "
         + ", ".join(entete) + ")"),
        ("vide.csv", 1, "(fichier)", "fichier vide : aucune ligne d'en-tête"),
    ]


def test_encodages(tmp_path, con, charger):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(_csv(ENTETE_CODES, _code("I1304", "Électromécanicien", "I1304")).encode("cp1252"))
    melange = tmp_path / "melange.csv"
    melange.write_bytes(
        _csv(ENTETE_CODES, _code("A1101", "Conducteur d'engins agricoles", "A1101")).encode()
        + _csv(_code("A1201", "Bûcheron", "A1201")).encode("cp1252")
        + _csv(_code("M1607", "Secrétaire", "M1607")).encode())
    b1, b2 = charger("rome", latin, melange)
    assert b1.remarques == "fichier lu en Windows-1252 (encodage non UTF-8 détecté)"
    assert (b2.nouvelles, b2.rejetees) == (2, 1)
    assert con.execute("select code_rome, libelle_rome from brut.rome_codes order by code_rome").fetchall() == [
        ("A1101", "Conducteur d'engins agricoles"), ("I1304", "Électromécanicien"), ("M1607", "Secrétaire")]
    assert rejets(con) == [("melange.csv", 3, "(ligne)", "encodage invalide : octet 0xFB non UTF-8 en colonne 19 "
                                                          "(réenregistrez le fichier en UTF-8)")]


def test_textes_et_mobilites_reels(partage, con, charger):
    dossier = partage / "rome-v460"
    b1, b2, b3 = charger("rome", dossier / "unix_referentiel_code_rome_v460_utf8.csv",
                         dossier / "unix_texte_v460_utf8.csv", dossier / "unix_rubrique_mobilite_v460_utf8.csv")
    assert (b2.lignes_lues, b2.nouvelles, b2.rejetees) == (11980, 11980, 0)
    assert (b3.lignes_lues, b3.nouvelles, b3.rejetees) == (14912, 14912, 0)
    # I1304: 7 sentences of definition, 3 of access to the job
    assert con.execute(
        "select libelle_type_texte, count(*) from brut.rome_textes where code_rome = 'I1304' group by all order by 1"
    ).fetchall() == [("acces_metier", 3), ("definition", 7)]
    assert con.execute(
        "select code_compo_bloc, libelle_texte from brut.rome_textes "
        "where (code_rome, libelle_type_texte, position_phrase) = ('A1101', 'definition', 1)").fetchone() == (
        "3", "Réalise des travaux agricoles mécanisés.")
    # the first two mobilities of the file (lines 2 and 3)
    assert con.execute("select code_rome_cible, numero_ordre, _ligne from brut.rome_mobilites "
                       "where code_rome = 'A1101' and _ligne < 4 order by _ligne").fetchall() == [
        ("A1102", 6, 2), ("A1201", 5, 3)]


def test_textes_et_mobilites_fautes(tmp_path, con, charger):
    codes = tmp_path / "codes.csv"
    codes.write_text(_csv(ENTETE_CODES, _code("I1304", "Technicien de maintenance industrielle", "I1304"),
                          _code("I1326", "Responsable d'équipe maintenance", "I1304")))
    textes = tmp_path / "textes.csv"
    textes.write_text(_csv(
        ("code_rome", "code_compo_bloc", "libelle_type_texte", "position_phrase", "libelle_texte"),
        ("I1304", "3", "definition", "1", "Assure la maintenance."),          # line 2
        ("I1304", "3", "definition", "un", "Diagnostique les pannes."),       # 3: position not a number
        ("I1304", "4", "acces_metier", "1", "Bac+2 en maintenance."),
    ))
    mobilites = tmp_path / "mobilites.csv"
    mobilites.write_text(_csv(
        ("code_rome", "code_rome_cible", "numero_ordre"),
        ("I1304", "I1326", "1"),                                               # line 2
        ("I1304", "K2112", "2"),                                               # 3: unknown target
    ))
    charger("rome", codes, textes, mobilites)
    assert con.execute("select code_rome, libelle_type_texte, position_phrase, libelle_texte from brut.rome_textes "
                       "order by all").fetchall() == [
        ("I1304", "acces_metier", 1, "Bac+2 en maintenance."), ("I1304", "definition", 1, "Assure la maintenance.")]
    assert con.execute("select code_rome, code_rome_cible, numero_ordre from brut.rome_mobilites").fetchall() == [
        ("I1304", "I1326", 1)]
    assert rejets(con) == [
        ("mobilites.csv", 3, "code_rome_cible", "code ROME inconnu « K2112 » : absent du référentiel ROME chargé "
                                                "(chargez le référentiel complet avec « ingerer rome »)"),
        ("textes.csv", 3, "position_phrase", "identifiant mal formé « un » (attendu des chiffres)"),
    ]
