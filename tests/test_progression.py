"""Long loads show progress: a bar on the terminal, a progress artifact and a log line
every tenth of the files in the Prefect run."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from flows.ingestion import ingestion

RACINE = Path(__file__).resolve().parents[1]


def _pages(dossier: Path, nombre: int) -> Path:
    """``nombre`` API pages of one offer each."""
    dossier.mkdir(parents=True)
    for i in range(nombre):
        offre = {"id": f"P{i}", "intitule": "Technicien de maintenance", "dateCreation": "2025-03-03T08:00:00Z",
                 "dateActualisation": "2025-03-03T08:00:00Z", "romeCode": "I1304", "lieuTravail": {"commune": "21231"}}
        (dossier / f"page-{i:02d}.json").write_text(json.dumps({"resultats": [offre]}), encoding="utf-8")
    return dossier


def test_progression_dans_l_execution_prefect(prefect_harness, tmp_path, monkeypatch):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        LogFilter,
        LogFilterTimestamp,
    )
    from prefect.client.schemas.sorting import ArtifactSort

    monkeypatch.setattr("flows.chargement.masse.PARTITION_OCTETS", 1)  # one partition per page: 12 steps
    debut = datetime.now(UTC)
    bilans = ingestion("offres-ft", [str(_pages(tmp_path / "pages", 12))], str(tmp_path / "entrepot.duckdb"))
    assert sum(b["nouvelles"] for b in bilans) == 12
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()  # logs reach the server in batches

    with get_client(sync_client=True) as client:
        artefact = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingestion-offres-ft"])),
            sort=ArtifactSort.CREATED_DESC, limit=1)[0]
        journaux = client.read_logs(log_filter=LogFilter(timestamp=LogFilterTimestamp(after_=debut)))
    assert artefact.type == "progress"
    assert artefact.data == 100.0
    assert artefact.description == "offres-ft : 12 / 12 fichiers, 12 ligne(s) lue(s)"
    lignes = sorted(j.message for j in journaux if j.message.startswith("offres-ft : "))
    # a line each time a tenth is passed: 2, 3, 4, 5, 6, 8, 9, 10, 11 and 12 files of 12 (7 is 58 %, still 5/10)
    assert lignes == sorted(f"offres-ft : {n} / 12 fichiers, {n} ligne(s) lue(s)"
                            for n in (2, 3, 4, 5, 6, 8, 9, 10, 11, 12))


def test_barre_de_progression_dans_le_terminal(prefect_harness, tmp_path):
    """``ingerer`` run in a real terminal (a pseudo-terminal) draws its bar on stderr."""
    from prefect.settings import PREFECT_API_URL

    maitre, esclave = pty.openpty()
    processus = subprocess.Popen(
        [sys.executable, "-m", "flows", "ingerer", "offres-ft", str(_pages(tmp_path / "pages", 5)),
         "--entrepot", str(tmp_path / "entrepot.duckdb")],
        cwd=RACINE, env=os.environ | {"PREFECT_API_URL": str(PREFECT_API_URL.value()), "COLUMNS": "150"},
        stdout=subprocess.PIPE, stderr=esclave)
    os.close(esclave)
    terminal = b""
    while True:
        try:
            bloc = os.read(maitre, 65536)
        except OSError:  # the child closed the terminal
            break
        if not bloc:
            break
        terminal += bloc
    os.close(maitre)
    sortie, _ = processus.communicate(timeout=120)
    assert processus.returncode == 0, terminal.decode(errors="replace")
    texte = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal.decode(errors="replace"))  # colours, cursor
    assert "offres-ft ━" in texte and "0/5 fichiers · 0 lignes" in texte and "5/5 fichiers · 5 lignes" in texte
    assert "fichiers ·" not in sortie.decode()  # the bar stays out of the bilan (stdout)
