"""One measured step of bench/mesurer.py, run in its own process so that its time and its
peak memory are its own:

    .venv/bin/python bench/etapes.py ETAPE '{"argument": ...}'

The last line printed is a JSON object: ``duree`` (seconds of work, without the start of
Prefect, which ``demarrage`` gives) and what the step counted.
"""

from __future__ import annotations

import glob
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


def _pages(dossier: str) -> list[str]:
    return sorted(glob.glob(str(Path(dossier) / "*.json")))


def _colonnes_plates() -> str:
    """The fields the loader keeps, as flat columns (raw text, as DuckDB reads them)."""
    from flows.sources.offres_ft_masse import CHAMPS

    return ", ".join("o." + ".".join(f'"{p}"' for p in chemin.split(".")) + f' as "{colonne}"'
                     for chemin, colonne, _ in CHAMPS)


def _duckdb(base: str):
    import duckdb

    from flows.config import parametres

    for chemin in (base, base + ".wal"):
        Path(chemin).unlink(missing_ok=True)
    con = duckdb.connect(base)
    regles = parametres()["entrepot"]
    con.execute(f"set memory_limit = '{regles['memoire_max']}'")
    con.execute(f"set threads = {int(regles['threads'])}")
    return con


def plancher(pages: str, base: str) -> dict[str, Any]:
    """DuckDB alone: the pages into a flat table of the same columns, the fastest way
    found here (``read_json_objects`` + ``json_transform``), written to a database file."""
    from flows.sources.offres_ft_masse import STRUCTURE

    con = _duckdb(base)
    debut = time.perf_counter()
    con.execute(f"""
        create table offres as
        select {_colonnes_plates()}
        from (select unnest(json_transform(json, ?).resultats) as o from read_json_objects(?, format = 'unstructured'))
    """, [STRUCTURE, _pages(pages)])  # noqa: S608 (columns from the code)
    con.close()
    duree = time.perf_counter() - debut
    return {"duree": duree, "lignes": _compter(base)}


def plancher_read_json(pages: str, base: str) -> dict[str, Any]:
    """The same with ``read_json`` and an explicit schema (about 35 ms per file here)."""
    from flows.sources.offres_ft_masse import STRUCTURE

    con = _duckdb(base)
    schema = con.execute("select typeof(json_transform('{}'::json, ?).resultats)", [STRUCTURE]).fetchall()[0][0]
    debut = time.perf_counter()
    con.execute(f"""
        create table offres as
        select {_colonnes_plates()}
        from (select unnest(resultats) as o from read_json(?, columns = {{'resultats': '{schema}'}}))
    """, [_pages(pages)])  # noqa: S608 (columns from the code)
    con.close()
    return {"duree": time.perf_counter() - debut, "lignes": _compter(base)}


def _compter(base: str) -> int:
    import duckdb

    con = duckdb.connect(base, read_only=True)
    try:
        return con.execute("select count(*) from offres").fetchall()[0][0]
    finally:
        con.close()


def pandas(pages: str, demandeurs: str) -> dict[str, Any]:
    """What an analyst would write: json.load of each page, json_normalize, the latest
    version of each offer, offers per ROME × département × month against the jobseekers
    who entered category A (the market-tension ratio)."""
    import pandas as pd

    debut = time.perf_counter()
    morceaux = []
    for page in _pages(pages):
        with open(page, encoding="utf-8") as f:
            morceaux.append(pd.json_normalize(json.load(f)["resultats"]))
    offres = pd.concat(morceaux, ignore_index=True)
    offres["version"] = offres["dateActualisation"].fillna(offres["dateCreation"])
    offres = offres.sort_values("version").drop_duplicates("id", keep="last")
    offres["departement"] = offres["lieuTravail.libelle"].str[:2]
    offres["periode"] = offres["dateCreation"].str[:7]
    marche = offres.groupby(["romeCode", "departement", "periode"]).size().rename("offres").reset_index()
    stat = pd.read_csv(demandeurs, sep=";", dtype=str)
    stat = stat[(stat["type_territoire"] == "DEP") & (stat["type_periode"] == "MOIS") & (stat["categorie"] == "A")]
    stat = stat.assign(entrees=stat["entrees"].astype(float)).rename(
        columns={"code_rome": "romeCode", "code_territoire": "departement"})
    tension = marche.merge(stat[["romeCode", "departement", "periode", "entrees"]], how="left")
    tension["offres_par_entree"] = tension["offres"] / tension["entrees"]
    return {"duree": time.perf_counter() - debut, "lignes": len(offres), "cellules": len(tension)}


def _prefect_pret() -> float:
    """Reach Prefect (the bench's server, or a temporary one) now, so that the step's time is its work only."""
    from prefect import flow

    @flow(name="banc d'essai")
    def rien() -> None:
        return None

    debut = time.perf_counter()
    rien()
    return time.perf_counter() - debut


def ingestion_ft(pages: str, base: str, executeur: str | None = None) -> dict[str, Any]:
    from flows.ingestion import ingestion

    demarrage = _prefect_pret()
    debut = time.perf_counter()
    bilans = ingestion("offres-ft", [pages], base, None, executeur)
    return {"duree": time.perf_counter() - debut, "demarrage": demarrage,
            "lignes": sum(b["lignes_lues"] for b in bilans), "fichiers": len(bilans),
            "deja_charges": sum(b["deja_charge"] for b in bilans)}


def ingestion(entree: str, base: str) -> dict[str, Any]:
    from flows.config import REFERENTIELS
    from flows.ingestion import ingestion_complete

    demarrage = _prefect_pret()
    debut = time.perf_counter()
    bilans = ingestion_complete([str(REFERENTIELS), entree], base)
    return {"duree": time.perf_counter() - debut, "demarrage": demarrage,
            "lignes": sum(b["lignes_lues"] for b in bilans), "fichiers": len(bilans),
            "deja_charges": sum(b["deja_charge"] for b in bilans)}


def transformation(base: str, couches: list[str] | None = None, complet: bool = False) -> dict[str, Any]:
    """The layers given (all by default); ``construites``: the tables built (with their
    seconds in ``durees``), to count builds; ``reutilisees``: those kept (inputs unchanged)."""
    from flows.transformation import transformation as flux

    demarrage = _prefect_pret()
    debut = time.perf_counter()
    bilans = flux(base, couches, complet)
    durees = {t: round(s, 2) for b in bilans.values() for t, s in b.construites.items()}
    return {"duree": time.perf_counter() - debut, "demarrage": demarrage, "tables": len(durees),
            "construites": list(durees), "durees": durees,
            "reutilisees": [t for b in bilans.values() for t in b.reutilisees]}


def apprentissage(base: str, partie: str = "tout") -> dict[str, Any]:
    """One part of the learning stage: « classement » (a), « facteurs » (b) or both."""
    from flows import learning

    flux = {"classement": learning.classement_et_doublons, "facteurs": learning.facteurs,
            "tout": learning.apprentissage}[partie]
    demarrage = _prefect_pret()
    debut = time.perf_counter()
    flux(base)
    return {"duree": time.perf_counter() - debut, "demarrage": demarrage, "tables": 0, "construites": []}


def publication(base: str, sorties: str) -> dict[str, Any]:
    from flows.publication import publication as flux

    demarrage = _prefect_pret()
    debut = time.perf_counter()
    flux(base, "banc", sorties)
    return {"duree": time.perf_counter() - debut, "demarrage": demarrage}


ETAPES = {f.__name__: f for f in (plancher, plancher_read_json, pandas, ingestion_ft, ingestion, transformation,
                                   apprentissage, publication)}

if __name__ == "__main__":
    resultat = ETAPES[sys.argv[1]](**json.loads(sys.argv[2]))
    print(json.dumps(resultat))
