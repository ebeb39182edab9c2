"""Errors the user can act on.

The command line turns an ``ErreurUtilisateur`` into one French line and exit code 1;
anything else is a bug and keeps its traceback.
"""


class ErreurUtilisateur(Exception):
    """A mistake or a situation the user can fix (message in French)."""


class EntrepotVerrouille(ErreurUtilisateur):
    """Another process holds the DuckDB warehouse in read-write mode."""
