"""Invented people and the French wording of offers: titles, descriptions, salary and
experience labels in the forms France Travail really uses.

Recruiters' e-mail addresses use the reserved ``.example`` domain and their phone
numbers the blocks ARCEP keeps for fiction (03 53 01 and 06 39 98), so no generated
contact can reach a real person.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from random import Random

PRENOMS = ("Camille", "Julien", "Sophie", "Thomas", "Élodie", "Nicolas", "Aurélie", "Mathieu",
           "Céline", "Antoine", "Laure", "Sébastien", "Nadia", "Karim", "Inès", "Romain",
           "Claire", "Yannick", "Manon", "Hugo", "Sandrine", "Olivier", "Fatima", "Bastien")
NOMS = ("Fauxnom", "Inventé", "Lafiction", "Imaginé", "Chimérin", "Nullepart", "Fictivier",
        "Démontré", "Songeur", "Rêvé", "Fabulon", "Irréel", "Pseudonyme", "Apocryphe",
        "Feintise", "Illusoire", "Fantasque", "Supposé", "Légendaire", "Inexistant")

NIVEAUX_FORMATION = {2: "Aucune formation scolaire", 3: "CAP, BEP et équivalents",
                     4: "Bac ou équivalent", 5: "Bac+2 ou équivalents",
                     6: "Bac+3, Bac+4 ou équivalents", 7: "Bac+5 et plus ou équivalents",
                     8: "Bac+5 et plus ou équivalents"}
NIVEAUX_COURTS = {3: "CAP/BEP", 4: "Bac", 5: "Bac+2", 6: "Bac+3", 7: "Bac+5", 8: "Doctorat"}
DIPLOMES_TEXTE = {3: "un CAP ou BEP", 4: "un baccalauréat professionnel", 5: "un BTS ou BUT",
                  6: "une licence professionnelle", 7: "un diplôme d'ingénieur ou un master",
                  8: "un doctorat"}
QUALIFICATIONS = {"1": "Manœuvre", "2": "Ouvrier spécialisé", "3": "Ouvrier qualifié (P1,P2)",
                  "4": "Ouvrier qualifié (P3,P4,OHQ)", "5": "Employé non qualifié",
                  "6": "Employé qualifié", "7": "Technicien", "8": "Agent de maîtrise", "9": "Cadre"}
QUALITES = (
    ("Faire preuve de rigueur et de précision", "Capacité à réaliser un travail soigné en respectant les consignes."),
    ("Avoir l'esprit d'équipe", "Capacité à travailler avec les autres pour atteindre les objectifs communs."),
    ("Faire preuve d'autonomie", "Capacité à organiser son activité sans encadrement permanent."),
    ("Faire preuve de réactivité", "Capacité à agir rapidement face à un imprévu."),
    ("Organiser son travail selon les priorités et les objectifs", "Capacité à planifier ses tâches."),
)
HORAIRES = ("35H/semaine\nTravail en journée", "35H/semaine\nTravail posté (2x8, 3x8, 5x8, etc.)",
            "39H/semaine\nTravail en journée", "35H/semaine\nTravail en horaires décalés")
COMPLEMENTS = ("Primes", "Complémentaire santé", "Titres restaurant / Prime de panier", "CSE",
               "Intéressement / participation", "Autre")


def ascii_minuscule(texte: str) -> str:
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", sans_accents.lower()).strip("-")


def majuscules(nom: str) -> str:
    """A place name as France Travail writes it in capitals: ``Chalon-sur-Saône`` →
    ``CHALON SUR SAONE``."""
    sans_accents = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode()
    return sans_accents.replace("-", " ").replace("'", " ").upper()


@dataclass(frozen=True)
class Recruteur:
    civilite: str
    prenom: str
    nom: str
    courriel: str
    telephone: str  # ten digits, fiction block

    @property
    def nom_complet(self) -> str:
        return f"{self.civilite} {self.prenom} {self.nom}"


def recruteurs(r: Random, domaine: str, nombre: int, numeros: set[str]) -> list[Recruteur]:
    """Invented recruiters of one company (``numeros`` keeps phone numbers unique)."""
    gens = []
    for _ in range(nombre):
        prenom, nom = r.choice(PRENOMS), r.choice(NOMS)
        civilite = "Mme" if prenom in {"Camille", "Sophie", "Élodie", "Aurélie", "Céline", "Laure",
                                      "Nadia", "Inès", "Claire", "Manon", "Sandrine", "Fatima"} else "M."
        while True:
            bloc = "035301" if r.random() < 0.7 else "063998"
            numero = f"{bloc}{r.randrange(10000):04d}"
            if numero not in numeros:
                numeros.add(numero)
                break
        courriel = f"{ascii_minuscule(prenom)}.{ascii_minuscule(nom)}@{domaine}"
        gens.append(Recruteur(civilite, prenom, nom, courriel, numero))
    return gens


def telephone_ecrit(r: Random, numero: str) -> str:
    """A phone number the way people type it."""
    paires = [numero[i:i + 2] for i in range(0, 10, 2)]
    forme = r.random()
    if forme < 0.4:
        return " ".join(paires)
    if forme < 0.6:
        return ".".join(paires)
    if forme < 0.8:
        return numero
    return "+33 " + numero[1] + " " + " ".join(paires[1:])


def titre_appellation(appellation: str) -> str:
    """``"Technicien / Technicienne de maintenance"`` → ``"Technicien de maintenance"``."""
    if " / " not in appellation:
        return appellation
    masculin, feminin = appellation.split(" / ", 1)
    reste = feminin.split(" ")[len(masculin.split(" ")):]
    return " ".join([masculin, *reste]).strip()


def habiller_titre(r: Random, titre: str) -> str:
    forme = r.random()
    if forme < 0.35:
        titre = f"{titre} (H/F)"
    elif forme < 0.60:
        titre = f"{titre} H/F"
    elif forme < 0.72:
        titre = f"{titre} F/H"
    elif forme < 0.80:
        titre = f"{titre} - H/F"
    if r.random() < 0.15:
        titre = titre.upper()
    return titre


def varier_titre(r: Random, titre: str) -> str:
    """The same title as another site or a second posting writes it."""
    base = re.sub(r"\s*[-(]?\s*[HF]/[HF]\)?\s*$", "", titre, flags=re.IGNORECASE).strip()
    if base.isupper():
        base = base.capitalize()
    choix = r.random()
    if choix < 0.3:
        return f"{base} (F/H)"
    if choix < 0.5:
        return f"{base.upper()} H/F"
    if choix < 0.7:
        return f"URGENT - {base} H/F"
    if choix < 0.85:
        return f"{base} - CDI" if "CDI" not in base else base
    return base


def description(r: Random, metier, titre: str, commune: str, entreprise: str | None,
                experience: int, diplome: int | None, pauvre: bool = False) -> str:
    """An offer's text: company, missions, profile, benefits."""
    if pauvre:
        return r.choice((f"Poste de {metier.nom} à pourvoir.",
                         f"Nous recherchons un {metier.nom}. Poste à pourvoir rapidement.",
                         f"{titre} - {commune}."))
    parties = []
    qui = entreprise or "Notre client, acteur industriel reconnu"
    parties.append(r.choice((
        f"{qui} recrute un(e) {metier.nom} pour son site de {commune}.",
        f"Au sein de l'équipe technique de {qui}, vous rejoignez le site de {commune}.",
        f"Rejoignez {qui} ! Nous recherchons un(e) {metier.nom} à {commune}.")))
    missions = r.sample(metier.missions, k=min(len(metier.missions), r.randint(2, 4)))
    parties.append("Vos missions :\n" + "\n".join(f"- {m}" for m in missions))
    profil = []
    if diplome:
        profil.append(f"Vous êtes titulaire d'{DIPLOMES_TEXTE[diplome]} ou équivalent.")
    if experience:
        profil.append(f"Vous justifiez d'une expérience de {experience} an{'s' if experience > 1 else ''} "
                      "sur un poste similaire.")
    else:
        profil.append("Débutant(e) accepté(e) : une formation interne est prévue.")
    profil.append(r.choice(("Rigueur et sens de l'équipe sont indispensables.",
                            "Vous êtes autonome et force de proposition.",
                            "Vous aimez le travail en équipe.")))
    parties.append("Profil recherché :\n" + " ".join(profil))
    if r.random() < 0.5:
        parties.append(r.choice(("Avantages : mutuelle, 13e mois, restaurant d'entreprise.",
                                 "Rémunération selon profil, primes d'équipe et intéressement.",
                                 "Poste en CDI après période d'essai, horaires en 2x8.")))
    return "\n\n".join(parties)


def varier_description(r: Random, texte: str) -> str:
    """The same text lightly edited (sentence dropped, note added, spacing changed)."""
    blocs = texte.split("\n\n")
    if len(blocs) > 2 and r.random() < 0.5:
        del blocs[-1]
    if r.random() < 0.5:
        blocs.append(r.choice(("Candidature par le site.", "Poste à pourvoir immédiatement.",
                               "Merci d'envoyer votre CV.")))
    separateur = "\n\n" if r.random() < 0.6 else "\n"
    return separateur.join(blocs)


def _nombre(r: Random, valeur: float, virgule: bool, decimales: int = 2) -> str:
    if virgule:
        return f"{valeur:.{decimales}f}".replace(".", ",")
    return f"{valeur:.1f}" if r.random() < 0.8 else f"{valeur:.2f}"


def libelle_salaire(r: Random, bas: float, haut: float, interim: bool) -> str:
    """A salary label as France Travail shows it, for a gross monthly range.

    The label always reads back to the same monthly range with the project's parser
    (hourly × 151.67, annual / 12, "sur 13 mois" spread over 12)."""
    forme = r.random()
    if interim and forme < 0.55 or forme < 0.15:
        h_bas, h_haut = round(bas / 151.67, 2), round(haut / 151.67, 2)
        virgule = r.random() < 0.4
        if r.random() < 0.5:
            return f"Horaire de {_nombre(r, h_bas, virgule)} Euros"
        suite = "" if virgule else " sur 12.0 mois"
        return f"Horaire de {_nombre(r, h_bas, virgule)} Euros à {_nombre(r, h_haut, virgule)} Euros{suite}"
    forme = r.random()
    if forme < 0.40:
        return f"Mensuel de {bas:.1f} Euros à {haut:.1f} Euros sur 12.0 mois"
    if forme < 0.52:
        return f"Mensuel de {bas:.1f} Euros sur 12.0 mois"
    if forme < 0.65:
        return f"Mensuel de {bas:.2f} Euros à {haut:.2f} Euros".replace(".", ",")
    if forme < 0.72:
        treize = 12 / 13
        return f"Mensuel de {bas * treize:.1f} Euros à {haut * treize:.1f} Euros sur 13.0 mois"
    if forme < 0.84:
        return f"Annuel de {bas * 12:.2f} Euros à {haut * 12:.2f} Euros".replace(".", ",")
    if forme < 0.97:
        return f"Annuel de {bas * 12:.1f} Euros à {haut * 12:.1f} Euros sur 12.0 mois"
    return f"De {bas:.2f} Euros à {haut:.2f} Euros".replace(".", ",")


def libelle_salaire_fichier(bas: float, haut: float) -> str:
    """Salary as the job board writes it: ``Mensuel de 2000 Euros à 2400 Euros``."""
    return f"Mensuel de {bas:.0f} Euros à {haut:.0f} Euros"


def experience(r: Random, annees: int) -> tuple[str, str | None]:
    """``(experienceExige, experienceLibelle)``; the label states the years in most forms."""
    if annees == 0:
        return "D", "Débutant accepté"
    forme = r.random()
    if forme < 0.45:
        return "E", f"{annees} An(s)"
    if forme < 0.75:
        return "E", f"Expérience exigée de {annees} An(s)"
    if forme < 0.85 and annees <= 2:
        return "E", f"{12 * annees} Mois"
    if forme < 0.92:
        return "S", f"{annees} An(s) - sur poste similaire"
    if forme < 0.96:
        return "E", f"{annees} An(s)"
    return "E", "Expérience exigée"  # required, length not stated


def experience_fichier(annees: int) -> str:
    return "Débutant accepté" if annees == 0 else f"{annees} An(s)"
