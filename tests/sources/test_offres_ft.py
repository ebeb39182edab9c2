"""France Travail API v2 offers: the real pages of ../shared, and malformed files."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.conftest import rejets

HEURES = 151.67  # legal full-time month, config/parametres.toml


def _offres(partage):
    return sorted((partage / "ft-offres-74").glob("*.json"))


def _instantane(con) -> list:
    """Every raw offer row and child row, for comparing two states of the warehouse."""
    tables = ["offres_ft", "offres_ft_competences", "offres_ft_formations", "offres_ft_langues",
              "offres_ft_permis", "offres_ft_qualites"]
    return [con.execute(f"select * exclude (_charge_le) from brut.{t} order by all").fetchall() for t in tables]


def test_les_838_offres_reelles_se_chargent_une_seule_fois(partage, con, charger):
    bilans = charger("offres-ft", *_offres(partage))
    assert sum(b.nouvelles for b in bilans) == 838
    assert sum(b.rejetees for b in bilans) == 0
    assert con.execute("select count(*), count(distinct offre_id) from brut.offres_ft").fetchone() == (838, 838)
    avant = _instantane(con)
    encore = charger("offres-ft", *_offres(partage))
    assert sum(b.nouvelles + b.mises_a_jour for b in encore) == 0
    assert sum(b.inchangees for b in encore) == 838
    assert _instantane(con) == avant


def test_valeurs_exactes_d_offres_reelles(partage, con, charger):
    charger("offres-ft", *_offres(partage))
    lire = lambda oid: con.execute(  # noqa: E731
        "select salaire_min_mensuel, salaire_max_mensuel, salaire_periode, experience_mois, type_contrat, "
        "duree_contrat_mois, commune_insee, temps_plein, rome_code, date_creation, _chemin_json "
        "from brut.offres_ft where offre_id = ?", [oid]).fetchone()
    # "Horaire de 12.5 Euros à 15.0 Euros sur 12.0 mois", "4 An(s)", "Intérim - 12 Mois", Rumilly
    assert lire("196DHCZ") == (pytest.approx(12.5 * HEURES), pytest.approx(15.0 * HEURES), "horaire", 48.0,
                               "MIS", 12.0, "74225", True, "I1304",
                               datetime(2025, 8, 5, 10, 54, 44, 934000), "resultats[119]")
    # "Annuel de 30000.0 Euros à 35000.0 Euros sur 12.0 mois", "2 An(s)", "Intérim - 17 Mois"
    assert lire("196BWVP")[:8] == (2500.0, pytest.approx(35000 / 12), "annuel", 24.0, "MIS", 17.0, "74281", True)
    # "Mensuel de 1911,00 Euros", "Expérience exigée de 3 An(s)", "Mission intérimaire - 3 Mois", no working time
    assert lire("0658569")[:8] == (1911.0, 1911.0, "mensuel", 36.0, "MIS", 3.0, "74010", None)
    # "Annuel de 17,00 Euros à 27,00 Euros" is an hourly rate mislabelled: 17 € × 151.67 h
    assert lire("0594768")[:3] == (pytest.approx(17 * HEURES), pytest.approx(27 * HEURES), "horaire")


def test_les_11_offres_i1304_ont_leur_salaire_quand_il_est_libelle(partage, con, charger):
    charger("offres-ft", *_offres(partage))
    lignes = con.execute(
        "select offre_id, salaire_libelle, salaire_min_mensuel from brut.offres_ft where rome_code = 'I1304'"
    ).fetchall()
    assert len(lignes) == 11
    avec_libelle = [ligne for ligne in lignes if ligne[1]]
    assert len(avec_libelle) == 8
    assert all(ligne[2] is not None for ligne in avec_libelle)


def test_code_rome_parent_via_le_referentiel(partage, con, charger):
    charger("rome", partage / "rome-v460" / "unix_referentiel_code_rome_v460_utf8.csv")
    charger("offres-ft", *_offres(partage))
    from flows.transformation import construire_couche

    construire_couche.fn("prep", con.execute(
        "select path from duckdb_databases() where database_name = current_database()").fetchone()[0])
    parents = dict(con.execute(
        "select offre_id, rome_code_parent from prep.offres where offre_id in ('196BWVP', '196DHCZ', '196CWQH')"
    ).fetchall())
    assert parents == {"196BWVP": "I1304", "196DHCZ": "I1304", "196CWQH": "M1607"}


def test_listes_imbriquees_dans_les_tables_filles(partage, con, charger):
    charger("offres-ft", *_offres(partage))
    comptes = [con.execute(f"select count(*) from brut.offres_ft_{t}").fetchone()[0]
               for t in ("competences", "formations", "langues", "permis", "qualites")]
    # counted in the raw JSON: 1297 skills, 99 trainings, 44 languages, 97 licences, 583 qualities
    assert comptes == [1297, 99, 44, 97, 583]


def test_aucun_contact_de_recruteur_dans_l_entrepot(partage, con, charger):
    charger("offres-ft", *_offres(partage))
    contacts = set()
    for fichier in _offres(partage):
        for offre in json.loads(fichier.read_text())["resultats"]:
            for bloc in ("contact", "agence"):
                for champ, valeur in (offre.get(bloc) or {}).items():
                    if champ in {"nom", "courriel", "telephone", "coordonnees1", "urlPostulation"}:
                        contacts.add(valeur)
    assert len(contacts) > 300
    textes = _tous_les_textes(con)
    assert [c for c in contacts if any(c in t for t in textes)] == []
    # e-mails and phones written into descriptions are masked too
    assert not any("gmail.com" in t or "04 50 67 09 90" in t for t in textes)


def _tous_les_textes(con) -> list[str]:
    textes = []
    colonnes = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type in ('VARCHAR', 'VARCHAR[]') and table_schema not in ('information_schema', 'pg_catalog')"
    ).fetchall()
    for schema, table, colonne in colonnes:
        requete = f'select distinct cast("{colonne}" as varchar) from "{schema}"."{table}"'
        textes += [v for (v,) in con.execute(requete).fetchall() if v]
    return textes


# --------------------------------------------------------------------------- malformed

def _offre(id_, **champs):
    offre = {"id": id_, "intitule": f"Offre {id_}", "dateCreation": "2025-03-01T08:00:00.000Z",
             "dateActualisation": "2025-03-02T08:00:00.000Z", "romeCode": "I1304",
             "lieuTravail": {"libelle": "21 - DIJON", "commune": "21231"}, "nombrePostes": 1}
    offre.update(champs)
    return offre


def test_json_tronque_garde_les_offres_completes(tmp_path, con, charger):
    texte = json.dumps({"resultats": [_offre("A1"), _offre("A2"), _offre("A3")]}, indent=2)
    fichier = tmp_path / "tronque.json"
    fichier.write_text(texte[: texte.index('"A3"') + 10])
    (bilan,) = charger("offres-ft", fichier)
    assert (bilan.nouvelles, bilan.rejetees) == (2, 1)
    assert con.execute("select list(offre_id order by offre_id) from brut.offres_ft").fetchone()[0] == ["A1", "A2"]
    ((nom, ligne, champ, motif),) = rejets(con)
    ligne_coupure = texte[: texte.index('"A3"') + 10].count("\n") + 1
    assert (nom, ligne, champ) == ("tronque.json", ligne_coupure, "(fichier)")
    assert motif.startswith(f"JSON tronqué ou invalide à la ligne {ligne_coupure}, colonne ")
    assert motif.endswith("les offres complètes avant ce point sont chargées")


def test_tableau_nu_et_lignes_json(tmp_path, con, charger):
    tableau = tmp_path / "tableau.json"
    tableau.write_text(json.dumps([_offre("B1"), _offre("B2")]))
    lignes = tmp_path / "flux.jsonl"
    lignes.write_text(json.dumps(_offre("C1")) + "\n{pas du json\n" + json.dumps(_offre("C2")) + "\n")
    b1, b2 = charger("offres-ft", tableau, lignes)
    assert (b1.nouvelles, b2.nouvelles, b2.rejetees) == (2, 2, 1)
    assert rejets(con) == [("flux.jsonl", 2, "(ligne)",
                            "ligne JSON invalide : nom de clé entre guillemets attendu")]


def test_valeurs_invalides_mises_en_quarantaine(tmp_path, con, charger):
    fichier = tmp_path / "page.json"
    fichier.write_text(json.dumps({"resultats": [
        _offre("D1"),
        _offre("D2", dateCreation="05/03/2025"),
        _offre("D3", romeCode="MAINT1"),
        _offre("D4", nombrePostes=-2),
        _offre("D1"),
        "pas une offre",
        _offre("D5", intitule=""),
    ]}))
    (bilan,) = charger("offres-ft", fichier)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (7, 1, 6)
    lignes = con.execute("select chemin_json, champ, valeur, motif from controle.rejets order by chemin_json").fetchall()
    assert lignes == [
        ("resultats[1]", "dateCreation", "05/03/2025", "horodatage illisible « 05/03/2025 » (attendu ISO 8601)"),
        ("resultats[2]", "romeCode", "MAINT1", "code ROME mal formé « MAINT1 » (attendu une lettre et 4 chiffres)"),
        ("resultats[3]", "nombrePostes", "-2", "effectif négatif « -2 »"),
        ("resultats[4]", "id", "D1", "offre en double dans le fichier (déjà lue en resultats[0])"),
        ("resultats[5]", "(offre)", "pas une offre", "l'élément n'est pas une offre (objet JSON attendu)"),
        ("resultats[6]", "intitule", None, "intitulé de l'offre manquant"),
    ]


def test_forme_inattendue_et_encodage(tmp_path, con, charger):
    forme = tmp_path / "forme.json"
    forme.write_text(json.dumps({"offres": [_offre("E1")]}))
    latin = tmp_path / "latin.json"
    latin.write_bytes(json.dumps([_offre("E2", intitule="Opérateur")], ensure_ascii=False).encode("cp1252"))
    b1, b2 = charger("offres-ft", forme, latin)
    assert (b1.nouvelles, b1.rejetees, b2.nouvelles, b2.rejetees) == (0, 1, 0, 1)
    assert rejets(con) == [
        ("forme.json", 1, "(fichier)", "JSON de forme inattendue : ni réponse de l'API (clé « resultats »), "
                                       "ni tableau d'offres, ni lignes JSON (trouvé : « offres »)"),
        ("latin.json", 1, "(fichier)", "encodage invalide : octet 0xE9 non UTF-8 (les réponses de l'API sont en UTF-8)"),
    ]


def test_une_version_plus_recente_remplace_sans_doubler(tmp_path, con, charger):
    v1, v2, v0 = (tmp_path / f"v{i}.json" for i in (1, 2, 0))
    v1.write_text(json.dumps([_offre("F1", intitule="Technicien", competences=[{"libelle": "Soudure", "exigence": "E"}])]))
    v2.write_text(json.dumps([_offre("F1", intitule="Technicien de maintenance", dateActualisation="2025-04-01T08:00:00Z",
                                     competences=[{"libelle": "GMAO", "exigence": "S"}, {"libelle": "Soudure", "exigence": "E"}])]))
    v0.write_text(json.dumps([_offre("F1", intitule="Ancienne version", dateActualisation="2025-03-01T09:00:00Z")]))
    b1, b2, b0 = charger("offres-ft", v1, v2, v0)
    assert (b1.nouvelles, b2.mises_a_jour, b0.inchangees) == (1, 1, 1)
    assert con.execute("select intitule, _fichier like '%v2.json' from brut.offres_ft").fetchall() == [
        ("Technicien de maintenance", True)]
    assert con.execute("select list(libelle order by rang) from brut.offres_ft_competences").fetchone()[0] == [
        "GMAO", "Soudure"]
