"""Errors the user can act on, and how a failure is told in French.

The command line turns an ``ErreurUtilisateur`` into one French line and exit code 1. A
flow run that fails (scheduled or not) ends with a Prefect state whose message is one
French sentence naming the stage and what to do: the Prefect interface shows that message,
never a library's English exception; the traceback stays in the run's log.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

Fonction = TypeVar("Fonction", bound=Callable[..., Any])


class ErreurUtilisateur(Exception):
    """A mistake or a situation the user can fix (message in French)."""


class EntrepotVerrouille(ErreurUtilisateur):
    """Another process holds the DuckDB warehouse in read-write mode."""


def phrase_d_echec(erreur: BaseException, etape: str | None = None) -> str:
    """One French sentence for a failure: ours as it is, a library's replaced by what to do."""
    if isinstance(erreur, ErreurUtilisateur):
        detail = str(erreur)
    else:
        detail = (f"erreur inattendue ({type(erreur).__name__}) ; la trace complète est dans le journal de "
                  "cette exécution (interface Prefect) : corrigez ou signalez la cause, puis relancez")
    return f"étape « {etape} » en échec : {detail}" if etape else detail


def echec_en_francais(etape: str | None = None) -> Callable[[Fonction], Fonction]:
    """Decorator (under ``@flow``): an exception ends the run Failed with ``phrase_d_echec``
    as its state message, the traceback logged; whoever called the flow gets the original
    exception back (Prefect raises the state's data), so the command line tells it as before."""

    def decorer(fonction: Fonction) -> Fonction:
        @functools.wraps(fonction)
        def enveloppe(*args: Any, **kwargs: Any) -> Any:
            try:
                return fonction(*args, **kwargs)
            except Exception as erreur:  # noqa: BLE001 - every failure is told the same way
                return etat_d_echec(erreur, etape)

        return cast(Fonction, enveloppe)

    return decorer


def etat_d_echec(erreur: BaseException, etape: str | None = None) -> Any:
    """The ``Failed`` state a flow returns for ``erreur`` (logged, with the traceback of an
    unexpected one): its message is French, its data the exception, raised again to the caller."""
    from prefect import get_run_logger
    from prefect.states import Failed

    message = phrase_d_echec(erreur, etape)
    get_run_logger().error(message, exc_info=not isinstance(erreur, ErreurUtilisateur))
    return Failed(message=message, data=erreur)
