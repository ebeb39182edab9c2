"""Drivers of hiring difficulty: which features of an offer or a requisition go with a
long time to fill or with an offer flagged as lacking candidates, how much, and what a
pilot company would gain by changing them.

Two measures, each with a linear model (its effects read directly, its uncertainty
honest on a few hundred rows):
- the time to fill of the pilots' filled requisitions: least squares (ridge) on its log,
  with one fixed effect per occupation and per company, so that an effect is measured
  within a company (the pilots each have their own way of recruiting);
- France Travail's ``offresManqueCandidats`` flag on offers: logistic regression with one
  fixed effect per occupation.
Features are levels against the market of the same v3 occupation, département and year
("analyse".tension_marche). Each model is cross-validated against a reference with the
fixed effects only, and against gradient boosting; each feature's permutation importance
is measured on held-out folds, its effect (a stated contrast, e.g. salary hidden rather
than shown) by refitting on bootstrap samples. Verdicts never claim more than the data:
too few rows, a feature that does not vary within the companies (its effect cannot be
told from the company's), or an interval that straddles zero each say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import joblib  # type: ignore[import-untyped]
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.metrics import r2_score, roc_auc_score
from sklearn.model_selection import KFold, StratifiedKFold
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from flows.formats import nombre_fr, pluriel
from flows.ml.communs import Decision, empreinte, empreintes_lignes, maintenant, part_changee

METHODE = ("délai de pourvoi des recrutements pourvus des entreprises pilotes : régression ridge sur son "
           "logarithme, avec un effet fixe par métier et par entreprise ; signalement « manque de candidats » "
           "des offres France Travail : régression logistique avec un effet fixe par métier. Facteurs mesurés "
           "au regard du marché (même métier, département et année). Validation croisée contre une référence "
           "(effets fixes seuls) et un gradient boosting ; importance par permutation sur les plis de test ; "
           "effets et simulations avec intervalles par ré-estimation sur tirages avec remise")


@dataclass(frozen=True)
class Facteur:
    colonne: str
    libelle: str
    contraste: str  # the change whose effect is reported, in French
    changer: Callable[[pd.Series], pd.Series]  # the feature after that change
    reference: Callable[[pd.Series], pd.Series]  # ... and before it


def _valeur(v: float) -> Callable[[pd.Series], pd.Series]:
    return lambda x: pd.Series(v, index=x.index, dtype=float)


FACTEURS = {f.colonne: f for f in (
    Facteur("salaire_masque", "Salaire non affiché", "salaire masqué plutôt qu'affiché", _valeur(1), _valeur(0)),
    Facteur("ecart_salaire", "Salaire proposé au regard du marché",
            "salaire 10 % sous la médiane du marché plutôt qu'à la médiane", _valeur(-0.10), _valeur(0)),
    Facteur("experience_en_plus", "Expérience exigée au-delà du marché",
            "2 ans d'expérience exigés au-delà de la médiane du marché plutôt qu'aucun", _valeur(2), _valeur(0)),
    Facteur("diplome_en_plus", "Diplôme exigé au-delà du marché",
            "1 niveau de diplôme au-dessus de la médiane du marché plutôt qu'aucun", _valeur(1), _valeur(0)),
    Facteur("canaux_limites", "Diffusion sur deux canaux au plus", "1 ou 2 canaux plutôt que 3 ou plus",
            _valeur(1), _valeur(0)),
    Facteur("description", "Longueur de la description au regard du marché",
            "description deux fois plus courte que la médiane du marché plutôt qu'égale",
            _valeur(float(np.log(0.5))), _valeur(0)),
    Facteur("autre_contrat", "Contrat autre qu'un CDI", "CDD, intérim ou alternance plutôt que CDI",
            _valeur(1), _valeur(0)),
    Facteur("tension", "Demandeurs d'emploi par offre sur le marché",
            "deux fois moins de demandeurs par offre sur le métier et le département",
            lambda x: x - np.log(2), lambda x: x),
)}


@dataclass(frozen=True)
class Mesure:
    nom: str
    libelle: str
    population: str
    binaire: bool
    facteurs: tuple[str, ...]
    effets_fixes: tuple[str, ...]


DELAI = Mesure("delai_pourvoi_jours", "délai de pourvoi", "recrutements pourvus des entreprises pilotes", False,
               ("salaire_masque", "ecart_salaire", "experience_en_plus", "diplome_en_plus", "canaux_limites",
                "description", "autre_contrat", "tension"), ("rome_code_parent", "entreprise"))
MANQUE = Mesure("offres_manque_candidats", "offre signalée en manque de candidats",
                "offres France Travail renseignant le signalement", True,
                ("salaire_masque", "ecart_salaire", "experience_en_plus", "diplome_en_plus", "description",
                 "autre_contrat", "tension"), ("rome_code_parent",))

# Changes a pilot company can make, for the "what if" estimates.
SCENARIOS = (
    ("afficher le salaire", "salaire_masque", lambda x: x * 0),
    ("aligner le salaire sur la médiane du marché", "ecart_salaire", lambda x: x.clip(lower=0)),
    ("ramener l'expérience exigée à la médiane du marché", "experience_en_plus", lambda x: x * 0),
    ("ramener le diplôme exigé à la médiane du marché", "diplome_en_plus", lambda x: x * 0),
    ("diffuser sur au moins trois canaux", "canaux_limites", lambda x: x * 0),
    ("étoffer la description (au moins la médiane du marché)", "description", lambda x: x.clip(lower=0)),
)

_MARCHE = """
    select code, code_territoire, periode, demandeurs_par_offre, salaire_median, experience_mediane_mois,
        diplome_median, longueur_description_mediane
    from "analyse".tension_marche
    where niveau_code = 'rome3' and niveau_territoire = 'departement' and type_periode = 'annee'
"""


def _caracteristiques(d: pd.DataFrame) -> pd.DataFrame:
    """Levels against the market; an unknown level counts as the market's."""
    d = d.copy()
    d["salaire_masque"] = (~d["salaire_affiche"].fillna(False).astype(bool)).astype(float)
    d["ecart_salaire"] = (d["salaire"] / d["salaire_median"] - 1).fillna(0.0).clip(-0.5, 0.5)
    d["experience_en_plus"] = ((d["experience_mois"] - d["experience_mediane_mois"]) / 12).clip(lower=0).fillna(0.0)
    d["diplome_en_plus"] = (d["diplome"] - d["diplome_median"]).clip(lower=0).fillna(0.0)
    # as floats: numpy's log on a nullable column also runs on its missing slots (a spurious
    # "divide by zero" warning when the market cell is missing)
    d["description"] = np.log(d["longueur_description"].astype(float).clip(lower=1)
                              / d["longueur_description_mediane"].astype(float)).fillna(0.0).clip(-3, 3)
    d["autre_contrat"] = (d["type_contrat"].fillna("").str.upper() != "CDI").astype(float)
    tension = np.log(d["demandeurs_par_offre"].astype(float).clip(lower=0.01))
    d["tension"] = tension.fillna(tension.median() if tension.notna().any() else 0.0)
    if "nb_canaux" in d:
        d["canaux_limites"] = (d["nb_canaux"] <= 2).astype(float)
    return d


def donnees_recrutements(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The pilots' requisitions with their features (all statuses: the simulations apply
    to every requisition; the model learns from the filled ones)."""
    d = con.execute(f"""
        with marche as ({_MARCHE})
        select r.entreprise, r.reference, r.rome_code_parent, r.statut,
            cast(r.delai_pourvoi_jours as double) as delai_pourvoi_jours, r.salaire_affiche,
            r.salaire_mensuel as salaire, r.experience_requise_mois as experience_mois,
            r.diplome_requis as diplome, r.type_contrat, r.nb_canaux, r.longueur_description,
            m.demandeurs_par_offre, m.salaire_median, m.experience_mediane_mois, m.diplome_median,
            m.longueur_description_mediane
        from int.recrutements as r
        left join marche as m
            on r.rome_code_parent = m.code and r.departement = m.code_territoire
            and cast(year(r.date_ouverture) as varchar) = m.periode
        where r.rome_code_parent is not null
        order by r.entreprise, r.reference""").df()  # noqa: S608 (constant text, no user value)
    return _caracteristiques(d)


def donnees_offres(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """France Travail offers that say whether they lack candidates, one per vacancy (the
    first posting of each duplicate cluster)."""
    d = con.execute(f"""
        with marche as ({_MARCHE})
        select o.rome_code_parent, cast(o.offres_manque_candidats as double) as offres_manque_candidats,
            o.salaire_affiche, (o.salaire_min_mensuel + coalesce(o.salaire_max_mensuel, o.salaire_min_mensuel)) / 2
                as salaire,
            o.experience_mois, o.niveau_diplome as diplome, o.type_contrat, o.longueur_description,
            m.demandeurs_par_offre, m.salaire_median, m.experience_mediane_mois, m.diplome_median,
            m.longueur_description_mediane
        from int.offres as o
        left join marche as m
            on o.rome_code_parent = m.code and o.departement = m.code_territoire
            and cast(year(o.date_creation) as varchar) = m.periode
        where o.source = 'france-travail' and o.offres_manque_candidats is not null
            and o.rome_code_parent is not null
        qualify row_number() over (partition by o.doublon_de order by o.date_creation, o.offre_id) = 1
        order by o.offre_id""").df()  # noqa: S608 (constant text, no user value)
    return _caracteristiques(d)


# --------------------------------------------------------------------------- models

@dataclass
class Plan:
    """Rows -> design matrix: one column per fixed-effect level, then the features
    centred and scaled (scales of the rows the plan was made from)."""

    niveaux: dict[str, list[Any]]
    facteurs: list[str]
    moyennes: np.ndarray
    ecarts: np.ndarray

    @classmethod
    def ajuster(cls, d: pd.DataFrame, mesure: Mesure, facteurs: list[str]) -> Plan:
        valeurs = d[facteurs].to_numpy(dtype=float)
        return cls({c: sorted(d[c].dropna().unique()) for c in mesure.effets_fixes}, facteurs,
                   valeurs.mean(axis=0), np.where(valeurs.std(axis=0) > 0, valeurs.std(axis=0), 1.0))

    def matrice(self, d: pd.DataFrame, facteurs: bool = True) -> np.ndarray:
        blocs = [(d[c].to_numpy()[:, None] == np.array(n, dtype=object)[None, :]).astype(float)
                 for c, n in self.niveaux.items()]
        if facteurs and self.facteurs:
            blocs.append((d[self.facteurs].to_numpy(dtype=float) - self.moyennes) / self.ecarts)
        return np.hstack(blocs)

    def colonne(self, facteur: str) -> int:
        return sum(len(n) for n in self.niveaux.values()) + self.facteurs.index(facteur)

    def centrer(self, facteur: str, valeurs: pd.Series | np.ndarray) -> np.ndarray:
        k = self.facteurs.index(facteur)
        return (np.asarray(valeurs, dtype=float) - self.moyennes[k]) / self.ecarts[k]


def _estimateur(mesure: Mesure, regles: dict[str, Any], boosting: bool = False) -> Any:
    if boosting:
        classe = HistGradientBoostingClassifier if mesure.binaire else HistGradientBoostingRegressor
        return classe(max_iter=100, learning_rate=0.1, max_depth=3, random_state=int(regles["graine"]))
    if mesure.binaire:
        return LogisticRegression(C=float(regles["c_logistique"]), max_iter=2000)
    return RidgeCV(alphas=np.logspace(-3, 2, 11))


def _cible(d: pd.DataFrame, mesure: Mesure) -> np.ndarray:
    valeurs = d[mesure.nom].to_numpy(dtype=float)
    return valeurs if mesure.binaire else np.log(np.clip(valeurs, 1, None))


def _prevoir(mesure: Mesure, modele: Any, x: np.ndarray) -> np.ndarray:
    """The measure itself: a probability, or a number of days."""
    return modele.predict_proba(x)[:, 1] if mesure.binaire else np.exp(modele.predict(x))


def _score(mesure: Mesure, modele: Any, x: np.ndarray, y: np.ndarray) -> float:
    if mesure.binaire:
        return float(roc_auc_score(y, modele.predict_proba(x)[:, 1]))
    return float(r2_score(y, modele.predict(x)))


def _plis(mesure: Mesure, regles: dict[str, Any]) -> KFold | StratifiedKFold:
    graine = int(regles["graine"])
    if mesure.binaire:
        return StratifiedKFold(int(regles["plis"]), shuffle=True, random_state=graine)
    return KFold(int(regles["plis"]), shuffle=True, random_state=graine)


@dataclass
class Estimation:
    mesure: Mesure
    n: int
    facteurs: pd.DataFrame  # one row per feature (the table's rows)
    scores: dict[str, Any]  # cross-validated scores: model, reference, boosting
    plan: Plan | None
    modeles: list[Any]  # fitted on every row, then on each bootstrap sample
    separables: dict[str, bool]
    verdict: str | None  # the reason no model was fitted, or None
    population_totale: int = 0  # rows before the random sample (``observations_max``)
    manque: str | None = None  # what was missing to fit the model (the verdict without its prefix)


def _trop_peu(mesure: Mesure, d: pd.DataFrame, regles: dict[str, Any]) -> str | None:
    """What is missing to fit the model of ``mesure`` (« 12 recrutements pourvus, il en
    faut 30 »), or None."""
    y = d[mesure.nom].dropna()
    if mesure.binaire:
        rares = int(min(y.sum(), len(y) - y.sum()))
        if rares < int(regles["min_evenements"]):
            return (f"{pluriel(rares, 'offre')} dans la classe la plus rare (signalées ou non en manque de "
                    f"candidats), il en faut {nombre_fr(int(regles['min_evenements']))}")
    elif len(y) < int(regles["min_observations"]):
        return (f"{pluriel(len(y), 'recrutement pourvu', 'recrutements pourvus')}, il en faut "
                f"{nombre_fr(int(regles['min_observations']))}")
    return None


def estimer(d: pd.DataFrame, mesure: Mesure, regles: dict[str, Any]) -> Estimation:
    """Cross-validate, measure importances and effects, for one measure. One thread:
    the models are small, and OpenMP threads fighting over a busy machine made gradient
    boosting a hundred times slower."""
    with threadpool_limits(1):
        return _estimer(d, mesure, regles)


def _estimer(d: pd.DataFrame, mesure: Mesure, regles: dict[str, Any]) -> Estimation:
    d = d[d[mesure.nom].notna()].reset_index(drop=True)
    total = len(d)
    if total > int(regles["observations_max"]):  # a seeded sample: the same rows from one run to the next
        d = d.sample(int(regles["observations_max"]), random_state=int(regles["graine"])).reset_index(drop=True)
    manque = _trop_peu(mesure, d, regles)
    if manque:
        raison = f"trop peu de données : {manque}"
        ligne = {"facteur": "aucun facteur estimé", "mesure": mesure.libelle, "population": mesure.population,
                 "n": len(d), "verdict": raison}
        return Estimation(mesure, len(d), pd.DataFrame([ligne]), {}, None, [], {}, raison, total, manque)
    facteurs = [f for f in mesure.facteurs if d[f].nunique() > 1]
    plan = Plan.ajuster(d, mesure, facteurs)
    x, reference, y = plan.matrice(d), plan.matrice(d, facteurs=False), _cible(d, mesure)
    scores: dict[str, list[float]] = {"modele": [], "reference": [], "boosting": []}
    importances: dict[str, list[float]] = {f: [] for f in facteurs}
    generateur = np.random.default_rng(int(regles["graine"]))
    plis = list(_plis(mesure, regles).split(x, y))
    for a, t in plis:
        modele = _estimateur(mesure, regles).fit(x[a], y[a])
        scores["modele"].append(_score(mesure, modele, x[t], y[t]))
        scores["reference"].append(_score(mesure, _estimateur(mesure, regles).fit(reference[a], y[a]),
                                          reference[t], y[t]))
        scores["boosting"].append(_score(mesure, _estimateur(mesure, regles, True).fit(x[a], y[a]), x[t], y[t]))
        for f in facteurs:  # permutation importance on the held-out fold
            melange = x[t].copy()
            for _ in range(int(regles["permutations"])):
                melange[:, plan.colonne(f)] = generateur.permutation(x[t][:, plan.colonne(f)])
                importances[f].append(scores["modele"][-1] - _score(mesure, modele, melange, y[t]))
    modeles = [_estimateur(mesure, regles).fit(x, y)]
    for _ in range(int(regles["tirages_bootstrap"])):
        tirage = generateur.integers(0, len(d), len(d))
        if not mesure.binaire or len(np.unique(y[tirage])) == 2:
            modeles.append(_estimateur(mesure, regles).fit(x[tirage], y[tirage]))
    separables = {f: _separable(d, f, mesure, regles) for f in facteurs}
    moyenne = {k: float(np.mean(v)) for k, v in scores.items()}
    utile = moyenne["modele"] > moyenne["reference"]
    lignes = []
    for f in facteurs:
        facteur = FACTEURS[f]
        effets = _effets(mesure, modeles, plan, x, d, facteur)
        bas, haut = np.quantile(effets[1:], [0.025, 0.975]) if len(effets) > 1 else (np.nan, np.nan)
        lignes.append({
            "facteur": facteur.libelle, "importance": float(np.mean(importances[f])),
            "importance_ic_bas": float(np.quantile(importances[f], 0.025)),
            "importance_ic_haut": float(np.quantile(importances[f], 0.975)),
            "mesure": mesure.libelle, "population": mesure.population, "contraste": facteur.contraste,
            **({"effet": float(effets[0]), "effet_ic_bas": float(bas), "effet_ic_haut": float(haut),
                "sens": _sens(mesure, effets[0], bas, haut)} if separables[f] else {}),
            "n": len(d), "verdict": _verdict(separables[f], utile, bas, haut)})
    cv = {"metrique": "AUC" if mesure.binaire else "R² du log du délai", "plis": len(plis),
          **{k: round(v, 4) for k, v in moyenne.items()}}
    return Estimation(mesure, len(d), pd.DataFrame(lignes), cv, plan, modeles, separables, None, total)


def _effets(mesure: Mesure, modeles: list[Any], plan: Plan, x: np.ndarray, d: pd.DataFrame,
            facteur: Facteur) -> np.ndarray:
    """Per model: relative change of the mean predicted measure under the contrast."""
    avant, apres = x.copy(), x.copy()
    k = plan.colonne(facteur.colonne)
    avant[:, k] = plan.centrer(facteur.colonne, facteur.reference(d[facteur.colonne]))
    apres[:, k] = plan.centrer(facteur.colonne, facteur.changer(d[facteur.colonne]))
    return np.array([_prevoir(mesure, m, apres).mean() / _prevoir(mesure, m, avant).mean() - 1 for m in modeles])


def _separable(d: pd.DataFrame, colonne: str, mesure: Mesure, regles: dict[str, Any]) -> bool:
    """Does the feature vary within companies? With a company fixed effect, a feature
    that only differs between companies has no effect of its own in these data."""
    if "entreprise" not in mesure.effets_fixes:
        return True
    totale = d[colonne].var()
    interne = (d[colonne] - d.groupby("entreprise")[colonne].transform("mean")).var()
    return bool(totale > 0 and interne / totale >= float(regles["part_variance_interne_min"]))


def _sens(mesure: Mesure, effet: float, bas: float, haut: float) -> str:
    if np.isnan(bas) or bas <= 0 <= haut:
        return "incertain"
    if mesure.binaire:
        return "augmente le risque" if effet > 0 else "diminue le risque"
    return "allonge le délai" if effet > 0 else "raccourcit le délai"


def _verdict(separable: bool, utile: bool, bas: float, haut: float) -> str:
    if not separable:
        return "non séparable de l'entreprise : ce facteur ne varie pas au sein des entreprises pilotes"
    if not utile:
        return "modèle pas meilleur que la référence (effets fixes seuls) : effet non interprétable"
    if np.isnan(bas) or bas <= 0 <= haut:
        return "pas d'effet mesurable"
    return "effet net"


# --------------------------------------------------------------------------- storage

FORMAT = 1  # layout of a stored estimation: part of its settings' fingerprint
OBSERVATIONS = "d'observations nouvelles, modifiées ou retirées"


def empreinte_reglages(mesure: Mesure, regles: dict[str, Any]) -> str:
    """What always re-estimates when it changes: the layout, the measure's definition and
    the settings (but the share that decides re-estimation)."""
    return empreinte([FORMAT, mesure, sorted((k, v) for k, v in regles.items() if k != "part_nouvelle_max")])


# The market context of each row and the features measured against it: every new offer
# moves the year's market cells (after one week of demo offers, 16 % of the requisitions
# and 10 % of the flagged offers saw one of them change), so they do not count as changed
# observations; new market statistics call for « apprendre --reentrainer ».
CONTEXTE = ("demandeurs_par_offre", "salaire_median", "experience_mediane_mois", "diplome_median",
            "longueur_description_mediane", "ecart_salaire", "experience_en_plus", "diplome_en_plus", "description",
            "tension")


def empreintes_observations(d: pd.DataFrame, mesure: Mesure) -> np.ndarray:
    """Sorted hashes of the rows the measure learns from (those with a target), on their
    own columns: the requisition's or offer's data, not its market context."""
    d = d[d[mesure.nom].notna()]
    return empreintes_lignes(*(d[c] for c in sorted(set(d.columns) - set(CONTEXTE))))


def estimer_ou_reprendre(d: pd.DataFrame, mesure: Mesure, regles: dict[str, Any], dossier: Path,
                         reentrainer: bool = False) -> tuple[Estimation, Decision]:
    """The stored estimation of ``mesure`` while its settings are the same and at most
    ``part_nouvelle_max`` of its observations changed since; else a new one (stored when
    a model was fitted: one with too little data costs nothing to redo)."""
    seuil = float(regles["part_nouvelle_max"])
    lignes = empreintes_observations(d, mesure)
    reglages = empreinte_reglages(mesure, regles)
    fichier = dossier / f"difficulte-{mesure.nom}.joblib"
    try:
        stocke = joblib.load(fichier) if fichier.exists() else None
    except (OSError, ValueError, EOFError):  # a damaged file: estimated again
        stocke = None
    if reentrainer:
        decision = Decision(True, "demande", seuil, objets=OBSERVATIONS)
    elif stocke is None:
        decision = Decision(True, "aucun_modele", seuil, objets=OBSERVATIONS)
    elif stocke["reglages"] != reglages:
        decision = Decision(True, "reglages", seuil, objets=OBSERVATIONS)
    else:
        part = part_changee(stocke["observations"], lignes)
        decision = Decision(part > seuil, "part", seuil, part, stocke["estime_le"], objets=OBSERVATIONS)
    if not decision.entraine and stocke is not None:
        return stocke["estimation"], decision
    estimation = estimer(d, mesure, regles)
    decision.entraine_le = maintenant()
    if estimation.verdict is None:
        dossier.mkdir(parents=True, exist_ok=True)
        temporaire = fichier.with_suffix(".tmp")
        joblib.dump({"estimation": estimation, "observations": lignes, "reglages": reglages,
                     "estime_le": decision.entraine_le}, temporaire, compress=3)
        temporaire.replace(fichier)
    else:
        fichier.unlink(missing_ok=True)
    return estimation, decision


# --------------------------------------------------------------------------- what if

def simuler(estimation: Estimation, recrutements: pd.DataFrame, regles: dict[str, Any]) -> pd.DataFrame:
    """Per pilot company and role, for each change it could make: the median estimated
    time to fill of the requisitions the change concerns, as they were and after the
    change, with a bootstrap interval of the difference."""
    colonnes = ["entreprise", "rome_code_parent", "scenario", "recrutements", "concernes", "delai_estime_jours",
                "delai_simule_jours", "variation_jours", "variation_ic_bas", "variation_ic_haut", "verdict"]
    if estimation.plan is None or recrutements.empty:
        return pd.DataFrame(columns=colonnes)
    plan = estimation.plan
    utile = estimation.scores["modele"] > estimation.scores["reference"]
    lignes = []
    groupes = recrutements.groupby(["entreprise", "rome_code_parent"], sort=True)
    x = plan.matrice(recrutements)
    avant_tous = np.array([_prevoir(DELAI, m, x) for m in estimation.modeles])
    for scenario, colonne, changer in SCENARIOS:
        if colonne not in estimation.separables:
            continue
        change = changer(recrutements[colonne])
        concerne = (change != recrutements[colonne]).to_numpy()
        apres = x.copy()
        apres[:, plan.colonne(colonne)] = plan.centrer(colonne, change)
        apres_tous = np.array([_prevoir(DELAI, m, apres) for m in estimation.modeles])
        for (entreprise, rome), lignes_groupe in groupes.indices.items():
            cibles = lignes_groupe[concerne[lignes_groupe]]
            if not len(cibles):
                continue
            avant = np.median(avant_tous[:, cibles], axis=1)
            variation = np.median(apres_tous[:, cibles], axis=1) - avant
            bas, haut = np.quantile(variation[1:], [0.025, 0.975]) if len(variation) > 1 else (np.nan, np.nan)
            if len(cibles) < int(regles["min_recrutements_simulation"]):
                verdict = (f"trop peu de données : {len(cibles)} recrutement(s) concerné(s), "
                           f"il en faut {regles['min_recrutements_simulation']}")
            elif not estimation.separables[colonne]:
                verdict = "non estimable : ce facteur ne varie pas au sein des entreprises pilotes"
            elif not utile:
                verdict = "modèle pas meilleur que la référence : pas d'estimation"
            elif bas <= 0 <= haut:
                verdict = "pas d'effet mesurable"
            else:
                verdict = "baisse nette du délai" if haut < 0 else "hausse nette du délai"
            chiffre = verdict in ("pas d'effet mesurable", "baisse nette du délai", "hausse nette du délai")
            lignes.append([entreprise, rome, scenario, len(lignes_groupe), len(cibles), float(avant[0]),
                           float(avant[0] + variation[0]) if chiffre else None,
                           float(variation[0]) if chiffre else None, float(bas) if chiffre else None,
                           float(haut) if chiffre else None, verdict])
    return pd.DataFrame(lignes, columns=colonnes)


# --------------------------------------------------------------------------- tables

COLONNES_FACTEURS = ["facteur", "importance", "importance_ic_bas", "importance_ic_haut", "mesure", "population",
                     "contraste", "effet", "effet_ic_bas", "effet_ic_haut", "sens", "n", "verdict"]


def ecrire(con: duckdb.DuckDBPyConnection, facteurs: pd.DataFrame, simulations: pd.DataFrame) -> None:
    """Replace the two tables (inside the caller's transaction)."""
    facteurs = facteurs.reindex(columns=COLONNES_FACTEURS)
    con.register("_facteurs", facteurs)
    con.register("_simulations", simulations)
    try:
        con.execute("""
            create or replace table ml.facteurs_difficulte as
            select cast(facteur as varchar) as facteur, cast(importance as double) as importance,
                cast(importance_ic_bas as double) as importance_ic_bas,
                cast(importance_ic_haut as double) as importance_ic_haut, cast(mesure as varchar) as mesure,
                cast(population as varchar) as population, cast(contraste as varchar) as contraste,
                cast(effet as double) as effet, cast(effet_ic_bas as double) as effet_ic_bas,
                cast(effet_ic_haut as double) as effet_ic_haut, cast(sens as varchar) as sens,
                cast(n as integer) as n, cast(verdict as varchar) as verdict
            from _facteurs""")
        con.execute("""
            create or replace table ml.simulations_entreprise as
            select cast(entreprise as varchar) as entreprise, cast(rome_code_parent as varchar) as rome_code_parent,
                cast(scenario as varchar) as scenario, cast(recrutements as integer) as recrutements,
                cast(concernes as integer) as concernes, cast(delai_estime_jours as double) as delai_estime_jours,
                cast(delai_simule_jours as double) as delai_simule_jours,
                cast(variation_jours as double) as variation_jours,
                cast(variation_ic_bas as double) as variation_ic_bas,
                cast(variation_ic_haut as double) as variation_ic_haut, cast(verdict as varchar) as verdict
            from _simulations""")
    finally:
        con.unregister("_facteurs")
        con.unregister("_simulations")
