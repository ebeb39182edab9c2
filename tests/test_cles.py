"""Key checks (sql/cles.toml, flows/cles.py): every model declares its grain and not-null
keys, and a build that breaks them fails with one French line and leaves its layer as it was."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from flows import cles
from flows.cles import ErreurCle
from flows.transformation import COUCHES, MODELES_PYTHON, construire_couche, modeles


def _chemin(con) -> str:
    return con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]


def test_chaque_modele_est_declare():
    """A new model without keys, or a declaration left behind by a removed model, fails here."""
    construites = {m.table for couche in COUCHES for m in modeles(couche)}
    construites |= {t.replace('"', "") for couche in COUCHES for t, _ in MODELES_PYTHON.get(couche, [])}
    assert set(cles.declarees()) == construites
    for declaration in cles.declarees().values():
        assert declaration.grain, declaration.table


def test_colonnes_declarees_existent(construire, con):
    """Built on an empty warehouse (the checks pass there too), every declared column exists."""
    construire()
    colonnes = {(f"{s}.{t}", c) for s, t, c in con.execute(
        "select table_schema, table_name, column_name from information_schema.columns").fetchall()}
    for declaration in cles.declarees().values():
        for colonne in {*declaration.grain, *declaration.non_nuls}:
            assert (declaration.table, colonne) in colonnes


def _tables(con) -> dict[str, list]:
    noms = [n for (n,) in con.execute(
        "select '\"' || table_schema || '\".\"' || table_name || '\"' from information_schema.tables "
        "where table_schema in ('prep', 'analyse') order by 1").fetchall()]
    return {n: con.execute(f"select * from {n} order by all").fetchall() for n in noms}


def _rebatir_prep_puis_comparer(con, avant) -> str:
    """Rebuild prep (expected to fail), then check the layer is as it was; returns the message."""
    chemin = _chemin(con)
    con.close()
    with pytest.raises(ErreurCle) as erreur:
        construire_couche.fn("prep", chemin)
    relue = duckdb.connect(chemin, read_only=True)
    try:
        assert _tables(relue) == avant  # the layer rolled back
    finally:
        relue.close()
    return str(erreur.value)


def test_grain_en_double(referentiel, inserer, construire, con):
    construire()
    avant = _tables(con)
    # the referential loaded twice by hand: H2301 now names two rows of prep.rome
    inserer("brut.rome_codes", [{"code_rome": "H2301", "libelle_rome": "Conducteur de ligne",
                                 "code_rome_parent": "H2301"}])
    assert _rebatir_prep_puis_comparer(con, avant) == (
        "clé en double dans prep.rome (code_rome) : 1 valeur(s) présente(s) sur plusieurs lignes, "
        "par exemple (H2301)")


def test_cle_vide(referentiel, inserer, construire, con):
    construire()
    avant = _tables(con)
    # a national row: no territory level of prep.demandeurs names it
    inserer("brut.demandeurs_stat", [
        {"code_rome": "I1326", "type_territoire": "NAT", "code_territoire": "FR", "type_periode": "MOIS",
         "periode": "2025-03", "date_debut": date(2025, 3, 1), "categorie": "A", "demandeurs": 7}])
    assert _rebatir_prep_puis_comparer(con, avant) == (
        "clé vide dans prep.demandeurs : 1 ligne(s) sans niveau_territoire, par exemple (code_rome_parent, "
        "niveau_territoire, code_territoire, granularite, date_debut, categorie) = (I1304, NULL, FR, mois, "
        "2025-03-01, A)")


def test_plusieurs_doublons_comptes(con, monkeypatch):
    """The count is of repeated grain values, the example the smallest of them."""
    con.execute("create schema essai")
    con.execute("create table essai.t as select * from (values ('b', 1), ('b', 1), ('a', 2), ('a', 2), ('a', 2), "
                "('c', 3)) as v(k, n)")
    monkeypatch.setattr(cles, "declarees", lambda: {"essai.t": cles.Cles("essai.t", ("k",), ("k", "n"))})
    with pytest.raises(ErreurCle, match=r"^clé en double dans essai.t \(k\) : 2 valeur\(s\) .*, par exemple \(a\)$"):
        cles.verifier(con, ["essai.t"])
    cles.verifier(con, ["essai.autre"])  # not declared: left alone
