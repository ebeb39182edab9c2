"""Parsers of the free-text labels France Travail puts in its offers (salary, experience,
contract duration, working time). Job-board exports reuse them for the same kinds of text.

They never raise: a label they cannot read gives ``None`` (the raw label stays in the
warehouse beside the parsed value, so nothing is lost). Their patterns run in linear time
(a number starts only where a run of digits starts), so a hostile label cannot stall a load.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from flows.config import parametres

# digits with thousands separated by spaces, never ending on a space (so that the space
# before "Euros" belongs to one pattern only: no quadratic backtracking)
_NOMBRE = r"(\d(?:[\d\s\u202f\xa0]*\d)?(?:[.,]\d+)?)"
_SALAIRE = re.compile(
    r"^\s*(?:(?P<periode>mensuel|horaire|annuel|hebdomadaire|journalier)\s+)?de\s+"
    + _NOMBRE.replace("(", "(?P<min>", 1)
    + r"\s*euros?(?:\s+à\s+"
    + _NOMBRE.replace("(", "(?P<max>", 1)
    + r"\s*euros?)?(?:\s+sur\s+(?P<mois>\d+(?:[.,]\d+)?)\s*mois)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Salaire:
    """A salary range brought to gross euros per month (12 payments a year)."""

    min_mensuel: float
    max_mensuel: float
    periode: str  # the period used: mensuel, horaire, annuel, hebdomadaire, journalier
    periode_deduite: bool  # True when the label gave no period or an implausible one


def _nombre(texte: str) -> float:
    """A number of a label; a run of digits too long to be an amount is not one."""
    nombre = float(re.sub(r"[\s\u202f\xa0]", "", texte).replace(",", "."))
    if not math.isfinite(nombre):
        raise ValueError(texte)
    return nombre


def _periode_d_apres_montant(montant: float) -> str:
    regles = parametres()["salaires"]
    if montant < regles["seuil_horaire"]:
        return "horaire"
    if montant < regles["seuil_annuel"]:
        return "mensuel"
    return "annuel"


def _mensualiser(montant: float, periode: str, mois: float | None) -> float:
    regles = parametres()["salaires"]
    heures = regles["heures_mensuelles"]
    if periode == "horaire":
        return montant * heures
    if periode == "journalier":
        return montant * heures / 7
    if periode == "hebdomadaire":
        return montant * 52 / 12
    if periode == "annuel":
        return montant / 12
    # monthly: "sur 13 mois" means 13 payments a year, spread over 12 months
    if mois and 12 <= mois <= 16:
        return montant * mois / 12
    return montant


def lire_salaire(libelle: str | None) -> Salaire | None:
    """``"Mensuel de 2000.0 Euros à 2500.0 Euros sur 12.0 mois"`` → 2000–2500 € a month.

    Hourly rates use the legal full-time month (151.67 h), annual amounts are divided by
    12, 13th-month pay is spread over the year. When the stated period gives an
    implausible monthly amount (an hourly rate labelled "Annuel" is common in the real
    data), the period is deduced from the amount and the result says so.
    """
    if not libelle:
        return None
    trouve = _SALAIRE.match(libelle)
    if not trouve:
        return None
    try:
        bas = _nombre(trouve["min"])
        haut = _nombre(trouve["max"]) if trouve["max"] else bas
        mois = _nombre(trouve["mois"]) if trouve["mois"] else None
    except ValueError:
        return None
    if bas <= 0 or haut <= 0:
        return None
    bas, haut = min(bas, haut), max(bas, haut)
    regles = parametres()["salaires"]
    periode = (trouve["periode"] or "").lower()
    deduite = not periode
    if deduite:
        periode = _periode_d_apres_montant(bas)
    mensuel_bas = _mensualiser(bas, periode, mois)
    if not regles["mensuel_plausible_min"] <= mensuel_bas <= regles["mensuel_plausible_max"]:
        corrigee = _periode_d_apres_montant(bas)
        if corrigee != periode:
            periode, deduite = corrigee, True
            mensuel_bas = _mensualiser(bas, periode, mois)
    mensuel_haut = _mensualiser(haut, periode, mois)
    return Salaire(mensuel_bas, mensuel_haut, periode, deduite)


_DUREE = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(an|mois|jour|semaine)", re.IGNORECASE)
_FOURCHETTE = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*à\s*\d+(?:[.,]\d+)?\s*(an|mois)", re.IGNORECASE)
_MOIS_PAR_UNITE = {"an": 12.0, "mois": 1.0, "jour": 1 / 30, "semaine": 12 / 52}


def lire_duree_mois(texte: str | None) -> float | None:
    """The first duration in a label, in months (``"2 An(s)"`` → 24, ``"21 Jour(s)"`` → 0.7).
    A range (``"de 1 à 3 ans"``) gives its lower bound."""
    if not texte:
        return None
    trouve = _FOURCHETTE.search(texte) or _DUREE.search(texte)
    if not trouve:
        return None
    try:
        nombre = _nombre(trouve[1])
    except ValueError:
        return None
    return round(nombre * _MOIS_PAR_UNITE[trouve[2].lower()], 1)


def lire_experience_mois(libelle: str | None) -> float | None:
    """``"Débutant accepté"`` → 0; ``"Expérience exigée de 3 An(s)"`` → 36; ``"6 Mois"`` → 6.
    ``"Expérience exigée"`` with no duration → None (required, length unknown)."""
    if not libelle:
        return None
    if libelle.strip().lower().startswith("débutant"):
        return 0.0
    return lire_duree_mois(libelle)


def lire_duree_contrat_mois(type_contrat_libelle: str | None) -> float | None:
    """``"CDD - 6 Mois"`` → 6; ``"Intérim - 21 Jour(s)"`` → 0.7; a CDI → None."""
    if not type_contrat_libelle or "-" not in type_contrat_libelle:
        return None
    return lire_duree_mois(type_contrat_libelle.split("-", 1)[1])


_HEURES = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*h(?:\s*(\d{1,2}))?\b", re.IGNORECASE)


def lire_temps_plein(converti: str | None, libelle: str | None) -> bool | None:
    """Full time from ``dureeTravailLibelleConverti``, else from the weekly hours
    (``"35H/semaine"``: at least the legal 35 h means full time)."""
    if converti:
        bas = converti.lower()
        if "plein" in bas:
            return True
        if "partiel" in bas:
            return False
    if libelle and "semaine" in libelle.lower():
        trouve = _HEURES.search(libelle)
        if trouve:
            try:
                heures = _nombre(trouve[1]) + (int(trouve[2]) / 60 if trouve[2] else 0)
            except ValueError:
                return None
            return heures >= parametres()["temps_travail"]["heures_temps_plein"]
    return None
