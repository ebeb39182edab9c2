"""Content fingerprints of warehouse tables, and what each model of the transformation was
last built from, so that a weekly run rebuilds only the models whose inputs changed.

A table's fingerprint is its column names and types, its row count and the sum of
DuckDB's 64-bit ``hash()`` of each whole row: one scan (about 0.07 s per 100 000 rows of
long text, 0.8 s per million), independent of row order, and, unlike a XOR, not
cancelled by two equal rows. Two different contents share it only by a 64-bit collision
of that sum.

The record lives in ``transformation.empreintes`` (one row per model), a schema that only the transformation
writes, inside each layer's transaction: a failed layer rolls its fingerprints back with
its tables.
"""

from __future__ import annotations

import hashlib
import json

import duckdb


def condenser(valeur: object) -> str:
    """sha256 of a JSON value (settings, file texts, fingerprints)."""
    texte = json.dumps(valeur, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(texte.encode("utf-8")).hexdigest()


def _q(nom: str) -> str:
    return '"' + nom.replace('"', '""') + '"'


def empreinte(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """Fingerprint of ``schema.table`` (unquoted), or None when it does not exist."""
    schema, nom = table.split(".", 1)
    colonnes = con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = current_database() "
        "and schema_name = ? and table_name = ? order by column_index", [schema, nom]).fetchall()
    if not colonnes:
        return None
    # names come from the models' own SQL (sql/), never from a user
    lignes, somme = con.execute(f"select count(*), coalesce(sum(hash(_ligne_empreinte)), 0) "  # noqa: S608
                                f"from {_q(schema)}.{_q(nom)} as _ligne_empreinte").fetchall()[0]
    return condenser([colonnes, lignes, str(somme)])


class Registre:
    """The fingerprints seen by one layer's transaction: each table's content, computed once
    until the table is rebuilt, and the inputs each model was last built from."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        con.execute("create schema if not exists transformation")
        con.execute("create table if not exists transformation.empreintes "
                    "(modele varchar not null, entrees varchar not null, sortie varchar not null)")
        self.passees = {table: (json.loads(entrees), sortie) for table, entrees, sortie in con.execute(
            "select modele, entrees, sortie from transformation.empreintes").fetchall()}
        self._contenus: dict[str, str | None] = {}

    def contenu(self, table: str) -> str | None:
        if table not in self._contenus:
            self._contenus[table] = empreinte(self.con, table)
        return self._contenus[table]

    def oublier(self, table: str) -> None:
        """The table was just rebuilt (or written to): read its content again when asked."""
        self._contenus.pop(table, None)

    def raisons(self, table: str, entrees: dict[str, object]) -> list[str]:
        """Why ``table`` must be rebuilt, in French (empty: its inputs and itself are as when it
        was last built)."""
        passee = self.passees.get(table)
        if passee is None:
            return ["jamais construite"]
        contenu = self.contenu(table)
        if contenu is None:
            return ["absente"]
        if contenu != passee[1]:
            return ["modifiée depuis sa construction"]
        anciennes = passee[0]
        return [f"{cle} a changé" for cle in sorted(entrees.keys() | anciennes.keys())
                if entrees.get(cle) != anciennes.get(cle)]

    def noter(self, table: str, entrees: dict[str, object]) -> None:
        """Record what ``table`` was built from and the content it now has."""
        self.oublier(table)
        self.con.execute("delete from transformation.empreintes where modele = ?", [table])
        self.con.execute("insert into transformation.empreintes values (?, ?, ?)",
                         [table, json.dumps(entrees, sort_keys=True, default=str), self.contenu(table)])
