"""Fingerprints of the outputs (flows/render/empreintes.py): equal figures give equal
fingerprints, and a file is copied from the earlier run only when its fingerprint is the
same and the file is still the one that run wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from flows.render.empreintes import (
    MANIFESTE,
    Sortie,
    ecrire_manifeste,
    empreinte,
    sha256_fichier,
    trouver_anterieur,
)


def test_empreinte_des_chiffres():
    table = pd.DataFrame({"metier": ["I1304", "H2301"], "delai": [40.0, None], "canaux": [["a", "b"], []]})
    assert empreinte(table, {"b": 1, "a": [2, 3]}) == empreinte(table.copy(), {"a": [2, 3], "b": 1})
    assert empreinte(table) != empreinte(table.assign(delai=[41.0, None]))
    assert empreinte(table) != empreinte(table.assign(canaux=[["a"], ["b"]]))
    # a value is hashed with its type and length: no two sequences run together
    assert empreinte("ab", "c") != empreinte("a", "bc")
    assert empreinte(1) != empreinte("1")


def _run(racine: Path, nom: str, entrepot: Path, texte: str, trace: str = "e1") -> Path:
    dossier = racine / nom
    (dossier / "rapports").mkdir(parents=True)
    fichiers = (dossier / "rapports" / "alpha.html", dossier / "rapports" / "alpha.pdf")
    for f in fichiers:
        f.write_text(f"{texte} {f.suffix}")
    ecrire_manifeste(dossier, entrepot, [Sortie("rapport:Alpha", trace, fichiers, False)])
    return dossier


def test_reprise_du_dernier_run_du_meme_entrepot(tmp_path):
    racine, entrepot = tmp_path / "sorties", tmp_path / "entrepot.duckdb"
    _run(racine, "lundi", entrepot, "lundi")
    _run(racine, "mardi", entrepot, "mardi")
    _run(racine, "reel", tmp_path / "reel.duckdb", "autre entrepôt")  # latest, but another warehouse
    (racine / "mardi.tmp-12").mkdir()
    (racine / "mardi.tmp-12" / MANIFESTE).write_text("{pas du json")
    anterieur = trouver_anterieur(racine, entrepot)
    assert anterieur is not None and anterieur.dossier == racine / "mardi"
    assert json.loads((racine / "mardi" / MANIFESTE).read_text())["sorties"]["rapport:Alpha"]["fichiers"] == {
        "rapports/alpha.html": sha256_fichier(racine / "mardi" / "rapports" / "alpha.html"),
        "rapports/alpha.pdf": sha256_fichier(racine / "mardi" / "rapports" / "alpha.pdf")}

    nouveau = tmp_path / "nouveau"
    cibles = [nouveau / "rapports" / "alpha-pharma.html", nouveau / "rapports" / "alpha-pharma.pdf"]
    assert not anterieur.reprendre("rapport:Alpha", "e2", cibles)  # other figures
    assert not anterieur.reprendre("rapport:Beta", "e1", cibles)  # not in the earlier run
    assert not anterieur.reprendre("rapport:Alpha", "e1", cibles[:1])  # no PDF wanted now (no Chromium): not the same output
    assert not nouveau.exists()
    assert anterieur.reprendre("rapport:Alpha", "e1", cibles)
    assert [f.read_text() for f in cibles] == ["mardi .html", "mardi .pdf"]


def test_fichier_modifie_depuis_redessine(tmp_path):
    racine, entrepot = tmp_path / "sorties", tmp_path / "entrepot.duckdb"
    dossier = _run(racine, "lundi", entrepot, "lundi")
    (dossier / "rapports" / "alpha.pdf").write_text("retouché à la main")
    cibles = [tmp_path / "n" / "alpha.html", tmp_path / "n" / "alpha.pdf"]
    assert not trouver_anterieur(racine, entrepot).reprendre("rapport:Alpha", "e1", cibles)
    assert not (tmp_path / "n").exists()


def test_manifeste_hors_du_dossier_refuse(tmp_path):
    """A manifest naming a file outside its run's folder copies nothing from there."""
    racine, entrepot = tmp_path / "sorties", tmp_path / "entrepot.duckdb"
    dossier = _run(racine, "lundi", entrepot, "lundi")
    secret = tmp_path / "secret.html"
    secret.write_text("hors des sorties")
    manifeste = json.loads((dossier / MANIFESTE).read_text())
    manifeste["sorties"]["rapport:Alpha"]["fichiers"] = {"../../secret.html": sha256_fichier(secret)}
    (dossier / MANIFESTE).write_text(json.dumps(manifeste))
    assert not trouver_anterieur(racine, entrepot).reprendre("rapport:Alpha", "e1", [tmp_path / "n" / "a.html"])
    assert not (tmp_path / "n").exists()
