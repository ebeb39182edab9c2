"""``--executeur dask``: the France Travail partitions are parsed on a local Dask cluster,
and the warehouse is the same as with the default runner (threads)."""

from __future__ import annotations

import duckdb
import pytest

from flows.config import REFERENTIELS
from flows.demo import generer
from flows.ingestion import ingestion_complete

ECHELLE = 800  # offers: several weekly pages, a few partitions once PARTITION_OCTETS is lowered


def _etat(chemin) -> dict[str, list]:
    """Every raw and control table, without load timestamps."""
    con = duckdb.connect(str(chemin), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('brut', 'controle') order by 1").fetchall()]
        etat = {}
        for table in tables:
            colonnes = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema || '.' || table_name = ? "
                "and column_name not in ('_charge_le', 'charge_le', 'rejete_le') order by ordinal_position",
                [table]).fetchall()]
            etat[table] = con.execute(f"select {', '.join(colonnes)} from {table} order by all").fetchall()
        return etat
    finally:
        con.close()


@pytest.mark.dask
def test_meme_entrepot_avec_dask_qu_avec_les_fils(prefect_harness, tmp_path, monkeypatch):
    monkeypatch.setattr("flows.chargement.masse.PARTITION_OCTETS", 1024**2)  # several partitions at this scale
    donnees = tmp_path / "donnees"
    generer(donnees, graine=2026, echelle=ECHELLE)
    zones = [str(REFERENTIELS), str(donnees)]
    fils = ingestion_complete(zones, str(tmp_path / "fils.duckdb"))
    grappe = ingestion_complete(zones, str(tmp_path / "dask.duckdb"), executeur="dask")

    assert [(b["fichier"], b["nouvelles"]) for b in grappe] == [(b["fichier"], b["nouvelles"]) for b in fils]
    attendu, obtenu = _etat(tmp_path / "fils.duckdb"), _etat(tmp_path / "dask.duckdb")
    assert obtenu == attendu
    offres = attendu["brut.offres_ft"]
    assert len(offres) == ECHELLE  # every generated offer, once
    assert len({ligne[-4] for ligne in offres}) > 5  # from pages spread over several partitions (_fichier)
