"""Seeded, deterministic demo data: every source of the drop zone in its real format, with a
planted story that the analysis must recover (``verite.json``).

Maintenance technician (ROME I1304) is the most offered job in Côte-d'Or although
jobseekers are plentiful; one occupation is a genuine shortage; six invented pharma
companies each have one dominant cause of hiring difficulty. ``generer(dossier, graine,
echelle)`` writes the files (same seed, same bytes) and returns the truth file's path.
The ROME and commune referentials are not generated: the pipeline reads the shipped
subsets of ``donnees/referentiels``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from flows.demo.entreprises import Pilote
from flows.demo.marche import COLONNES_ATS, COLONNES_BFC, Marche, Plateforme, creer_entreprises
from flows.demo.parallele import en_parallele
from flows.demo.passerelles import verite as verite_passerelles
from flows.demo.referentiel import Referentiel
from flows.demo.scenario import ECHELLE_DEFAUT, ECHELLE_MIN, PILOTES
from flows.demo.statistiques import (
    Demandeurs,
    ecrire_api,
    ecrire_bmo,
    ecrire_dares,
    ecrire_profils,
    repartition_demandeurs,
)
from flows.demo.verite import construire, medianes_marche
from flows.demo.verite import ecrire as ecrire_verite
from flows.erreurs import ErreurUtilisateur

SOUS_DOSSIERS = ("offres-ft", "offres-fichier", "demandeurs", "profils", "bmo", "dares", "entreprise")
# From this many offers, weeks are drawn by one worker process per CPU (the files are the
# same bytes either way); below, forking would cost more than it saves.
SEUIL_PARALLELE = 50_000


def generer(dossier: Path, graine: int = 2026, echelle: int | None = None) -> Path:
    """Write the demo sources into ``dossier`` and return the path of ``verite.json``.

    ``echelle`` is the number of France Travail offers (default 6,000 over 36 months);
    every other source scales with it. Files are streamed: memory does not grow with it.
    """
    n_offres = ECHELLE_DEFAUT if echelle is None else int(echelle)
    if n_offres < ECHELLE_MIN:
        raise ErreurUtilisateur(f"échelle trop petite : {n_offres} offres (au moins {ECHELLE_MIN})")
    dossier = Path(dossier)
    for nom in SOUS_DOSSIERS:  # a previous demo at another scale would leave extra pages
        shutil.rmtree(dossier / nom, ignore_errors=True)
        (dossier / nom).mkdir(parents=True)
    brouillons = dossier / ".brouillons"  # spooled rows, removed at the end
    shutil.rmtree(brouillons, ignore_errors=True)
    brouillons.mkdir()
    try:
        return _generer(dossier, brouillons, graine, n_offres)
    finally:
        shutil.rmtree(brouillons, ignore_errors=True)


def _generer(dossier: Path, brouillons: Path, graine: int, n_offres: int) -> Path:
    ref = Referentiel.charger()
    autres, entreprises_pilotes = creer_entreprises(graine, ref, PILOTES)
    processus = min(os.cpu_count() or 1, 8) if n_offres >= SEUIL_PARALLELE else 1
    pilotes = [Pilote(graine, n_offres / ECHELLE_DEFAUT, e, ref) for e in entreprises_pilotes]
    pilotes = list(en_parallele(Pilote.preparer, pilotes, processus))
    marche = Marche(graine, n_offres, ref, autres, [a for p in pilotes for a in p.annonces])
    for pilote in pilotes:
        pilote.annonces = []  # the market keeps them
    marche.ecrire(dossier, Plateforme.declaree("emploi-bfc", COLONNES_BFC),
                  Plateforme.declaree("ats-talentis", COLONNES_ATS), brouillons, processus)
    list(en_parallele(lambda pilote: pilote.ecrire(dossier, brouillons), pilotes, processus))
    demandeurs = Demandeurs(graine, ref, marche)
    demandeurs.ecrire_csv(dossier / "demandeurs" / "demandeurs-rome-territoire.csv")
    fichiers_api = ecrire_api(dossier / "demandeurs", demandeurs, marche)
    profils = ecrire_profils(dossier / "profils" / "profils-demandeurs-21.csv", demandeurs, graine)
    bmo = ecrire_bmo(dossier / "bmo", ref, marche, graine)
    ecrire_dares(dossier / "dares", graine)
    verite = construire(graine, n_offres, marche, pilotes, autres, repartition_demandeurs(demandeurs, marche),
                        profils, bmo, medianes_marche(marche), fichiers_api)
    verite["passerelles"] = verite_passerelles(demandeurs, pilotes)
    chemin = dossier / "verite.json"
    ecrire_verite(chemin, verite)
    return chemin
