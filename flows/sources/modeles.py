"""Blank templates users fill in, written into ``donnees/modeles``: header-only CSVs and the
company workbook (guide, recrutements, candidatures, actions).

The headers come from the loaders themselves, so a template cannot drift from what its
loader reads; ``python -m flows.sources.modeles`` rewrites the files and a test checks
that the committed ones match. The guide sheet mirrors ``guide-entreprise.md``.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from flows.config import MODELES
from flows.sources import demandeurs, entreprise, profils

# sheet -> rows of (column, required, meaning, accepted values, example)
GUIDE = {
    "recrutements": [
        ("entreprise", "oui", "Nom de votre entreprise, écrit toujours de la même façon",
         "texte", "Laboratoires Exemple"),
        ("reference", "oui", "Votre référence du recrutement, unique dans l'entreprise",
         "texte", "REC-2025-014"),
        ("commune_site", "non", "Code commune INSEE du site où le poste est basé (pas le code postal)",
         "5 caractères", "21231"),
        ("intitule", "non", "Intitulé du poste tel que publié", "texte",
         "Technicien de maintenance industrielle H/F"),
        ("code_rome", "non", "Code métier ROME, s'il est connu", "une lettre et 4 chiffres", "I1304"),
        ("date_ouverture", "oui", "Date où le besoin a été validé", "jj/mm/aaaa", "06/01/2025"),
        ("date_cloture", "si pourvu ou abandonné",
         "Date de signature du candidat retenu, ou d'abandon ; vide tant que le recrutement est ouvert",
         "jj/mm/aaaa, pas avant date_ouverture", "14/03/2025"),
        ("statut", "oui", "Où en est le recrutement", "pourvu, abandonne, ouvert", "pourvu"),
        ("nombre_postes", "non", "Nombre de personnes à recruter", "nombre entier", "1"),
        ("type_contrat", "non", "Contrat proposé",
         "CDI, CDD, intérim, alternance, stage, saisonnier", "CDI"),
        ("duree_contrat_mois", "non", "Durée du contrat en mois (CDD, intérim, alternance)",
         "nombre", ""),
        ("salaire_affiche", "non", "Le salaire figurait-il dans l'annonce ?", "oui, non", "oui"),
        ("salaire_min_mensuel", "non", "Salaire brut mensuel proposé, bas de la fourchette",
         "nombre en euros", "2200"),
        ("salaire_max_mensuel", "non", "Salaire brut mensuel proposé, haut de la fourchette",
         "nombre en euros, pas moins que le minimum", "2600"),
        ("experience_requise_annees", "non", "Expérience demandée, en années (0 = débutant accepté)",
         "nombre", "3"),
        ("diplome_requis", "non", "Diplôme demandé",
         "niveau 1 à 8 ou CAP, BEP, Bac, Bac+2, BTS, DUT, Bac+3, Licence, Bac+5, Master, Ingénieur, Doctorat",
         "Bac+2"),
        ("canaux", "non", "Canaux de diffusion ou de sourcing utilisés, séparés par |",
         ", ".join(entreprise.CANAUX) + " (ou : France Travail, Indeed, LinkedIn, Intérim…)",
         "France Travail | Indeed | cooptation"),
        ("description", "non", "Texte de l'annonce (sans nom ni coordonnées de personne)", "texte",
         "Maintenance préventive et curative des lignes de conditionnement"),
        ("competences", "non", "Compétences demandées, séparées par |", "texte",
         "électrotechnique | automatismes | GMAO"),
    ],
    "candidatures": [
        ("entreprise", "oui", "Nom de votre entreprise, comme dans la feuille recrutements",
         "texte", "Laboratoires Exemple"),
        ("reference_recrutement", "oui", "Référence du recrutement visé (colonne reference de l'autre feuille)",
         "texte", "REC-2025-014"),
        ("candidat", "oui",
         "Identifiant du candidat dans votre outil (numéro de dossier ou courriel) : il est remplacé "
         "par un code illisible au chargement", "texte", "C-00172"),
        ("canal", "non", "Canal par lequel la candidature est arrivée",
         ", ".join(entreprise.CANAUX), "jobboard"),
        ("date_reception", "oui", "Date de réception de la candidature", "jj/mm/aaaa", "13/01/2025"),
        ("date_preselection", "non", "Date où le CV a été retenu", "jj/mm/aaaa, pas avant la réception",
         "17/01/2025"),
        ("date_entretien", "non", "Date du premier entretien", "jj/mm/aaaa, pas avant la présélection",
         "24/01/2025"),
        ("date_proposition", "non", "Date de la proposition d'embauche", "jj/mm/aaaa, pas avant l'entretien",
         "07/02/2025"),
        ("date_embauche", "non", "Date de signature du contrat", "jj/mm/aaaa, pas avant la proposition",
         "14/02/2025"),
        ("date_desistement", "non", "Date où le candidat s'est retiré", "jj/mm/aaaa", ""),
        ("date_refus", "non", "Date où vous avez écarté la candidature", "jj/mm/aaaa", ""),
        ("motif", "non", "Motif du désistement ou du refus, en quelques mots (sans donnée de santé "
         "ni jugement sur la personne)", "texte", ""),
    ],
    "actions": [
        ("entreprise", "oui", "Nom de votre entreprise", "texte", "Laboratoires Exemple"),
        ("action", "oui", "Action convenue avec la task force du Hub", "texte",
         "Afficher le salaire dans les offres"),
        ("date_debut", "oui", "Date à partir de laquelle l'action s'applique", "jj/mm/aaaa", "01/03/2025"),
        ("indicateur_cible", "oui", "Indicateur que l'action doit améliorer",
         "delai_pourvoi, candidatures_par_recrutement, taux_abandon, taux_desistement_apres_entretien",
         "delai_pourvoi"),
    ],
}

CONSIGNES = [
    "Remplissez les feuilles « recrutements » (un recrutement par ligne) et « candidatures » "
    "(une candidature par ligne). Ne renommez, ne supprimez ni ne déplacez aucune colonne ; "
    "laissez vide ce que vous ne savez pas.",
    "Dates au format jj/mm/aaaa ; montants en euros bruts mensuels, sans symbole €.",
    "Données personnelles : n'inscrivez ni nom, ni téléphone, ni adresse de candidat. L'identifiant "
    "du candidat est remplacé par un code illisible dès le chargement ; les courriels et téléphones "
    "écrits dans les textes libres sont masqués. Détails : guide-entreprise.md.",
]

# column -> values offered in a drop-down list (other spellings stay accepted by the loader)
LISTES = {
    ("recrutements", "statut"): ["pourvu", "abandonne", "ouvert"],
    ("recrutements", "type_contrat"): ["CDI", "CDD", "intérim", "alternance", "stage", "saisonnier"],
    ("recrutements", "salaire_affiche"): ["oui", "non"],
    ("candidatures", "canal"): list(entreprise.CANAUX),
    ("actions", "indicateur_cible"): ["delai_pourvoi", "candidatures_par_recrutement", "taux_abandon",
                                      "taux_desistement_apres_entretien"],
}
LIGNES_SAISIE = 1000  # rows that get the drop-down lists and the date format

FICHIERS_CSV = {
    "demandeurs.csv": demandeurs.COLONNES,
    "profils.csv": profils.COLONNES,
    "recrutements.csv": entreprise.RECRUTEMENTS,
    "candidatures.csv": entreprise.CANDIDATURES,
    "actions.csv": entreprise.ACTIONS,
}
CLASSEUR = "modele-entreprise.xlsx"


def csv_vierge(colonnes: list[str]) -> bytes:
    """A header line as French Excel writes it (UTF-8 with BOM, ``;``)."""
    return ("\ufeff" + ";".join(colonnes) + "\r\n").encode("utf-8")


def classeur() -> Workbook:
    """The company workbook: the guide sheet, then one blank sheet per table."""
    wb = Workbook()
    guide = wb.active
    guide.title = "guide"
    guide.append(["Modèle de suivi des recrutements — à remplir par le service RH"])
    guide["A1"].font = Font(bold=True, size=14)
    for consigne in CONSIGNES:
        guide.append([consigne])
        guide.row_dimensions[guide.max_row].height = 45
    for ligne in range(1, guide.max_row + 1):
        guide.merge_cells(f"A{ligne}:F{ligne}")
    guide.append([])
    guide.append(["feuille", "colonne", "obligatoire", "signification", "valeurs acceptées", "exemple"])
    for cellule in guide[guide.max_row]:
        cellule.font = Font(bold=True)
    for feuille, colonnes_guide in GUIDE.items():
        for colonne_guide in colonnes_guide:
            guide.append([feuille, *colonne_guide])
    for colonne, largeur in zip("ABCDEF", (14, 28, 20, 70, 50, 40), strict=True):
        guide.column_dimensions[colonne].width = largeur
    for ligne in guide.iter_rows(min_row=2):
        for cellule in ligne:
            cellule.alignment = Alignment(wrap_text=True, vertical="top")
    for feuille, colonnes in (("recrutements", entreprise.RECRUTEMENTS), ("candidatures", entreprise.CANDIDATURES),
                              ("actions", entreprise.ACTIONS)):
        ws = wb.create_sheet(feuille)
        ws.append(colonnes)
        ws.freeze_panes = "A2"
        for indice, nom in enumerate(colonnes):
            lettre = ws.cell(row=1, column=indice + 1).column_letter
            ws.cell(row=1, column=indice + 1).font = Font(bold=True)
            ws.column_dimensions[lettre].width = max(14, len(nom) + 2)
            plage = f"{lettre}2:{lettre}{LIGNES_SAISIE + 1}"
            if (feuille, nom) in LISTES:
                liste = DataValidation(type="list", formula1='"' + ",".join(LISTES[feuille, nom]) + '"',
                                       allow_blank=True)
                liste.add(plage)
                ws.add_data_validation(liste)
            if nom.startswith("date_"):
                for (cellule,) in ws[plage]:
                    cellule.number_format = "DD/MM/YYYY"
    return wb


def ecrire(dossier: Path = MODELES) -> list[Path]:
    """Write every template into ``dossier``; returns the files written."""
    dossier.mkdir(parents=True, exist_ok=True)
    ecrits = []
    for nom, colonnes in FICHIERS_CSV.items():
        (dossier / nom).write_bytes(csv_vierge(colonnes))
        ecrits.append(dossier / nom)
    classeur().save(dossier / CLASSEUR)
    ecrits.append(dossier / CLASSEUR)
    return ecrits


if __name__ == "__main__":
    for chemin in ecrire():
        print(chemin)
