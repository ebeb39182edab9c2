"""The planted story of the demo: occupations, territory, companies and the effects that
make hiring slow. Every number the later analysis must recover is set here and copied to
``verite.json``; the generators only draw around these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict

DEBUT = date(2023, 11, 1)
FIN = date(2026, 10, 31)
ECHELLE_DEFAUT = 6000  # France Travail offers over the 36 months
ECHELLE_MIN = 500  # below this the pilots' requisitions would outnumber the market

# Share of the market's offers by département (Côte-d'Or and its neighbours).
DEPARTEMENTS = {"21": 0.40, "71": 0.14, "25": 0.14, "89": 0.08, "39": 0.07,
                "58": 0.06, "70": 0.06, "52": 0.05}
NOMS_DEPARTEMENTS = {
    "21": "Côte-d'Or", "25": "Doubs", "39": "Jura", "52": "Haute-Marne", "58": "Nièvre",
    "70": "Haute-Saône", "71": "Saône-et-Loire", "89": "Yonne", "90": "Territoire de Belfort",
}
REGION = "27"
NOM_REGION = "Bourgogne-Franche-Comté"
# Jobseeker statistics cover the whole region (Belfort has jobseekers but no demo offers)
# and Haute-Marne.
DEPARTEMENTS_DEMANDEURS = ("21", "25", "39", "58", "70", "71", "89", "90", "52")
# Salary level of a département relative to the occupation's median.
SALAIRE_DEPARTEMENT = {"21": 1.03, "25": 1.02, "71": 0.99}


@dataclass(frozen=True)
class Metier:
    """An occupation (ROME v3) and the market the demo plants for it."""

    code: str
    nom: str  # short French name used in texts
    poids: float  # share of the France Travail offers
    enfants: dict[str, float]  # ROME 4.0 codes used in offers -> weight
    salaire: int  # median gross monthly salary offered (euros)
    experience: int  # median years of experience required by the market
    diplome: int  # median diploma level required (3 CAP .. 8 doctorat)
    delai: float  # median days to fill an offer at market conditions
    demandeurs_par_offre: float  # new category-A jobseekers per offer
    duree_inscription: float  # mean months a jobseeker stays in category A
    qualification: str  # France Travail qualificationCode
    fap2009: tuple[str, ...]  # DARES FAP-2009 families (first = main)
    missions: tuple[str, ...]
    competences: tuple[str, ...]
    diplomes_demandeurs: dict[int, float] = field(default_factory=dict)  # level -> share


METIERS: dict[str, Metier] = {m.code: m for m in (
    Metier("I1304", "technicien de maintenance industrielle", 0.22,
           {"I1304": 0.55, "I1335": 0.15, "I1326": 0.12, "I1324": 0.10, "I1332": 0.08},
           2350, 2, 5, 32, 3.0, 9.0, "7", ("G1Z70",),
           ("Réaliser la maintenance préventive et curative des équipements de production.",
            "Diagnostiquer les pannes mécaniques, électriques et pneumatiques.",
            "Renseigner les interventions dans la GMAO.",
            "Participer aux projets d'amélioration continue et de fiabilisation des lignes.",
            "Assurer les astreintes selon le planning du service."),
           ("Diagnostic de panne", "Électrotechnique", "Automatismes industriels",
            "Mécanique industrielle", "GMAO", "Pneumatique et hydraulique"),
           {3: 0.30, 4: 0.38, 5: 0.25, 6: 0.07}),
    Metier("I1309", "électricien de maintenance", 0.06, {"I1309": 1.0},
           2250, 2, 4, 35, 1.6, 8.0, "4", ("G1Z70", "G0A41"),
           ("Assurer la maintenance des installations électriques du site.",
            "Intervenir sur les armoires et les réseaux basse tension.",
            "Réaliser les consignations électriques.",
            "Mettre à jour les schémas électriques."),
           ("Habilitations électriques", "Lecture de schémas électriques",
            "Consignation", "Courants faibles"),
           {3: 0.35, 4: 0.40, 5: 0.22, 6: 0.03}),
    Metier("I1310", "mécanicien de maintenance", 0.06, {"I1310": 1.0},
           2150, 2, 4, 30, 2.2, 9.0, "4", ("G0A40", "G1Z70"),
           ("Démonter, réparer et remonter les organes mécaniques.",
            "Réaliser les réglages des machines de production.",
            "Effectuer l'entretien courant des équipements.",
            "Usiner des pièces simples à l'atelier."),
           ("Mécanique industrielle", "Ajustage", "Lecture de plans", "Soudure"),
           {3: 0.45, 4: 0.38, 5: 0.15, 6: 0.02}),
    Metier("H2301", "conducteur de ligne en industrie chimique ou pharmaceutique", 0.10,
           {"H2301": 0.3, "H2302": 0.3, "H2303": 0.3, "H2304": 0.1},
           2050, 1, 4, 55, 0.4, 2.0, "3", ("E1Z41", "E0Z20"),
           ("Conduire une ligne de fabrication ou de conditionnement.",
            "Respecter les bonnes pratiques de fabrication (BPF).",
            "Réaliser les changements de format et les nettoyages de ligne.",
            "Renseigner les dossiers de lot."),
           ("Bonnes pratiques de fabrication", "Conduite de ligne", "Travail en zone à atmosphère contrôlée",
            "Autocontrôle"),
           {3: 0.40, 4: 0.42, 5: 0.15, 6: 0.03}),
    Metier("H1503", "technicien de laboratoire de contrôle", 0.06,
           {"H1503": 0.6, "H1531": 0.25, "H1525": 0.15},
           2150, 1, 5, 28, 2.5, 8.0, "7", ("E1Z46", "E2Z70"),
           ("Réaliser les analyses physico-chimiques et microbiologiques.",
            "Préparer les échantillons et les réactifs.",
            "Enregistrer les résultats dans le LIMS.",
            "Participer aux investigations en cas de résultat hors spécification."),
           ("Chromatographie (HPLC)", "Microbiologie", "Bonnes pratiques de laboratoire", "LIMS"),
           {4: 0.20, 5: 0.55, 6: 0.20, 7: 0.05}),
    Metier("H1502", "responsable qualité", 0.07,
           {"H1502": 0.2, "H1528": 0.3, "H1508": 0.2, "H1521": 0.15, "H1511": 0.15},
           2950, 3, 6, 38, 2.0, 9.0, "8", ("H0Z92",),
           ("Animer le système de management de la qualité.",
            "Traiter les déviations et les actions correctives (CAPA).",
            "Préparer les audits et les inspections.",
            "Rédiger et mettre à jour les procédures."),
           ("Assurance qualité", "BPF", "Gestion des déviations", "Audit"),
           {5: 0.25, 6: 0.40, 7: 0.35}),
    Metier("H1206", "ingénieur R&D", 0.03, {"H1206": 0.6, "H1217": 0.2, "H1211": 0.2},
           3700, 3, 7, 45, 2.0, 9.0, "9", ("N0Z90",),
           ("Piloter des projets de développement de nouveaux produits.",
            "Concevoir et interpréter les plans d'expériences.",
            "Rédiger les rapports techniques et les dossiers réglementaires."),
           ("Gestion de projet", "Plans d'expériences", "Formulation", "Anglais technique"),
           {6: 0.15, 7: 0.70, 8: 0.15}),
    Metier("H1404", "technicien méthodes", 0.04, {"H1404": 1.0},
           2500, 2, 5, 33, 2.0, 9.0, "7", ("E2Z70",),
           ("Rédiger les gammes et les modes opératoires.",
            "Optimiser les temps de production.",
            "Participer à l'industrialisation des nouveaux produits."),
           ("Lean manufacturing", "Chronométrage", "CAO", "Rédaction de modes opératoires"),
           {4: 0.25, 5: 0.55, 6: 0.20}),
    Metier("H2102", "conducteur de ligne en industrie alimentaire", 0.11,
           {"H2102": 0.6, "H2105": 0.4},
           1950, 1, 3, 22, 2.6, 8.0, "3", ("E1Z42", "E0Z21"),
           ("Conduire une ligne de production alimentaire.",
            "Contrôler la qualité des produits en cours de fabrication.",
            "Appliquer les règles d'hygiène et de sécurité alimentaire."),
           ("Hygiène alimentaire (HACCP)", "Conduite de ligne", "Autocontrôle"),
           {2: 0.15, 3: 0.50, 4: 0.30, 5: 0.05}),
    Metier("H1303", "technicien HSE", 0.03, {"H1303": 0.7, "H1308": 0.3},
           2400, 2, 5, 30, 2.5, 9.0, "7", ("G1Z70",),
           ("Mettre à jour le document unique d'évaluation des risques.",
            "Animer la sensibilisation sécurité des équipes.",
            "Suivre les indicateurs environnementaux du site."),
           ("Prévention des risques", "Réglementation ICPE", "Analyse d'accident"),
           {4: 0.20, 5: 0.50, 6: 0.30}),
    Metier("N1103", "préparateur de commandes", 0.13,
           {"N1103": 0.4, "N1110": 0.35, "N1115": 0.25},
           1850, 0, 3, 14, 5.0, 8.0, "5", ("J1Z40", "J1Z80"),
           ("Préparer les commandes selon les bons de préparation.",
            "Réceptionner et contrôler les marchandises.",
            "Utiliser un chariot élévateur (CACES).",
            "Assurer le rangement et l'inventaire du stock."),
           ("CACES 1, 3, 5", "Gestion de stock", "Lecture de bons de commande"),
           {2: 0.30, 3: 0.45, 4: 0.22, 5: 0.03}),
    Metier("H1210", "technicien R&D", 0.03, {"H1210": 0.5, "H1224": 0.3, "H1214": 0.2},
           2300, 1, 5, 30, 2.5, 9.0, "7", ("E2Z70",),
           ("Réaliser les essais de développement en laboratoire.",
            "Préparer les lots pilotes.",
            "Consigner les résultats dans les cahiers de laboratoire."),
           ("Techniques de laboratoire", "Plans d'expériences", "Bonnes pratiques de laboratoire"),
           {4: 0.10, 5: 0.55, 6: 0.30, 7: 0.05}),
    Metier("H2502", "responsable de production", 0.03, {"H2502": 0.5, "H2507": 0.3, "H2510": 0.2},
           3500, 5, 6, 45, 2.0, 10.0, "9", ("H0Z90",),
           ("Encadrer les équipes de production.",
            "Piloter les indicateurs de performance (TRS, qualité, sécurité).",
            "Construire le budget de l'atelier."),
           ("Management d'équipe", "Lean manufacturing", "Pilotage d'indicateurs"),
           {5: 0.30, 6: 0.35, 7: 0.35}),
    Metier("K2402", "chercheur", 0.01, {"K2402": 0.5, "K2404": 0.5},
           3300, 2, 8, 45, 3.0, 10.0, "9", ("N0Z91",),
           ("Conduire des programmes de recherche.",
            "Publier et valoriser les résultats.",
            "Encadrer les techniciens de l'équipe."),
           ("Méthodologie de recherche", "Biologie cellulaire", "Anglais scientifique"),
           {7: 0.30, 8: 0.70}),
)}

METIER_PRINCIPAL = "I1304"  # the most offered job around Dijon, with plenty of jobseekers
METIER_PENURIE = "H2301"  # the genuine shortage: fewer jobseekers than offers

# FAP-2009 families of the tension files and their FAP-87 group.
FAP87 = {"G1Z70": "G1Z", "G0A40": "G0A", "G0A41": "G0A", "E1Z41": "E1Z", "E0Z20": "E0Z",
         "E1Z46": "E1Z", "E2Z70": "E2Z", "H0Z92": "H0Z", "N0Z90": "N0Z", "E1Z42": "E1Z",
         "E0Z21": "E0Z", "J1Z40": "J1Z", "J1Z80": "J1Z", "H0Z90": "H0Z", "N0Z91": "N0Z"}
# BMO family of each FAP-2021 code used (from the 2024 survey file): the family DARES's
# passage gives each occupation at its qualification level.
FAMILLES_BMO = {
    "G0A40": ("I", "Ouvriers des secteurs de l'industrie"), "G0A41": ("I", "Ouvriers des secteurs de l'industrie"),
    "E5X70": ("I", "Ouvriers des secteurs de l'industrie"),
    "G1X72": ("T", "Autres techniciens et employés"), "E2X40": ("I", "Ouvriers des secteurs de l'industrie"),
    "H0X90": ("T", "Autres techniciens et employés"), "N1X90": ("C", "Fonctions d'encadrement"),
    "H0X92": ("T", "Autres techniciens et employés"), "E3X40": ("I", "Ouvriers des secteurs de l'industrie"),
    "G1X70": ("C", "Fonctions d'encadrement"), "J0X33": ("Z", "Autres métiers"),
    "N0X70": ("T", "Autres techniciens et employés"), "H1X90": ("T", "Autres techniciens et employés"),
    "N1X91": ("C", "Fonctions d'encadrement"),
}

# ----------------------------------------------------------------- planted effects
# Multipliers of the time to fill (requisitions) and of an offer's time online (France
# Travail): the "drivers of difficulty" the analysis and the ML must find.
EFFETS = {
    "salaire_masque": 1.45,  # salary not shown in the offer
    "salaire_sous_marche": 1.20,  # salary shown below 92 % of the occupation's median
    "seuil_sous_marche": 0.92,
    "par_annee_experience_en_plus": 0.12,  # per year required above the market median
    "par_niveau_diplome_en_plus": 0.08,  # per diploma level required above the median
    "description_pauvre": 1.15,
    "canaux_limites": 1.50,  # one or two channels only
    "bruit_sigma": 0.30,  # log-normal noise
}
# offresManqueCandidats = true: base probability, multiplied when the salary is hidden,
# plus an extra chance for the shortage occupation.
MANQUE_CANDIDATS = {"base": 0.06, "salaire_masque": 3.0, "penurie": 0.35}

CANAUX = ("france_travail", "apec", "jobboard", "site_carriere", "reseaux_sociaux", "interim",
          "cabinet", "cooptation", "ecole", "salon", "spontanee")


@dataclass(frozen=True)
class Pilote:
    """A pilot company of the Hub's audit and its one dominant cause of difficulty."""

    nom: str
    prefixe: str  # prefix of its requisition references
    cause: str
    commune: str
    recrutements: int  # at the default scale
    domaine: str  # for e-mail addresses (reserved .example domain)
    action: tuple[str, date, str] | None = None  # (action, start date, target indicator)
    roles: dict[str, float] | None = None  # ROME v3 -> weight; None: ROLES_PILOTES


PILOTES = (
    Pilote("Laboratoires Fictifs de l'Ouche", "LFO", "contenu_offre", "21231", 110,
           "labos-fictifs-ouche.example",
           ("Afficher le salaire dans les offres", date(2025, 3, 1), "delai_pourvoi")),
    Pilote("Pharma Imaginaire de Bourgogne", "PIB", "analyse_besoin", "21355", 70,
           "pharma-imaginaire.example"),
    Pilote("BioChimère Santé", "BCS", "sourcing", "21515", 60, "biochimere-sante.example"),
    Pilote("Galénique Inventée SAS", "GIS", "procedure", "21166", 90, "galenique-inventee.example"),
    Pilote("Médicaments de Nulle Part", "MNP", "pas_de_difficulte", "21054", 4,
           "medicaments-nulle-part.example",
           ("Mettre en place la cooptation", date(2025, 9, 1), "delai_pourvoi")),
    # qualification: a remote site (Châtillon-sur-Seine, 70 km from Dijon) hiring maintenance
    # technicians three at a time at the market's requirements; few qualified technicians
    # live within reach, while mechanics and electricians (ROME passerelles to I1304) abound
    Pilote("Sérums Fictifs du Châtillonnais", "SFC", "qualification", "21154", 40,
           "serums-fictifs-chatillonnais.example", roles={"I1304": 1.0}),
)
# The "qualification" pilot: posts per requisition, and its time to fill against the
# market's (a thin qualified pool makes each hire slow).
POSTES_VIVIER_MINCE = 3
DELAI_VIVIER_MINCE = 1.8
# The fix planted for it: the neighbouring occupations with paths to its role (first five
# of their ROME mobility lists) whose pools are large and not in tension, and the
# neighbour in shortage (its pool is no way out).
PASSERELLES = {"rome_v3": "I1304", "voisins": ("I1310", "I1309"), "voisin_en_penurie": METIER_PENURIE}
RECRUTEMENTS_MIN = 30  # a pilot keeps enough requisitions for its cause to show at small scales
# Roles the pilots recruit (ROME v3) and their weights.
ROLES_PILOTES = {"I1304": 0.45, "I1309": 0.10, "I1310": 0.08, "H1503": 0.12, "H1502": 0.10,
                 "H1404": 0.07, "N1103": 0.08}


class Exces(TypedDict):
    """analyse_besoin: requirements above the market median for the same ROME."""

    experience_annees: float
    diplome_niveaux: int  # diploma levels are whole numbers


EXCES_EXIGENCES: Exces = {"experience_annees": 4.5, "diplome_niveaux": 2}
# contenu_offre: offered salary relative to the market before the action.
SALAIRE_CONTENU_OFFRE = 0.86


@dataclass(frozen=True)
class TypeEntreprise:
    naf: str
    secteur_libelle: str
    metiers: dict[str, float]  # ROME v3 -> weight among its offers
    salaire_affiche: float  # share of its offers that show the salary


TYPES_ENTREPRISES = {
    "pharma": TypeEntreprise("21.20Z", "Fabrication de préparations pharmaceutiques",
                             {"H2301": 4, "H1503": 3, "H1502": 3, "I1304": 3, "H1206": 2, "H1210": 2,
                              "K2402": 1, "N1103": 1, "H1404": 1, "H2502": 1, "I1309": 1, "H1303": 1}, 0.55),
    "chimie": TypeEntreprise("20.14Z", "Fabrication d'autres produits chimiques organiques de base",
                             {"H2301": 4, "I1304": 3, "H1303": 2, "H1503": 2, "I1310": 1, "H2502": 1}, 0.5),
    "agro": TypeEntreprise("10.84Z", "Fabrication de condiments et assaisonnements",
                           {"H2102": 6, "I1304": 3, "I1310": 2, "N1103": 2, "H1502": 1, "H2502": 1}, 0.6),
    "logistique": TypeEntreprise("52.10B", "Entreposage et stockage non frigorifique",
                                 {"N1103": 8, "I1309": 1, "I1304": 1}, 0.7),
    "maintenance": TypeEntreprise("33.12Z", "Réparation de machines et équipements mécaniques",
                                  {"I1304": 6, "I1309": 3, "I1310": 3, "H1404": 1}, 0.5),
    "interim": TypeEntreprise("78.20Z", "Activités des agences de travail temporaire",
                              {"I1304": 4, "N1103": 4, "H2102": 3, "H2301": 3, "I1309": 2, "I1310": 2,
                               "H1503": 1, "H1404": 1}, 0.75),
    "ingenierie": TypeEntreprise("72.19Z", "Recherche-développement en autres sciences physiques et naturelles",
                                 {"H1206": 4, "H1210": 3, "K2402": 2, "H1404": 2, "H2502": 1, "H1502": 1}, 0.45),
}

# The ~40 other companies: invented names that read as fiction, their type, home
# département and whether they publish through the "ats-talentis" ATS.
AUTRES_ENTREPRISES = (
    ("Pharmafictive Dijon", "pharma", "21", True), ("Laboratoires Imaginor", "pharma", "21", True),
    ("Biofictis Santé", "pharma", "25", True), ("Galénique de Fantaisie", "pharma", "71", True),
    ("Médicaments Inventés SA", "pharma", "39", False), ("Laboratoires Chimérix", "pharma", "21", True),
    ("Fictipharm Bourgogne", "pharma", "89", False), ("Santé Irréelle Industries", "pharma", "70", True),
    ("Chimie Imaginaire de l'Yonne", "chimie", "89", False), ("Fictichim", "chimie", "71", True),
    ("Polymères Fantômes", "chimie", "39", False), ("Solvants de Nulle Part", "chimie", "58", False),
    ("Moutarderie Fictive de Dijon", "agro", "21", False), ("Biscuiterie Imaginaire", "agro", "21", False),
    ("Fromagerie de Nulle Part", "agro", "25", False), ("Conserverie Chimère", "agro", "71", False),
    ("Laiterie Inventée", "agro", "70", False), ("Cassis Fictif SAS", "agro", "21", True),
    ("Pain d'Épices de Fiction", "agro", "21", False),
    ("Entrepôts Fictifs Bourgogne", "logistique", "21", False),
    ("Logistique Imaginaire 21", "logistique", "21", False),
    ("Plateforme Chimère Logistique", "logistique", "71", False),
    ("Transports Inventés", "logistique", "89", False),
    ("Maintenance Fictive Industrie", "maintenance", "21", False),
    ("Électroméca Imaginaire", "maintenance", "21", False), ("Fictimaint Services", "maintenance", "25", True),
    ("Dépannage de Nulle Part", "maintenance", "71", False), ("Mécanique de Fiction", "maintenance", "52", False),
    ("Intérim Fictif Dijon", "interim", "21", False), ("Travail Temporaire Imaginaire", "interim", "21", False),
    ("Fictintérim Bourgogne", "interim", "71", False), ("Missions Chimère", "interim", "25", False),
    ("Intérim Inventé", "interim", "89", False), ("Renfort Imaginaire", "interim", "21", False),
    ("Intérim de Nulle Part", "interim", "39", False), ("Agence Fictive Emploi", "interim", "58", False),
    ("Bureau d'Études Fictif", "ingenierie", "21", True), ("Ingénierie Imaginaire", "ingenierie", "25", True),
    ("R&D Inventée", "ingenierie", "21", True), ("Laboratoire de Recherche Chimère", "ingenierie", "21", True),
)

# Job boards feeding France Travail (origineOffre 2): invented names; EMPLOI-BFC and
# TALENTIS are the two file sources, so their offers are cross-source duplicates.
PARTENAIRES = {"EMPLOI-BFC": 0.12, "TALENTIS": 0.10, "FICTIJOB": 0.45, "IMAGINEMPLOI": 0.33}
