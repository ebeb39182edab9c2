"""Progress of an ingestion, shown where the analyst looks: the terminal, the Prefect
interface and the run's log."""

from __future__ import annotations

import sys
from typing import Any

from prefect import get_run_logger
from prefect.artifacts import create_progress_artifact, update_progress_artifact

from flows.formats import nombre_fr, pluriel


class Progression:
    """Files done out of the total and rows read, for one source: a bar on the terminal
    (stderr, when it is one), a Prefect progress artifact (key ``ingestion-<source>``)
    and a line in the run's log every 10 %."""

    def __init__(self, source: str, total: int):
        self.source, self.total, self.faits, self.lignes, self.pourcent = source, total, 0, 0, 0
        self.barre: Any = None
        self.artefact: Any = None

    def __enter__(self) -> Progression:
        if self.total and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.barre = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("fichiers · {task.fields[lignes]} lignes"), TimeElapsedColumn(),
                                  console=Console(stderr=True), transient=True)
            self.barre.start()
            self.tache = self.barre.add_task(self.source, total=self.total, lignes="0")
        if self.total > 1:
            self.artefact = create_progress_artifact(
                progress=0.0, key=f"ingestion-{self.source}", description=self._texte())
        return self

    def _texte(self) -> str:
        return (f"{self.source} : {nombre_fr(self.faits)} / {pluriel(self.total, 'fichier')}, "
                f"{nombre_fr(self.lignes)} ligne(s) lue(s)")

    def avancer(self, fichiers: int, lignes: int) -> None:
        if not fichiers:
            return
        self.faits += fichiers
        self.lignes += lignes
        if self.barre is not None:
            self.barre.update(self.tache, completed=self.faits, lignes=nombre_fr(self.lignes))
        pourcent = 100 * self.faits // self.total
        if self.artefact is not None and pourcent > self.pourcent:  # at most 100 calls to the API
            update_progress_artifact(self.artefact, progress=float(pourcent), description=self._texte())
        if self.total > 1 and (pourcent // 10 > self.pourcent // 10 or self.faits == self.total):
            get_run_logger().info(self._texte())
        self.pourcent = pourcent

    def __exit__(self, *exc: object) -> None:
        if self.barre is not None:
            self.barre.stop()
