"""Python model ``"analyse".suivi_pilote``: the effect of each action agreed with a pilot
company, as a difference in differences with a bootstrap confidence interval.

For an action starting on a date, the targeted indicator is measured on the company's
requisitions opened in the window before and in the window after, and the same on the
control group (the other pilot companies, same v3 occupations, same windows). The
effect is (after - before) for the company minus (after - before) for the control; its
interval comes from resampling requisitions within each of the four groups. The verdict
is plain French and never claims more than the data: too few requisitions on either
side gives « trop peu de données ».

It runs after the SQL models of the ``analyse`` layer, in the same transaction. A bootstrap
is not something SQL does well, hence Python here.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from flows.config import parametres

TABLE = '"analyse".suivi_pilote'


@dataclass(frozen=True)
class Indicateur:
    colonne: str  # per-requisition value in the frame built by _recrutements
    statistique: str  # "mediane" or "moyenne"
    plus_bas_est_mieux: bool
    libelle: str


INDICATEURS = {
    "delai_pourvoi": Indicateur("delai_pourvoi_jours", "mediane", True, "délai de pourvoi médian (jours)"),
    "candidatures_par_recrutement": Indicateur("candidatures", "moyenne", False,
                                               "candidatures par recrutement"),
    "taux_abandon": Indicateur("abandonne", "moyenne", True, "part des recrutements abandonnés"),
    "taux_desistement_apres_entretien": Indicateur("desistement_apres_entretien", "moyenne", True,
                                                   "part de désistements après entretien"),
}

COLONNES = ["entreprise", "action", "date_debut", "indicateur_cible", "libelle_indicateur", "temoin",
            "recrutements_avant", "recrutements_apres", "temoin_avant", "temoin_apres",
            "valeur_avant", "valeur_apres", "valeur_temoin_avant", "valeur_temoin_apres",
            "effet", "ic_bas", "ic_haut", "verdict"]


def _recrutements(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per requisition, in a fixed order (the seeded bootstrap draws positions)."""
    return con.execute("""
        select
            r.entreprise, r.reference, r.rome_code_parent, r.date_ouverture, r.statut,
            r.delai_pourvoi_jours,
            case when r.statut in ('pourvu', 'abandonne') then (r.statut = 'abandonne')::int end as abandonne,
            coalesce(c.candidatures, 0) as candidatures,
            c.desistements_avances / nullif(c.entretiens, 0) as desistement_apres_entretien
        from int.recrutements as r
        left join (
            select entreprise, reference, count(*) as candidatures,
                count(*) filter (where entretien) as entretiens,
                count(*) filter (where desistement and etape_avant_issue in ('entretien', 'proposition'))
                    as desistements_avances
            from prep.candidatures group by all
        ) as c on r.entreprise = c.entreprise and r.reference = c.reference
        order by r.entreprise, r.reference
    """).df()


def _statistique(valeurs: np.ndarray, statistique: str) -> np.ndarray:
    """Statistic over the last axis (NaN-free arrays)."""
    return np.median(valeurs, axis=-1) if statistique == "mediane" else np.mean(valeurs, axis=-1)


def difference_de_differences(avant: np.ndarray, apres: np.ndarray, temoin_avant: np.ndarray,
                              temoin_apres: np.ndarray, statistique: str, tirages: int,
                              niveau: float, graine: int) -> tuple[float, float, float]:
    """Point estimate and percentile bootstrap interval of the difference in differences."""
    groupes = (avant, apres, temoin_avant, temoin_apres)
    estimes = [_statistique(g, statistique) for g in groupes]
    effet = (estimes[1] - estimes[0]) - (estimes[3] - estimes[2])
    generateur = np.random.default_rng(graine)
    tires = [_statistique(generateur.choice(g, size=(tirages, len(g)), replace=True), statistique)
             for g in groupes]
    effets = (tires[1] - tires[0]) - (tires[3] - tires[2])
    alpha = (1 - niveau) / 2
    return float(effet), float(np.quantile(effets, alpha)), float(np.quantile(effets, 1 - alpha))


def verdict(effet: float | None, ic_bas: float | None, ic_haut: float | None, plus_bas_est_mieux: bool) -> str:
    if effet is None or ic_bas is None or ic_haut is None:
        return "trop peu de données"
    if ic_bas <= 0 <= ic_haut:
        return "pas d'effet mesurable"
    favorable = (ic_haut < 0) if plus_bas_est_mieux else (ic_bas > 0)
    return "amélioration nette" if favorable else "dégradation nette"


def evaluer(actions: pd.DataFrame, recrutements: pd.DataFrame, regles: dict) -> pd.DataFrame:
    """One row per action (pure function of its two frames, for the tests)."""
    lignes = []
    for action in actions.itertuples(index=False):
        indicateur = INDICATEURS[action.indicateur_cible]
        debut = pd.Timestamp(action.date_debut)
        avant_debut = debut - pd.DateOffset(months=regles["fenetre_mois"])
        apres_fin = debut + pd.DateOffset(months=regles["fenetre_mois"])
        ouverture = pd.to_datetime(recrutements["date_ouverture"])
        avant = (ouverture >= avant_debut) & (ouverture < debut)
        apres = (ouverture >= debut) & (ouverture < apres_fin)
        a_soi = recrutements["entreprise"] == action.entreprise
        metiers = set(recrutements.loc[a_soi, "rome_code_parent"])
        temoin = ~a_soi & recrutements["rome_code_parent"].isin(metiers)
        valeurs = recrutements[indicateur.colonne]
        groupes = [valeurs[masque & valeurs.notna()].to_numpy(dtype=float)
                   for masque in (a_soi & avant, a_soi & apres, temoin & avant, temoin & apres)]
        suffisant = min(len(groupes[0]), len(groupes[1])) >= regles["min_recrutements"] and min(
            len(groupes[2]), len(groupes[3])) >= regles["min_recrutements"]
        effet = ic_bas = ic_haut = None
        if suffisant:
            avant_, apres_, temoin_avant, temoin_apres = groupes
            effet, ic_bas, ic_haut = difference_de_differences(
                avant_, apres_, temoin_avant, temoin_apres, indicateur.statistique,
                regles["tirages_bootstrap"], regles["niveau_confiance"], regles["graine"])
        estimes = [float(_statistique(g, indicateur.statistique)) if len(g) else None for g in groupes]
        lignes.append([
            action.entreprise, action.action, action.date_debut, action.indicateur_cible, indicateur.libelle,
            "autres entreprises pilotes, mêmes métiers", *[len(g) for g in groupes], *estimes,
            effet, ic_bas, ic_haut, verdict(effet, ic_bas, ic_haut, indicateur.plus_bas_est_mieux),
        ])
    return pd.DataFrame(lignes, columns=COLONNES)


def construire(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild ``"analyse".suivi_pilote`` from the actions and the prepared requisitions."""
    actions = con.execute(
        "select entreprise, action, date_debut, indicateur_cible from brut.actions_pilote order by all").df()
    regles = parametres()["suivi"]
    suivi = evaluer(actions, _recrutements(con), regles)
    # the level of the intervals, beside the SQL models' thresholds: the report prints this one
    con.execute('''insert into "analyse".seuils (section, cle, valeur) values ('suivi', 'niveau_confiance', ?)''',
                [float(regles["niveau_confiance"])])
    con.register("_suivi", suivi)
    try:
        con.execute(f"""
            create or replace table {TABLE} as
            select
                cast(entreprise as varchar) as entreprise, cast(action as varchar) as action,
                cast(date_debut as date) as date_debut, cast(indicateur_cible as varchar) as indicateur_cible,
                cast(libelle_indicateur as varchar) as libelle_indicateur, cast(temoin as varchar) as temoin,
                cast(recrutements_avant as integer) as recrutements_avant,
                cast(recrutements_apres as integer) as recrutements_apres,
                cast(temoin_avant as integer) as temoin_avant, cast(temoin_apres as integer) as temoin_apres,
                cast(valeur_avant as double) as valeur_avant, cast(valeur_apres as double) as valeur_apres,
                cast(valeur_temoin_avant as double) as valeur_temoin_avant,
                cast(valeur_temoin_apres as double) as valeur_temoin_apres,
                cast(effet as double) as effet, cast(ic_bas as double) as ic_bas,
                cast(ic_haut as double) as ic_haut, cast(verdict as varchar) as verdict
            from _suivi
        """)  # noqa: S608 (TABLE is a constant of this module)
    finally:
        con.unregister("_suivi")
