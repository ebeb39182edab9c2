"""Processes of this machine: whether one is alive, and removing the work folders that
killed runs left behind (their names end with the pid of the process that made them)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path


def vivant(pid: int) -> bool:
    """Whether process ``pid`` exists (one of another user counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pid_du_nom(nom: str, prefixe: str) -> int | None:
    """The pid written in a work folder's name ``<prefixe><pid>`` or ``<prefixe><pid>-<suffix>``."""
    trouve = re.match(re.escape(prefixe) + r"([0-9]+)(?:-|$)", nom)
    return int(trouve[1]) if trouve else None


def retirer_restes(dossier: Path, prefixe: str) -> list[Path]:
    """Remove the folders of ``dossier`` named ``<prefixe><pid>...`` whose process is dead
    (a run killed with SIGKILL cannot clean up after itself); returns those removed."""
    retires = []
    for reste in sorted(Path(dossier).glob(f"{prefixe}*")):
        pid = pid_du_nom(reste.name, prefixe)
        if pid is None or not reste.is_dir() or reste.is_symlink() or vivant(pid):
            continue
        shutil.rmtree(reste, ignore_errors=True)
        retires.append(reste)
    return retires
