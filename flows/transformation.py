"""Flow « transformation »: run the SQL models of ``sql/`` in dependency order.

One model per file, ``sql/<couche>/<couche>_<table>.sql`` building ``<couche>.<table>``.
Layers run in order (prep, int, analyse), each in one transaction: a failing model
leaves the layer as it was and names its file in a French error. A few models that SQL
does badly (a bootstrap) are Python functions, run after the SQL models of their layer.
prep reads only brut; int joins prep with the learning stage's outputs (schema ml), so
pipeline.py builds prep, runs the learning, then builds int and analyse.

A model is rebuilt only when something it is built from changed since its last build: its
SQL text (or the Python module), the ``[sql.*]`` variables it reads (the sections of
config/parametres.toml for a Python model), the content of any table it reads (of any
schema), the macros of sql/macros, the DuckDB version, its key declaration in
sql/cles.toml, or the table itself (missing or written by something else). Anything else
it could depend on would make it differ between two full runs too. ``complet`` rebuilds
everything (flows/empreintes_tables.py keeps the fingerprints).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb
from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import cles, empreintes_tables, suivi, warehouse
from flows.config import SQL, parametres
from flows.erreurs import ErreurUtilisateur
from flows.formats import nombre_fr
from flows.manques import signaler

COUCHES = ("prep", "int", "analyse")
_REFERENCE = re.compile(r'\b"?(brut|controle|ml|prep|int|analyse)"?\.([a-z_][a-z0-9_]*)', re.IGNORECASE)
_VARIABLE = re.compile(r"getvariable\('([a-z0-9_]+)'\)")


# layer -> (table, function building it from an open connection)
MODELES_PYTHON = {"analyse": [(suivi.TABLE, suivi.construire)]}


@dataclass(frozen=True)
class EntreesPython:
    """What a Python model reads besides its module: tables, sections of
    config/parametres.toml, and the tables of its layer it adds rows to besides its own."""

    tables: tuple[str, ...]
    sections: tuple[str, ...]
    ecrit_aussi: tuple[str, ...] = ()


# table -> its inputs (tests/test_transformation_incrementale.py checks them against the module)
ENTREES_PYTHON = {suivi.TABLE.replace('"', ""): EntreesPython(
    ("brut.actions_pilote", "int.recrutements", "prep.candidatures"), ("suivi",), ("analyse.seuils",))}


@dataclass
class BilanCouche:
    """What one layer's build did: tables rebuilt (with their seconds), tables reused."""

    construites: dict[str, float] = field(default_factory=dict)
    reutilisees: list[str] = field(default_factory=list)


class ErreurModele(ErreurUtilisateur):
    """A SQL model failed; the message names its file."""


@dataclass(frozen=True)
class Modele:
    fichier: Path
    table: str  # schema.table
    dependances: frozenset[str]  # every table it reads, of any schema


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
    with _en_francais(relatif):
        con.execute(sql)


@contextmanager
def _en_francais(modele: object) -> Iterator[None]:
    """A DuckDB error while building ``modele`` or reading its inputs, as one French line."""
    try:
        yield
    except duckdb.OutOfMemoryException as e:
        raise ErreurModele(f"le modèle {modele} a manqué de mémoire ({str(e).splitlines()[0]}) : augmentez "
                           "memoire_max_transformation dans config/parametres.toml, section [entrepot]") from e
    except duckdb.Error as e:
        raise ErreurModele(f"le modèle {modele} a échoué : {str(e).splitlines()[0]}") from e


def _communes() -> dict[str, object]:
    """What every model is built from besides its own inputs."""
    macros = {f.name: f.read_text(encoding="utf-8") for f in sorted((SQL / "macros").glob("*.sql"))}
    return {"duckdb": duckdb.__version__, "macros": empreintes_tables.condenser(macros)}


def _entrees_sql(modele: Modele, registre: empreintes_tables.Registre, communes: dict[str, object]) -> dict[str, object]:
    sql = modele.fichier.read_text(encoding="utf-8")
    variables = variables_sql()
    return {**communes, "sql": empreintes_tables.condenser(sql),
            "cles": empreintes_tables.condenser(repr(cles.declarees().get(modele.table))),
            "variables": empreintes_tables.condenser({n: variables.get(n) for n in sorted(set(_VARIABLE.findall(sql)))}),
            **{t: registre.contenu(t) for t in sorted(modele.dependances)}}


def _entrees_python(table: str, construire: object, registre: empreintes_tables.Registre,
                    communes: dict[str, object]) -> dict[str, object]:
    declarees = ENTREES_PYTHON[table]
    module = Path(construire.__code__.co_filename).read_text(encoding="utf-8")  # type: ignore[attr-defined]
    reglages = parametres()
    return {**communes, "code": empreintes_tables.condenser(module),
            "cles": empreintes_tables.condenser(repr(cles.declarees().get(table))),
            "parametres": empreintes_tables.condenser({s: reglages.get(s) for s in declarees.sections}),
            **{t: registre.contenu(t) for t in declarees.tables}}


@task(name="construire une couche", task_run_name="couche {couche}", cache_policy=NO_CACHE)
def construire_couche(couche: str, entrepot: str | None = None, complet: bool = False) -> BilanCouche:
    """Rebuild, in one transaction, the models of a layer whose inputs changed (every one
    when ``complet``); returns the tables rebuilt and reused."""
    ordre = modeles(couche)
    par_table = {m.table: m for m in ordre}
    bilan = BilanCouche()
    with warehouse.ouvrir(entrepot) as con, warehouse.transaction(con):
        con.execute(f"set memory_limit = '{parametres()['entrepot']['memoire_max_transformation']}'")
        definir_variables(con)
        registre = empreintes_tables.Registre(con)
        communes = _communes()
        entrees: dict[str, dict[str, object]] = {}

        def construire_sql(modele: Modele) -> None:
            debut = time.perf_counter()
            executer_modele(con, modele)
            bilan.construites[modele.table] = time.perf_counter() - debut
            registre.oublier(modele.table)

        for modele in ordre:
            with _en_francais(modele.fichier.relative_to(SQL.parent)):
                entrees[modele.table] = _entrees_sql(modele, registre, communes)
                a_construire = complet or bool(registre.raisons(modele.table, entrees[modele.table]))
            if a_construire:
                construire_sql(modele)
            else:
                bilan.reutilisees.append(modele.table)
        for table_python, construire in MODELES_PYTHON.get(couche, []):
            table = table_python.replace('"', "")
            ecrites = ENTREES_PYTHON[table].ecrit_aussi
            with _en_francais(f"{table_python} ({construire.__module__})"):
                entrees[table] = _entrees_python(table, construire, registre, communes)
                # the rows it adds to another table vanish when that table is rebuilt
                a_construire = (complet or bool(registre.raisons(table, entrees[table]))
                                or bool(set(ecrites) & bilan.construites.keys()))
            if a_construire:
                for autre in ecrites:  # and its rows must not pile up on those of its last build
                    if autre not in bilan.construites:
                        bilan.reutilisees.remove(autre)
                        construire_sql(par_table[autre])
                debut = time.perf_counter()
                with _en_francais(f"{table_python} ({construire.__module__})"):
                    construire(con)
                bilan.construites[table] = time.perf_counter() - debut
                for ecrite in (table, *ecrites):
                    registre.oublier(ecrite)
            else:
                bilan.reutilisees.append(table)
        # reused tables were checked when built, and neither they nor their declaration changed since
        cles.verifier(con, list(bilan.construites))  # in the transaction: a broken key rolls the layer back
        for table in bilan.construites:
            registre.noter(table, entrees[table])
    return bilan


def manque(entrepot: str | None = None) -> str | None:
    """One French line when the prep layer holds neither an offer nor a requisition (every
    market and company indicator is then empty), or None."""
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        offres, recrutements = con.execute(
            "select (select count(*) from prep.offres), (select count(*) from prep.recrutements)").fetchall()[0]
    if offres or recrutements:
        return None
    return signaler("transformation : aucune offre ni aucun recrutement, indicateurs vides")


def _plus_longues(bilan: BilanCouche, nombre: int = 5) -> str:
    durees = sorted(bilan.construites.items(), key=lambda t: -t[1])[:nombre]
    return ", ".join(f"{table} {nombre_fr(secondes, 1)} s" for table, secondes in durees)


@flow(name="transformation", log_prints=True)
def transformation(entrepot: str | None = None, couches: list[str] | None = None,
                   complet: bool = False) -> dict[str, BilanCouche]:
    """Build the given layers (all by default), in the order of ``COUCHES``, rebuilding only
    the models whose inputs changed unless ``complet``; returns what each layer did."""
    demandees = couches or COUCHES
    inconnues = sorted(set(demandees) - set(COUCHES))
    if inconnues:
        raise ErreurUtilisateur(f"couche inconnue : {', '.join(inconnues)} (couches : {', '.join(COUCHES)})")
    bilans = {}
    for couche in COUCHES:
        if couche in demandees:
            bilans[couche] = bilan = construire_couche(couche, entrepot, complet)
            if bilan.construites:
                print(f"Couche {couche}, modèles les plus longs : {_plus_longues(bilan)}")
    return bilans
