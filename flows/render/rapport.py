"""Each pilot company's confidential report (HTML, printed to PDF by pdf.py).

Page one is the whole summary: the diagnosis in words (a cause only for the roles with a
difficulty), up to three actions on those roles, the one that weighs most in the
company's hiring first, each with its evidence and its expected effect in one sentence
(or why there are fewer than three), and the follow-up of the actions under way. Then,
flowing from page to page without forced breaks: its indicators against its peers and
the market, its funnel, its offers against the market, the method, a glossary, and in
an annex the difficulty-factor model's estimates that carry a figure.

It holds nothing of any other company: every query filters on the company, figures about
the others come only from "analyse".benchmark (which applies the statistical-secrecy
rule and says why a figure is withheld), and any other pilot's name or requisition
reference found in this company's free text (offer titles, actions) is masked
(``commun.Masque``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go

from flows.render import figures, libelles, passerelles
from flows.render.commun import (
    ETAPES_ENTONNOIR,
    Masque,
    entreprises,
    environnement,
    figure_html,
    libelles_metiers,
    manquant,
    nombre,
    ouvrir,
    plotly_js,
    pourcent,
    references,
    requete,
    seuils,
    table_existe,
)
from flows.render.empreintes import empreinte, version_rendu
from flows.render.libelles import INDICATEURS, REGLES, SYMPTOMES, formater

AUTRE = "[autre entreprise]"
OFFRES_LISTEES = 25
ROLES_SYNTHESE = 9  # rows of the summary's table of roles (page 1 holds the whole summary)
# suivi_pilote's target indicators, as named in "analyse".benchmark
INDICATEUR_SUIVI = {"delai_pourvoi": "delai_pourvoi_median_jours"}
# The difficulty-factor model's intervals run from the 2.5th to the 97.5th percentile of
# its bootstrap (flows/ml/difficulte.py, ``simuler``).
NIVEAU_SIMULATIONS = 0.95
# The difficulty-factor model's scenario (flows/ml/difficulte.py, SCENARIOS) that measures
# each action; the rules without one are not levers of the model.
SCENARIOS = {
    "salaire_masque": "afficher le salaire",
    "salaire_sous_marche": "aligner le salaire sur la médiane du marché",
    "experience_exigee": "ramener l'expérience exigée à la médiane du marché",
    "diplome_exige": "ramener le diplôme exigé à la médiane du marché",
    "peu_de_candidatures": "diffuser sur au moins trois canaux",
    "description_courte": "étoffer la description (au moins la médiane du marché)",
}


@dataclass(frozen=True)
class Lecture:
    """All a report prints, read from the warehouse: its own queries' results (free text
    already masked), the occupations' labels and the thresholds the diagnosis used."""

    entreprise: str
    donnees: dict[str, pd.DataFrame]
    metiers: dict[str, str]
    regles: dict[str, dict[str, float]]

    def empreinte(self, *autres: object) -> str:
        """The report's fingerprint: what it prints and the code that draws it (``autres``:
        what the run adds, e.g. the version of Chromium that prints the PDF)."""
        return empreinte("rapport", version_rendu(), self.entreprise, self.donnees, self.metiers, self.regles,
                         *autres)


def construire(entrepot: str | Path, entreprise: str, chemin: Path) -> Path:
    """Write the report of ``entreprise`` to ``chemin`` (an .html file)."""
    return dessiner(lire(entrepot, entreprise), chemin)


def lire(entrepot: str | Path, entreprise: str) -> Lecture:
    with ouvrir(entrepot) as con:
        donnees = _lire(con, entreprise)
        # its own name and references stay; the other pilots' are masked
        masque = Masque({nom: nom if nom == entreprise else AUTRE for nom in entreprises(con)},
                        references(con, sauf=entreprise))
        metiers = libelles_metiers(con)
        regles = seuils(con)
    # masked here, so that the fingerprint holds the text printed, not every pilot's names
    donnees["offres"] = donnees["offres"].assign(intitule=lambda t: [masque(v) for v in t["intitule"]])
    donnees["suivi"] = donnees["suivi"].assign(action=lambda t: [masque(v, personnes=True) for v in t["action"]])
    return Lecture(entreprise, donnees, metiers, regles)


def dessiner(lecture: Lecture, chemin: Path) -> Path:
    regles = lecture.regles
    contexte = _contexte(lecture.entreprise, lecture.donnees, lecture.metiers, regles,
                         regles["suivi"]["niveau_confiance"])
    page = environnement().get_template("rapport.html").render(plotly_js=plotly_js(), **contexte)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_text(page, encoding="utf-8")
    return chemin


def _lire(con: duckdb.DuckDBPyConnection, entreprise: str) -> dict[str, pd.DataFrame]:
    """Only this company's rows: each saved query ``sql/publication/rapport_<nom>.sql``
    filters on it (but the sources' periods)."""
    p = {"entreprise": entreprise}
    donnees = {nom: requete(con, f"rapport_{nom}", p) for nom in (
        "diagnostic", "preuves", "process", "entonnoir", "benchmark", "canaux", "offres", "suivi", "passerelles")}
    donnees["sources"] = requete(con, "rapport_sources")
    if table_existe(con, "simulations_entreprise", schema="ml", colonne="entreprise"):
        donnees["simulations"] = requete(con, "rapport_simulations", p)
    return donnees


def _contexte(entreprise: str, d: dict[str, pd.DataFrame], metiers: dict[str, str],
              regles: dict[str, dict[str, float]], niveau_suivi: float) -> dict:
    """What the template needs; ``regles`` are the thresholds the transformation used
    ("analyse".seuils, by section), never the TOML's of the day."""
    def libelle(code: str) -> str:
        return metiers.get(code, code)

    def metier(code: str) -> str:
        return f"{libelle(code)} ({code})"

    process = d["process"]
    graphiques = figures_rapport(process, d["entonnoir"], d["canaux"], d["benchmark"], libelle)
    diagnostic = d["diagnostic"]
    seuils = regles["diagnostic"]
    simulations = d.get("simulations")
    liste_actions = actions(d["preuves"], d["benchmark"], metier, simulations,
                            libelle=libelle)
    offres = d["offres"]
    return {
        "entreprise": entreprise,
        # the data's date, not the clock's: a report copied from an earlier run is the one a
        # full run on the same warehouse would draw
        "arrete_au": d["sources"]["donnees_jusqu_au"].max() if not d["sources"].empty else None,
        "donnees_au": offres["date_ouverture"].max() if not offres.empty else None,
        "diagnostic": diagnostic_en_mots(diagnostic, libelle, seuils),
        "roles": [{"metier": libelle(r.metier), "recrutements": r.recrutements,
                   "delai": r.delai_pourvoi_median_jours, "abandon": r.taux_abandon,
                   "cause": _cause(r.cause, r.sous_cause, court=True), "difficulte": r.difficulte}
                  for r in diagnostic.head(ROLES_SYNTHESE).itertuples(index=False)],
        "roles_en_plus": diagnostic.iloc[ROLES_SYNTHESE:]["recrutements"].agg(["count", "sum"]).to_dict(),
        "actions": liste_actions,
        "pourquoi_moins": pourquoi_moins_d_actions(liste_actions, diagnostic, libelle),
        "simulations": annexe_simulations(simulations, libelle, diagnostic),
        "simulations_absentes": simulations is None,
        "niveau_simulations": NIVEAU_SIMULATIONS,
        "suivi": _suivi(d["suivi"], d["benchmark"], niveau_suivi),
        "passerelles": passerelles.pour_rapport(d["passerelles"], metier, regles["passerelles"]),
        "indicateurs": _indicateurs(process, d["benchmark"], metier),
        "offres": offres.head(OFFRES_LISTEES).to_dict("records"),
        "offres_total": len(offres),
        "statuts": libelles.STATUTS,
        "sources": [dict(s, libelle=libelles.source(s["source"])) for s in d["sources"].to_dict("records")],
        "seuils": seuils,
        "secret": regles["secret"],
        "glossaire": libelles.glossaire(regles),
        "graphiques": {cle: figure_html(f, f"graphique-{cle}", responsive=False) for cle, f in graphiques.items()},
    }


def figures_rapport(process: pd.DataFrame, entonnoir: pd.DataFrame, canaux: pd.DataFrame, benchmark: pd.DataFrame,
                    libelle) -> dict[str, go.Figure]:
    """The report's charts, each only when it has something to show; roles named by
    ``libelle`` (their label, without code: the axes are narrow). ``entonnoir`` is the one
    row of ``sql/publication/rapport_entonnoir.sql``."""
    graphiques = {}
    if not entonnoir.empty and entonnoir["candidatures"].iloc[0] > 0:
        graphiques["entonnoir"] = figures.entonnoir_entreprise(
            [float(entonnoir[c].iloc[0]) for c in ETAPES_ENTONNOIR])
    delais = process.dropna(subset=list(libelles.DELAIS), how="all")
    if not delais.empty:
        graphiques["delais"] = figures.delais_entreprise(delais.assign(
            metier_libelle=lambda t: t["rome_code_parent"].map(libelle)))
    if not canaux.empty:
        graphiques["canaux"] = figures.canaux_entreprise(canaux.assign(canal=lambda t: t["canal"].map(libelles.canal)))
    if not process.empty:
        graphiques["offres"] = figures.offres_face_au_marche(pd.DataFrame({
            "metier": process["rome_code_parent"].map(libelle),
            "salaire": process["salaire_median"], "salaire_marche": process["salaire_marche"],
            "experience": process["experience_requise_mediane_mois"],
            "experience_marche": process["experience_marche_mois"],
            "longueur": process["longueur_description_mediane"],
            "longueur_marche": process["longueur_description_marche"]}))
    delai_pairs = benchmark.query("indicateur == 'delai_pourvoi_median_jours' and not secret")
    if not delai_pairs.empty:
        graphiques["pairs"] = figures.comparaison_pairs(delai_pairs.assign(metier=lambda t: t["metier"].map(libelle)),
                                                        "Délai de pourvoi médian", "jours")
    return graphiques


def _cause(cause: str, sous_cause: object, court: bool = False) -> str:
    """« Processus de recrutement : le contenu des offres »; ``court`` drops the sub-cause's
    explanation in brackets (for the summary's table)."""
    libelle = libelles.CAUSES.get(cause, cause)
    if manquant(sous_cause):
        return libelle
    detail = libelles.SOUS_CAUSES.get(str(sous_cause), str(sous_cause))
    return f"{libelle} : {detail.split(' (')[0] if court else detail}"


def _enumerer(mots: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    return mots[0] if len(mots) == 1 else f"{', '.join(mots[:-1])} et {mots[-1]}"


def _quelques(mots: list[str], combien: int = 4) -> str:
    """At most ``combien`` names, then how many more: the summary keeps to one page."""
    if len(mots) <= combien:
        return _enumerer(mots)
    return f"{', '.join(mots[:combien - 1])} et {len(mots) - combien + 1} autres"


def _recrutements(n: object) -> str:
    return f"{nombre(n)} recrutement{'s' if not manquant(n) and float(n) >= 2 else ''}"  # type: ignore[arg-type]


def diagnostic_en_mots(diagnostic: pd.DataFrame, libelle, seuils: dict) -> list[str]:
    """The diagnosis as a few French sentences: how many roles have a difficulty and how
    much they weigh, the main one's cause, the roles without difficulty."""
    if diagnostic.empty:
        return ["Aucun recrutement analysé pour l'instant."]
    total = int(diagnostic["recrutements"].sum())
    difficiles = diagnostic[diagnostic["difficulte"]]
    definition = (f"délai de pourvoi médian au-delà de {nombre(seuils['difficulte_delai_jours'])} jours "
                  f"ou plus de {pourcent(seuils['difficulte_taux_abandon'])} de recrutements abandonnés")
    phrases = []
    if difficiles.empty:
        sujet = ("Votre métier recruté" if len(diagnostic) == 1 else
                 f"Aucun de vos {nombre(len(diagnostic))} métiers recrutés")
        phrases.append(f"{sujet} ({_recrutements(total)}) ne connaît {'pas' if len(diagnostic) == 1 else ''} de "
                       f"difficulté de recrutement ({definition}).".replace("  ", " "))
    else:
        poids = int(difficiles["recrutements"].sum())
        k, n = len(difficiles), len(diagnostic)
        if n == 1:
            phrases.append(f"Votre métier recruté connaît une difficulté de recrutement ({definition}).")
        elif k == n:
            phrases.append(f"Vos {nombre(n)} métiers recrutés connaissent tous une difficulté de recrutement "
                           f"({definition}).")
        else:
            sujet = f"Un de vos {nombre(n)} métiers connaît" if k == 1 else f"{nombre(k)} de vos {nombre(n)} métiers connaissent"
            pronom = "il représente" if k == 1 else "ils représentent"
            phrases.append(f"{sujet} une difficulté de recrutement ({definition}) ; {pronom} {nombre(poids)} de "
                           f"vos {_recrutements(total)}.")
        principal = difficiles.iloc[0]
        premier = diagnostic.iloc[0]
        rang = ("" if n == 1 else ", votre premier métier" if principal["metier"] == premier["metier"]
                else ", votre premier métier en difficulté")
        sous_cause = "" if manquant(principal["sous_cause"]) else libelles.SOUS_CAUSES.get(principal["sous_cause"], "")
        phrases.append(
            f"Pour {libelle(principal['metier'])}{rang} ({_recrutements(principal['recrutements'])}, délai médian "
            f"{nombre(principal['delai_pourvoi_median_jours'])} jours, "
            f"{pourcent(principal['taux_abandon'])} d'abandons) : "
            + libelles.DIAGNOSTICS[principal["cause"]].format(sous_cause=sous_cause)[0].lower()
            + libelles.DIAGNOSTICS[principal["cause"]].format(sous_cause=sous_cause)[1:])
        autres = difficiles.iloc[1:]
        if not autres.empty:
            causes = {(c, None if manquant(x) else x) for c, x in zip(autres["cause"], autres["sous_cause"], strict=True)}
            meme = causes == {(principal["cause"], None if manquant(principal["sous_cause"]) else principal["sous_cause"])}
            noms = _enumerer([libelle(m) for m in autres["metier"]]) if len(autres) <= 2 else (
                f"vos {nombre(len(autres))} autres métiers en difficulté")
            phrases.append(f"Même diagnostic pour {noms}." if meme else
                           f"Difficulté aussi pour {noms}, aux causes détaillées dans le tableau.")
    faciles = diagnostic[diagnostic["cause"] == "pas_de_difficulte"]
    if not faciles.empty and not difficiles.empty:
        phrases.append(f"Sans difficulté : {_quelques([libelle(m) for m in faciles['metier']])}.")
    non_mesures = diagnostic[diagnostic["cause"] == "non_mesurable"]
    if not non_mesures.empty:
        phrases.append(f"Pas encore mesurable (aucun recrutement clos) : "
                       f"{_quelques([libelle(m) for m in non_mesures['metier']])}.")
    return phrases


def actions(preuves: pd.DataFrame, benchmark: pd.DataFrame, metier, simulations: pd.DataFrame | None = None,
            combien: int = 3, libelle=None) -> list[dict]:
    """The fired rules of the roles with a difficulty phrased as actions, the role that
    weighs most in the company's hiring first (``preuves`` comes ordered by role weight,
    then by how far past its threshold each rule is), one per rule, at most ``combien``;
    each with its evidence and its expected effect in one sentence."""
    libelle = libelle or metier
    retenues = preuves[preuves["regle"].isin(REGLES) & ~preuves["regle"].isin(SYMPTOMES)]
    resultat = []
    for ligne in retenues.drop_duplicates("regle").head(combien).itertuples(index=False):
        regle = REGLES[ligne.regle]
        sans_signe = "pourcent" if regle.unite == "ecart" else regle.unite
        valeurs = {
            "metier": metier(ligne.metier), "valeur": formater(ligne.valeur, regle.unite),
            "reference": formater(ligne.reference, regle.unite), "seuil": formater(ligne.seuil, regle.unite),
            "valeur_abs": formater(None if manquant(ligne.valeur) else abs(ligne.valeur), sans_signe),
            "seuil_abs": formater(None if manquant(ligne.seuil) else abs(ligne.seuil), sans_signe),
            "pairs": _pairs(benchmark, ligne.metier, regle.indicateur_pairs, regle.unite),
        }
        autres = list(dict.fromkeys(retenues.loc[retenues["regle"] == ligne.regle, "metier"]))[1:]
        resultat.append({
            "titre": regle.titre, "constat": regle.constat.format(**valeurs),
            "objectif": regle.objectif.format(**valeurs),
            "effet": effet_attendu(ligne.regle, ligne.metier, simulations),
            "ailleurs": (_enumerer([libelle(m) for m in autres]) if len(autres) <= 2
                         else f"{nombre(len(autres))} autres métiers en difficulté") if autres else "",
        })
    return resultat


def effet_attendu(regle: str, code: str, simulations: pd.DataFrame | None) -> str | None:
    """The difficulty-factor model's estimate for this action on this role, as one French
    sentence with its 95 % interval, or why there is none (None before the models are
    trained: the report says so once)."""
    if simulations is None:
        return None
    scenario = SCENARIOS.get(regle)
    if scenario is None:
        return "non chiffré : le modèle des facteurs de difficulté ne mesure pas ce levier."
    lignes = simulations[(simulations["rome_code_parent"] == code) & (simulations["scenario"] == scenario)]
    if lignes.empty:
        return "non chiffré : aucun de vos recrutements de ce métier n'est concerné dans les données du modèle."
    s = lignes.iloc[0]
    if manquant(s["variation_jours"]):
        return f"non chiffré ({s['verdict']})."
    avant, apres = nombre(s["delai_estime_jours"]), nombre(s["delai_simule_jours"])
    concernes = f"pour vos {nombre(s['concernes'])} recrutements concernés" if s["concernes"] >= 2 else (
        "pour votre recrutement concerné")
    bas, haut = float(s["variation_ic_bas"]), float(s["variation_ic_haut"])
    if haut < 0:
        return (f"délai estimé {avant} → {apres} jours {concernes}, soit {nombre(-s['variation_jours'])} jours de "
                f"moins (intervalle à {pourcent(NIVEAU_SIMULATIONS)} : {nombre(-haut)} à {nombre(-bas)} jours de moins).")
    if bas > 0:
        return (f"délai estimé {avant} → {apres} jours {concernes}, soit {nombre(s['variation_jours'])} jours de "
                f"plus (intervalle à {pourcent(NIVEAU_SIMULATIONS)} : {nombre(bas)} à {nombre(haut)} jours de plus).")
    return (f"pas d'effet mesurable sur le délai ({avant} → {apres} jours {concernes} ; intervalle à {pourcent(NIVEAU_SIMULATIONS)} de "
            f"la variation : {_signe(bas)} à {_signe(haut)} jours).")


def _signe(valeur: float) -> str:
    texte = nombre(abs(valeur))
    return texte if texte == "0" else (f"+{texte}" if valeur > 0 else f"−{texte}")


def pourquoi_moins_d_actions(liste: list[dict], diagnostic: pd.DataFrame, libelle, nombre_vise: int = 3) -> str | None:
    """Why the report proposes fewer than ``nombre_vise`` actions (None when it does not)."""
    if len(liste) >= nombre_vise:
        return None
    difficiles = diagnostic[diagnostic["difficulte"]] if not diagnostic.empty else diagnostic
    if difficiles.empty:
        return ("Aucune action prioritaire : aucun de vos métiers ne dépasse les seuils de difficulté. Nous ne "
                "proposons pas d'action sans difficulté à résoudre ; continuez à suivre vos délais de pourvoi.")
    metiers = _enumerer([libelle(m) for m in difficiles["metier"]])
    if not liste:
        return (f"Aucune action chiffrée : sur vos métiers en difficulté ({metiers}), aucune règle du diagnostic "
                "ne met en cause vos offres, vos exigences, votre sourcing ni votre procédure face au marché et aux "
                "autres entreprises pilotes. La cause est à rechercher avec l'équipe du Hub.")
    nombres = {1: "une seule action", 2: "deux actions", 3: "trois"}
    return (f"Pourquoi {nombres[len(liste)]} et non {nombres.get(nombre_vise, nombre_vise)} : sur vos "
            f"métiers en difficulté ({metiers}), les autres règles du diagnostic (exigences, contenu des offres, "
            "sourcing, procédure) restent dans la norme du marché et des autres entreprises pilotes ; nous ne "
            "proposons pas d'action sans écart mesuré.")


def annexe_simulations(simulations: pd.DataFrame | None, metier, diagnostic: pd.DataFrame) -> list[dict] | None:
    """The model's estimates that say something (a figure, not « trop peu de données »),
    the company's main roles first, in French."""
    if simulations is None:
        return None
    poids = dict(zip(diagnostic["metier"], diagnostic["recrutements"], strict=True))
    chiffrees = simulations.dropna(subset=["variation_jours"]).assign(
        poids=lambda t: t["rome_code_parent"].map(poids).fillna(0))
    lignes = []
    for s in chiffrees.sort_values(["poids", "rome_code_parent", "variation_jours"],
                                   ascending=[False, True, True]).itertuples(index=False):
        lignes.append({
            "metier": metier(s.rome_code_parent), "levier": s.scenario[:1].upper() + s.scenario[1:],
            "concernes": s.concernes, "recrutements": s.recrutements,
            "avant": s.delai_estime_jours, "apres": s.delai_simule_jours,
            "variation": f"{_signe(s.variation_jours)} j ({_signe(s.variation_ic_bas)} à {_signe(s.variation_ic_haut)})",
            "verdict": s.verdict})
    return lignes


def _pairs(benchmark: pd.DataFrame, code: str, indicateur: str | None, unite: str) -> str:
    """The peers' median for the sentence, or why the secrecy rule withholds it."""
    if indicateur is None:
        return ""
    lignes = benchmark[(benchmark["metier"] == code) & (benchmark["indicateur"] == indicateur)]
    if lignes.empty:
        return "sans comparaison possible avec d'autres entreprises pilotes"
    ligne = lignes.iloc[0]
    if ligne["secret"]:
        return f"comparaison avec les autres entreprises pilotes non publiée ({ligne['motif_secret']})"
    return (f"contre {formater(ligne['pairs_mediane'], unite)} en médiane chez les "
            f"{ligne['nb_pairs']} autres entreprises pilotes du métier")


def _suivi(suivi: pd.DataFrame, benchmark: pd.DataFrame, niveau: float) -> list[dict]:
    """Agreed actions and their measured effect. The effect is shown only when the other
    pilot companies it is compared with pass the secrecy rule on that indicator."""
    lignes = []
    for s in suivi.itertuples(index=False):
        indicateur = INDICATEUR_SUIVI.get(s.indicateur_cible, s.indicateur_cible)
        regle = benchmark[benchmark["indicateur"] == indicateur]
        motifs = sorted(set(regle.loc[regle["secret"], "motif_secret"].dropna()))
        publiable = not regle.empty and not motifs
        lignes.append({
            "action": s.action, "date_debut": s.date_debut,
            "indicateur": s.libelle_indicateur, "avant": s.valeur_avant, "apres": s.valeur_apres,
            "recrutements_avant": s.recrutements_avant, "recrutements_apres": s.recrutements_apres,
            "verdict": s.verdict,
            "effet": _effet_suivi(s.effet, s.ic_bas, s.ic_haut, niveau) if publiable and not manquant(s.effet) else None,
            "motif_secret": None if publiable else (motifs[0] if motifs else "pas de comparaison possible"),
        })
    return lignes


def _effet_suivi(effet: float, bas: object, haut: object, niveau: float) -> str:
    """« effet estimé −35 (intervalle à {pourcent(NIVEAU_SIMULATIONS)} : −49 à −11) »."""
    if manquant(bas) or manquant(haut):
        return f"effet estimé {_signe(effet)}"
    return (f"effet estimé {_signe(effet)} (intervalle à {pourcent(niveau)} : "
            f"{_signe(float(bas))} à {_signe(float(haut))})")  # type: ignore[arg-type]


def _indicateurs(process: pd.DataFrame, benchmark: pd.DataFrame, metier) -> list[dict]:
    """Per role: each indicator, the company's value, its peers' median (or why not), the market's."""
    roles = []
    for p in process.itertuples(index=False):
        comparaisons = benchmark[benchmark["metier"] == p.rome_code_parent].set_index("indicateur")
        lignes = []
        for cle, indicateur in INDICATEURS.items():
            b = comparaisons.loc[cle] if cle in comparaisons.index else None
            if b is None:
                pairs = "—"
            elif b["secret"]:
                pairs = f"non publié : {b['motif_secret']}"
            else:
                pairs = f"{formater(b['pairs_mediane'], indicateur.unite)} ({b['nb_pairs']} entreprises)"
            marche = getattr(p, indicateur.marche) if indicateur.marche else None
            lignes.append({"libelle": indicateur.libelle, "vous": formater(getattr(p, cle), indicateur.unite),
                           "pairs": pairs, "marche": formater(marche, indicateur.unite)})
            if cle == "ecart_salaire_marche":
                lignes.append({"libelle": "Salaire mensuel médian proposé", "vous": formater(p.salaire_median, "euros"),
                               "pairs": "—", "marche": formater(p.salaire_marche, "euros")})
        roles.append({"metier": metier(p.rome_code_parent), "recrutements": p.recrutements, "lignes": lignes})
    return roles
