"""Benchmark of the pipeline against DuckDB alone (the floor) and against what an analyst
would write with pandas, at several numbers of France Travail offers:

    make bench                       # 10 000 and 100 000 offers (under 15 minutes)
    make bench ECHELLE=1000000       # one million (an hour or more, generation included)
    .venv/bin/python bench/mesurer.py --echelles 10000 100000

For each scale, the demo generator writes every source in its real format into
bench/travail/mesurer-<N>/ (kept for the next run; git-ignored), the last week of France
Travail pages is held back, and each step runs in its own process (bench/etapes.py), which
gives its time and its peak resident memory:

- the floor: DuckDB alone reads the pages into a flat table of the same columns;
- the pandas baseline: json.load + json_normalize + the market-tension groupby;
- our ingestion of the France Travail pages alone, into an empty warehouse;
- the whole pipeline, stage by stage in its order (ingestion of every source,
  transformation of prep, learning (a), transformation of int and analyse, learning (b),
  publication), with the tables each stage built (each once in a run);
- the incremental run: the held-back week is added and every stage runs again.

Results are merged by scale into bench/resultats.json and written, with the machine they
ran on, to bench/RESULTATS.md (in French, as every document users read).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
BANC = RACINE / "bench"
TRAVAIL = BANC / "travail"
RESULTATS = BANC / "resultats.json"
RAPPORT = BANC / "RESULTATS.md"
GRAINE = 2026
READ_JSON_JUSQUA = 100_000  # the read_json floor takes ~35 ms per page: not measured above this scale

NOMS = {
    "plancher": "plancher DuckDB (read_json_objects + json_transform)",
    "plancher_read_json": "plancher DuckDB (read_json, schéma explicite)",
    "pandas": "référence pandas (json.load + json_normalize + groupby)",
    "ingestion_ft": "notre ingestion des pages France Travail",
    "incr_ingestion_ft": "notre ingestion, incrémentale (+ 1 semaine)",
    "ingestion": "pipeline : ingestion (toutes sources)",
    "transformation_prep": "pipeline : transformation de prep (SQL)",
    "apprentissage_classement": "pipeline : apprentissage, codes ROME et doublons (ML)",
    "transformation_int_analyse": "pipeline : transformation de int et analyse (SQL)",
    "apprentissage_facteurs": "pipeline : apprentissage, facteurs de difficulté (ML)",
    "publication": "pipeline : publication",
    "incr_ingestion": "incrémental : ingestion",
    "incr_transformation_prep": "incrémental : transformation de prep",
    "incr_apprentissage_classement": "incrémental : codes ROME et doublons",
    "incr_transformation_int_analyse": "incrémental : transformation de int et analyse",
    "incr_apprentissage_facteurs": "incrémental : facteurs de difficulté",
    "incr_publication": "incrémental : publication",
    # measured before the learning stage was split around the int layer (#16): kept for earlier results
    "transformation": "avant #16 : transformation (prep et analyse)",
    "apprentissage": "avant #16 : apprentissage (avec prep et analyse reconstruites)",
    "incr_transformation": "avant #16, incrémental : transformation",
    "incr_apprentissage": "avant #16, incrémental : apprentissage",
}
ANCIENNES_ETAPES = ("transformation", "apprentissage")
# the pipeline's stages in its order (flows/pipeline.py): step key -> (step of etapes.py, its arguments)
ETAPES_PIPELINE = {"ingestion": ("ingestion", {}), "transformation_prep": ("transformation", {"couches": ["prep"]}),
                   "apprentissage_classement": ("apprentissage", {"partie": "classement"}),
                   "transformation_int_analyse": ("transformation", {"couches": ["int", "analyse"]}),
                   "apprentissage_facteurs": ("apprentissage", {"partie": "facteurs"}),
                   "publication": ("publication", {})}


ENVIRONNEMENT = {"HUB_SEL": "sel-du-banc-d-essai", "HUB_SECRETS": str(TRAVAIL / "secrets"),
                 "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL"}


@contextlib.contextmanager
def serveur_prefect() -> Iterator[None]:
    """One Prefect server for every step (as on the Hub's workstation, where it runs all
    the time): without it, each step would start a temporary one, ten seconds each."""
    port = 4299
    env = os.environ | ENVIRONNEMENT | {"PREFECT_HOME": str(TRAVAIL / "prefect")}
    shutil.rmtree(TRAVAIL / "prefect", ignore_errors=True)
    serveur = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    try:
        echeance = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2):  # noqa: S310 (local URL)
                    break
            except OSError:
                if serveur.poll() is not None or time.monotonic() > echeance:
                    raise RuntimeError("le serveur Prefect du banc d'essai n'a pas démarré") from None
                time.sleep(0.5)
        ENVIRONNEMENT["PREFECT_API_URL"] = url
        yield
    finally:
        ENVIRONNEMENT.pop("PREFECT_API_URL", None)
        serveur.terminate()
        serveur.wait(timeout=60)


def executer(etape: str, **arguments) -> dict:
    """Run one step in a child process; its time, peak memory and what it counted."""
    env = os.environ | ENVIRONNEMENT
    with tempfile.TemporaryFile("w+") as sortie, tempfile.TemporaryFile("w+") as erreurs:
        debut = time.perf_counter()
        processus = subprocess.Popen([sys.executable, str(BANC / "etapes.py"), etape, json.dumps(arguments)],
                                     cwd=RACINE, env=env, stdout=sortie, stderr=erreurs, text=True)
        _, statut, usage = os.wait4(processus.pid, 0)  # the child's own rusage (Popen.wait would lose it)
        processus.returncode = os.waitstatus_to_exitcode(statut)
        duree_processus = time.perf_counter() - debut
        sortie.seek(0)
        erreurs.seek(0)
        if processus.returncode != 0:
            raise RuntimeError(f"étape {etape} en échec :\n{erreurs.read()[-3000:]}")
        resultat = json.loads(sortie.read().strip().splitlines()[-1])
    resultat["processus"] = round(duree_processus, 2)
    resultat["memoire_mo"] = round(usage.ru_maxrss / 1024)
    return resultat


def donnees(echelle: int) -> Path:
    """The demo sources at this scale (generated once, in a separate process)."""
    dossier = TRAVAIL / f"mesurer-{echelle}"
    verite = dossier / "verite.json"
    if verite.exists():
        lu = json.loads(verite.read_text(encoding="utf-8"))
        if lu.get("echelle") == echelle and lu.get("graine") == GRAINE:
            return dossier
    print(f"  génération de {echelle:,} offres dans {dossier}…".replace(",", " "), flush=True)
    subprocess.run([sys.executable, "-m", "flows", "generer-demo", "--dossier", str(dossier),
                    "--echelle", str(echelle), "--graine", str(GRAINE)], cwd=RACINE, check=True,
                   stdout=subprocess.DEVNULL)
    return dossier


def zone_de_depot(source: Path, zone: Path) -> list[Path]:
    """A drop zone of hard links to the sources, without the last week of France Travail
    pages; returns the held-back pages (hard links: no copy, the same bytes)."""
    shutil.rmtree(zone, ignore_errors=True)
    for fichier in sorted(source.rglob("*")):
        if fichier.is_file() and not fichier.name.startswith(".") and fichier.name != "verite.json":
            cible = zone / fichier.relative_to(source)
            cible.parent.mkdir(parents=True, exist_ok=True)
            os.link(fichier, cible)
    pages = sorted((zone / "offres-ft").glob("page-*.json"))
    derniere = max(p.name.split("-", 1)[1].rsplit("-", 1)[0] for p in pages)
    semaine = [p for p in pages if p.name.startswith(f"page-{derniere}-")]
    reserve = zone.parent / "semaine-reservee"
    shutil.rmtree(reserve, ignore_errors=True)
    reserve.mkdir()
    for page in semaine:
        page.rename(reserve / page.name)
    return sorted(reserve.iterdir())


def mesurer(echelle: int, executeur: str | None, resultats: dict[str, dict], etapes: str) -> None:
    """The steps at one scale (``etapes``: "ingestion", "pipeline" or "tout"), saved after
    each one (a long run stopped half-way keeps its figures) beside the scale's earlier ones."""
    source = donnees(echelle)
    travail = TRAVAIL / f"mesures-{echelle}"
    semaine = zone_de_depot(source, travail / "entree")
    pages = str(travail / "entree" / "offres-ft")
    demandeurs = str(travail / "entree" / "demandeurs" / "demandeurs-rome-territoire.csv")
    base = str(travail / "entrepot.duckdb")
    sorties = str(travail / "sorties")
    # the trained models of this scale's warehouse, apart from the demo's and the other scales'
    # (a model folder is named after its warehouse file, « entrepot » for all of them)
    modeles = travail / "modeles-ml"
    os.environ["HUB_MODELES_ML"] = str(modeles)
    mesures: dict[str, dict] = resultats.get(str(echelle), {}).get("mesures", {})
    resultats[str(echelle)] = {
        "echelle": echelle, "date": datetime.now().strftime("%d/%m/%Y %H:%M"), "machine": machine(),
        "pages": len(list(Path(pages).glob("*.json"))) + len(semaine),
        "octets_json": sum(p.stat().st_size for p in [*Path(pages).glob("*.json"), *semaine]),
        "pages_semaine": len(semaine), "mesures": mesures}

    def etape(cle: str, nom: str, **arguments) -> None:
        print(f"  {NOMS[cle]}…", end=" ", flush=True)
        mesures[cle] = executer(nom, **arguments)
        construites = f", {mesures[cle]['tables']} table(s) construite(s)" if "tables" in mesures[cle] else ""
        print(f"{mesures[cle]['duree']:.1f} s, {mesures[cle]['memoire_mo']} Mo{construites}", flush=True)
        sauver(resultats)

    if etapes in ("ingestion", "tout"):
        etape("plancher", "plancher", pages=pages, base=str(travail / "plancher.duckdb"))
        if echelle <= READ_JSON_JUSQUA:
            etape("plancher_read_json", "plancher_read_json", pages=pages, base=str(travail / "plancher.duckdb"))
        etape("pandas", "pandas", pages=pages, demandeurs=demandeurs)
        base_ft = str(travail / "offres-ft.duckdb")
        for chemin in (base_ft, base_ft + ".wal"):
            Path(chemin).unlink(missing_ok=True)
        etape("ingestion_ft", "ingestion_ft", pages=pages, base=base_ft, executeur=executeur)
        _ajouter(semaine, pages)
        etape("incr_ingestion_ft", "ingestion_ft", pages=pages, base=base_ft, executeur=executeur)
        _retirer(semaine, pages)
    if etapes not in ("pipeline", "tout"):
        return
    for chemin in (base, base + ".wal"):
        Path(chemin).unlink(missing_ok=True)
    shutil.rmtree(modeles, ignore_errors=True)  # a complete run trains its models, predicts every text
    for prefixe in ("", "incr_"):
        if prefixe:  # the held-back week arrives
            _ajouter(semaine, pages)
        propres = {"ingestion": {"entree": str(travail / "entree")}, "publication": {"sorties": sorties}}
        for cle, (nom, arguments) in ETAPES_PIPELINE.items():
            etape(f"{prefixe}{cle}", nom, base=base, **arguments, **propres.get(cle, {}))
        print(f"  {constructions(mesures, prefixe)}", flush=True)
    _retirer(semaine, pages)


def constructions(mesures: dict, prefixe: str) -> str:
    """How many tables the pipeline's stages built, and any built more than once."""
    compte = Counter(t for cle in ETAPES_PIPELINE for t in mesures.get(f"{prefixe}{cle}", {}).get("construites", []))
    reutilisees = sum(len(mesures.get(f"{prefixe}{cle}", {}).get("reutilisees", [])) for cle in ETAPES_PIPELINE)
    repetees = sorted(t for t, n in compte.items() if n > 1)
    return (f"tables construites : {len(compte)}, "
            + (f"dont plusieurs fois : {', '.join(repetees)}" if repetees else "chacune une fois")
            + (f", réutilisées : {reutilisees} (entrées inchangées)" if reutilisees else ""))


def _ajouter(semaine: list[Path], pages: str) -> None:
    for page in semaine:
        os.link(page, Path(pages) / page.name)


def _retirer(semaine: list[Path], pages: str) -> None:
    for page in semaine:
        (Path(pages) / page.name).unlink()


def sauver(resultats: dict[str, dict]) -> None:
    RESULTATS.write_text(json.dumps(resultats, indent=2, ensure_ascii=False), encoding="utf-8")
    ecrire_rapport(resultats)


def machine() -> dict:
    memoire = next(int(ligne.split()[1]) for ligne in Path("/proc/meminfo").read_text().splitlines()
                   if ligne.startswith("MemTotal"))
    import duckdb
    import pandas
    import prefect

    return {"processeurs": os.cpu_count(), "memoire_go": round(memoire / 1024**2, 1),
            "systeme": platform.platform(), "python": platform.python_version(), "duckdb": duckdb.__version__,
            "prefect": prefect.__version__, "pandas": pandas.__version__,
            "charge_moyenne": [round(x, 2) for x in os.getloadavg()]}


# --------------------------------------------------------------------------- report

def _fr(nombre: float, decimales: int = 1) -> str:
    texte = f"{nombre:,.{decimales}f}".replace(",", " ").replace(".", ",")
    return texte


def _ratio(a: float | None, b: float | None) -> str:
    return "non mesuré" if not a or not b else f"{_fr(a / b, 2)}"


def _duree(mesures: dict, cle: str) -> float | None:
    return mesures[cle]["duree"] if cle in mesures else None


def _total(mesures: dict, prefixe: str) -> float:
    """The pipeline's time: its stages, or those of before #16 for a scale measured only then
    (never both: the old rows kept beside a new measurement would count twice)."""
    etapes = ETAPES_PIPELINE if any(f"{prefixe}{e}" in mesures for e in ETAPES_PIPELINE) else ANCIENNES_ETAPES
    return sum(mesures[f"{prefixe}{e}"]["duree"] for e in etapes if f"{prefixe}{e}" in mesures)


def tableau(resultat: dict) -> list[str]:
    """The measures of one scale as Markdown, then its ratios."""
    m = resultat["mesures"]
    lignes = [f"### {_fr(resultat['echelle'], 0)} offres — {resultat['date']}", "",
              f"{_fr(resultat['pages'], 0)} pages JSON ({_fr(resultat['octets_json'] / 1024**3, 2)} Go) ; "
              f"semaine ajoutée par l'exécution incrémentale : {resultat['pages_semaine']} pages. "
              f"Charge moyenne de la machine au début : {resultat['machine']['charge_moyenne']}.", "",
              "| étape | durée (s) | connexion Prefect (s) | processus entier (s) | mémoire max (Mo) | lignes | "
              "tables construites |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for cle, nom in NOMS.items():
        if cle in m:
            x = m[cle]
            lignes.append(f"| {nom} | {_fr(x['duree'])} | {_fr(x['demarrage']) if 'demarrage' in x else '—'} | "
                          f"{_fr(x['processus'])} | {_fr(x['memoire_mo'], 0)} | "
                          f"{_fr(x['lignes'], 0) if 'lignes' in x else '—'} | "
                          f"{_fr(x['tables'], 0) if 'tables' in x else '—'} |")
    complet, incremental = _total(m, ""), _total(m, "incr_")
    if any("construites" in x for x in m.values()):  # measured since the stages were split (#16)
        lignes += ["", f"Pipeline complet : {constructions(m, '')} ; incrémental : {constructions(m, 'incr_')}."]
    lignes += ["", "| rapport | valeur | cible |", "|---|---:|---|",
               f"| notre ingestion / plancher | {_ratio(_duree(m, 'ingestion_ft'), _duree(m, 'plancher'))} | ≤ 2 |",
               f"| notre ingestion / plancher read_json | "
               f"{_ratio(_duree(m, 'ingestion_ft'), _duree(m, 'plancher_read_json'))} | |",
               f"| pandas / notre ingestion | {_ratio(_duree(m, 'pandas'), _duree(m, 'ingestion_ft'))} | ≥ 3 |",
               f"| incrémental / complet (pipeline) | {_ratio(incremental, complet)} | < 0,10 |",
               f"| incrémental / complet (ingestion de toutes les sources) | "
               f"{_ratio(_duree(m, 'incr_ingestion'), _duree(m, 'ingestion'))} | |",
               f"| incrémental / complet (notre ingestion France Travail) | "
               f"{_ratio(_duree(m, 'incr_ingestion_ft'), _duree(m, 'ingestion_ft'))} | |",
               f"| mémoire max de notre ingestion | {_fr(m['ingestion_ft']['memoire_mo'], 0)} Mo | < 2 000 Mo |"
               if "ingestion_ft" in m else "", ""]
    return lignes


def croissance(resultats: dict[str, dict]) -> list[str]:
    """Time ratios between consecutive scales, beside the ratio of sizes."""
    echelles = sorted(int(e) for e in resultats)
    paires = list(zip(echelles, echelles[1:], strict=False))
    lignes = ["## Croissance avec le volume", "",
              "Rapport des durées entre deux échelles, à comparer au rapport des volumes (linéaire : "
              "le même ; quadratique : son carré).", "",
              "| étape | " + " | ".join(f"{_fr(a, 0)} → {_fr(b, 0)} (×{b // a})" for a, b in paires) + " |",
              "|---|" + "---:|" * len(paires)]
    for cle in ("plancher", "pandas", "ingestion_ft", *ETAPES_PIPELINE, *ANCIENNES_ETAPES):
        cellules = []
        for a, b in paires:
            ma, mb = resultats[str(a)]["mesures"], resultats[str(b)]["mesures"]
            cellules.append(_ratio(_duree(mb, cle), _duree(ma, cle)))
        lignes.append(f"| {NOMS[cle]} | " + " | ".join(cellules) + " |")
    return [*lignes, ""]


def ecrire_rapport(resultats: dict[str, dict]) -> None:
    derniere = max(resultats.values(), key=lambda r: datetime.strptime(r["date"], "%d/%m/%Y %H:%M"))
    m = derniere["machine"]
    texte = ["# Banc d'essai : volumes et passage à l'échelle", "",
             "Produit par `make bench` (bench/mesurer.py) ; chiffres bruts dans bench/resultats.json. "
             "Chaque étape tourne dans son propre processus, client d'un serveur Prefect lancé une fois "
             "pour tout le banc : sa durée est celle du travail (la connexion à Prefect est donnée à part) "
             "et sa mémoire est le maximum résident du processus (`ru_maxrss`).", "",
             f"Machine de la dernière mesure : {m['processeurs']} cœurs, {m['memoire_go']} Go de mémoire, "
             f"{m['systeme']}, Python {m['python']}, DuckDB {m['duckdb']}, Prefect {m['prefect']}, "
             f"pandas {m['pandas']}.", ""]
    if (RAPPORT.parent / "NOTES.md").exists():
        texte += [(RAPPORT.parent / "NOTES.md").read_text(encoding="utf-8").strip(), ""]
    texte += ["## Mesures", ""]
    for echelle in sorted(resultats, key=int):
        texte += tableau(resultats[echelle])
    if len(resultats) > 1:
        texte += croissance(resultats)
    RAPPORT.write_text("\n".join(texte), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--echelles", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--executeur", choices=["local", "dask"], default=None)
    parser.add_argument("--etapes", choices=["ingestion", "pipeline", "tout"], default="tout",
                        help="ingestion : planchers, pandas et notre ingestion ; pipeline : les étapes du pipeline")
    arguments = parser.parse_args()
    TRAVAIL.mkdir(parents=True, exist_ok=True)
    resultats = json.loads(RESULTATS.read_text(encoding="utf-8")) if RESULTATS.exists() else {}
    with serveur_prefect():
        for echelle in arguments.echelles:
            print(f"Échelle {_fr(echelle, 0)} offres", flush=True)
            mesurer(echelle, arguments.executeur, resultats, arguments.etapes)
            print("\n".join(tableau(resultats[str(echelle)])), flush=True)
    if len(resultats) > 1:
        print("\n".join(croissance(resultats)))
    print(f"Écrit : {RAPPORT.relative_to(RACINE)}")


if __name__ == "__main__":
    main()
