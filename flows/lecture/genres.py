"""Files of several fixed layouts (referentials, statistics): the kind of a file is
recognised by its header, not by its name."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flows.lecture.fichiers import SEPARATEURS, Flux, decoder, decrire_entete, lire_csv, lire_octets
from flows.lecture.lots import Lot, Rejet, Table, empreinte
from flows.lecture.valeurs import ValeurInvalide, normaliser_nom_colonne, valider_lignes


def entete_csv(contenu: bytes, encodage: str | None = None) -> tuple[list[str], str]:
    """The normalised column names of a delimited file's header (its first non-empty line)
    and its separator, so that a loader tells its kinds of file apart by their content,
    not by their name."""
    return _entete(decoder(contenu, encodage).lignes)


def entete_flux(flux: Flux) -> tuple[list[str], str]:
    """``entete_csv`` of a streamed file (only its first lines are read)."""
    with contextlib.closing(flux.lignes()) as lignes:
        return _entete(lignes)


def _entete(lignes: Iterable[str]) -> tuple[list[str], str]:
    ligne = next((ligne for ligne in lignes if ligne.strip()), "")
    sep = max(SEPARATEURS, key=ligne.count)
    return [normaliser_nom_colonne(c) for c in next(csv.reader([ligne], delimiter=sep), [])], sep


def reconnaitre(entete: list[str], genres: dict[str, list[str]]) -> str:
    """The kind of file (a key of ``genres``: its French name -> its columns) whose columns
    best match a header, by the share of names in common (Jaccard index). At least half is
    required, so that a file missing a column is still recognised and its loader can name
    the missing column. Raises ``ValeurInvalide`` with a French reason otherwise."""
    lues = {c for c in entete if c}
    if not lues:
        raise ValeurInvalide("fichier vide : aucune ligne d'en-tête")

    def part_commune(colonnes: list[str]) -> float:
        attendues = {normaliser_nom_colonne(c) for c in colonnes}
        return len(lues & attendues) / len(lues | attendues)

    genre = max(genres, key=lambda g: part_commune(genres[g]))
    if part_commune(genres[genre]) >= 0.5:
        return genre
    attendus = " ; ".join(f"{nom} ({', '.join(colonnes)})" for nom, colonnes in genres.items())
    connues = list(dict.fromkeys(normaliser_nom_colonne(c) for colonnes in genres.values() for c in colonnes))
    raise ValeurInvalide(f"en-tête non reconnu ({decrire_entete(entete, connues)}) ; en-têtes attendus : {attendus}")


def table_du_genre(chemin: Path, formats: dict[str, tuple[str, Any, Any]]) -> str | None:
    """The raw table a file loads into, read from its header alone among ``formats`` (kind ->
    (table, key, fields)); None if it fits no kind."""
    nature = genre_csv(chemin, {nom: list(champs) for nom, (_, _, champs) in formats.items()})
    return formats[nature][0] if nature else None


def genre_csv(chemin: Path, genres: dict[str, list[str]]) -> str | None:
    """The kind of a delimited file read from its header alone (its first 64 KB), or None
    when the file cannot be read or its header fits no kind."""
    try:
        with Path(chemin).open("rb") as f:
            debut = f.read(64 * 1024)
        entete, _ = entete_csv(debut[: debut.rfind(b"\n") + 1] or debut)
        return reconnaitre(entete, genres)
    except (OSError, ValeurInvalide):
        return None


def lire_csv_d_un_genre(chemin: Path, source: str, genres: dict[str, list[str]]
                        ) -> tuple[Lot, str | None, list[tuple[int, dict[str, str]]]]:
    """The start shared by the loaders of files of fixed layouts (DARES, ROME, communes):
    read the file, recognise its kind by its header (``reconnaitre``), parse its rows.
    The kind is ``None`` when none fits; the lot then holds the reject that says why."""
    contenu = lire_octets(chemin)
    lot = Lot(source, Path(chemin), empreinte(contenu))
    entete, separateur = entete_csv(contenu)
    try:
        genre = reconnaitre(entete, genres)
    except ValeurInvalide as e:
        lot.rejets.append(Rejet(1, "(fichier)", None, str(e)))
        return lot, None, []
    lignes, lot.rejets, lot.remarques = lire_csv(contenu, genres[genre], separateur=separateur)
    lot.lignes_lues = len(lignes) + sum(r.champ == "(ligne)" for r in lot.rejets)
    return lot, genre, lignes


def lire_csv_de_formats(chemin: Path, source: str, formats: dict[str, tuple[str, Any, Any]],
                        ajuster: Callable[[str, list[tuple[int, dict[str, str]]], dict[str, Any], list[Rejet]],
                                          list[tuple[int, dict[str, str]]]] | None = None) -> Lot:
    """A whole loader of fixed layouts: ``formats`` maps each kind to (table, key, fields),
    a field being header name -> (column, value reader), either of which may be None (a
    column read but not stored, or stored as read). ``ajuster`` may rework the rows of a
    kind (and add rules) before they are validated."""
    lot, genre, lignes = lire_csv_d_un_genre(chemin, source, {nom: list(champs) for nom, (_, _, champs)
                                                               in formats.items()})
    if genre is None:
        return lot
    table, cle, champs = formats[genre]
    regles = {normaliser_nom_colonne(c): lecteur for c, (_, lecteur) in champs.items() if lecteur}
    noms = {normaliser_nom_colonne(c): colonne for c, (colonne, _) in champs.items() if colonne}
    if ajuster:
        lignes = ajuster(genre, lignes, regles, lot.rejets)
    lot.tables.append(Table(table, valider_lignes(lignes, regles, cle, lot.rejets, noms), cle))
    return lot
