"""French formats for everything a user reads: ``1 234,5`` and ``12/03/2025``."""

from __future__ import annotations

from datetime import date, datetime

ESPACE_FINE = "\u202f"


def nombre_fr(valeur: float | int | None, decimales: int = 0) -> str:
    """``1234.5`` → ``1 234,5`` (narrow no-break space between thousands)."""
    if valeur is None:
        return "—"
    texte = f"{valeur:,.{decimales}f}"
    return texte.replace(",", ESPACE_FINE).replace(".", ",")


def date_fr(valeur: date | datetime | None) -> str:
    """``12/03/2025`` (the year on four digits, even year 1: ``01/01/0001``)."""
    return "—" if valeur is None else f"{valeur.day:02d}/{valeur.month:02d}/{valeur.year:04d}"


def pluriel(n: int, mot: str, pluriel_: str | None = None) -> str:
    return f"{nombre_fr(n)} {mot if n < 2 else (pluriel_ or mot + 's')}"
