"""A load killed half-way (SIGKILL while its transaction is open) leaves the warehouse
exactly as it was, and running it again gives the state of an uninterrupted load."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from flows.config import RACINE
from flows.erreurs import ErreurUtilisateur
from flows.warehouse import connecter


def _etat(chemin) -> list:
    con = duckdb.connect(str(chemin), read_only=True)
    try:
        return [con.execute(f"select * exclude (_charge_le) from brut.{t} order by all").fetchall()
                for t in ("offres_ft", "offres_ft_competences")] + [
            con.execute("select source, fichier, lignes_nouvelles from controle.chargements order by all").fetchall()]
    finally:
        con.close()


def _page(chemin, ids, jour):
    chemin.write_text(json.dumps({"resultats": [
        {"id": i, "intitule": f"Technicien {i}", "dateCreation": f"2025-03-{jour:02d}T08:00:00Z",
         "romeCode": "I1304", "competences": [{"libelle": "GMAO", "exigence": "E"}]} for i in ids]}))


def _ingerer(fichier, entrepot, pause=None):
    """The load as a user starts it; with ``pause``, held open before its commit."""
    module = ["tests.pause_avant_commit", str(pause)] if pause else ["flows"]
    return subprocess.Popen(
        [sys.executable, "-m", *module, "ingerer", "offres-ft", str(fichier), "--entrepot", str(entrepot)],
        cwd=RACINE, env=os.environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)


def test_chargement_tue_a_mi_chemin(tmp_path):
    entrepot = tmp_path / "entrepot.duckdb"
    premiere, seconde = tmp_path / "p1.json", tmp_path / "p2.json"
    _page(premiere, ["A1", "A2"], 1)
    _page(seconde, ["A2", "B1", "B2"], 2)
    con = connecter(entrepot)
    from flows.sources import offres_ft
    from flows.warehouse import charger, contexte
    charger(con, offres_ft.lire(premiere, contexte(con)))
    con.close()
    avant = _etat(entrepot)

    repere = tmp_path / "transaction-ouverte"
    processus = _ingerer(seconde, entrepot, pause=repere)
    echeance = time.monotonic() + 180
    while not repere.exists():
        assert processus.poll() is None, processus.communicate()
        assert time.monotonic() < echeance, "le chargement n'a pas atteint sa transaction"
        time.sleep(0.2)
    os.killpg(processus.pid, signal.SIGKILL)
    processus.wait()
    assert _etat(entrepot) == avant

    relance = _ingerer(seconde, entrepot)
    sortie, erreurs = relance.communicate(timeout=180)
    assert relance.returncode == 0, erreurs.decode()
    assert "3 lue(s), 2 nouvelle(s), 1 mise(s) à jour, 0 inchangée(s)" in sortie.decode()

    # same as a load that was never interrupted
    temoin = tmp_path / "temoin.duckdb"
    con = connecter(temoin)
    for page in (premiere, seconde):
        charger(con, offres_ft.lire(page, contexte(con)))
    con.close()
    sans_provenance = lambda etat: [etat[0], etat[1]]  # noqa: E731
    assert sans_provenance(_etat(entrepot)) == sans_provenance(_etat(temoin))


def test_ecrivain_en_echec_ne_laisse_pas_de_dossier_de_travail(prefect_harness, tmp_path, monkeypatch):
    """The writer fails on the first partition while the others are still being parsed: the
    work folder beside the warehouse is removed only once the parsers have stopped writing
    (they would create it again), and nothing was loaded."""
    from flows.ingestion import ingestion
    from flows.sources import offres_ft_masse

    pages = tmp_path / "pages"
    pages.mkdir()
    for jour in (3, 4, 5):
        _page(pages / f"page-{jour}.json", [f"A{jour}"], jour)
    monkeypatch.setattr("flows.chargement.masse.PARTITION_OCTETS", 1)  # one partition per page
    preparer = offres_ft_masse.preparer
    preparees: list[str] = []

    def preparer_lentement(fichiers, dossier, contexte, memoire):
        if dossier.name != "partition-1":
            time.sleep(2)
        preparees.append(dossier.name)
        return preparer(fichiers, dossier, contexte, memoire)

    def disque_plein(con, paquet):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(offres_ft_masse, "preparer", preparer_lentement)
    monkeypatch.setattr("flows.warehouse.charger_paquet", disque_plein)
    entrepot = tmp_path / "entrepot.duckdb"
    with pytest.raises(ErreurUtilisateur, match="^disque plein : plus de place pour écrire dans "):
        ingestion("offres-ft", [str(pages)], str(entrepot))
    assert sorted(preparees) == ["partition-1", "partition-2", "partition-3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entrepot.duckdb", "pages"]
    assert _etat(entrepot) == [[], [], []]


def test_dossiers_de_travail_des_processus_morts_retires(prefect_harness, tmp_path):
    """Work folders of dead processes (a load killed with SIGKILL) are removed by the next
    load; that of a live process is left alone, and the page loads."""
    from flows.ingestion import ingestion

    mort = subprocess.Popen([sys.executable, "-c", "pass"])
    mort.wait()
    vivant = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        for pid in (mort.pid, vivant.pid):
            reste = tmp_path / f".partitions-{pid}-x1y2" / "partition-1"
            reste.mkdir(parents=True)
            (reste / "offres_ft.parquet").write_bytes(b"PAR1" * 1000)
        page = tmp_path / "page.json"
        _page(page, ["A1"], 1)
        entrepot = tmp_path / "entrepot.duckdb"
        (bilan,) = ingestion("offres-ft", [str(page)], str(entrepot))
        assert bilan["nouvelles"] == 1
        assert [p.name for p in tmp_path.glob(".partitions-*")] == [f".partitions-{vivant.pid}-x1y2"]
    finally:
        vivant.kill()
        vivant.wait()


def test_disque_plein_pendant_ingerer(prefect_harness, tmp_path, petit_disque, monkeypatch):
    """The disk fills up while ``ingerer`` commits: one French line, exit code 1, the
    warehouse as it was; once space is freed, the same command loads the page."""
    from typer.testing import CliRunner

    from flows.cli import app

    # the shipped referentials (10 MB) that ingerer loads first would not fit the 8 MB disk
    monkeypatch.setattr("flows.chargement.fichiers.REFERENTIELS", tmp_path / "aucun-referentiel")
    entrepot = petit_disque / "entrepot.duckdb"
    premiere, grosse = tmp_path / "p1.json", tmp_path / "grosse.json"
    _page(premiere, ["A1"], 1)
    grosse.write_text(json.dumps({"resultats": [
        {"id": f"G{i}", "intitule": "Technicien", "dateCreation": "2025-03-02T08:00:00Z",
         "description": os.urandom(2500).hex()} for i in range(200)]}))  # 1 MB that DuckDB cannot compress
    runner = CliRunner()
    assert runner.invoke(app, ["ingerer", "offres-ft", str(premiere), "--entrepot", str(entrepot)]).exit_code == 0
    avant = _etat(entrepot)
    etat = os.statvfs(petit_disque)
    remplissage = petit_disque / "remplissage"
    remplissage.write_bytes(b"\0" * (etat.f_bavail * etat.f_frsize - 64 * 1024))

    resultat = runner.invoke(app, ["ingerer", "offres-ft", str(grosse), "--entrepot", str(entrepot)])
    assert resultat.exit_code == 1
    assert resultat.stderr.splitlines() == [
        f"Erreur : disque plein : plus de place pour écrire dans {petit_disque} ; libérez de la place sur ce "
        "disque puis relancez le chargement (l'entrepôt est resté tel qu'il était avant le fichier en cours ; "
        "les fichiers déjà chargés le restent)"]
    remplissage.unlink()
    assert _etat(entrepot) == avant
    encore = runner.invoke(app, ["ingerer", "offres-ft", str(grosse), "--entrepot", str(entrepot)])
    assert encore.exit_code == 0, encore.output
    assert "200 lue(s), 200 nouvelle(s)" in encore.output


def test_disque_plein_au_commit_n_est_plus_un_echec_de_rollback(tmp_path, petit_disque):
    """DuckDB reports a commit that hits a full disk as « cannot rollback - no transaction is
    active » (the rollback that follows fails too): the full disk is found in its context."""
    from flows.chargement.un_fichier import disque_plein_en_francais
    from flows.sources import offres_ft
    from flows.warehouse import charger, contexte

    entrepot = petit_disque / "entrepot.duckdb"
    grosse = tmp_path / "grosse.json"
    grosse.write_text(json.dumps([{"id": f"G{i}", "intitule": "Technicien", "dateCreation": "2025-03-02T08:00:00Z",
                                   "description": os.urandom(2500).hex()} for i in range(200)]))
    con = connecter(entrepot)
    try:
        etat = os.statvfs(petit_disque)
        (petit_disque / "remplissage").write_bytes(b"\0" * (etat.f_bavail * etat.f_frsize - 64 * 1024))
        with pytest.raises(ErreurUtilisateur, match=r"^disque plein : plus de place pour écrire dans ") as erreur, \
                disque_plein_en_francais(str(entrepot)):
            charger(con, offres_ft.lire(grosse, contexte(con)))
        assert "cannot rollback - no transaction is active" in str(erreur.value.__cause__)
    finally:
        con.close()
    (petit_disque / "remplissage").unlink()
    assert _etat(entrepot) == [[], [], []]
