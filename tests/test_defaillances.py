"""Faults with real processes: a transformation killed (SIGKILL) inside its transaction
leaves the warehouse as it was and a rerun gives the state of an uninterrupted run; a
second writer waits for the warehouse lock, then gives up with one French line and
leaves the warehouse intact. (A killed load: tests/test_atomicite.py.)"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

import duckdb

from flows.config import CONFIG, RACINE
from flows.sources import lecteur
from flows.transformation import COUCHES, construire_couche
from flows.warehouse import charger, connecter, contexte


def _etat(chemin) -> dict[str, list]:
    """Every row of every table, sorted: two warehouses in the same state compare equal."""
    con = duckdb.connect(str(chemin), read_only=True)
    try:
        tables = con.execute("select table_schema, table_name from information_schema.tables "
                             "where table_catalog = current_database() order by all").fetchall()
        return {f"{s}.{t}": con.execute(f'select * from "{s}"."{t}" order by all').fetchall() for s, t in tables}
    finally:
        con.close()


def _charger(entrepot, source, *fichiers):
    con = connecter(entrepot)
    try:
        for fichier in fichiers:
            charger(con, lecteur(source)(fichier, contexte(con, b"sel-de-test")))
    finally:
        con.close()


def _page(chemin, *offres):
    chemin.write_text(json.dumps([{"id": i, "intitule": f"Technicien {i}", "dateCreation": f"2025-03-{jour:02d}T08:00:00Z",
                                   "romeCode": "I1304", "lieuTravail": {"commune": "21231"}} for i, jour in offres]))
    return chemin


def _commande(*arguments, pause=None, **env):
    """``python -m flows ARGUMENTS``; with ``pause``, every transaction waits before its
    commit once that file is written (tests/pause_avant_commit.py)."""
    module = ["tests.pause_avant_commit", str(pause)] if pause else ["flows"]
    return subprocess.Popen([sys.executable, "-m", *module, *map(str, arguments)], cwd=RACINE,
                            env=os.environ | env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def _attendre(repere, processus, delai=180):
    echeance = time.monotonic() + delai
    while not repere.exists():
        assert processus.poll() is None, processus.communicate()
        assert time.monotonic() < echeance, "le traitement n'a pas atteint sa transaction"
        time.sleep(0.2)


def _construire(entrepot):
    for couche in COUCHES:
        construire_couche.fn(couche, str(entrepot))


def test_transformation_tuee_puis_relancee(tmp_path):
    entrepot = tmp_path / "entrepot.duckdb"
    _charger(entrepot, "offres-ft", _page(tmp_path / "mars.json", ("A1", 3), ("A2", 4)))
    _construire(entrepot)
    profils = tmp_path / "profils.csv"
    profils.write_text("identifiant;mois;code_rome;commune;categorie;niveau_diplome;experience_annees;permis_b;"
                       "rayon_mobilite_km\nDE-1;2025-03;I1304;21231;A;Bac+2;4;oui;30\n")
    _charger(entrepot, "offres-ft", _page(tmp_path / "avril.json", ("A2", 4), ("B1", 10)))
    _charger(entrepot, "profils", profils)
    temoin = tmp_path / "temoin.duckdb"
    shutil.copy(entrepot, temoin)
    avant = _etat(entrepot)
    assert avant["prep.offres"] and not avant["prep.profils"]  # the new rows are not transformed yet

    repere = tmp_path / "transaction-ouverte"
    processus = _commande("transformer", "--entrepot", entrepot, pause=repere)
    _attendre(repere, processus)
    os.killpg(processus.pid, signal.SIGKILL)
    processus.wait()
    assert _etat(entrepot) == avant

    _construire(entrepot)
    _construire(temoin)  # the same history, never interrupted
    apres = _etat(entrepot)
    assert apres == _etat(temoin)
    assert len(apres["prep.offres"]) == 3 and len(apres["prep.profils"]) == 1


def _parametres(tmp_path, attente: int):
    """A copy of config/parametres.toml with another lock wait."""
    texte = (CONFIG / "parametres.toml").read_text(encoding="utf-8")
    texte, n = re.subn(r"(?m)^attente_verrou_secondes = .*$", f"attente_verrou_secondes = {attente}", texte)
    assert n == 1
    chemin = tmp_path / "parametres.toml"
    chemin.write_text(texte, encoding="utf-8")
    return str(chemin)


def test_second_ecrivain_attend_le_verrou_puis_abandonne(tmp_path):
    entrepot = tmp_path / "entrepot.duckdb"
    _charger(entrepot, "offres-ft", _page(tmp_path / "mars.json", ("A1", 3)))
    avant = _etat(entrepot)
    parametres = _parametres(tmp_path, 2)
    occupant = duckdb.connect(str(entrepot))  # a writer that keeps the warehouse
    try:
        occupant.execute("begin transaction")
        occupant.execute("delete from brut.offres_ft")  # uncommitted: must never be seen
        ingestion = _commande("ingerer", "offres-ft", _page(tmp_path / "avril.json", ("B1", 10)),
                              "--entrepot", entrepot, HUB_PARAMETRES=parametres)
        sortie, erreurs = ingestion.communicate(timeout=180)
        # the purge needs no Prefect server: it shows the wait itself
        debut = time.monotonic()
        purge = _commande("purger", "--entrepot", entrepot, HUB_PARAMETRES=parametres)
        purge_sortie, purge_erreurs = purge.communicate(timeout=60)
        duree = time.monotonic() - debut
    finally:
        occupant.close()  # closing without commit rolls the deletion back
    message = (f"Erreur : entrepôt occupé : un autre traitement écrit dans {entrepot} depuis plus de 2 s ; "
               "réessayez quand il sera terminé")
    assert (ingestion.returncode, sortie.decode(), erreurs.decode().strip()) == (1, "", message)
    assert (purge.returncode, purge_sortie.decode(), purge_erreurs.decode().strip()) == (1, "", message)
    assert 2 <= duree < 45  # gave up after its 2 s (plus the start of a Python process on a busy machine)
    assert _etat(entrepot) == avant


def test_second_ecrivain_passe_quand_le_verrou_se_libere(tmp_path):
    entrepot = tmp_path / "entrepot.duckdb"
    _charger(entrepot, "offres-ft", _page(tmp_path / "mars.json", ("A1", 3)))
    occupant = duckdb.connect(str(entrepot))
    threading.Timer(2.0, occupant.close).start()  # the first writer finishes after 2 s
    debut = time.monotonic()
    purge = _commande("purger", "--avant", "2025-01-01", "--entrepot", entrepot, HUB_PARAMETRES=_parametres(tmp_path, 30))
    sortie, erreurs = purge.communicate(timeout=60)
    assert purge.returncode == 0, erreurs.decode()
    assert time.monotonic() - debut >= 2
    assert sortie.decode().startswith("Purge des données personnelles antérieures au 01/01/2025 :")
