"""Run a pure function over many arguments in forked worker processes, results in order.

The function is inherited by the workers through fork (never pickled), so it may be a
bound method of a large object; only arguments and results cross between processes.
Where fork is unavailable, or with one process, it is a plain ``map``: the results are
the same either way.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

_TACHE: Callable[[Any], Any] | None = None


def _executer(argument: Any) -> Any:
    assert _TACHE is not None
    return _TACHE(argument)


def en_parallele(fonction: Callable[[Any], Any], arguments: Iterable[Any], processus: int) -> Iterator[Any]:
    """``map(fonction, arguments)`` spread over ``processus`` processes."""
    if processus <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(fonction, arguments)
        return
    global _TACHE
    _TACHE = fonction
    try:
        with multiprocessing.get_context("fork").Pool(processus) as pool:
            # a sliding window of tasks: results never pile up faster than they are used
            suite = iter(arguments)
            en_cours = deque(pool.apply_async(_executer, (a,)) for a in islice(suite, 2 * processus))
            while en_cours:
                resultat = en_cours.popleft().get()
                for argument in islice(suite, 1):
                    en_cours.append(pool.apply_async(_executer, (argument,)))
                yield resultat
    finally:
        _TACHE = None
