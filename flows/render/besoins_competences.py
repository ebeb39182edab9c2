"""The export for training bodies, ``extraits/besoins-competences.xlsx``: one sheet per
occupation of the Hub's territory (config ``[territoire]``), readable without the
dashboard: offers of the latest year, the skills most asked (required / wished), the
diplomas, licences, languages and experience asked, and the change against the year
before. Shares are real numbers formatted as percentages, never text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from flows.config import parametres
from flows.render.commun import libelles_metiers, manquant, ouvrir, requete, table_existe

FICHIER = "besoins-competences.xlsx"
CATEGORIES = {"diplome": "Diplômes demandés", "domaine_formation": "Domaines de formation",
              "permis": "Permis", "langue": "Langues", "experience": "Expérience demandée"}
GRAS = Font(bold=True)
TITRE = Font(bold=True, size=14)
ENTETE = PatternFill("solid", fgColor="DDE7F0")
POURCENT = "0%"
POINTS = '+0" pt";-0" pt";0" pt"'


def _nom_feuille(code: str, libelle: str, pris: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\ and unique. The feminine
    form of a ROME label is dropped there ("Technicien / Technicienne de ..." → "Technicien de ...")."""
    court = re.sub(r"\s*/\s*\S+", "", libelle)
    nom = re.sub(r"[\[\]:*?/\\]", " ", f"{code} {court}")[:31].strip()
    while nom in pris:
        nom = nom[:28] + f"~{len(pris)}"
    pris.add(nom)
    return nom


def _entete(feuille: Worksheet, colonnes: list[str]) -> None:
    feuille.append(colonnes)
    for cellule in feuille[feuille.max_row]:
        cellule.font, cellule.fill = GRAS, ENTETE


def _lire(con, regles: dict) -> tuple[pd.DataFrame, dict[str, str], str | None, str]:
    """The latest year's skills of the territory ``regles`` names (config ``[territoire]``),
    the v3 labels, that year and the territory's name."""
    territoire = {"niveau": regles["niveau"], "territoire": regles["code"]}
    annee = requete(con, "besoins_annee", territoire)["annee"].iloc[0]
    if manquant(annee):
        return pd.DataFrame(), {}, None, regles["code"]
    elements = requete(con, "besoins_elements", territoire | {"annee": annee})
    nom = requete(con, "territoire", territoire)["libelle"]
    return elements, libelles_metiers(con), annee, nom.iloc[0] if not nom.empty else regles["code"]


def _feuille_metier(feuille: Worksheet, code: str, libelle: str, donnees: pd.DataFrame, annee: str,
                    territoire: str, nombre: int) -> None:
    feuille.append([f"{libelle} ({code}) — {territoire}, année {annee}"])
    feuille["A1"].font = TITRE
    total = int(donnees["offres_total"].iloc[0])
    feuille.append(["Offres France Travail de l'année (doublons regroupés)", total])
    feuille.append([])
    feuille.append(["Compétences les plus demandées"])
    feuille.cell(feuille.max_row, 1).font = GRAS
    _entete(feuille, ["Compétence", "Exigée (part des offres)", "Souhaitée (part des offres)",
                      "Exigée ou souhaitée", "Évolution sur un an (points)"])
    competences = donnees[donnees["categorie"] == "competence"]
    parts = competences.pivot_table(index="element_libelle", columns="exigence", values="part", aggfunc="first")
    evolutions = competences[competences["exigence"] == "tous"].set_index("element_libelle")["evolution"]
    parts = parts.reindex(columns=["E", "S", "tous"]).fillna(0.0).sort_values("tous", ascending=False)
    for nom, ligne in parts.head(nombre).iterrows():
        evolution = evolutions.get(nom)
        feuille.append([nom, float(ligne["E"]), float(ligne["S"]), float(ligne["tous"]),
                        None if pd.isna(evolution) else round(float(evolution) * 100, 1)])
        for colonne in (2, 3, 4):
            feuille.cell(feuille.max_row, colonne).number_format = POURCENT
        feuille.cell(feuille.max_row, 5).number_format = POINTS
    for categorie, titre in CATEGORIES.items():
        lignes = donnees[(donnees["categorie"] == categorie) & (donnees["exigence"] == "tous")]
        if lignes.empty:
            continue
        feuille.append([])
        feuille.append([titre])
        feuille.cell(feuille.max_row, 1).font = GRAS
        _entete(feuille, ["Élément", "Part des offres", "Évolution sur un an (points)"])
        for element in lignes.itertuples():
            feuille.append([element.element_libelle, float(element.part),
                            None if pd.isna(element.evolution) else round(float(element.evolution) * 100, 1)])
            feuille.cell(feuille.max_row, 2).number_format = POURCENT
            feuille.cell(feuille.max_row, 3).number_format = POINTS
    feuille.column_dimensions["A"].width = 70
    for lettre in "BCDE":
        feuille.column_dimensions[lettre].width = 24
    for rangee in feuille.iter_rows(min_row=5):
        rangee[0].alignment = Alignment(wrap_text=True)


def ecrire(entrepot: str | Path, dossier: Path) -> Path | None:
    """Write the workbook; None when the warehouse holds no skills for the territory."""
    regles = parametres()["competences"]
    with ouvrir(entrepot) as con:
        if not table_existe(con, "competences_demandees"):
            return None
        elements, libelles, annee, territoire = _lire(con, parametres()["territoire"])
    if annee is None or elements.empty:
        return None
    classeur = Workbook()
    lisez_moi = classeur.active
    lisez_moi.title = "Lisez-moi"
    for ligne in [
        ["Besoins en compétences des employeurs — industries de santé et maintenance"],
        [f"Territoire : {territoire} ; année {annee} ; source : offres France Travail (doublons regroupés)."],
        ["Une feuille par métier (code ROME v3) : compétences exigées ou souhaitées, diplômes, permis, "
         "langues et expérience, en part des offres de l'année, et leur évolution sur un an en points."],
        ["Les parts sont des nombres (format pourcentage) : triez-les et calculez avec, sans conversion."],
        [],
        ["Métier", "Code ROME", "Offres de l'année", "Feuille"],
    ]:
        lisez_moi.append(ligne)
    lisez_moi["A1"].font = TITRE
    for cellule in lisez_moi[6]:
        cellule.font, cellule.fill = GRAS, ENTETE
    pris: set[str] = {"Lisez-moi"}
    codes = elements.groupby("code")["offres_total"].first().sort_values(ascending=False)
    for code, total in codes.items():
        libelle = libelles.get(code, code)
        nom = _nom_feuille(code, libelle, pris)
        _feuille_metier(classeur.create_sheet(nom), code, libelle, elements[elements["code"] == code], annee,
                        territoire, regles["nombre_competences"])
        lisez_moi.append([libelle, code, int(total), nom])
    lisez_moi.column_dimensions["A"].width = 70
    lisez_moi.column_dimensions["D"].width = 34
    chemin = dossier / FICHIER
    dossier.mkdir(parents=True, exist_ok=True)
    classeur.save(chemin)
    return chemin
