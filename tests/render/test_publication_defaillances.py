"""Faults while publishing: a full disk and a SIGKILL leave the previous outputs intact,
and publishing again gives the outputs of an uninterrupted run."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.config import RACINE
from flows.publication import publication
from flows.render import rapport, tableau_de_bord


def _contenu(dossier: Path) -> dict[str, bytes]:
    return {str(p.relative_to(dossier)): p.read_bytes() for p in sorted(dossier.rglob("*")) if p.is_file()}


def _deterministe(contenu: dict[str, bytes]) -> dict[str, bytes]:
    """The files whose bytes do not carry the publication time (extracts, reports' HTML)."""
    return {nom: octets for nom, octets in contenu.items()
            if nom.startswith("extraits/") and nom.endswith(".csv") or nom.startswith("rapports/") and nom.endswith(".html")}


def test_disque_plein_pendant_la_publication(prefect_harness, entrepot_test, tmp_path, monkeypatch):
    racine = tmp_path / "sorties"
    publication(str(entrepot_test), "essai", str(racine))
    avant = _contenu(racine / "essai")

    ecrire = Path.write_text

    def disque_plein(self, texte, *args, **kwargs):
        if self.name == "tableau-de-bord.html":
            ecrire(self, texte[: len(texte) // 2], *args, **kwargs)
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return ecrire(self, texte, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", disque_plein)
    with pytest.raises(OSError, match="No space left on device"):
        publication(str(entrepot_test), "essai", str(racine))
    assert _contenu(racine / "essai") == avant
    assert sorted(p.name for p in racine.iterdir()) == ["essai"]  # the half-written folder is gone


def test_publier_sur_un_disque_plein_une_ligne_francaise(prefect_harness, entrepot_test, petit_disque, monkeypatch,
                                                         capsys):
    """``python -m flows publier`` on a really full disk (tmpfs): one French line saying the
    disk is full and what to do, exit code 1, no traceback, nothing left in the outputs."""
    from flows.cli import main

    monkeypatch.setenv("HUB_SORTIES", str(petit_disque))
    monkeypatch.setenv("HUB_JOURNAUX", str(petit_disque.parent / "journaux"))
    etat = os.statvfs(petit_disque)
    remplissage = petit_disque / "remplissage"
    remplissage.write_bytes(b"\0" * (etat.f_bavail * etat.f_frsize - 16 * 1024))
    monkeypatch.setattr("sys.argv", ["python -m flows", "publier", "--entrepot", str(entrepot_test), "--sortie", "essai"])
    with pytest.raises(SystemExit) as sortie:
        main()
    lu = capsys.readouterr()
    assert sortie.value.code == 1
    assert "Traceback" not in lu.out + lu.err
    # which write meets the full disk first depends on the parallel tasks; some name no file
    assert re.fullmatch(rf"Erreur : disque plein : plus de place pour écrire( dans {re.escape(str(petit_disque))})? ; "
                        r"libérez de la place sur ce disque \(ou choisissez un autre emplacement\) puis relancez la "
                        r"commande\n", lu.err), lu.err
    assert [p.name for p in petit_disque.iterdir()] == ["remplissage"]
    # no file left open there (pyarrow's was, keeping the deleted file's space taken)
    ouverts = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            ouverts.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    assert not [f for f in ouverts if f.startswith(str(petit_disque))]


def test_echec_pendant_qu_un_rapport_s_ecrit_encore(prefect_harness, entrepot_test, tmp_path, monkeypatch):
    """The dashboard fails at once while the reports are still being written: the temporary
    folder is removed only after them (a report used to create rapports/ in it again)."""
    racine = tmp_path / "sorties"
    ecrits: list[str] = []
    dessiner_rapport = rapport.dessiner

    def disque_plein(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    def rapport_lent(lecture, chemin):
        time.sleep(2)
        ecrits.append(lecture.entreprise)
        return dessiner_rapport(lecture, chemin)

    monkeypatch.setattr(tableau_de_bord, "publier", disque_plein)
    monkeypatch.setattr(rapport, "dessiner", rapport_lent)
    with pytest.raises(OSError, match="No space left on device"):
        publication(str(entrepot_test), "essai", str(racine))
    # every report was written, into the temporary folder
    assert sorted(ecrits) == ["Alpha Pharma", "Beta Labo", "Delta <b>Santé</b> & Cie", "Gamma Chimie"]
    assert list(racine.iterdir()) == []  # which was removed after them


def _publier(entrepot: Path, racine: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flows", "publier", "--entrepot", str(entrepot), "--sortie", "essai"],
        cwd=RACINE, env=os.environ | {"HUB_SORTIES": str(racine)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, start_new_session=True)


def test_publication_tuee_puis_relancee(prefect_harness, entrepot_test, tmp_path):
    racine = tmp_path / "sorties"
    publication(str(entrepot_test), "essai", str(racine))
    avant = _contenu(racine / "essai")

    processus = _publier(entrepot_test, racine)
    echeance = time.monotonic() + 180
    while not list(racine.glob("essai.tmp-*/rapports/*.html")):
        assert processus.poll() is None, processus.communicate()
        assert time.monotonic() < echeance, "la publication n'a pas commencé à écrire"
        time.sleep(0.1)
    os.killpg(processus.pid, signal.SIGKILL)
    processus.wait()
    assert _contenu(racine / "essai") == avant  # killed half-way: the previous outputs are intact

    relance = _publier(entrepot_test, racine)
    sortie, erreurs = relance.communicate(timeout=300)
    assert relance.returncode == 0, erreurs.decode()
    apres = _contenu(racine / "essai")
    assert sorted(apres) == sorted(avant)
    assert _deterministe(apres) == _deterministe(avant)
    assert sorted(p.name for p in racine.iterdir()) == ["essai"]  # the dead run's folder was cleaned
