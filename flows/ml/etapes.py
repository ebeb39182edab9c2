"""The steps of the learning stage (flows/learning.py makes each a Prefect task): each
reads the warehouse, writes a Parquet file of a working folder or the ml tables, and
leaves its model card in ``sorties/modeles/<entrepot>/<modele>/`` (carte.json, carte.md).

The classifier and the deduplication read prep only (what the sources gave); the drivers
of difficulty read int (offers and requisitions with predicted codes and clusters) and
the market context of "analyse".tension_marche.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib  # type: ignore[import-untyped]
import numpy as np
import pandas as pd

from flows import warehouse
from flows.config import parametres
from flows.manques import signaler
from flows.ml import cartes, difficulte, doublons, rome
from flows.ml.communs import (
    dossier_cartes,
    dossier_modeles,
    ecrire_carte,
    empreinte,
    maintenant,
    nettoyer_intitule,
    pourcent,
    regles,
    rendre_memoire,
)


def _evaluation(modele: str, entrepot: str) -> dict | None:
    """Figures measured on this warehouse's model and left beside its card (evaluation.json), if any."""
    fichier = dossier_cartes(modele, entrepot) / "evaluation.json"
    try:
        return json.loads(fichier.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@contextmanager
def _lire(entrepot: str, plafond: str = "memoire_max_apprentissage") -> Iterator[Any]:
    """A read-only connection whose DuckDB keeps under the ``plafond`` setting: the models
    hold their data in Python beside it, and what DuckDB does here (sorting the examples,
    reading offers by batches) can spill to disk."""
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        con.execute(f"set memory_limit = '{parametres()['entrepot'][plafond]}'")
        yield con


def classer_rome(entrepot: str, travail: str, reentrainer: bool = False) -> dict[str, Any]:
    """Train (or reuse) the classifier; predict a code for every offer and requisition
    whose code did not come with it, computing only the (model, text) pairs not already
    classified. Writes ``predictions.parquet``."""
    parametres = regles()["rome"]
    dossier = dossier_modeles(entrepot)
    with _lire(entrepot) as con:
        modele, decision = rome.charger_ou_entrainer(rome.donnees_entrepot(con), parametres, dossier, reentrainer)
        a_classer = con.execute("""
            select 'offre' as objet, source, offre_id as identifiant, coalesce(intitule, description) as texte,
                description
            from prep.offres where rome_code is null
            union all
            select 'recrutement', entreprise, reference, intitule, null
            from prep.recrutements where rome_code is null
            order by all""")
        predictions, reprises = rome.predire_avec_reprise(
            modele, warehouse.par_lots(a_classer, rome.LIGNES_PAR_PREDICTION), dossier)
    predictions["a_revoir"] = predictions.confiance.astype(float) < float(parametres["seuil_confiance"])
    chemin = Path(travail) / "predictions.parquet"
    predictions.to_parquet(chemin, index=False)
    bilan = {"fichier": str(chemin), "entraine": decision.entraine, "decision": decision.texte(),
             "predictions": len(predictions), "reprises": reprises,
             "a_revoir": int(predictions.a_revoir.sum()),
             "offres": int((predictions.objet == "offre").sum()),
             "recrutements": int((predictions.objet == "recrutement").sum())}
    carte = modele.carte | {"seuil_confiance": float(parametres["seuil_confiance"]),
                            "confiance": "probabilité calibrée que le code parent (ROME v3) soit juste",
                            "derniere_execution": {"le": maintenant(), "modele_reentraine": decision.entraine,
                                                   "modele": decision.texte(),
                                                   "part_exemples_changes": decision.part,
                                                   "part_nouvelle_max": decision.seuil,
                                                   "predictions": bilan["predictions"],
                                                   "predictions_reprises": reprises,
                                                   "a_revoir": bilan["a_revoir"]}}
    evaluation = _evaluation("rome", entrepot)
    if evaluation:
        carte["evaluation_donnees_reelles"] = evaluation
    ecrire_carte("rome", entrepot, carte, rome.carte_markdown(carte))
    bilan["carte"] = carte
    bilan["calibre"] = modele.calibration is not None
    bilan["manque"] = cartes.manque_rome(bilan, modele, int(parametres["min_offres_calibration"]))
    return bilan


# What the deduplication reads of an offer: an offer without a code is blocked on its
# predicted parent (whatever its confidence: blocking only chooses what to compare).
_OFFRES_DOUBLONS = """
    with predites as (
        select source, identifiant as offre_id, rome_code_parent
        from read_parquet(?) where objet = 'offre'
    )
    select o.source, o.offre_id, o.intitule, o.description,
        case when o.rome_code is null then p.rome_code_parent else o.rome_code_parent end as rome_code_parent,
        o.date_creation, o.departement, o.commune_insee, o.entreprise_nom, o.type_contrat,
        o.salaire_min_mensuel, o.salaire_max_mensuel, o.latitude, o.longitude, o.lieu_libelle, o.site
    from prep.offres as o
    left join predites as p on o.source = p.source and o.offre_id = p.offre_id"""
# settings that change no decision: changing them keeps the stored pairs
_SANS_EFFET = ("offres_par_lot", "textes_lus_max", "min_offres", "part_nouvelle_max")
LIGNES_PAR_LOT = 100_000  # offers' keys fetched from DuckDB at once
POIDS_TITRES = "doublons-titres.joblib"
ETAT_DOUBLONS = {"offres": "doublons-offres.parquet", "blocs": "doublons-blocs.parquet",
                 "paires": "doublons-paires.parquet", "etat": "doublons-etat.parquet"}


def regrouper_doublons(entrepot: str, predictions: str, travail: str, complet: bool = False) -> dict[str, Any]:
    """Cluster every offer, comparing again only the new or changed offers with their
    blocks (``doublons.dedoublonner_increment``, which says why the clusters are exactly
    those of a full pass); a full pass when ``complet``, on the first run, or when the
    title weights or the settings changed. The title weights are those stored beside the
    models (``_poids_titres``). Writes ``doublons.parquet`` and the state for the next run."""
    parametres = regles()["doublons"]
    rendre_memoire()
    with _lire(entrepot, "memoire_max_doublons") as con:
        toutes = pd.concat(list(warehouse.par_lots(con.execute(f"""
            select o.source, o.offre_id, coalesce(o.departement, '') as departement, o.intitule,
                hash(o.source, o.offre_id, o.intitule, o.description, o.rome_code_parent, o.date_creation,
                    o.departement, o.commune_insee, o.entreprise_nom, o.type_contrat, o.salaire_min_mensuel,
                    o.salaire_max_mensuel, o.latitude, o.longitude, o.lieu_libelle, o.site) as empreinte
            from ({_OFFRES_DOUBLONS}) as o order by o.source, o.offre_id""",  # noqa: S608 (query of the code)
            [predictions]), LIGNES_PAR_LOT)), ignore_index=True)  # (``.df()`` held DuckDB's copy beside pandas')
        manque = cartes.manque_doublons(len(toutes), int(parametres["min_offres"]))
        if manque:  # no pair to compare: each offer is a vacancy of its own
            sortie = pd.DataFrame({"source": toutes.source, "offre_id": toutes.offre_id,
                                   "doublon_de": toutes.source + ":" + toutes.offre_id, "score": np.nan})
            bilan: dict[str, Any] = {"paires_comparees": 0, "paires_retenues": 0, "lots": 0, "etat": None}
        else:
            cles = toutes.source + ":" + toutes.offre_id
            poids = _poids_titres(cles, toutes.intitule, parametres, dossier_modeles(entrepot))
            reglages = empreinte(sorted((k, v) for k, v in parametres.items() if k not in _SANS_EFFET))
            precedent = None if complet else _etat_precedent(con, poids.empreinte, reglages)
            groupes = pd.MultiIndex.from_arrays([toutes.departement, pd.Series("", index=toutes.index)])
            toutes = toutes.drop(columns=["departement", "intitule"])  # read once, not held through the pass
            numeros = doublons.lots(groupes.value_counts().to_dict(), int(parametres["offres_par_lot"]))
            lot_de_chaque = groupes.map(numeros).to_numpy()
            del groupes

            def lire(lignes: np.ndarray) -> pd.DataFrame:
                con.register("choisies", toutes[["source", "offre_id"]].iloc[lignes].assign(ligne=lignes))
                try:
                    return con.execute(f"""
                        select o.* from ({_OFFRES_DOUBLONS}) as o
                        join choisies as c on o.source = c.source and o.offre_id = c.offre_id
                        order by c.ligne""", [predictions]).df()  # noqa: S608 (query of the code)
                finally:
                    con.unregister("choisies")

            resultat = doublons.dedoublonner_increment(
                pd.DataFrame({"cle": cles, "empreinte": toutes.empreinte}), lire, precedent, parametres,
                poids.vectoriseur, lot_de_chaque)
            sortie = pd.DataFrame({"source": toutes.source, "offre_id": toutes.offre_id,
                                   "doublon_de": resultat.doublons.doublon_de, "score": resultat.doublons.score})
            dossier = Path(travail) / "etat-doublons"
            _ecrire_etat(dossier, toutes, resultat.etat, poids.empreinte, reglages)
            bilan = {"paires_comparees": resultat.doublons.paires_comparees,
                     "paires_retenues": resultat.doublons.paires_retenues, "lots": resultat.lots,
                     "etat": str(dossier), "passage": "incrémental" if precedent else "complet",
                     "raison_complet": None if precedent else
                     ("demandé (--complet)" if complet else poids.raison or "aucun état précédent ou réglages changés"),
                     "offres_comparees": resultat.comparees, "offres_reprises": len(toutes) - resultat.comparees,
                     "offres_retirees": resultat.retirees, "blocs_recalcules": resultat.blocs_recalcules,
                     "blocs_repris": resultat.blocs_repris,
                     "poids_titres": {"reutilises": poids.raison is None, "part_changee": poids.part,
                                      "seuil": float(parametres["part_nouvelle_max"]),
                                      "calcules_le": poids.calcules_le}}
    chemin = Path(travail) / "doublons.parquet"
    sortie.to_parquet(chemin, index=False)
    tailles = sortie.groupby("doublon_de").size()
    bilan |= {"fichier": str(chemin), "offres": len(sortie), "annonces": len(tailles),
              "grappes": int((tailles > 1).sum()), "manque": manque}
    carte = {"nom": "doublons entre sources", "methode": doublons.METHODE,
             "parametres": dict(parametres),
             "derniere_execution": {"le": maintenant(),
                                    **{k: v for k, v in bilan.items() if k not in ("fichier", "etat")}}}
    evaluation = _evaluation("doublons", entrepot)
    if evaluation:
        carte["evaluation"] = evaluation
    ecrire_carte("doublons", entrepot, carte, cartes.carte_doublons(carte))
    return bilan


@dataclass
class _Poids:
    vectoriseur: Any
    empreinte: str
    calcules_le: str
    part: float | None  # share of titles changed since the stored weights (None: none stored)
    raison: str | None  # why they were computed again (None: reused)


def _poids_titres(cles: pd.Series, intitules: pd.Series, parametres: dict[str, Any], dossier: Path) -> _Poids:
    """The stored title weights while at most ``part_nouvelle_max`` of the offers they were
    fitted on were removed, added or retitled (title as written) (a full pass with them gives the same
    clusters as the incremental runs); else fitted again on every offer's title, stored,
    and the state is then recomputed whole (its fingerprint differs)."""
    exemples = doublons.exemples_titres(cles, intitules)
    fichier = dossier / POIDS_TITRES
    part, raison = None, "premier calcul des poids des intitulés"
    if fichier.exists():
        stocke: doublons.PoidsTitres = joblib.load(fichier)
        part = doublons.part_changee(stocke.exemples, exemples)
        seuil = float(parametres["part_nouvelle_max"])
        if part <= seuil:
            return _Poids(stocke.vectoriseur, stocke.empreinte, stocke.calcules_le, part, None)
        raison = f"poids des intitulés recalculés : {pourcent(part)} d'intitulés changés, seuil {pourcent(seuil, 0)}"
    distincts = intitules.groupby(intitules, dropna=False).size()
    nettoyes = [nettoyer_intitule(t) for t in distincts.index]
    vectoriseur = doublons.vectoriseur_titres(pd.Series(distincts.to_numpy(), index=nettoyes))
    poids = doublons.PoidsTitres(vectoriseur, doublons.empreinte_poids(vectoriseur), exemples, maintenant())
    dossier.mkdir(parents=True, exist_ok=True)
    temporaire = fichier.with_suffix(".tmp")
    joblib.dump(poids, temporaire, compress=3)
    temporaire.replace(fichier)
    return _Poids(vectoriseur, poids.empreinte, poids.calcules_le, part, raison)


def _etat_precedent(con: Any, poids: str, reglages: str) -> doublons.Etat | None:
    """The state the last run left, if computed with these title weights and settings."""
    presentes = {t for (t,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'ml'").fetchall()}
    if not {"doublons_etat", "doublons_offres", "doublons_blocs", "doublons_paires"} <= presentes:
        return None
    if con.execute("select poids_titres, reglages from ml.doublons_etat").fetchall() != [(poids, reglages)]:
        return None
    return doublons.Etat(
        con.execute("select source || ':' || offre_id as cle, empreinte, jour from ml.doublons_offres "
                    "order by ligne").df(),
        con.execute("select ligne, bloc, ancre from ml.doublons_blocs").df(),
        con.execute("select offre_1, offre_2, score from ml.doublons_paires").df())


def _ecrire_etat(dossier: Path, toutes: pd.DataFrame, etat: doublons.Etat, poids: str, reglages: str) -> None:
    dossier.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"ligne": np.arange(len(toutes), dtype=np.int64), "source": toutes.source,
                  "offre_id": toutes.offre_id, "empreinte": etat.offres.empreinte.to_numpy(dtype=np.uint64),
                  "jour": etat.offres.jour.to_numpy(dtype=np.int64)}).to_parquet(dossier / ETAT_DOUBLONS["offres"])
    etat.blocs.to_parquet(dossier / ETAT_DOUBLONS["blocs"], index=False)
    etat.paires.to_parquet(dossier / ETAT_DOUBLONS["paires"], index=False)
    pd.DataFrame({"poids_titres": [poids], "reglages": [reglages]}).to_parquet(dossier / ETAT_DOUBLONS["etat"])


def enregistrer(entrepot: str, predictions: str, groupes: str, etat: str | None = None) -> None:
    """Replace ml.predictions_rome, ml.doublons and the state of the deduplication
    together (one transaction). Without ``etat`` (clusters not computed by
    ``regrouper_doublons``), the state is emptied: the next run makes a full pass."""
    with warehouse.ouvrir(entrepot) as con, warehouse.transaction(con):
        con.execute("delete from ml.predictions_rome")
        con.execute("""
            insert into ml.predictions_rome (objet, source, identifiant, rome_code, rome_code_parent, confiance,
                rome_code_2, rome_code_3, a_revoir)
            select objet, source, identifiant, rome_code, rome_code_parent, confiance, rome_code_2, rome_code_3,
                a_revoir
            from read_parquet(?)""", [predictions])
        con.execute("delete from ml.doublons")
        con.execute("insert into ml.doublons (source, offre_id, doublon_de, score) "
                    "select source, offre_id, doublon_de, score from read_parquet(?)", [groupes])
        for table in ("doublons_etat", "doublons_offres", "doublons_blocs", "doublons_paires"):
            con.execute(f"delete from ml.{table}")  # noqa: S608 (table names of the code)
        if etat is None:
            return
        fichiers = {k: str(Path(etat) / v) for k, v in ETAT_DOUBLONS.items()}
        con.execute("insert into ml.doublons_offres (ligne, source, offre_id, empreinte, jour) "
                    "select ligne, source, offre_id, empreinte, jour from read_parquet(?)", [fichiers["offres"]])
        con.execute("insert into ml.doublons_blocs (ligne, bloc, ancre) select ligne, bloc, ancre "
                    "from read_parquet(?)", [fichiers["blocs"]])
        con.execute("insert into ml.doublons_paires (offre_1, offre_2, score) select offre_1, offre_2, score "
                    "from read_parquet(?)", [fichiers["paires"]])
        con.execute("insert into ml.doublons_etat (poids_titres, reglages, le) "
                    "select poids_titres, reglages, current_timestamp from read_parquet(?)", [fichiers["etat"]])


def facteurs_difficulte(entrepot: str, reentrainer: bool = False) -> dict[str, Any]:
    """Estimate both measures on the int and analyse layers (read-only), or reuse a stored
    estimation whose observations changed little; then write ml.facteurs_difficulte and
    ml.simulations_entreprise (written even when reused: a fresh warehouse gets them). The
    simulations apply the delay model in use to every pilot requisition (all statuses, whose
    features may have changed): recomputed at each run, in a fraction of a second."""
    parametres = regles()["difficulte"]
    with _lire(entrepot) as con:
        recrutements = difficulte.donnees_recrutements(con)
        offres = difficulte.donnees_offres(con)
    dossier = dossier_modeles(entrepot)
    resultats = [difficulte.estimer_ou_reprendre(recrutements, difficulte.DELAI, parametres, dossier, reentrainer),
                 difficulte.estimer_ou_reprendre(offres, difficulte.MANQUE, parametres, dossier, reentrainer)]
    estimations = [e for e, _ in resultats]
    simulations = difficulte.simuler(estimations[0], recrutements, parametres)
    facteurs = pd.concat([e.facteurs for e in estimations], ignore_index=True)
    with warehouse.ouvrir(entrepot) as con, warehouse.transaction(con):
        difficulte.ecrire(con, facteurs, simulations)
    mesures = [{"mesure": e.mesure.libelle, "population": e.mesure.population, "n": e.n,
                "n_total": e.population_totale,
                "validation_croisee": e.scores or None, "verdict": e.verdict,
                "effets_nets": sorted(e.facteurs.loc[e.facteurs.verdict == "effet net", "facteur"]),
                "modele": None if e.verdict else d.texte(), "modele_reutilise": not d.entraine,
                "part_observations_changees": d.part, "part_nouvelle_max": d.seuil, "estime_le": d.entraine_le}
               for e, d in resultats]
    carte = {"nom": "facteurs de difficulté", "methode": difficulte.METHODE,
             "parametres": dict(parametres), "entraine_le": max(str(d.entraine_le) for _, d in resultats),
             "mesures": mesures,
             "simulations": {"lignes": len(simulations),
                             "chiffrees": int(simulations.variation_jours.notna().sum()) if len(simulations) else 0}}
    ecrire_carte("difficulte", entrepot, carte, cartes.carte_difficulte(carte, facteurs))
    manques = [e.manque for e in estimations if e.manque]
    return {"mesures": mesures, "simulations": carte["simulations"],
            "manque": signaler(f"facteurs : {' ; '.join(manques)}") if manques else None}
