"""Flow « ingestion »: parse, validate and load input files into the raw schema.

Each file is one task and one transaction: a file either loads completely (its valid rows
plus its quarantined rows) or not at all. A file already loaded cleanly (same sha256, no
rejected row) is skipped without being parsed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import warehouse
from flows.confidentialite import sel
from flows.config import ENTREE, REFERENTIELS
from flows.erreurs import ErreurUtilisateur
from flows.formats import nombre_fr, pluriel
from flows.sources import lecteur
from flows.sources.communs import (
    FichierRefuse,
    Lot,
    Rejet,
    empreinte,
    lien_hors_dossier,
    lire_octets,
    nom_affiche,
)

# Referentials first: validating the other sources checks codes against them.
ORDRE_SOURCES = ("rome", "communes", "dares", "bmo", "demandeurs", "profils", "offres-ft",
                 "offres-fichier", "entreprise")
EXTENSIONS = {".json", ".jsonl", ".ndjson", ".csv", ".txt", ".xlsx"}


def lister_fichiers(chemins: Sequence[str | Path]) -> list[tuple[Path, str | None]]:
    """Expand folders into their input files (sorted, hidden files skipped), each with the
    French reason it is refused, or None.

    A symbolic link is refused when it leads outside the folder given (a linked folder),
    or, for a linked file, outside its own folder: whoever can drop a link in the input
    folder must not be able to load the salt or another company's records. Links to
    folders inside the folder given are not followed (their files are listed anyway).
    """
    fichiers: list[tuple[Path, str | None]] = []
    for chemin in map(Path, chemins):
        if chemin.is_dir():
            for p in sorted(chemin.rglob("*")):
                if p.name.startswith((".", "~$")):
                    continue
                motif = lien_hors_dossier(p, chemin) if p.is_symlink() else None
                if p.is_symlink() and p.is_file():
                    motif = motif or lien_hors_dossier(p)
                if motif or (p.is_file() and p.suffix.lower() in EXTENSIONS):
                    fichiers.append((p, motif))
        elif chemin.exists():
            fichiers.append((chemin, lien_hors_dossier(chemin) if chemin.is_symlink() else None))
        else:
            raise ErreurUtilisateur(f"{chemin} : fichier ou dossier introuvable")
    return fichiers


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
    becomes one quarantine row."""
    fichier = Path(chemin)
    with warehouse.ouvrir(entrepot) as con:
        try:
            if refus:
                raise FichierRefuse(fichier, refus)
            if deja_charge(con, source, empreinte(lire_octets(fichier))):
                return asdict(warehouse.Bilan(source, nom_affiche(fichier), deja_charge=True))
            contexte = warehouse.contexte(con, sel())
            contexte.plateforme = plateforme
            lot = lecteur(source)(fichier, contexte)
        except FichierRefuse as e:
            lot = lot_refuse(source, fichier, e.motif)
        return asdict(warehouse.charger(con, lot))


@flow(name="ingestion", flow_run_name="ingestion {source}", log_prints=True)
def ingestion(source: str, chemins: list[str], entrepot: str | None = None,
              plateforme: str | None = None) -> list[dict]:
    """Load every file given (folders are expanded) as one source."""
    lecteur(source)  # unknown source: fail before touching anything
    return [charger_fichier(source, str(f), entrepot, plateforme, refus) for f, refus in lister_fichiers(chemins)]


def dossiers_par_source(racine: Path) -> dict[str, Path]:
    """Sub-folders of a drop zone named after a source (``entree/offres-ft/``...)."""
    return {s: racine / s for s in ORDRE_SOURCES if (racine / s).is_dir()}


@flow(name="ingestion complète", log_prints=True)
def ingestion_complete(racines: list[str] | None = None, entrepot: str | None = None) -> list[dict]:
    """Load the shipped referentials, then every source folder of the drop zones, in
    dependency order (referentials before what they validate)."""
    zones = [Path(r) for r in racines] if racines else [REFERENTIELS, ENTREE]
    bilans: list[dict] = []
    for source in ORDRE_SOURCES:
        for zone in zones:
            dossier = dossiers_par_source(zone).get(source)
            if dossier:
                bilans += ingestion(source, [str(dossier)], entrepot)
    return bilans



COMPTES = ("lignes_lues", "nouvelles", "mises_a_jour", "inchangees", "rejetees")
FICHIERS_DETAILLES = 10  # above this many files, a source is summed up in one line


def _ligne_bilan(nom: str, b: dict) -> str:
    return (f"  {nom} : {nombre_fr(b['lignes_lues'])} lue(s), {nombre_fr(b['nouvelles'])} nouvelle(s), "
            f"{nombre_fr(b['mises_a_jour'])} mise(s) à jour, {nombre_fr(b['inchangees'])} inchangée(s), "
            f"{nombre_fr(b['rejetees'])} en quarantaine" + (f" — {b['remarques']}" if b.get("remarques") else ""))


def resume(bilans: list[dict], entrepot: str | None = None, rejets_affiches: int = 10) -> str:
    """French summary of loads: one line per file (or per source when it has many files),
    totals, then the first rejects."""
    if not bilans:
        return "Aucun fichier à charger."
    lignes = []
    par_source: dict[str, list[dict]] = {}
    for b in bilans:
        par_source.setdefault(b["source"], []).append(b)
    for source, fichiers in par_source.items():
        if len(fichiers) > FICHIERS_DETAILLES:
            somme = {k: sum(b[k] for b in fichiers) for k in COMPTES}
            deja = sum(b["deja_charge"] for b in fichiers)
            nom = f"{source} ({pluriel(len(fichiers), 'fichier')}" + (
                f", dont {nombre_fr(deja)} déjà chargé(s))" if deja else ")")
            lignes.append(_ligne_bilan(nom, somme))
            continue
        for b in fichiers:
            if b["deja_charge"]:
                lignes.append(f"  {b['fichier']} : déjà chargé, inchangé")
            else:
                lignes.append(_ligne_bilan(b["fichier"], b))
    total = {k: sum(b[k] for b in bilans) for k in ("nouvelles", "mises_a_jour", "inchangees", "rejetees")}
    sources = sorted({b["source"] for b in bilans})
    texte = [f"Ingestion ({', '.join(sources)}) : {pluriel(len(bilans), 'fichier')}", *lignes,
             f"Total : {nombre_fr(total['nouvelles'])} ligne(s) chargée(s), "
             f"{nombre_fr(total['mises_a_jour'])} mise(s) à jour, {nombre_fr(total['inchangees'])} inchangée(s), "
             f"{nombre_fr(total['rejetees'])} en quarantaine."]
    if total["rejetees"]:
        fichiers = [b["fichier"] for b in bilans if b["rejetees"]]
        with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
            premiers = con.execute(
                "select fichier, ligne, chemin_json, champ, motif from controle.rejets "
                "where fichier in (select unnest(?)) order by fichier, ligne, chemin_json limit ?",
                [fichiers, rejets_affiches]).fetchall()
        texte.append("Lignes en quarantaine (table controle.rejets) :")
        for fichier, ligne, chemin_json, champ, motif in premiers:
            ou = f"ligne {ligne}" if ligne is not None else chemin_json
            texte.append(f"  {fichier}, {ou}, champ « {champ} » : {motif}")
        if total["rejetees"] > rejets_affiches:
            texte.append(f"  … voir controle.rejets pour les {nombre_fr(total['rejetees'])} lignes.")
    return "\n".join(texte)
