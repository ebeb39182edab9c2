"""A delimited file larger than a batch (``lignes_par_lot``) is parsed, checked and merged
batch by batch, in one transaction: the rows, their provenance and the quarantine are
those of the file read whole."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from flows import warehouse
from flows.chargement.un_fichier import charger_fichier
from flows.lecture.lots import Contexte
from flows.sources.profils import lire_par_lots
from tests.conftest import rejets

ENTETE = "identifiant;mois;code_rome;commune;categorie;niveau_diplome;experience_annees;permis_b;rayon_mobilite_km\n"
BFC = ["Référence annonce", "Intitulé du poste", "Descriptif", "Date de publication", "Code commune", "Société",
       "Contrat", "Durée (mois)", "Temps de travail", "Rémunération", "Expérience", "Nombre de postes", "Lien"]


def _hash(identifiant: str) -> str:
    return hashlib.sha256(b"sel-de-test|" + identifiant.encode()).hexdigest()[:16]


def _profils(tmp_path: Path) -> Path:
    chemin = tmp_path / "profils.csv"
    chemin.write_text(ENTETE
                      + "DE-1;2025-03;I1304;21231;A;Bac;2;oui;20\n"   # 2 batch 1
                      + "DE-2;2025-03;I1304;21231;B;Bac;2;oui;20\n"   # 3 batch 1
                      + "DE-3;2025-03;I1304;21231;Z;Bac;2;oui;20\n"   # 4 batch 2: unknown category
                      + "\n"                                            # 5 blank: not a row
                      + "DE-4;2025-04;I1304;21231;C;Bac;2;oui;20\n"   # 6 batch 2
                      + "DE-1;03/2025;I1304;21231;A;Bac;3;oui;20\n",  # 7 batch 3: same as line 2
                      encoding="utf-8")
    return chemin


def _contenu(entrepot: Path) -> tuple[list, list, list]:
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        lignes = [(h, mois, categorie, Path(fichier).name, ligne) for h, mois, categorie, fichier, ligne in con.execute(
            "select demandeur_hash, mois, categorie, _fichier, _ligne from brut.profils_demandeurs order by _ligne"
        ).fetchall()]
        journal = con.execute("select lignes_lues, lignes_nouvelles, lignes_rejetees from controle.chargements"
                              ).fetchall()
        return lignes, rejets(con), journal


ATTENDU = (
    [(_hash("DE-1"), date(2025, 3, 1), "A", "profils.csv", 2), (_hash("DE-2"), date(2025, 3, 1), "B", "profils.csv", 3),
     (_hash("DE-4"), date(2025, 4, 1), "C", "profils.csv", 6)],
    [("profils.csv", 4, "categorie", "valeur inconnue « Z » (valeurs possibles : A, B, C, D, E)"),
     ("profils.csv", 7, "identifiant, mois", "ligne en double dans le fichier : même identifiant, mois que la ligne 2")],
    [(5, 3, 2)],
)


def test_un_fichier_en_trois_lots_charge_comme_entier(tmp_path, lots_de_deux):
    chemin = _profils(tmp_path)
    lots = list(lire_par_lots(chemin, Contexte(sel=b"sel-de-test")))
    assert [len(lot.tables[0].lignes) for lot in lots] == [2, 1, 0]
    assert [[r.ligne for r in lot.rejets] for lot in lots] == [[], [4], [7]]
    entrepot = tmp_path / "entrepot.duckdb"
    bilan = charger_fichier.fn("profils", str(chemin), str(entrepot))
    assert (bilan["lignes_lues"], bilan["nouvelles"], bilan["rejetees"]) == (5, 3, 2)
    assert _contenu(entrepot) == ATTENDU  # one load logged: one transaction


def test_le_meme_fichier_en_un_seul_lot(tmp_path):
    entrepot = tmp_path / "entrepot.duckdb"
    charger_fichier.fn("profils", str(_profils(tmp_path)), str(entrepot))
    assert _contenu(entrepot) == ATTENDU


def test_un_lot_en_echec_annule_tout_le_fichier(tmp_path, lots_de_deux):
    entrepot = tmp_path / "entrepot.duckdb"

    def lots_puis_panne():
        yield next(iter(lire_par_lots(_profils(tmp_path), Contexte(sel=b"sel-de-test"))))
        raise OSError("disque débranché")

    with warehouse.ouvrir(entrepot) as con:
        with pytest.raises(OSError, match="disque débranché"):
            warehouse.charger_lots(con, lots_puis_panne())
    assert _contenu(entrepot) == ([], [], [])


def test_export_de_site_en_lots(tmp_path, lots_de_deux):
    chemin = tmp_path / "emploi-bfc.csv"
    chemin.write_bytes("\r\n".join([
        ";".join(BFC),
        "EB-1;Technicien;;03/03/2025;21231;Labo;CDI;;;;;1;",    # 2 batch 1
        "EB-2;Régleur;;04/03/2025;21231;Labo;CDI;;;;;1;",       # 3 batch 1
        "EB-3;Opérateur;;05/03/2025;21231;Labo;CDI;;;;;-2;",    # 4 batch 2: negative count
        "EB-1;Technicien bis;;07/03/2025;21231;Labo;CDI;;;;;1;",  # 5 batch 2: same id as line 2
        "EB-4;Magasinier;;08/03/2025;21231;Labo;CDI;;;;1;",     # 6 batch 3: a field short
        "", ]).encode("cp1252"))
    entrepot = tmp_path / "entrepot.duckdb"
    bilan = charger_fichier.fn("offres-fichier", str(chemin), str(entrepot))
    assert (bilan["lignes_lues"], bilan["nouvelles"], bilan["rejetees"]) == (5, 2, 3)
    assert bilan["remarques"] == "plateforme : emploi-bfc; fichier lu en Windows-1252 (encodage non UTF-8 détecté)"
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        assert con.execute("select offre_id, intitule, _ligne from brut.offres_fichier order by _ligne").fetchall() == [
            ("EB-1", "Technicien", 2), ("EB-2", "Régleur", 3)]
        assert rejets(con) == [
            ("emploi-bfc.csv", 4, "Nombre de postes", "effectif négatif « -2 »"),
            ("emploi-bfc.csv", 5, "Référence annonce", "offre en double dans le fichier (déjà lue ligne 2)"),
            ("emploi-bfc.csv", 6, "(ligne)", "12 champs au lieu de 13 (séparateur ou guillemets ?)"),
        ]


def test_l_empreinte_d_un_fichier_inchange_est_gardee(tmp_path):
    """The sha256 of a file loaded one by one is kept with its path and size: an unchanged
    file is not read again to be recognised as already loaded."""
    chemin = tmp_path / "profils.csv"
    contenu = (ENTETE + "DE-1;2025-03;I1304;21231;A;Bac;2;oui;20\n").encode()
    chemin.write_bytes(contenu)
    entrepot = tmp_path / "entrepot.duckdb"
    assert charger_fichier.fn("profils", str(chemin), str(entrepot))["nouvelles"] == 1
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        assert con.execute("select chemin, taille, sha256 from controle.empreintes").fetchall() == [
            (str(chemin), len(contenu), hashlib.sha256(contenu).hexdigest())]
    assert charger_fichier.fn("profils", str(chemin), str(entrepot))["deja_charge"] is True


TALENTIS = ["Job ID", "Job title", "Job description", "Created on", "Location INSEE", "Company", "Contract type",
            "Salary min", "Salary max", "Experience (years)", "Education level", "Openings", "Url"]


def test_export_de_classeur_en_lots(tmp_path, lots_de_deux):
    """A workbook is read sheet row by sheet row, in batches like a CSV: row numbers are the
    spreadsheet's (data from B3, a sheet before it), an uncalculated formula is reported."""
    from openpyxl import Workbook

    classeur = Workbook()
    classeur.active.title = "Lisez-moi"
    classeur.active["A1"] = "Export Talentis"
    offres = classeur.create_sheet("Offres")
    for rang, valeurs in enumerate([
        TALENTIS,
        ["TAL-1", "Technicien", "", "03/03/2025", "21231", "Labo", "CDI", 30000, 36000, 2, "", 1, ""],  # 4 batch 1
        ["TAL-2", "Régleur", "", "04/03/2025", "21231", "Labo", "CDI", "", "", "", "", 1, ""],         # 5 batch 1
        ["TAL-3", "Opérateur", "", "05/03/2025", "21231", "Labo", "CDI", "", "", "", "", -2, ""],      # 6 batch 2
        [],                                                                                            # 7 empty
        ["TAL-1", "Technicien bis", "", "07/03/2025", "21231", "Labo", "CDI", "", "", "", "", 1, ""],  # 8 batch 2
        ["TAL-4", "Magasinier", "", "08/03/2025", "21231", "Labo", "CDI", "=1/0", "", "", "", 1, ""],  # 9 batch 3
    ], start=3):
        for colonne, valeur in enumerate(valeurs, start=2):
            if valeur != "":
                offres.cell(rang, colonne, valeur)
    chemin = tmp_path / "ats-talentis.xlsx"
    classeur.save(chemin)

    from flows.sources.offres_fichier import lire_par_lots as lire_export
    lots = list(lire_export(chemin, Contexte()))
    assert [[ligne["offre_id"] for ligne in lot.tables[0].lignes] for lot in lots] == [["TAL-1", "TAL-2"], [], []]
    assert [[r.ligne for r in lot.rejets] for lot in lots] == [[], [6, 8], [9]]
    entrepot = tmp_path / "entrepot.duckdb"
    bilan = charger_fichier.fn("offres-fichier", str(chemin), str(entrepot))
    assert (bilan["lignes_lues"], bilan["nouvelles"], bilan["rejetees"]) == (5, 2, 3)
    assert bilan["remarques"] == "plateforme : ats-talentis"
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        assert con.execute("select offre_id, intitule, salaire_min_mensuel, _ligne from brut.offres_fichier "
                           "order by _ligne").fetchall() == [("TAL-1", "Technicien", 2500.0, 4), ("TAL-2", "Régleur", None, 5)]
        assert rejets(con) == [
            ("ats-talentis.xlsx", 6, "Openings", "effectif négatif « -2 »"),
            ("ats-talentis.xlsx", 8, "Job ID", "offre en double dans le fichier (déjà lue ligne 4)"),
            ("ats-talentis.xlsx", 9, "Salary min", "cellule I9 de la feuille « Offres » : formule sans valeur calculée "
             "(classeur écrit par un programme, jamais recalculé) : ouvrez-le dans un tableur et réenregistrez-le"),
        ]
