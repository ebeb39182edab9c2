"""The analyst's Monday, end to end: a real ``prefect server start``, ``python -m flows servir``
and the three deployments triggered with ``prefect deployment run --watch`` (the README's
« vérifier que tout marche »), first on an empty drop zone, then with the real France
Travail pages of département 74 dropped in; the collections pull from the fake France
Travail of the collection tests (127.0.0.1, no network)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from flows.config import RACINE
from tests.test_collecte import CLIENT_ID, SECRET, FauxFranceTravail, offres_reelles, statistiques

pytestmark = pytest.mark.lent

PREFECT = str(Path(sys.executable).with_name("prefect"))


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _attendre_serveur(url: str, processus: subprocess.Popen, delai: float = 300) -> None:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        if processus.poll() is not None:
            pytest.fail(f"prefect server start s'est arrêté (code {processus.returncode})")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    pytest.fail(f"serveur Prefect pas prêt en {delai} s")


def _attendre_deploiements(url: str, servir: subprocess.Popen, delai: float = 300) -> None:
    """``servir`` registers the three deployments once it has started."""
    from prefect.client.orchestration import SyncPrefectClient

    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        if servir.poll() is not None:
            pytest.fail(f"python -m flows servir s'est arrêté (code {servir.returncode})")
        with SyncPrefectClient(url) as client:
            if len(client.read_deployments()) >= 3:
                return
        time.sleep(1)
    pytest.fail(f"déploiements pas enregistrés en {delai} s")


def _arreter(processus: subprocess.Popen) -> None:
    if processus.poll() is None:
        os.killpg(processus.pid, signal.SIGTERM)
        try:
            processus.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(processus.pid, signal.SIGKILL)
            processus.wait()


@pytest.fixture
def service(tmp_path, partage):
    """A Prefect server with an empty home, ``servir`` beside it, the fake France Travail."""
    faux = FauxFranceTravail(offres_reelles(partage), stats=statistiques())
    url = f"http://127.0.0.1:{_port_libre()}/api"
    env = os.environ | {
        "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": url, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2", "FT_CLIENT_ID": CLIENT_ID, "FT_CLIENT_SECRET": SECRET,
        "HUB_JOURNAUX": str(tmp_path / "journaux")}
    journal_serveur = (tmp_path / "serveur.log").open("w")
    serveur = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", url.split(":")[2][:-4]],
                               env=env, stdout=journal_serveur, stderr=subprocess.STDOUT, start_new_session=True)
    servir = None
    try:
        _attendre_serveur(url, serveur)
        journal_servir = (tmp_path / "servir.log").open("w")
        servir = subprocess.Popen([sys.executable, "-m", "flows", "servir"], cwd=RACINE, env=env,
                                  stdout=journal_servir, stderr=subprocess.STDOUT, start_new_session=True)
        _attendre_deploiements(url, servir)
        yield {"env": env, "faux": faux, "servir": servir, "journal": tmp_path / "servir.log"}
    finally:
        if servir:
            _arreter(servir)
        _arreter(serveur)
        faux.fermer()


def _declencher(service: dict, deploiement: str, parametres: dict) -> subprocess.CompletedProcess:
    """``prefect deployment run NAME --watch``: waits for the run's final state."""
    return subprocess.run([PREFECT, "deployment", "run", deploiement, "--params", json.dumps(parametres), "--watch",
                           "--watch-timeout", "900"],
                          env=service["env"], capture_output=True, text=True, timeout=1000)


def _executions(service: dict) -> dict[str, list[tuple[str, str | None]]]:
    """Flow name -> (state, message) of its top-level runs that have started, oldest first
    (the scheduler also creates the next scheduled runs of each deployment)."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentTaskRunId
    from prefect.client.schemas.sorting import FlowRunSort

    with SyncPrefectClient(service["env"]["PREFECT_API_URL"]) as client:
        noms = {f.id: f.name for f in client.read_flows()}
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(parent_task_run_id=FlowRunFilterParentTaskRunId(is_null_=True)),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC)
    resultat: dict[str, list[tuple[str, str | None]]] = {}
    for run in runs:
        if run.state_type.value == "SCHEDULED":
            continue
        resultat.setdefault(noms[run.flow_id], []).append((run.state_type.value, run.state.message))
    return resultat


def test_les_trois_deploiements_sans_donnees_puis_avec_les_pages_reelles(service, tmp_path, partage):
    entree, entrepot = tmp_path / "entree", tmp_path / "entrepot.duckdb"
    entree.mkdir()
    sorties = Path(os.environ["HUB_SORTIES"])
    faux = service["faux"]
    collectes = {
        "collecte France Travail/collecte-offres-quotidienne": {
            "api_url": f"{faux.base}/partenaire/offresdemploi", "token_url": faux.url_jeton},
        "statistiques du marché du travail/collecte-marche-hebdomadaire": {
            "stats_url": f"{faux.base}/partenaire/stats-offres-demandes-emploi", "token_url": faux.url_jeton},
    }
    commun = {"entree": str(entree), "entrepot": str(entrepot)}

    for passage in ("vide", "pages réelles"):
        if passage == "pages réelles":
            shutil.copytree(partage / "ft-offres-74", entree / "offres-ft" / "pages-74")
        for deploiement, parametres in [*collectes.items(), ("pipeline/pipeline-hebdomadaire", {})]:
            fait = _declencher(service, deploiement, parametres | commun)
            assert fait.returncode == 0, (deploiement, passage, fait.stdout[-3000:], fait.stderr[-3000:],
                                          service["journal"].read_text()[-3000:])
        assert service["servir"].poll() is None

    executions = _executions(service)
    assert {nom: [etat for etat, _ in runs] for nom, runs in executions.items()} == {
        "collecte France Travail": ["COMPLETED"] * 2,
        "statistiques du marché du travail": ["COMPLETED"] * 2,
        "pipeline": ["COMPLETED"] * 2,
    }, executions

    publications = sorted(d for d in sorties.iterdir() if d.is_dir() and (d / "tableau-de-bord.html").is_file())
    assert publications, list(sorties.iterdir())

    etat = subprocess.run([sys.executable, "-m", "flows", "etat", "--entrepot", str(entrepot), "--entree",
                           str(entree)], cwd=RACINE, env=service["env"], capture_output=True, text=True, timeout=120)
    assert etat.returncode == 0, etat.stderr
    pipelines = [ligne for ligne in etat.stdout.splitlines() if "[pipeline] pipeline du " in ligne]
    assert len(pipelines) == 2 and all(ligne.endswith(" s)") and " : terminée (" in ligne for ligne in pipelines), \
        etat.stdout
    assert "offres-ft : " in etat.stdout
