"""Benchmark of the cross-source deduplication (flows/ml/doublons.py): time and memory at
two scales of the demo generator, to show that the work grows far below the square of the
number of offers (blocking, no all-pairs comparison).

    .venv/bin/python bench/ml_doublons.py                 # 10 000 and 100 000 offers
    .venv/bin/python bench/ml_doublons.py --echelles 2000 20000

For each scale: the demo files are generated in bench/travail/ (git-ignored), parsed by
the project's loaders (France Travail pages: the latest version of each offer; board
exports), then deduplicated as the learning flow does; the v3 occupation of the board
offers is the generator's (the classifier is measured elsewhere). Prints offers, pairs
compared, time, the Python memory peak of the deduplication (a second, traced run) and
the process's maximum resident size (parsing included), the precision and recall against the planted duplicates, and the ratio of
times against the ratio of sizes (linear: the same; quadratic: its square).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.config import REFERENTIELS  # noqa: E402
from flows.demo import generer  # noqa: E402
from flows.lecture.lots import Contexte  # noqa: E402
from flows.ml import doublons  # noqa: E402
from flows.ml.communs import regles  # noqa: E402
from flows.sources import lecteur  # noqa: E402

TRAVAIL = Path(__file__).resolve().parent / "travail"
SOURCES = {"offres-ft": "france-travail", "emploi-bfc": "emploi-bfc", "ats-talentis": "ats-talentis"}


def offres(dossier: Path, verite: dict) -> pd.DataFrame:
    """The demo offers in the columns the deduplication reads, parsed by the loaders."""
    contexte = Contexte()
    ft = pd.DataFrame([ligne for page in sorted((dossier / "offres-ft").glob("*.json"))
                       for table in lecteur("offres-ft")(page, contexte).tables if table.nom == "brut.offres_ft"
                       for ligne in table.lignes])
    ft = ft.sort_values("_version").drop_duplicates("offre_id", keep="last")
    codes = pd.read_csv(next(REFERENTIELS.rglob("unix_referentiel_code_rome_*.csv")), dtype=str)
    parents = dict(zip(codes.code_rome, codes.code_rome_parent.fillna(codes.code_rome), strict=True))
    ft = ft.assign(source="france-travail", rome_code_parent=ft.rome_code.map(parents),
                   departement=ft.commune_insee.str[:2].fillna(ft.lieu_libelle.str[:2]))
    fichiers = pd.DataFrame([ligne for fichier in sorted((dossier / "offres-fichier").iterdir())
                             for table in lecteur("offres-fichier")(fichier, contexte).tables
                             for ligne in table.lignes])
    metier = {(source, identifiant): rome for source, identifiant, rome in verite["rome_offres_fichier"]}
    fichiers = fichiers.assign(source=fichiers.plateforme, departement=fichiers.commune_insee.str[:2],
                               rome_code_parent=[metier.get(c) for c in zip(fichiers.plateforme, fichiers.offre_id,
                                                                             strict=True)])
    colonnes = doublons.COLONNES + ["latitude", "longitude"]
    return pd.concat([ft, fichiers], ignore_index=True).reindex(columns=colonnes)


def mesurer(echelle: int) -> dict:
    dossier = TRAVAIL / f"demo-{echelle}"
    verite = json.loads(generer(dossier, graine=2026, echelle=echelle).read_text(encoding="utf-8"))
    tableau = offres(dossier, verite)
    debut = time.perf_counter()
    resultat = doublons.dedoublonner(tableau, regles()["doublons"])
    duree = time.perf_counter() - debut
    tracemalloc.start()  # a second run for the memory peak: tracing slows Python down
    doublons.dedoublonner(tableau, regles()["doublons"])
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cles = (tableau.source + ":" + tableau.offre_id).to_numpy()
    vraies = doublons.paires_de_grappes([[f"{SOURCES[x['source']]}:{x['id']}" for x in g]
                                         for g in verite["doublons"]["grappes"]])
    qualite = doublons.precision_rappel(doublons.paires_de_grappes(doublons.grappes(cles, resultat.doublon_de)),
                                        vraies)
    return {"echelle": echelle, "offres": len(tableau), "paires_comparees": resultat.paires_comparees,
            "secondes": round(duree, 2), "pic_memoire_mo": round(pic / 2**20, 1),
            "rss_max_mo": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), **qualite}


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--echelles", type=int, nargs="+", default=[10_000, 100_000])
    mesures = [mesurer(e) for e in arguments.parse_args().echelles]
    for m in mesures:
        print(f"{m['offres']:>8} offres (échelle {m['echelle']}) : {m['paires_comparees']:>8} paires comparées, "
              f"{m['secondes']:>7.2f} s, pic mémoire {m['pic_memoire_mo']} Mo (RSS max {m['rss_max_mo']} Mo), "
              f"précision {m['precision']:.4f}, rappel {m['rappel']:.4f}")
    for a, b in zip(mesures, mesures[1:], strict=False):
        taille = b["offres"] / a["offres"]
        print(f"× {taille:.1f} offres → × {b['secondes'] / a['secondes']:.1f} temps, "
              f"× {b['paires_comparees'] / a['paires_comparees']:.1f} paires "
              f"(linéaire : × {taille:.1f} ; quadratique : × {taille ** 2:.0f})")


if __name__ == "__main__":
    main()
