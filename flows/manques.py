"""A stage with nothing, or too little, to work on says so in one French line
(« doublons : aucune offre à comparer », « facteurs : 12 recrutements pourvus, il en faut
30 »): the line goes to the Prefect log of the run as a warning and into the stage's
summary, instead of a stack trace or figures computed on nothing. The minimum sizes are
settings of config/parametres.toml, never literals."""

from __future__ import annotations

import logging


def signaler(ligne: str) -> str:
    """Log ``ligne`` (the run's logger inside a flow or task, else a standard one) and
    return it, for the summary."""
    from prefect.exceptions import MissingContextError
    from prefect.logging import get_run_logger

    journal: logging.Logger | logging.LoggerAdapter
    try:
        journal = get_run_logger()
    except MissingContextError:
        journal = logging.getLogger("flows")
    journal.warning(ligne)
    return ligne
