"""Anonymised jobseeker profiles (``donnees/modeles/profils.md``) → ``brut.profils_demandeurs``.

The jobseeker's identifier is replaced by a salted hash as soon as the row is read: it
reaches neither the rows nor the quarantine (a fault on it keeps no value).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from flows.confidentialite import pseudonymiser
from flows.sources.communs import (
    Contexte,
    Lot,
    Rejet,
    Table,
    choix,
    empreinte,
    lire_booleen,
    lire_code_rome,
    lire_commune,
    lire_csv,
    lire_decimal_positif,
    lire_mois,
    lire_niveau_diplome,
    lire_octets,
    obligatoire,
    sel_obligatoire,
    valider,
    vide,
)

SOURCE = "profils"

COLONNES = ["identifiant", "mois", "code_rome", "commune", "categorie", "niveau_diplome",
            "experience_annees", "permis_b", "rayon_mobilite_km"]


def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse one profiles CSV into a ``Lot``."""
    sel = sel_obligatoire(contexte)
    contenu = lire_octets(chemin)
    lot = Lot(SOURCE, Path(chemin), empreinte(contenu))
    lignes_csv, rejets, remarques = lire_csv(contenu, COLONNES)
    lot.rejets.extend(rejets)
    lot.remarques.extend(remarques)
    regles = {
        "mois": obligatoire(lire_mois),
        "code_rome": obligatoire(partial(lire_code_rome, contexte=contexte)),
        "commune": partial(lire_commune, contexte=contexte),
        "categorie": choix("A", "B", "C", "D", "E"),
        "niveau_diplome": lire_niveau_diplome,
        "experience_annees": lire_decimal_positif,
        "permis_b": lire_booleen,
        "rayon_mobilite_km": lire_decimal_positif,
    }
    lignes: list[dict[str, Any]] = []
    vues: dict[tuple, int] = {}
    for numero, brut in lignes_csv:
        lot.lignes_lues += 1
        identifiant = brut.pop("identifiant")
        if vide(identifiant):
            lot.rejets.append(Rejet(numero, "identifiant", None, "identifiant du demandeur manquant"))
        ligne = valider(numero, brut, regles, lot.rejets)
        if ligne is None or vide(identifiant):
            continue
        cle = (pseudonymiser(identifiant, sel), ligne["mois"])
        if cle in vues:
            lot.rejets.append(Rejet(numero, "identifiant", None,
                                    f"profil en double pour ce demandeur et ce mois (déjà lu ligne {vues[cle]})"))
            continue
        vues[cle] = numero
        lignes.append({
            "demandeur_hash": cle[0],
            "mois": ligne["mois"],
            "code_rome": ligne["code_rome"],
            "commune_insee": ligne["commune"],
            "categorie": ligne["categorie"],
            "niveau_diplome": ligne["niveau_diplome"],
            "experience_annees": ligne["experience_annees"],
            "permis_b": ligne["permis_b"],
            "rayon_mobilite_km": ligne["rayon_mobilite_km"],
            "_ligne": numero,
            "_chemin_json": None,
        })
    lot.tables.append(Table("brut.profils_demandeurs", lignes, ("demandeur_hash", "mois")))
    return lot
