"""Retention of personal data: ``python -m flows purger [--avant DATE]``.

Jobseekers' profiles and candidates' applications are kept ``conservation_mois`` months
(``[donnees_personnelles]`` of config/parametres.toml). The purge deletes the older ones
from every table that holds them row by row (the raw tables and the prep tables built
from them), with the quarantine rows of their sources, in one transaction: a killed purge
deletes nothing. Requisitions and agreed actions are company records, not personal data:
they are kept.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from flows import warehouse
from flows.config import RACINE, parametres
from flows.erreurs import ErreurUtilisateur
from flows.formats import date_fr, nombre_fr
from flows.lecture.valeurs import ValeurInvalide, lire_date

# Sources whose files hold people's data (entreprise: the applications of its workbook).
SOURCES_PERSONNELLES = ("profils", "entreprise")
# An application is as old as its last event.
DATES_CANDIDATURE = ("date_reception", "date_preselection", "date_entretien", "date_proposition",
                     "date_embauche", "date_desistement", "date_refus")


@dataclass
class BilanPurge:
    """What a purge deleted."""

    avant: date
    lignes: dict[str, int] = field(default_factory=dict)  # table -> rows deleted
    rejets: int = 0
    fichiers: list[str] = field(default_factory=list)  # input files still holding purged rows


def mois_avant(jour: date, mois: int) -> date:
    """The same day ``mois`` months earlier (the month's last day when it is shorter)."""
    annee, indice = divmod(jour.year * 12 + jour.month - 1 - mois, 12)
    return date(annee, indice + 1, min(jour.day, calendar.monthrange(annee, indice + 1)[1]))


def date_limite(avant: str | None, aujourd_hui: date | None = None) -> date:
    """The ``--avant`` date, or today minus the retention period; never after today."""
    aujourd_hui = aujourd_hui or date.today()
    if avant is None:
        return mois_avant(aujourd_hui, int(parametres()["donnees_personnelles"]["conservation_mois"]))
    try:
        limite = lire_date(avant)
    except ValeurInvalide as e:
        raise ErreurUtilisateur(f"--avant : {e}") from None
    if limite is None:
        raise ErreurUtilisateur("--avant : date vide (attendu jj/mm/aaaa ou aaaa-mm-jj)")
    if limite > aujourd_hui:
        raise ErreurUtilisateur(f"--avant : le {date_fr(limite)} est après aujourd'hui ; la purge ne "
                                "supprime que des données passées")
    return limite


def tables_personnelles(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every table holding people's rows, with the condition (on one ``?`` date) that
    selects the rows older than it: ``demandeur_hash`` and ``mois`` for profiles,
    ``candidat_hash`` and the stage dates for applications."""
    colonnes: dict[str, set[str]] = {}
    for schema, table, colonne in con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema in ('brut', 'prep', 'int', 'analyse', 'ml')"
    ).fetchall():
        colonnes.setdefault(f'"{schema}"."{table}"', set()).add(colonne)
    conditions = {}
    for table, noms in sorted(colonnes.items()):
        dates = [c for c in DATES_CANDIDATURE if c in noms]
        if {"demandeur_hash", "mois"} <= noms:
            conditions[table] = "mois < ?"
        elif "candidat_hash" in noms and dates:
            conditions[table] = f"greatest({', '.join(dates)}) < ?"
    return conditions


def purger(entrepot: str | None = None, avant: date | None = None) -> BilanPurge:
    """Delete the profiles and applications older than ``avant`` (default: the retention
    period), and the quarantine rows of their sources rejected before it."""
    bilan = BilanPurge(avant or date_limite(None))
    fichiers: set[str] = set()
    with warehouse.ouvrir(entrepot) as con, warehouse.transaction(con):
        for table, condition in tables_personnelles(con).items():
            if table.startswith('"brut"'):
                fichiers |= {f for (f,) in con.execute(
                    f"select distinct _fichier from {table} where {condition}",  # noqa: S608 (names from information_schema)
                    [bilan.avant]).fetchall()}
            supprimees = con.execute(f"delete from {table} where {condition}",  # noqa: S608 (same)
                                     [bilan.avant]).fetchone()
            bilan.lignes[table.replace('"', "")] = supprimees[0] if supprimees else 0
        limite = datetime.combine(bilan.avant, datetime.min.time())
        params = [list(SOURCES_PERSONNELLES), limite]
        fichiers |= {f for (f,) in con.execute(
            "select distinct fichier from controle.rejets where source in (select unnest(?)) and rejete_le < ?",
            params).fetchall()}
        supprimes = con.execute(
            "delete from controle.rejets where source in (select unnest(?)) and rejete_le < ?", params).fetchone()
        bilan.rejets = supprimes[0] if supprimes else 0
    bilan.fichiers = sorted(f for f in fichiers if (RACINE / f).exists())
    return bilan


def resume(bilan: BilanPurge) -> str:
    """French summary of a purge."""
    lignes = [f"Purge des données personnelles antérieures au {date_fr(bilan.avant)} :"]
    lignes += [f"  {table} : {nombre_fr(n)} ligne(s) supprimée(s)" for table, n in bilan.lignes.items()]
    lignes.append(f"  controle.rejets (sources {', '.join(SOURCES_PERSONNELLES)}) : "
                  f"{nombre_fr(bilan.rejets)} ligne(s) en quarantaine supprimée(s)")
    lignes.append("Les recrutements et les actions des entreprises (données d'entreprise, pas de personnes) "
                  "sont conservés. Relancez « python -m flows transformer » pour recalculer les indicateurs.")
    if bilan.fichiers:
        lignes.append("Ces fichiers déposés contiennent encore les données purgées, identifiants en clair : "
                      "supprimez-les ou archivez-les hors du projet (le pipeline ne supprime jamais une entrée) :")
        lignes += [f"  {f}" for f in bilan.fichiers]
    return "\n".join(lignes)
