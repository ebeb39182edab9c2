"""French texts of the learning stage: the lines saying a step had too little data, its
summaries, and the Markdown of the model cards (``sorties/modeles/<entrepot>/<modele>/carte.md``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from flows.formats import date_fr, nombre_fr, pluriel
from flows.manques import signaler
from flows.ml import rome
from flows.ml.communs import dossier_cartes, pourcent


def manque_rome(bilan: dict[str, Any], modele: rome.ClassifieurRome, minimum: int) -> str | None:
    """The French line saying the classifier had nothing to classify, or too few labelled
    offers to calibrate its confidence (and measure its accuracy), or None."""
    if not bilan["predictions"]:
        return signaler("classement ROME : 0 offre et 0 recrutement sans code")
    if modele.calibration is None:
        etiquetes = (modele.carte.get("evaluation_interne") or {}).get("offres", 0)
        return signaler(f"classement ROME : {pluriel(etiquetes, 'offre ou recrutement codé', 'offres et recrutements codés')}, "
                        f"il en faut {nombre_fr(minimum)} pour calibrer la confiance")
    return None


def manque_doublons(offres: int, minimum: int) -> str | None:
    """The French line saying there are too few offers to compare, or None."""
    if offres >= minimum:
        return None
    if offres == 0:
        return signaler("doublons : aucune offre à comparer")
    return signaler(f"doublons : {pluriel(offres, 'offre')}, il en faut {nombre_fr(minimum)} pour comparer")



def resume_classement(classement: dict, groupes: dict) -> str:
    """Summary of part (a): the ROME classifier and the duplicate clusters."""
    carte = classement["carte"]
    classes = carte["classes"]
    exemples = carte["exemples"]
    lignes = [
        "Apprentissage, codes ROME et doublons :",
        f"  Classement ROME : modèle {'entraîné' if classement['entraine'] else 'réutilisé'} "
        f"({nombre_fr(classes['codes_rome_4'])} codes, {nombre_fr(exemples['appellations_et_libelles'])} "
        f"appellations, {nombre_fr(exemples['offres_et_recrutements_etiquetes'])} offres et recrutements codés).",
        f"    {classement['decision'][0].upper()}{classement['decision'][1:]}."]
    if classement["predictions"]:
        lignes.append(
            f"    {pluriel(classement['offres'], 'offre')} et {pluriel(classement['recrutements'], 'recrutement')} "
            f"sans code : {nombre_fr(classement['predictions'] - classement['a_revoir'])} classé(s), "
            f"{nombre_fr(classement['a_revoir'])} à revoir (confiance < {nombre_fr(carte['seuil_confiance'], 2)}) "
            "— table ml.predictions_rome.")
        lignes.append(f"    Prédictions reprises telles que ce modèle les avait faites (même texte) : "
                      f"{nombre_fr(classement['reprises'])} ; calculées : "
                      f"{nombre_fr(classement['predictions'] - classement['reprises'])}.")
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
    if not groupes.get("manque"):
        lignes.append(f"    {passage_doublons(groupes)}")
    return "\n".join(lignes)


def passage_doublons(d: dict) -> str:
    """What the deduplication did again and what it reused, in one French sentence."""
    poids = d["poids_titres"]
    if d["passage"] == "incrémental":
        texte = (f"doublons : {pluriel(d['offres_comparees'], 'offre nouvelle ou modifiée', 'offres nouvelles ou modifiées')} "
                 f"comparée{'s' if d['offres_comparees'] > 1 else ''} dans {pluriel(d['blocs_recalcules'], 'bloc')} ; "
                 f"{pluriel(d['offres_reprises'], 'offre reprise', 'offres reprises')} telle{'s' if d['offres_reprises'] > 1 else ''} "
                 f"quelle{'s' if d['offres_reprises'] > 1 else ''}, {pluriel(d['blocs_repris'], 'bloc repris', 'blocs repris')}")
        if d["offres_retirees"]:
            texte += f", {pluriel(d['offres_retirees'], 'offre retirée', 'offres retirées')}"
    else:
        texte = (f"doublons : passage complet ({d['raison_complet']}), {pluriel(d['offres_comparees'], 'offre comparée', 'offres comparées')} "
                 f"dans {pluriel(d['blocs_recalcules'], 'bloc')}")
    if poids["reutilises"]:
        texte += (f" ; poids des intitulés du {date_fr(date.fromisoformat(poids['calcules_le'][:10]))} réutilisés "
                  f"({pourcent(poids['part_changee'])} "
                  f"d'intitulés changés, seuil {pourcent(poids['seuil'], 0)})")
    return texte + "."


def resume_facteurs(facteurs: dict, entrepot: str | None = None) -> str:
    """Summary of part (b): the drivers of difficulty, and where every model card is."""
    lignes = ["Apprentissage, facteurs de difficulté :"]
    if facteurs.get("manque"):
        lignes.append(f"  {facteurs['manque']}")
    for m in facteurs["mesures"]:
        if m["verdict"]:  # too little data: said by the line above
            continue
        cv = m["validation_croisee"]
        nets = ", ".join(m["effets_nets"]) or "aucun"
        lignes.append(f"  Facteurs de difficulté, {m['mesure']} ({effectif(m)}) : "
                      f"{cv['metrique']} {nombre_fr(cv['modele'], 2)} contre {nombre_fr(cv['reference'], 2)} "
                      f"pour la référence ; effets nets : {nets}.")
        if m.get("modele"):
            lignes.append(f"    {m['modele'][:1].upper()}{m['modele'][1:]}.")
    lignes.append(f"  Simulations pour les entreprises pilotes : {nombre_fr(facteurs['simulations']['lignes'])} "
                  f"ligne(s), dont {nombre_fr(facteurs['simulations']['chiffrees'])} chiffrée(s) — tables "
                  "ml.facteurs_difficulte et ml.simulations_entreprise.")
    lignes.append(f"  Cartes des modèles : {dossier_cartes('', entrepot)}")
    return "\n".join(lignes)


# said after « apprendre » alone: it ran on the layers as they were
RELANCER = ("  Les couches int et analyse (indicateurs, diagnostic) ont été construites avant ces prédictions "
            "et ces doublons : relancez « python -m flows transformer » pour qu'elles en tiennent compte, puis "
            "« apprendre » pour réestimer les facteurs de difficulté sur ces couches (« pipeline » enchaîne "
            "ces étapes dans l'ordre).")


def carte_doublons(carte: dict) -> str:
    d = carte["derniere_execution"]
    lignes = ["# Modèle « doublons entre sources »", "", carte["methode"], "",
              f"- Dernière exécution : {d['le']}",
              f"- Offres : {nombre_fr(d['offres'])} ; paires comparées : {nombre_fr(d['paires_comparees'])} ; "
              f"paires retenues : {nombre_fr(d['paires_retenues'])}",
              f"- Annonces distinctes : {nombre_fr(d['annonces'])} ; grappes de doublons : {nombre_fr(d['grappes'])}"]
    if "passage" in d:  # too few offers: nothing compared
        lignes.append(f"- {passage_doublons(d)[0].upper()}{passage_doublons(d)[1:]}")
    lignes.append("")
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


def effectif(mesure: dict) -> str:
    """How many rows a measure was estimated on, and from how many when it was a sample."""
    texte = f"{nombre_fr(mesure['n'])} {mesure['population']}"
    if mesure.get("n_total", 0) > mesure["n"]:
        texte += f", tirage aléatoire parmi {nombre_fr(mesure['n_total'])}"
    return texte


def carte_difficulte(carte: dict, facteurs: pd.DataFrame) -> str:
    lignes = ["# Modèle « facteurs de difficulté »", "", carte["methode"], "", f"- Estimé le : {carte['entraine_le']}", ""]
    for m in carte["mesures"]:
        lignes.append(f"## {m['mesure'].capitalize()} ({effectif(m)})")
        lignes.append("")
        if m["verdict"]:
            lignes += [m["verdict"], ""]
            continue
        if m.get("modele"):
            lignes += [f"{m['modele'][:1].upper()}{m['modele'][1:]}.", ""]
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

