"""Extracts of the main ``analyse`` tables for analysts: CSV the way a French Excel opens
it (``;``, decimal comma, ``jj/mm/aaaa``, UTF-8 with BOM), protected against formula
injection, and Parquet with the original types; plus the workbook of skills in demand
for training bodies (flows/render/besoins_competences.py).

Pilot companies are named as in the task force's dashboard (pseudonym unless they
consented), and the tables that list a company's requisitions are not extracted: the
extracts sit beside the dashboard and travel with it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from flows.render import besoins_competences
from flows.render.commun import ouvrir, pseudonymes_publication, requete, table_existe
from flows.render.empreintes import Anterieur, Sortie, empreinte, version_rendu

# (schema, table), each extracted to <table>.csv and <table>.parquet when it exists; the
# learning stage's difficulty tables live in ml.
TABLES = [
    ("analyse", "tension_marche"), ("analyse", "comparaison_officielle"), ("analyse", "indicateurs_officiels"),
    ("analyse", "process_entreprise"), ("analyse", "process_canaux"), ("analyse", "benchmark"),
    ("analyse", "diagnostic"), ("analyse", "diagnostic_preuves"), ("analyse", "suivi_pilote"), ("analyse", "sources"),
    ("analyse", "quarantaine"), ("analyse", "couverture_offres"), ("analyse", "relais_sites"), ("analyse", "metiers"),
    ("analyse", "territoires"), ("ml", "facteurs_difficulte"), ("ml", "simulations_entreprise"),
    ("analyse", "competences_demandees"), ("analyse", "exigences_entreprise"), ("analyse", "passerelles_competences"),
    ("analyse", "passerelles_entreprise"),
]
# "analyse".passerelles is not extracted: every neighbour of every occupation, territory and
# quarter is four times tension_marche (45 MB of CSV on the demo); its yearly view per
# company is (passerelles_entreprise), and the dashboard draws it per occupation.
CLASSEUR = "classeur:besoins-competences"
# free-text columns -> whether they speak of people (commun.Masque's ``personnes``)
TEXTES_LIBRES = {"suivi_pilote": {"action": True}, "exigences_entreprise": {"element": False}}
# A cell starting with one of these is read by spreadsheets as a formula (OWASP, « CSV injection »).
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def ecrire(entrepot: str | Path, dossier: Path, anterieur: Anterieur | None = None) -> list[Sortie]:
    """Write ``<table>.csv`` and ``<table>.parquet`` for each table present, or copy them from
    ``anterieur`` when their rows are the same; then the skills workbook (always written)."""
    dossier.mkdir(parents=True, exist_ok=True)
    sorties = []
    with ouvrir(entrepot) as con:
        noms = pseudonymes_publication(con)
        for schema, table in TABLES:
            if not table_existe(con, table, schema=schema):
                continue
            donnees = requete(con, "extrait", {"table": f"{schema}.{table}"})
            if "entreprise" in donnees.columns:
                donnees["entreprise"] = donnees["entreprise"].map(noms)
                donnees = donnees.sort_values("entreprise", kind="stable", ignore_index=True)
            for colonne, personnes in TEXTES_LIBRES.get(table, {}).items():
                donnees[colonne] = donnees[colonne].map(lambda texte, p=personnes: noms.masquer(texte, p))
            fichiers = [dossier / f"{table}.csv", dossier / f"{table}.parquet"]
            # the rows as written (pseudonyms and masks applied): the salt counts only through them
            arrow = pa.Table.from_pandas(donnees, preserve_index=False)
            cle, trace = f"extrait:{table}", empreinte("extrait", version_rendu(), table, arrow)
            reprise = anterieur is not None and anterieur.reprendre(cle, trace, fichiers)
            if not reprise:
                # our own file object: pyarrow left its file open when the disk filled up, which kept
                # the deleted temporary file's space taken until the process ended
                with open(fichiers[1], "wb") as sortie:
                    pq.write_table(arrow, sortie)
                ecrire_csv(donnees, fichiers[0])
            sorties.append(Sortie(cle, trace, tuple(fichiers), reprise))
    besoins = besoins_competences.ecrire(entrepot, dossier)
    # a few sheets, written again each time (the workbook's properties hold the time it was written)
    return sorties + ([Sortie(CLASSEUR, "", (besoins,), False)] if besoins else [])


def proteger(texte: str) -> str:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + texte if texte.startswith(DEBUTS_DE_FORMULE) else texte


def _cellule(valeur: object) -> object:
    if hasattr(valeur, "tolist"):  # numpy arrays and scalars
        valeur = valeur.tolist()
    if isinstance(valeur, list | tuple):
        valeur = ", ".join(str(v) for v in valeur)
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if hasattr(valeur, "strftime"):
        return valeur.strftime("%d/%m/%Y")
    return proteger(valeur) if isinstance(valeur, str) else valeur


def ecrire_csv(donnees: pd.DataFrame, chemin: Path) -> Path:
    copie = donnees.copy()
    for colonne in copie.columns:
        serie = copie[colonne]
        if pd.api.types.is_bool_dtype(serie):
            copie[colonne] = serie.map({True: "oui", False: "non"})
        elif pd.api.types.is_datetime64_any_dtype(serie):
            horaire = (serie.dropna() != serie.dropna().dt.normalize()).any()
            copie[colonne] = serie.dt.strftime("%d/%m/%Y %H:%M:%S" if horaire else "%d/%m/%Y")
        elif isinstance(serie.dtype, pd.StringDtype):  # text only: protected at once (a Python call per cell took seconds)
            copie[colonne] = serie.mask(serie.str.startswith(DEBUTS_DE_FORMULE, na=False), "'" + serie)
        elif not pd.api.types.is_numeric_dtype(serie):
            copie[colonne] = serie.map(lambda v: None if v is None or v is pd.NA else _cellule(v))
    copie.to_csv(chemin, sep=";", decimal=",", index=False, encoding="utf-8-sig", lineterminator="\r\n",
                 float_format="%.10g")
    return chemin
