"""Fingerprints of input files: a file is known by its sha256, which is not computed
again while its path, size, inode and modification and change times are unchanged
(``controle.empreintes``): an incremental run does not read again what it loaded."""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flows import warehouse


def coeurs() -> int:
    return os.cpu_count() or 1


def empreintes_fichiers(con, fichiers: list[Path]) -> dict[Path, str]:
    """The sha256 of each file. A file whose path, size, inode and modification and change
    times match ``controle.empreintes`` is not read again (a change time cannot be set by
    a user: rewriting a file in place changes it); the others are hashed on every core,
    and remembered."""
    signatures = {}
    for fichier in fichiers:
        etat = fichier.stat()
        signatures[fichier] = (str(fichier.absolute()), etat.st_size, etat.st_ino, etat.st_mtime_ns, etat.st_ctime_ns)
    connus = {(chemin, taille, inode, modifie, change): sha256 for chemin, taille, inode, modifie, change, sha256
              in con.execute("select chemin, taille, inode, modifie_ns, change_ns, sha256 from controle.empreintes "
                             "where chemin in (select unnest(?))", [[s[0] for s in signatures.values()]])
              .fetchall()}
    resultat = {f: connus[s] for f, s in signatures.items() if s in connus}
    nouveaux = [f for f in fichiers if f not in resultat]
    with ThreadPoolExecutor(coeurs()) as pool:  # hashlib releases the GIL
        resultat |= dict(zip(nouveaux, pool.map(_sha256, nouveaux), strict=True))
    if nouveaux:
        import pyarrow as pa

        lignes = pa.Table.from_pylist([dict(zip(("chemin", "taille", "inode", "modifie_ns", "change_ns"),
                                                signatures[f], strict=True)) | {"sha256": resultat[f]}
                                       for f in nouveaux])
        with warehouse.transaction(con):
            con.register("_empreintes", lignes)
            con.execute("delete from controle.empreintes where chemin in (select chemin from _empreintes)")
            con.execute("insert into controle.empreintes by name select * from _empreintes")
            con.unregister("_empreintes")
    return resultat


def _sha256(fichier: Path) -> str:
    with fichier.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def deja_charges(con, source: str, empreintes: list[str]) -> set[str]:
    """The fingerprints among ``empreintes`` of files of ``source`` already loaded cleanly."""
    return {s for (s,) in con.execute(
        "select distinct sha256 from controle.chargements where source = ? and lignes_rejetees = 0 "
        "and sha256 in (select unnest(?))", [source, empreintes]).fetchall()}
