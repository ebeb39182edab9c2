"""The command line, in-process under one Prefect test server: exact forms and French
messages, exit code 1 and no traceback for user mistakes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from flows.cli import app

runner = CliRunner()


@pytest.fixture
def page(tmp_path):
    chemin = tmp_path / "page.json"
    chemin.write_text(json.dumps({"resultats": [
        {"id": "X1", "intitule": "Technicien de maintenance", "dateCreation": "2025-03-01T08:00:00Z",
         "romeCode": "I1304"},
        {"id": "X2", "intitule": "Opérateur", "dateCreation": "pas une date", "romeCode": "H2301"},
    ]}))
    return chemin


def test_ingerer_affiche_un_bilan_francais(prefect_harness, tmp_path, page):
    entrepot = tmp_path / "cli.duckdb"
    resultat = runner.invoke(app, ["ingerer", "offres-ft", str(page), "--entrepot", str(entrepot)])
    assert resultat.exit_code == 0, resultat.output
    assert "page.json : 2 lue(s), 1 nouvelle(s), 0 mise(s) à jour, 0 inchangée(s), 1 en quarantaine" in resultat.output
    assert "resultats[1], champ « dateCreation » : horodatage illisible « pas une date »" in resultat.output
    encore = runner.invoke(app, ["ingerer", "offres-ft", str(page), "--entrepot", str(entrepot)])
    assert "1 inchangée(s), 1 en quarantaine" in encore.output


@pytest.mark.parametrize(("arguments", "message"), [
    (["ingerer", "offres-tf", "x.json"], "Erreur : source inconnue « offres-tf » ; sources possibles : offres-ft,"),
    (["ingerer", "offres-ft", "absent.json"], "Erreur : absent.json : fichier ou dossier introuvable"),
])
def test_erreurs_utilisateur_sans_trace(prefect_harness, tmp_path, arguments, message):
    resultat = runner.invoke(app, [*arguments, "--entrepot", str(tmp_path / "e.duckdb")])
    assert resultat.exit_code == 1
    assert resultat.output.startswith(message)
    assert "Traceback" not in resultat.output
    assert len(resultat.output.strip().splitlines()) == 1


def test_transformer_reconstruit_prep_offres(prefect_harness, tmp_path, page):
    entrepot = str(tmp_path / "t.duckdb")
    runner.invoke(app, ["ingerer", "offres-ft", str(page), "--entrepot", entrepot])
    resultat = runner.invoke(app, ["transformer", "--entrepot", entrepot])
    assert resultat.exit_code == 0, resultat.output
    assert "Couche prep : " in resultat.output and "prep.offres" in resultat.output
