"""The DuckDB warehouse: connection (waiting for the single-writer lock), schemas, the one
place where parsed batches are written, and running ``sql/`` files.

Writes are atomic: a batch is merged inside one transaction, so a crash or a kill leaves
the warehouse as it was before the batch. Loading the same rows again changes nothing.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from flows.config import SQL, chemin_entrepot, parametres
from flows.erreurs import EntrepotVerrouille, ErreurUtilisateur
from flows.lecture.lots import Contexte, Lot, Paquet, Table

SCHEMAS = ("brut", "controle", "ml", "prep", "int", "analyse")
_ATTACHEMENT = threading.Lock()


def _verrou(erreur: Exception) -> bool:
    texte = str(erreur)
    return "lock" in texte.lower() and ("Could not set lock" in texte or "Conflicting lock" in texte)


def verifier_chemin(fichier: Path, creer: bool) -> None:
    """Refuse, before any work, a warehouse that cannot be what the user meant: a folder that
    does not exist (no folder is created silently), something that is not a regular file, or
    a missing file when ``creer`` is false (only loading commands start a new warehouse)."""
    if not fichier.parent.is_dir():
        raise ErreurUtilisateur(f"dossier introuvable pour l'entrepôt : {fichier.parent} (créez-le, ou corrigez "
                                "--entrepot / HUB_ENTREPOT)")
    if fichier.exists() and not fichier.is_file():
        raise ErreurUtilisateur(f"l'entrepôt {fichier} n'est pas un fichier ordinaire (dossier, tube ou "
                                "périphérique) : donnez le chemin d'un fichier .duckdb")
    if not creer and not fichier.exists():
        raise ErreurUtilisateur(f"entrepôt introuvable : {fichier} (lancez d'abord « python -m flows ingerer », "
                                "« pipeline » ou « demo »)")


def _attacher(fichier: Path, lecture_seule: bool) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse attached under the fixed name ``entrepot``, whatever its
    file is called: DuckDB names a database after its file, and a file ``ml.duckdb`` (or
    ``analyse``, ``prep``...) made every ``ml.table`` ambiguous between that database and
    the schema. The attaching instance is a named in-memory one, shared by the connections
    of this process to the same file, as ``duckdb.connect(fichier)`` shared its own: the
    file is held (and locked) until the last of them closes."""
    instance = f":memory:entrepot-{hashlib.sha256(str(fichier).encode()).hexdigest()[:16]}"
    con = duckdb.connect(instance)
    try:
        with _ATTACHEMENT:  # threads of this process (parallel tasks) attach it once
            attache = con.execute("select count(*) from duckdb_databases() "
                                  "where database_name = 'entrepot'").fetchone()
            if not attache or not attache[0]:
                litteral = str(fichier).replace("'", "''")
                mode = " (read_only)" if lecture_seule else ""
                con.execute(f"attach '{litteral}' as entrepot{mode}")
        con.execute("use entrepot")
    except BaseException:
        con.close()
        raise
    return con


def connecter(chemin: str | Path | None = None, lecture_seule: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, waiting up to ``attente_verrou_secondes`` for another writer.

    A read-write connection also creates the schemas and raw tables that are missing.
    """
    fichier = chemin_entrepot(chemin)
    verifier_chemin(fichier, creer=not lecture_seule)
    regles = parametres()["entrepot"]
    echeance = time.monotonic() + float(regles["attente_verrou_secondes"])
    while True:
        try:
            con = _attacher(fichier, lecture_seule)
            break
        except duckdb.IOException as e:
            if not _verrou(e):
                raise ErreurUtilisateur(f"entrepôt illisible : {fichier} ({e})") from e
            if time.monotonic() >= echeance:
                raise EntrepotVerrouille(
                    f"entrepôt occupé : un autre traitement écrit dans {fichier} depuis plus de "
                    f"{regles['attente_verrou_secondes']} s ; réessayez quand il sera terminé"
                ) from e
            time.sleep(0.5)
    con.execute(f"set memory_limit = '{regles['memoire_max']}'")
    con.execute(f"set threads = {int(regles['threads'])}")
    con.execute("set enable_progress_bar = false")
    creer_macros(con)
    if not lecture_seule:
        initialiser(con)
    return con


def creer_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The SQL helpers of ``sql/macros`` (temporary: they live with the connection)."""
    for fichier in sorted((SQL / "macros").glob("*.sql")):
        con.execute(fichier.read_text(encoding="utf-8"))


@contextmanager
def ouvrir(chemin: str | Path | None = None, lecture_seule: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connecter(chemin, lecture_seule)
    try:
        yield con
    finally:
        con.close()


def par_lots(resultat: duckdb.DuckDBPyConnection, lignes: int) -> Iterator[pd.DataFrame]:
    """The rows of an executed query as DataFrames of about ``lignes`` rows (DuckDB's
    vectors of 2 048), one at a time: a large result is never held whole in Python. The
    first comes even empty (it gives the columns)."""
    vecteurs = max(1, lignes // 2048)
    lot = resultat.fetch_df_chunk(vecteurs)
    yield lot
    while len(lot) and len(lot := resultat.fetch_df_chunk(vecteurs)):
        yield lot


def initialiser(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schemas and every raw, control and learning-output table (idempotent)."""
    for schema in SCHEMAS:
        con.execute(f'create schema if not exists "{schema}"')  # "analyse" is a DuckDB keyword
    for fichier in [*sorted((SQL / "controle").glob("*.sql")), *sorted((SQL / "brut").glob("*.sql")),
                    *sorted((SQL / "ml").glob("*.sql"))]:
        con.execute(fichier.read_text(encoding="utf-8"))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def contexte(con: duckdb.DuckDBPyConnection, sel: bytes = b"") -> Contexte:
    """The referential sets that validation checks values against."""
    codes = {r[0] for r in con.execute("select code_rome from brut.rome_codes").fetchall()}
    communes = {r[0] for r in con.execute("select insee_com from brut.communes").fetchall()}
    return Contexte(frozenset(codes), frozenset(communes), sel)


# --------------------------------------------------------------------------- writing

@dataclass
class Bilan:
    """What one file did to the warehouse (summed over its main tables)."""

    source: str
    fichier: str
    lignes_lues: int = 0
    nouvelles: int = 0
    mises_a_jour: int = 0
    inchangees: int = 0
    rejetees: int = 0
    deja_charge: bool = False
    remarques: str = ""


_TYPES_ARROW = {
    "VARCHAR": pa.string(),
    "DOUBLE": pa.float64(),
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMP": pa.timestamp("us"),
    "DATE": pa.date32(),
    "VARCHAR[]": pa.list_(pa.string()),
}


_COLONNES: dict[str, list[tuple[str, str]]] = {}


def _colonnes(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """Columns of a raw table (the DDL in sql/ is the same for every warehouse of a run)."""
    if table not in _COLONNES:
        _COLONNES[table] = _lire_colonnes(con, table)
    return _COLONNES[table]


def _lire_colonnes(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    schema, nom = table.split(".")
    lignes = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, nom],
    ).fetchall()
    if not lignes:
        raise RuntimeError(f"table absente de l'entrepôt : {table}")
    return lignes


def _q(nom: str) -> str:
    return '"' + nom.replace('"', '""') + '"'


def en_arrow(con: duckdb.DuckDBPyConnection, table: Table, provenance: dict) -> pa.Table:
    """The rows of a parsed table with their provenance, typed like the raw table."""
    colonnes = _colonnes(con, table.nom)
    schema = pa.schema([(nom, _TYPES_ARROW[type_]) for nom, type_ in colonnes])
    lignes = [provenance | ligne for ligne in table.lignes]
    return pa.Table.from_pylist(lignes, schema=schema)


def charger(con: duckdb.DuckDBPyConnection, lot: Lot) -> Bilan:
    """Merge one parsed file into the warehouse, in one transaction (``charger_lots``)."""
    return charger_lots(con, [lot])


def charger_lots(con: duckdb.DuckDBPyConnection, lots: Iterable[Lot]) -> Bilan:
    """Merge one file, parsed as one or several batches (``Lot``s of the same file, each row
    in one batch, a key in at most one), into the warehouse, in one transaction.

    Each main table is merged on its natural key: new keys are inserted; a key already
    there is replaced when the incoming row differs (and, for versioned tables, is not
    older); identical or older rows change nothing. Child tables follow their parent.
    The file's previous rejects are replaced by this attempt's, and the attempt is logged.
    Batches are parsed while the transaction is open: a parsing error rolls it back.
    """
    maintenant = datetime.now()
    bilan: Bilan | None = None
    remarques: list[str] = []
    with transaction(con):
        for lot in lots:
            provenance = {"_fichier": lot.nom_fichier, "_sha256": lot.sha256, "_charge_le": maintenant}
            if bilan is None:
                bilan = Bilan(lot.source, lot.nom_fichier)
                con.execute("delete from controle.rejets where source = ? and sha256 = ?", [lot.source, lot.sha256])
            bilan.lignes_lues += lot.lignes_lues
            bilan.rejetees += lot.lignes_rejetees()
            remarques += lot.remarques
            _charger_lot(con, lot, provenance, bilan, maintenant)
        if bilan is None:
            raise ValueError("charger_lots: no batch")
        bilan.remarques = "; ".join(remarques)
        con.execute(
            "insert into controle.chargements values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [lot.source, lot.nom_fichier, lot.sha256, maintenant, bilan.lignes_lues, bilan.nouvelles,
             bilan.mises_a_jour, bilan.inchangees, bilan.rejetees, bilan.remarques or None],
        )
    return bilan


def _charger_lot(con: duckdb.DuckDBPyConnection, lot: Lot, provenance: dict, bilan: Bilan,
                 maintenant: datetime) -> None:
    """One batch of ``charger_lots``: its tables merged, its rejects quarantined."""
    touches: dict[str, tuple[str, dict[str, int]]] = {}  # parent -> (temp table of keys, counts)
    for numero, table in enumerate(lot.tables):
        if table.parent and not sum(touches[table.parent][1].values()):
            continue  # no parent inserted or updated: its children stay as they are
        entrant = en_arrow(con, table, provenance)
        nom_entrant = f"_entrant_{numero}"
        con.register(nom_entrant, entrant)
        try:
            if table.parent:
                cles, comptes = touches[table.parent]
                _remplacer_enfants(con, table, nom_entrant, cles, comptes.get("maj", 0) > 0,
                                   entrant.num_rows > 0)
            else:
                cles = f"_touches_{numero}"
                touches[table.nom] = (cles, _fusionner(con, table, nom_entrant, cles, bilan))
        finally:
            con.unregister(nom_entrant)
    if lot.rejets:
        rejets = pa.Table.from_pylist([
            {"source": lot.source, "fichier": lot.nom_fichier, "sha256": lot.sha256, "ligne": r.ligne,
             "chemin_json": r.chemin_json, "champ": r.champ, "valeur": r.valeur, "motif": r.motif,
             "rejete_le": maintenant}
            for r in lot.rejets
        ])
        con.register("_rejets", rejets)
        con.execute(
            "insert into controle.rejets (source, fichier, sha256, ligne, chemin_json, champ, valeur, "
            "motif, rejete_le) select source, fichier, sha256, ligne, chemin_json, champ, valeur, "
            "motif, rejete_le from _rejets")
        con.unregister("_rejets")
    for nom, _ in touches.values():
        con.execute(f"drop table if exists {nom}")


def _fusionner(con: duckdb.DuckDBPyConnection, table: Table, entrant: str, touches: str,
               bilan: Bilan) -> dict[str, int]:
    """Merge one main table; leaves in ``touches`` the keys inserted or updated, and returns
    the count of rows per status (nouvelle, maj, inchangee)."""
    colonnes = [nom for nom, _ in _colonnes(con, table.nom)]
    donnees = [c for c in colonnes if not c.startswith("_")]
    jointure = " and ".join(f"t.{_q(k)} is not distinct from e.{_q(k)}" for k in table.cle)
    identiques = (
        "struct_pack(" + ", ".join(f"{_q(c)} := e.{_q(c)}" for c in donnees) + ") is not distinct from "
        "struct_pack(" + ", ".join(f"{_q(c)} := t.{_q(c)}" for c in donnees) + ")"
    )
    plus_ancien = f"e.{_q(table.version)} < t.{_q(table.version)}" if table.version else "false"
    cles = ", ".join(f"e.{_q(k)}" for k in table.cle)
    con.execute(f"""
        create or replace temp table {touches} as
        select {cles},
               case when t._sha256 is null then 'nouvelle'
                    when {plus_ancien} or ({identiques}) then 'inchangee'
                    else 'maj' end as statut
        from {entrant} e left join {table.nom} t on {jointure}
    """)  # noqa: S608 (identifiers from the code, values bound)
    comptes = dict(con.execute(f"select statut, count(*) from {touches} group by statut").fetchall())  # noqa: S608 (identifiers from the code, values bound)
    bilan.nouvelles += comptes.get("nouvelle", 0)
    bilan.mises_a_jour += comptes.get("maj", 0)
    bilan.inchangees += comptes.get("inchangee", 0)
    sur_cle = " and ".join(f"t.{_q(k)} is not distinct from c.{_q(k)}" for k in table.cle)
    con.execute(f"delete from {table.nom} t using {touches} c where {sur_cle} and c.statut = 'maj'")  # noqa: S608 (identifiers from the code, values bound)
    liste = ", ".join(_q(c) for c in colonnes)
    jointure_c = " and ".join(f"c.{_q(k)} is not distinct from e.{_q(k)}" for k in table.cle)
    con.execute(f"""
        insert into {table.nom} ({liste})
        select {", ".join(f"e.{_q(c)}" for c in colonnes)}
        from {entrant} e join {touches} c on {jointure_c}
        where c.statut in ('nouvelle', 'maj')
    """)  # noqa: S608 (identifiers from the code, values bound)
    con.execute(f"delete from {touches} where statut = 'inchangee'")  # noqa: S608 (identifiers from the code, values bound)
    return comptes


def _remplacer_enfants(con: duckdb.DuckDBPyConnection, table: Table, entrant: str, touches: str,
                       parents_mis_a_jour: bool, enfants_entrants: bool) -> None:
    """Children of inserted or updated parents are replaced by the incoming ones."""
    cle_parent = table.cle[0]
    if parents_mis_a_jour:
        con.execute(f"delete from {table.nom} where {_q(cle_parent)} in (select {_q(cle_parent)} from {touches})")  # noqa: S608 (identifiers from the code, values bound)
    if not enfants_entrants:
        return
    colonnes = ", ".join(_q(c) for c, _ in _colonnes(con, table.nom))
    con.execute(f"""
        insert into {table.nom} ({colonnes})
        select {colonnes} from {entrant}
        where {_q(cle_parent)} in (select {_q(cle_parent)} from {touches})
    """)  # noqa: S608 (identifiers from the code, values bound)


# --------------------------------------------------------------------------- packets

def charger_paquet(con: duckdb.DuckDBPyConnection, paquet: Paquet) -> list[Bilan]:
    """Merge a packet of files (a bulk loader's partition) in one transaction, with the
    result ``charger`` gives on each of its files in turn, in the packet's order.

    Per key, each incoming row is compared with the state the earlier files would have
    left (the stored row, then the packet's earlier rows): new, updated (not older and
    different), or unchanged. The row kept is the last new or updated one, and its
    children replace the stored ones. Rows are compared by a 64-bit hash of their data
    columns. Versions must not be null. A file that an earlier packet of the same run
    already loaded cleanly (same sha256) is skipped.
    """
    maintenant = datetime.now()
    propres = {s for (s,) in con.execute(
        "select distinct sha256 from controle.chargements where source = ? and lignes_rejetees = 0 "
        "and sha256 in (select unnest(?))", [paquet.source, [f.sha256 for f in paquet.fichiers]]).fetchall()}
    retenus, bilans = [], {}
    for f in paquet.fichiers:  # a copy of a file loaded cleanly just before is skipped too
        bilans[f.ordre] = Bilan(paquet.source, f.nom, lignes_lues=f.lignes_lues, rejetees=f.lignes_rejetees,
                                remarques=f.remarques, deja_charge=f.sha256 in propres)
        if not bilans[f.ordre].deja_charge:
            retenus.append(f)
            if not f.lignes_rejetees:
                propres.add(f.sha256)
    if not retenus:
        return list(bilans.values())
    fichiers = pa.table({"_ordre": [f.ordre for f in retenus], "fichier": [f.nom for f in retenus],
                         "sha256": [f.sha256 for f in retenus]})
    with transaction(con):
        con.register("_fichiers", fichiers)
        try:
            gagnants: dict[str, str] = {}  # main table -> temp table of (key, _ordre) kept
            for numero, table in enumerate(paquet.tables):
                assert table.parquet is not None
                if table.parent:
                    _remplacer_enfants_paquet(con, table, gagnants[table.parent], maintenant)
                else:
                    gagnants[table.nom] = f"_gagnants_{numero}"
                    comptes = _fusionner_paquet(con, table, gagnants[table.nom], maintenant)
                    for ordre, statut, nombre in comptes:
                        bilan = bilans[ordre]
                        if statut == "nouvelle":
                            bilan.nouvelles += nombre
                        elif statut == "maj":
                            bilan.mises_a_jour += nombre
                        else:
                            bilan.inchangees += nombre
            con.execute("delete from controle.rejets where source = ? and sha256 in (select sha256 from _fichiers)",
                        [paquet.source])
            con.execute(
                "insert into controle.rejets (source, fichier, sha256, ligne, chemin_json, champ, valeur, motif, "
                "rejete_le) select ?, f.fichier, f.sha256, r.ligne, r.chemin_json, r.champ, r.valeur, r.motif, ? "
                "from read_parquet(?) r join _fichiers f using (_ordre) "
                "qualify f._ordre = max(f._ordre) over (partition by f.sha256)",  # a file's last copy
                [paquet.source, maintenant, paquet.rejets])
            journal = pa.Table.from_pylist([
                {"source": paquet.source, "fichier": f.nom, "sha256": f.sha256, "charge_le": maintenant,
                 "lignes_lues": b.lignes_lues, "lignes_nouvelles": b.nouvelles, "lignes_mises_a_jour": b.mises_a_jour,
                 "lignes_inchangees": b.inchangees, "lignes_rejetees": b.rejetees, "remarques": b.remarques or None}
                for f in retenus for b in [bilans[f.ordre]]])
            con.register("_journal", journal)
            con.execute("insert into controle.chargements by name select * from _journal")
            con.unregister("_journal")
            for nom in gagnants.values():
                con.execute(f"drop table if exists {nom}")
        finally:
            con.unregister("_fichiers")
    return list(bilans.values())


def _cle_egale(a: str, b: str, cle: tuple[str, ...]) -> str:
    return " and ".join(f"{a}.{_q(k)} is not distinct from {b}.{_q(k)}" for k in cle)


def _fusionner_paquet(con: duckdb.DuckDBPyConnection, table: Table, gagnants: str,
                      maintenant: datetime) -> list[tuple[int, str, int]]:
    """Merge one main table of a packet; leaves in ``gagnants`` the (key, _ordre) of the
    rows kept, returns the count of rows per (file rank, status)."""
    donnees = [(c, t) for c, t in _colonnes(con, table.nom) if not c.startswith("_")]
    cles = ", ".join(_q(k) for k in table.cle)

    def empreinte(alias: str) -> str:
        return "hash(struct_pack(" + ", ".join(f"{_q(c)} := cast({alias}.{_q(c)} as {t})" for c, t in donnees) + "))"

    def version(alias: str) -> str:
        return f"{alias}.{_q(table.version)}" if table.version else "null::integer"

    ordre_etat = "(_v, _ordre)" if table.version else "_ordre"
    con.execute(f"""
        create or replace temp table _statuts as
        with entrant as (
            select {", ".join(f"e.{_q(k)}" for k in table.cle)}, e._ordre, {version("e")} as _v, {empreinte("e")} as _h
            from read_parquet(?) e where e._ordre in (select _ordre from _fichiers)
        ),
        stocke as (
            select {", ".join(f"t.{_q(k)}" for k in table.cle)}, -1 as _ordre, {version("t")} as _v,
                   {empreinte("t")} as _h
            from {table.nom} t semi join (select distinct {cles} from entrant) e on {_cle_egale("t", "e", table.cle)}
        ),
        suite as (
            select *,
                   count(*) over avant as _n_avant,
                   max(_v) over avant as _v_etat,
                   arg_max(_h, {ordre_etat}) over avant as _h_etat
            from (select * from entrant union all select * from stocke)
            window avant as (partition by {cles} order by _ordre rows between unbounded preceding and 1 preceding)
        )
        select {cles}, _ordre,
               case when _n_avant = 0 then 'nouvelle'
                    when _v < _v_etat or _h = _h_etat then 'inchangee'
                    else 'maj' end as statut
        from suite where _ordre >= 0
    """, [table.parquet])  # noqa: S608 (identifiers from the code, values bound)
    if table.version and con.execute(
            f"select count(*) from read_parquet(?) e where {version('e')} is null", [table.parquet]).fetchall()[0][0]:  # noqa: S608 (identifiers from the code, values bound)
        raise RuntimeError(f"{table.nom} : version nulle dans un paquet")
    con.execute(f"""
        create or replace temp table {gagnants} as
        select {cles}, max(_ordre) as _ordre from _statuts where statut in ('nouvelle', 'maj') group by all
    """)  # noqa: S608 (identifiers from the code, values bound)
    comptes = con.execute("select _ordre, statut, count(*) from _statuts group by all").fetchall()
    con.execute(f"delete from {table.nom} t using {gagnants} g where {_cle_egale('t', 'g', table.cle)}")  # noqa: S608 (identifiers from the code, values bound)
    _inserer_gagnants(con, table, gagnants, table.cle, maintenant)
    con.execute("drop table _statuts")
    return comptes


def _inserer_gagnants(con: duckdb.DuckDBPyConnection, table: Table, gagnants: str, cle: tuple[str, ...],
                      maintenant: datetime) -> None:
    """Insert the packet's rows of ``table`` whose (``cle``, _ordre) is in ``gagnants``."""
    colonnes = [c for c, _ in _colonnes(con, table.nom)]
    liste = ", ".join(_q(c) for c in colonnes)
    valeurs = ", ".join("?" if c == "_charge_le" else f"e.{_q(c)}" for c in colonnes)
    con.execute(f"""
        insert into {table.nom} ({liste})
        select {valeurs} from read_parquet(?) e
        semi join {gagnants} g on {_cle_egale("e", "g", cle)} and e._ordre = g._ordre
    """, [maintenant, table.parquet])  # noqa: S608 (identifiers from the code, values bound)


def _remplacer_enfants_paquet(con: duckdb.DuckDBPyConnection, table: Table, gagnants: str,
                              maintenant: datetime) -> None:
    """Children of the parent rows kept replace the stored ones."""
    cle_parent = table.cle[:1]
    con.execute(f"delete from {table.nom} t using {gagnants} g where {_cle_egale('t', 'g', cle_parent)}")  # noqa: S608 (identifiers from the code, values bound)
    _inserer_gagnants(con, table, gagnants, cle_parent, maintenant)
