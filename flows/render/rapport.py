"""Each pilot company's confidential report (HTML, printed to PDF by pdf.py).

Page one says in plain words what the diagnosis is and the three actions that matter
most, with their evidence; then its indicators against its peers and the market, its
funnel, its offers against the market, the method and a glossary.

It holds nothing of any other company: every query filters on the company, figures about
the others come only from "analyse".benchmark (which applies the statistical-secrecy
rule and says why a figure is withheld), and any other pilot's name or requisition
reference found in this company's free text (offer titles, actions) is masked
(``commun.Masque``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from flows.config import parametres
from flows.render import figures, libelles, passerelles
from flows.render.commun import (
    ETAPES_ENTONNOIR,
    Masque,
    comptes_entonnoir,
    entreprises,
    environnement,
    figure_html,
    libelles_metiers,
    lire,
    manquant,
    ouvrir,
    plotly_js,
    references,
    table_existe,
)
from flows.render.libelles import INDICATEURS, REGLES, SYMPTOMES, formater

AUTRE = "[autre entreprise]"
OFFRES_LISTEES = 25
# suivi_pilote's target indicators, as named in "analyse".benchmark
INDICATEUR_SUIVI = {"delai_pourvoi": "delai_pourvoi_median_jours"}


def construire(entrepot: str | Path, entreprise: str, chemin: Path) -> Path:
    """Write the report of ``entreprise`` to ``chemin`` (an .html file)."""
    with ouvrir(entrepot) as con:
        donnees = _lire(con, entreprise)
        # its own name and references stay; the other pilots' are masked
        masque = Masque({nom: nom if nom == entreprise else AUTRE for nom in entreprises(con)},
                        references(con, sauf=entreprise))
        metiers = libelles_metiers(con)
    contexte = _contexte(entreprise, donnees, metiers, masque, parametres())
    page = environnement().get_template("rapport.html").render(plotly_js=plotly_js(), **contexte)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_text(page, encoding="utf-8")
    return chemin


def _lire(con: duckdb.DuckDBPyConnection, entreprise: str) -> dict[str, pd.DataFrame]:
    """Only this company's rows (every query filters on it)."""
    p = [entreprise]
    donnees = {
        "diagnostic": lire(con, """select rome_code_parent as metier, cause, sous_cause, recrutements,
                delai_pourvoi_median_jours, taux_abandon
            from "analyse".diagnostic where entreprise = ? and type_periode = 'ensemble'
            order by recrutements desc, metier""", p),
        "preuves": lire(con, """select rome_code_parent as metier, famille, regle, valeur, reference, seuil, force
            from "analyse".diagnostic_preuves
            where entreprise = ? and type_periode = 'ensemble' and declenchee
            order by force desc, regle, metier""", p),
        "process": lire(con, """select * from "analyse".process_entreprise
            where entreprise = ? and type_periode = 'ensemble' order by recrutements desc, rome_code_parent""", p),
        "benchmark": lire(con, """select rome_code_parent as metier, indicateur, valeur, secret, motif_secret,
                nb_pairs, pairs_mediane
            from "analyse".benchmark where entreprise = ? and type_periode = 'ensemble'
            order by metier, indicateur""", p),
        "canaux": lire(con, """select canal, sum(candidatures) as candidatures, sum(embauches) as embauches
            from "analyse".process_canaux where entreprise = ? group by canal order by candidatures desc, canal""", p),
        "offres": lire(con, """select reference, intitule, rome_code_parent as metier, date_ouverture, statut,
                delai_pourvoi_jours, salaire_mensuel, salaire_marche, experience_requise_mois,
                experience_marche_mois, longueur_description, longueur_description_marche
            from "analyse".offres_entreprise where entreprise = ?
            order by date_ouverture desc, reference""", p),
        "suivi": lire(con, """select action, date_debut, indicateur_cible, libelle_indicateur, recrutements_avant,
                recrutements_apres, valeur_avant, valeur_apres, effet, ic_bas, ic_haut, verdict
            from "analyse".suivi_pilote where entreprise = ? order by date_debut, action""", p),
        "sources": lire(con, """select source, donnees_depuis, donnees_jusqu_au from "analyse".sources
            where source not in ('rome', 'communes', 'fap2021') order by source"""),
    }
    if table_existe(con, "simulations_entreprise") and "entreprise" in [
            c[0] for c in con.execute('describe "analyse".simulations_entreprise').fetchall()]:
        donnees["simulations"] = lire(con, 'select * exclude (entreprise) from "analyse".simulations_entreprise '
                                           "where entreprise = ? order by rome_code_parent, scenario", p)
    donnees["passerelles"] = passerelles.lire_rapport(con, entreprise)
    return donnees


def _contexte(entreprise: str, d: dict[str, pd.DataFrame], metiers: dict[str, str], masque: Masque,
              regles: dict) -> dict:
    def metier(code: str) -> str:
        return f"{metiers.get(code, code)} ({code})"

    process = d["process"].assign(metier_libelle=lambda t: t["rome_code_parent"].map(metier))
    graphiques = {}
    if not process.empty and process["candidatures"].sum() > 0:
        comptes = comptes_entonnoir(process)[ETAPES_ENTONNOIR].sum()
        graphiques["entonnoir"] = figures.entonnoir_entreprise([float(comptes[c]) for c in ETAPES_ENTONNOIR])
    delais = process.dropna(subset=list(libelles.DELAIS), how="all")
    if not delais.empty:
        graphiques["delais"] = figures.delais_entreprise(delais)
    if not d["canaux"].empty:
        graphiques["canaux"] = figures.canaux_entreprise(d["canaux"].assign(canal=lambda t: t["canal"].map(libelles.canal)))
    if not process.empty:
        graphiques["offres"] = figures.offres_face_au_marche(pd.DataFrame({
            "metier": process["rome_code_parent"],
            "salaire": process["salaire_median"], "salaire_marche": process["salaire_marche"],
            "experience": process["experience_requise_mediane_mois"],
            "experience_marche": process["experience_marche_mois"],
            "longueur": process["longueur_description_mediane"],
            "longueur_marche": process["longueur_description_marche"]}))
    delai_pairs = d["benchmark"].query("indicateur == 'delai_pourvoi_median_jours' and not secret")
    if not delai_pairs.empty:
        graphiques["pairs"] = figures.comparaison_pairs(delai_pairs, "Délai de pourvoi médian", "jours")

    diagnostic = d["diagnostic"]
    principal = diagnostic.iloc[0] if not diagnostic.empty else None
    offres = d["offres"].assign(intitule=lambda t: [masque(v) for v in t["intitule"]])
    return {
        "entreprise": entreprise,
        "publie_le": datetime.now(ZoneInfo("Europe/Paris")),
        "donnees_au": offres["date_ouverture"].max() if not offres.empty else None,
        "principal": None if principal is None else _phrase_diagnostic(principal, metier),
        "roles": [{"metier": metier(r.metier), "recrutements": r.recrutements, "delai": r.delai_pourvoi_median_jours,
                   "abandon": r.taux_abandon, "cause": _cause(r.cause, r.sous_cause)}
                  for r in diagnostic.itertuples(index=False)],
        "actions": actions(d["preuves"], d["benchmark"], process, metier),
        "passerelles": passerelles.pour_rapport(d["passerelles"], metier),
        "simulations": _tableau(d.get("simulations")),
        "simulations_absentes": "simulations" not in d,
        "suivi": _suivi(d["suivi"], d["benchmark"], masque),
        "indicateurs": _indicateurs(process, d["benchmark"], metier),
        "offres": offres.head(OFFRES_LISTEES).to_dict("records"),
        "offres_total": len(offres),
        "statuts": libelles.STATUTS,
        "sources": [dict(s, libelle=libelles.source(s["source"])) for s in d["sources"].to_dict("records")],
        "seuils": regles["sql"]["diagnostic"],
        "secret": regles["sql"]["secret"],
        "glossaire": libelles.glossaire(regles),
        "graphiques": {cle: figure_html(f, f"graphique-{cle}", responsive=False) for cle, f in graphiques.items()},
    }


def _cause(cause: str, sous_cause: object) -> str:
    libelle = libelles.CAUSES.get(cause, cause)
    if manquant(sous_cause):
        return libelle
    return f"{libelle} : {libelles.SOUS_CAUSES.get(str(sous_cause), str(sous_cause))}"


def _phrase_diagnostic(ligne: pd.Series, metier) -> str:
    sous_cause = libelles.SOUS_CAUSES.get(ligne["sous_cause"], "") if not manquant(ligne["sous_cause"]) else ""
    phrase = libelles.DIAGNOSTICS[ligne["cause"]].format(sous_cause=sous_cause)
    return f"Pour votre premier métier en nombre de recrutements, {metier(ligne['metier'])} : {phrase}"


def actions(preuves: pd.DataFrame, benchmark: pd.DataFrame, process: pd.DataFrame, metier,
            nombre: int = 3) -> list[dict]:
    """The fired rules phrased as actions, strongest first, one per rule (on the role where
    it is strongest), with the evidence; at most ``nombre``."""
    retenues = preuves[preuves["regle"].isin(REGLES) & ~preuves["regle"].isin(SYMPTOMES)]
    resultat = []
    for ligne in retenues.drop_duplicates("regle").head(nombre).itertuples(index=False):
        regle = REGLES[ligne.regle]
        sans_signe = "pourcent" if regle.unite == "ecart" else regle.unite
        valeurs = {
            "metier": metier(ligne.metier), "valeur": formater(ligne.valeur, regle.unite),
            "reference": formater(ligne.reference, regle.unite), "seuil": formater(ligne.seuil, regle.unite),
            "valeur_abs": formater(None if manquant(ligne.valeur) else abs(ligne.valeur), sans_signe),
            "seuil_abs": formater(None if manquant(ligne.seuil) else abs(ligne.seuil), sans_signe),
            "pairs": _pairs(benchmark, ligne.metier, regle.indicateur_pairs, regle.unite),
        }
        autres = sorted(set(retenues.loc[retenues["regle"] == ligne.regle, "metier"]) - {ligne.metier})
        resultat.append({
            "titre": regle.titre, "constat": regle.constat.format(**valeurs),
            "objectif": regle.objectif.format(**valeurs),
            "ailleurs": ", ".join(autres),
        })
    return resultat


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


def _suivi(suivi: pd.DataFrame, benchmark: pd.DataFrame, masque: Masque) -> list[dict]:
    """Agreed actions and their measured effect. The effect is shown only when the other
    pilot companies it is compared with pass the secrecy rule on that indicator."""
    lignes = []
    for s in suivi.itertuples(index=False):
        indicateur = INDICATEUR_SUIVI.get(s.indicateur_cible, s.indicateur_cible)
        regle = benchmark[benchmark["indicateur"] == indicateur]
        motifs = sorted(set(regle.loc[regle["secret"], "motif_secret"].dropna()))
        publiable = not regle.empty and not motifs
        lignes.append({
            "action": masque(s.action, personnes=True), "date_debut": s.date_debut,
            "indicateur": s.libelle_indicateur, "avant": s.valeur_avant, "apres": s.valeur_apres,
            "recrutements_avant": s.recrutements_avant, "recrutements_apres": s.recrutements_apres,
            "verdict": s.verdict,
            "effet": s.effet if publiable and not manquant(s.effet) else None,
            "ic": (s.ic_bas, s.ic_haut) if publiable and not manquant(s.ic_bas) else None,
            "motif_secret": None if publiable else (motifs[0] if motifs else "pas de comparaison possible"),
        })
    return lignes


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


def _tableau(donnees: pd.DataFrame | None) -> dict | None:
    """A table of the learning flow's output, whatever its columns, formatted in French."""
    if donnees is None:
        return None
    colonnes = list(donnees.columns)
    lignes = [[formater(v, "nombre") if isinstance(v, float) else ("—" if manquant(v) else str(v)) for v in ligne]
              for ligne in donnees.itertuples(index=False)]
    return {"colonnes": [c.replace("_", " ") for c in colonnes], "lignes": lignes}
