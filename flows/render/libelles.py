"""Every French word the dashboard and the reports show for a code of the data: causes,
rules of the diagnosis phrased as actions, indicators and their units, funnel stages,
channels, sources, and the glossary."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flows.config import sources_offres
from flows.lecture.registre import SOURCES
from flows.render.commun import ecart, manquant, nombre, pourcent

CAUSES = {
    "penurie": "Pénurie de candidats",
    "process": "Processus de recrutement",
    "qualification": "Qualification du vivier",
    "pas_de_difficulte": "Pas de difficulté",
    "non_mesurable": "Difficulté non mesurable (aucun recrutement clos)",
}
COULEURS_CAUSES = {"penurie": "#b03a2e", "process": "#d68910", "qualification": "#7d3c98",
                   "pas_de_difficulte": "#7f8c8d", "non_mesurable": "#c8ced3"}

SOUS_CAUSES = {
    "analyse_besoin": "l'analyse du besoin (exigences au-dessus du marché)",
    "contenu_offre": "le contenu des offres",
    "sourcing": "le sourcing (canaux de diffusion, volume de candidatures)",
    "procedure": "la procédure (délais, désistements)",
    "indeterminee": "une étape que les données ne permettent pas d'identifier",
}

DIAGNOSTICS = {
    "penurie": "Le marché manque de candidats : il arrive moins d'un nouveau demandeur d'emploi par offre.",
    "process": "Le vivier existe ; la difficulté vient du processus de recrutement, en premier lieu {sous_cause}.",
    "qualification": "Le vivier existe sur le papier, mais peu de demandeurs à portée ont l'expérience et "
                     "le diplôme demandés.",
    "pas_de_difficulte": "Pas de difficulté de recrutement : délais et abandons restent sous les seuils.",
    "non_mesurable": "Difficulté pas encore mesurable : aucun recrutement n'est clos.",
}

ETAPES = ["Candidatures", "Présélection", "Entretien", "Proposition", "Embauche"]
DELAIS = {
    "delai_preselection_median_jours": "Réception → présélection",
    "delai_entretien_median_jours": "Présélection → entretien",
    "delai_proposition_median_jours": "Entretien → proposition",
    "delai_embauche_median_jours": "Proposition → embauche",
}

CANAUX = {
    "france_travail": "France Travail", "jobboard": "Sites d'emploi", "site_carriere": "Site carrière",
    "spontanee": "Candidatures spontanées", "interim": "Intérim", "ecole": "Écoles", "cabinet": "Cabinets",
    "salon": "Salons", "cooptation": "Cooptation", "apec": "Apec", "reseaux_sociaux": "Réseaux sociaux",
}

# the components of the tension score (``composantes`` of "analyse".tension_marche)
COMPOSANTES = {
    "ratio_tension": "offres par nouveau demandeur",
    "taux_ecoulement": "taux d'écoulement des demandeurs",
    "part_difficile_bmo": "part des projets BMO jugés difficiles",
}

# A figure the loaded sources cannot give: what is missing, what it prevents, how to bring it.
MANQUES = {
    "demandeurs": "demandeurs d'emploi : aucune source chargée — API Marché du travail "
                  "(python -m flows collecter-marche) ou CSV, voir le README ; sans eux, ni le ratio offres / "
                  "demandeurs ni le taux d'écoulement ne sont calculés, et le score de tension repose sur les "
                  "autres composantes.",
    "bmo": "enquête BMO : aucune source chargée — fichier Base_open_data_BMO_<année>.xlsx de France Travail à "
           "déposer dans donnees/entree/bmo/, voir le README ; sans elle, ni la part des projets jugés difficiles "
           "ni le score de tension des territoires sans demandeurs ne sont calculés.",
    "offres": "offres d'emploi : aucune source chargée — API Offres d'emploi (python -m flows collecter-ft) ou "
              "pages JSON dans donnees/entree/offres-ft/, voir le README ; sans elles, pas de volume d'offres ni de "
              "ratio de tension.",
    "dares": "indicateurs de tension DARES : aucune source chargée — tensions.csv à déposer dans "
             "donnees/entree/dares/, voir le README ; sans eux, pas de score officiel à côté du nôtre.",
}

STATUTS = {"pourvu": "pourvu", "abandonne": "abandonné", "ouvert": "en cours"}

DIPLOMES = {2: "sans diplôme", 3: "CAP-BEP", 4: "bac", 5: "bac+2", 6: "bac+3 ou 4", 7: "bac+5", 8: "doctorat"}


def canal(code: str) -> str:
    return CANAUX.get(code, code.replace("_", " ").capitalize())


def composantes(codes: Iterable[str] | None) -> str:
    """``["part_difficile_bmo"]`` -> « part des projets BMO jugés difficiles »."""
    if codes is None or isinstance(codes, float):  # NaN: a cell without a score
        return "—"
    return ", ".join(COMPOSANTES.get(str(c), str(c)) for c in codes) or "—"


def plateforme(code: str) -> str:
    """Where offers come from (``source`` of prep.offres): « France Travail », or the label
    of a job board in config/sources_offres.toml without its format (« Emploi BFC, site
    d'emploi régional »)."""
    if code == "france-travail":
        return "France Travail"
    if code == "toutes":
        return "Toutes sources"
    libelle = str(sources_offres().get("plateformes", {}).get(code, {}).get("libelle") or code)
    return libelle.split(" (")[0]


def source(code: str) -> str:
    """``offres-ft`` -> « Offres France Travail (API v2, JSON) »."""
    description = SOURCES.get(code, (None, code))[1]
    return description[:1].upper() + description[1:]


def diplome(niveau: object) -> str:
    if manquant(niveau):
        return "—"
    valeur = float(niveau)  # type: ignore[arg-type]
    if valeur.is_integer() and int(valeur) in DIPLOMES:
        return f"{DIPLOMES[int(valeur)]} (niveau {int(valeur)})"
    return f"niveau {nombre(valeur, 1)}"


def formater(valeur: object, unite: str) -> str:
    """A value in its unit, in French."""
    if manquant(valeur):
        return "—"
    return {
        "jours": lambda v: f"{nombre(v)} jours",
        "mois": lambda v: f"{nombre(v)} mois",
        "caracteres": lambda v: f"{nombre(v)} caractères",
        "pourcent": pourcent,
        "ecart": ecart,
        # a ratio keeps one decimal below 10 (2,3 per post), none when whole or larger (0, 5, 252)
        "nombre": lambda v: nombre(v, 0 if float(v).is_integer() or abs(v) >= 10 else 1),
        "diplome": diplome,
        "euros": lambda v: f"{nombre(v)} €",
    }[unite](valeur)


@dataclass(frozen=True)
class Indicateur:
    libelle: str
    unite: str
    marche: str | None = None  # column of "analyse".process_entreprise with the market's value
    plus_bas_est_mieux: bool | None = None


# The indicators of "analyse".benchmark, in the order the reports show them.
INDICATEURS = {
    "delai_pourvoi_median_jours": Indicateur("Délai de pourvoi médian", "jours", None, True),
    "taux_abandon": Indicateur("Recrutements abandonnés", "pourcent", None, True),
    "candidatures_par_recrutement": Indicateur("Candidatures par recrutement", "nombre", None, False),
    "taux_preselection": Indicateur("Candidatures présélectionnées", "pourcent"),
    "taux_entretien": Indicateur("Présélectionnés reçus en entretien", "pourcent"),
    "taux_proposition": Indicateur("Entretiens suivis d'une proposition", "pourcent"),
    "taux_acceptation": Indicateur("Propositions acceptées", "pourcent", None, False),
    "taux_desistement_apres_entretien": Indicateur("Désistements après entretien", "pourcent", None, True),
    "delai_reception_proposition_median_jours": Indicateur("Délai candidature → proposition", "jours", None, True),
    "nb_canaux_moyen": Indicateur("Canaux de diffusion par recrutement", "nombre", None, False),
    "part_salaire_affiche": Indicateur("Offres affichant le salaire", "pourcent", "part_salaire_affiche_marche", False),
    "ecart_salaire_marche": Indicateur("Salaire proposé face au marché", "ecart", None, False),
    "experience_requise_mediane_mois": Indicateur("Expérience exigée (médiane)", "mois", "experience_marche_mois"),
    "longueur_description_mediane": Indicateur("Longueur de la description (médiane)", "caracteres",
                                               "longueur_description_marche", False),
}


@dataclass(frozen=True)
class Regle:
    """A fired rule of "analyse".diagnostic_preuves phrased as an action.

    ``constat`` and ``objectif`` take ``{metier}``, ``{valeur}``, ``{reference}``,
    ``{seuil}`` (formatted in ``unite``), ``{valeur_abs}``/``{seuil_abs}`` (without sign)
    and, for rules comparing with the other pilot companies (``indicateur_pairs``),
    ``{pairs}``: their median when the statistical-secrecy rule lets it be shown, else
    why it is not. Their thresholds derive from the peers' figures, so they are never shown.
    """

    titre: str
    unite: str
    constat: str
    objectif: str
    indicateur_pairs: str | None = None


REGLES = {
    "penurie_marche": Regle(
        "Anticiper : le marché manque de candidats", "nombre",
        "Pour {metier}, le département compte {valeur} nouveau(x) demandeur(s) d'emploi (catégorie A) "
        "par offre publiée, moins de {seuil}.",
        "Élargir la zone de recherche, recruter en alternance ou former en interne : le vivier local ne "
        "suffit pas."),
    "experience_exigee": Regle(
        "Revoir l'expérience exigée", "mois",
        "Vos offres de {metier} demandent {valeur} d'expérience en médiane, contre {reference} pour les "
        "offres du marché.",
        "Ramener l'exigence sous {seuil} élargit le vivier qualifié ; l'expérience manquante se forme."),
    "diplome_exige": Regle(
        "Revoir le diplôme exigé", "diplome",
        "Vos offres de {metier} demandent le niveau {valeur}, contre {reference} en médiane sur le marché.",
        "Demander le niveau du marché et former à l'embauche si besoin."),
    "vivier_qualifie": Regle(
        "Recruter sur le potentiel et former", "nombre",
        "Pour {metier}, {valeur} demandeur(s) à portée remplissent vos exigences par poste, alors que le "
        "département en compte {reference} sur le métier.",
        "Viser au moins {seuil} candidats qualifiés par poste : assouplir les exigences ou prévoir une "
        "formation à l'embauche (POEI, alternance)."),
    "vivier_passerelles": Regle(
        "Chercher dans les métiers voisins", "nombre",
        "Pour {metier}, les métiers voisins hors tension comptent {valeur} demandeurs d'emploi de catégorie A "
        "par poste dans votre département, quand {reference} seulement remplissent vos exigences.",
        "Publier aussi à l'intention de ces métiers et bâtir avec France Travail et l'OPCO une préparation "
        "opérationnelle à l'emploi (POEI) : métiers et formations dans « Où chercher d'autres candidats »."),
    "description_courte": Regle(
        "Étoffer le texte des offres", "caracteres",
        "Vos offres de {metier} font {valeur} en médiane, contre {reference} pour les offres du marché.",
        "Dépasser {seuil} : missions, équipe, horaires, perspectives et salaire."),
    "salaire_masque": Regle(
        "Afficher le salaire", "pourcent",
        "{valeur} de vos offres de {metier} affichent un salaire, contre {reference} des offres du marché.",
        "Afficher le salaire dans au moins {seuil} des offres."),
    "salaire_sous_marche": Regle(
        "Revoir le salaire proposé", "ecart",
        "Le salaire proposé pour {metier} est {valeur_abs} sous le salaire médian des offres du marché.",
        "Ramener l'écart sous {seuil_abs}, ou compenser (primes, horaires, avantages) et le dire dans l'offre."),
    "peu_de_candidatures": Regle(
        "Diversifier les canaux de diffusion", "nombre",
        "Vos recrutements de {metier} reçoivent {valeur} candidatures en moyenne, {pairs}.",
        "Publier sur plus de canaux (France Travail, sites d'emploi, écoles, cooptation) et suivre le "
        "rendement de chacun.", "candidatures_par_recrutement"),
    "delais_longs": Regle(
        "Raccourcir la procédure", "jours",
        "De la réception d'une candidature à la proposition, il s'écoule {valeur} en médiane pour {metier}, "
        "{pairs}.",
        "Planifier l'entretien dès la présélection et décider dans la semaine qui suit.",
        "delai_reception_proposition_median_jours"),
    "desistements": Regle(
        "Garder le lien avec les candidats après l'entretien", "pourcent",
        "{valeur} des candidats vus en entretien pour {metier} se désistent ensuite (alerte au-delà de "
        "{seuil}).",
        "Répondre sous 48 heures après l'entretien, confirmer la proposition par écrit, garder le contact "
        "jusqu'à l'arrivée."),
}
# Rules that measure the difficulty itself (symptoms, not actions).
SYMPTOMES = {"delai_pourvoi", "abandons"}

# Definitions; {rayon}, {min_entreprises} and {part_max} are the thresholds the transformation
# used ("analyse".seuils).
GLOSSAIRE = [
    ("BMO", "Enquête Besoins en Main-d'Œuvre de France Travail : projets de recrutement des employeurs "
            "et part de ceux qu'ils jugent difficiles."),
    ("Candidat qualifié à portée", "Demandeur d'emploi du métier, inscrit dans son rayon de mobilité autour "
                                   "du site ({rayon} km s'il n'en déclare pas), qui a l'expérience et le "
                                   "diplôme demandés."),
    ("Catégorie A", "Demandeurs d'emploi sans aucune activité, tenus de chercher un emploi."),
    ("Délai de pourvoi", "Jours entre l'ouverture d'un recrutement et l'embauche."),
    ("Différence de différences", "Effet d'une action mesuré en comparant l'évolution de l'entreprise avant "
                                  "et après l'action à celle d'un groupe témoin sur la même période."),
    ("Entonnoir", "Part des candidatures qui franchissent chaque étape : présélection, entretien, "
                  "proposition, embauche."),
    ("FAP", "Familles professionnelles de la DARES, qui regroupent les codes ROME."),
    ("Médiane", "Valeur qui partage les observations en deux moitiés ; moins sensible aux cas extrêmes "
                "que la moyenne."),
    ("Pairs", "Les autres entreprises pilotes sur le même métier et la même période."),
    ("Rendement d'un canal", "Embauches rapportées aux candidatures reçues par ce canal."),
    ("ROME", "Répertoire opérationnel des métiers et des emplois de France Travail."),
    ("Score de tension", "Indicateur de la DARES, recalculé ici : 0,3 × ratio offres / entrées en catégorie A, "
                         "0,2 × taux d'écoulement, 0,5 × part des projets BMO jugés difficiles (écarts à la "
                         "moyenne) ; niveau 1 (faible) à 5 (très forte)."),
    ("Secret statistique", "Une statistique sur les autres entreprises n'est publiée que si elle porte sur "
                           "au moins {min_entreprises} entreprises et qu'aucune ne pèse plus de {part_max} "
                           "de leurs recrutements."),
    ("Taux d'écoulement", "Part des demandeurs d'emploi qui sortent des listes au cours de la période."),
]


def glossaire(seuils: dict[str, dict[str, float]]) -> list[tuple[str, str]]:
    """The glossary, with the thresholds of ``seuils`` (by section, as ``commun.seuils`` reads them)."""
    valeurs = {"rayon": nombre(seuils["vivier"]["rayon_defaut_km"]),
               "min_entreprises": nombre(seuils["secret"]["min_entreprises"]),
               "part_max": pourcent(seuils["secret"]["part_max_dominante"])}
    return [(terme, definition.format(**valeurs)) for terme, definition in GLOSSAIRE]
