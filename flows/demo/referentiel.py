"""The shipped referential subsets (``donnees/referentiels``) as the generator needs them:
communes by département with their population, BMO basins, ROME job titles and FAP-2021
labels. The demo only uses codes that these files contain, so every generated code
loads against the shipped referentials.
"""

from __future__ import annotations

import csv
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import Generic, TypeVar

from flows.config import REFERENTIELS


@dataclass(frozen=True)
class Commune:
    insee: str
    nom: str
    dep: str
    code_postal: str
    lat: float
    lng: float
    population: int
    bassin: str | None


T = TypeVar("T")


class Tirage(Generic[T]):
    """Weighted draws from a fixed list (cumulative weights computed once)."""

    def __init__(self, elements: list[T], poids: list[float]):
        self.elements = elements
        self.cumul = list(accumulate(poids))

    def __call__(self, r: Random) -> T:
        return self.elements[bisect(self.cumul, r.random() * self.cumul[-1])]


@dataclass
class Referentiel:
    communes: dict[str, Commune]
    par_departement: dict[str, list[Commune]]
    tirage_communes: dict[str, Tirage[Commune]]
    bassins: dict[str, tuple[str, str, str]]  # code -> (name, main département, region)
    appellations: dict[str, list[tuple[str, bool]]]  # ROME 4.0 code -> (title, principal)
    libelles_rome: dict[str, str]
    fap2021: dict[str, tuple[str, str]]  # ROME v3 -> (FAP-2021 code, label)
    _tirages_appellations: dict[str, Tirage[str]] = field(default_factory=dict)

    @classmethod
    def charger(cls, dossier: Path = REFERENTIELS) -> Referentiel:
        with (dossier / "communes" / "bassin_emploi.csv").open(encoding="utf-8", newline="") as f:
            bassin_de = {ligne["code_commune_insee"]: (ligne["code_bassin_BMO"], ligne["lib_bassin_BMO"], ligne["reg"])
                         for ligne in csv.DictReader(f)}
        communes: dict[str, Commune] = {}
        with (dossier / "communes" / "communes.csv").open(encoding="utf-8", newline="") as f:
            for ligne in csv.DictReader(f):
                if ligne["commune_type"] != "COM" or ligne["insee_com"] in communes:
                    continue  # one row per postcode: the first one is kept
                bassin = bassin_de.get(ligne["insee_com"])
                communes[ligne["insee_com"]] = Commune(
                    ligne["insee_com"], ligne["commune"], ligne["insee_dep"], ligne["code_postal"],
                    float(ligne["lat"] or 0), float(ligne["lng"] or 0), int(ligne["population_2021"] or 0),
                    bassin[0] if bassin else None)
        par_departement: dict[str, list[Commune]] = {}
        for commune in communes.values():
            par_departement.setdefault(commune.dep, []).append(commune)
        tirages = {dep: Tirage(liste, [c.population for c in liste]) for dep, liste in par_departement.items()}
        # a basin's main département: where most of its population lives
        poids: dict[str, dict[str, int]] = {}
        for commune in communes.values():
            if commune.bassin:
                parts = poids.setdefault(commune.bassin, {})
                parts[commune.dep] = parts.get(commune.dep, 0) + commune.population
        bassins = {}
        for code, parts in sorted(poids.items()):
            nom, reg = next((n, r) for b, n, r in bassin_de.values() if b == code)
            bassins[code] = (nom, max(sorted(parts), key=parts.__getitem__), reg)
        appellations: dict[str, list[tuple[str, bool]]] = {}
        with (dossier / "rome" / "unix_referentiel_appellation_v460_utf8.csv").open(encoding="utf-8", newline="") as f:
            for ligne in csv.DictReader(f):
                if ligne["peu_usite"] != "O":
                    appellations.setdefault(ligne["code_rome"], []).append(
                        (ligne["libelle_appellation_long"], ligne["classification"] == "PRINCIPALE"))
        with (dossier / "rome" / "unix_referentiel_code_rome_v460_utf8.csv").open(encoding="utf-8", newline="") as f:
            libelles = {ligne["code_rome"]: ligne["libelle_rome"] for ligne in csv.DictReader(f)}
        with (dossier / "rome" / "rome_fap2021.csv").open(encoding="utf-8", newline="") as f:
            fap = {ligne["code_rome"]: (ligne["code_fap2021"], ligne["libelle_fap2021"])
                   for ligne in csv.DictReader(f, delimiter=";")}
        return cls(communes, par_departement, tirages, bassins, appellations, libelles, fap)

    def appellation(self, r: Random, code: str) -> str:
        """A job title of a ROME 4.0 code, the main one more often than its synonyms."""
        if code not in self._tirages_appellations:
            titres = self.appellations.get(code) or [(self.libelles_rome[code], True)]
            self._tirages_appellations[code] = Tirage([t for t, _ in titres], [6.0 if p else 1.0 for _, p in titres])
        return self._tirages_appellations[code](r)
