"""Fixtures of the learning tests: one small demo warehouse built once per session
(loaders and SQL layers called directly, no Prefect), the real offers parsed by the
project's loaders, and the figures the tests measure, kept beside the model cards."""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from flows import warehouse
from flows.chargement.fichiers import ORDRE_SOURCES, dossiers_par_source, lister_fichiers
from flows.config import REFERENTIELS
from flows.demo import generer
from flows.lecture.lots import Contexte
from flows.sources import lecteur
from flows.transformation import COUCHES, construire_couche


@pytest.fixture(scope="session")
def consigner(tmp_path_factory):
    """consigner(modele, cle, figures): merge ``figures`` under ``cle`` into
    <session folder>/<modele>/evaluation.json (the tests print them too). No test writes
    into sorties/: the model cards there belong to the warehouses the pipeline trained on."""
    evaluations = tmp_path_factory.mktemp("evaluations")

    def _consigner(modele: str, cle: str, figures: dict) -> None:
        fichier = evaluations / modele / "evaluation.json"
        fichier.parent.mkdir(parents=True, exist_ok=True)
        contenu = json.loads(fichier.read_text(encoding="utf-8")) if fichier.exists() else {}
        contenu[cle] = figures
        fichier.write_text(json.dumps(contenu, ensure_ascii=False, indent=1), encoding="utf-8")

    return _consigner


@pytest.fixture(scope="session")
def demo_ml(tmp_path_factory) -> dict:
    """A demo at scale 1,500 loaded into a warehouse with its prep, int and analyse layers (no ML output yet).
    Tests copy the warehouse file before writing to it."""
    racine = tmp_path_factory.mktemp("demo-ml")
    verite = json.loads(generer(racine / "donnees", graine=2026, echelle=1500).read_text(encoding="utf-8"))
    entrepot = racine / "entrepot.duckdb"
    with warehouse.ouvrir(entrepot) as con:
        for source in ORDRE_SOURCES:
            for zone in (REFERENTIELS, racine / "donnees"):
                dossier = dossiers_par_source(zone).get(source)
                for fichier, _ in lister_fichiers([dossier]) if dossier else []:
                    warehouse.charger(con, lecteur(source)(fichier, warehouse.contexte(con, b"sel-de-test")))
    for couche in COUCHES:
        construire_couche.fn(couche, str(entrepot))
    return {"entrepot": entrepot, "verite": verite}


@pytest.fixture
def entrepot_demo(demo_ml, tmp_path) -> str:
    copie = tmp_path / "demo.duckdb"
    shutil.copy(demo_ml["entrepot"], copie)
    return str(copie)


@pytest.fixture
def sorties_isolees(tmp_path, monkeypatch) -> Path:
    """Model files and cards of this test in its own folders."""
    monkeypatch.setenv("HUB_MODELES_ML", str(tmp_path / "modeles-ml"))
    monkeypatch.setenv("HUB_SORTIES", str(tmp_path / "sorties"))
    return tmp_path / "sorties"


def lignes(source: str, fichiers: list[Path], table: str) -> pd.DataFrame:
    """Rows of one raw table, parsed by the project's loader (no warehouse)."""
    return pd.DataFrame([ligne for f in fichiers for t in lecteur(source)(f, Contexte()).tables if t.nom == table
                         for ligne in t.lignes])


@cache
def _reel(dossier: Path) -> dict:
    rome = dossier / "rome-v460"
    codes = lignes("rome", [rome / "unix_referentiel_code_rome_v460_utf8.csv"], "brut.rome_codes")
    appellations = lignes("rome", [rome / "unix_referentiel_appellation_v460_utf8.csv"], "brut.rome_appellations")
    textes = lignes("rome", [rome / "unix_texte_v460_utf8.csv"], "brut.rome_textes")
    offres = lignes("offres-ft", sorted((dossier / "ft-offres-74").glob("*.json")), "brut.offres_ft")
    offres = offres.sort_values("_version").drop_duplicates("offre_id", keep="last").sort_values("offre_id")
    return {"codes": codes, "appellations": appellations, "textes": textes, "offres": offres.reset_index(drop=True)}


@pytest.fixture
def reel(partage) -> dict:
    """The real France Travail offers (latest version of each) and ROME referential (codes,
    appellations, texts), parsed once per session."""
    return _reel(partage)
