"""Catalogue of bad inputs: whatever is dropped in the input folder, the load goes on,
loses nothing silently and says in French why each row or file went to the quarantine.

Every fixture is written by its test. Each case asserts the exact quarantine rows, the
rows still loaded and, where it matters, the values stored.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import pathlib
import struct
import zipfile
from datetime import date, timedelta

import duckdb
import pytest
from openpyxl import Workbook

from flows.chargement.fichiers import lister_fichiers
from flows.chargement.un_fichier import charger_fichier
from flows.config import RACINE
from flows.lecture.fichiers import FichierRefuse
from flows.lecture.lots import empreinte, nom_affiche
from flows.sources.entreprise import CANDIDATURES, RECRUTEMENTS
from tests.conftest import rejets

PROFILS = "identifiant;mois;code_rome;commune;categorie;niveau_diplome;experience_annees;permis_b;rayon_mobilite_km"
DEMANDEURS = "code_rome;type_territoire;code_territoire;type_periode;periode;categorie;demandeurs;entrees;sorties"
BFC = ["Référence annonce", "Intitulé du poste", "Descriptif", "Date de publication", "Code commune", "Société",
       "Contrat", "Durée (mois)", "Temps de travail", "Rémunération", "Expérience", "Nombre de postes", "Lien"]
TALENTIS = ["Job ID", "Job title", "Job description", "Created on", "Location INSEE", "Company", "Contract type",
            "Salary min", "Salary max", "Experience (years)", "Education level", "Openings", "Url"]
ESPACE_FINE = "\u202f"  # thousands separator of French numbers in messages


@pytest.fixture
def referentiels(con):
    """A tiny ROME and commune referential: codes outside it are unknown."""
    for code in ("I1304", "H2301"):
        con.execute("insert into brut.rome_codes (code_rome, _fichier, _sha256, _charge_le) "
                    "values (?, 'test', 'test', now()::timestamp)", [code])
    for insee in ("21231", "01053"):
        con.execute("insert into brut.communes (insee_com, code_postal, commune, commune_type, _fichier, _sha256, "
                    "_charge_le) values (?, '00000', 'Commune', 'COM', 'test', 'test', now()::timestamp)", [insee])


def _fichier(tmp_path, nom: str, contenu: bytes | str, encodage: str = "utf-8"):
    chemin = tmp_path / nom
    chemin.write_bytes(contenu if isinstance(contenu, bytes) else contenu.encode(encodage))
    return chemin


def _csv(*lignes: str) -> str:
    return "\r\n".join(lignes) + "\r\n"


def _profils(con) -> list[tuple]:
    return con.execute("select _ligne, mois, code_rome, commune_insee, niveau_diplome, experience_annees "
                       "from brut.profils_demandeurs order by _ligne").fetchall()


def _offre(id_, **champs):
    return {"id": id_, "intitule": f"Offre {id_}", "dateCreation": "2025-03-01T08:00:00Z", "romeCode": "I1304",
            **champs}


def _classeur(feuilles: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for nom, lignes in feuilles.items():
        ws = wb.create_sheet(nom)
        for ligne in lignes:
            ws.append(ligne)
    tampon = io.BytesIO()
    wb.save(tampon)
    return tampon.getvalue()


# --------------------------------------------------------------------------- empty files

@pytest.mark.parametrize(("source", "nom", "contenu", "attendus"), [
    ("profils", "vide.csv", b"", [("vide.csv", 1, "(fichier)", "fichier vide : aucune ligne d'en-tête")]),
    ("profils", "blanc.csv", b" \r\n\r\n  ", [("blanc.csv", 1, "(fichier)", "fichier vide : aucune ligne d'en-tête")]),
    ("demandeurs", "vide.csv", b"", [("vide.csv", 1, "(fichier)", "fichier vide : aucune ligne d'en-tête")]),
    ("offres-ft", "vide.json", b"", [("vide.json", 1, "(fichier)", "fichier vide")]),
    # an empty file named .xlsx is not a workbook: it is read as an empty text file
    ("entreprise", "vide.xlsx", b"", [("vide.xlsx", 1, "(fichier)", "fichier vide : aucune ligne d'en-tête")]),
    ("entreprise", "feuilles-vides.xlsx", _classeur({"recrutements": [], "candidatures": []}),
     [("feuilles-vides.xlsx", 1, "(fichier)", "feuille vide : aucune ligne d'en-tête")] * 2),
])
def test_fichier_vide(tmp_path, con, charger, source, nom, contenu, attendus):
    (bilan,) = charger(source, _fichier(tmp_path, nom, contenu))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (0, 0, len(attendus))
    assert rejets(con) == attendus


# --------------------------------------------------------------------------- JSON

def test_json_tronque_charge_les_offres_completes(tmp_path, con, charger):
    texte = '{"resultats": [\n' + json.dumps(_offre("A1")) + ',\n{"id": "A2", "intitule": "Opéra'
    (bilan,) = charger("offres-ft", _fichier(tmp_path, "tronque.json", texte))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (2, 1, 1)
    assert con.execute("select list(offre_id) from brut.offres_ft").fetchone()[0] == ["A1"]
    # line 3, column 26: the opening quote of the cut title
    assert rejets(con) == [("tronque.json", 3, "(fichier)",
                            "JSON tronqué ou invalide à la ligne 3, colonne 26 (texte entre guillemets non refermé) : "
                            "les offres complètes avant ce point sont chargées")]


FORME = "JSON de forme inattendue : ni réponse de l'API (clé « resultats »), ni tableau d'offres, ni lignes JSON"


@pytest.mark.parametrize(("contenu", "attendus"), [
    ({"offres": [_offre("B1")]}, [(1, None, "(fichier)", f"{FORME} (trouvé : « offres »)")]),
    ({"resultats": "aucune"}, [(1, None, "(fichier)", f"{FORME} (trouvé : « resultats »)")]),
    (42, [(1, None, "(fichier)", f"{FORME} (trouvé : int)")]),
    ([1, "texte", None, _offre("B2")], [
        (None, "[0]", "(offre)", "l'élément n'est pas une offre (objet JSON attendu)"),
        (None, "[1]", "(offre)", "l'élément n'est pas une offre (objet JSON attendu)"),
        (None, "[2]", "(offre)", "l'élément n'est pas une offre (objet JSON attendu)"),
    ]),
])
def test_json_de_forme_inattendue(tmp_path, con, charger, contenu, attendus):
    charger("offres-ft", _fichier(tmp_path, "forme.json", json.dumps(contenu)))
    assert con.execute("select ligne, chemin_json, champ, motif from controle.rejets order by chemin_json"
                       ).fetchall() == attendus
    charges = con.execute("select list(offre_id) from brut.offres_ft").fetchone()[0]
    assert charges == (["B2"] if isinstance(contenu, list) else None)


def test_lignes_json_une_ligne_cassee(tmp_path, con, charger):
    texte = json.dumps(_offre("C1")) + "\n{'id': 'C2'}\n" + json.dumps(_offre("C3")) + "\n"
    (bilan,) = charger("offres-ft", _fichier(tmp_path, "flux.jsonl", texte))
    assert (bilan.nouvelles, bilan.rejetees) == (2, 1)
    assert rejets(con) == [("flux.jsonl", 2, "(ligne)", "ligne JSON invalide : nom de clé entre guillemets attendu")]


# --------------------------------------------------------------------------- encodings

def test_json_non_utf8_refuse_en_entier(tmp_path, con, charger):
    texte = '{"resultats": [\n' + json.dumps(_offre("D1"), ensure_ascii=False) + ",\n"
    contenu = texte.encode() + json.dumps(_offre("D2", intitule="Opérateur"), ensure_ascii=False).encode("cp1252")
    (bilan,) = charger("offres-ft", _fichier(tmp_path, "latin.json", contenu + b"]}"))
    assert (bilan.nouvelles, bilan.rejetees) == (0, 1)
    assert rejets(con) == [("latin.json", 3, "(fichier)",
                            "encodage invalide : octet 0xE9 non UTF-8 (les réponses de l'API sont en UTF-8)")]


def test_csv_utf8_avec_une_ligne_invalide(tmp_path, con, charger, referentiels):
    contenu = (_csv(PROFILS, "DE-1;2025-03;I1304;21231;A;Ingénieur;4;oui;30").encode()
               + b"DE-2;2025-03;I1304;21231;A;Ing\xe9nieur;4;oui;30\r\n"
               + _csv("DE-3;2025-04;H2301;01053;A;Bac;1;non;10").encode())
    (bilan,) = charger("profils", _fichier(tmp_path, "melange.csv", contenu))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees, bilan.remarques) == (3, 2, 1, "")
    assert rejets(con) == [("melange.csv", 3, "(ligne)", "encodage invalide : octet 0xE9 non UTF-8 en colonne 31 "
                                                         "(réenregistrez le fichier en UTF-8)")]
    assert _profils(con) == [(2, date(2025, 3, 1), "I1304", "21231", 7, 4.0),
                             (4, date(2025, 4, 1), "H2301", "01053", 4, 1.0)]


@pytest.mark.parametrize(("encodage", "separateur", "remarques"), [
    ("cp1252", ";", "fichier lu en Windows-1252 (encodage non UTF-8 détecté)"),
    ("utf-8-sig", ";", ""),  # Excel's "CSV UTF-8": the BOM does not stick to the first column name
    ("utf-16", "\t", "fichier lu en UTF-16 (export « Texte Unicode »); séparateur tabulation détecté au lieu de « ; »"),
    ("utf-8", ",", "séparateur « , » détecté au lieu de « ; »"),
])
def test_encodages_et_separateurs_reconnus(tmp_path, con, charger, referentiels, encodage, separateur, remarques):
    lignes = [PROFILS, "DE-1;2025-03;I1304;21231;A;Ingénieur;4;oui;30", 'DE-2;2025-03;I1304;21231;A;Bac;"0,5";non;']
    texte = _csv(*(ligne.replace(";", separateur) for ligne in lignes))
    (bilan,) = charger("profils", _fichier(tmp_path, "profils.csv", texte, encodage))
    assert (bilan.nouvelles, bilan.rejetees, bilan.remarques) == (2, 0, remarques)
    assert _profils(con) == [(2, date(2025, 3, 1), "I1304", "21231", 7, 4.0), (3, date(2025, 3, 1), "I1304", "21231", 4, 0.5)]


def test_virgule_au_lieu_du_point_virgule(tmp_path, con, charger, referentiels):
    """In a comma-separated file an unquoted decimal comma makes one field too many."""
    texte = _csv(PROFILS.replace(";", ","), "DE-1,2025-03,I1304,21231,A,Bac,4,oui,30",
                 "DE-2,2025-03,I1304,21231,A,Bac,0,5,oui,30")
    (bilan,) = charger("profils", _fichier(tmp_path, "virgules.csv", texte))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (2, 1, 1)
    assert bilan.remarques == "séparateur « , » détecté au lieu de « ; »"
    assert rejets(con) == [("virgules.csv", 3, "(ligne)", "10 champs au lieu de 9 (séparateur ou guillemets ?)")]


def test_guillemet_non_referme(tmp_path, con, charger, referentiels):
    """An opening quote never closed swallows the next lines: the reject names them all."""
    texte = _csv(PROFILS, "DE-1;2025-03;I1304;21231;A;Bac;4;oui;30", 'DE-2;"2025-03;I1304;21231;A;Bac;4;oui;30',
                 "DE-3;2025-03;I1304;21231;A;Bac;4;oui;30", "DE-4;2025-03;I1304;21231;A;Bac;4;oui;30")
    (bilan,) = charger("profils", _fichier(tmp_path, "guillemet.csv", texte))
    assert (bilan.nouvelles, bilan.rejetees) == (1, 1)
    assert rejets(con) == [("guillemet.csv", 3, "(ligne)", "2 champs au lieu de 9 (séparateur ou guillemets ?) ; "
                                                           "lignes 3 à 5 lues comme une seule : guillemet ouvert non refermé ?")]


# --------------------------------------------------------------------------- columns

def test_colonne_manquante(tmp_path, con, charger):
    texte = _csv(PROFILS.replace("mois;", ""), "DE-1;I1304;21231;A;Bac;4;oui;30")
    (bilan,) = charger("profils", _fichier(tmp_path, "manque.csv", texte))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (0, 0, 1)
    assert rejets(con) == [("manque.csv", 1, "mois", "colonne(s) obligatoire(s) absente(s) : mois (en-tête lu : "
                            "8 colonnes ; reconnue(s) : identifiant, code_rome, commune, categorie, niveau_diplome, experience_annees, permis_b, "
                            "rayon_mobilite_km)")]


def test_colonnes_en_trop_ignorees(tmp_path, con, charger, referentiels):
    texte = _csv(PROFILS + ";Nom;Prénom", "DE-1;2025-03;I1304;21231;A;Bac;4;oui;30;Martin;Léa")
    (bilan,) = charger("profils", _fichier(tmp_path, "entrop.csv", texte))
    assert (bilan.nouvelles, bilan.rejetees, bilan.remarques) == (1, 0, "colonne(s) inconnue(s) ignorée(s) : nom, prenom")
    noms = [c for (c,) in con.execute("select column_name from information_schema.columns "
                                      "where table_name = 'profils_demandeurs'").fetchall()]
    assert "nom" not in noms and "prenom" not in noms
    assert con.execute("select count(*) from controle.rejets").fetchone()[0] == 0


def test_colonnes_permutees(tmp_path, con, charger, referentiels):
    """Columns are matched by name: another order gives the same rows; values written
    under the wrong header are refused, each with its field."""
    ordre = "rayon_mobilite_km;permis_b;experience_annees;niveau_diplome;categorie;commune;code_rome;mois;identifiant"
    texte = _csv(ordre, "30;oui;4;Bac;A;21231;I1304;2025-03;DE-1", "30;oui;4;Bac;A;21231;2025-03;I1304;DE-2")
    (bilan,) = charger("profils", _fichier(tmp_path, "ordre.csv", texte))
    assert (bilan.nouvelles, bilan.rejetees) == (1, 1)
    assert _profils(con) == [(2, date(2025, 3, 1), "I1304", "21231", 4, 4.0)]
    assert rejets(con) == [
        ("ordre.csv", 3, "code_rome", "code ROME mal formé « 2025-03 » (attendu une lettre et 4 chiffres)"),
        ("ordre.csv", 3, "mois", "mois illisible « I1304 » (attendu aaaa-mm ou jj/mm/aaaa)"),
    ]


# --------------------------------------------------------------------------- files without a header
# Their first data row is read as the header: a reason must describe it, never quote it,
# or the quarantine publishes it (dashboard, extracts).

ADVERSAIRE = "Adversaire SA;ADV-1;Jean DUPONT jean.dupont@gmail.com;DE-4242"
PLANTES = ("adversaire", "adv_1", "adv-1", "dupont", "gmail", "4242")


def _quarantaine_publiee(con) -> list[tuple]:
    """"analyse".quarantaine rebuilt from controle.rejets, as the dashboard and the extracts read it."""
    con.execute((RACINE / "sql" / "analyse" / "analyse_quarantaine.sql").read_text())
    return con.execute('select source, champ, motif, lignes from "analyse".quarantaine order by all').fetchall()


def test_fichiers_sans_en_tete_rien_de_leur_premiere_ligne_n_est_publie(tmp_path, con, charger):
    profils = _fichier(tmp_path, "profils.csv", _csv(ADVERSAIRE + ";2025-03;I1304;21231;A;Bac",
                                                     "DE-1;2025-03;I1304;21231;A;Bac;4;oui;30"))
    pilote = _fichier(tmp_path, "pilote.csv", _csv(ADVERSAIRE, "Adversaire SA;ADV-2;Marie MARTIN;DE-1"))
    charger("profils", profils)
    charger("entreprise", pilote)
    genres = (f"recrutements ({', '.join(RECRUTEMENTS)}) ; candidatures ({', '.join(CANDIDATURES)}) ; "
              "actions (entreprise, action, date_debut, indicateur_cible)")
    assert _quarantaine_publiee(con) == [
        ("entreprise", "(fichier)", "en-tête non reconnu (4 colonnes ; reconnue(s) : aucune ; inconnue(s) : "
                                    f"colonnes 1 à 4) ; en-têtes attendus : {genres}", 1),
        ("profils", "identifiant", "colonne(s) obligatoire(s) absente(s) : " + PROFILS.replace(";", ", ")
         + " (en-tête lu : 9 colonnes ; reconnue(s) : aucune ; inconnue(s) : colonnes 1 à 9)", 1),
    ]


@pytest.mark.parametrize("source", ["profils", "demandeurs", "entreprise", "offres-fichier", "dares", "rome",
                                    "communes", "bmo"])
def test_aucune_source_ne_cite_sa_premiere_ligne(tmp_path, con, charger, source):
    """Every loader of delimited files, given a file whose first line is a data row: the
    quarantine it publishes says why, without a word of that row."""
    chemin = _fichier(tmp_path, f"{source}.csv", _csv(ADVERSAIRE + ";a;b", ADVERSAIRE + ";c;d"))
    charger(source, chemin)
    publiee = _quarantaine_publiee(con)
    assert [(s, lignes) for s, _, _, lignes in publiee] == [(source, 1)]
    texte = " ".join(f"{champ} {motif}" for _, champ, motif, _ in publiee).lower()
    assert "en-tête" in texte and [p for p in PLANTES if p in texte] == []


def test_classeur_sans_en_tete_rien_de_sa_premiere_ligne_n_est_publie(tmp_path, con, charger):
    ligne = ADVERSAIRE.split(";")
    chemin = _fichier(tmp_path, "pilote.xlsx", _classeur({"recrutements": [ligne, ligne], "candidatures": [ligne]}))
    charger("entreprise", chemin)
    lu = " (en-tête lu : 4 colonnes ; reconnue(s) : aucune ; inconnue(s) : colonnes 1 à 4)"
    assert _quarantaine_publiee(con) == [
        ("entreprise", "entreprise", "colonne(s) obligatoire(s) absente(s) : " + ", ".join(RECRUTEMENTS) + lu, 1),
        ("entreprise", "entreprise", "colonne(s) obligatoire(s) absente(s) : " + ", ".join(CANDIDATURES) + lu, 1),
    ]


def test_un_guillemet_dans_une_valeur_ne_ferme_pas_la_citation(tmp_path, con, charger, referentiels):
    texte = _csv(PROFILS, "DE-1;2025-03;I1304;21231;A;Bac » Jean DUPONT « 4;4;oui;30")
    charger("profils", _fichier(tmp_path, "profils.csv", texte))
    assert [motif for *_, motif in rejets(con)] == [
        "niveau de diplôme inconnu « Bac › Jean DUPONT ‹ 4 » (attendu un niveau de 1 à 8 ou : Aucun, Sans diplôme, "
        "CAP, BEP, CAP/BEP, Bac, Baccalauréat, Bac pro, Bac+2, BTS, DUT, Bac+3, Licence, Licence pro, BUT, Bac+4, "
        "Bac+5, Master, Ingénieur, Doctorat)"]
    assert [motif for _, _, motif, _ in _quarantaine_publiee(con)] == [
        "niveau de diplôme inconnu « … » (attendu un niveau de 1 à 8 ou : Aucun, Sans diplôme, CAP, BEP, CAP/BEP, "
        "Bac, Baccalauréat, Bac pro, Bac+2, BTS, DUT, Bac+3, Licence, Licence pro, BUT, Bac+4, Bac+5, Master, "
        "Ingénieur, Doctorat)"]


# --------------------------------------------------------------------------- values

def test_dates_en_trois_formats_et_dates_impossibles(tmp_path, con, charger):
    texte = _csv(
        ";".join(CANDIDATURES),
        "Labo;R1;C1;;12/03/2025;2025-03-13;14-03-2025;15.03.2025;;;;",
        "Labo;R1;C2;;29/02/2024;;;;;;;",
        "Labo;R1;C3;;31/02/2025;;;;;;;",
        "Labo;R1;C4;;2025-13-01;;;;;;;",
        "Labo;R1;C5;;29/02/2025;;;;;;;",
        "Labo;R1;C6;;12/03/25;;;;;;;",
        "Labo;R1;C7;;45728;;;;;;;",  # an Excel serial number pasted as text
    )
    (bilan,) = charger("entreprise", _fichier(tmp_path, "candidatures.csv", texte))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (7, 2, 5)
    assert con.execute("select _ligne, date_reception, date_preselection, date_entretien, date_proposition "
                       "from brut.candidatures order by _ligne").fetchall() == [
        (2, date(2025, 3, 12), date(2025, 3, 13), date(2025, 3, 14), date(2025, 3, 15)),
        (3, date(2024, 2, 29), None, None, None),
    ]
    assert rejets(con) == [
        ("candidatures.csv", ligne, "date_reception", f"date illisible « {valeur} » (attendu jj/mm/aaaa)")
        for ligne, valeur in ((4, "31/02/2025"), (5, "2025-13-01"), (6, "29/02/2025"), (7, "12/03/25"), (8, "45728"))
    ]


def test_effectifs_negatifs_ou_non_numeriques(tmp_path, con, charger, referentiels):
    lignes = [f"I1304;COMMUNE;21231;MOIS;2025-{mois:02d};A;{valeur};1;2" for mois, valeur in enumerate(
        ["-3", "beaucoup", "2,5", "nan", "inf", "1e400", "=1+2", "*", "1 200", "+4"], start=1)]
    (bilan,) = charger("demandeurs", _fichier(tmp_path, "comptes.csv", _csv(DEMANDEURS, *lignes)))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (10, 3, 7)
    assert rejets(con) == [
        ("comptes.csv", 2, "demandeurs", "effectif négatif « -3 »"),
        ("comptes.csv", 3, "demandeurs", "nombre illisible « beaucoup »"),
        ("comptes.csv", 4, "demandeurs", "effectif non entier « 2,5 »"),
        ("comptes.csv", 5, "demandeurs", "nombre illisible « nan »"),
        ("comptes.csv", 6, "demandeurs", "nombre illisible « inf »"),
        ("comptes.csv", 7, "demandeurs", "nombre illisible « 1e400 »"),
        ("comptes.csv", 8, "demandeurs", "nombre illisible « =1+2 »"),
    ]
    # the mask "*" is an unknown count, not zero
    assert con.execute("select periode, demandeurs from brut.demandeurs_stat order by periode").fetchall() == [
        ("2025-08", None), ("2025-09", 1200), ("2025-10", 4)]


def test_codes_rome_et_communes_inconnus(tmp_path, con, charger, referentiels):
    texte = _csv(PROFILS, "DE-1;2025-03;M1805;21231;A;Bac;4;oui;30", "DE-2;2025-03;I1304;99999;A;Bac;4;oui;30",
                 "DE-3;2025-03;Z9999;2A004;A;Bac;4;oui;30", "DE-4;2025-03;h2301;1053;A;Bac;4;oui;30")
    (bilan,) = charger("profils", _fichier(tmp_path, "codes.csv", texte))
    assert (bilan.nouvelles, bilan.rejetees) == (1, 3)
    assert rejets(con) == [
        ("codes.csv", 2, "code_rome", "code ROME inconnu « M1805 » : absent du référentiel ROME chargé "
                                      "(chargez le référentiel complet avec « ingerer rome »)"),
        ("codes.csv", 3, "commune", "code commune INSEE inconnu « 99999 »"),
        ("codes.csv", 4, "code_rome", "code ROME mal formé « Z9999 » (attendu une lettre et 4 chiffres)"),
        ("codes.csv", 4, "commune", "code commune INSEE inconnu « 2A004 »"),
    ]
    # lower case and the leading zero Excel drops are repaired
    assert _profils(con) == [(5, date(2025, 3, 1), "H2301", "01053", 4, 4.0)]


# --------------------------------------------------------------------------- duplicates

def test_doublons_dans_un_fichier(tmp_path, con, charger, referentiels):
    texte = _csv(PROFILS, "DE-1;2025-03;I1304;21231;A;Bac;4;oui;30", " DE-1 ;03/2025;H2301;21231;A;Bac;4;oui;30",
                 "DE-1;2025-04;H2301;21231;A;Bac;4;oui;30")
    (bilan,) = charger("profils", _fichier(tmp_path, "doublons.csv", texte))
    assert (bilan.nouvelles, bilan.rejetees) == (2, 1)
    ((nom, ligne, champ, motif),) = rejets(con)
    assert (nom, ligne, champ, motif) == (
        "doublons.csv", 3, "identifiant, mois", "ligne en double dans le fichier : même identifiant, mois que la ligne 2")
    # the quarantine shows the pseudonym, never the identifier
    assert "DE-1" not in str(con.execute("select list(valeur) from controle.rejets").fetchone()[0])


def test_doublons_entre_fichiers_le_dernier_charge_gagne(tmp_path, con, charger, referentiels):
    """Profiles have no version: a later file's row replaces the stored one, whichever
    file it is (reloading the first file puts its value back)."""
    janvier = _fichier(tmp_path, "janvier.csv", _csv(PROFILS, "DE-1;2025-03;I1304;21231;A;Bac;4;oui;30",
                                                     "DE-2;2025-03;I1304;21231;A;Bac;1;oui;30"))
    fevrier = _fichier(tmp_path, "fevrier.csv", _csv(PROFILS, "DE-1;2025-03;H2301;21231;A;Bac;5;oui;30"))
    b1, b2 = charger("profils", janvier, fevrier)
    assert (b2.nouvelles, b2.mises_a_jour, b2.inchangees) == (0, 1, 0)
    assert con.execute("select code_rome, experience_annees, _fichier, _ligne from brut.profils_demandeurs "
                       "order by _fichier").fetchall() == [("H2301", 5.0, nom_affiche(fevrier), 2),
                                                           ("I1304", 1.0, nom_affiche(janvier), 3)]
    (b3,) = charger("profils", janvier)
    assert (b3.nouvelles, b3.mises_a_jour, b3.inchangees) == (0, 1, 1)
    assert con.execute("select list(code_rome order by _ligne) from brut.profils_demandeurs").fetchone()[0] == [
        "I1304", "I1304"]


def test_doublons_entre_fichiers_d_offres_la_plus_recente_gagne(tmp_path, con, charger):
    """Offers carry a version (dateActualisation): an older copy loaded later changes nothing."""
    recente = _fichier(tmp_path, "recente.json", json.dumps([_offre(
        "E1", intitule="Technicien de maintenance", dateActualisation="2025-04-01T08:00:00Z")]))
    ancienne = _fichier(tmp_path, "ancienne.json", json.dumps([_offre("E1", intitule="Technicien")]))
    _, bilan = charger("offres-ft", recente, ancienne)
    assert (bilan.nouvelles, bilan.mises_a_jour, bilan.inchangees) == (0, 0, 1)
    assert con.execute("select intitule, _fichier from brut.offres_ft").fetchall() == [
        ("Technicien de maintenance", nom_affiche(recente))]


# --------------------------------------------------------------------------- texts

def test_description_de_10_mo_chargee_entiere(tmp_path, con, charger):
    """A long text is data: it loads whole (a truncated text would lose information
    silently), contacts in it are still masked. Files are capped at 4 GB anyway."""
    phrase = "Maintenance préventive des lignes de conditionnement. "
    longue = phrase * (10 * 1024**2 // len(phrase))
    ligne = ";".join(["EB-1", "Technicien", longue + "Contact : rh@labo.fr", "03/03/2025", "21231", "Labo", "CDI",
                      "", "", "", "", "1", ""])
    (bilan,) = charger("offres-fichier", _fichier(tmp_path, "long.csv", _csv(";".join(BFC), ligne)))
    assert (bilan.nouvelles, bilan.rejetees) == (1, 0)
    (description,) = con.execute("select description from brut.offres_fichier").fetchone()
    assert len(description) == len(longue) + len("Contact : [courriel masqué]") > 10_000_000
    assert description == longue + "Contact : [courriel masqué]"


def test_html_et_javascript_restent_du_texte(tmp_path, con, charger):
    """Nothing is interpreted at load: markup is kept as typed; escaping belongs to the
    HTML outputs."""
    intitule = "<script>alert('x')</script>Technicien"
    description = '<b>Urgent</b> <a href="javascript:alert(1)">postuler</a> <img src=x onerror=alert(2)>'
    chemin = _fichier(tmp_path, "html.json", json.dumps([_offre("H1", intitule=intitule, description=description)]))
    (bilan,) = charger("offres-ft", chemin)
    assert (bilan.nouvelles, bilan.rejetees) == (1, 0)
    assert con.execute("select intitule, description from brut.offres_ft").fetchone() == (intitule, description)


def test_separateurs_de_ligne_unicode_et_caracteres_de_controle(tmp_path, con, charger):
    """Only CR and LF end a line: a Unicode line separator, a form feed or a NUL pasted
    into a text stays in its cell, and the next rows keep their line numbers."""
    description = "Première ligne\u2028deuxième\x0ctroisième\x00quatrième\x85fin"
    valeurs = {"entreprise": "Labo", "date_ouverture": "01/03/2025", "statut": "ouvert"}
    lignes = [";".join((valeurs | {"reference": ref, "description": texte}).get(c, "") for c in RECRUTEMENTS)
              for ref, texte in (("R1", description), ("R2", "simple"))]
    (bilan,) = charger("entreprise", _fichier(tmp_path, "textes.csv", _csv(";".join(RECRUTEMENTS), *lignes)))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (2, 2, 0)
    assert con.execute("select reference, description, _ligne from brut.recrutements order by _ligne").fetchall() == [
        ("R1", description, 2), ("R2", "simple", 3)]


@pytest.fixture
def cellule_max_1000():
    """The CSV cell size limit lowered to 1 000 characters for one test."""
    avant = csv.field_size_limit(1000)
    yield
    csv.field_size_limit(avant)


def test_cellule_au_dela_de_la_limite(tmp_path, con, charger, referentiels, cellule_max_1000):
    texte = _csv(PROFILS, "DE-1;2025-03;I1304;21231;A;Bac;4;oui;30", f"DE-2;2025-03;I1304;21231;A;{'x' * 1001};4;oui;30",
                 "DE-3;2025-03;I1304;21231;A;Bac;4;oui;30")
    (bilan,) = charger("profils", _fichier(tmp_path, "enorme.csv", texte))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (3, 2, 1)
    assert rejets(con) == [("enorme.csv", 3, "(ligne)", f"ligne illisible : une cellule dépasse 1{ESPACE_FINE}000 "
                                                        "caractères")]
    assert [ligne for ligne, *_ in _profils(con)] == [2, 4]


def test_cellules_commencant_par_une_formule(tmp_path, con, charger, referentiels):
    """Cells starting with =, +, - or @ are data and stay as typed in the warehouse (CSV
    outputs protect spreadsheets); in a number column they are simply not numbers."""
    colonnes = ";".join(RECRUTEMENTS)
    champs = {"entreprise": "=Labo", "reference": "+R1", "commune_site": "21231", "intitule": "@SOMME(A1)",
              "code_rome": "I1304", "date_ouverture": "01/03/2025", "statut": "ouvert",
              "description": "-2+3 =cmd|' /C calc'!A0", "competences": "=A1 | +B2 | @C3 | -D4"}
    faux = {"entreprise": "Labo", "reference": "R2", "date_ouverture": "01/03/2025", "statut": "ouvert",
            "nombre_postes": "=1+1", "salaire_min_mensuel": "-2200"}
    lignes = [";".join(valeurs.get(c, "") for c in RECRUTEMENTS) for valeurs in (champs, faux)]
    (bilan,) = charger("entreprise", _fichier(tmp_path, "recrutements.csv", _csv(colonnes, *lignes)))
    assert (bilan.nouvelles, bilan.rejetees) == (1, 1)
    assert con.execute("select entreprise, reference, intitule, description, competences from brut.recrutements"
                       ).fetchall() == [("=Labo", "+R1", "@SOMME(A1)", "-2+3 =cmd|' /C calc'!A0",
                                         ["=A1", "+B2", "@C3", "-D4"])]
    assert rejets(con) == [
        ("recrutements.csv", 3, "nombre_postes", "nombre illisible « =1+1 »"),
        ("recrutements.csv", 3, "salaire_min_mensuel", "valeur négative « -2200 »"),
    ]


# --------------------------------------------------------------------------- workbooks

def test_classeur_sans_la_feuille_attendue(tmp_path, con, charger):
    ligne = ["T1", "Technicien", "", "03/03/2025", "21231", "Labo", "CDI", 30000, 36000, 2, "Bac+2", 1, ""]
    chemin = _fichier(tmp_path, "talentis.xlsx", _classeur({"Feuil1": [TALENTIS, ligne]}))
    (reconnu,) = charger("offres-fichier", chemin)
    (force,) = charger("offres-fichier", chemin, plateforme="ats-talentis")
    assert (reconnu.nouvelles, reconnu.rejetees, force.nouvelles, force.rejetees) == (0, 1, 0, 1)
    assert [motif for *_, motif in rejets(con)] == [
        "feuille « Offres » absente du classeur (feuilles trouvées : « Feuil1 »)"]  # the forced load replaced it
    con.execute("delete from controle.rejets")
    charger("offres-fichier", chemin)
    ((_, ligne_, champ, motif),) = rejets(con)
    assert (ligne_, champ) == (1, "(fichier)")
    assert motif.endswith("ats-talentis = Talentis, logiciel de recrutement (export XLSX, feuille « Offres ») "
                          "(feuille « Offres » absente du classeur ; feuilles trouvées : « Feuil1 »)")


def test_classeur_entreprise_sans_ses_feuilles(tmp_path, con, charger):
    chemin = _fichier(tmp_path, "entreprise.xlsx", _classeur({"Feuil1": [RECRUTEMENTS]}))
    (bilan,) = charger("entreprise", chemin)
    assert (bilan.nouvelles, bilan.rejetees, bilan.remarques) == (0, 1, "feuille(s) ignorée(s) : Feuil1")
    assert sorted(rejets(con)) == [
        ("entreprise.xlsx", 1, "(fichier)", "feuille « candidatures » absente du classeur (feuilles trouvées : « Feuil1 »)"),
        ("entreprise.xlsx", 1, "(fichier)", "feuille « recrutements » absente du classeur (feuilles trouvées : « Feuil1 »)"),
    ]


def _taille_declaree(contenu: bytes, membre: str, taille: int) -> bytes:
    """Rewrite the uncompressed size that a ZIP's central directory declares for one member."""
    donnees = bytearray(contenu)
    position = donnees.find(b"PK\x01\x02")
    while position >= 0:
        longueur = struct.unpack_from("<H", donnees, position + 28)[0]
        if donnees[position + 46: position + 46 + longueur].decode() == membre:
            struct.pack_into("<I", donnees, position + 24, taille)
            return bytes(donnees)
        position = donnees.find(b"PK\x01\x02", position + 4)
    raise AssertionError(f"{membre} absent de l'archive")


@pytest.fixture
def calamine_interdit(monkeypatch):
    """Fail if the workbook reader is reached: the refusal must come before decompression."""
    import python_calamine

    class Interdit:
        @staticmethod
        def from_filelike(_):
            raise AssertionError("le classeur a été décompressé")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Interdit)


def test_bombe_zip_taille_declaree_enorme(tmp_path, con, charger, calamine_interdit):
    classeur = _classeur({"Offres": [TALENTIS]})
    piege = _taille_declaree(classeur, "xl/worksheets/sheet1.xml", 0xF000_0000)  # 3 840 Mo declared
    assert len(piege) < 10_000
    (bilan,) = charger("offres-fichier", _fichier(tmp_path, "piege.xlsx", piege))
    assert (bilan.nouvelles, bilan.rejetees) == (0, 1)
    assert rejets(con) == [("piege.xlsx", 1, "(fichier)",
                            f"classeur refusé : il déclare 3{ESPACE_FINE}840 Mo une fois décompressé, au-delà de "
                            "la limite de 256 Mo (archive piégée, ou classeur à découper)")]


def test_bombe_zip_taux_de_compression_anormal(tmp_path, con, charger, calamine_interdit):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (20 * 1024**2))
    info = zipfile.ZipFile(tampon).getinfo("xl/worksheets/sheet1.xml")
    taux = info.file_size // info.compress_size
    assert 1000 <= taux < 1100  # deflate compresses at most about 1032 to 1
    (bilan,) = charger("entreprise", _fichier(tmp_path, "bombe.xlsx", tampon.getvalue()))
    assert (bilan.nouvelles, bilan.rejetees) == (0, 1)
    assert rejets(con) == [("bombe.xlsx", 1, "(fichier)",
                            f"classeur refusé : « xl/worksheets/sheet1.xml » se décompresse à "
                            f"{taux // 1000}{ESPACE_FINE}{taux % 1000:03d} fois sa taille compressée, plus de 100 fois "
                            "(archive piégée ?)")]


def test_classeur_tronque(tmp_path, con, charger):
    classeur = _classeur({"recrutements": [RECRUTEMENTS], "candidatures": [CANDIDATURES]})
    (bilan,) = charger("entreprise", _fichier(tmp_path, "coupe.xlsx", classeur[: len(classeur) // 2]))
    assert (bilan.nouvelles, bilan.rejetees) == (0, 1)
    assert rejets(con) == [("coupe.xlsx", 1, "(fichier)", "classeur illisible (archive ZIP endommagée ou tronquée : "
                                                          "réenregistrez-le depuis le tableur)")]


@pytest.mark.parametrize("morceau", [8 * 1024**2, 7])
def test_formules_calculees_lues_les_autres_signalees(tmp_path, monkeypatch, morceau):
    """A formula with its calculated value (a number, or an empty text) is read as that
    value; an error cell, or a formula never calculated, is a ``CelluleFautive``; the sheet's
    XML is searched in pieces (here also of 7 bytes, cutting through every tag)."""
    from flows.lecture import classeurs
    from flows.lecture.classeurs import ouvrir_classeur
    from flows.lecture.valeurs import CelluleFautive

    monkeypatch.setattr(classeurs, "TAILLE_MORCEAU_XML", morceau)

    wb = Workbook()
    wb.active.title = "Calculs"
    wb.active.append(["a", "b", "c", "d"])
    wb.save(tmp_path / "calculs.xlsx")
    with zipfile.ZipFile(tmp_path / "calculs.xlsx") as archive:
        membres = {nom: archive.read(nom) for nom in archive.namelist()}
    membres["xl/worksheets/sheet1.xml"] = membres["xl/worksheets/sheet1.xml"].replace(b"</row>", (
        b'</row><row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="str"><f>IF(1,"","x")</f><v></v></c>'
        b'<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2"><f>A2*2</f></c></row>'
        b'<row r="3"><c r="B3"><f>A2*3</f></c></row>'), 1)  # below every value
    with zipfile.ZipFile(tmp_path / "calculs.xlsx", "w") as archive:
        for nom, contenu in membres.items():
            archive.writestr(nom, contenu)
    ligne, dessous = ouvrir_classeur((tmp_path / "calculs.xlsx").read_bytes())["Calculs"][1:]
    assert ligne[:2] == [2.0, ""]
    assert ligne[2] == CelluleFautive("cellule C2 de la feuille « Calculs » en erreur (« #DIV/0! ») : corrigez la "
                                      "formule ou la valeur dans le classeur", "#DIV/0!")
    assert isinstance(ligne[3], CelluleFautive) and ligne[3].motif.startswith("cellule D2 de la feuille « Calculs » : "
                                                                              "formule sans valeur calculée")
    assert dessous[0] == "" and dessous[1].motif.startswith("cellule B3 de la feuille « Calculs » : formule sans")


# --------------------------------------------------------------------------- symbolic links

@pytest.fixture
def depot(tmp_path):
    """An input folder with one good file, a link to a file elsewhere (a secret), a link
    to a folder elsewhere and a harmless link to a file of the folder itself."""
    ailleurs = tmp_path / "ailleurs"
    ailleurs.mkdir()
    secret = ailleurs / "sel.csv"
    secret.write_text(_csv(PROFILS, "SECRET-123;2025-03;I1304;21231;A;Bac;4;oui;30"))
    dossier = tmp_path / "entree" / "profils"
    dossier.mkdir(parents=True)
    _fichier(dossier, "bon.csv", _csv(PROFILS, "DE-1;2025-03;I1304;21231;A;Bac;4;oui;30"))
    (dossier / "lien.csv").symlink_to(secret)
    (dossier / "dossier-lie").symlink_to(ailleurs, target_is_directory=True)
    (dossier / "copie.csv").symlink_to("bon.csv")
    return dossier, ailleurs


def test_lien_symbolique_hors_du_dossier_refuse(depot):
    dossier, ailleurs = depot
    hors = (f"hors du dossier déposé {dossier} : refusé, non lu (copiez le fichier lui-même dans le dossier)")
    assert lister_fichiers([dossier]) == [
        (dossier / "bon.csv", None),
        (dossier / "copie.csv", None),
        (dossier / "dossier-lie", f"lien symbolique vers {ailleurs}, {hors}"),
        (dossier / "lien.csv", f"lien symbolique vers {ailleurs / 'sel.csv'}, {hors}"),
    ]
    # given by name, the link is judged against its own folder
    assert lister_fichiers([dossier / "lien.csv"]) == [(dossier / "lien.csv", f"lien symbolique vers "
                                                        f"{ailleurs / 'sel.csv'}, {hors}")]


def test_lien_symbolique_refuse_par_le_lecteur(depot):
    """The reading helper refuses it too, whoever calls the loader."""
    from flows.lecture.lots import Contexte
    from flows.sources import profils

    dossier, ailleurs = depot
    with pytest.raises(FichierRefuse) as refus:
        profils.lire(dossier / "lien.csv", Contexte(sel=b"sel"))
    assert refus.value.motif == (f"lien symbolique vers {ailleurs / 'sel.csv'}, hors du dossier déposé {dossier} : "
                                 "refusé, non lu (copiez le fichier lui-même dans le dossier)")


def test_lien_symbolique_en_quarantaine_sans_etre_lu(depot, tmp_path):
    dossier, ailleurs = depot
    entrepot = str(tmp_path / "liens.duckdb")
    bilans = [charger_fichier.fn("profils", str(f), entrepot, None, refus) for f, refus in lister_fichiers([dossier])]
    assert [(b["fichier"].split("/")[-1], b["nouvelles"], b["rejetees"], b["deja_charge"]) for b in bilans] == [
        ("bon.csv", 1, 0, False), ("copie.csv", 0, 0, True), ("dossier-lie", 0, 1, False), ("lien.csv", 0, 1, False)]
    con = duckdb.connect(entrepot, read_only=True)
    try:
        quarantaine = con.execute("select fichier, sha256, ligne, champ from controle.rejets order by fichier").fetchall()
        # the content is not read: the fingerprint is that of the path
        assert quarantaine == [
            (nom_affiche(dossier / nom), empreinte(f"refusé : {nom_affiche(dossier / nom)}".encode()), 1, "(fichier)")
            for nom in ("dossier-lie", "lien.csv")]
        assert con.execute("select count(*) from brut.profils_demandeurs").fetchone()[0] == 1
        # the secret's content reached no table
        tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        for schema, table in tables:
            assert "SECRET" not in str(con.execute(f'select * from "{schema}"."{table}"').fetchall())
    finally:
        con.close()


# --------------------------------------------------------------------------- adversarial JSON

@pytest.mark.parametrize(("champs", "champ", "motif"), [
    ({"salaire": {"libelle": {"montant": 2000}}}, "salaire.libelle", "objet JSON au lieu d'un texte"),
    ({"experienceLibelle": ["2 ans"]}, "experienceLibelle", "liste JSON au lieu d'un texte"),
    ({"typeContratLibelle": {"a": 1}}, "typeContratLibelle", "objet JSON au lieu d'un texte"),
    ({"dureeTravailLibelle": ["35H"]}, "dureeTravailLibelle", "liste JSON au lieu d'un texte"),
    ({"entreprise": {"nom": {"raison": "X"}}}, "entreprise.nom", "objet JSON au lieu d'un texte"),
])
def test_libelle_objet_ou_liste_en_quarantaine(tmp_path, con, charger, champs, champ, motif):
    """One offer of a page holds an object or a list in a label: that offer is quarantined
    (file, JSON path, field, reason), the page's other offer and the next file load."""
    mauvais = _fichier(tmp_path, "mauvais.json", json.dumps({"resultats": [_offre("M1", **champs), _offre("M2")]}))
    bon = _fichier(tmp_path, "bon.json", json.dumps({"resultats": [_offre("B1")]}))
    bilans = charger("offres-ft", mauvais, bon)
    assert [(b.nouvelles, b.rejetees) for b in bilans] == [(1, 1), (1, 0)]
    assert con.execute("select fichier, chemin_json, champ, motif from controle.rejets").fetchall() == [
        (nom_affiche(mauvais), "resultats[0]", champ, f"{motif} (la valeur n'est pas lue)")]
    assert con.execute("select list(offre_id order by offre_id) from brut.offres_ft").fetchone()[0] == ["B1", "M2"]


EFFECTIF_DEMESURE = "effectif démesuré « 9223372036854775808 » (au plus 9\u202f223\u202f372\u202f036\u202f854\u202f775\u202f807)"


def test_nombre_de_postes_au_dela_de_2_puissance_63(tmp_path, con, charger):
    mauvais = _fichier(tmp_path, "postes.json", json.dumps([_offre("P1", nombrePostes=2**63), _offre("P2")]))
    bon = _fichier(tmp_path, "bon.json", json.dumps([_offre("B1", nombrePostes=2**63 - 1)]))
    bilans = charger("offres-ft", mauvais, bon)
    assert [(b.nouvelles, b.rejetees) for b in bilans] == [(1, 1), (1, 0)]
    assert con.execute("select fichier, chemin_json, champ, valeur, motif from controle.rejets").fetchall() == [
        (nom_affiche(mauvais), "[0]", "nombrePostes", str(2**63), EFFECTIF_DEMESURE)]
    assert con.execute("select offre_id, nombre_postes from brut.offres_ft order by all").fetchall() == [
        ("B1", 2**63 - 1), ("P2", None)]


PROFOND = 100_000  # levels of nesting: Python's JSON parser stops at about a thousand (RecursionError)


def test_tableau_json_trop_imbrique_refuse(tmp_path, con, charger):
    profond = _fichier(tmp_path, "profond.json", "[" + json.dumps(_offre("P1")) + "," + "[" * PROFOND + "]" * PROFOND + "]")
    bon = _fichier(tmp_path, "bon.json", json.dumps([_offre("B1")]))
    bilans = charger("offres-ft", profond, bon)
    assert [(b.nouvelles, b.rejetees) for b in bilans] == [(0, 1), (1, 0)]
    assert rejets(con) == [("profond.json", 1, "(fichier)",
                            "JSON trop imbriqué : des objets ou des listes les uns dans les autres sur des milliers "
                            "de niveaux (fichier piégé ou corrompu ?) : refusé, non lu")]
    assert con.execute("select list(offre_id) from brut.offres_ft").fetchone()[0] == ["B1"]


def test_ligne_json_trop_imbriquee_refusee(tmp_path, con, charger):
    texte = "\n".join([json.dumps(_offre("L1")), '{"a":' * PROFOND + "1" + "}" * PROFOND, json.dumps(_offre("L3"))])
    (bilan,) = charger("offres-ft", _fichier(tmp_path, "flux.jsonl", texte + "\n"))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (3, 2, 1)
    assert rejets(con) == [("flux.jsonl", 2, "(ligne)", "ligne JSON trop imbriquée : des objets ou des listes les uns "
                                                        "dans les autres sur des milliers de niveaux : refusée, non lue")]
    assert con.execute("select list(offre_id order by offre_id) from brut.offres_ft").fetchone()[0] == ["L1", "L3"]


@pytest.fixture
def illisible_meme_pour_root(monkeypatch):
    """A file without read permission (mode 000) cannot be opened. Root bypasses file
    permissions, so when the tests run as root the kernel's refusal is simulated: opening
    a file of mode 000 for reading raises what it raises for any other user."""
    if os.geteuid() != 0:
        return
    ouvrir = pathlib.Path.open

    def open_sans_droits(self, mode="r", *args, **kwargs):
        if "r" in mode and self.is_file() and not self.stat().st_mode & 0o444:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return ouvrir(self, mode, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", open_sans_droits)


def test_boucle_de_liens_et_fichier_illisible_refuses_les_autres_charges(prefect_harness, tmp_path,
                                                                         illisible_meme_pour_root):
    from flows.ingestion import ingestion

    dossier = tmp_path / "offres-ft"
    dossier.mkdir()
    _fichier(dossier, "bon.json", json.dumps({"resultats": [_offre("B1")]}))
    (dossier / "boucle.json").symlink_to("boucle.json")
    illisible = _fichier(dossier, "illisible.json", json.dumps({"resultats": [_offre("I1")]}))
    illisible.chmod(0)
    entrepot = str(tmp_path / "entrepot.duckdb")
    bilans = ingestion("offres-ft", [str(dossier)], entrepot)
    assert [(b["fichier"].rsplit("/", 1)[-1], b["nouvelles"], b["rejetees"]) for b in bilans] == [
        ("bon.json", 1, 0), ("boucle.json", 0, 1), ("illisible.json", 0, 1)]
    con = duckdb.connect(entrepot, read_only=True)
    try:
        assert rejets(con) == [
            ("boucle.json", 1, "(fichier)",
             "boucle de liens symboliques (le lien mène, de lien en lien, à lui-même) : refusé, non lu "
             "(supprimez le lien ou corrigez sa cible)"),
            ("illisible.json", 1, "(fichier)",
             "lecture interdite (droits du fichier) : refusé, non lu (donnez le droit de lecture, "
             "par exemple « chmod a+r », puis relancez)")]
        assert con.execute("select list(offre_id) from brut.offres_ft").fetchone()[0] == ["B1"]
    finally:
        con.close()


def test_pages_piegees_dans_le_dossier_en_masse(prefect_harness, tmp_path):
    """The bulk loader (every file of offres-ft/ in one run): a page holding an object in a
    label, one holding a count of 2^63, a bare array nested 100,000 deep; each goes to the
    quarantine with its reason, the valid offers and the valid page load."""
    from flows.ingestion import ingestion

    dossier = tmp_path / "offres-ft"
    dossier.mkdir()
    _fichier(dossier, "a-libelle.json", json.dumps({"resultats": [_offre("L1", salaire={"libelle": {"x": 1}}),
                                                                  _offre("L2")]}))
    _fichier(dossier, "b-postes.json", json.dumps({"resultats": [_offre("P1", nombrePostes=2**63)]}))
    _fichier(dossier, "c-profond.json", "[" * PROFOND + "]" * PROFOND)
    _fichier(dossier, "d-bon.json", json.dumps({"resultats": [_offre("B1")]}))
    entrepot = str(tmp_path / "entrepot.duckdb")
    bilans = ingestion("offres-ft", [str(dossier)], entrepot)
    assert [(b["nouvelles"], b["rejetees"]) for b in bilans] == [(1, 1), (0, 1), (0, 1), (1, 0)]
    con = duckdb.connect(entrepot, read_only=True)
    try:
        assert con.execute("select fichier, chemin_json, champ, motif from controle.rejets order by fichier"
                           ).fetchall() == [
            (nom_affiche(dossier / "a-libelle.json"), "resultats[0]", "salaire.libelle",
             "objet JSON au lieu d'un texte (la valeur n'est pas lue)"),
            (nom_affiche(dossier / "b-postes.json"), "resultats[0]", "nombrePostes", EFFECTIF_DEMESURE),
            (nom_affiche(dossier / "c-profond.json"), None, "(fichier)",
             "JSON trop imbriqué : des objets ou des listes les uns dans les autres sur des milliers de niveaux "
             "(fichier piégé ou corrompu ?) : refusé, non lu")]
        assert con.execute("select list(offre_id order by offre_id) from brut.offres_ft").fetchone()[0] == ["B1", "L2"]
    finally:
        con.close()


def test_nombre_ou_booleen_dans_un_champ_texte_garde_en_texte(tmp_path, con, charger):
    page = _fichier(tmp_path, "types.json", json.dumps([_offre("T1", lieuTravail={"codePostal": 21000},
                                                               romeLibelle=True, entreprise={"nom": 1.5})]))
    (bilan,) = charger("offres-ft", page)
    assert (bilan.nouvelles, bilan.rejetees) == (1, 0)
    assert con.execute("select code_postal, rome_libelle, entreprise_nom from brut.offres_ft").fetchall() == [
        ("21000", "true", "1.5")]


# --------------------------------------------------------------------------- keys written twice, non-text identifiers

def _chemins_rejets(con) -> list[tuple]:
    return con.execute("select chemin_json, champ, valeur, motif from controle.rejets order by chemin_json, champ"
                       ).fetchall()


def test_deux_listes_resultats_toutes_les_offres_lues(tmp_path, con, charger):
    """A page with "resultats" twice: the offers of both lists are loaded, each traced to its list."""
    texte = ('{"resultats": [' + json.dumps(_offre("R1")) + "], "
             '"filtresPossibles": [], "resultats": [' + json.dumps(_offre("R2")) + ", " + json.dumps(_offre("R3")) + "]}")
    (bilan,) = charger("offres-ft", _fichier(tmp_path, "page.json", texte))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (3, 3, 0)
    assert con.execute("select offre_id, _chemin_json from brut.offres_ft order by offre_id").fetchall() == [
        ("R1", "resultats[0]"), ("R2", "resultats(2)[0]"), ("R3", "resultats(2)[1]")]


def test_cle_en_double_dans_une_offre_en_quarantaine(tmp_path, con, charger):
    """A key written twice with two values: which is right cannot be told, the offer is
    quarantined naming the key; written twice with the same value, nothing is lost."""
    doubles = [json.dumps(_offre("K1")).replace('"intitule": "Offre K1"', '"intitule": "Offre K1", "intitule": "Autre"'),
               json.dumps(_offre("K2", lieuTravail={"commune": "21231"})).replace(
                   '"commune": "21231"', '"commune": "21231", "commune": "01053"'),
               json.dumps(_offre("K3", competences=[{"libelle": "GMAO"}, {"libelle": "Soudure"}])).replace(
                   '"libelle": "Soudure"', '"libelle": "Soudure", "libelle": "Brasage"'),
               json.dumps(_offre("K4")).replace('"romeCode": "I1304"', '"romeCode": "I1304", "romeCode": "I1304"'),
               json.dumps(_offre("K5"))]
    (bilan,) = charger("offres-ft", _fichier(tmp_path, "doubles.json", '{"resultats": [' + ", ".join(doubles) + "]}"))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (5, 2, 3)
    suite = " présente plusieurs fois dans l'offre avec des valeurs différentes : valeur ambiguë, l'offre n'est pas " \
            "lue (corrigez le fichier ou collectez la page à nouveau)"
    assert _chemins_rejets(con) == [
        ("resultats[0]", "intitule", None, "clé « intitule »" + suite),
        ("resultats[1]", "lieuTravail.commune", None, "clé « commune »" + suite),
        ("resultats[2]", "competences[1].libelle", None, "clé « libelle »" + suite)]
    assert con.execute("select list(offre_id order by offre_id) from brut.offres_ft").fetchone()[0] == ["K4", "K5"]


def test_identifiant_ou_intitule_non_textuel_en_quarantaine(tmp_path, con, charger):
    """An identifier or a title that is an object, a list, a boolean or a decimal is not
    stored as its Python spelling ("{'x': 1}", "True"); a whole number is the API's text."""
    offres = [_offre({"x": 1}), _offre(True), _offre(["I1"]), _offre(1.5), _offre("I2", intitule=False),
              _offre("I3", intitule={"fr": "Technicien"}), _offre(1234)]
    (bilan,) = charger("offres-ft", _fichier(tmp_path, "types.json", json.dumps({"resultats": offres})))
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (7, 1, 6)
    lue = " au lieu d'un texte) : l'offre n'est pas lue"
    assert _chemins_rejets(con) == [
        ("resultats[0]", "id", '{"x": 1}', "identifiant non textuel (objet JSON" + lue),
        ("resultats[1]", "id", "true", "identifiant non textuel (booléen JSON" + lue),
        ("resultats[2]", "id", '["I1"]', "identifiant non textuel (liste JSON" + lue),
        ("resultats[3]", "id", "1.5", "identifiant non textuel (nombre décimal JSON" + lue),
        ("resultats[4]", "intitule", "false", "intitulé non textuel (booléen JSON" + lue),
        ("resultats[5]", "intitule", '{"fr": "Technicien"}', "intitulé non textuel (objet JSON" + lue)]
    assert con.execute("select offre_id, intitule from brut.offres_ft").fetchall() == [("1234", "Offre 1234")]


# --------------------------------------------------------------------------- implausible dates

def test_dates_hors_des_bornes_en_quarantaine(tmp_path, con, charger):
    """Year 1, 1900 (Excel's day zero), 2099 or 9999 would load, then vanish from every
    indicator (they cover a calendar): such rows go to the quarantine, the reason giving the
    bounds of config/parametres.toml ([dates]: 01/01/1990 to the day of the load + 366 days)."""
    fin = date.today() + timedelta(days=366)
    bornes = (f"(attendu du 01/01/1990 au {fin.day:02d}/{fin.month:02d}/{fin.year} : bornes de la section [dates] "
              "de config/parametres.toml)")
    page = _fichier(tmp_path, "dates.json", json.dumps({"resultats": [
        _offre("Q1", dateCreation="0001-01-01T00:00:00Z"), _offre("Q2", dateActualisation="9999-12-31T23:59:59Z"),
        _offre("Q3", dateCreation="2099-03-01T08:00:00+02:00"), _offre("Q4")]}))
    export = _fichier(tmp_path, "bfc.csv", _csv(";".join(BFC), "EB-1;Opérateur;;01/01/1900;21231;;;;;;;;",
                                                "EB-2;Régleur;;03/03/2025;21231;;;;;;;;"), "cp1252")
    bilans = charger("offres-ft", page) + charger("offres-fichier", export)
    assert [(b.nouvelles, b.rejetees) for b in bilans] == [(1, 3), (1, 1)]
    assert rejets(con) == [
        ("bfc.csv", 2, "Date de publication", "date invraisemblable « 01/01/1900 » " + bornes),
        ("dates.json", None, "dateActualisation", "date invraisemblable « 9999-12-31T23:59:59Z » " + bornes),
        ("dates.json", None, "dateCreation", "date invraisemblable « 0001-01-01T00:00:00Z » " + bornes),
        ("dates.json", None, "dateCreation", "date invraisemblable « 2099-03-01T08:00:00+02:00 » " + bornes)]
    assert con.execute("select list(offre_id order by offre_id) from brut.offres_ft").fetchone()[0] == ["Q4"]
