"""Anonymised jobseeker profiles (``donnees/modeles/profils.md``) → ``brut.profils_demandeurs``.

The jobseeker's identifier is replaced by a salted hash as soon as the row is read: it
reaches neither the rows nor the quarantine (the only fault it can have is to be empty).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from flows.confidentialite import pseudonymiser
from flows.lecture.fichiers import lire_csv, lire_octets
from flows.lecture.lots import Contexte, Lot, Table, empreinte
from flows.lecture.valeurs import (
    choix,
    lire_booleen,
    lire_code_rome,
    lire_commune,
    lire_decimal_positif,
    lire_mois,
    lire_niveau_diplome,
    obligatoire,
    sel_obligatoire,
    valider_lignes,
)

SOURCE = "profils"

COLONNES = ["identifiant", "mois", "code_rome", "commune", "categorie", "niveau_diplome",
            "experience_annees", "permis_b", "rayon_mobilite_km"]
NOMS = {"identifiant": "demandeur_hash", "commune": "commune_insee"}  # file column -> table column
CLE = ("demandeur_hash", "mois")


def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse one profiles CSV into a ``Lot``."""
    sel = sel_obligatoire(contexte)
    contenu = lire_octets(chemin)
    lot = Lot(SOURCE, Path(chemin), empreinte(contenu))
    lignes_csv, rejets, remarques = lire_csv(contenu, COLONNES)
    lot.rejets.extend(rejets)
    lot.remarques.extend(remarques)
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
    lot.lignes_lues = len(lignes_csv) + sum(r.champ == "(ligne)" for r in rejets)
    lignes = valider_lignes(lignes_csv, regles, CLE, lot.rejets, NOMS)
    lot.tables.append(Table("brut.profils_demandeurs", [ligne | {"_chemin_json": None} for ligne in lignes], CLE))
    return lot
