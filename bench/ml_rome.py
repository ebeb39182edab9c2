"""Benchmark of the ROME classifier (flows/ml/rome.py): fit time, prediction time and
memory with the whole referential and N labelled offers.

    .venv/bin/python bench/ml_rome.py                      # 10 000 and 100 000 offers
    .venv/bin/python bench/ml_rome.py --offres 2000 20000

The labelled offers are the 838 real France Travail offers of ../shared/donnees-reelles
(Haute-Savoie), drawn with replacement, each title given one more word drawn from the
descriptions and each a repost group of its own, so that the distinct titles and groups
grow with N as in a large warehouse (the accuracy is measured in tests/ml/test_rome_reel.py,
not here). Prints, per size: the fit time (calibration included), the time to classify
10 000 offers, the Python memory peak of the fit (a second, traced fit) and the process's
maximum resident size (``--sans-trace``: no traced fit, the resident size only).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))

from flows.lecture.lots import Contexte  # noqa: E402
from flows.ml import rome  # noqa: E402
from flows.ml.communs import normaliser, regles  # noqa: E402
from flows.sources import lecteur  # noqa: E402

PARTAGE = RACINE.parent / "shared" / "donnees-reelles"


def _table(source: str, fichiers: list[Path], nom: str) -> pd.DataFrame:
    return pd.DataFrame([ligne for f in fichiers for t in lecteur(source)(f, Contexte()).tables if t.nom == nom
                         for ligne in t.lignes])


def referentiel_et_offres() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    dossier = PARTAGE / "rome-v460"
    if not dossier.is_dir():
        sys.exit(f"données réelles absentes : {PARTAGE}")
    codes = _table("rome", [dossier / "unix_referentiel_code_rome_v460_utf8.csv"], "brut.rome_codes")
    appellations = _table("rome", [dossier / "unix_referentiel_appellation_v460_utf8.csv"], "brut.rome_appellations")
    textes = _table("rome", [dossier / "unix_texte_v460_utf8.csv"], "brut.rome_textes")
    offres = _table("offres-ft", sorted((PARTAGE / "ft-offres-74").glob("*.json")), "brut.offres_ft")
    offres = offres.sort_values("_version").drop_duplicates("offre_id", keep="last")
    return codes, appellations, textes, offres.reset_index(drop=True)


def agrandir(offres: pd.DataFrame, n: int, graine: int = 0) -> pd.DataFrame:
    """``n`` offers drawn from the real ones, each with one more title word and its own group."""
    hasard = np.random.default_rng(graine)
    mots = np.array(sorted({m for d in offres.description.dropna() for m in normaliser(d).split() if len(m) > 3}))
    tirees = offres.iloc[hasard.integers(0, len(offres), n)].reset_index(drop=True)
    return pd.DataFrame({"intitule": tirees.intitule + " " + hasard.choice(mots, n),
                         "description": tirees.description, "rome_code": tirees.rome_code,
                         "entreprise": [f"employeur {i}" for i in range(n)], "commune": tirees.commune_insee})


def mesurer(codes, appellations, textes, offres, n: int, trace: bool) -> dict:
    donnees = rome.donnees(codes, appellations, agrandir(offres, n), textes)
    parametres = regles()["rome"]
    debut = time.perf_counter()
    modele = rome.entrainer(donnees, parametres)
    duree = time.perf_counter() - debut
    a_classer = agrandir(offres, 10_000, graine=1)
    debut = time.perf_counter()
    modele.predire(list(a_classer.intitule), list(a_classer.description))
    prediction = time.perf_counter() - debut
    pic = 0
    if trace:  # a second fit for the memory peak: tracing slows Python down
        tracemalloc.start()
        rome.entrainer(donnees, parametres)
        _, pic = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {"offres": n, "entrainement_s": round(duree, 1), "classement_10000_s": round(prediction, 1),
            "pic_python_mo": round(pic / 2**20), "rss_max_mo": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--offres", type=int, nargs="+", default=[10_000, 100_000])
    arguments.add_argument("--sans-trace", action="store_true", help="sans second entraînement tracé (pic Python)")
    options = arguments.parse_args()
    referentiel = referentiel_et_offres()
    for n in options.offres:
        r = mesurer(*referentiel, n, not options.sans_trace)
        print(f"{r['offres']:>7} offres étiquetées : entraînement {r['entrainement_s']} s, classement de 10 000 offres "
              f"{r['classement_10000_s']} s, pic mémoire Python {r['pic_python_mo']} Mo, "
              f"résident max {r['rss_max_mo']} Mo", flush=True)


if __name__ == "__main__":
    main()
