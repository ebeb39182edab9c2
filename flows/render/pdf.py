"""PDF of a report, printed from its HTML by headless Chromium (Debian package
``chromium``), with the Plotly charts drawn: Chromium runs the page's scripts for a
budget of virtual time before printing."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from flows.erreurs import ErreurUtilisateur

ABSENT = "PDF non produits : Chromium absent (apt-get install -y chromium)"
# Virtual time given to the page's scripts before printing (plotly.js is parsed and every
# chart drawn in about 4 s of real time here); the wall-clock limit of one printing.
BUDGET_VIRTUEL_MS = 10000
DELAI_SECONDES = 120


class ErreurImpression(ErreurUtilisateur):
    """Chromium failed to print a report."""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def imprimer(html: Path, pdf: Path, navigateur: str) -> Path:
    """Print ``html`` to ``pdf`` (no header nor footer, A4 from the page's CSS)."""
    with tempfile.TemporaryDirectory(prefix="hub-chromium-") as profil:
        commande = [
            navigateur, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profil}", "--run-all-compositor-stages-before-draw",
            f"--virtual-time-budget={BUDGET_VIRTUEL_MS}", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf.resolve()}", html.resolve().as_uri(),
        ]
        try:
            resultat = subprocess.run(commande, capture_output=True, text=True, timeout=DELAI_SECONDES, check=False)
        except subprocess.TimeoutExpired as e:
            raise ErreurImpression(f"impression de {html.name} interrompue après {DELAI_SECONDES} s") from e
    if resultat.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        derniere = (resultat.stderr.strip().splitlines() or ["sans message"])[-1]
        raise ErreurImpression(f"Chromium n'a pas imprimé {html.name} (code {resultat.returncode} : {derniere})")
    return pdf
