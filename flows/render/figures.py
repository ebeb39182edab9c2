"""Plotly figures of the dashboard and the reports, labelled in French, with French
numbers (``separators=", "``) and dates (``%d/%m/%Y``).

Every text that comes from the data goes through ``texte`` (Plotly reads a little HTML in
labels; escaped, a title such as ``<b>`` shows as typed). Dashboard traces carry their
filter keys in ``meta`` for the page's script (templates/filtres.js):
``meta.filtre[dim]`` lists the values of a filter for which the whole trace shows;
``meta.points[dim][i]`` lists them for point ``i``. The dimensions are ``metier``,
``territoire`` and ``periode``; ``"tous"`` is the value of « all » in a list.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from flows.formats import nombre_fr
from flows.render.commun import manquant
from flows.render.libelles import CAUSES, COULEURS_CAUSES, DELAIS, ETAPES

POLICE = "DejaVu Sans, Arial, sans-serif"
POURCENT = "\u202f%"  # French: a narrow no-break space before %
LARGEUR_RAPPORT = 680  # px: an A4 page less 15 mm margins, at 96 dpi
BLEU, GRIS, ORANGE = "#1f5f8b", "#a6acaf", "#d68910"
COULEURS_ETAPES = ["#1f5f8b", "#4a90b8", "#7fb3d5", "#d68910"]
# Legends sit above the plot area (Plotly widens the top margin for them), where no tick
# label nor axis title can be; the charts' titles are the page's figcaptions.
LEGENDE = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left", "traceorder": "normal"}
# Slanted category labels end at their tick (up to the right): the last one is never cut
# at the right edge, and Plotly's automargin makes room for the first at the left.
INCLINAISON = -30
# At most this many series a reader can tell apart in one chart; beyond, « autres » in grey.
SERIES_MAX = 7
PALETTE = ["#1f5f8b", "#d68910", "#7d3c98", "#27ae60", "#b03a2e", "#17a589"]
GRIS_AUTRES = "#c8cdd0"
AUTRES_ENTREPRISES = "Autres entreprises"  # the companies summed beyond SERIES_MAX
# one colour per company, the same in every selection (Plotly's would follow trace order)
COULEURS_ENTREPRISES = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]
# Log axis of ratios: powers of two, written the French way
# Occupations of the tension heat map: those with the most offers (the title says so).
CARTE_METIERS_MAX = 25
# FAP families of the DARES comparison under « all occupations »: those with the most offers.
DARES_FAMILLES_MAX = 15
GRADUATIONS_LOG = [0.0625, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0]


def texte(valeur: object) -> str:
    """Data text for Plotly: ``<``, ``>`` and ``&`` escaped (Plotly turns the entities back
    into the characters)."""
    return html.escape(str(valeur), quote=False)


def liste(valeurs) -> list:
    """A plain JSON list (Plotly would write a numeric Series as a typed array, which the
    filter script cannot slice point by point); missing values become ``null``."""
    return [None if manquant(v) else (v.item() if hasattr(v, "item") else v) for v in valeurs]


def meta(filtre: dict | None = None, points: dict | None = None) -> dict:
    resultat: dict = {}
    if filtre:
        resultat["filtre"] = {cle: list(valeurs) for cle, valeurs in filtre.items()}
    if points:
        resultat["points"] = {cle: [list(v) for v in valeurs] for cle, valeurs in points.items()}
    return resultat


def selection_initiale(figure: go.Figure, selection: dict[str, str]) -> go.Figure:
    """Hide the traces that the filters' initial values hide, so that the page draws only
    what shows (drawing hundreds of traces, then hiding them, takes seconds)."""
    for trace in figure.data:
        filtre = (trace.meta or {}).get("filtre", {})
        if filtre:
            trace.visible = all(selection[dim] in valeurs for dim, valeurs in filtre.items() if dim in selection)
    return figure


def mise_en_page(figure: go.Figure, hauteur: int, largeur: int | None = None, **autres) -> go.Figure:
    """The house layout (``autres`` overrides it): white, DejaVu Sans, French separators,
    no Plotly template (it would weigh a few kB in every chart)."""
    figure.update_layout(**({
        "template": go.layout.Template(), "separators": ", ", "height": hauteur, "width": largeur,
        "font": {"family": POLICE, "size": 12, "color": "#222"}, "paper_bgcolor": "white",
        "plot_bgcolor": "white", "margin": {"l": 60, "r": 20, "t": 20, "b": 50}, "hoverlabel": {"namelength": -1},
        "legend": LEGENDE} | autres))
    figure.update_xaxes(gridcolor="#e5e5e5", zerolinecolor="#b3b3b3", automargin=True)
    figure.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#b3b3b3", automargin=True)
    return figure


def marge_etiquettes(libelles: list[str], pixels_par_caractere: float = 6.5) -> dict:
    """A left margin that holds the longest category label and the y-axis title beside it
    (Plotly's automargin, with these labels, draws the title over them)."""
    longueur = max((len(str(v)) for v in libelles), default=0)
    return {"l": int(60 + pixels_par_caractere * longueur), "r": 20, "t": 20, "b": 50}


def _titre_y_a_gauche(figure: go.Figure) -> None:
    figure.update_yaxes(automargin=False, title_standoff=10)


def _axe_temps(figure: go.Figure) -> None:
    """Dates in French; the period filter zooms on the chosen year (``meta.axe_temps``)."""
    # one tick a quarter: months never repeat on a short span (a zoomed year shows four)
    figure.update_xaxes(tickformat="%m/%Y", hoverformat="%d/%m/%Y", dtick="M3", tick0="2000-01-01")
    figure.update_layout(meta={"axe_temps": True})


def _pourcent(numerateur: float, denominateur: float) -> float | None:
    return None if not denominateur else 100 * numerateur / denominateur


# --------------------------------------------------------------------------- dashboard

def offres_par_mois(series: pd.DataFrame) -> go.Figure:
    """Offers published and new category-A jobseekers per month, one pair of traces per
    occupation (or ``tous``) and territory. Columns: metier, territoire, debut, offres, entrees_a."""
    figure = go.Figure()
    for (metier, territoire), groupe in series.groupby(["metier", "territoire"], sort=True):
        filtre = meta({"metier": [metier], "territoire": [territoire]})
        figure.add_bar(x=groupe["debut"], y=groupe["offres"], name="Offres publiées", marker_color=BLEU,
                       meta=filtre, hovertemplate="%{x|%m/%Y} : %{y:,.0f} offres<extra></extra>")
        figure.add_scatter(x=groupe["debut"], y=groupe["entrees_a"], name="Nouveaux demandeurs (catégorie A)",
                           mode="lines+markers", line={"color": ORANGE}, meta=filtre,
                           hovertemplate="%{x|%m/%Y} : %{y:,.0f} nouveaux demandeurs<extra></extra>")
    mise_en_page(figure, 380, yaxis={"title": {"text": "Nombre par mois"}, "tickformat": ",.0f"}, xaxis_title="Mois")
    _axe_temps(figure)
    return figure


def carte_tension(cellules: pd.DataFrame, derniere: str, metiers_max: int = CARTE_METIERS_MAX) -> go.Figure:
    """Occupations × départements heat map of the tension score, one trace per year (the
    latest also stands for « toute la période »). Each year shows only the ``metiers_max``
    occupations with the most offers that year, all départements together (then the most
    départements with a score, then by name): on the real files about 200 occupations have
    a score, a list no one reads. Columns: annee, metier_libelle, territoire_libelle,
    score_tension, niveau_tension, offres, demandeurs_a."""
    figure = go.Figure()
    colonnes = sorted(cellules["territoire_libelle"].unique())
    montres: set[str] = set()
    hauteur = 1
    for annee, groupe in cellules.groupby("annee", sort=True):
        lignes = metiers_les_plus_offerts(groupe, metiers_max)
        montres.update(lignes)
        hauteur = max(hauteur, len(lignes))
        grille = groupe.set_index(["metier_libelle", "territoire_libelle"])
        score, niveaux, offres, demandeurs = (
            [[_valeur(grille, (m, t), c) for t in colonnes] for m in lignes]
            for c in ("score_tension", "niveau_tension", "offres", "demandeurs_a"))
        details = [list(zip(n, o, d, strict=True)) for n, o, d in zip(niveaux, offres, demandeurs, strict=True)]
        figure.add_heatmap(
            x=[texte(c) for c in colonnes], y=[texte(m) for m in lignes], z=score, customdata=details,
            zmid=0, colorscale="RdBu", reversescale=True, xgap=2, ygap=2,
            colorbar={"title": {"text": f"Score {annee}"}},
            meta=meta({"periode": [annee, "tous"] if annee == derniere else [annee]}),
            hovertemplate="%{y}<br>%{x}<br>score %{z:,.2f} (niveau %{customdata[0]})<br>"
                          "%{customdata[1]:,.0f} offres, %{customdata[2]:,.0f} demandeurs A en moyenne"
                          f"<extra>{annee}</extra>")
    figure.update_yaxes(autorange="reversed")  # the occupation with the most offers on top
    mise_en_page(figure, 140 + 28 * hauteur, margin=marge_etiquettes(sorted(montres)) | {"b": 80},
                 xaxis_title="Département", yaxis_title="Métier")
    _titre_y_a_gauche(figure)
    return figure


def metiers_les_plus_offerts(cellules: pd.DataFrame, nombre: int) -> list[str]:
    """The labels of the ``nombre`` occupations with the most offers in ``cellules`` (ties:
    the most territories with a score, then alphabetical order)."""
    rangs = (cellules.assign(offres=cellules["offres"].fillna(0), avec_score=cellules["score_tension"].notna())
             .groupby("metier_libelle", as_index=False)[["offres", "avec_score"]].sum()
             .sort_values(["offres", "avec_score", "metier_libelle"], ascending=[False, False, True], kind="stable"))
    return list(rangs["metier_libelle"].head(nombre))


def _valeur(grille: pd.DataFrame, cle: tuple, colonne: str) -> object:
    if cle not in grille.index:
        return None
    valeur = grille.at[cle, colonne]
    return None if pd.isna(valeur) else valeur


def score_tendance(series: pd.DataFrame) -> go.Figure:
    """Quarterly tension score per occupation and territory. An occupation chosen in the
    filter shows alone; under « all occupations », the six with the most offers in the
    territory have their colour and the others are thin grey lines (« Autres métiers »), so
    that no more than seven series need telling apart. Columns: metier, metier_libelle,
    territoire, debut, score_tension, offres."""
    figure = go.Figure()
    rangs = (series.groupby(["territoire", "metier"], as_index=False)["offres"].sum()
             .sort_values(["territoire", "offres", "metier"], ascending=[True, False, True], kind="stable"))
    rangs["rang"] = rangs.groupby("territoire").cumcount()
    rang = {(t, m): r for t, m, r in zip(rangs["territoire"], rangs["metier"], rangs["rang"], strict=True)}
    survol = "%{fullData.name}<br>trimestre du %{x|%d/%m/%Y} : score %{y:,.2f}<extra></extra>"
    for (metier, territoire), groupe in series.groupby(["metier", "territoire"], sort=True):
        nom = texte(groupe["metier_libelle"].iloc[0])
        x, y = groupe["debut"], liste(groupe["score_tension"])
        figure.add_scatter(x=x, y=y, mode="lines+markers", name=nom, line={"color": BLEU},
                           meta=meta({"metier": [metier], "territoire": [territoire]}), hovertemplate=survol)
        r = rang[(territoire, metier)]
        if r < SERIES_MAX - 1:
            figure.add_scatter(x=x, y=y, mode="lines+markers", name=nom, line={"color": PALETTE[r]},
                               marker={"color": PALETTE[r]}, legendrank=r,
                               meta=meta({"metier": ["tous"], "territoire": [territoire]}), hovertemplate=survol)
        else:
            figure.add_scatter(x=x, y=y, mode="lines", name="Autres métiers", line={"color": GRIS_AUTRES, "width": 1},
                               legendgroup=f"autres-{territoire}", showlegend=r == SERIES_MAX - 1, legendrank=99,
                               customdata=[nom] * len(groupe),
                               meta=meta({"metier": ["tous"], "territoire": [territoire]}),
                               hovertemplate="%{customdata}<br>trimestre du %{x|%d/%m/%Y} : score %{y:,.2f}"
                                             "<extra></extra>")
    figure.add_hline(y=0, line={"color": "#888", "dash": "dot"})
    mise_en_page(figure, 420, yaxis_title="Score de tension (0 = moyenne)", xaxis_title="Trimestre",
                 showlegend=True)
    _axe_temps(figure)
    return figure


def comparaison_dares(lignes: pd.DataFrame, derniere: str, familles_max: int = DARES_FAMILLES_MAX) -> go.Figure:
    """Our yearly score beside DARES's published one, per FAP family, as horizontal bars
    named by the family's label (its code in the hover). Under « all occupations », only the
    ``familles_max`` families with the most offers of the territory and year show (about 130
    families have both scores in Haute-Savoie); an occupation chosen shows its own families.
    Columns: territoire, annee, fap, fap_libelle, codes_rome3, offres, score_tension,
    score_dares, annee_dares."""
    figure = go.Figure()
    lignes_max = 1
    for (territoire, annee), groupe in lignes.groupby(["territoire", "annee"], sort=True):
        groupe = groupe.assign(_offres=groupe["offres"].fillna(0)).sort_values(
            ["_offres", "fap_libelle"], ascending=[False, True], kind="stable")
        lignes_max = max(lignes_max, min(len(groupe), familles_max))
        filtre = {"territoire": [territoire], "periode": [annee, "tous"] if annee == derniere else [annee]}
        points = {"metier": [[*codes, "tous"] if rang < familles_max else list(codes)
                             for rang, codes in enumerate(groupe["codes_rome3"])]}
        y = [libelle_court(abrege(nom_famille(f, c), 2 * LIGNE_FAP), LIGNE_FAP)
             for f, c in zip(groupe["fap_libelle"], groupe["fap"], strict=True)]
        noms = [_survol_famille(f, c, o) for f, c, o in zip(groupe["fap_libelle"], groupe["fap"], groupe["_offres"],
                                                              strict=True)]
        figure.add_bar(y=y, x=liste(groupe["score_tension"]), name="Notre score", marker_color=BLEU,
                       orientation="h", customdata=noms, meta=meta(filtre, points),
                       hovertemplate=f"%{{customdata}}<br>notre score {annee} : %{{x:,.2f}}<extra></extra>")
        figure.add_bar(y=y, x=liste(groupe["score_dares"]), name="Score publié par la DARES",
                       marker_color=GRIS, orientation="h",
                       customdata=list(zip(noms, liste(groupe["annee_dares"]), strict=True)),
                       meta=meta(filtre, points),
                       hovertemplate="%{customdata[0]}<br>DARES %{customdata[1]} : %{x:,.2f}<extra></extra>")
    # the family with the most offers on top; one slot per family, so that an occupation's
    # one or two families keep the bars' width (the page's script then fits the height and
    # the range to the rows shown: meta.lignes); a category axis shows no numbered ticks
    figure.update_yaxes(type="category", range=[lignes_max - 0.5, -0.5], autorange=False)
    mise_en_page(figure, 150 + 44 * lignes_max, barmode="group",
                 margin={"l": int(60 + 6.5 * LIGNE_FAP), "r": 20, "t": 20, "b": 50},
                 xaxis_title="Score de tension (écart à la moyenne)", yaxis_title="Famille professionnelle (FAP)",
                 meta={"lignes": {"base": 150, "ligne": 44, "min": 4}})
    _titre_y_a_gauche(figure)
    return figure


def abrege(valeur: str, longueur: int) -> str:
    """At most ``longueur`` characters, cut between words with « … »: a FAP family without a
    DARES label is named by the v3 occupations it covers, 27 of them for G1Z70."""
    if len(valeur) <= longueur:
        return valeur
    return valeur[: longueur - 2].rsplit(" ", 1)[0].rstrip(" ;,") + " …"


def _survol_famille(libelle: object, code: object, offres: float) -> str:
    """« Tuyauteurs (D2Z41) », then the offers: the code once, even when the label has it."""
    nom = abrege(nom_famille(libelle, code), 4 * LIGNE_FAP)
    return texte(nom if nom.startswith(str(code)) else f"{nom} ({code})") + f"<br>{nombre_fr(int(offres))} offre(s)"


def nom_famille(libelle: object, code: object) -> str:
    """A FAP family's label without the code that ``"analyse".metiers`` appends to it
    (« Tuyauteurs (D2Z41) » -> « Tuyauteurs »); a family without a DARES label keeps its
    code and the occupations it covers."""
    texte_, suffixe = str(libelle), f" ({code})"
    return texte_[: -len(suffixe)] if texte_.endswith(suffixe) else texte_


def etude(points: pd.DataFrame, seuil_ratio: float, seuil_delai: float) -> go.Figure:
    """Each pilot company and role: market tension (x, log scale with ticks 0,25 · 0,5 · 1 ·
    2 · 4) against its own time to fill (y), coloured by the diagnosed cause. An occupation
    chosen in the filter has its own traces, named by cause and occupation; « all
    occupations » has one trace per cause. No label on the points (companies of one
    territory share the market's x and pile up): the company and the job are in the hover,
    the table below lists them. Columns: cause, ratio_tension, delai, recrutements,
    entreprise, metier, metier_libelle, sous_cause, f_periode, f_territoire (filter lists)."""
    figure = go.Figure()
    groupes = [(cause, libelle, metier, points[(points["cause"] == cause) & (points["metier"] == metier)])
               for cause, libelle in CAUSES.items() for metier in sorted(set(points["metier"]))]
    groupes += [(cause, libelle, "tous", points[points["cause"] == cause]) for cause, libelle in CAUSES.items()]
    for cause, libelle, metier, groupe in groupes:
        if groupe.empty:
            continue
        # the job chosen heads its group in the legend (« all occupations »: in the hover)
        groupe_legende = {} if metier == "tous" else {
            "legendgroup": metier, "legendgrouptitle": {"text": texte(groupe["metier_libelle"].iloc[0]) + " :"}}
        figure.add_scatter(
            x=liste(groupe["ratio_tension"]), y=liste(groupe["delai"]), mode="markers", name=libelle,
            **groupe_legende,
            marker={"color": COULEURS_CAUSES.get(cause, GRIS), "size": [8 + 3 * math.sqrt(r) for r in groupe["recrutements"]],
                    "line": {"color": "white", "width": 1}, "opacity": 0.85},
            customdata=[[texte(e), texte(m), texte(s), r] for e, m, s, r in zip(
                groupe["entreprise"], groupe["metier_libelle"], groupe["sous_cause"], liste(groupe["recrutements"]),
                strict=True)],
            meta=meta({"metier": [metier]}, points={"periode": groupe["f_periode"],
                                                    "territoire": groupe["f_territoire"]}),
            hovertemplate="<b>%{customdata[0]}</b> · %{customdata[1]}<br>"
                          "%{x:,.2f} offre par nouveau demandeur d'emploi<br>"
                          "délai de pourvoi médian %{y:,.0f} jours<br>%{customdata[3]} recrutements<br>"
                          f"{libelle} %{{customdata[2]}}<extra></extra>")
    figure.add_vline(x=seuil_ratio, line={"color": "#555", "dash": "dash"})
    figure.add_hline(y=seuil_delai, line={"color": "#555", "dash": "dash"})
    figure.add_annotation(xref="paper", yref="paper", x=0.01, y=0.99, xanchor="left", yanchor="top",
                          showarrow=False, align="left", font={"color": "#555"},
                          text="Le vivier est là,<br>le processus non")
    figure.add_annotation(xref="paper", yref="paper", x=0.99, y=0.99, xanchor="right", yanchor="top",
                          showarrow=False, align="right", font={"color": "#555"}, text="Pénurie de candidats")
    valeurs = [v for v in points["ratio_tension"] if v and v > 0] + [seuil_ratio]
    bas, haut = min(valeurs) / 1.5, max(max(valeurs), seuil_ratio * 2) * 1.5
    graduations = [g for g in GRADUATIONS_LOG if bas <= g <= haut]
    return mise_en_page(figure, 520, xaxis={
        "type": "log", "range": [math.log10(bas), math.log10(haut)], "tickmode": "array", "tickvals": graduations,
        "ticktext": [graduation(g) for g in graduations],
        "title": {"text": "Tension du marché : offres par nouveau demandeur d'emploi (échelle logarithmique)"}},
        # from zero, the threshold in view, room above the highest point for the corner notes
        yaxis={"title": {"text": "Difficulté : délai de pourvoi médian (jours)"},
               "range": [0, 1.2 * max([seuil_delai, *[v for v in points["delai"] if not manquant(v)]])]},
        showlegend=True)


def graduation(valeur: float) -> str:
    """A tick of a log axis in French: ``0.25`` → ``0,25``, ``2.0`` → ``2``."""
    return f"{valeur:g}".replace(".", ",")


def entonnoir(lignes: pd.DataFrame) -> go.Figure:
    """Share of applications reaching each stage, one trace per company, occupation (or
    ``tous``) and period. Columns: entreprise, metier, periode, f_territoire, and the
    counts candidatures, preselectionnees, entretiens, propositions, embauches."""
    figure = go.Figure()
    couleurs = couleurs_entreprises(lignes["entreprise"])
    for ligne in lignes.itertuples(index=False):
        comptes = [ligne.candidatures, ligne.preselectionnees, ligne.entretiens, ligne.propositions, ligne.embauches]
        figure.add_bar(
            x=ETAPES, y=[_pourcent(c, ligne.candidatures) for c in comptes], name=texte(ligne.entreprise),
            **_serie_entreprise(ligne.entreprise, couleurs),
            customdata=comptes, meta=meta({"metier": [ligne.metier], "periode": [ligne.periode],
                                           "territoire": ligne.f_territoire}),
            hovertemplate=f"%{{fullData.name}} · %{{x}} : %{{y:,.0f}}{POURCENT} des candidatures "
                          "(%{customdata:,.0f})<extra></extra>")
    return mise_en_page(figure, 400, barmode="group", xaxis_title="Étape du recrutement",
                        yaxis={"ticksuffix": POURCENT, "title": {"text": "Part des candidatures (%)"}})


def delais_etapes(lignes: pd.DataFrame) -> go.Figure:
    """Median days between stages per company and role, stacked, one row per role (named by
    its company and its occupation's label: horizontal, as these labels are long). Columns:
    libelle, the four ``DELAIS`` columns, f_metier, f_periode, f_territoire."""
    figure = go.Figure()
    points = meta(points={"metier": lignes["f_metier"], "periode": lignes["f_periode"],
                          "territoire": lignes["f_territoire"]})
    y = [libelle_court(v, LIGNE_ROLE) for v in lignes["libelle"]]
    for (colonne, libelle), couleur in zip(DELAIS.items(), COULEURS_ETAPES, strict=True):
        figure.add_bar(y=y, x=liste(lignes[colonne]), name=libelle, orientation="h", marker_color=couleur,
                       meta=points, hovertemplate=f"%{{y}}<br>{libelle} : %{{x:,.1f}} jours (médiane)<extra></extra>")
    return _roles_en_lignes(figure, lignes, 34, barmode="stack", xaxis_title="Jours (médiane de chaque étape)")


def _roles_en_lignes(figure: go.Figure, lignes: pd.DataFrame, hauteur_ligne: int, **autres) -> go.Figure:
    """The layout of a chart with one row per company × role: the first on top, a row
    height for each role a selection can show, room for the labels at the left."""
    figure.update_yaxes(autorange="reversed")
    roles = max(int(lignes["libelle"].nunique()), 1)
    mise_en_page(figure, 130 + hauteur_ligne * roles, yaxis_title="Entreprise · métier",
                 margin={"l": int(60 + 6.5 * LIGNE_ROLE), "r": 20, "t": 20, "b": 50},
                 meta={"lignes": {"base": 130, "ligne": hauteur_ligne, "min": 3}}, **autres)
    _titre_y_a_gauche(figure)
    return figure


def canaux(lignes: pd.DataFrame) -> go.Figure:
    """Hires per application of each channel, one trace per company and occupation (or
    ``tous``). Columns: entreprise, metier, f_territoire, canal (label), candidatures, embauches."""
    figure = go.Figure()
    couleurs = couleurs_entreprises(lignes["entreprise"])
    territoires = lignes["f_territoire"].map(tuple)
    for (entreprise, metier, _), groupe in lignes.groupby(["entreprise", "metier", territoires], sort=True):
        figure.add_bar(
            x=[texte(c) for c in groupe["canal"]],
            y=[_pourcent(e, c) for e, c in zip(groupe["embauches"], groupe["candidatures"], strict=True)],
            name=texte(entreprise), **_serie_entreprise(entreprise, couleurs),
            customdata=list(zip(liste(groupe["embauches"]), liste(groupe["candidatures"]), strict=True)),
            meta=meta({"metier": [metier], "territoire": groupe["f_territoire"].iloc[0]}),
            hovertemplate=f"%{{fullData.name}} · %{{x}} : %{{y:,.1f}}{POURCENT} "
                          "(%{customdata[0]} embauches pour %{customdata[1]:,.0f} candidatures)<extra></extra>")
    return mise_en_page(figure, 400, barmode="group",
                        xaxis={"title": {"text": "Canal de diffusion"}, "tickangle": INCLINAISON},
                        yaxis={"ticksuffix": POURCENT, "title": {"text": "Embauches pour 100 candidatures"}})


def couleurs_entreprises(entreprises: pd.Series) -> dict[str, str]:
    """Each company's colour, by its name's order; « Autres entreprises » in grey."""
    noms = sorted(set(entreprises) - {AUTRES_ENTREPRISES})
    return {n: COULEURS_ENTREPRISES[i % len(COULEURS_ENTREPRISES)] for i, n in enumerate(noms)} | {
        AUTRES_ENTREPRISES: GRIS_AUTRES}


def _serie_entreprise(entreprise: str, couleurs: dict[str, str]) -> dict:
    """A company's series: its colour, its traces grouped in the legend; « Autres
    entreprises » last."""
    # Plotly ranks legend entries 1000 by default: 1001 puts « Autres » after the companies
    return {"legendgroup": texte(entreprise), "marker_color": couleurs[entreprise],
            "legendrank": 1001 if entreprise == AUTRES_ENTREPRISES else 1000}


def offres_marche(lignes: pd.DataFrame) -> go.Figure:
    """Offers against the market per company and role (one row each, as ``delais_etapes``):
    salary and description length gaps (%), and the share of offers showing the salary
    minus the market's (points). Columns: libelle, ecart_salaire, ecart_description,
    ecart_part_salaire, f_*."""
    figure = go.Figure()
    points = meta(points={"metier": lignes["f_metier"], "periode": lignes["f_periode"],
                          "territoire": lignes["f_territoire"]})
    y = [libelle_court(v, LIGNE_ROLE) for v in lignes["libelle"]]
    for colonne, libelle, couleur in (("ecart_salaire", "Salaire proposé", BLEU),
                                      ("ecart_description", "Longueur de la description", ORANGE),
                                      ("ecart_part_salaire", "Offres affichant le salaire (écart en points)", GRIS)):
        figure.add_bar(y=y, x=[None if v is None else 100 * v for v in liste(lignes[colonne])], name=libelle,
                       orientation="h", marker_color=couleur, meta=points,
                       hovertemplate=f"%{{y}}<br>{libelle} : %{{x:+,.0f}}{POURCENT} par rapport au marché"
                                     "<extra></extra>")
    return _roles_en_lignes(figure, lignes, 46, barmode="group",
                            xaxis={"ticksuffix": POURCENT, "tickformat": "+,.0f",
                                   "title": {"text": "Écart au marché (%, 0 = marché)"}})


def barres_horizontales(libelles: list[str], series: dict[str, list], axe_x: str, axe_y: str,
                        hauteur_ligne: int = 34, format_: str = ",.0f", empile: bool = True) -> go.Figure:
    """Horizontal bars, one row per label, one trace per series (name -> values), both
    axes titled (``axe_x``: the values and their unit, ``axe_y``: what a row is)."""
    figure = go.Figure()
    couleurs = [BLEU, ORANGE, GRIS, "#7d3c98"]
    y = [texte(v) for v in libelles]
    for (nom, valeurs), couleur in zip(series.items(), couleurs, strict=False):
        figure.add_bar(y=y, x=valeurs, name=nom, orientation="h", marker_color=couleur,
                       hovertemplate=f"%{{y}} : %{{x:{format_}}}<extra>{nom}</extra>")
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(tickformat=format_)  # « 10 000 », not Plotly's « 10k »
    mise_en_page(figure, 130 + hauteur_ligne * max(len(libelles), 1), margin=marge_etiquettes(libelles),
                 barmode="stack" if empile else "group", xaxis_title=axe_x, yaxis_title=axe_y)
    _titre_y_a_gauche(figure)
    return figure


def competences(lignes: pd.DataFrame, derniere: str, metier_defaut: str) -> go.Figure:
    """Skills most asked by the offers of an occupation, territory and year: required
    then wished (stacked shares). One pair of traces per cell; with « all occupations »
    selected, the occupation with the most offers shows."""
    figure = go.Figure()
    for (metier, territoire, annee), groupe in lignes.groupby(["metier", "territoire", "annee"], sort=True):
        filtre = meta({"metier": [metier, "tous"] if metier == metier_defaut else [metier],
                       "territoire": [territoire], "periode": [annee, "tous"] if annee == derniere else [annee]})
        groupe = groupe.sort_values(["part_tous", "element_libelle"], ascending=[False, True], kind="stable")
        y = [texte(v) for v in groupe["element_libelle"]]
        for colonne, nom, couleur in (("part_e", "Exigée", BLEU), ("part_s", "Souhaitée", ORANGE)):
            figure.add_bar(y=y, x=liste(groupe[colonne]), name=nom, orientation="h", marker_color=couleur,
                           meta=filtre, showlegend=False,
                           hovertemplate=f"%{{y}} : %{{x:.0%}} des offres<extra>{nom}</extra>")
    figure.add_bar(y=[None], x=[None], name="Exigée", marker_color=BLEU, orientation="h")
    figure.add_bar(y=[None], x=[None], name="Souhaitée", marker_color=ORANGE, orientation="h")
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(tickformat=".0%", title="Part des offres de l'année (%)")
    figure.update_yaxes(title="Compétence")
    mise_en_page(figure, 420, barmode="stack", margin=marge_etiquettes(list(lignes["element_libelle"])))
    _titre_y_a_gauche(figure)
    return figure


def facteurs(lignes: pd.DataFrame) -> go.Figure:
    """Permutation importance of each difficulty factor, one series per measure the
    learning flow explains (a factor appears once per measure), with its interval.
    Columns: facteur, mesure, population, n, importance, importance_ic_bas, importance_ic_haut."""
    figure = go.Figure()
    facteurs_ = list(dict.fromkeys(lignes.sort_values("importance", ascending=False, kind="stable")["facteur"]))
    for (mesure, population, n), groupe in lignes.groupby(["mesure", "population", "n"], sort=False):
        groupe = groupe.set_index("facteur").reindex(facteurs_)
        rang = len(figure.data)
        figure.add_bar(
            y=[texte(f) for f in facteurs_], x=liste(groupe["importance"]), orientation="h",
            name=texte(f"{str(mesure)[:1].upper()}{str(mesure)[1:]} ({nombre_fr(int(n))} {population})"),
            marker_color=PALETTE[rang % len(PALETTE)],
            error_x={"type": "data", "symmetric": False, "color": "#555", "thickness": 1,
                     "array": liste(groupe["importance_ic_haut"] - groupe["importance"]),
                     "arrayminus": liste(groupe["importance"] - groupe["importance_ic_bas"])},
            hovertemplate="%{y} : %{x:,.3f}<extra>" + texte(mesure) + "</extra>")
    figure.update_yaxes(autorange="reversed")
    mise_en_page(figure, 160 + 30 * len(facteurs_) * max(len(figure.data), 1), barmode="group",
                 margin=marge_etiquettes(facteurs_),
                 xaxis_title="Importance : perte de qualité de prédiction quand le facteur est brouillé",
                 yaxis_title="Facteur")
    _titre_y_a_gauche(figure)
    return figure


# --------------------------------------------------------------------------- reports

# Reports: the legend sits above the plot, left-aligned on it, so that it never covers a
# tick label nor an axis title, whatever the number of rows; the top margin makes room for
# it. (Placed from the figure's edge, xref "container", Plotly 7 widens the left margin
# of subplots by the legend's width.)
LEGENDE_RAPPORT = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left"}
MARGE_RAPPORT = {"l": 10, "r": 20, "t": 40, "b": 50}
LIGNE_LIBELLE = 30  # characters per line of a role's label on a report chart's axis
LIGNE_ROLE = 45  # characters per line of a company · role label on the dashboard's axis
LIGNE_FAP = 40  # characters per line of a FAP family's label beside the DARES comparison


def libelle_court(valeur: object, largeur: int = LIGNE_LIBELLE) -> str:
    """A long label escaped (``texte``) and cut into lines of about ``largeur``
    characters, so that the labels of a report chart's axis take a third of its width."""
    lignes: list[str] = []
    for mot in str(valeur).split():
        if lignes and len(lignes[-1]) + 1 + len(mot) <= largeur:
            lignes[-1] += " " + mot
        else:
            lignes.append(mot)
    return "<br>".join(texte(ligne) for ligne in lignes)


def entonnoir_entreprise(comptes: list[float]) -> go.Figure:
    """One company's funnel over all its roles."""
    figure = go.Figure(go.Funnel(
        y=ETAPES, x=comptes, marker={"color": [BLEU, "#2e75a8", "#4a90b8", "#7fb3d5", ORANGE]},
        textinfo="value+percent initial", texttemplate="%{value:,.0f} (%{percentInitial:.0%})",
        hovertemplate="%{y} : %{x:,.0f}<extra></extra>"))
    return mise_en_page(figure, 320, LARGEUR_RAPPORT, showlegend=False, margin={"l": 110, "r": 20, "t": 10, "b": 10})


def delais_entreprise(lignes: pd.DataFrame) -> go.Figure:
    """Median days between stages for each of the company's roles. Columns: metier_libelle
    and the four ``DELAIS`` columns."""
    figure = go.Figure()
    y = [libelle_court(m) for m in lignes["metier_libelle"]]
    for (colonne, libelle), couleur in zip(DELAIS.items(), COULEURS_ETAPES, strict=True):
        figure.add_bar(y=y, x=lignes[colonne], name=libelle, orientation="h", marker_color=couleur,
                       texttemplate="%{x:,.0f}", textposition="inside",
                       hovertemplate=f"%{{y}}<br>{libelle} : %{{x:,.1f}} jours<extra></extra>")
    figure.update_yaxes(autorange="reversed")
    return mise_en_page(figure, 130 + 40 * len(lignes), LARGEUR_RAPPORT, barmode="stack",
                        xaxis_title="Jours (médiane de chaque étape)", legend=LEGENDE_RAPPORT,
                        margin=MARGE_RAPPORT)


def canaux_entreprise(lignes: pd.DataFrame) -> go.Figure:
    """Yield of each of the company's channels. Columns: canal (label), candidatures, embauches."""
    rendement = [_pourcent(e, c) for e, c in zip(lignes["embauches"], lignes["candidatures"], strict=True)]
    figure = go.Figure(go.Bar(
        x=[texte(c) for c in lignes["canal"]], y=rendement, marker_color=BLEU,
        customdata=list(zip(liste(lignes["embauches"]), liste(lignes["candidatures"]), strict=True)),
        texttemplate="%{customdata[1]:,.0f} cand.", textposition="outside",
        hovertemplate=f"%{{x}} : %{{y:,.1f}}{POURCENT} (%{{customdata[0]}} embauches / "
                      "%{customdata[1]:,.0f} candidatures)<extra></extra>"))
    return mise_en_page(figure, 330, LARGEUR_RAPPORT, showlegend=False, margin=MARGE_RAPPORT,
                        xaxis_title="Canal (nombre de candidatures reçues au-dessus de chaque barre)",
                        yaxis={"ticksuffix": POURCENT, "title": {"text": "Embauches pour 100 candidatures"}})


def offres_face_au_marche(lignes: pd.DataFrame) -> go.Figure:
    """The company's offers against the market's, per role: salary, experience asked,
    description length, each panel's unit as its axis title. Columns: metier, and for
    each of salaire, experience, longueur the company's median (``<x>``) and the
    market's (``<x>_marche``)."""
    graphes = [("salaire", "Salaire mensuel<br>(€)"), ("experience", "Expérience exigée<br>(mois)"),
               ("longueur", "Description<br>(caractères)")]
    figure = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.04)
    y = [libelle_court(m) for m in lignes["metier"]]
    for colonne, (cle, libelle) in enumerate(graphes, start=1):
        for suffixe, nom, couleur in (("", "Vos offres", BLEU), ("_marche", "Offres du marché", GRIS)):
            figure.add_bar(y=y, x=liste(lignes[cle + suffixe]), name=nom, orientation="h", marker_color=couleur,
                           showlegend=colonne == 1, legendgroup=nom, row=1, col=colonne,
                           hovertemplate=f"%{{y}} · {nom} : %{{x:,.0f}}<extra>{libelle.replace('<br>', ' ')}</extra>")
        figure.update_xaxes(title_text=libelle, row=1, col=colonne)
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(nticks=4)
    return mise_en_page(figure, 170 + 44 * len(lignes), LARGEUR_RAPPORT, barmode="group",
                        legend=LEGENDE_RAPPORT, margin=MARGE_RAPPORT)


def comparaison_pairs(lignes: pd.DataFrame, libelle: str, unite: str) -> go.Figure:
    """The company's value beside its peers' median, per role (only publishable rows), as
    horizontal bars (roles' labels are long). Columns: metier, valeur, pairs_mediane, nb_pairs."""
    figure = go.Figure()
    y = [libelle_court(m) for m in lignes["metier"]]
    figure.add_bar(y=y, x=lignes["valeur"], name="Votre entreprise", marker_color=BLEU, orientation="h",
                   hovertemplate=f"%{{y}} : %{{x:,.0f}} {unite}<extra>Votre entreprise</extra>")
    figure.add_bar(y=y, x=lignes["pairs_mediane"], name="Médiane des autres entreprises pilotes",
                   marker_color=GRIS, customdata=lignes["nb_pairs"], orientation="h",
                   hovertemplate=f"%{{y}} : %{{x:,.0f}} {unite} (%{{customdata}} entreprises)<extra></extra>")
    figure.update_yaxes(autorange="reversed")
    return mise_en_page(figure, 130 + 44 * len(lignes), LARGEUR_RAPPORT, barmode="group",
                        xaxis_title=f"{libelle} ({unite})", legend=LEGENDE_RAPPORT, margin=MARGE_RAPPORT)
