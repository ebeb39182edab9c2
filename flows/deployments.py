"""Every scheduled deployment and its schedule, in one place.

``python -m flows servir`` registers them on a running Prefect server (``prefect server
start``) and executes their runs: the server's scheduler creates a run when a schedule
comes due, the serving process runs it (each in its own process). Times are Paris time,
so a run stays at 07:00 across daylight-saving changes.
"""

from __future__ import annotations

import httpx

from flows.config import collectes_planifiees, url_serveur_prefect
from flows.erreurs import ErreurUtilisateur
from flows.formats import PARIS

FUSEAU = PARIS.key  # the schedules' zone, the one every time is shown in

# name -> (cron, what it does); read by the README and the tests
PLANNING = {
    "collecte-offres-quotidienne": ("0 6 * * *", "offres France Travail du jour, chaque matin à 6 h"),
    "collecte-marche-hebdomadaire": ("30 6 * * 1", "statistiques du marché du travail, le lundi à 6 h 30"),
    "pipeline-hebdomadaire": ("0 7 * * 1", "tout le pipeline, le lundi à 7 h"),
}


def deploiements() -> list:
    """The ``RunnerDeployment`` of every scheduled flow (entry points by module path, so
    that the serving process may start from any folder once the project is installed)."""
    from prefect.flows import Flow
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    from flows.collecte.marche import collecte_marche
    from flows.collecte.offres import collecte_offres_ft
    from flows.pipeline import pipeline

    suivis = collectes_planifiees()  # the hub's territory and occupations ([collecte])
    flux: dict[str, tuple[Flow, dict]] = {
        # Every occupation of the département: the hub compares occupations with each other.
        "collecte-offres-quotidienne": (collecte_offres_ft, {"departement": suivis["departement"]}),
        "collecte-marche-hebdomadaire": (collecte_marche, {"territoires": suivis["territoires"],
                                                           "romes": suivis["metiers"]}),
        "pipeline-hebdomadaire": (pipeline, {}),
    }
    return [
        fonction.to_deployment(
            nom, schedule=Cron(PLANNING[nom][0], timezone=FUSEAU), parameters=parametres,
            description=PLANNING[nom][1], tags=["hub-tensions"], concurrency_limit=1,
            entrypoint_type=EntrypointType.MODULE_PATH)
        for nom, (fonction, parametres) in flux.items()
    ]


def verifier_serveur() -> str:
    """The URL of a running Prefect server, or a French error saying how to start one."""
    url = url_serveur_prefect()
    if not url:
        from prefect.settings import PREFECT_API_URL

        url = PREFECT_API_URL.value()
    if not url:
        raise ErreurUtilisateur(
            "aucun serveur Prefect configuré : lancez « prefect server start » dans un autre terminal, "
            "puis exportez PREFECT_API_URL=http://127.0.0.1:4200/api")
    try:
        httpx.get(f"{url.rstrip('/')}/health", timeout=5).raise_for_status()
    except httpx.HTTPError as e:
        raise ErreurUtilisateur(f"serveur Prefect injoignable à {url} ({type(e).__name__}) : "
                                "lancez « prefect server start » ou corrigez PREFECT_API_URL") from e
    return url


def servir() -> None:
    """Register every deployment and run their schedules until stopped (Ctrl+C, SIGTERM)."""
    from prefect import serve

    serve(*deploiements())
