"""Errors the user can act on, and how a failure is told in French.

The command line turns an ``ErreurUtilisateur`` into one French line and exit code 1. A
flow run that fails (scheduled or not) ends with a Prefect state whose message is one
French sentence naming the stage and what to do: the Prefect interface shows that message,
never a library's English exception; the traceback stays in the run's log.
"""

from __future__ import annotations

import errno
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

Fonction = TypeVar("Fonction", bound=Callable[..., Any])


class ErreurUtilisateur(Exception):
    """A mistake or a situation the user can fix (message in French)."""


class EntrepotVerrouille(ErreurUtilisateur):
    """Another process holds the DuckDB warehouse in read-write mode."""


def _causes(erreur: BaseException | None) -> Iterator[BaseException]:
    """An exception and those it was raised from or while handling, once each."""
    vues: set[int] = set()
    while erreur is not None and id(erreur) not in vues:
        vues.add(id(erreur))
        yield erreur
        erreur = erreur.__cause__ or erreur.__context__


def disque_plein(erreur: BaseException | None) -> bool:
    """Whether a failure comes from a full disk, along its chain of causes: DuckDB reports a
    failed commit as the error of the rollback that follows (« cannot rollback - no
    transaction is active »), the full disk being in its context."""
    return any((isinstance(e, OSError) and e.errno == errno.ENOSPC) or "No space left on device" in str(e)
               for e in _causes(erreur))


def phrase_disque_plein(erreur: BaseException) -> str:
    """What to do about a full disk met by any command: the folder it was writing into when
    known (its nearest existing parent: a temporary folder is removed on failure)."""
    fichier = next((e.filename for e in _causes(erreur) if isinstance(e, OSError) and e.filename), None)
    ou = ""
    if fichier:
        dossier = Path(str(fichier)).parent
        while not dossier.exists() and dossier != dossier.parent:
            dossier = dossier.parent
        ou = f" dans {dossier}"
    return (f"disque plein : plus de place pour écrire{ou} ; libérez de la place sur ce disque (ou choisissez "
            "un autre emplacement) puis relancez la commande")


def phrase_d_echec(erreur: BaseException, etape: str | None = None) -> str:
    """One French sentence for a failure: ours as it is, a library's replaced by what to do."""
    if isinstance(erreur, ErreurUtilisateur):
        detail = str(erreur)
    elif disque_plein(erreur):
        detail = phrase_disque_plein(erreur)
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
