"""Shared fixtures. Tests never touch ``donnees/entrepot.duckdb``, ``sorties/``,
``donnees/modeles-ml`` nor the real salt: every test gets its own warehouse file, outputs
and model folders and a fixed test salt.

Tests that need ``../shared/donnees-reelles`` or Chromium skip on a user's machine when
those are missing; with ``HUB_TESTS_STRICTS=1`` (set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
# the temporary Prefect server of a subprocess may start slowly on a loaded machine
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

from flows import warehouse  # noqa: E402
from flows.config import CONFIG, RACINE  # noqa: E402
from flows.sources import lecteur  # noqa: E402
from flows.transformation import COUCHES, construire_couche  # noqa: E402

PARTAGE = RACINE.parent / "shared" / "donnees-reelles"
STRICT = os.environ.get("HUB_TESTS_STRICTS") == "1"


def absent(raison: str) -> None:
    """Skip on a user's machine, fail in CI."""
    if STRICT:
        pytest.fail(f"{raison} (HUB_TESTS_STRICTS=1 : obligatoire en CI)")
    pytest.skip(raison)


@pytest.fixture(autouse=True)
def _isolement(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_ENTREPOT", str(tmp_path / "entrepot.duckdb"))
    monkeypatch.setenv("HUB_SEL", "sel-de-test")
    monkeypatch.setenv("HUB_SECRETS", str(tmp_path / "secrets"))
    monkeypatch.setenv("HUB_SORTIES", str(tmp_path / "sorties"))
    monkeypatch.setenv("HUB_MODELES_ML", str(tmp_path / "modeles-ml"))
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture
def partage() -> Path:
    """The real public files of ``../shared/donnees-reelles``."""
    if not PARTAGE.is_dir():
        absent(f"données réelles absentes : {PARTAGE}")
    return PARTAGE


@pytest.fixture
def chromium() -> str:
    chemin = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chemin:
        absent("Chromium absent (apt-get install -y chromium)")
    return chemin


@pytest.fixture
def con(tmp_path):
    """A fresh read-write warehouse."""
    connexion = warehouse.connecter(tmp_path / "entrepot.duckdb")
    yield connexion
    connexion.close()


@pytest.fixture
def lots_de_deux(tmp_path, monkeypatch):
    """The project's settings with batches of two rows."""
    reglages = (CONFIG / "parametres.toml").read_text(encoding="utf-8")
    assert "\nlignes_par_lot = " in reglages
    petits = tmp_path / "parametres.toml"
    petits.write_text(reglages.replace("\nlignes_par_lot = ", "\nlignes_par_lot = 2 #"), encoding="utf-8")
    monkeypatch.setenv("HUB_PARAMETRES", str(petits))


@pytest.fixture
def charger(con):
    """Parse and load files of one source into the test warehouse; returns the bilans."""

    def _charger(source: str, *chemins: Path, plateforme: str | None = None):
        bilans = []
        for chemin in chemins:
            ctx = warehouse.contexte(con, sel=b"sel-de-test")
            if plateforme:
                ctx.plateforme = plateforme
            bilans.append(warehouse.charger(con, lecteur(source)(Path(chemin), ctx)))
        return bilans

    return _charger


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for the whole session (it takes ~20 s to start)."""
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def petit_disque(tmp_path):
    """An 8 MB tmpfs: a real full disk (needs root and the right to mount; skipped otherwise)."""
    disque = tmp_path / "petit-disque"
    disque.mkdir()
    monte = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disque)],
                           capture_output=True, text=True, check=False)
    if monte.returncode != 0:
        pytest.skip(f"disque plein non simulable : montage d'un tmpfs refusé ({monte.stderr.strip()})")
    try:
        yield disque
    finally:
        if subprocess.run(["umount", str(disque)], check=False).returncode != 0:
            subprocess.run(["umount", "--lazy", str(disque)], check=False)  # never leave a mount behind


# --------------------------------------------------------------------------- tiny warehouses
# Rows are inserted straight into the raw tables (with dummy provenance), then the layers
# are rebuilt as the flow does.

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
    """Rebuild prep, int then analyse on the test warehouse, as the transformation does."""

    def _construire() -> None:
        chemin = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
        for couche in COUCHES:
            construire_couche.fn(couche, chemin)

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


def rejets(con, source: str | None = None) -> list[tuple]:
    """Quarantine rows as (file name, line, field, reason), sorted."""
    requete = "select fichier, ligne, champ, motif from controle.rejets"
    params: list = []
    if source:
        requete += " where source = ?"
        params.append(source)
    lignes = con.execute(requete + " order by fichier, ligne, champ", params).fetchall()
    return [(Path(f).name, ligne, champ, motif) for f, ligne, champ, motif in lignes]


@pytest.fixture(scope="session")
def demo(prefect_harness, tmp_path_factory):
    """The demo as ``make demo`` builds it (default scale, seed 2026), in a temporary folder:
    generated files, loaded warehouse, prep and analyse layers. Built once per session;
    tests must not write to it (copy the warehouse file first)."""
    import json

    from flows.config import REFERENTIELS
    from flows.demo import generer
    from flows.ingestion import ingestion_complete
    from flows.transformation import transformation

    racine = tmp_path_factory.mktemp("demo")
    dossier = racine / "donnees"
    verite = json.loads(generer(dossier, graine=2026).read_text(encoding="utf-8"))
    entrepot = str(racine / "entrepot.duckdb")
    os.environ["HUB_SEL"] = "sel-de-test"
    bilans = ingestion_complete([str(REFERENTIELS), str(dossier)], entrepot)
    transformation(entrepot)
    return {"entrepot": entrepot, "dossier": dossier, "verite": verite, "bilans": bilans}
