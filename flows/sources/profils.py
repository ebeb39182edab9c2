"""Anonymised jobseeker profiles (``donnees/modeles/profils.md``) → ``brut.profils_demandeurs``.

The jobseeker's identifier is replaced by a salted hash as soon as the row is read: it
reaches neither the rows nor the quarantine (the only fault it can have is to be empty).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from flows.confidentialite import pseudonymiser
from flows.config import lignes_par_lot
from flows.lecture.fichiers import examiner, lire_csv_flux
from flows.lecture.lots import Contexte, Lot, Table, fusionner_lots
from flows.lecture.valeurs import (
    Validation,
    choix,
    lire_booleen,
    lire_code_rome,
    lire_commune,
    lire_decimal_positif,
    lire_mois,
    lire_niveau_diplome,
    obligatoire,
    sel_obligatoire,
)

SOURCE = "profils"

COLONNES = ["identifiant", "mois", "code_rome", "commune", "categorie", "niveau_diplome",
            "experience_annees", "permis_b", "rayon_mobilite_km"]
NOMS = {"identifiant": "demandeur_hash", "commune": "commune_insee"}  # file column -> table column
CLE = ("demandeur_hash", "mois")


def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse one profiles CSV into a ``Lot``."""
    return fusionner_lots(lire_par_lots(chemin, contexte))


def lire_par_lots(chemin: Path, contexte: Contexte) -> Iterator[Lot]:
    """Parse one profiles CSV into ``Lot``s of at most ``lignes_par_lot`` rows."""
    sel = sel_obligatoire(contexte)
    flux = examiner(chemin)
    lecture = lire_csv_flux(flux, COLONNES)
    regles = {
        "identifiant": obligatoire(lambda identifiant: pseudonymiser(str(identifiant), sel)),
        "mois": obligatoire(lire_mois),
        "code_rome": obligatoire(partial(lire_code_rome, contexte=contexte)),
        "commune": partial(lire_commune, contexte=contexte),
        "categorie": choix("A", "B", "C", "D", "E"),
        "niveau_diplome": lire_niveau_diplome,
        "experience_annees": lire_decimal_positif,
        "permis_b": lire_booleen,
        "rayon_mobilite_km": lire_decimal_positif,
    }
    validation = Validation(regles, CLE, NOMS)
    remarques = lecture.remarques
    for lignes_csv, rejets in lecture.par_lots(lignes_par_lot()):
        lot = Lot(SOURCE, Path(chemin), flux.sha256, rejets=rejets, remarques=remarques)
        lot.lignes_lues = len(lignes_csv) + sum(r.champ == "(ligne)" for r in rejets)
        lignes = validation(lignes_csv, lot.rejets)
        lot.tables.append(Table("brut.profils_demandeurs", [ligne | {"_chemin_json": None} for ligne in lignes], CLE))
        remarques = []
        yield lot
