"""The task force's dashboard: one self-contained HTML file (plotly.js inlined once), six
sections, filters by occupation, territory and period.

Pilot companies appear under their pseudonym unless ``[publication].entreprises_nommees``
names them; no requisition reference nor offer title of a company is written in it.
Each run also keeps its key figures in ``chiffres-cles.json``, which the next run compares
with (« ce qui a changé depuis la dernière publication »).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go

from flows.config import parametres
from flows.formats import PARIS
from flows.render import figures, libelles, passerelles
from flows.render.commun import (
    ETAPES_ENTONNOIR,
    Pseudonymes,
    environnement,
    figure_html,
    horodatage,
    manquant,
    nombre,
    ouvrir,
    plotly_js,
    pourcent,
    pseudonymes_publication,
    requete,
    seuils,
    table_existe,
)
from flows.render.empreintes import Anterieur, Sortie, empreinte, version_rendu

FICHIER = "tableau-de-bord.html"
CHIFFRES = "chiffres-cles.json"
CLE = "tableau de bord"
# the template of the page's parts about its run, each framed by these marks in the page
PARTIES_DU_RUN = "tableau_de_bord_publication.html"
DEBUT, FIN = "<!--publication-->", "<!--/publication-->"
MARQUES = re.compile(re.escape(DEBUT) + ".*?" + re.escape(FIN), re.DOTALL)
# what figures.facteurs needs of ml.facteurs_difficulte (else: a generic bar chart)
COLONNES_FACTEURS = {"facteur", "mesure", "population", "n", "importance", "importance_ic_bas", "importance_ic_haut"}
TOUS = "tous"


@dataclass(frozen=True)
class Filtres:
    metiers: list[tuple[str, str]]  # (value, label), « all » first
    territoires: list[tuple[str, list[tuple[str, str]]]]  # (level, its (value, label) by name)
    periodes: list[tuple[str, str]]
    territoire_defaut: str
    metier_defaut: str


def construire(entrepot: str | Path, dossier: Path, precedent: dict | None, modeles: Path) -> Path:
    """Write the dashboard and this run's key figures into ``dossier``."""
    return publier(entrepot, dossier, precedent, modeles, datetime.now(PARIS), None).fichiers[0]


def publier(entrepot: str | Path, dossier: Path, precedent: dict | None, modeles: Path, publie_le: datetime,
            anterieur: Anterieur | None) -> Sortie:
    """The dashboard; when its figures are those of ``anterieur``'s, that page with only its
    parts about the run (``PARTIES_DU_RUN``) drawn again: the charts are most of the time."""
    with ouvrir(entrepot) as con:
        donnees = _lire(con)
        noms = pseudonymes_publication(con)
        diagnostic = seuils(con)["diagnostic"]
    regles, cartes = parametres(), cartes_modeles(modeles)
    chiffres = _chiffres(donnees, noms, publie_le) | {"entrepot": str(Path(entrepot).resolve())}
    du_run = {"publie_le": publie_le, "evolutions": evolutions(chiffres, precedent), "precedent": precedent}
    (dossier / CHIFFRES).write_text(json.dumps(chiffres, ensure_ascii=False, indent=1), encoding="utf-8")
    chemin = dossier / FICHIER
    trace = empreinte("tableau de bord", version_rendu(), donnees, noms.libelles, noms.references, regles, diagnostic,
                      cartes)
    anciens = anterieur.fichiers(CLE, trace, [chemin]) if anterieur else None
    page = _redater(anciens[0].read_text(encoding="utf-8"), du_run) if anciens else None
    reprise = page is not None
    if page is None:
        contexte = _contexte(donnees, noms, regles, diagnostic, cartes) | du_run
        page = environnement().get_template("tableau_de_bord.html").render(plotly_js=plotly_js(), **contexte)
    chemin.write_text(page, encoding="utf-8")
    return Sortie(CLE, trace, (chemin,), reprise)


def _redater(page: str, du_run: dict) -> str | None:
    """``page`` with its parts about the run drawn for this one (None if they are not all there)."""
    module = environnement().get_template(PARTIES_DU_RUN).module
    parties = iter([module.entete(du_run["publie_le"]), module.chiffres(du_run["evolutions"]),  # type: ignore[attr-defined]
                    module.changements(du_run["precedent"], du_run["evolutions"])])  # type: ignore[attr-defined]
    if len(MARQUES.findall(page)) != 3:
        return None
    return MARQUES.sub(lambda _: f"{DEBUT}{next(parties)}{FIN}", page)


def figures_du_tableau(entrepot: str | Path, modeles: Path) -> dict[str, go.Figure]:
    """The dashboard's Plotly figures as the page draws them at opening (for the tests
    that read their layout)."""
    with ouvrir(entrepot) as con:
        donnees = _lire(con)
        noms = pseudonymes_publication(con)
        diagnostic = seuils(con)["diagnostic"]
    return _contexte(donnees, noms, parametres(), diagnostic, cartes_modeles(modeles))["figures"]


# --------------------------------------------------------------------------- reading

def _lire(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Every table the page draws, each from its saved query ``sql/publication/tableau_<nom>.sql``."""
    donnees = {nom: requete(con, f"tableau_{nom}") for nom in (
        "metiers", "territoires", "cellules", "offres_mois", "dares", "diagnostic", "process", "entonnoirs", "canaux",
        "implantations", "suivi", "sources", "quarantaine", "couverture", "competences", "exigences", "officiels",
        "passerelles")}
    donnees["chiffres"] = requete(con, "chiffres_cles")
    donnees |= {periode: requete(con, "tableau_tension", {"type_periode": periode})
                for periode in ("mois", "trimestre", "annee")}
    donnees["constat"] = requete(con, "constat")
    if table_existe(con, "relais_sites"):
        donnees["relais"] = requete(con, "tableau_relais")
    if table_existe(con, "facteurs_difficulte", schema="ml"):
        donnees["facteurs"] = requete(con, "tableau_facteurs")
    return donnees


# --------------------------------------------------------------------------- filters

NIVEAUX_TERRITOIRE = {"region": "Régions", "departement": "Départements", "bassin": "Bassins d'emploi (BMO)"}


def _ordre_alphabetique(libelle: str) -> str:
    """French alphabetical order: accents and case do not count (« Île-de-France » among the I)."""
    return unicodedata.normalize("NFKD", libelle).encode("ascii", "ignore").decode().casefold()


def _filtres(d: dict[str, pd.DataFrame], libelle_metier: dict[str, str], publication: dict) -> Filtres:
    """The filters' lists; the page opens on the study's occupation (``[publication]``) and the
    Hub's territory (``[territoire]``) when the data hold them."""
    codes = sorted(set(d["annee"]["metier"]) | set(d["diagnostic"]["metier"]) | set(d["cellules"]["metier"]))
    metiers = [(TOUS, "Tous les métiers")] + [(c, f"{libelle_metier.get(c, c)} ({c})") for c in codes]
    # every territory some loaded figure speaks of, by level then by name
    presents = (set(d["annee"]["territoire"]) | set(d["implantations"]["departement"].dropna())
                | set(d["implantations"]["region"].dropna()) | set(d["officiels"]["territoire"]))
    territoires = d["territoires"][d["territoires"]["territoire"].isin(presents)]
    groupes = [(titre, sorted(zip(groupe["territoire"], groupe["libelle"], strict=True),
                              key=lambda t: _ordre_alphabetique(t[1])))
               for niveau, titre in NIVEAUX_TERRITOIRE.items()
               if not (groupe := territoires[territoires["niveau_territoire"] == niveau]).empty]
    hub = parametres()["territoire"]
    souhaite = f"{hub['niveau']}:{hub['code']}"
    offres = d["annee"][d["annee"]["niveau_territoire"] == "departement"].groupby("territoire")["offres"].sum()
    if souhaite in presents:
        defaut = souhaite
    elif not offres.empty:
        defaut = str(offres.idxmax())
    else:
        defaut = groupes[0][1][0][0] if groupes else ""
    annees = sorted(set(d["annee"]["periode"]) | set(d["process"].query("type_periode == 'annee'")["periode"]),
                    reverse=True)
    metier = str(publication["metier_constat"]) if str(publication["metier_constat"]) in codes else TOUS
    return Filtres(metiers, groupes, [(TOUS, "Toute la période")] + [(a, a) for a in annees], defaut, metier)


def _lieux(d: dict[str, pd.DataFrame]) -> tuple[dict, dict]:
    """Territories (départements and regions) of each company × role and of each company."""
    par_role: dict[tuple[str, str], set[str]] = {}
    par_entreprise: dict[str, set[str]] = {}
    for ligne in d["implantations"].itertuples(index=False):
        codes = {c for c in (ligne.departement, ligne.region) if not manquant(c)}
        par_role.setdefault((ligne.entreprise, ligne.metier), set()).update(codes)
        par_entreprise.setdefault(ligne.entreprise, set()).update(codes)
    return ({cle: sorted(c) for cle, c in par_role.items()},
            {cle: sorted(c) for cle, c in par_entreprise.items()})


def _periode(type_periode: str, periode: str) -> str:
    return TOUS if type_periode == "ensemble" else periode


# --------------------------------------------------------------------------- sections

def _contexte(d: dict[str, pd.DataFrame], noms: Pseudonymes, regles: dict, seuils: dict[str, float],
              cartes: list[dict[str, object]]) -> dict:
    """What the template needs. ``regles`` are the publication's own settings (config/parametres.toml:
    study occupation, Hub territory, pseudonyms); ``seuils`` the diagnosis's thresholds the
    transformation used ("analyse".seuils), never the TOML's of the day."""
    metiers = d["metiers"]
    libelle_metier = dict(zip(metiers.query("niveau_code == 'rome3'")["code"],
                              metiers.query("niveau_code == 'rome3'")["libelle"], strict=True))
    filtres = _filtres(d, libelle_metier, regles["publication"])
    par_role, par_entreprise = _lieux(d)
    libelle_territoire = dict(zip(d["territoires"]["territoire"], d["territoires"]["libelle"], strict=True))
    graphiques = {}
    annees = d["annee"][d["annee"]["niveau_territoire"] == "departement"]
    derniere = max(annees["periode"]) if not annees.empty else ""

    graphiques["offres-mois"] = figures.offres_par_mois(d["offres_mois"])

    cellules = annees.dropna(subset=["score_tension"]).assign(
        annee=lambda t: t["periode"], metier_libelle=lambda t: t["metier"].map(libelle_metier).fillna(t["metier"]),
        territoire_libelle=lambda t: t["territoire"].map(libelle_territoire).fillna(t["territoire"]))
    graphiques["carte-tension"] = figures.carte_tension(cellules, derniere)
    # the heat map's title says when it shows only the occupations with the most offers
    par_annee = cellules.groupby("annee")["metier"].nunique()
    carte_metiers = int(par_annee.max()) if not par_annee.empty else 0

    trimestres = d["trimestre"].dropna(subset=["score_tension"]).assign(
        metier_libelle=lambda t: t["metier"].map(libelle_metier).fillna(t["metier"]))
    graphiques["score-tendance"] = figures.score_tendance(trimestres)

    faps = metiers.query("niveau_code == 'fap2009'").set_index("code")
    dares = d["dares"].assign(
        fap_libelle=lambda t: t["fap"].map(faps["libelle"]).fillna(t["fap"]),
        codes_rome3=lambda t: [list(faps["codes_rome3"].get(f, [])) for f in t["fap"]])
    graphiques["comparaison-dares"] = figures.comparaison_dares(dares, derniere)
    dares_familles = int(dares.groupby(["territoire", "annee"]).size().max()) if not dares.empty else 0

    diagnostic = d["diagnostic"].assign(
        entreprise_libelle=lambda t: t["entreprise"].map(noms),
        metier_libelle=lambda t: t["metier"].map(libelle_metier).fillna(t["metier"]))
    graphiques["etude"] = figures.etude(_points_etude(diagnostic, par_role),
                                        1 / float(seuils["penurie_entrees_par_offre"]),
                                        float(seuils["difficulte_delai_jours"]))

    process = d["process"].assign(entreprise_libelle=lambda t: t["entreprise"].map(noms))
    graphiques["entonnoir"] = figures.entonnoir(autres_entreprises(
        _entonnoirs(d["entonnoirs"], noms, par_role, par_entreprise), ["metier", "periode"], ETAPES_ENTONNOIR))
    roles = _roles(process, par_role, libelle_metier)
    graphiques["delais-etapes"] = figures.delais_etapes(roles)
    graphiques["offres-marche"] = figures.offres_marche(roles)
    graphiques["canaux"] = figures.canaux(autres_entreprises(
        _canaux(d["canaux"], noms, par_role, par_entreprise), ["metier", "canal"], ["candidatures", "embauches"]))

    competences = d["competences"].fillna({"part_e": 0.0, "part_s": 0.0})
    principal = ""
    if not competences.empty:
        principal = str(annees.groupby("metier")["offres"].sum().idxmax()) if not annees.empty else ""
        graphiques["competences"] = figures.competences(competences, derniere, principal)

    graphiques["passerelles"] = passerelles.figure_tableau(d["passerelles"])
    couverture = d["couverture"][d["couverture"]["source"] != "toutes"]
    graphiques["couverture"] = figures.barres_horizontales(
        [libelles.plateforme(c) for c in couverture["source"]], {"Code ROME fourni par l'offre": list(couverture["code_rome_fourni"]),
                                     "Code ROME prédit par le classifieur": list(couverture["code_rome_predit"]),
                                     "Sans code ROME": list(couverture["sans_code_rome"])},
        axe_x="Offres (nombre)", axe_y="Source")
    relais = _relais(d.get("relais"))
    if relais:
        graphiques["relais"] = figures.barres_horizontales(
            [r["libelle"] for r in relais], {"Annonces qui relaient une autre annonce": [r["part_relais"] for r in relais]},
            axe_x="Part des annonces (%)", axe_y="Site", format_=".0%")
        # shares start at 0 (Plotly centres an all-zero axis on 0, from -100 % to 100 %)
        graphiques["relais"].update_xaxes(range=[0, max(0.1, 1.15 * max(r["part_relais"] for r in relais))])
    facteurs = _facteurs(d.get("facteurs"))
    if facteurs is not None and COLONNES_FACTEURS <= set(d["facteurs"].columns):
        graphiques["facteurs"] = figures.facteurs(d["facteurs"])
    elif facteurs is not None:
        graphiques["facteurs"] = figures.barres_horizontales(
            list(facteurs["libelle"]), {facteurs.attrs["colonne"]: list(facteurs["valeur"])},
            axe_x=str(facteurs.attrs["colonne"]).replace("_", " "), axe_y="Facteur", format_=",.3f")
    sources = d["sources"].assign(libelle=lambda t: t["source"].map(libelles.source))
    graphiques["qualite"] = figures.barres_horizontales(
        list(sources["libelle"]), {"Lignes chargées": list(sources["lignes_chargees"]),
                                   "Lignes en quarantaine": list(sources["lignes_en_quarantaine"])},
        axe_x="Lignes (nombre)", axe_y="Source")

    initiale = {"metier": filtres.metier_defaut, "territoire": filtres.territoire_defaut, "periode": TOUS}
    dessinees = {cle: figures.selection_initiale(f, initiale) for cle, f in graphiques.items() if f.data}
    return {
        "officiels": json.dumps(officiels(d, libelle_metier), ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c"),
        "manques": manques(d),
        "filtres": filtres,
        "figures": dessinees,
        "graphiques": {cle: figure_html(f, f"graphique-{cle}") for cle, f in dessinees.items()},
        "derniere_annee": derniere,
        "carte_metiers": carte_metiers, "carte_metiers_max": figures.CARTE_METIERS_MAX,
        "dares_familles": dares_familles, "dares_familles_max": figures.DARES_FAMILLES_MAX,
        "competences_principal": f"{libelle_metier.get(principal, principal)} ({principal})" if principal else "",
        "constats": constats(d["constat"], libelle_metier, libelle_territoire, seuils,
                             str(regles["publication"]["metier_constat"])),
        "sources": _fraicheur(sources),
        "diagnostics": _lignes_diagnostic(diagnostic, par_role),
        "suivi": [{**{c: None if manquant(v) else v for c, v in ligne._asdict().items()},
                   "entreprise": noms(ligne.entreprise), "action": noms.masquer(ligne.action, personnes=True)}
                  for ligne in d["suivi"].itertuples(index=False)],
        "exigences_rares": [
            {"entreprise": noms(ligne.entreprise), "metier": libelle_metier.get(ligne.metier, ligne.metier),
             "f_metier": ligne.metier, "element": noms.masquer(ligne.element), "part_recrutements": ligne.part_recrutements,
             "part_marche": ligne.part_marche, "part_vivier": None if manquant(ligne.part_vivier) else ligne.part_vivier}
            for ligne in d["exigences"].itertuples(index=False)],
        "motifs": d["quarantaine"].head(40).to_dict("records"),
        "motifs_autres": max(len(d["quarantaine"]) - 40, 0),
        "relais": relais,
        "couverture": d["couverture"].assign(source=lambda t: t["source"].map(libelles.plateforme)).to_dict("records"),
        "cartes": cartes,
        "facteurs": facteurs,
        "entreprises_nommees": sorted(n for n, libelle in noms.libelles.items() if n == libelle),
        "nb_entreprises": len(noms.libelles),
        "seuils": seuils,
    }


def _arrondi(valeur: object, decimales: int) -> float | int | None:
    if manquant(valeur):
        return None
    nombre_ = float(valeur)  # type: ignore[arg-type]
    return int(nombre_) if decimales == 0 else round(nombre_, decimales)


def officiels(d: dict[str, pd.DataFrame], libelle_metier: dict[str, str]) -> dict:
    """Every official figure loaded and our own cells, per occupation × territory, for the
    page's script (templates/officiels.js) to show those of the chosen territory: DARES
    score and level, BMO projects and share judged difficult, and for each ROME v3
    occupation the offers we hold, its BMO share and our score with the components used.
    Codes are written once (``codes``, ``territoires``), rows refer to them by position."""
    territoires: dict[str, int] = {}
    codes: dict[str, int] = {}
    noms: list[str] = []

    def t(cle: str) -> int:
        return territoires.setdefault(cle, len(territoires))

    def c(code: str, libelle: str) -> int:
        if code not in codes:
            codes[code] = len(codes)
            noms.append(libelle)
        return codes[code]

    o = d["officiels"]
    dares, bmo = o[o["source"] == "dares"], o[o["source"] == "bmo"]
    cellules = d["cellules"]
    return {
        "dares": [[c("fap2009:" + r.code, r.libelle), t(r.territoire), _arrondi(r.score_dares, 2),
                   _arrondi(r.niveau_dares, 0), _arrondi(r.annee, 0)] for r in dares.itertuples(index=False)],
        "bmo": [[c("fap2021:" + r.code, r.libelle), t(r.territoire), _arrondi(r.projets_bmo, 0),
                 _arrondi(r.projets_difficiles_bmo, 0), _arrondi(r.part_difficile_bmo, 4), _arrondi(r.annee, 0)]
                for r in bmo.itertuples(index=False)],
        "metiers": [[c("rome3:" + r.metier, f"{libelle_metier.get(r.metier, r.metier)} ({r.metier})"),
                     t(r.territoire), r.periode, _arrondi(r.offres, 0), _arrondi(r.demandeurs_a, 0),
                     _arrondi(r.projets_bmo, 0), _arrondi(r.part_difficile_bmo, 4), _arrondi(r.score_tension, 2),
                     _arrondi(r.niveau_tension, 0), libelles.composantes(r.composantes)]
                    for r in cellules.itertuples(index=False)],
        "codes": [code.split(":", 1)[1] for code in codes],
        "libelles": noms,
        "territoires": list(territoires),
    }


def manques(d: dict[str, pd.DataFrame]) -> list[str]:
    """One French sentence per component of the tension that no loaded source brings."""
    toutes = d["mois"]
    presents = {
        "offres": bool(toutes["offres"].fillna(0).sum()),
        "demandeurs": bool(toutes["entrees_a"].notna().any() or toutes["demandeurs_a"].notna().any()),
        "bmo": bool((d["officiels"]["source"] == "bmo").any()),
        "dares": bool((d["officiels"]["source"] == "dares").any()),
    }
    return [libelles.MANQUES[cle] for cle, present in presents.items() if not present]


def constats(lignes: pd.DataFrame, libelle_metier: dict[str, str], libelle_territoire: dict[str, str],
             seuils: dict, metier_constat: str) -> list[dict]:
    """The finding in words, one paragraph per occupation × territory × period of
    ``sql/publication/constat.sql``; the study's occupation also stands for « all
    occupations ». A code that is both a département and a region (« 27 ») keeps the
    département's paragraph, as the territory filter shows the département first."""
    resultat = []
    for ligne in lignes.itertuples(index=False):
        cle = f"{ligne.niveau_territoire}:{ligne.territoire}"
        resultat.append({
            "texte": constat(ligne._asdict(), libelle_metier.get(ligne.metier, ligne.metier),
                             libelle_territoire.get(cle, ligne.territoire), seuils),
            "f_metier": f"{ligne.metier} {TOUS}" if ligne.metier == metier_constat else ligne.metier,
            "f_territoire": cle, "f_periode": ligne.periode})
    return resultat


def _rang(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def constat(ligne: dict, metier: str, territoire: str, seuils: dict) -> str:
    """One paragraph of the finding from one row of ``sql/publication/constat.sql``."""
    if ligne["periode"] != TOUS:
        quand = f"en {ligne['periode']}"
    elif ligne["premiere_annee"] == ligne["derniere_annee"]:
        quand = f"en {ligne['premiere_annee']}"
    else:
        quand = f"de {ligne['premiere_annee']} à {ligne['derniere_annee']}"
    offres = int(ligne["offres"])
    phrases = [f"{metier} ({ligne['metier']}) est le {_rang(int(ligne['rang_offres']))} métier sur "
               f"{nombre(ligne['metiers_classes'])} par nombre d'offres d'emploi sur le territoire « {territoire} » "
               f"{quand} : {nombre(offres)} offre{'s' if offres > 1 else ''} publiée{'s' if offres > 1 else ''}."]
    seuil_vivier = float(seuils["penurie_entrees_par_offre"])
    seuil_delai = float(seuils["difficulte_delai_jours"])
    ratio = None if manquant(ligne["entrees_a_par_offre"]) else float(ligne["entrees_a_par_offre"])
    if ratio is None:
        phrases.append("Le nombre de nouveaux demandeurs d'emploi n'est pas connu pour ce métier et ce territoire.")
    elif ratio >= seuil_vivier:
        phrases.append(f"Le vivier n'est pas rare : il arrive {nombre(ratio, 1)} nouveaux demandeurs d'emploi "
                       f"(catégorie A) par offre, quand l'étude parle de pénurie en dessous de "
                       f"{nombre(seuil_vivier, 1)}.")
    else:
        phrases.append(f"Le vivier est rare : il arrive {nombre(ratio, 1)} nouveau demandeur d'emploi "
                       f"(catégorie A) par offre, sous le seuil de pénurie de l'étude ({nombre(seuil_vivier, 1)}).")
    n = int(ligne["entreprises"])
    if n == 0:
        phrases.append("Aucune entreprise pilote ne recrute ce métier sur ce territoire pour cette période.")
        return " ".join(phrases)
    delai = float(ligne["delai_pourvoi_median_jours"])
    lent = delai > seuil_delai
    debut = "Pourtant, l" if lent and ratio is not None and ratio >= seuil_vivier else "L"
    recrutements = int(ligne["recrutements"])
    qui = (f"{debut}a seule entreprise pilote qui le recrute ici ({nombre(recrutements)} recrutement"
           f"{'s' if recrutements > 1 else ''}) met" if n == 1 else
           f"{debut}es {nombre(n)} entreprises pilotes qui le recrutent ici ({nombre(recrutements)} recrutements) "
           "mettent, en médiane,")
    phrases.append(f"{qui} {nombre(delai, 0 if delai.is_integer() else 1)} jours à pourvoir un poste (difficulté au-delà de "
                   f"{nombre(seuil_delai)} jours ou d'un quart d'abandons).")
    difficiles = int(ligne["en_difficulte"])
    if difficiles == 0:
        phrases.append("Aucune n'est en difficulté." if n > 1 else "Elle n'est pas en difficulté.")
        return " ".join(phrases)
    causes = [f"{libelles.CAUSES[c][:1].lower()}{libelles.CAUSES[c][1:]}" + (f" pour {nombre(k)}" if n > 1 else "")
              for c, k in sorted(((c, int(ligne[f"cause_{c}"])) for c in ("process", "qualification", "penurie")),
                                 key=lambda t: -t[1]) if k > 0]
    en_difficulte = ("Elle est en difficulté" if n == 1 else "Toutes sont en difficulté" if difficiles == n else
                     f"{nombre(difficiles)} sur {nombre(n)} sont en difficulté")
    phrases.append(f"{en_difficulte} ; cause diagnostiquée : {', '.join(causes)}." if causes
                   else f"{en_difficulte}.")
    return " ".join(phrases)


def _points_etude(diagnostic: pd.DataFrame, par_role: dict) -> pd.DataFrame:
    lignes = diagnostic.dropna(subset=["delai_pourvoi_median_jours", "entrees_a_par_offre_marche"])
    lignes = lignes[lignes["entrees_a_par_offre_marche"] > 0]
    return pd.DataFrame({
        "cause": lignes["cause"], "ratio_tension": 1 / lignes["entrees_a_par_offre_marche"],
        "delai": lignes["delai_pourvoi_median_jours"], "recrutements": lignes["recrutements"],
        "entreprise": lignes["entreprise_libelle"], "metier": lignes["metier"],
        "metier_libelle": lignes["metier_libelle"],
        "sous_cause": [f"({libelles.SOUS_CAUSES[s]})" if not manquant(s) else "" for s in lignes["sous_cause"]],
        "f_periode": [[_periode(t, p)] for t, p in zip(lignes["type_periode"], lignes["periode"], strict=True)],
        "f_territoire": [par_role.get((e, m), []) for e, m in zip(lignes["entreprise"], lignes["metier"], strict=True)],
    })


def _entonnoirs(entonnoirs: pd.DataFrame, noms: Pseudonymes, par_role: dict, par_entreprise: dict) -> pd.DataFrame:
    """The funnels of ``sql/publication/tableau_entonnoirs.sql`` (per company × role × period,
    and over all roles: ``tous``) that received applications, each company under its
    pseudonym, with the territories of the filter."""
    lignes = entonnoirs[entonnoirs["candidatures"] > 0]
    lignes = lignes.assign(
        f_territoire=[par_entreprise.get(e, []) if m == TOUS else par_role.get((e, m), [])
                      for e, m in zip(lignes["entreprise"], lignes["metier"], strict=True)],
        entreprise=lignes["entreprise"].map(noms))
    return lignes[["entreprise", "metier", "periode", "f_territoire", *ETAPES_ENTONNOIR]].sort_values(
        ["entreprise", "metier"])


def autres_entreprises(lignes: pd.DataFrame, groupes: list[str], comptes: list[str]) -> pd.DataFrame:
    """Beyond ``figures.SERIES_MAX`` companies, the largest (by ``comptes[0]``) keep their own
    series and the others are summed into one « Autres entreprises » series, per territory
    of the filter so that a territory's sum holds only its own companies (rows: entreprise,
    ``groupes``, f_territoire, ``comptes``)."""
    poids = lignes.groupby("entreprise")[comptes[0]].sum().sort_values(ascending=False, kind="stable")
    if len(poids) <= figures.SERIES_MAX:
        return lignes
    gardees = lignes["entreprise"].isin(poids.index[: figures.SERIES_MAX - 1])
    autres = lignes[~gardees].explode("f_territoire").dropna(subset=["f_territoire"])
    sommes = autres.groupby([*groupes, "f_territoire"], as_index=False, sort=True)[comptes].sum()
    sommes = sommes.assign(entreprise=figures.AUTRES_ENTREPRISES, f_territoire=[[t] for t in sommes["f_territoire"]])
    return pd.concat([lignes[gardees], sommes], ignore_index=True)


def _roles(process: pd.DataFrame, par_role: dict, libelle_metier: dict[str, str]) -> pd.DataFrame:
    """One row per company × role × period: stage delays and offers against the market,
    each role named by its company and its occupation's label (not its ROME code)."""
    return pd.DataFrame({
        "libelle": [f"{e} · {libelle_metier.get(m, m)}" for e, m in zip(process["entreprise_libelle"],
                                                                          process["metier"], strict=True)],
        **{c: process[c] for c in libelles.DELAIS},
        "ecart_salaire": process["ecart_salaire_marche"],
        "ecart_description": process["longueur_description_mediane"] / process["longueur_description_marche"] - 1,
        "ecart_part_salaire": process["part_salaire_affiche"] - process["part_salaire_affiche_marche"],
        "f_metier": [[m, TOUS] for m in process["metier"]],
        "f_periode": [[_periode(t, p)] for t, p in zip(process["type_periode"], process["periode"], strict=True)],
        "f_territoire": [par_role.get((e, m), []) for e, m in zip(process["entreprise"], process["metier"], strict=True)],
    }).sort_values("libelle")


def _canaux(canaux: pd.DataFrame, noms: Pseudonymes, par_role: dict, par_entreprise: dict) -> pd.DataFrame:
    """The channels of ``sql/publication/tableau_canaux.sql`` (per company × role, and over
    all roles: ``tous``), each company under its pseudonym, with the territories of the filter."""
    return canaux.assign(
        f_territoire=[par_entreprise.get(e, []) if m == TOUS else par_role.get((e, m), [])
                      for e, m in zip(canaux["entreprise"], canaux["metier"], strict=True)],
        entreprise=canaux["entreprise"].map(noms), canal=canaux["canal"].map(libelles.canal))


def _lignes_diagnostic(diagnostic: pd.DataFrame, par_role: dict) -> list[dict]:
    lignes = []
    for d in diagnostic.sort_values(["entreprise_libelle", "metier", "type_periode", "periode"]).itertuples(index=False):
        lignes.append({
            "entreprise": d.entreprise_libelle, "metier": f"{d.metier_libelle} ({d.metier})",
            "periode": "toute la période" if d.type_periode == "ensemble" else d.periode,
            "cause": libelles.CAUSES.get(d.cause, d.cause),
            "sous_cause": libelles.SOUS_CAUSES.get(d.sous_cause, "") if not manquant(d.sous_cause) else "",
            "recrutements": d.recrutements, "delai": d.delai_pourvoi_median_jours, "abandon": d.taux_abandon,
            "f_metier": f"{d.metier} {TOUS}", "f_periode": _periode(d.type_periode, d.periode),
            "f_territoire": " ".join(par_role.get((d.entreprise, d.metier), [])),
        })
    return lignes


def _fraicheur(sources: pd.DataFrame) -> list[dict]:
    aujourd_hui = date.today()
    lignes = []
    for s in sources.itertuples(index=False):
        fin = None if manquant(s.donnees_jusqu_au) else pd.Timestamp(s.donnees_jusqu_au).date()
        lignes.append(dict(s._asdict(), age=None if fin is None else (aujourd_hui - fin).days))
    return lignes


def _relais(relais: pd.DataFrame | None) -> list[dict]:
    """Rows of the relays chart and table: each source (all its sites), then its sites when
    it has more than one (France Travail and the partner boards that relay its offers)."""
    if relais is None or relais.empty:
        return []
    lignes = []
    for source, groupe in relais.groupby("source", sort=True):
        nom = libelles.plateforme(str(source))
        sites = groupe[groupe["site"] != "tous"]
        retenues = [*groupe[groupe["site"] == "tous"].itertuples(index=False),
                    *(sites.itertuples(index=False) if len(sites) > 1 else [])]
        lignes += [{"libelle": f"{nom} (tous sites)" if r.site == "tous" else f"{nom} — {r.site}",
                    "source_libelle": nom, "site": "tous sites" if r.site == "tous" else r.site,
                    "offres": int(r.offres), "relais": int(r.relais), "part_relais": float(r.part_relais)}
                   for r in retenues]
    return lignes


def _facteurs(facteurs: pd.DataFrame | None, nombre_max: int = 15) -> pd.DataFrame | None:
    """The drivers of difficulty, whatever the learning flow names its columns: the first
    text column is the label, the first numeric one (an importance, a coefficient) the value."""
    if facteurs is None or facteurs.empty:
        return None
    textes = [c for c in facteurs.columns if facteurs[c].dtype == object or pd.api.types.is_string_dtype(facteurs[c])]
    valeurs = [c for c in facteurs.columns if pd.api.types.is_numeric_dtype(facteurs[c])
               and not pd.api.types.is_bool_dtype(facteurs[c])]
    if not textes or not valeurs:
        return None
    lignes = facteurs.assign(_ordre=facteurs[valeurs[0]].abs()).sort_values("_ordre", ascending=False, kind="stable").head(nombre_max)
    resultat = pd.DataFrame({"libelle": lignes[textes[0]].astype(str), "valeur": lignes[valeurs[0]]})
    resultat.attrs["colonne"] = valeurs[0]
    return resultat


# --------------------------------------------------------------------------- models

def cartes_modeles(dossier: Path) -> list[dict[str, object]]:
    """The model cards ``<dossier>/<modele>/carte.json``: for the pipeline's three models,
    French sentences (what the model does, on how much data, how good, when) and a small
    table; any other card flattened to (label, value) rows."""
    cartes: list[dict[str, object]] = []
    for fichier in sorted(dossier.glob("*/carte.json")) if dossier.is_dir() else []:
        try:
            carte = json.loads(fichier.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            cartes.append({"nom": fichier.parent.name, "lignes": [], "erreur": f"carte illisible ({e})"})
            continue
        if isinstance(carte, dict):
            nom = str(carte.get("nom") or fichier.parent.name)
            try:
                phrases, lignes = _resumer_carte(carte)
            except (KeyError, TypeError, ValueError, AttributeError):
                phrases, lignes = [], []
            cartes.append({"nom": nom, "phrases": phrases, "lignes": lignes or _aplatir(carte), "erreur": None})
    return cartes


def _quand(carte: dict, *cles: str) -> str | None:
    for cle in cles:
        valeur: object = carte
        for partie in cle.split("."):
            valeur = valeur.get(partie) if isinstance(valeur, dict) else None
        if isinstance(valeur, str):
            return horodatage(valeur)
    return None


def _majuscule(texte: str) -> str:
    return texte[:1].upper() + texte[1:]


def _resumer_carte(carte: dict) -> tuple[list[str], list[tuple[str, str]]]:
    """Sentences and rows of the cards that the learning flow writes; ([], []) for others."""
    methode = str(carte.get("methode", "")).strip()
    phrases = [f"Ce que fait le modèle : {methode}."] if methode else []
    lignes: list[tuple[str, str]] = []
    if "evaluation_interne" in carte:  # ROME classification
        exemples, evaluation = carte["exemples"], carte["evaluation_interne"]
        execution = carte.get("derniere_execution") or {}
        phrases.append(
            f"Appris sur {nombre(exemples['appellations_et_libelles'])} appellations et libellés du ROME et "
            f"{nombre(exemples['offres_et_recrutements_etiquetes'])} offres et recrutements déjà codés ; "
            f"mesuré sur {nombre(evaluation['offres'])} offres prédites sans leurs propres republications, il trouve "
            f"le bon métier (code parent) dans {pourcent(evaluation['top1_parent'], 1)} des cas et le bon code "
            f"précis dans {pourcent(evaluation['top1_code'], 1)}.")
        lignes = [("Exemples d'apprentissage", nombre(exemples["appellations_et_libelles"]
                                                      + exemples["offres_et_recrutements_etiquetes"])),
                  ("Métier juste (code parent)", pourcent(evaluation["top1_parent"], 1)),
                  ("Code précis juste", pourcent(evaluation["top1_code"], 1)),
                  ("Seuil de confiance", pourcent(carte["seuil_confiance"])),
                  ("Offres classées à la dernière exécution", nombre(execution.get("predictions"))),
                  ("dont à revoir (confiance sous le seuil)", nombre(execution.get("a_revoir"))),
                  ("Entraîné le (heure de Paris)", _quand(carte, "entraine_le") or "—")]
        if execution.get("modele"):  # « modèle réutilisé : 0,3 % d'exemples nouveaux… » (cards since #17)
            lignes.append(("À la dernière exécution", _majuscule(str(execution["modele"]))))
    elif "mesures" in carte:  # difficulty factors
        for m in carte["mesures"]:
            v = m["validation_croisee"]
            phrases.append(
                f"{str(m['mesure'])[:1].upper()}{str(m['mesure'])[1:]} : {nombre(m['n'])} {m['population']} ; "
                f"en validation croisée ({nombre(v['plis'])} plis), {v['metrique']} de {nombre(v['modele'], 2)} contre "
                f"{nombre(v['reference'], 2)} pour la seule référence (métier et entreprise)"
                + (f" ; effet net établi pour : {', '.join(m['effets_nets'])}." if m.get("effets_nets")
                   else " ; aucun effet net établi."))
            lignes.append((f"{str(m['mesure'])[:1].upper()}{str(m['mesure'])[1:]}",
                           f"{nombre(m['n'])} observations · {v['metrique']} {nombre(v['modele'], 2)} "
                           f"(référence {nombre(v['reference'], 2)})"))
        lignes += [(f"{_majuscule(str(m['mesure']))}, à la dernière exécution", _majuscule(str(m["modele"])))
                   for m in carte["mesures"] if m.get("modele")]
        lignes.append(("Entraîné le (heure de Paris)", _quand(carte, "entraine_le") or "—"))
    elif isinstance(carte.get("derniere_execution"), dict) and "grappes" in carte["derniere_execution"]:  # duplicates
        e = carte["derniere_execution"]
        phrases.append(
            f"À la dernière exécution, {nombre(e['offres'])} offres de toutes les sources ont donné "
            f"{nombre(e['annonces'])} annonces distinctes : {nombre(e['grappes'])} groupes de doublons, "
            f"{nombre(e['paires_retenues'])} paires de doublons en tout ; "
            f"{nombre(e['paires_comparees'])} paires comparées par cette exécution"
            f"{' (seules les offres nouvelles ou modifiées le sont)' if e.get('passage') == 'incrémental' else ''}.")
        lignes = [("Offres", nombre(e["offres"])), ("Annonces distinctes", nombre(e["annonces"])),
                  ("Groupes de doublons", nombre(e["grappes"])),
                  ("Paires de doublons (en tout)", nombre(e["paires_retenues"])),
                  ("Paires comparées par cette exécution", nombre(e["paires_comparees"])),
                  ("Exécuté le (heure de Paris)", _quand(carte, "derniere_execution.le") or "—")]
    else:
        return [], []
    quand = _quand(carte, "entraine_le", "derniere_execution.le")
    if quand:
        phrases.append(f"{'Entraîné' if 'entraine_le' in carte else 'Exécuté'} le {quand} (heure de Paris).")
    return phrases, lignes


def _aplatir(objet: dict, prefixe: str = "") -> list[tuple[str, str]]:
    lignes: list[tuple[str, str]] = []
    for cle, valeur in objet.items():
        if cle == "nom" and not prefixe:
            continue
        libelle = f"{prefixe}{cle}".replace("_", " ")
        if isinstance(valeur, dict):
            lignes += _aplatir(valeur, f"{prefixe}{cle} · ")
        elif isinstance(valeur, list):
            if all(not isinstance(v, dict | list) for v in valeur) and len(valeur) <= 12:
                lignes.append((libelle, ", ".join(_scalaire(v) for v in valeur)))
            else:
                lignes.append((libelle, f"{len(valeur)} éléments"))
        else:
            lignes.append((libelle, _scalaire(valeur)))
    return lignes


def _scalaire(valeur: object) -> str:
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, int):
        return nombre(valeur)
    if isinstance(valeur, float):
        return nombre(valeur, 3 if abs(valeur) < 10 else 1)
    return "—" if valeur is None else str(valeur)


# --------------------------------------------------------------------------- changes

def _chiffres(d: dict[str, pd.DataFrame], noms: Pseudonymes, publie_le: datetime) -> dict:
    """This run's key figures (``sql/publication/chiffres_cles.sql``, kept in chiffres-cles.json
    for the next run) and the diagnosis of each company × role over the whole period."""
    k = d["chiffres"].iloc[0]
    derniere = None if manquant(k["derniere_annee"]) else k["derniere_annee"]
    diagnostic = d["diagnostic"][d["diagnostic"]["type_periode"] == "ensemble"]
    valeurs = [
        ("offres", "Offres d'emploi chargées", int(k["offres"])),
        ("annonces", "Annonces distinctes (doublons regroupés)", int(k["annonces"])),
        ("tension_forte", f"Couples métier × département en tension forte (niveau 4 ou 5, {derniere or '—'})",
         int(k["tension_forte"])),
        ("entreprises", "Entreprises pilotes", int(k["entreprises"])),
        ("recrutements", "Recrutements suivis", int(k["recrutements"])),
        ("candidatures", "Candidatures reçues", int(k["candidatures"])),
        ("process", "Métiers d'entreprise où la difficulté vient du processus", int(k["process"])),
        ("quarantaine", "Lignes en quarantaine", int(k["quarantaine"])),
    ]
    return {
        "publie_le": publie_le.isoformat(timespec="seconds"),
        "chiffres": {cle: {"libelle": libelle, "valeur": valeur} for cle, libelle, valeur in valeurs},
        "diagnostics": {f"{noms(e)} · {m}": c for e, m, c in zip(
            diagnostic["entreprise"], diagnostic["metier"], diagnostic["cause"], strict=True)},
    }


def chiffres_precedents(racine: Path, nom: str, entrepot: str | Path | None = None) -> dict | None:
    """Key figures of the most recent other run in ``racine`` (None for a first run); with
    ``entrepot``, only among the runs that published that warehouse (a real warehouse is
    never compared with the demo's)."""
    trouves = []
    for fichier in racine.glob(f"*/{CHIFFRES}") if racine.is_dir() else []:
        dossier = fichier.parent.name
        if dossier == nom or ".tmp-" in dossier or ".ancien-" in dossier:
            continue
        try:
            contenu = json.loads(fichier.read_text(encoding="utf-8"))
            if entrepot is not None and contenu.get("entrepot") != str(Path(entrepot).resolve()):
                continue
            instant = datetime.fromisoformat(str(contenu["publie_le"]))
            trouves.append((instant if instant.tzinfo else instant.replace(tzinfo=PARIS), dossier, contenu))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    if not trouves:
        return None
    # the latest instant (offsets compared, not strings: a daylight-saving change), then the name
    _, dossier, contenu = max(trouves, key=lambda t: (t[0], t[1]))
    return contenu | {"sortie": dossier}


def evolutions(chiffres: dict, precedent: dict | None) -> dict:
    """Each key figure now and at the previous run, and the diagnoses that changed."""
    avant = (precedent or {}).get("chiffres", {})
    lignes = [{"libelle": c["libelle"], "valeur": c["valeur"],
               "avant": avant.get(cle, {}).get("valeur") if precedent else None}
              for cle, c in chiffres["chiffres"].items()]
    for ligne in lignes:
        ligne["ecart"] = None if ligne["avant"] is None else ligne["valeur"] - ligne["avant"]
    diagnostics_avant = (precedent or {}).get("diagnostics", {})
    changes = [{"cle": cle, "avant": libelles.CAUSES.get(diagnostics_avant.get(cle), "—"),
                "apres": libelles.CAUSES.get(cause, cause)}
               for cle, cause in sorted(chiffres["diagnostics"].items())
               if precedent and diagnostics_avant.get(cle) != cause]
    return {"lignes": lignes, "diagnostics": changes}
