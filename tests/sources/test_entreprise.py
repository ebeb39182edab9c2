"""Pilot companies' hiring records: workbook and CSV, exact values, faulty rows, templates,
and no raw identifier of a person anywhere in the warehouse."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from flows.config import MODELES
from flows.sources import modeles
from flows.sources.entreprise import ACTIONS, CANDIDATURES, RECRUTEMENTS
from tests.conftest import rejets

R = ";".join(RECRUTEMENTS)
C = ";".join(CANDIDATURES)


def _hash(identifiant: str) -> str:
    """The test salt is ``sel-de-test`` (tests/conftest.py)."""
    return hashlib.sha256(b"sel-de-test|" + identifiant.encode()).hexdigest()[:16]


def _referentiel_rome(con) -> None:
    for code in ("I1304", "H2301"):
        con.execute("insert into brut.rome_codes (code_rome, _fichier, _sha256, _charge_le) "
                    "values (?, 'test', 'test', now()::timestamp)", [code])


def _classeur(tmp_path, recrutements, candidatures, nom="entreprise.xlsx", feuilles=("guide", "recrutements",
                                                                                         "candidatures")):
    wb = Workbook()
    wb.remove(wb.active)
    for feuille in feuilles:
        ws = wb.create_sheet(feuille)
        if feuille == "guide":
            ws.append(["Ce qui est écrit ici est ignoré", "candidat", "C-999"])
            continue
        colonnes, lignes = (RECRUTEMENTS, recrutements) if feuille.lower() == "recrutements" else (
            CANDIDATURES, candidatures)
        ws.append(colonnes)
        for ligne in lignes:
            ws.append(ligne)
    wb.save(tmp_path / nom)
    return tmp_path / nom


def _csv(tmp_path, nom, entete, *lignes, encodage="utf-8-sig"):
    chemin = tmp_path / nom
    chemin.write_bytes("\r\n".join([entete, *lignes, ""]).encode(encodage))
    return chemin


def _recrutements(con) -> list[tuple]:
    return con.execute(
        "select entreprise, reference, commune_site, intitule, code_rome, date_ouverture, date_cloture, statut, "
        "nombre_postes, type_contrat, duree_contrat_mois, salaire_affiche, salaire_min_mensuel, salaire_max_mensuel, "
        "experience_requise_mois, diplome_requis, canaux, description, competences, _ligne, _chemin_json "
        "from brut.recrutements order by _ligne").fetchall()


def _candidatures(con) -> list[tuple]:
    return con.execute(
        "select entreprise, reference_recrutement, candidat_hash, canal, date_reception, date_preselection, "
        "date_entretien, date_proposition, date_embauche, date_desistement, date_refus, motif, _ligne, _chemin_json "
        "from brut.candidatures order by _ligne").fetchall()


# valid rows reused below
REC_1 = ["Labo Exemple", "REC-1", 21231, "Technicien de maintenance H/F", "I1304", datetime(2025, 1, 6),
         "14/03/2025", "Pourvu", 1, "CDI", None, "oui", 2200, "2 600,50", 3, "Bac+2",
         "France Travail | Indeed | LinkedIn | Pôle emploi", "Candidatures à rh@labo-exemple.fr",
         "électrotechnique | automatismes | GMAO"]
REC_2 = ["Labo Exemple", "REC-2", "21231", "Conducteur de ligne", None, "03/02/2025", None, "ouvert", 2,
         "intérim", 6, "non", None, None, 0, "CAP", "Agence d'intérim, cooptation", None, "BPF, conduite de ligne"]
CAND_1 = ["Labo Exemple", "REC-1", "jeanne.martin@exemple.fr", "Indeed", "10/01/2025", "12/01/2025",
          datetime(2025, 1, 20), "25/01/2025", "01/02/2025", None, None, None]
CAND_2 = ["Labo Exemple", "REC-1", "C-00172", "spontanée", "11/01/2025", "12/01/2025", None, None, None, None,
          "13/01/2025", "Profil junior, rappeler au 06 12 34 56 78"]
CAND_3 = ["Labo Exemple", "REC-2", "C-00172", "école", "04/02/2025", None, None, None, None, "06/02/2025", None,
          "a accepté une autre offre"]


def test_classeur_valeurs_exactes(tmp_path, con, charger):
    _referentiel_rome(con)
    chemin = _classeur(tmp_path, [REC_1, REC_2], [CAND_1, CAND_2, CAND_3])
    (bilan,) = charger("entreprise", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees, bilan.remarques) == (5, 5, 0, "")
    assert _recrutements(con) == [
        ("Labo Exemple", "REC-1", "21231", "Technicien de maintenance H/F", "I1304", date(2025, 1, 6),
         date(2025, 3, 14), "pourvu", 1, "CDI", None, True, 2200.0, 2600.5, 36.0, 5,
         ["france_travail", "jobboard", "reseaux_sociaux"], "Candidatures à [courriel masqué]",
         ["électrotechnique", "automatismes", "GMAO"], 2, "recrutements"),
        ("Labo Exemple", "REC-2", "21231", "Conducteur de ligne", None, date(2025, 2, 3), None, "ouvert", 2,
         "intérim", 6.0, False, None, None, 0.0, 3, ["interim", "cooptation"], None,
         ["BPF", "conduite de ligne"], 3, "recrutements"),
    ]
    assert _candidatures(con) == [
        ("Labo Exemple", "REC-1", _hash("jeanne.martin@exemple.fr"), "jobboard", date(2025, 1, 10),
         date(2025, 1, 12), date(2025, 1, 20), date(2025, 1, 25), date(2025, 2, 1), None, None, None, 2,
         "candidatures"),
        ("Labo Exemple", "REC-1", _hash("C-00172"), "spontanee", date(2025, 1, 11), date(2025, 1, 12), None, None,
         None, None, date(2025, 1, 13), "Profil junior, rappeler au [téléphone masqué]", 3, "candidatures"),
        ("Labo Exemple", "REC-2", _hash("C-00172"), "ecole", date(2025, 2, 4), None, None, None, None,
         date(2025, 2, 6), None, "a accepté une autre offre", 4, "candidatures"),
    ]


def test_deux_csv_reconnus_par_leur_en_tete(tmp_path, con, charger):
    recrutements = _csv(tmp_path, "recrutements.csv", R,
                        "Labo Exemple;REC-1;21231;Technicien;I1304;06/01/2025;14/03/2025;ABANDONNÉ;1;CDD;"
                        "4,5;oui;2200;2600;1,5;5;site carrière|APEC;;", encodage="cp1252")
    candidatures = _csv(tmp_path, "candidatures.csv", C,
                        "Labo Exemple;REC-1;C-1;Site de l'entreprise;10/01/2025;;;;;;13/01/2025;")
    bilans = charger("entreprise", recrutements, candidatures)
    assert [(b.lignes_lues, b.nouvelles, b.rejetees) for b in bilans] == [(1, 1, 0), (1, 1, 0)]
    assert _recrutements(con) == [
        ("Labo Exemple", "REC-1", "21231", "Technicien", "I1304", date(2025, 1, 6), date(2025, 3, 14), "abandonne",
         1, "CDD", 4.5, True, 2200.0, 2600.0, 18.0, 5, ["site_carriere", "apec"], None, None, 2, None)]
    assert _candidatures(con) == [
        ("Labo Exemple", "REC-1", _hash("C-1"), "site_carriere", date(2025, 1, 10), None, None, None, None, None,
         date(2025, 1, 13), None, 2, None)]


def test_recrutements_fautifs_en_quarantaine(tmp_path, con, charger):
    _referentiel_rome(con)
    debut = "Labo;{ref};21231;Technicien;I1304;"
    chemin = _csv(
        tmp_path, "recrutements.csv", R,
        debut.format(ref="R1") + "06/01/2025;14/03/2025;pourvu;1;CDI;;oui;2200;2600;3;Bac;Indeed;;",   # 2 valid
        debut.format(ref="R2") + "06/01/2025;05/01/2025;pourvu;1;CDI;;oui;;;;;;;",      # 3 closes before opening
        debut.format(ref="R3") + "06/01/2025;;abandonné;1;CDI;;oui;;;;;;;",             # 4 closed without date
        debut.format(ref="R4") + "06/01/2025;10/01/2025;ouvert;1;CDI;;oui;;;;;;;",      # 5 open with a date
        "Labo;R5;21231;Technicien;H9999;06/01/2025;;ouvert;1;CDI;;oui;;;;;;;",         # 6 unknown ROME code
        debut.format(ref="R6") + "06/01/2025;;ouvert;1;CDI;;oui;;;;;Indeed|Bouche à oreilles;;",  # 7 channel
        debut.format(ref="R7") + "31/02/2025;;en attente;1;CDI;;oui;;;;;;;",            # 8 bad date, status
        debut.format(ref="R8") + "06/01/2025;;ouvert;1;CDI;;oui;2800;2600;;;;;",        # 9 min above max
        debut.format(ref="R1") + "07/01/2025;;ouvert;1;CDI;;oui;;;;;;;",                # 10 same reference
        "Labo;R9;21231;Technicien;I1304;06/01/2025;;ouvert;1;CDI;;oui;;;;;;",           # 11 a field short
        debut.format(ref="R10") + "06/01/2025;;ouvert;-1;CDI;;oui;;;-2;;;;",            # 12 negative numbers
    )
    (bilan,) = charger("entreprise", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (11, 1, 10)
    assert con.execute("select reference, canaux from brut.recrutements").fetchall() == [("R1", ["jobboard"])]
    canaux = ("france_travail, apec, jobboard, site_carriere, reseaux_sociaux, interim, cabinet, cooptation, ecole, "
              "salon, spontanee")
    assert rejets(con) == [
        ("recrutements.csv", 3, "date_cloture", "date de clôture antérieure à la date d'ouverture (« 06/01/2025 »)"),
        ("recrutements.csv", 4, "date_cloture", "date de clôture obligatoire quand le statut est « abandonne »"),
        ("recrutements.csv", 5, "date_cloture", "date de clôture renseignée alors que le statut est « ouvert » "
                                                "(videz-la ou indiquez « pourvu » ou « abandonne »)"),
        ("recrutements.csv", 6, "code_rome", "code ROME inconnu « H9999 » : absent du référentiel ROME chargé "
                                             "(chargez le référentiel complet avec « ingerer rome »)"),
        ("recrutements.csv", 7, "canaux", f"valeur inconnue « Bouche à oreilles » (valeurs possibles : {canaux})"),
        ("recrutements.csv", 8, "date_ouverture", "date illisible « 31/02/2025 » (attendu jj/mm/aaaa)"),
        ("recrutements.csv", 8, "statut",
         "valeur inconnue « en attente » (valeurs possibles : pourvu, abandonne, ouvert)"),
        ("recrutements.csv", 9, "salaire_min_mensuel", "salaire minimum supérieur au maximum (« 2600 »)"),
        ("recrutements.csv", 10, "reference",
         "recrutement en double dans le fichier : même entreprise et référence que la ligne 2"),
        ("recrutements.csv", 11, "(ligne)", "18 champs au lieu de 19 (séparateur ou guillemets ?)"),
        ("recrutements.csv", 12, "experience_requise_annees", "valeur négative « -2 »"),
        ("recrutements.csv", 12, "nombre_postes", "effectif négatif « -1 »"),
    ]


def test_candidatures_fautives_en_quarantaine(tmp_path, con, charger):
    chemin = _classeur(tmp_path, [REC_1], [
        CAND_1,                                                                                      # 2 valid
        ["Labo Exemple", "REC-1", "C-2", "Indeed", "10/01/2025", "12/01/2025", "11/01/2025", None, None, None,
         None, None],                                                                                # 3 order
        ["Labo Exemple", "REC-1", "C-3", None, "10/01/2025", "09/01/2025", None, None, None, "08/01/2025", None,
         None],                                                                                      # 4 before
        ["Labo Exemple", "REC-1", "C-4", "Indeed", "10/01/2025", None, None, None, "20/01/2025", None,
         "21/01/2025", "doublon"],                                                                   # 5 outcomes
        ["Labo Exemple", "REC-1", None, "Indeed", "10/01/2025"] + [None] * 7,                       # 6 no candidate
        ["Labo Exemple", "REC-1", "C-5", "Minitel", "10/01/2025"] + [None] * 7,                     # 7 channel
        ["Labo Exemple", "REC-9", "C-6", None, "10/01/2025"] + [None] * 7,                          # 8 no requisition
        ["Labo Exemple", "REC-1", "jeanne.martin@exemple.fr", "LinkedIn", "15/01/2025"] + [None] * 7,  # 9 duplicate
    ])
    (bilan,) = charger("entreprise", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (9, 2, 7)
    assert con.execute("select candidat_hash, canal from brut.candidatures").fetchall() == [
        (_hash("jeanne.martin@exemple.fr"), "jobboard")]
    assert con.execute("select ligne, chemin_json, champ, valeur, motif from controle.rejets order by ligne, champ"
                       ).fetchall() == [
        (3, "candidatures", "date_entretien", "11/01/2025",
         "date d'entretien (« 11/01/2025 ») antérieure à la date de présélection (« 12/01/2025 ») : les étapes se suivent "
         "(réception, présélection, entretien, proposition, embauche)"),
        (4, "candidatures", "date_desistement", "08/01/2025",
         "date de désistement (« 08/01/2025 ») antérieure à la date de réception (« 10/01/2025 »)"),
        (4, "candidatures", "date_preselection", "09/01/2025",
         "date de présélection (« 09/01/2025 ») antérieure à la date de réception (« 10/01/2025 ») : les étapes se suivent "
         "(réception, présélection, entretien, proposition, embauche)"),
        (5, "candidatures", "date_refus", "21/01/2025",
         "issues incompatibles : embauche et refus (une candidature se termine par une embauche, un désistement "
         "ou un refus)"),
        (6, "candidatures", "candidat", None, "valeur obligatoire manquante"),
        (7, "candidatures", "canal", "Minitel",
         "valeur inconnue « Minitel » (valeurs possibles : france_travail, apec, jobboard, site_carriere, "
         "reseaux_sociaux, interim, cabinet, cooptation, ecole, salon, spontanee)"),
        (8, "candidatures", "reference_recrutement", "REC-9",
         "recrutement absent de la feuille recrutements (même entreprise et référence attendues)"),
        (9, "candidatures", "candidat", None,
         "candidature en double dans le fichier : même entreprise, recrutement et candidat que la ligne 2"),
    ]


def test_colonne_feuille_ou_en_tete_manquants(tmp_path, con, charger):
    sans_statut = _csv(tmp_path, "sans_statut.csv", R.replace(";statut", ""),
                       "Labo;R1;21231;Technicien;I1304;06/01/2025;14/03/2025;1;CDI;;oui;;;;;;;")
    inconnu = _csv(tmp_path, "inconnu.csv", "nom;prenom;poste", "Martin;Jeanne;Technicienne")
    sans_candidatures = _classeur(tmp_path, [REC_1], [], nom="incomplet.xlsx",
                                  feuilles=("guide", "Recrutements", "notes"))
    bilans = charger("entreprise", sans_statut, inconnu, sans_candidatures)
    assert [(b.nouvelles, b.rejetees) for b in bilans] == [(0, 1), (0, 1), (1, 1)]
    assert bilans[2].remarques == "feuille(s) ignorée(s) : notes"
    assert rejets(con) == [
        ("incomplet.xlsx", 1, "(fichier)",
         "feuille « candidatures » absente du classeur (feuilles trouvées : « guide », « Recrutements », « notes »)"),
        ("inconnu.csv", 1, "(fichier)",
         "en-tête non reconnu (3 colonnes ; reconnue(s) : aucune ; inconnue(s) : colonnes 1 à 3) ; en-têtes attendus : recrutements (" + ", ".join(RECRUTEMENTS)
         + ") ; candidatures (" + ", ".join(CANDIDATURES) + ") ; actions (entreprise, action, date_debut, "
         "indicateur_cible)"),
        ("sans_statut.csv", 1, "statut",
         f"colonne(s) obligatoire(s) absente(s) : statut (en-tête lu : {len(RECRUTEMENTS) - 1} colonnes ; reconnue(s) : "
         + ", ".join(
             c for c in RECRUTEMENTS if c != "statut") + ")"),
    ]
    assert con.execute("select reference from brut.recrutements").fetchall() == [("REC-1",)]


def test_ligne_mal_encodee(tmp_path, con, charger):
    chemin = tmp_path / "candidatures.csv"
    chemin.write_bytes(("\ufeff" + C + "\n").encode()
                       + "Labo;R1;C-1;école;10/01/2025;;;;;;;\n".encode()
                       + "Labo;R1;C-2;école;10/01/2025;;;;;;;\n".encode("cp1252"))
    (bilan,) = charger("entreprise", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (2, 1, 1)
    assert rejets(con) == [("candidatures.csv", 3, "(ligne)", "encodage invalide : octet 0xE9 non UTF-8 en colonne 13 "
                                                              "(réenregistrez le fichier en UTF-8)")]


def test_recharger_le_meme_classeur_ne_change_rien(tmp_path, con, charger):
    chemin = _classeur(tmp_path, [REC_1, REC_2], [CAND_1, CAND_2, CAND_3, ["Labo Exemple", "REC-1", "C-9", "Fax",
                                                                           "10/01/2025"] + [None] * 7])

    def etat():
        return [con.execute(f"select * exclude (_charge_le) from brut.{t} order by all").fetchall()  # noqa: S608 (names from the test)
                for t in ("recrutements", "candidatures")]

    charger("entreprise", chemin)
    avant = etat()
    (bilan,) = charger("entreprise", chemin)
    assert (bilan.nouvelles, bilan.mises_a_jour, bilan.inchangees, bilan.rejetees) == (0, 0, 5, 1)
    assert etat() == avant
    assert [len(t) for t in avant] == [2, 3]
    assert con.execute("select count(*) from controle.rejets").fetchone() == (1,)


# --------------------------------------------------------------------------- personal data

def test_aucun_identifiant_de_personne_dans_l_entrepot(tmp_path, con, charger):
    """Every VARCHAR of every table, quarantine included, after loading profiles and
    applications with faults on and around the identifiers."""
    profils = _csv(tmp_path, "profils.csv",
                   "identifiant;mois;code_rome;commune;categorie;niveau_diplome;experience_annees;permis_b;"
                   "rayon_mobilite_km",
                   "DE-SECRET-1;2025-03;I1304;21231;A;Bac;2;oui;20",
                   "DE-SECRET-1;2025-03;I1304;21231;A;Bac;2;oui;20",
                   "DE-SECRET-2;2025-13;I1304;21231;A;Bac;2;oui;20",
                   "DE-SECRET-3;2025-03", encodage="utf-8")
    classeur = _classeur(tmp_path, [REC_1], [
        ["Labo Exemple", "REC-1", "CAND-SECRET-1", "Indeed", "10/01/2025", None, None, None, "14/03/2025", None, None,
         None],  # the hire of REC-1, « pourvu »
        ["Labo Exemple", "REC-1", "CAND-SECRET-1", "Indeed", "11/01/2025"] + [None] * 7,
        ["Labo Exemple", "REC-1", "CAND-SECRET-2", "Indeed", "pas une date"] + [None] * 7,
        ["Labo Exemple", "REC-404", "CAND-SECRET-3", "Indeed", "10/01/2025"] + [None] * 7,
    ])
    csv_ = _csv(tmp_path, "candidatures.csv", C, "Labo;R1;CAND-SECRET-4;Indeed;10/01/2025;09/01/2025;;;;;;",
                "Labo;R1;CAND-SECRET-5;Indeed;10/01/2025;;;;;;")
    bilans = charger("profils", profils) + charger("entreprise", classeur, csv_)
    assert [(b.nouvelles, b.rejetees) for b in bilans] == [(1, 3), (2, 3), (0, 2)]
    colonnes = con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where data_type in ('VARCHAR', 'VARCHAR[]') and table_schema in ('brut', 'controle', 'prep', 'int', 'analyse')"
    ).fetchall()
    assert len(colonnes) > 50
    trouves = []
    for schema, table, colonne, type_ in colonnes:
        texte = f'"{colonne}"' if type_ == "VARCHAR" else f'array_to_string("{colonne}", \'|\')'
        n = con.execute(f'select count(*) from "{schema}"."{table}" '  # noqa: S608 (names from the test)
                        f"where {texte} ilike '%SECRET%'").fetchone()[0]
        if n:
            trouves.append((schema, table, colonne, n))
    assert trouves == []
    # the pseudonyms are there instead
    assert con.execute("select count(*) from brut.candidatures where candidat_hash = ?",
                       [_hash("CAND-SECRET-1")]).fetchone() == (1,)


# --------------------------------------------------------------------------- templates

def test_les_modeles_livres_sont_a_jour(tmp_path):
    """The committed templates are what ``python -m flows.sources.modeles`` writes (the
    workbook is compared cell by cell: openpyxl stamps the save time into the file)."""
    modeles.ecrire(tmp_path)
    for nom in modeles.FICHIERS_CSV:
        assert (MODELES / nom).read_bytes() == (tmp_path / nom).read_bytes(), nom
    assert (MODELES / "recrutements.csv").read_bytes().startswith(b"\xef\xbb\xbfentreprise;reference;")

    def contenu(chemin):
        wb = load_workbook(chemin)
        return {ws.title: ([list(r) for r in ws.iter_rows(values_only=True)],
                           sorted((str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation))
                for ws in wb.worksheets}

    livre, neuf = contenu(MODELES / modeles.CLASSEUR), contenu(tmp_path / modeles.CLASSEUR)
    assert list(livre) == ["guide", "recrutements", "candidatures", "actions"]
    assert livre == neuf
    assert livre["candidatures"][1] == [("D2:D1001", '"' + ",".join(modeles.LISTES["candidatures", "canal"]) + '"')]


def test_le_guide_decrit_chaque_colonne():
    assert [ligne[0] for ligne in modeles.GUIDE["recrutements"]] == RECRUTEMENTS
    assert [ligne[0] for ligne in modeles.GUIDE["candidatures"]] == CANDIDATURES
    guide = (MODELES / "guide-entreprise.md").read_text(encoding="utf-8")
    absentes = [c for c in RECRUTEMENTS + CANDIDATURES + ACTIONS if f"| `{c}` |" not in guide]
    assert absentes == []


@pytest.mark.parametrize("vierge", ["modele-entreprise.xlsx", "recrutements.csv", "candidatures.csv"])
def test_un_modele_vierge_se_charge_sans_erreur(con, charger, vierge):
    (bilan,) = charger("entreprise", MODELES / vierge)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees, bilan.remarques) == (0, 0, 0, "")


def test_le_modele_rempli_se_charge(tmp_path, con, charger):
    """What an HR person does: open the shipped workbook, type one row per sheet, save."""
    wb = load_workbook(MODELES / modeles.CLASSEUR)
    for colonne, valeur in enumerate(REC_1, start=1):
        wb["recrutements"].cell(row=2, column=colonne, value=valeur)
    for colonne, valeur in enumerate(CAND_1, start=1):
        wb["candidatures"].cell(row=2, column=colonne, value=valeur)
    wb.save(tmp_path / "rempli.xlsx")
    (bilan,) = charger("entreprise", tmp_path / "rempli.xlsx")
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (2, 2, 0)
    assert con.execute("select reference, statut, date_cloture from brut.recrutements").fetchall() == [
        ("REC-1", "pourvu", date(2025, 3, 14))]
    assert con.execute("select reference_recrutement, date_entretien from brut.candidatures").fetchall() == [
        ("REC-1", date(2025, 1, 20))]


def test_actions_agreees_avec_la_task_force(tmp_path, con, charger):
    fichier = tmp_path / "actions.csv"
    fichier.write_text("entreprise;action;date_debut;indicateur_cible\n"
                       "Labo A;Afficher le salaire;01/03/2025;delai_pourvoi\n"
                       "Labo A;Ajouter l'intérim;15/04/2025;nombre de clics\n"
                       "Labo A;Afficher le salaire;01/03/2025;delai_pourvoi\n")
    (bilan,) = charger("entreprise", fichier)
    assert (bilan.nouvelles, bilan.rejetees) == (1, 2)
    assert con.execute("select entreprise, action, date_debut, indicateur_cible from brut.actions_pilote").fetchall() == [
        ("Labo A", "Afficher le salaire", date(2025, 3, 1), "delai_pourvoi")]
    assert [(ligne, champ) for _, ligne, champ, _ in rejets(con)] == [(3, "indicateur_cible"), (4, "action")]


def test_coordonnees_et_noms_de_personnes_masques_au_chargement(tmp_path, con, charger):
    """An action keeps no contact; the reason of an application keeps no person's name
    either (flows.confidentialite.masquer_personnes)."""
    actions = _csv(tmp_path, "actions.csv", ";".join(ACTIONS),
                   "Labo A;Relancer Karim (06 39 98 34 36, karim.p@exemple.fr);01/03/2025;delai_pourvoi")
    candidatures = _classeur(tmp_path, [REC_1], [
        CAND_1[:-1] + ["Refus de Jean DUPONT : voir Mme Martin ou DUPONT Jean-Pierre"],
        CAND_2[:-1] + ["Orienté par France Travail vers Karim Pseudonyme, CDI CDD refusés"],
        CAND_1[:2] + ["C-3"] + CAND_1[3:-1] + ["a accepté une autre offre"]])
    charger("entreprise", actions, candidatures)
    assert con.execute("select action from brut.actions_pilote").fetchall() == [
        ("Relancer Karim ([téléphone masqué], [courriel masqué])",)]
    assert con.execute("select motif from brut.candidatures order by _ligne").fetchall() == [
        ("Refus de [nom masqué] : voir [nom masqué] ou [nom masqué]",),
        ("Orienté par France Travail vers [nom masqué], CDI CDD refusés",),
        ("a accepté une autre offre",)]


@pytest.mark.parametrize("par_lots", [False, True], ids=["un-lot", "lots-de-deux"])
def test_controles_croises_des_deux_feuilles(tmp_path, con, charger, request, par_lots):
    """A workbook is checked across its sheets: a hire before its requisition opened, long
    after it closed (more than 31 days, [entreprise] of config/parametres.toml) or in an
    abandoned one; a « pourvu » requisition without a hire; events in the future (more than
    1 day after the load); an opening on 01/01/1900; an application twice. Each reason names
    the other sheet's line. The same when the applications are read two at a time: a hire
    and a duplicate are found across batches."""
    if par_lots:
        request.getfixturevalue("lots_de_deux")

    def rec(ref, ouverture, cloture, statut):
        return ["Labo", ref, "21231", "Technicien", None, ouverture, cloture, statut, 1] + [None] * 10

    def cand(ref, candidat, reception, embauche=None, refus=None):
        return ["Labo", ref, candidat, "Indeed", reception, None, None, None, embauche, None, refus, None]

    def jour(d):
        return f"{d.day:02d}/{d.month:02d}/{d.year}"

    aujourd_hui = date.today()
    futur = jour(aujourd_hui + timedelta(days=40))
    classeur = _classeur(tmp_path, [
        rec("R-A", "03/02/2025", "14/03/2025", "pourvu"),   # recrutements, line 2
        rec("R-B", "03/02/2025", "10/03/2025", "pourvu"),   # 3
        rec("R-C", "01/01/1900", None, "ouvert"),           # 4
        rec("R-D", futur, None, "ouvert"),                  # 5
        rec("R-E", "03/02/2025", "14/03/2025", "pourvu"),   # 6: no hire in the candidatures sheet
        rec("R-F", "03/02/2025", "14/03/2025", "abandonne"),  # 7
        rec("R-G", "03/02/2025", None, "ouvert"),           # 8
    ], [
        cand("R-A", "C-1", "10/01/2025", embauche="20/01/2025"),  # candidatures, line 2: hired before the opening
        cand("R-A", "C-2", "10/02/2025", embauche="14/03/2025"),  # 3
        cand("R-B", "C-3", "10/02/2025", embauche="30/04/2025"),  # 4: 51 days after the closure
        cand("R-E", "C-4", "10/02/2025", refus="20/02/2025"),     # 5
        cand("R-F", "C-5", "10/02/2025", embauche="10/03/2025"),  # 6: hired in an abandoned requisition
        cand("R-G", "C-6", "10/02/2025"),                         # 7
        cand("R-G", "C-7", futur),                                # 8
        cand("R-G", "C-6", "11/02/2025"),                         # 9: the application of line 7 again
    ])
    (bilan,) = charger("entreprise", classeur)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (7 + 8, 4 + 3, 8)
    assert con.execute("select reference from brut.recrutements order by reference").fetchall() == [
        ("R-A",), ("R-B",), ("R-F",), ("R-G",)]
    assert con.execute("select count(*) from brut.candidatures").fetchone() == (3,)
    futur_motif = (f"({cite_(futur)}) dans le futur : postérieure au jour du chargement ({jour(aujourd_hui)}) de plus "
                   "de 1 jour (un fait passé ; tolérance futur_tolerance_jours de la section [entreprise] de "
                   "config/parametres.toml)")
    fin = aujourd_hui + timedelta(days=366)
    assert con.execute("select chemin_json, ligne, champ, motif from controle.rejets order by chemin_json desc, ligne"
                       ).fetchall() == [
        ("recrutements", 4, "date_ouverture", f"date invraisemblable « 01/01/1900 » (attendu du 01/01/1990 au "
                                              f"{jour(fin)} : bornes de la section [dates] de config/parametres.toml)"),
        ("recrutements", 5, "date_ouverture", "date d'ouverture " + futur_motif),
        ("recrutements", 6, "statut", "statut « pourvu » sans embauche : aucune candidature de la feuille candidatures "
                                      "n'a de date d'embauche pour ce recrutement (ajoutez-la, ou corrigez le statut)"),
        ("candidatures", 2, "date_embauche", "date d'embauche (« 20/01/2025 ») antérieure à l'ouverture du recrutement "
                                             "(« 03/02/2025 », feuille recrutements, ligne 2)"),
        ("candidatures", 4, "date_embauche", "date d'embauche (« 30/04/2025 ») postérieure de plus de 31 jours à la "
                                             "clôture du recrutement (« 10/03/2025 », feuille recrutements, ligne 3 ; "
                                             "délai embauche_apres_cloture_jours de la section [entreprise] de "
                                             "config/parametres.toml)"),
        ("candidatures", 6, "date_embauche", "date d'embauche (« 10/03/2025 ») alors que le recrutement est abandonné "
                                             "(feuille recrutements, ligne 7)"),
        ("candidatures", 8, "date_reception", "date de réception " + futur_motif),
        ("candidatures", 9, "candidat", "candidature en double dans le fichier : même entreprise, recrutement et "
                                        "candidat que la ligne 7"),
    ]


def cite_(valeur: str) -> str:
    return f"« {valeur} »"
