"""Loading one file: parsed by its source's loader and merged by the single writer in one
transaction, or refused whole as one quarantine row."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows import warehouse
from flows.chargement.empreintes import deja_charges, empreintes_fichiers
from flows.chargement.fichiers import lister_fichiers
from flows.chargement.progression import Progression
from flows.confidentialite import sel
from flows.erreurs import ErreurUtilisateur, disque_plein
from flows.lecture.fichiers import FichierRefuse, verifier_fichier
from flows.lecture.lots import Lot, Rejet, empreinte, nom_affiche
from flows.sources import lecteur_par_lots


def lot_refuse(source: str, fichier: Path, motif: str) -> Lot:
    """A file that is not read, as one quarantine row. Its content is not read, so its
    fingerprint is that of its path: each refused path keeps its own quarantine row."""
    return Lot(source, fichier, empreinte(f"refusé : {nom_affiche(fichier)}".encode()),
               rejets=[Rejet(1, "(fichier)", None, motif)])


def deja_charge(con, source: str, sha256: str) -> bool:
    ligne = con.execute(
        "select count(*) from controle.chargements where source = ? and sha256 = ? and lignes_rejetees = 0",
        [source, sha256],
    ).fetchone()
    return bool(ligne and ligne[0])


@task(name="charger un fichier", task_run_name="charger {source} : {chemin}", cache_policy=NO_CACHE)
def charger_fichier(source: str, chemin: str, entrepot: str | None = None, plateforme: str | None = None,
                    refus: str | None = None) -> dict:
    """Parse one file and merge it into the warehouse; returns its bilan as a dict. A file
    refused by ``lister_fichiers`` (``refus``) or by the reading helper is not read: it
    becomes one quarantine row. A file already loaded cleanly is skipped; its fingerprint
    is not computed again while it is unchanged on disk (``empreintes_fichiers``)."""
    fichier = Path(chemin)
    with warehouse.ouvrir(entrepot) as con:
        try:
            if refus:
                raise FichierRefuse(fichier, refus)
            verifier_fichier(fichier)
            if deja_charge(con, source, empreintes_fichiers(con, [fichier])[fichier]):
                return asdict(warehouse.Bilan(source, nom_affiche(fichier), deja_charge=True))
            contexte = warehouse.contexte(con, sel())
            contexte.plateforme = plateforme
            # a large file is parsed and merged batch by batch, in one transaction
            return asdict(warehouse.charger_lots(con, lecteur_par_lots(source)(fichier, contexte)))
        except FichierRefuse as e:
            return asdict(warehouse.charger(con, lot_refuse(source, fichier, e.motif)))


def charger_un_par_un(source: str, fichiers: list[tuple[Path, str | None]], entrepot: str | None,
                      plateforme: str | None, progression: Progression) -> list[dict]:
    """Each file in its own task (``charger_fichier``), except those already loaded cleanly:
    recognised in one look at the warehouse by the stored fingerprint of an unchanged file,
    they cost neither a task nor a connection (a weekly run finds most files so)."""
    lisibles = []
    for fichier, refus in fichiers:
        with contextlib.suppress(ErreurUtilisateur):  # refused files: the task says why
            if not refus:
                lisibles.append(verifier_fichier(fichier))
    with warehouse.ouvrir(entrepot) as con:
        empreintes = empreintes_fichiers(con, lisibles)
        propres = deja_charges(con, source, list(empreintes.values()))
    bilans = []
    for fichier, refus in fichiers:
        if not refus and empreintes.get(fichier) in propres:
            bilans.append(asdict(warehouse.Bilan(source, nom_affiche(fichier), deja_charge=True)))
        else:
            bilans.append(charger_fichier(source, str(fichier), entrepot, plateforme, refus))
        progression.avancer(1, bilans[-1]["lignes_lues"])
    return bilans


def deja_tous_charges(source: str, chemins: list[str], entrepot: str | None) -> list[dict] | None:
    """The bilans of a source's files when every one is already loaded cleanly and unchanged
    on disk, found in one look at the warehouse; else None (the source is loaded)."""
    fichiers = lister_fichiers(chemins)
    if not fichiers or any(refus for _, refus in fichiers) or not warehouse.chemin_entrepot(entrepot).is_file():
        return None
    try:
        lisibles = [verifier_fichier(f) for f, _ in fichiers]
    except ErreurUtilisateur:
        return None
    with warehouse.ouvrir(entrepot) as con:
        empreintes = empreintes_fichiers(con, lisibles)
        propres = deja_charges(con, source, list(empreintes.values()))
    if not all(empreinte in propres for empreinte in empreintes.values()):
        return None
    return [asdict(warehouse.Bilan(source, nom_affiche(f), deja_charge=True)) for f in lisibles]


@contextlib.contextmanager
def disque_plein_en_francais(entrepot: str | None) -> Iterator[None]:
    """A full disk met while loading ends the load with one French line (the warehouse is
    left as it was: each file, or partition, is merged in one transaction)."""
    try:
        yield
    except Exception as e:
        if not disque_plein(e):
            raise
        dossier = warehouse.chemin_entrepot(entrepot).parent
        raise ErreurUtilisateur(
            f"disque plein : plus de place pour écrire dans {dossier} ; libérez de la place sur ce disque puis "
            "relancez le chargement (l'entrepôt est resté tel qu'il était avant le fichier en cours ; les "
            "fichiers déjà chargés le restent)") from e
