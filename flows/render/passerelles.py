"""Passerelles in the dashboard and the reports: the neighbouring occupations (ROME
mobility paths) whose jobseekers could fill a role with a short training.

The dashboard's view draws, for the chosen occupation, territory and year, each
neighbouring occupation by its label: the size of its bubble is its pool (category-A
jobseekers), its colour its own tension level, beside the target's own pool. A company's
report proposes sourcing from the neighbours when the diagnosis's rule
« vivier_passerelles » fired (thin qualified pool, large neighbouring pools not in
tension), with their counts in the company's département and the skills to train.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from flows.render.commun import manquant, nombre, pourcent
from flows.render.figures import GRIS, liste, meta, mise_en_page, texte

TOUS = "tous"
# colour of each tension level (1 low .. 5 very high): blue to red, no white (a bubble
# must show on the white background)
ECHELLE_TENSION = [[0.0, "#2c7bb6"], [0.25, "#74add1"], [0.5, "#fee08b"], [0.75, "#f46d43"], [1.0, "#a50026"]]
DIAMETRE_MAX = 44  # px: the largest bubble of a cell
NIVEAUX = {1: "1 faible", 2: "2", 3: "3 moyenne", 4: "4", 5: "5 très forte"}


# --------------------------------------------------------------------------- dashboard

def figure_tableau(lignes: pd.DataFrame) -> go.Figure:
    """One bubble per neighbouring occupation of the chosen occupation, territory and year
    (x and size: its category-A jobseekers; colour: its tension level; neighbours whose
    pool or tension is unknown are not drawn), below a grey bubble for the occupation's
    own pool. One trace pair per cell; with « all
    occupations », the occupation with the most offers shows; « all the period » shows
    the latest year."""
    figure = go.Figure()
    if lignes.empty:
        return figure
    derniere = str(lignes["annee"].max())
    offres = lignes.drop_duplicates(["metier", "territoire", "annee"]).groupby("metier")["offres"].sum()
    defaut = str(offres.sort_values(ascending=False, kind="stable").index[0])
    lignes_max = 1
    for (metier, territoire, annee), groupe in lignes.groupby(["metier", "territoire", "annee"], sort=True):
        filtre = meta({"metier": [metier, TOUS] if metier == defaut else [metier], "territoire": [territoire],
                       "periode": [annee, TOUS] if annee == derniere else [annee]})
        groupe = groupe.sort_values(["demandeurs_a_voisin", "libelle_voisin"], ascending=[False, True],
                                    na_position="last", kind="stable")
        lignes_max = max(lignes_max, len(groupe) + 1)
        cible = groupe.iloc[0]
        # areas proportional to the pools within the cell (the target's pool included)
        plus_grand = pd.concat([groupe["demandeurs_a_voisin"], groupe["demandeurs_a"]]).max()
        taille = {"sizemode": "area", "sizemin": 4,
                  "sizeref": 2.0 * (float(plus_grand) if not manquant(plus_grand) and plus_grand > 0 else 1.0)
                  / DIAMETRE_MAX ** 2}
        figure.add_scatter(
            x=[_vivier(cible["demandeurs_a"])],
            y=[texte(f"{cible['libelle']} (métier choisi)")], mode="markers+text", meta=filtre, showlegend=False,
            text=[_etiquette(cible["demandeurs_a"])], textposition="middle right", cliponaxis=False,
            marker={"color": GRIS, "size": _tailles([cible["demandeurs_a"]]), "symbol": "diamond", **taille},
            customdata=[[float(cible["offres"]), "vivier inconnu : aucune statistique de demandeurs d'emploi chargée ici"
                         if manquant(cible["demandeurs_a"]) else
                         f"vivier sur le papier : {nombre(cible['demandeurs_a'])} demandeurs de catégorie A"]],
            hovertemplate="%{y}<br>%{customdata[1]}<br>%{customdata[0]:,.0f} offres<extra></extra>")
        # a neighbour whose tension is unknown cannot be coloured; one whose pool is unknown
        # (no jobseeker statistics loaded) stands at 0, « vivier inconnu », its offers in the hover
        groupe = groupe.dropna(subset=["niveau_tension_voisin"])
        etat = ["en tension : pas un vivier de repli" if v is True else ("hors tension" if v is False else
                "tension inconnue") for v in groupe["voisin_en_tension"]]
        figure.add_scatter(
            x=[_vivier(v) for v in groupe["demandeurs_a_voisin"]], y=[texte(v) for v in groupe["libelle_voisin"]],
            mode="markers+text", meta=filtre, showlegend=False, cliponaxis=False,
            text=[_etiquette(v) for v in groupe["demandeurs_a_voisin"]], textposition="middle right",
            marker={"color": liste(groupe["niveau_tension_voisin"]), "coloraxis": "coloraxis",
                    "size": _tailles(groupe["demandeurs_a_voisin"]), "line": {"color": "#555", "width": 1},
                    **taille},
            customdata=[[o, _vivier_survol(a, abc), "—" if manquant(n) else int(n), e, int(r), texte(_par(v, s) or v)]
                        for o, a, abc, n, e, r, v, s in zip(
                liste(groupe["offres_voisin"]), groupe["demandeurs_a_voisin"], groupe["demandeurs_abc_voisin"],
                groupe["niveau_tension_voisin"], etat, groupe["rang"], groupe["libelle_voisin"],
                groupe["metiers_sources"], strict=True)],
            hovertemplate="%{y}<br>%{customdata[1]}<br>"
                          "%{customdata[0]:,.0f} offres · tension niveau %{customdata[2]} sur 5 "
                          "(%{customdata[3]})<br>par les emplois : %{customdata[5]}<br>le métier choisi est "
                          "leur mobilité n° %{customdata[4]} dans le ROME<extra></extra>")
    figure.update_yaxes(autorange="reversed", title="Métier")
    figure.update_xaxes(title="Demandeurs d'emploi de catégorie A (moyenne de l'année, en personnes)",
                        rangemode="tozero")
    return mise_en_page(
        figure, 160 + 34 * min(lignes_max, 14), margin={"l": 60, "r": 30, "t": 20, "b": 60},
        coloraxis={"cmin": 1, "cmax": 5, "colorscale": ECHELLE_TENSION,
                   "colorbar": {"title": {"text": "Tension du<br>métier voisin<br>(niveau 1 à 5)", "side": "top"},
                                "tickvals": list(NIVEAUX), "ticktext": list(NIVEAUX.values()),
                                "thickness": 14, "len": 0.9, "x": 1.02, "xpad": 10}})


def _vivier(valeur: object) -> float:
    """A pool's place on the x axis: an unknown one at 0 (its label says so)."""
    return 0.0 if manquant(valeur) else float(valeur)  # type: ignore[arg-type]


def _etiquette(valeur: object) -> str:
    return "vivier inconnu" if manquant(valeur) else nombre(valeur)


def _vivier_survol(categorie_a: object, abc: object) -> str:
    if manquant(categorie_a):
        return "vivier inconnu : aucune statistique de demandeurs d'emploi chargée ici"
    return f"{nombre(categorie_a)} demandeurs de catégorie A ({nombre(abc)} en A, B, C)"


def _tailles(valeurs) -> list:
    """Bubble areas: an unknown pool draws the smallest dot (``sizemin``; Plotly wants a number)."""
    return [0 if v is None else v for v in liste(valeurs)]


# --------------------------------------------------------------------------- reports

def pour_rapport(lignes: pd.DataFrame, metier, regles: dict[str, float]) -> list[dict]:
    """Per role, from ``sql/publication/rapport_passerelles.sql``: the proposal when the
    rule fired (neighbours not in tension, largest pool first, with the skills to train),
    or the warning that every neighbour is itself in tension. ``metier`` labels a v3
    code; ``regles`` are the ``passerelles`` thresholds the transformation used."""
    roles = []
    for code, groupe in lignes.groupby("metier", sort=True):
        premiere = groupe.iloc[0]
        propose = bool(premiere["declenchee"]) if not manquant(premiere["declenchee"]) else False
        if not propose and not bool(premiere["voisins_en_tension"]):
            continue
        libres = groupe[groupe["voisin_en_tension"] == False]  # noqa: E712 (NULL: unknown, left out)
        libres = libres.sort_values(["demandeurs_a_voisin", "rang"], ascending=[False, True], kind="stable")
        tendus = groupe[groupe["voisin_en_tension"] == True]  # noqa: E712
        departement = premiere["departement_libelle"] if not manquant(premiere["departement_libelle"]) else \
            premiere["departement"]
        roles.append({
            "metier": metier(code), "propose": propose, "departement": departement, "annee": premiere["annee"],
            "vivier_qualifie": nombre(premiere["vivier_qualifie_par_poste"], 1),
            "vivier_passerelles": nombre(premiere["vivier_passerelles_par_poste"]),
            "seuil": nombre(premiere["seuil"]),
            "voisins": [{"libelle": v.libelle_voisin, "par": _par(v.libelle_voisin, v.metiers_sources),
                         "demandeurs_a": nombre(v.demandeurs_a_voisin),
                         "demandeurs_abc": nombre(v.demandeurs_abc_voisin), "offres": nombre(v.offres_voisin),
                         "tension": "—" if manquant(v.niveau_tension_voisin) else
                         f"niveau {int(v.niveau_tension_voisin)} sur 5",
                         "competences": ", ".join(v.competences_a_acquerir) if len(v.competences_a_acquerir) else ""}
                        for v in libres.itertuples(index=False)],
            "en_tension": [str(v) for v in tendus["libelle_voisin"]],
            "part_cible": pourcent(regles["competence_part_cible_min"]),
            "part_voisin": pourcent(regles["competence_part_voisin_max"]),
        })
    return roles


def _par(libelle: str, sources) -> str:
    """The jobs of the neighbouring family whose paths lead to the role, when they are not
    the family's own label (« Responsable qualité en industrie » leads to maintenance
    through its quality technicians)."""
    noms = [str(s) for s in (sources if sources is not None else [])]
    return "" if not noms or noms == [libelle] else ", ".join(noms)
