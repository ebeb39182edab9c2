"""Flow « apprentissage »: the three models of flows/ml, from the prep tables back into
the warehouse.

1. ROME codes for the offers and requisitions that came without one (the classifier is
   retrained only when its training data changed);
2. duplicate clusters across sources, for every offer;
3. both written to ``ml.predictions_rome`` and ``ml.doublons`` in one transaction, then
   the prep and analyse layers rebuilt so that every indicator uses them;
4. drivers of difficulty on the rebuilt tables, written to
   ``"analyse".facteurs_difficulte`` and ``"analyse".simulations_entreprise``.
Each model leaves its card in ``sorties/modeles/<modele>/`` (carte.json, carte.md), where
the dashboard reads it. A step below its minimum (``[apprentissage.*]`` settings) says so
in one line of the summary and the log (``flows.manques``) instead of failing. Tasks exchange Parquet files of a working folder, never a
connection; no Prefect cache (the warehouse changes under the same inputs).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import warehouse
from flows.config import chemin_entrepot
from flows.erreurs import ErreurUtilisateur
from flows.formats import nombre_fr, pluriel
from flows.manques import signaler
from flows.ml import difficulte, doublons, rome
from flows.ml.communs import (
    dossier_cartes,
    dossier_modeles,
    ecrire_carte,
    maintenant,
    nettoyer_intitule,
    pourcent,
    regles,
)
from flows.transformation import construire_couche


def _manque_rome(bilan: dict[str, Any], modele: rome.ClassifieurRome, minimum: int) -> str | None:
    """The French line saying the classifier had nothing to classify, or too few labelled
    offers to calibrate its confidence (and measure its accuracy), or None."""
    if not bilan["predictions"]:
        return signaler("classement ROME : 0 offre et 0 recrutement sans code")
    if modele.calibration is None:
        etiquetes = (modele.carte.get("evaluation_interne") or {}).get("offres", 0)
        return signaler(f"classement ROME : {pluriel(etiquetes, 'offre ou recrutement codé', 'offres et recrutements codés')}, "
                        f"il en faut {nombre_fr(minimum)} pour calibrer la confiance")
    return None


def _manque_doublons(offres: int, minimum: int) -> str | None:
    """The French line saying there are too few offers to compare, or None."""
    if offres >= minimum:
        return None
    if offres == 0:
        return signaler("doublons : aucune offre à comparer")
    return signaler(f"doublons : {pluriel(offres, 'offre')}, il en faut {nombre_fr(minimum)} pour comparer")


def _evaluation(modele: str, entrepot: str) -> dict | None:
    """Figures measured on this warehouse's model and left beside its card (evaluation.json), if any."""
    fichier = dossier_cartes(modele, entrepot) / "evaluation.json"
    try:
        return json.loads(fichier.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@task(name="classer les codes ROME", cache_policy=NO_CACHE)
def classer_rome(entrepot: str, travail: str) -> dict[str, Any]:
    """Train (or reuse) the classifier; predict a code for every offer and requisition
    whose code did not come with it. Writes ``predictions.parquet``."""
    parametres = regles()["rome"]
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        donnees = rome.donnees_entrepot(con)
        a_classer = con.execute("""
            select 'offre' as objet, source, offre_id as identifiant, coalesce(intitule, description) as texte,
                description
            from prep.offres where rome_origine is distinct from 'offre'
            union all
            select 'recrutement', entreprise, reference, intitule, null
            from prep.recrutements where rome_origine is distinct from 'entreprise'
            order by all""").df()
    modele, entraine = rome.charger_ou_entrainer(donnees, parametres, dossier_modeles(entrepot))
    predites = modele.predire(list(a_classer.texte), list(a_classer.description))
    predictions = pd.concat([a_classer[["objet", "source", "identifiant"]], predites],
                            axis=1)
    predictions["a_revoir"] = predictions.confiance.astype(float) < float(parametres["seuil_confiance"])
    chemin = Path(travail) / "predictions.parquet"
    predictions.to_parquet(chemin, index=False)
    bilan = {"fichier": str(chemin), "entraine": entraine, "predictions": len(predictions),
             "a_revoir": int(predictions.a_revoir.sum()),
             "offres": int((predictions.objet == "offre").sum()),
             "recrutements": int((predictions.objet == "recrutement").sum())}
    carte = modele.carte | {"seuil_confiance": float(parametres["seuil_confiance"]),
                            "confiance": "probabilité calibrée que le code parent (ROME v3) soit juste",
                            "derniere_execution": {"le": maintenant(), "modele_reentraine": entraine,
                                                   "predictions": bilan["predictions"],
                                                   "a_revoir": bilan["a_revoir"]}}
    evaluation = _evaluation("rome", entrepot)
    if evaluation:
        carte["evaluation_donnees_reelles"] = evaluation
    ecrire_carte("rome", entrepot, carte, rome.carte_markdown(carte))
    bilan["carte"] = carte
    bilan["calibre"] = modele.calibration is not None
    bilan["manque"] = _manque_rome(bilan, modele, int(parametres["min_offres_calibration"]))
    return bilan


@task(name="regrouper les doublons", cache_policy=NO_CACHE)
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
        manque = _manque_doublons(len(toutes), int(parametres["min_offres"]))
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
                # coordinates, place label and relaying board are not in prep.offres: the raw
                # France Travail table has them
                offres = con.execute("""
                    select o.source, o.offre_id, o.intitule, o.description, o.rome_code_parent, o.rome_origine,
                        o.date_creation, o.departement, o.commune_insee, o.entreprise_nom, o.type_contrat,
                        o.salaire_min_mensuel, o.salaire_max_mensuel, ft.latitude, ft.longitude,
                        ft.lieu_libelle,
                        case when o.source = 'france-travail' then coalesce(ft.partenaires[1], 'France Travail')
                            else o.source end as site
                    from prep.offres as o
                    semi join lot_courant as l on o.source = l.source and o.offre_id = l.offre_id
                    left join brut.offres_ft as ft on o.source = 'france-travail' and o.offre_id = ft.offre_id
                    order by o.source, o.offre_id""").df()
                con.unregister("lot_courant")
                sans_code = (offres.rome_origine != "offre").to_numpy()
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
    ecrire_carte("doublons", entrepot, carte, _carte_doublons(carte))
    return bilan


@task(name="enregistrer les prédictions", cache_policy=NO_CACHE)
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


@task(name="facteurs de difficulté", cache_policy=NO_CACHE)
def facteurs_difficulte(entrepot: str) -> dict[str, Any]:
    """Estimate both measures on the rebuilt tables (read-only), then write the two
    analyse tables."""
    parametres = regles()["difficulte"]
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        recrutements = difficulte.donnees_recrutements(con)
        offres = difficulte.donnees_offres(con)
    estimations = [difficulte.estimer(recrutements, difficulte.DELAI, parametres),
                   difficulte.estimer(offres, difficulte.MANQUE, parametres)]
    simulations = difficulte.simuler(estimations[0], recrutements, parametres)
    facteurs = pd.concat([e.facteurs for e in estimations], ignore_index=True)
    with warehouse.ouvrir(entrepot) as con, warehouse.transaction(con):
        difficulte.ecrire(con, facteurs, simulations)
    mesures = [{"mesure": e.mesure.libelle, "population": e.mesure.population, "n": e.n,
                "n_total": e.population_totale,
                "validation_croisee": e.scores or None, "verdict": e.verdict,
                "effets_nets": sorted(e.facteurs.loc[e.facteurs.verdict == "effet net", "facteur"])}
               for e in estimations]
    carte = {"nom": "facteurs de difficulté", "methode": difficulte.METHODE,
             "parametres": dict(parametres), "entraine_le": maintenant(), "mesures": mesures,
             "simulations": {"lignes": len(simulations),
                             "chiffrees": int(simulations.variation_jours.notna().sum()) if len(simulations) else 0}}
    ecrire_carte("difficulte", entrepot, carte, _carte_difficulte(carte, facteurs))
    manques = [e.manque for e in estimations if e.manque]
    return {"mesures": mesures, "simulations": carte["simulations"],
            "manque": signaler(f"facteurs : {' ; '.join(manques)}") if manques else None}


def verifier_entrepot(entrepot: str) -> None:
    """The learning reads the prep layer: without it, one French line, not a trace."""
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        presentes = {t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'prep'").fetchall()}
    manquantes = sorted({"offres", "recrutements", "rome"} - presentes)
    if manquantes:
        raise ErreurUtilisateur(f"tables préparées absentes ({', '.join('prep.' + t for t in manquantes)}) : "
                                "lancez d'abord « python -m flows transformer »")


@flow(name="apprentissage", log_prints=True)
def apprentissage(entrepot: str | None = None) -> str:
    """ROME codes, duplicates, then drivers of difficulty; returns a French summary."""
    base = str(chemin_entrepot(entrepot))
    verifier_entrepot(base)
    with tempfile.TemporaryDirectory(prefix="apprentissage-") as travail:
        classement = classer_rome(base, travail)
        groupes = regrouper_doublons(base, classement["fichier"], travail)
        enregistrer(base, classement["fichier"], groupes["fichier"])
    construire_couche("prep", base)
    construire_couche("int", base)
    construire_couche("analyse", base)
    facteurs = facteurs_difficulte(base)
    texte = resume(classement, groupes, facteurs, base)
    print(texte)
    return texte


# --------------------------------------------------------------------------- French texts

def resume(classement: dict, groupes: dict, facteurs: dict, entrepot: str | None = None) -> str:
    carte = classement["carte"]
    classes = carte["classes"]
    exemples = carte["exemples"]
    lignes = [
        "Apprentissage :",
        f"  Classement ROME : modèle {'entraîné' if classement['entraine'] else 'réutilisé (données inchangées)'} "
        f"({nombre_fr(classes['codes_rome_4'])} codes, {nombre_fr(exemples['appellations_et_libelles'])} "
        f"appellations, {nombre_fr(exemples['offres_et_recrutements_etiquetes'])} offres et recrutements codés)."]
    if classement["predictions"]:
        lignes.append(
            f"    {pluriel(classement['offres'], 'offre')} et {pluriel(classement['recrutements'], 'recrutement')} "
            f"sans code : {nombre_fr(classement['predictions'] - classement['a_revoir'])} classé(s), "
            f"{nombre_fr(classement['a_revoir'])} à revoir (confiance < {nombre_fr(carte['seuil_confiance'], 2)}) "
            "— table ml.predictions_rome.")
    if classement.get("manque"):
        lignes.append(f"  {classement['manque']}")
    interne = carte.get("evaluation_interne")
    if interne and classement.get("calibre", True):  # uncalibrated: too few labelled offers to measure
        lignes.append(f"    Exactitude mesurée (code parent v3) : {pourcent(interne['top1_parent'])} au premier choix, "
                      f"{pourcent(interne['top3_parent'])} parmi les trois premiers.")
    lignes.append(f"  {groupes['manque']}" if groupes.get("manque") else
        f"  Doublons : {pluriel(groupes['offres'], 'offre')}, {nombre_fr(groupes['paires_comparees'])} paires "
        f"comparées, {nombre_fr(groupes['paires_retenues'])} retenues → {nombre_fr(groupes['annonces'])} annonces "
        f"distinctes ({pluriel(groupes['grappes'], 'grappe')} de doublons) — table ml.doublons.")
    if facteurs.get("manque"):
        lignes.append(f"  {facteurs['manque']}")
    for m in facteurs["mesures"]:
        if m["verdict"]:  # too little data: said by the line above
            continue
        cv = m["validation_croisee"]
        nets = ", ".join(m["effets_nets"]) or "aucun"
        lignes.append(f"  Facteurs de difficulté, {m['mesure']} ({_effectif(m)}) : "
                      f"{cv['metrique']} {nombre_fr(cv['modele'], 2)} contre {nombre_fr(cv['reference'], 2)} "
                      f"pour la référence ; effets nets : {nets}.")
    lignes.append(f"  Simulations pour les entreprises pilotes : {nombre_fr(facteurs['simulations']['lignes'])} "
                  f"ligne(s), dont {nombre_fr(facteurs['simulations']['chiffrees'])} chiffrée(s) — tables "
                  '"analyse".facteurs_difficulte et "analyse".simulations_entreprise.')
    lignes.append(f"  Cartes des modèles : {dossier_cartes('', entrepot)}")
    return "\n".join(lignes)


def _carte_doublons(carte: dict) -> str:
    d = carte["derniere_execution"]
    lignes = ["# Modèle « doublons entre sources »", "", carte["methode"], "",
              f"- Dernière exécution : {d['le']}",
              f"- Offres : {nombre_fr(d['offres'])} ; paires comparées : {nombre_fr(d['paires_comparees'])} ; "
              f"paires retenues : {nombre_fr(d['paires_retenues'])}",
              f"- Annonces distinctes : {nombre_fr(d['annonces'])} ; grappes de doublons : {nombre_fr(d['grappes'])}", ""]
    for nom, e in (carte.get("evaluation") or {}).items():
        if isinstance(e, dict) and "precision" in e:
            lignes.append(f"- Évaluation « {nom.replace('_', ' ')} » : précision {pourcent(e['precision'])}, "
                          f"rappel {pourcent(e['rappel'])} ({nombre_fr(e['paires_vraies'])} paires vraies)")
        elif isinstance(e, dict):  # figures per kind of pair
            lignes.append(f"- Évaluation « {nom.replace('_', ' ')} », par genre de paire :")
            for genre, f in e.items():
                lignes.append(f"  - {GENRES_DE_PAIRES.get(genre, genre)} ({nombre_fr(f['paires_etiquetees'])} paires, "
                              f"{nombre_fr(f['paires_vraies'])} doublons) : précision {pourcent(f['precision'])}, "
                              f"rappel {pourcent(f['rappel'])}")
    return "\n".join(lignes + ["", LIMITES_DOUBLONS]) + "\n"


GENRES_DE_PAIRES = {"relais": "relais entre sites", "chaine": "même texte pour plusieurs lieux",
                    "modele": "même modèle de texte, métiers différents", "meme_metier": "même métier, autre poste",
                    "toutes": "toutes les paires"}
LIMITES_DOUBLONS = """## Données et limites

- Paires réelles : 283 paires d'offres France Travail de Haute-Savoie (838 offres, mai-août 2025,
  dont 477 relayées par un site partenaire), jugées une à une en lisant les deux offres
  (tests/ml/paires_reelles.csv : identifiants et raison, jamais le texte) : 17 doublons (16 relais
  d'une annonce par un autre site, 1 republication) et 266 sosies qui sont d'autres postes (chaînes
  qui publient le même texte pour plusieurs magasins, modèles d'agence pour plusieurs métiers, même
  métier avec un autre contrat, d'autres horaires ou une autre saison).
- Les seuils ont été réglés en regardant ces paires : les chiffres sont optimistes (pas de jeu
  tenu à l'écart) et ne portent que sur 17 doublons d'un seul département ; un intervalle de
  confiance à 95 % sur un rappel mesuré sur 17 paires est large (environ ± 12 points).
- Relais manqué : un relais qui remplace la présentation de l'employeur par une autre (la moitié
  du texte) et y change des chiffres (Dassault Aviation relayé par Meteojob).
- Deux publications du même texte dans deux communes éloignées comptent comme deux postes, sauf
  si le texte nomme la commune de l'autre : une enseigne qui publie une seule annonce dans dix
  villes pour élargir sa recherche est donc comptée dix fois.
- Les paires ne sont cherchées qu'à l'intérieur d'un département : un relais placé dans un
  département voisin n'est pas vu.
- Coût (démonstration, bench/ml_doublons.py, 3 décembre 2026) : 12 798 offres en 3,6 s, 127 459 en
  36,0 s (temps × 9,9 pour × 10 offres : linéaire) ; les paires comparées croissent plus vite
  (× 19) car les textes de la démonstration partagent beaucoup de phrases, dans la limite de
  12 ancres par offre et 30 offres par ancre. Précision 0,97 et rappel 0,99 à 127 459 offres.
- Doublons plantés dans la démonstration (échelle 1 500) : la démonstration ne contient pas de relais
  à intitulé réécrit ; elle vérifie que la règle des relais ne fusionne pas de postes distincts."""


def _effectif(mesure: dict) -> str:
    """How many rows a measure was estimated on, and from how many when it was a sample."""
    texte = f"{nombre_fr(mesure['n'])} {mesure['population']}"
    if mesure.get("n_total", 0) > mesure["n"]:
        texte += f", tirage aléatoire parmi {nombre_fr(mesure['n_total'])}"
    return texte


def _carte_difficulte(carte: dict, facteurs: pd.DataFrame) -> str:
    lignes = ["# Modèle « facteurs de difficulté »", "", carte["methode"], "", f"- Estimé le : {carte['entraine_le']}", ""]
    for m in carte["mesures"]:
        lignes.append(f"## {m['mesure'].capitalize()} ({_effectif(m)})")
        lignes.append("")
        if m["verdict"]:
            lignes += [m["verdict"], ""]
            continue
        cv = m["validation_croisee"]
        lignes += [f"Validation croisée ({cv['plis']} plis), {cv['metrique']} : modèle {nombre_fr(cv['modele'], 3)}, "
                   f"référence (effets fixes seuls) {nombre_fr(cv['reference'], 3)}, gradient boosting "
                   f"{nombre_fr(cv['boosting'], 3)}.", "",
                   "| Facteur | Contraste | Effet | Intervalle à 95 % | Verdict |", "|---|---|---|---|---|"]
        for f in facteurs[facteurs.mesure == m["mesure"]].itertuples():
            effet = "—" if pd.isna(f.effet) else f"{f.effet:+.0%}".replace("%", "\u202f%")
            ic = "—" if pd.isna(f.effet_ic_bas) else (f"{f.effet_ic_bas:+.0%} à {f.effet_ic_haut:+.0%}"
                                                     .replace("%", "\u202f%"))
            lignes.append(f"| {f.facteur} | {f.contraste} | {effet} | {ic} | {f.verdict} |")
        lignes.append("")
    return "\n".join(lignes)

