"""Tiny hand-made warehouses for the SQL models: rows are inserted straight into the raw
tables (with dummy provenance), then the layers are rebuilt as the flow does."""

from __future__ import annotations

from datetime import datetime

import pytest

from flows.transformation import construire_couche


@pytest.fixture
def inserer(con):
    """inserer("brut.offres_ft", [{...}, ...]): columns not given stay NULL."""

    def _inserer(table: str, lignes: list[dict]) -> None:
        for ligne in lignes:
            valeurs = {"_fichier": "test", "_sha256": "test", "_charge_le": datetime(2026, 1, 1)}
            if not table.startswith("ml."):
                valeurs |= ligne
            else:
                valeurs = dict(ligne)
            colonnes = ", ".join(valeurs)
            marques = ", ".join("?" for _ in valeurs)
            con.execute(f"insert into {table} ({colonnes}) values ({marques})", list(valeurs.values()))

    return _inserer


@pytest.fixture
def construire(con, tmp_path):
    """Rebuild prep then analyse on the test warehouse; returns a query helper."""

    def _construire() -> None:
        chemin = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
        construire_couche.fn("prep", chemin)
        construire_couche.fn("analyse", chemin)

    return _construire


@pytest.fixture
def referentiel(inserer):
    """Three ROME families, four communes in three BMO basins of two départements."""
    inserer("brut.rome_codes", [
        {"code_rome": "I1304", "libelle_rome": "Technicien de maintenance industrielle", "code_rome_parent": "I1304"},
        {"code_rome": "I1326", "libelle_rome": "Responsable d'équipe maintenance", "code_rome_parent": "I1304"},
        {"code_rome": "H2301", "libelle_rome": "Conducteur de ligne", "code_rome_parent": "H2301"},
        {"code_rome": "K2402", "libelle_rome": "Chercheur", "code_rome_parent": "K2402"},
    ])
    communes = [("21231", "Dijon", "21", 47.33187, 5.03222, "2715"),
                ("21617", "Talant", "21", 47.3369, 4.9994, "2715"),
                ("21054", "Beaune", "21", 47.0260, 4.8400, "2716"),
                ("71270", "Mâcon", "71", 46.3069, 4.8287, "2709")]
    inserer("brut.communes", [
        {"insee_com": c, "code_postal": "00000", "insee_reg": "27", "insee_dep": d, "commune": n,
         "commune_type": "COM", "lat": lat, "lng": lng} for c, n, d, lat, lng, _ in communes])
    inserer("brut.bassins_bmo", [
        {"code_commune_insee": c, "reg": "27", "dep": d, "code_bassin": b, "lib_bassin": n.upper()}
        for c, n, d, _, _, b in communes])
