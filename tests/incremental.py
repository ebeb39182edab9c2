"""What the incremental runs are compared with the complete ones on: one more week of
France Travail offers for the demo, and every table of two warehouses, row for row."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb


def semaine_de_plus(demo: Path, zone: Path) -> tuple[Path, int]:
    """One more week in the drop zone ``zone``: the last page of the demo's France Travail
    offers under new identifiers, and the first page's first offer updated (one more
    sentence, the week's update date). Returns the new page and its number of new offers."""
    pages = sorted((demo / "offres-ft").glob("*.json"))
    page = json.loads(pages[-1].read_text(encoding="utf-8"))
    for offre in page["resultats"]:
        offre["id"] = f"{offre['id']}N"
    nouvelles = len(page["resultats"])
    modifiee = json.loads(pages[0].read_text(encoding="utf-8"))["resultats"][0]
    semaine = max(o["dateActualisation"] for o in page["resultats"])
    assert modifiee["dateActualisation"] < semaine
    page["resultats"].append(modifiee | {"description": f"{modifiee['description']} Poste à pourvoir rapidement.",
                                         "dateActualisation": semaine})
    chemin = zone / "offres-ft" / "page-nouvelle.json"
    chemin.parent.mkdir(parents=True)
    chemin.write_text(json.dumps(page), encoding="utf-8")
    return chemin, nouvelles


def tables(chemin: str | Path, schemas: tuple[str, ...] | None = None) -> dict[str, list]:
    """Every table of ``schemas`` (of every schema when None), rows sorted."""
    con = duckdb.connect(str(chemin), read_only=True)
    try:
        noms = [n for n, s in con.execute(
            "select '\"' || table_schema || '\".\"' || table_name || '\"', table_schema from information_schema.tables "
            "order by 1").fetchall() if schemas is None or s in schemas]
        return {n: con.execute(f"select * from {n} order by all").fetchall() for n in noms}  # noqa: S608 (names of the warehouse)
    finally:
        con.close()


def egales(a: object, b: object) -> bool:
    """Equal values, doubles to 1e-9 relative: a few models sum doubles in an order that
    depends on DuckDB's threads (analyse.passerelles: 617.4 in one full run, 617.3999999999999
    in another from the same inputs), so that even two full runs differ in the last bit."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(egales(x, y) for x, y in zip(a, b, strict=True))
    return a == b
