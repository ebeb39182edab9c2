"""Key checks run after each layer is built: every table declared in ``sql/cles.toml``
has a unique grain (the columns that name one row) and keys that are never NULL.

A model that silently duplicates rows (a join fanning out) or loses its key would spread
wrong counts to every indicator downstream; checking inside the layer's transaction makes
such a build fail and roll back, with one French line naming the table and an example.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

import duckdb

from flows.config import SQL
from flows.erreurs import ErreurUtilisateur

SCHEMA = SQL / "cles.toml"


class ErreurCle(ErreurUtilisateur):
    """A built table breaks its declared grain or has a NULL key."""


@dataclass(frozen=True)
class Cles:
    table: str  # schema.table, unquoted
    grain: tuple[str, ...]
    non_nuls: tuple[str, ...]


@cache
def declarees() -> dict[str, Cles]:
    """Every table of ``sql/cles.toml``, by its unquoted name (``prep.offres``)."""
    with SCHEMA.open("rb") as f:
        schema = tomllib.load(f)
    return {f"{couche}.{table}": Cles(f"{couche}.{table}", tuple(cles.get("grain", ())),
                                      tuple(cles.get("non_nuls", ())))
            for couche, tables in schema.items() for table, cles in tables.items()}


def _q(nom: str) -> str:
    return '"' + nom.replace('"', '""') + '"'


def _valeur(v: object) -> str:
    return "NULL" if v is None else str(v)


def _requete(cles: Cles) -> str:
    """One query: how many grain values repeat and the smallest of them, how many rows lack
    each key and the grain of one such row (as text). Names come from sql/cles.toml, never
    from a user (hence the noqa S608)."""
    schema, table = cles.table.split(".", 1)
    nom = f"{_q(schema)}.{_q(table)}"
    grain = ", ".join(_q(c) for c in cles.grain)
    textes = "[" + ", ".join(f"cast({_q(c)} as varchar)" for c in cles.grain) + "]"
    exemple = f"(select {textes} from doublons order by all limit 1)"  # noqa: S608
    colonnes = ["count(*)", "(select count(*) from doublons)", exemple]
    for c in cles.non_nuls:
        colonnes += [f"count(*) filter (where {_q(c)} is null)",
                     f"(select {textes} from {nom} where {_q(c)} is null order by all limit 1)"]  # noqa: S608
    return (f"with doublons as (select {grain} from {nom} group by all having count(*) > 1) "  # noqa: S608
            f"select {', '.join(colonnes)} from {nom}")


def verifier(con: duckdb.DuckDBPyConnection, tables: list[str]) -> None:
    """Check the declared keys of ``tables`` (``prep.offres``, ``"analyse".suivi_pilote``);
    a table with no declaration is left alone (tests/test_cles.py requires one for each model)."""
    for nom in tables:
        cles = declarees().get(nom.replace('"', ""))
        if cles is None or not cles.grain:
            continue
        try:
            resultat = con.execute(_requete(cles)).fetchone()
        except duckdb.Error as e:  # a declared column the model no longer builds
            raise ErreurCle(f"{SCHEMA.relative_to(SQL.parent)} ne correspond plus à {cles.table} : "
                            f"{str(e).splitlines()[0]}") from e
        assert resultat is not None
        doublons, exemple = resultat[1], resultat[2]
        if doublons:
            raise ErreurCle(f"clé en double dans {cles.table} ({', '.join(cles.grain)}) : {doublons} valeur(s) "
                            f"présente(s) sur plusieurs lignes, par exemple ({', '.join(map(_valeur, exemple))})")
        for i, colonne in enumerate(cles.non_nuls):
            nuls, exemple = resultat[3 + 2 * i], resultat[4 + 2 * i]
            if nuls:
                raise ErreurCle(f"clé vide dans {cles.table} : {nuls} ligne(s) sans {colonne}, par exemple "
                                f"({', '.join(cles.grain)}) = ({', '.join(map(_valeur, exemple))})")
