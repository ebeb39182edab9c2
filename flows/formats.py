"""French formats for everything a user reads: ``1 234,5``, ``12/03/2025`` and times in
Paris time (``23/11/2026 06:00``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

ESPACE_FINE = "\u202f"


def nombre_fr(valeur: float | int | None, decimales: int = 0) -> str:
    """``1234.5`` → ``1 234,5`` (narrow no-break space between thousands)."""
    if valeur is None:
        return "—"
    # a whole number is written exactly (the float of a format "f" would round 2^63 - 1)
    texte = f"{valeur:,}" if isinstance(valeur, int) and decimales == 0 else f"{valeur:,.{decimales}f}"
    return texte.replace(",", ESPACE_FINE).replace(".", ",")


def date_fr(valeur: date | datetime | None) -> str:
    """``12/03/2025`` (the year on four digits, even year 1: ``01/01/0001``)."""
    return "—" if valeur is None else f"{valeur.day:02d}/{valeur.month:02d}/{valeur.year:04d}"


def pluriel(n: int, mot: str, pluriel_: str | None = None) -> str:
    return f"{nombre_fr(n)} {mot if n < 2 else (pluriel_ or mot + 's')}"


def heure_paris(instant: datetime | None, naif_en_utc: bool = True, entre: str = " ") -> str:
    """An instant as read in Paris: ``23/11/2026 06:00``. In the hour that the change back to
    winter time repeats, the offset tells the two apart: ``25/10/2026 02:30 UTC+2`` then
    ``25/10/2026 02:30 UTC+1``. A naive instant is in UTC (the APIs, Prefect, DuckDB's
    ``now()``) unless ``naif_en_utc`` is False (the machine's local time). Say « heure de
    Paris » once near the times (a title, a column heading), as the command line does.
    ``entre`` joins the date and the time (`` à `` in a sentence: ``23/11/2026 à 06:00``).
    The one reading of Paris time: every module takes ``PARIS`` and this from here."""
    if instant is None:
        return "—"
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC) if naif_en_utc else instant.astimezone()
    local = instant.astimezone(PARIS)
    texte = f"{date_fr(local)}{entre}{local:%H:%M}"
    murale = local.replace(tzinfo=None)
    if murale.replace(fold=0, tzinfo=PARIS).utcoffset() != murale.replace(fold=1, tzinfo=PARIS).utcoffset():
        decalage = local.utcoffset()
        heures = int(decalage.total_seconds() // 3600) if decalage is not None else 0
        texte += f" UTC{heures:+d}"
    return texte
