"""The demo's extracts, byte for byte: a refactoring must not change a figure.

``make demo`` (run by ``.ci/run`` before the tests) leaves its warehouse in
``donnees/entrepot.duckdb``; the extracts written from a copy of it with the tests' salt
(pseudonyms « Entreprise A… » follow the salt, which each installation draws at random)
must match ``tests/reference/empreintes-extraits-demo.json``, the columns that hold the
time of the load (the run's clock, not a figure) set aside. A change that alters the
figures on purpose updates the reference in the same commit, after reading the
differences: ``make demo && .venv/bin/python -m tests.test_empreintes_demo``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

from tests.conftest import absent

RACINE = Path(__file__).resolve().parents[1]
ENTREPOT_DEMO = RACINE / "donnees" / "entrepot.duckdb"
REFERENCE = RACINE / "tests" / "reference" / "empreintes-extraits-demo.json"
# columns written from the clock of the run (analyse.sources): the same inputs give other values
HORLOGE = {"premier_chargement", "dernier_chargement"}


def empreinte(fichier: Path) -> str:
    lignes = list(csv.reader(io.StringIO(fichier.read_text(encoding="utf-8-sig")), delimiter=";"))
    gardees = [i for i, nom in enumerate(lignes[0] if lignes else []) if nom not in HORLOGE]
    texte = "\n".join(";".join(ligne[i] for i in gardees) for ligne in lignes)
    return hashlib.sha256(texte.encode()).hexdigest()


def empreintes(dossier: Path) -> dict[str, str]:
    """Hashes of the CSV extracts written from a copy of the demo warehouse (the tests' salt)."""
    from flows.render import extraits

    copie = dossier / "entrepot.duckdb"
    shutil.copyfile(ENTREPOT_DEMO, copie)
    extraits.ecrire(copie, dossier / "extraits")
    return {f.name: empreinte(f) for f in sorted((dossier / "extraits").glob("*.csv"))}


def test_extraits_de_la_demo_identiques_a_la_reference(tmp_path):
    if not ENTREPOT_DEMO.is_file():
        absent(f"entrepôt de la démonstration absent : {ENTREPOT_DEMO} (lancez « make demo »)")
    attendues = json.loads(REFERENCE.read_text(encoding="utf-8"))
    obtenues = empreintes(tmp_path)
    assert sorted(obtenues) == sorted(attendues), "liste des extraits changée"
    differents = sorted(nom for nom in attendues if obtenues[nom] != attendues[nom])
    assert not differents, f"extraits changés par rapport à la référence : {', '.join(differents)}"


if __name__ == "__main__":
    os.environ["HUB_SEL"] = "sel-de-test"  # the salt of the tests (tests/conftest.py)
    with tempfile.TemporaryDirectory() as dossier:
        REFERENCE.write_text(json.dumps(empreintes(Path(dossier)), indent=1, sort_keys=True) + "\n",
                             encoding="utf-8")
    print(f"référence réécrite : {REFERENCE}")
