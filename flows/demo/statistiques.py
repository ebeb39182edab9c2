"""Statistical sources of the demo: jobseekers by ROME and territory (documented CSV and
"Marché du travail" API responses), anonymised jobseeker profiles, the BMO survey and
the DARES tension files, all in their real formats.

Jobseeker flows are drawn from the offers actually generated (new category-A jobseekers
= the occupation's ratio × its offers), basin by basin; départements and the region are
exact sums of their basins, and profiles of Côte-d'Or add up to the published stocks.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from pathlib import Path
from random import Random
from typing import Any, NamedTuple

import numpy as np

from flows.demo.marche import Marche
from flows.demo.referentiel import Referentiel, Tirage
from flows.demo.scenario import (
    DEBUT,
    DEPARTEMENTS,
    DEPARTEMENTS_DEMANDEURS,
    FAMILLES_BMO,
    FAP87,
    METIER_PRINCIPAL,
    METIERS,
    NOM_REGION,
    NOMS_DEPARTEMENTS,
    REGION,
)
from flows.demo.xlsx import ecrire_xlsx

MASQUE = 5  # statistical secrecy: counts below this are published as "*" (basins, BMO cells)
PART_BC = 0.5  # new category B or C jobseekers per new category-A jobseeker
MOIS_PROFILS = ("2024-03", "2025-03", "2026-03")
PERSISTANCE_PROFILS = 0.35  # share of a snapshot's people still registered a year later
DIFFICULTE_BMO = {"G1X72": 0.70, "E2X40": 0.85, "J0X33": 0.25, "E3X40": 0.45}
SAISONNIER_BMO = {"E3X40": 0.20, "J0X33": 0.30}
NIVFORM = {2: ("AFS", "Aucune formation scolaire"), 3: ("CAP-BEP", "CAP, BEP et équivalents"),
           4: ("BAC", "Bac ou équivalent"), 5: ("BAC2", "Bac+2 ou équivalents"),
           6: ("BAC34", "Bac+3, Bac+4 ou équivalents"), 7: ("BAC5", "Bac+5 et plus ou équivalents"),
           8: ("BAC5", "Bac+5 et plus ou équivalents")}


def mois_demo() -> list[str]:
    mois, (a, m) = [], (DEBUT.year, DEBUT.month)
    for _ in range(36):
        mois.append(f"{a}-{m:02d}")
        a, m = (a + 1, 1) if m == 12 else (a, m + 1)
    return mois


def _cellule(valeur: int, masquable: bool = True) -> str:
    return "*" if masquable and valeur < MASQUE else str(valeur)


class Demandeurs:
    """Jobseeker stocks and flows per (ROME v3, basin part of a département, month)."""

    def __init__(self, graine: int, ref: Referentiel, marche: Marche):
        self.ref, self.mois = ref, mois_demo()
        rng = np.random.default_rng(np.random.SeedSequence([graine, 7]))
        # basin parts: (basin, département) with their population
        parts: dict[tuple[str, str], int] = defaultdict(int)
        for c in ref.communes.values():
            if c.bassin and c.dep in DEPARTEMENTS_DEMANDEURS:
                parts[c.bassin, c.dep] += c.population
        self.parts = sorted(parts)
        population_dep: dict[str, int] = defaultdict(int)
        for (_, dep), pop in parts.items():
            population_dep[dep] += pop
        demo_pop = sum(population_dep[d] for d in DEPARTEMENTS)
        saison = np.array([1.0 + 0.12 * math.cos(2 * math.pi * (int(m[5:]) - 1) / 12) for m in self.mois])
        self.flux: dict[tuple[str, str], dict[str, np.ndarray]] = {}  # (rome, group) -> arrays
        for rome, metier in METIERS.items():
            total_demo = sum(marche.bilan.offres[rome, d] for d in DEPARTEMENTS)
            for groupe, part, duree in (("A", 1.0, metier.duree_inscription),
                                        ("BC", PART_BC, metier.duree_inscription * 1.25)):
                par_part: list[float] = []
                for bassin, dep in self.parts:
                    offres = marche.bilan.offres[rome, dep] if dep in DEPARTEMENTS else total_demo * population_dep[dep] / demo_pop
                    par_part.append(metier.demandeurs_par_offre * part * offres / 36 * parts[bassin, dep] / population_dep[dep])
                moyennes = np.array(par_part)
                entrees = rng.poisson(np.outer(moyennes, saison))
                stock = rng.poisson(moyennes * duree)
                stocks, sorties = [], []
                for t in range(len(self.mois)):
                    sortie = rng.binomial(stock + entrees[:, t], 1 / duree)
                    stock = stock + entrees[:, t] - sortie
                    stocks.append(stock)
                    sorties.append(sortie)
                self.flux[rome, groupe] = {"demandeurs": np.array(stocks).T, "entrees": entrees,
                                           "sorties": np.array(sorties).T}

    def territoires(self) -> list[tuple[str, str, list[int]]]:
        """(type, code, indices of basin parts) for the region, départements and basins."""
        bfc = [i for i, (_, dep) in enumerate(self.parts) if dep != "52"]
        liste = [("REG", REGION, bfc)]
        for dep in sorted(DEPARTEMENTS_DEMANDEURS):
            liste.append(("DEP", dep, [i for i, (_, d) in enumerate(self.parts) if d == dep]))
        for bassin in sorted({b for b, _ in self.parts}):
            liste.append(("BASSIN", bassin, [i for i, (b, _) in enumerate(self.parts) if b == bassin]))
        return liste

    def valeur(self, rome: str, categorie: str, mesure: str, indices: list[int]) -> np.ndarray:
        """Monthly series summed over basin parts (categorie A or ABC)."""
        serie = self.flux[rome, "A"][mesure][indices].sum(axis=0)
        if categorie == "ABC":
            serie = serie + self.flux[rome, "BC"][mesure][indices].sum(axis=0)
        return serie

    def ecrire_csv(self, chemin: Path) -> int:
        lignes = 0
        with chemin.open("w", encoding="utf-8", newline="") as f:
            ecrivain = csv.writer(f, delimiter=";", lineterminator="\n")
            ecrivain.writerow(["code_rome", "type_territoire", "code_territoire", "type_periode", "periode",
                               "categorie", "demandeurs", "entrees", "sorties"])
            for rome in sorted(METIERS):
                for type_, code, indices in self.territoires():
                    series = {c: [self.valeur(rome, c, m, indices) for m in ("demandeurs", "entrees", "sorties")]
                              for c in ("A", "ABC")}
                    for t, mois in enumerate(self.mois):
                        for categorie in ("A", "ABC"):
                            d, e, s = (int(x[t]) for x in series[categorie])
                            bassin = type_ == "BASSIN"  # only basins are small enough to mask
                            ecrivain.writerow([rome, type_, code, "MOIS", mois, categorie,
                                               _cellule(d, bassin), _cellule(e, bassin), _cellule(s, bassin)])
                            lignes += 1
        return lignes

    def indices(self, type_: str, code: str) -> list[int]:
        return next(i for t, c, i in self.territoires() if t == type_ and c == code)


# --------------------------------------------------------------------------- API responses

def _periode_trimestre(mois: str) -> tuple[str, str]:
    annee, m = int(mois[:4]), int(mois[5:])
    trimestre = (m - 1) // 3 + 1
    return f"{annee}T{trimestre}", f"{trimestre}{'er' if trimestre == 1 else 'e'} trimestre {annee}"


def ecrire_api(dossier: Path, demandeurs: Demandeurs, marche: Marche) -> list[str]:
    """Responses of the "Marché du travail" API for the main occupation in Côte-d'Or and
    in the region: jobseekers, offers and the employers' tension perspective."""
    rome, metier = METIER_PRINCIPAL, METIERS[METIER_PRINCIPAL]
    libelle = demandeurs.ref.libelles_rome[rome]
    dernier = demandeurs.mois[-2]  # the last complete quarter ends in September
    code_periode, lib_periode = _periode_trimestre(dernier)
    t = demandeurs.mois.index(dernier)
    fichiers = []
    territoires = (("DEP", "21", NOMS_DEPARTEMENTS["21"]), ("REG", REGION, NOM_REGION))
    rangs = {"DEP": {"PERSPECTIVE": 5, "INT_EMB": 5, "MAIN_OEUVRE": 1, "ATTR_SALARIALE": 4,
                     "COND_TRAVAIL": 3, "DUR_EMPL": 2, "MISMATCH_GEO": 2, "SPECIF_FORM_EMPL": 4},
             "REG": {"PERSPECTIVE": 4, "INT_EMB": 5, "MAIN_OEUVRE": 2, "ATTR_SALARIALE": 3,
                     "COND_TRAVAIL": 3, "DUR_EMPL": 2, "MISMATCH_GEO": 3, "SPECIF_FORM_EMPL": 4}}
    libelles_tension = {"PERSPECTIVE": "Perspective de recrutement", "INT_EMB": "Intensité d'embauches",
                        "MAIN_OEUVRE": "Manque de main d'oeuvre disponible",
                        "ATTR_SALARIALE": "Manque d'attractivité salariale",
                        "COND_TRAVAIL": "Conditions de travail contraignantes",
                        "DUR_EMPL": "Non durabilité de l'emploi", "MISMATCH_GEO": "Inadéquation géographique",
                        "SPECIF_FORM_EMPL": "Lien formation-emploi"}
    for type_, code, nom in territoires:
        indices = demandeurs.indices(type_, code)
        base = {"codeTypeTerritoire": type_, "codeTerritoire": code, "libTerritoire": nom,
                "codeTypeActivite": "ROME", "codeActivite": rome, "libActivite": libelle}
        valeurs = []
        for categorie, lib in (("A", "Demandeurs d'emploi de catégorie A"),
                               ("ABC", "Demandeurs d'emploi de catégories A, B, C")):
            nombre = int(demandeurs.valeur(rome, categorie, "demandeurs", indices)[t])
            caracteristiques = []
            reste = nombre
            for niveau, part in sorted(metier.diplomes_demandeurs.items()):
                n = round(nombre * part) if niveau != max(metier.diplomes_demandeurs) else reste
                reste -= n
                code_n, lib_n = NIVFORM[niveau]
                caracteristiques.append({"codeTypeCaract": "NIVFORM", "codeCaract": code_n, "libCaract": lib_n,
                                         "nombre": n, "pourcentage": round(100 * n / nombre, 1) if nombre else 0})
            valeurs.append({**base, "codeNomenclature": categorie, "libNomenclature": lib,
                            "codeTypePeriode": "TRIMESTRE", "codePeriode": code_periode, "libPeriode": lib_periode,
                            "valeurPrincipaleNombre": nombre, "datMaj": "2026-11-16",
                            "listeValeurParCaract": caracteristiques})
        fichiers.append(_reponse(dossier, "stat-demandeurs", type_, code,
                                 {"codeIndicateur": "DE_1", "libIndicateur": "Demandeurs d'emploi en fin de période",
                                  "datMaj": "2026-11-16", "listeValeursParPeriode": valeurs}))
        deps = [code] if type_ == "DEP" else [d for d in DEPARTEMENTS if d != "52"]
        valeurs = []
        for origine, lib in (("1", "Offres déposées à France Travail"), ("2", "Offres de partenaires")):
            nombre = sum(n for (rr, d, q, o), n in marche.bilan.offres_trimestre.items()
                         if rr == rome and d in deps and q == code_periode and o == origine)
            valeurs.append({**base, "codeNomenclature": origine, "libNomenclature": lib,
                            "codeTypePeriode": "TRIMESTRE", "codePeriode": code_periode, "libPeriode": lib_periode,
                            "valeurPrincipaleNombre": nombre, "datMaj": "2026-11-16", "listeValeurParCaract": []})
        fichiers.append(_reponse(dossier, "stat-offres", type_, code,
                                 {"codeIndicateur": "OFF_1", "libIndicateur": "Offres d'emploi enregistrées",
                                  "datMaj": "2026-11-16", "listeValeursParPeriode": valeurs}))
        valeurs = [{**base, "codeNomenclature": cle, "libNomenclature": libelles_tension[cle],
                    "codeTypePeriode": "ANNEE", "codePeriode": "2025", "libPeriode": "Année 2025",
                    "valeurPrincipaleRang": rang, "datMaj": "2026-03-20", "listeValeurParCaract": []}
                   for cle, rang in rangs[type_].items()]
        fichiers.append(_reponse(dossier, "stat-perspective-employeur", type_, code,
                                 {"codeIndicateur": "PERSP_2", "libIndicateur": "Indicateur de tension",
                                  "datMaj": "2026-03-20", "listeValeursParPeriode": valeurs}))
    return fichiers


def _reponse(dossier: Path, indicateur: str, type_: str, code: str, corps: dict) -> str:
    nom = f"api-{indicateur}-{METIER_PRINCIPAL}-{type_}-{code}.json"
    (dossier / nom).write_text(json.dumps(corps, ensure_ascii=False, indent=2), encoding="utf-8")
    return nom


# --------------------------------------------------------------------------- profiles

class Profil(NamedTuple):
    """One row of the profiles file, as written (experience with a decimal comma)."""

    identifiant: str
    mois: str
    code_rome: str
    commune: str
    categorie: str
    niveau_diplome: int
    experience_annees: str
    permis_b: str
    rayon_mobilite_km: int


def ecrire_profils(chemin: Path, demandeurs: Demandeurs,
                   graine: int) -> tuple[Counter[tuple[str, str]], list[tuple[int, float]]]:
    """Profiles of every jobseeker of the demo occupations in Côte-d'Or at three dates;
    counts per (ROME, basin part, category A or B/C) equal the published stocks. Returns
    the rows per (month, ROME) and (diploma, years of experience) of the main occupation's
    jobseekers at the last date."""
    r = Random(f"{graine}:profils")
    parts_21 = [i for i, (_, dep) in enumerate(demandeurs.parts) if dep == "21"]
    communes = defaultdict(list)
    for c in demandeurs.ref.communes.values():
        if c.dep == "21" and c.bassin:
            communes[c.bassin].append(c)
    tirages = {b: Tirage(liste, [c.population for c in liste]) for b, liste in communes.items()}
    suivant = 0
    comptes: Counter[tuple[str, str]] = Counter()
    principal: list[tuple[int, float]] = []
    precedents: dict[tuple[str, int, str], list[Profil]] = {}
    with chemin.open("w", encoding="utf-8", newline="") as f:
        ecrivain = csv.writer(f, delimiter=";", lineterminator="\n")
        ecrivain.writerow(Profil._fields)
        for mois in MOIS_PROFILS:
            t = demandeurs.mois.index(mois)
            courants: dict[tuple[str, int, str], list[Profil]] = {}
            for rome in sorted(METIERS):
                metier = METIERS[rome]
                niveaux = Tirage(list(metier.diplomes_demandeurs), list(metier.diplomes_demandeurs.values()))
                for i in parts_21:
                    bassin = demandeurs.parts[i][0]
                    for groupe in ("A", "BC"):
                        n = int(demandeurs.flux[rome, groupe]["demandeurs"][i, t])
                        anciens = precedents.get((rome, i, groupe), [])
                        gardes = r.sample(anciens, k=min(len(anciens), round(PERSISTANCE_PROFILS * n)))
                        personnes = [ancien._replace(mois=mois) for ancien in gardes]
                        while len(personnes) < n:
                            suivant += 1
                            categorie = "A" if groupe == "A" else ("B" if r.random() < 0.45 else "C")
                            experience = 0.0 if r.random() < 0.12 else round(
                                r.lognormvariate(math.log(max(1.0, metier.experience + 1.5)), 0.7), 1)
                            personnes.append(Profil(f"DE{7_300_000 + suivant * 7:08d}", mois, rome,
                                                    tirages[bassin](r).insee, categorie, niveaux(r),
                                                    f"{experience:.1f}".replace(".", ","),
                                                    "oui" if r.random() < 0.85 else "non",
                                                    r.choice((10, 20, 20, 30, 30, 50))))
                        ecrivain.writerows(personnes)
                        # only the people who may still be registered next time are kept
                        courants[rome, i, groupe] = r.sample(personnes, k=min(n, math.ceil(PERSISTANCE_PROFILS * n) + 1))
                        comptes[mois, rome] += n
                        if rome == METIER_PRINCIPAL and mois == MOIS_PROFILS[-1]:
                            principal += [(p.niveau_diplome, float(p.experience_annees.replace(",", ".")))
                                          for p in personnes]
            precedents = courants
    return comptes, principal


# --------------------------------------------------------------------------- BMO

DESCRIPTION_BMO = [
    ("annee", None), ("Code métier BMO", "Code métier BMO (FAP)"), ("Nom métier BMO", "libellé métier BMO "),
    ("Famille_met", "Code famille de métier"), ("Lbl_fam_met", "libellé famille de métier"),
    ("REG", "Code région Insee"), ("NOM_REG", "Nom de la région "), ("Dept", "N° de département "),
    ("NomDept", "Nom du département "), ("BE{aa}", "Code bassin d'emploi "),
    ("NOMBE{aa}", "Nom du bassin d'emploi"), ("met", "Nombre de projet de recrutement "),
    ("xmet", "Nombre de projets de recrutement jugés difficiles"),
    ("smet", "Nombre de projets de recrutement saisonniers")]


def ecrire_bmo(dossier: Path, ref: Referentiel, marche: Marche, graine: int) -> dict[str, Any]:
    """One workbook per survey year, laid out like France Travail's open-data file."""
    r = Random(f"{graine}:bmo")
    population: dict[tuple[str, str], int] = defaultdict(int)
    for c in ref.communes.values():
        if c.bassin:
            population[c.bassin, c.dep] += c.population
    population_dep: dict[str, int] = defaultdict(int)
    for (_, dep), pop in population.items():
        population_dep[dep] += pop
    # the FAP-2021 family of each occupation at the qualification its offers carry
    faps: dict[str, list[str]] = defaultdict(list)
    libelles: dict[str, str] = {}
    for rome, metier in METIERS.items():
        fap, libelles[fap] = ref.fap228(rome, metier.qualification)
        faps[fap].append(rome)
    verite = {}
    for annee in (2024, 2025):
        aa = str(annee)[2:]
        lignes: list[list[Any]] = []
        for fap in sorted(faps):
            libelle = libelles[fap]
            famille, lib_famille = FAMILLES_BMO[fap]
            for bassin, (nom, dep, reg) in sorted(ref.bassins.items(), key=lambda b: (b[1][1], b[0])):
                if reg != REGION:
                    continue
                offres_an = sum(marche.bilan.offres[rome, dep] for rome in faps[fap]) / 3
                met = round(1.1 * offres_an * population[bassin, dep] / population_dep[dep]
                            * r.lognormvariate(0, 0.15) * (1.05 if annee == 2025 else 1.0))
                if met == 0:
                    continue
                difficiles = min(met, round(met * DIFFICULTE_BMO.get(fap, 0.5) * r.uniform(0.9, 1.1)))
                saisonniers = round(met * SAISONNIER_BMO.get(fap, 0.03) * r.uniform(0.7, 1.3))
                lignes.append([annee, fap, libelle, famille, lib_famille, REGION, NOM_REGION, dep,
                               NOMS_DEPARTEMENTS[dep], int(bassin), nom, _cellule(met),
                               "*" if met < MASQUE else _cellule(difficiles),
                               "*" if met < MASQUE else _cellule(saisonniers)])
                if fap == "G1X72" and nom == "DIJON":
                    verite[str(annee)] = {"bassin": bassin, "met": met, "xmet": difficiles}
        entete = ["annee", "Code métier BMO", "Nom métier BMO", "Famille_met", "Lbl_fam_met", "REG",
                  "NOM_REG", "Dept", "NomDept", f"BE{aa}", f"NOMBE{aa}", "met", "xmet", "smet"]
        description: list[list[Any]] = [[] for _ in range(6)]
        description.append([None, "Variables ", "Description "])
        for variable, texte in DESCRIPTION_BMO:
            description.append([None, variable.format(aa=aa), annee if texte is None else texte])
        description += [[], ["Pour plus d'information consulter la rubrique en savoir plus, en particulier "
                             "\"source et méthode\" "],
                        [f"https://statistiques.francetravail.org/bmo/static/methode_{annee}"]]
        ecrire_xlsx(dossier / f"Base_open_data_BMO_{annee}.xlsx",
                    [("Description des variables", description), (f"BMO_{annee}_open_data", [entete, *lignes])])
    return verite


# --------------------------------------------------------------------------- DARES

COLONNES_TENSIONS = ["fap", "Emploi moyen", "Tension ", "Catégorie Tension", "Intensité d'embauches",
                     "Lien formation-emploi", "Manque de main-d'œuvre disponible", "Non-durabilité de l'emploi",
                     "Conditions de travail contraignantes", "Inadéquation géographique", "Année",
                     "niveau_geo", "niveau_fap", "reg", "dep"]
# Planted 2019 scores: maintenance is "in tension" without lacking labour; the shortage
# occupation lacks labour.
TENSIONS_PLANTEES = {"G1Z70": (1.56, 2), "E1Z41": (1.35, 5)}


def _categorie(tension: float) -> int:
    return 1 + sum(tension > s for s in (-0.84, -0.25, 0.25, 0.84))


def ecrire_dares(dossier: Path, graine: int) -> None:
    r = Random(f"{graine}:dares")
    faps = sorted({f for m in METIERS.values() for f in m.fap2009})
    familles = sorted({FAP87[f] for f in faps})
    territoires = [("nat", "", "")] + [("reg", f"{reg}.0", "") for reg in (REGION, "44")] + \
        [("dep", "", dep) for dep in sorted(DEPARTEMENTS_DEMANDEURS)]
    with (dossier / "tensions.csv").open("w", encoding="utf-8", newline="") as f:
        ecrivain = csv.writer(f, lineterminator="\n")
        ecrivain.writerow(COLONNES_TENSIONS)
        for niveau_fap, codes in (("fap 225", faps), ("fap 87", familles)):
            for niveau, reg, dep in territoires:
                for fap in codes:
                    base, manque = TENSIONS_PLANTEES.get(fap, (r.gauss(0.2, 0.7), None))
                    ecart = {"nat": 0.0, "reg": 0.15, "dep": 0.5}[niveau]
                    if dep == "21" and fap == "G1Z70":  # the highest score of the demo
                        tension = 2.8 + 0.2 * r.random()
                    else:
                        tension = base + r.gauss(0, ecart) if niveau != "nat" else base
                    emploi = {"nat": 60000, "reg": 2500, "dep": 500}[niveau] * r.uniform(0.3, 2.5)
                    emploi = int(round(emploi, -2))
                    geo = "reg " if niveau == "reg" and niveau_fap == "fap 87" else niveau
                    if emploi < 300 and niveau == "dep":
                        quintiles = [""] * 7
                    else:
                        quintiles = [f"{float(_categorie(tension))}"] + [
                            f"{float(v)}" for v in (r.randint(3, 5), r.randint(2, 5),
                                                    manque or r.randint(1, 5), r.randint(1, 4),
                                                    r.randint(1, 5), r.randint(1, 4))]
                    valeur = "" if quintiles[0] == "" else repr(tension)
                    ecrivain.writerow([fap, emploi, valeur, *quintiles, 2019, geo, niveau_fap, reg, dep])
    with (dossier / "evol_tensions.csv").open("w", encoding="utf-8", newline="") as f:
        ecrivain = csv.writer(f, lineterminator="\n")
        ecrivain.writerow(["fap", "Tension ", "Année"])
        valeurs = {fap: [TENSIONS_PLANTEES.get(fap, (r.gauss(0.2, 0.7),))[0]] for fap in faps + familles}
        for _ in range(8):
            for fap in valeurs:
                valeurs[fap].insert(0, valeurs[fap][0] - r.gauss(0.08, 0.25))
        for k, annee in enumerate(range(2011, 2020)):
            for fap in sorted(valeurs):
                ecrivain.writerow([fap, repr(valeurs[fap][k]), annee])
    # the ROME v3 -> FAP-2009 table is DARES's own, shipped in donnees/referentiels/dares/
    lignes = ['"Fap3","Annee","Effectifs","Categorie"']
    niveaux = {fap: r.uniform(2, 40) for fap in faps + familles}
    for fap in familles:
        niveaux[fap] = sum(v for f, v in niveaux.items() if len(f) == 5 and FAP87[f] == fap) * 1.3
    for categorie, facteur in (("Catégorie A", 1.0), ("Catégories A, B, C", 1.7)):
        for annee in range(1997, 2021):
            cycle = 1 + 0.15 * math.sin((annee - 1997) / 3.5)
            codes = sorted([*niveaux, "Ensemble"])
            for fap in codes:
                valeur = "NA" if fap == "Ensemble" else repr(round(niveaux[fap] * facteur * cycle, 2))
                lignes.append(f'"{fap}","{annee}",{valeur},"{categorie}"')
    (dossier / "serie_demandeurs_emploi_A_ABC.csv").write_bytes(("\n".join(lignes) + "\n").encode("cp1252"))


def repartition_demandeurs(demandeurs: Demandeurs, marche: Marche) -> dict[str, Any]:
    """Per occupation and département: offers, new category-A jobseekers, mean stock."""
    sortie: dict[str, Any] = {}
    for rome in sorted(METIERS):
        par_dep = {}
        for dep in sorted(DEPARTEMENTS):
            indices = demandeurs.indices("DEP", dep)
            entrees = int(demandeurs.valeur(rome, "A", "entrees", indices).sum())
            stock = float(demandeurs.valeur(rome, "A", "demandeurs", indices).mean())
            offres = marche.bilan.offres[rome, dep]
            par_dep[dep] = {"offres_ft": offres, "entrees_a": entrees, "stock_a_moyen": round(stock, 1),
                            "entrees_a_par_offre": round(entrees / offres, 2) if offres else None,
                            "stock_a_moyen_par_offre": round(stock / offres, 2) if offres else None}
        sortie[rome] = par_dep
    return sortie
