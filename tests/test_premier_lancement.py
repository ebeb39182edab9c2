"""First run on a fresh machine, and the command line's last line of defence: a Prefect server
slow to start or any unexpected exception ends in one French line, exit code 1, the whole
traceback kept in a log file (real subprocesses: what a user types)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from flows.config import RACINE, parametres


def _lancer(arguments: list[str], env: dict[str, str], code: str | None = None) -> subprocess.CompletedProcess:
    commande = [sys.executable, "-c", code, *arguments] if code else [sys.executable, "-m", "flows", *arguments]
    return subprocess.run(commande, cwd=RACINE, env=os.environ | env, capture_output=True, text=True,
                          timeout=300)


def test_delai_de_demarrage_par_defaut_genereux():
    """Prefect waits 20 s by default; a first start measured 31 s at rest on 2 cores."""
    assert parametres()["prefect"]["demarrage_serveur_secondes"] >= 120


def test_serveur_prefect_trop_lent_une_ligne_francaise(tmp_path):
    """An empty PREFECT_HOME (first run: Prefect migrates its database) and 1 s to start."""
    env = {"PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "1",
           "HUB_JOURNAUX": str(tmp_path / "journaux"), "PREFECT_API_URL": ""}
    (tmp_path / "page.json").write_text('{"resultats": []}')
    resultat = _lancer(["ingerer", "offres-ft", str(tmp_path / "page.json"), "--entrepot", str(tmp_path / "e.duckdb")],
                       env)
    assert resultat.returncode == 1
    lignes = resultat.stderr.strip().splitlines()
    assert len(lignes) == 1, resultat.stderr
    assert lignes[0].startswith("Erreur : le serveur temporaire de Prefect n'a pas démarré en 1 s (machine "
                                "chargée ?) : lancez « prefect server start » dans un autre terminal, exportez "
                                "PREFECT_API_URL=http://127.0.0.1:4200/api puis relancez la commande")
    journaux = list((tmp_path / "journaux").iterdir())
    assert len(journaux) == 1 and lignes[0].endswith(f"Détail : {journaux[0]}")
    assert "RuntimeError: Timed out while attempting to connect to ephemeral Prefect API" in journaux[0].read_text()


INJECTION = """
import sys
import flows.etat
from flows.cli import main

def panne(*args, **kwargs):
    raise ZeroDivisionError("panne injectée")

flows.etat.etat = panne
sys.argv = ["python -m flows", *sys.argv[1:]]
main()
"""


def test_exception_inattendue_une_ligne_et_un_journal(tmp_path):
    env = {"HUB_JOURNAUX": str(tmp_path / "journaux")}
    resultat = _lancer(["etat", "--entrepot", str(tmp_path / "e.duckdb")], env, INJECTION)
    assert resultat.returncode == 1
    assert "Traceback" not in resultat.stderr + resultat.stdout
    journal = next((tmp_path / "journaux").iterdir())
    assert resultat.stderr == (
        "Erreur : erreur inattendue (ZeroDivisionError) ; relancez avec « python -m flows --debug … » pour voir "
        f"la trace, ou transmettez le journal à l'équipe technique. Détail : {journal}\n")
    assert journal.read_text().endswith("ZeroDivisionError: panne injectée\n")

    avec_trace = _lancer(["--debug", "etat", "--entrepot", str(tmp_path / "e.duckdb")], env, INJECTION)
    assert avec_trace.returncode == 1
    assert "Traceback (most recent call last)" in avec_trace.stderr
    assert avec_trace.stderr.strip().splitlines()[-1].startswith("Erreur : erreur inattendue (ZeroDivisionError)")


def _panne(*args, **kwargs):
    raise ZeroDivisionError("panne injectée")


# command -> (its arguments, the inner function made to fail); {tmp} is the test's folder,
# where e.duckdb exists (an empty file: the checks pass, the failing function never opens it)
INJECTIONS = {
    "ingerer": (["offres-ft", "{tmp}/page.json", "--entrepot", "{tmp}/e.duckdb"], "flows.ingestion.ingestion"),
    "transformer": (["--entrepot", "{tmp}/e.duckdb"], "flows.transformation.transformation"),
    "demo": (["--entrepot", "{tmp}/e.duckdb"], "flows.pipeline.pipeline_demo"),
    "generer-demo": (["--dossier", "{tmp}/demo"], "flows.demo.generer"),
    "apprendre": (["--entrepot", "{tmp}/e.duckdb"], "flows.learning.apprentissage"),
    "publier": (["--entrepot", "{tmp}/e.duckdb", "--sortie", "essai"], "flows.publication.publication"),
    "pipeline": (["--entrepot", "{tmp}/e.duckdb"], "flows.pipeline.pipeline"),
    "collecter-ft": (["--departement", "21", "--entrepot", "{tmp}/e.duckdb"],
                     "flows.collecte.offres.collecte_offres_ft"),
    "collecter-marche": (["--territoire", "DEP:21", "--rome", "I1304", "--entrepot", "{tmp}/e.duckdb"],
                         "flows.collecte.marche.collecte_marche"),
    "servir": ([], "flows.deployments.verifier_serveur"),
    "etat": (["--entrepot", "{tmp}/e.duckdb"], "flows.etat.etat"),
    "purger": (["--entrepot", "{tmp}/e.duckdb"], "flows.purge.purger"),
    "classer-rome": (["{tmp}/page.json", "{tmp}/classes.csv", "--entrepot", "{tmp}/e.duckdb"],
                     "flows.ml.rome.modele_courant"),
}


def test_chaque_commande_a_son_injection():
    from typer.main import get_command

    from flows.cli import app

    assert sorted(INJECTIONS) == sorted(get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("commande", sorted(INJECTIONS))
def test_exception_inattendue_dans_chaque_commande(tmp_path, monkeypatch, capsys, commande):
    """Whatever command fails unexpectedly, at whatever inner step: one French line naming
    the log file, exit code 1, no traceback on the terminal, the whole traceback in the log.
    In-process (``main``), the failing function patched: no Prefect server is started."""
    from flows.cli import main

    arguments, fonction = INJECTIONS[commande]
    (tmp_path / "page.json").write_text('{"resultats": []}')
    (tmp_path / "e.duckdb").touch()
    monkeypatch.setenv("HUB_JOURNAUX", str(tmp_path / "journaux"))
    monkeypatch.setattr("flows.ingestion.referentiels_livres", lambda *a, **k: ([], ""))  # a flow: a server
    monkeypatch.setattr(fonction, _panne)
    monkeypatch.setattr("sys.argv", ["python -m flows", commande, *(a.format(tmp=tmp_path) for a in arguments)])
    with pytest.raises(SystemExit) as sortie:
        main()
    lu = capsys.readouterr()
    assert sortie.value.code == 1
    assert "Traceback" not in lu.out + lu.err
    [journal] = (tmp_path / "journaux").iterdir()
    assert lu.err == (
        "Erreur : erreur inattendue (ZeroDivisionError) ; relancez avec « python -m flows --debug … » pour voir "
        f"la trace, ou transmettez le journal à l'équipe technique. Détail : {journal}\n")
    trace = journal.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in trace and trace.endswith("ZeroDivisionError: panne injectée\n")
