"""Flow « transformation »: run the SQL models of ``sql/`` in dependency order.

One model per file, ``sql/<couche>/<couche>_<table>.sql`` building ``<couche>.<table>``.
Layers run in order (prep, int, analyse), each in one transaction: a failing model
leaves the layer as it was and names its file in a French error. A few models that SQL
does badly (a bootstrap) are Python functions, run after the SQL models of their layer.
prep reads only brut; int joins prep with the learning stage's outputs (schema ml), so
pipeline.py builds prep, runs the learning, then builds int and analyse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb
from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import cles, suivi, warehouse
from flows.config import SQL, parametres
from flows.erreurs import ErreurUtilisateur
from flows.manques import signaler

COUCHES = ("prep", "int", "analyse")
_REFERENCE = re.compile(r'\b"?(prep|int|analyse)"?\.([a-z_][a-z0-9_]*)', re.IGNORECASE)
_VARIABLE = re.compile(r"getvariable\('([a-z0-9_]+)'\)")


# layer -> (table, function building it from an open connection)
MODELES_PYTHON = {"analyse": [(suivi.TABLE, suivi.construire)]}


class ErreurModele(ErreurUtilisateur):
    """A SQL model failed; the message names its file."""


@dataclass(frozen=True)
class Modele:
    fichier: Path
    table: str  # schema.table
    dependances: frozenset[str]


def _sans_commentaires(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def modeles(couche: str) -> list[Modele]:
    """The models of one layer, sorted so that each runs after the tables it reads."""
    trouves = []
    for fichier in sorted((SQL / couche).glob("*.sql")):
        table = f"{couche}.{fichier.stem.removeprefix(couche + '_')}"
        lues = {f"{s.lower()}.{t.lower()}" for s, t in _REFERENCE.findall(_sans_commentaires(fichier.read_text()))}
        trouves.append(Modele(fichier, table, frozenset(lues - {table})))
    par_table = {m.table: m for m in trouves}
    # sorted, so that models ready at the same time run in the same order whatever the hash seed
    graphe = {m.table: sorted(d for d in m.dependances if d in par_table) for m in trouves}
    try:
        ordre = list(TopologicalSorter(graphe).static_order())
    except CycleError as e:
        raise ErreurModele(f"dépendance circulaire entre modèles SQL : {' → '.join(e.args[1])}") from e
    return [par_table[t] for t in ordre]


def variables_sql() -> dict[str, object]:
    """Thresholds of ``[sql.*]`` in config/parametres.toml, named ``section_cle``."""
    return {f"{section}_{cle}": valeur
            for section, valeurs in parametres().get("sql", {}).items()
            for cle, valeur in valeurs.items()}


def definir_variables(con: duckdb.DuckDBPyConnection) -> None:
    for nom, valeur in variables_sql().items():
        con.execute(f"set variable {nom} = ?", [valeur])


def executer_modele(con: duckdb.DuckDBPyConnection, modele: Modele) -> None:
    sql = modele.fichier.read_text(encoding="utf-8")
    relatif = modele.fichier.relative_to(SQL.parent)
    inconnues = sorted(set(_VARIABLE.findall(sql)) - set(variables_sql()))
    if inconnues:
        raise ErreurModele(f"le modèle {relatif} lit des paramètres absents de config/parametres.toml : "
                           + ", ".join(inconnues))
    try:
        con.execute(sql)
    except duckdb.OutOfMemoryException as e:
        raise ErreurModele(f"le modèle {relatif} a manqué de mémoire ({str(e).splitlines()[0]}) : augmentez "
                           "memoire_max_transformation dans config/parametres.toml, section [entrepot]") from e
    except duckdb.Error as e:
        raise ErreurModele(f"le modèle {relatif} a échoué : {str(e).splitlines()[0]}") from e


@task(name="construire une couche", task_run_name="couche {couche}", cache_policy=NO_CACHE)
def construire_couche(couche: str, entrepot: str | None = None) -> list[str]:
    """Rebuild every model of a layer in one transaction; returns the tables built."""
    ordre = modeles(couche)
    with warehouse.ouvrir(entrepot) as con, warehouse.transaction(con):
        con.execute(f"set memory_limit = '{parametres()['entrepot']['memoire_max_transformation']}'")
        definir_variables(con)
        for modele in ordre:
            executer_modele(con, modele)
        for table, construire in MODELES_PYTHON.get(couche, []):
            try:
                construire(con)
            except duckdb.Error as e:
                raise ErreurModele(f"le modèle {table} ({construire.__module__}) a échoué : "
                                   f"{str(e).splitlines()[0]}") from e
        tables = [m.table for m in ordre] + [t.replace('"', "") for t, _ in MODELES_PYTHON.get(couche, [])]
        cles.verifier(con, tables)  # in the transaction: a broken key rolls the layer back
    return tables


def manque(entrepot: str | None = None) -> str | None:
    """One French line when the prep layer holds neither an offer nor a requisition (every
    market and company indicator is then empty), or None."""
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        offres, recrutements = con.execute(
            "select (select count(*) from prep.offres), (select count(*) from prep.recrutements)").fetchall()[0]
    if offres or recrutements:
        return None
    return signaler("transformation : aucune offre ni aucun recrutement, indicateurs vides")


@flow(name="transformation", log_prints=True)
def transformation(entrepot: str | None = None, couches: list[str] | None = None) -> dict[str, list[str]]:
    """Build the given layers (all by default), in the order of ``COUCHES``; returns the
    tables built per layer, each once."""
    demandees = couches or COUCHES
    inconnues = sorted(set(demandees) - set(COUCHES))
    if inconnues:
        raise ErreurUtilisateur(f"couche inconnue : {', '.join(inconnues)} (couches : {', '.join(COUCHES)})")
    return {couche: construire_couche(couche, entrepot) for couche in COUCHES if couche in demandees}
