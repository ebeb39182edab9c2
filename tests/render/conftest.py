"""Fixtures of the publication tests: one small warehouse per session (see donnees.py),
and the environment a module-scoped rendering needs (the test salt, never the real one)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.render.donnees import construire_entrepot

CAPTURES = Path(__file__).resolve().parents[2] / "sorties" / "tests"


@pytest.fixture(scope="session")
def environnement_de_test(tmp_path_factory):
    """HUB_SEL and HUB_SECRETS for fixtures wider than a test (the autouse one is per test)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUB_SEL", "sel-de-test")
        mp.setenv("HUB_SECRETS", str(tmp_path_factory.mktemp("secrets")))
        mp.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        yield os.environ


@pytest.fixture(scope="session")
def entrepot_test(tmp_path_factory, environnement_de_test) -> Path:
    return construire_entrepot(tmp_path_factory.mktemp("entrepot") / "entrepot.duckdb")


@pytest.fixture(scope="session")
def parametres_nommant(tmp_path_factory):
    """A config/parametres.toml where Delta consented to be named (HUB_PARAMETRES)."""
    from flows.config import CONFIG

    texte = (CONFIG / "parametres.toml").read_text(encoding="utf-8")
    assert texte.count("entreprises_nommees = []") == 1
    texte = texte.replace("entreprises_nommees = []", 'entreprises_nommees = ["Delta <b>Santé</b> & Cie"]')
    chemin = tmp_path_factory.mktemp("config") / "parametres.toml"
    chemin.write_text(texte, encoding="utf-8")
    return chemin
