"""Which files an ingestion loads: folders expanded into input files (links leading
outside refused), the drop zone's folders per source, and the shipped referentials that
a run loads first or that a dropped file replaces."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from flows import warehouse
from flows.config import ENTREE, REFERENTIELS
from flows.erreurs import ErreurUtilisateur
from flows.lecture.fichiers import lien_hors_dossier, motif_illisible
from flows.lecture.lots import nom_affiche
from flows.sources import table_de

# Referentials first: validating the other sources checks codes against them.
ORDRE_SOURCES = ("rome", "fap2021", "communes", "dares", "bmo", "demandeurs", "profils", "offres-ft",
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
                if not motif and p.is_file() and p.suffix.lower() in EXTENSIONS:
                    motif = motif_illisible(p)  # refused alone: one unreadable file stops no other
                    fichiers.append((p, motif))
                elif motif:
                    fichiers.append((p, motif))
        elif chemin.exists():
            fichiers.append((chemin, lien_hors_dossier(chemin) if chemin.is_symlink() else None))
        else:
            raise ErreurUtilisateur(f"{chemin} : fichier ou dossier introuvable")
    return fichiers


def dossiers_par_source(racine: Path) -> dict[str, Path]:
    """Sub-folders of a drop zone named after a source (``entree/offres-ft/``...)."""
    return {s: racine / s for s in ORDRE_SOURCES if (racine / s).is_dir()}


def livres_remplaces(source: str, livre: Path, deposes: list[Path]) -> dict[Path, Path]:
    """The shipped referential files of a source (in ``livre``) that a file dropped by the
    analyst (in one of the folders ``deposes``) replaces because it fills the same raw table,
    each with the file that replaces it: a newer ROME export or basin table is loaded
    instead of the shipped one, not on top of it. What a file holds is read from its header."""
    remplacants: dict[str, Path] = {}
    for dossier in deposes:
        for fichier, refus in lister_fichiers([dossier]):
            if not refus and (table := table_de(source, fichier)):
                remplacants.setdefault(table, fichier)
    remplaces = {}
    for fichier, _ in lister_fichiers([livre]):
        table = table_de(source, fichier)
        if table in remplacants:
            remplaces[fichier] = remplacants[table]
    return remplaces


def chemins_a_charger(zones: list[Path]) -> Iterator[tuple[str, list[str]]]:
    """Each source folder of the drop zones, in dependency order (referentials before what
    they validate), as (source, paths to load). A shipped referential file is skipped when
    the analyst dropped a file of the same kind (``livres_remplaces``), which is said in one
    line; lazy, so that this line comes just before its source is loaded."""
    for source in ORDRE_SOURCES:
        for zone in zones:
            dossier = dossiers_par_source(zone).get(source)
            if not dossier:
                continue
            chemins = [str(dossier)]
            if zone.resolve() == REFERENTIELS.resolve():
                deposes = [d for z in zones if z.resolve() != REFERENTIELS.resolve()
                           if (d := dossiers_par_source(z).get(source))]
                remplaces = livres_remplaces(source, dossier, deposes)
                for livre, depose in remplaces.items():
                    print(f"Référentiel livré {nom_affiche(livre)} non chargé : remplacé par {nom_affiche(depose)}, "
                          "déposé par l'analyste.")
                chemins = [str(f) for f, _ in lister_fichiers([dossier]) if f not in remplaces]
            if chemins:
                yield source, chemins


def referentiels_a_charger(entrepot: str | None, source: str | None = None,
                           chemins: Sequence[str | Path] = (),
                           deposes: Sequence[str | Path] | None = None) -> list[tuple[str, Path, Path | None]]:
    """The shipped referential files that a command loading or transforming by hand must
    load first, so that no manual step is needed: one per raw table still empty in the
    warehouse (a warehouse not created yet has them all empty), as (source, file to load,
    the shipped file it replaces or None). A file the analyst dropped in a drop zone
    (``deposes``, ``donnees/entree`` by default) that fills the same table is loaded instead
    of the shipped one; a table that the files being loaded by hand (``chemins`` of
    ``source``) fill themselves gets nothing shipped, so a newer ROME loaded by hand never
    gets the shipped one on top."""
    zones = [Path(z) for z in deposes] if deposes is not None else [ENTREE]
    fournies = ({table_de(source, f) for f, refus in lister_fichiers(chemins) if not refus} - {None}
                if source in ORDRE_SOURCES and chemins else set())
    fichier = warehouse.chemin_entrepot(entrepot)
    candidats: list[tuple[str, str, Path, Path | None]] = []
    for nom in ORDRE_SOURCES:
        livre = REFERENTIELS / nom
        if not livre.is_dir():
            continue
        remplaces = livres_remplaces(nom, livre, [d for z in zones if (d := z / nom).is_dir()])
        for f, refus in lister_fichiers([livre]):
            table = table_de(nom, f)
            if refus or not table or (nom == source and table in fournies):
                continue
            candidats.append((nom, table, remplaces.get(f, f), f if f in remplaces else None))
    if not candidats or not fichier.exists():
        return [(nom, f, remplace) for nom, _, f, remplace in candidats]
    with warehouse.ouvrir(fichier) as con:  # read-write: creates the raw tables of an older warehouse
        # table names come from the parsers' fixed formats, never from the user
        vides = {table for _, table, _, _ in candidats
                 if con.execute(f"select not exists (from {table})").fetchone() == (True,)}
    return [(nom, f, remplace) for nom, table, f, remplace in candidats if table in vides]
