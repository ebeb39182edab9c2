"""The public referentials shipped whole in ``donnees/referentiels/``: unchanged bytes, every
row loaded, and, on the real France Travail pages of Haute-Savoie with the real BMO 2024
and DARES files, the official ROME-Qualif -> FAP-2021 passage filling the BMO share."""

from __future__ import annotations

import pytest

from flows.chargement.fichiers import ORDRE_SOURCES, lister_fichiers
from flows.config import REFERENTIELS

# shipped file -> its source in ../shared/donnees-reelles (SOURCES.md)
LIVRES = {
    "rome/unix_referentiel_code_rome_v460_utf8.csv": "rome-v460/unix_referentiel_code_rome_v460_utf8.csv",
    "rome/unix_referentiel_appellation_v460_utf8.csv": "rome-v460/unix_referentiel_appellation_v460_utf8.csv",
    "rome/unix_texte_v460_utf8.csv": "rome-v460/unix_texte_v460_utf8.csv",
    "rome/unix_rubrique_mobilite_v460_utf8.csv": "rome-v460/unix_rubrique_mobilite_v460_utf8.csv",
    "fap2021/Dares_Table_passage_ROME_Qualif_to_FAP2021_pour_programme.csv":
        "fap2021/Dares_Table_passage_ROME_Qualif_to_FAP2021_pour_programme.csv",
    "fap2021/dares_nomenclature_fap2021.csv": "fap2021/dares_nomenclature_fap2021.csv",
    "dares/fap225_rome.csv": "dares/fap225_rome.csv",
    "communes/communes.csv": "communes/communes.csv",
    "communes/France_Travail_Bassin_Emploi_2021.csv": "bmo-2024/France_Travail_Bassin_Emploi_2021.csv",
}
# data rows of each file: `wc -l` minus the header (fap225_rome.csv ends with three empty
# rows ";;", skipped; it has 768 lines after its header)
LIGNES = {
    "unix_referentiel_code_rome_v460_utf8.csv": ("brut.rome_codes", 1584),
    "unix_referentiel_appellation_v460_utf8.csv": ("brut.rome_appellations", 13120),
    "unix_texte_v460_utf8.csv": ("brut.rome_textes", 11980),
    "unix_rubrique_mobilite_v460_utf8.csv": ("brut.rome_mobilites", 14912),
    "Dares_Table_passage_ROME_Qualif_to_FAP2021_pour_programme.csv": ("brut.rome_qualif_fap2021", 5320),
    "dares_nomenclature_fap2021.csv": ("brut.fap2021", 341),
    "fap225_rome.csv": ("brut.dares_fap_rome", 768 - 3),
    "communes.csv": ("brut.communes", 36208),
    "France_Travail_Bassin_Emploi_2021.csv": ("brut.bassins_bmo", 37498),
}


def test_livres_a_l_identique(partage):
    livres = {str(p.relative_to(REFERENTIELS)) for p in REFERENTIELS.rglob("*") if p.is_file() and p.name != "README.md"}
    assert livres == set(LIVRES)
    for livre, source in LIVRES.items():
        assert (REFERENTIELS / livre).read_bytes() == (partage / source).read_bytes(), livre
    taille = sum((REFERENTIELS / livre).stat().st_size for livre in LIVRES)
    assert taille == 9_824_381  # 9.4 MiB, of which communes 3.6 MB and job titles 2.3 MB


def charger_livres(charger) -> dict[str, tuple[int, int, int]]:
    """Every shipped file, in the order ``ingestion_complete`` loads them: (read, new, rejected)."""
    bilans = {}
    for source in ORDRE_SOURCES:
        if (REFERENTIELS / source).is_dir():
            for fichier, _ in lister_fichiers([REFERENTIELS / source]):
                (b,) = charger(source, fichier)
                bilans[fichier.name] = (b.lignes_lues, b.nouvelles, b.rejetees)
    return bilans


@pytest.fixture
def livres(charger, construire):
    bilans = charger_livres(charger)
    construire()
    return bilans


def test_chaque_ligne_livree_est_chargee(livres, con):
    assert livres == {nom: (n, n, 0) for nom, (_, n) in LIGNES.items()}
    for table, n in LIGNES.values():
        assert con.execute(f"select count(*) from {table}").fetchone()[0] == n, table


def test_passage_rome_qualification_fap2021(livres, con):
    def fap(rome, qualification):
        return con.execute("select code_fap341, code_fap228 from prep.rome_qualif_fap "
                           "where code_rome_parent = ? and qualification = ?", [rome, qualification]).fetchone()

    assert fap("I1304", "7") == ("G1X72a", "G1X72")  # technicians
    assert fap("I1304", "5") == ("G0A40b", "G0A40")  # workers
    assert fap("I1304", "0") == ("G0A40b", "G0A40")  # unknown qualification
    assert fap("I1304", "9") == ("H1X92", "H1X92")  # engineers
    # every FAP341 of the passage is in the nomenclature
    assert con.execute("select count(*) from prep.rome_qualif_fap where libelle_fap228 is null").fetchone()[0] == 0


def test_offres_reelles_de_haute_savoie(partage, charger, construire, con):
    """Shipped referentials, the real BMO 2024 and DARES files and the 7 France Travail pages
    of département 74: the I1304 offers get the BMO share of their FAP-2021 families."""
    charger_livres(charger)
    charger("dares", *(partage / "dares" / f for f in ("tensions.csv", "evol_tensions.csv",
                                                       "serie_demandeurs_emploi_A_ABC.csv")))
    (bmo,) = charger("bmo", partage / "bmo-2024" / "Base_open_data_BMO_2024.xlsx")
    assert (bmo.lignes_lues, bmo.rejetees) == (53443, 0)
    charger("offres-ft", *sorted((partage / "ft-offres-74").glob("page-*.json")))
    construire()
    assert con.execute("select projets, projets_difficiles from brut.bmo where bassin = '2715' and code_fap = 'G1X72'"
                       ).fetchone() == (34, 34)  # Bassin de Dijon

    def cellule(territoire, niveau="departement", code="I1304", niveau_code="rome4"):
        return con.execute(
            'select offres, annee_bmo, projets_bmo, part_difficile_bmo from "analyse".tension_marche '
            "where niveau_code = ? and code = ? and niveau_territoire = ? and code_territoire = ? "
            "and type_periode = 'mois' and periode = '2025-08'", [niveau_code, code, niveau, territoire]).fetchone()

    # the 11 offers coded I1304, all created on 4 and 5 August 2025: qualification 2, 2, 6
    # (-> G0A40b -> BMO G0A40), 7, 7, 7, 7 (-> G1X72a -> G1X72) and 4 without one (level 0:
    # G0A40b). BMO 2024 in Haute-Savoie, projects (difficult): G0A40 Chablais 27 (20),
    # Genevois français 17 (6), Annecy 124 (75), Vallée de l'Arve 88 (57); G1X72 Chablais *
    # (masked, left out), Annecy 52 (40), Vallée de l'Arve 43 (26).
    projets, difficiles = 27 + 17 + 124 + 88 + 52 + 43, 20 + 6 + 75 + 57 + 40 + 26
    assert cellule("74") == (11, 2024, projets, pytest.approx(difficiles / projets))  # 224 / 351
    # by basin, only the families of the basin's own offers
    assert cellule("8405", "bassin") == (1, 2024, 27, pytest.approx(20 / 27))  # Chablais: one level-2 offer
    assert cellule("8408", "bassin") == (4, 2024, 88 + 43, pytest.approx((57 + 26) / (88 + 43)))  # 2 and 7, 7, 7
    assert cellule("8407", "bassin") == (6, 2024, 124 + 52, pytest.approx((75 + 40) / (124 + 52)))
    # DARES 2019 through fap225_rome: I1304 -> G1Z70, whose Haute-Savoie score is 0.844
    assert con.execute(
        'select score_dares, niveau_dares from "analyse".comparaison_officielle '
        "where niveau_code = 'fap2009' and code = 'G1Z70' and niveau_territoire = 'departement' "
        "and code_territoire = '74' and annee = '2025'").fetchone() == (pytest.approx(0.8442022117343025), 5)


def test_un_referentiel_depose_remplace_le_livre(tmp_path):
    """A newer ROME codes file or basin table dropped in entree/ is loaded instead of the
    shipped one; the other shipped files of the source still load."""
    from flows.chargement.fichiers import livres_remplaces

    rome = tmp_path / "rome"
    rome.mkdir()
    (rome / "codes_v470.csv").write_text('"code_rome","code_fiche_metier","code_ogr","libelle_rome","transition_eco",'
                                         '"transition_num","transition_demo","emploi_reglemente","emploi_cadre",'
                                         '"code_rome_parent"\n')
    (rome / "notes.csv").write_text("a;b\n1;2\n")  # fits no kind: replaces nothing
    assert livres_remplaces("rome", REFERENTIELS / "rome", [rome]) == {
        REFERENTIELS / "rome" / "unix_referentiel_code_rome_v460_utf8.csv": rome / "codes_v470.csv"}
    communes = tmp_path / "communes"
    communes.mkdir()
    # the rebuilt basin table fills the same table as the official one it replaces
    (communes / "bassin_emploi.csv").write_text("reg,dep,code_commune_insee,code_bassin_BMO,lib_bassin_BMO\n")
    assert livres_remplaces("communes", REFERENTIELS / "communes", [communes]) == {
        REFERENTIELS / "communes" / "France_Travail_Bassin_Emploi_2021.csv": communes / "bassin_emploi.csv"}
    assert livres_remplaces("dares", REFERENTIELS / "dares", [communes]) == {}
