"""The shipped referentials (``donnees/referentiels``) as the generator needs them:
communes of the demo area by département with their population, their official BMO
basins, ROME job titles and DARES's passage from ROME v3 and qualification to FAP-2021.
The demo only uses codes that these files contain, so every generated code loads against
the shipped referentials.
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

# the demo area: Bourgogne-Franche-Comté and Haute-Marne, its neighbour in Grand Est
REGION_DEMO = "27"
DEPARTEMENTS_EN_PLUS = ("52",)
PASSAGE = "fap2021/Dares_Table_passage_ROME_Qualif_to_FAP2021_pour_programme.csv"
NOMENCLATURE = "fap2021/dares_nomenclature_fap2021.csv"


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
    passage: dict[tuple[str, str], tuple[str, str]]  # (ROME v3, qualification) -> (FAP228, label)
    _tirages_appellations: dict[str, Tirage[str]] = field(default_factory=dict)

    @classmethod
    def charger(cls, dossier: Path = REFERENTIELS) -> Referentiel:
        with (dossier / "communes" / "France_Travail_Bassin_Emploi_2021.csv").open(encoding="utf-8-sig",
                                                                                  newline="") as f:
            bassin_de = {ligne["codgeo"]: (ligne["codbe"], ligne["libbe"], ligne["reg"]) for ligne in csv.DictReader(f)}
        communes: dict[str, Commune] = {}
        with (dossier / "communes" / "communes.csv").open(encoding="utf-8", newline="") as f:
            for ligne in csv.DictReader(f):
                if ligne["commune_type"] != "COM" or ligne["insee_com"] in communes:
                    continue  # one row per postcode: the first one is kept
                if ligne["insee_reg"] != REGION_DEMO and ligne["insee_dep"] not in DEPARTEMENTS_EN_PLUS:
                    continue
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
        with (dossier / NOMENCLATURE).open(encoding="utf-8-sig", newline="") as f:
            fap228 = {ligne["Code FAP 341"]: (ligne["Code FAP 228"], ligne["Intitulé FAP 228"])
                      for ligne in csv.DictReader(f, delimiter=";")}
        with (dossier / PASSAGE).open(encoding="cp1252", newline="") as f:
            passage = {(ligne["ROME"], ligne["Qualif"]): fap228[ligne["FAP341"]]
                       for ligne in csv.DictReader(f, delimiter=";")}
        return cls(communes, par_departement, tirages, bassins, appellations, libelles, passage)

    def fap228(self, rome: str, qualification: str | None) -> tuple[str, str]:
        """The FAP-2021 family (FAP228: the BMO survey's occupation) and its label of an
        offer of this ROME v3 code and qualification level (None: level 0, unknown)."""
        return self.passage[rome, qualification or "0"]

    def appellation(self, r: Random, code: str) -> str:
        """A job title of a ROME 4.0 code, the main one more often than its synonyms."""
        if code not in self._tirages_appellations:
            titres = self.appellations.get(code) or [(self.libelles_rome[code], True)]
            self._tirages_appellations[code] = Tirage([t for t, _ in titres], [6.0 if p else 1.0 for _, p in titres])
        return self._tirages_appellations[code](r)
