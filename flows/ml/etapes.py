"""The steps of the learning stage (flows/learning.py makes each a Prefect task): each
reads the warehouse, writes a Parquet file of a working folder or the ml tables, and
leaves its model card in ``sorties/modeles/<entrepot>/<modele>/`` (carte.json, carte.md).

The classifier and the deduplication read prep only (what the sources gave); the drivers
of difficulty read int (offers and requisitions with predicted codes and clusters) and
the market context of "analyse".tension_marche.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from flows import warehouse
from flows.manques import signaler
from flows.ml import cartes, difficulte, doublons, rome
from flows.ml.communs import (
    dossier_cartes,
    dossier_modeles,
    ecrire_carte,
    maintenant,
    nettoyer_intitule,
    regles,
)


def _evaluation(modele: str, entrepot: str) -> dict | None:
    """Figures measured on this warehouse's model and left beside its card (evaluation.json), if any."""
    fichier = dossier_cartes(modele, entrepot) / "evaluation.json"
    try:
        return json.loads(fichier.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def classer_rome(entrepot: str, travail: str, reentrainer: bool = False) -> dict[str, Any]:
    """Train (or reuse) the classifier; predict a code for every offer and requisition
    whose code did not come with it, computing only the (model, text) pairs not already
    classified. Writes ``predictions.parquet``."""
    parametres = regles()["rome"]
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        donnees = rome.donnees_entrepot(con)
        a_classer = con.execute("""
            select 'offre' as objet, source, offre_id as identifiant, coalesce(intitule, description) as texte,
                description
            from prep.offres where rome_code is null
            union all
            select 'recrutement', entreprise, reference, intitule, null
            from prep.recrutements where rome_code is null
            order by all""").df()
    dossier = dossier_modeles(entrepot)
    modele, decision = rome.charger_ou_entrainer(donnees, parametres, dossier, reentrainer)
    predites, reprises = rome.predire_avec_reprise(modele, list(a_classer.texte), list(a_classer.description),
                                                   dossier)
    predictions = pd.concat([a_classer[["objet", "source", "identifiant"]], predites],
                            axis=1)
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


def regrouper_doublons(entrepot: str, predictions: str, travail: str) -> dict[str, Any]:
    """Cluster every offer, by batches of whole départements of at most ``offres_par_lot``
    offers (every candidate pair, by title or by description, lies in one département: the
    same clusters as one pass, with the title weights of all offers); an offer without a code is blocked on its predicted parent (whatever its
    confidence: blocking only chooses what to compare). Writes ``doublons.parquet``."""
    parametres = regles()["doublons"]
    predites = pd.read_parquet(predictions)
    predites = predites[predites.objet == "offre"].set_index(["source", "identifiant"]).rome_code_parent
    morceaux, comparees, retenues = [], 0, 0
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        toutes = con.execute("select source, offre_id, coalesce(departement, '') as departement, intitule "
                             "from prep.offres").df()
        manque = cartes.manque_doublons(len(toutes), int(parametres["min_offres"]))
        if manque:  # no pair to compare: each offer is a vacancy of its own
            morceaux.append(pd.DataFrame({"source": toutes.source, "offre_id": toutes.offre_id,
                                          "doublon_de": toutes.source + ":" + toutes.offre_id,
                                          "score": np.nan}))
        else:
            intitules = toutes.groupby("intitule", dropna=False).size()
            nettoyes = [nettoyer_intitule(t) for t in intitules.index]
            titres = doublons.vectoriseur_titres(pd.Series(intitules.to_numpy(), index=nettoyes))
            # a relay rewrites the title: pairs found by description cross title keys, so a
            # batch holds whole départements
            groupes = pd.MultiIndex.from_arrays([toutes.departement, pd.Series("", index=toutes.index)])
            numeros = doublons.lots(groupes.value_counts().to_dict(), int(parametres["offres_par_lot"]))
            toutes = toutes[["source", "offre_id"]].assign(lot=groupes.map(numeros))
            for _, lot in toutes.groupby("lot"):
                con.register("lot_courant", lot[["source", "offre_id"]])
                offres = con.execute("""
                    select o.source, o.offre_id, o.intitule, o.description, o.rome_code_parent,
                        o.rome_code is null as sans_code,
                        o.date_creation, o.departement, o.commune_insee, o.entreprise_nom, o.type_contrat,
                        o.salaire_min_mensuel, o.salaire_max_mensuel, o.latitude, o.longitude, o.lieu_libelle,
                        o.site
                    from prep.offres as o
                    semi join lot_courant as l on o.source = l.source and o.offre_id = l.offre_id
                    order by o.source, o.offre_id""").df()
                con.unregister("lot_courant")
                sans_code = offres.sans_code.to_numpy(dtype=bool)
                cles = pd.MultiIndex.from_arrays([offres.source, offres.offre_id])
                offres.loc[sans_code, "rome_code_parent"] = predites.reindex(cles[sans_code]).to_numpy()
                resultat = doublons.dedoublonner(offres, parametres, titres)
                morceaux.append(pd.DataFrame({"source": offres.source, "offre_id": offres.offre_id,
                                              "doublon_de": resultat.doublon_de, "score": resultat.score}))
                comparees += resultat.paires_comparees
                retenues += resultat.paires_retenues
                del offres
    sortie = pd.concat(morceaux, ignore_index=True) if morceaux else pd.DataFrame(
        {"source": pd.Series(dtype=str), "offre_id": pd.Series(dtype=str), "doublon_de": pd.Series(dtype=str),
         "score": pd.Series(dtype=float)})
    chemin = Path(travail) / "doublons.parquet"
    sortie.to_parquet(chemin, index=False)
    tailles = sortie.groupby("doublon_de").size()
    bilan = {"fichier": str(chemin), "offres": len(sortie), "annonces": len(tailles),
             "grappes": int((tailles > 1).sum()), "paires_comparees": comparees, "paires_retenues": retenues,
             "lots": 0 if manque else len(morceaux), "manque": manque}
    carte = {"nom": "doublons entre sources", "methode": doublons.METHODE,
             "parametres": dict(parametres),
             "derniere_execution": {"le": maintenant(), **{k: v for k, v in bilan.items() if k != "fichier"}}}
    evaluation = _evaluation("doublons", entrepot)
    if evaluation:
        carte["evaluation"] = evaluation
    ecrire_carte("doublons", entrepot, carte, cartes.carte_doublons(carte))
    return bilan


def enregistrer(entrepot: str, predictions: str, groupes: str) -> None:
    """Replace ml.predictions_rome and ml.doublons together (one transaction)."""
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


def facteurs_difficulte(entrepot: str, reentrainer: bool = False) -> dict[str, Any]:
    """Estimate both measures on the int and analyse layers (read-only), or reuse a stored
    estimation whose observations changed little; then write ml.facteurs_difficulte and
    ml.simulations_entreprise (written even when reused: a fresh warehouse gets them). The
    simulations apply the delay model in use to every pilot requisition (all statuses, whose
    features may have changed): recomputed at each run, in a fraction of a second."""
    parametres = regles()["difficulte"]
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
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
