"""The job market of the demo: France Travail API pages and the two job-board exports,
written week by week so that memory does not grow with the scale.

Each market offer draws from its own seeded random stream (its slot number), so the
output does not depend on anything but the seed and the scale. Cross-source and internal
duplicates are planted here and recorded, as clusters of ``(source, id)``, for
``verite.json``.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from random import Random
from typing import Any

from flows.config import sources_offres
from flows.demo import textes
from flows.demo.parallele import en_parallele
from flows.demo.referentiel import Commune, Referentiel, Tirage
from flows.demo.scenario import (
    AUTRES_ENTREPRISES,
    DEBUT,
    DEPARTEMENTS,
    EFFETS,
    FIN,
    MANQUE_CANDIDATS,
    METIER_PENURIE,
    METIERS,
    NOMS_DEPARTEMENTS,
    PARTENAIRES,
    SALAIRE_DEPARTEMENT,
    TYPES_ENTREPRISES,
    Metier,
)
from flows.demo.xlsx import ecrire_xlsx

TAILLE_PAGE = 150  # the API's widest range
P_JUMEAU = 0.03  # an offer posted twice on France Travail
P_MISE_A_JOUR = 0.4  # an offer still online after its week shows again when last updated
P_PARTENAIRE = 0.25  # offers France Travail imports from a partner job board
P_SANS_COMMUNE = 0.015  # offers located by their département only
P_COPIE_BFC = 0.01  # a company's own offer also posted on the emploi-bfc board
P_COPIE_ATS = 0.05  # offer of a company whose ATS is talentis, also in its export
PART_BFC, PART_ATS = 1 / 6, 1 / 15  # board offers per France Travail offer
PART_SEULES_BFC, PART_SEULES_ATS = 0.60, 0.60  # of them, offers found nowhere else
SAISON = {1: 1.05, 2: 1.05, 3: 1.10, 4: 1.10, 5: 1.05, 6: 1.0, 7: 0.85, 8: 0.70, 9: 1.10,
          10: 1.05, 11: 1.0, 12: 0.80}
BLOC_ID = 26**4
URL_OFFRE = "https://candidat.francetravail.fr/offres/recherche/detail/"
NATURES = {"Contrat travail": "E1", "Contrat apprentissage": "E2", "Emploi non salarié": "NS"}


# --------------------------------------------------------------------------- file exports

# Headers of the two exports when config/sources_offres.toml does not declare them.
COLONNES_BFC = {
    "offre_id": "Référence annonce", "intitule": "Intitulé du poste", "description": "Descriptif",
    "date_creation": "Date de publication", "commune_insee": "Code commune", "entreprise_nom": "Société",
    "type_contrat": "Contrat", "duree_contrat_mois": "Durée (mois)", "temps_travail": "Temps de travail",
    "salaire_libelle": "Rémunération", "experience_libelle": "Expérience",
    "nombre_postes": "Nombre de postes", "url": "Lien"}
COLONNES_ATS = {
    "offre_id": "Job ID", "intitule": "Job title", "description": "Job description",
    "date_creation": "Created on", "commune_insee": "Location INSEE", "entreprise_nom": "Company",
    "type_contrat": "Contract type", "salaire_min": "Salary min", "salaire_max": "Salary max",
    "experience_annees": "Experience (years)", "niveau_diplome": "Education level",
    "nombre_postes": "Openings", "url": "Url"}


@dataclass(frozen=True)
class Plateforme:
    """An export's layout: target column -> header, date format, sheet name."""

    colonnes: dict[str, str]
    format_date: str = "%d/%m/%Y"
    feuille: str = "Offres"

    @classmethod
    def declaree(cls, nom: str, defaut: dict[str, str]) -> Plateforme:
        """The layout ``config/sources_offres.toml`` declares, else the built-in one."""
        try:
            p = sources_offres()["plateformes"][nom]
        except (FileNotFoundError, KeyError):
            return cls(defaut)
        return cls(dict(p["colonnes"]), p.get("format_date", "%d/%m/%Y"), p.get("feuille", "Offres"))

    def ligne(self, valeurs: dict[str, Any]) -> list[Any]:
        return [valeurs[c].strftime(self.format_date) if isinstance(valeurs.get(c), date) else valeurs.get(c)
                for c in self.colonnes]


# --------------------------------------------------------------------------- companies

@dataclass
class Entreprise:
    nom: str
    type: str
    dep: str
    sites: list[Commune]
    talentis: bool
    recruteurs: list[textes.Recruteur]
    domaine: str
    taille: float
    description: str | None
    pilote: Any = None  # scenario.Pilote for the five pilot companies

    @property
    def interim(self) -> bool:
        return self.type == "interim"


def creer_entreprises(graine: int, ref: Referentiel, pilotes) -> tuple[list[Entreprise], list[Entreprise]]:
    """The ~40 market companies and the five pilots, with invented recruiters."""
    r = Random(f"{graine}:entreprises")
    numeros: set[str] = set()
    autres = []
    for nom, type_, dep, talentis in AUTRES_ENTREPRISES:
        domaine = textes.ascii_minuscule(nom) + ".example"
        sites = [ref.tirage_communes[dep](r) for _ in range(r.randint(1, 2))]
        description = (f"{nom} est une entreprise fictive de la démonstration, implantée à "
                       f"{sites[0].nom}." if r.random() < 0.6 else None)
        autres.append(Entreprise(nom, type_, dep, sites, talentis,
                                 textes.recruteurs(r, domaine, r.randint(1, 3), numeros), domaine,
                                 r.uniform(0.5, 2.0), description))
    pilotes_ = []
    for pilote in pilotes:
        site = ref.communes[pilote.commune]
        pilotes_.append(Entreprise(pilote.nom, "pharma", site.dep, [site], True,
                                   textes.recruteurs(r, pilote.domaine, 2, numeros), pilote.domaine,
                                   1.0, f"{pilote.nom}, laboratoire pharmaceutique fictif de {site.nom}.",
                                   pilote))
    return autres, pilotes_


# --------------------------------------------------------------------------- one offer

@dataclass
class Annonce:
    """An offer as the generator knows it; the sources show parts of it."""

    rome: str
    rome4: str
    appellation: str
    titre: str
    description: str
    entreprise: Entreprise | None
    commune: Commune | None
    dep: str
    creation: datetime
    duree: float  # days until filled (online time on France Travail)
    type_contrat: str
    duree_contrat: int | None
    nature: str
    salaire: tuple[float, float]  # offered gross monthly range (known even when hidden)
    affiche: bool
    experience: int
    diplome: int | None
    nombre_postes: int
    manque: bool | None
    origine: str = "1"
    partenaire: str | None = None
    pauvre: bool = False
    reference: str | None = None  # pilot requisition
    source: str | None = None  # France Travail id of the offer this one repeats
    cle: str = ""  # seed of the presentation choices (stable across re-emissions)
    ids: dict[str, str] = field(default_factory=dict)  # source -> id


def multiplicateur(metier: Metier, affiche: bool, salaire_bas: float, experience: int,
                   diplome: int | None, pauvre: bool = False, canaux_limites: bool = False) -> float:
    """How much longer than the market median an offer takes to fill (planted drivers)."""
    m = 1.0
    if not affiche:
        m *= EFFETS["salaire_masque"]
    if salaire_bas < EFFETS["seuil_sous_marche"] * metier.salaire:
        m *= EFFETS["salaire_sous_marche"]
    m *= 1 + EFFETS["par_annee_experience_en_plus"] * max(0, experience - metier.experience)
    if diplome:
        m *= 1 + EFFETS["par_niveau_diplome_en_plus"] * max(0, diplome - metier.diplome)
    if pauvre:
        m *= EFFETS["description_pauvre"]
    if canaux_limites:
        m *= EFFETS["canaux_limites"]
    return m


def manque_candidats(r: Random, metier: Metier, affiche: bool) -> bool:
    p = MANQUE_CANDIDATS["base"] * (1 if affiche else MANQUE_CANDIDATS["salaire_masque"])
    if metier.code == METIER_PENURIE:
        p += MANQUE_CANDIDATS["penurie"]
    return r.random() < p


def tirer_contrat(r: Random, entreprise: Entreprise | None) -> tuple[str, int | None, str]:
    if entreprise and entreprise.interim:
        return "MIS", r.choice((1, 3, 6, 6, 12, 18)), "Contrat travail"
    tirage = r.random()
    if tirage < 0.64:
        return "CDI", None, "Contrat travail"
    if tirage < 0.88:
        return "CDD", r.choice((3, 6, 6, 9, 12, 12, 18)), "Contrat travail"
    if tirage < 0.95:
        return "MIS", r.choice((3, 6, 12)), "Contrat travail"
    return "CDD", r.choice((12, 24)), "Contrat apprentissage"


def tirer_experience(r: Random, metier: Metier) -> int:
    debutant = {0: 0.6, 1: 0.35, 2: 0.2}.get(metier.experience, 0.08)
    if r.random() < debutant:
        return 0
    return max(1, round(metier.experience + r.gauss(0, 1.0)))


def tirer_diplome(r: Random, metier: Metier) -> int | None:
    if r.random() > 0.45:
        return None
    return min(8, max(3, metier.diplome + r.choice((-1, 0, 0, 0, 1))))


def tirer_salaire(r: Random, metier: Metier, dep: str, niveau: float = 1.0) -> tuple[float, float]:
    median = metier.salaire * SALAIRE_DEPARTEMENT.get(dep, 0.97) * r.lognormvariate(0, 0.06) * niveau
    bas = round(median * 0.96 / 10) * 10
    haut = bas if r.random() < 0.3 else round(median * 1.10 / 10) * 10
    return float(bas), float(haut)


def moment(r: Random, jour: date) -> datetime:
    secondes = r.randrange(7 * 3600, 19 * 3600)
    return datetime(jour.year, jour.month, jour.day) + timedelta(seconds=secondes, milliseconds=r.randrange(1000))


def horodatage(instant: datetime) -> str:
    return (f"{instant.year}-{instant.month:02d}-{instant.day:02d}T{instant.hour:02d}:{instant.minute:02d}:"
            f"{instant.second:02d}.{instant.microsecond // 1000:03d}Z")


# --------------------------------------------------------------------------- calendar

@dataclass(frozen=True)
class Semaine:
    """Offers created in ``[debut, fin]`` are collected in pages dated ``fin``."""

    numero: int
    debut: date
    fin: date


def semaines() -> list[Semaine]:
    liste, jour, n = [], DEBUT, 0
    while jour <= FIN:
        fin = min(jour + timedelta(days=6), FIN)
        liste.append(Semaine(n, jour, fin))
        jour, n = fin + timedelta(days=1), n + 1
    return liste


def repartir(total: int, poids: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``poids`` (largest remainders: exact sum)."""
    somme = sum(poids)
    parts = [total * p / somme for p in poids]
    entiers = [math.floor(p) for p in parts]
    reste = total - sum(entiers)
    for i in sorted(range(len(parts)), key=lambda i: (entiers[i] - parts[i], i))[:reste]:
        entiers[i] += 1
    return entiers


def poids_semaine(s: Semaine) -> float:
    return sum(SAISON[(s.debut + timedelta(days=k)).month] for k in range((s.fin - s.debut).days + 1))


def tirage_jours(s: Semaine) -> Tirage:
    """Days of a week, weekends seldom (offers are posted on working days)."""
    jours = [s.debut + timedelta(days=k) for k in range((s.fin - s.debut).days + 1)]
    return Tirage(jours, [1.0 if j.weekday() < 5 else 0.15 for j in jours])


# --------------------------------------------------------------------------- generator

class Marche:
    """Builds and writes the market sources; collects what ``verite.json`` reports."""

    def __init__(self, graine: int, n_offres: int, ref: Referentiel, entreprises: list[Entreprise],
                 annonces_pilotes: list[Annonce]):
        self.graine, self.ref = graine, ref
        self.semaines = semaines()
        self.jours = [tirage_jours(s) for s in self.semaines]
        poids = [poids_semaine(s) for s in self.semaines]
        pilotes = sorted(annonces_pilotes, key=lambda a: (a.creation, a.reference or ""))
        self.n_pilotes_ft = sum(1 for a in pilotes if "offres-ft" in a.ids)
        self.n_slots = n_offres - self.n_pilotes_ft
        self.par_semaine = repartir(self.n_slots, poids)
        self.debuts = [0]
        for n in self.par_semaine:
            self.debuts.append(self.debuts[-1] + n)
        self.seules_bfc = repartir(round(n_offres * PART_BFC * PART_SEULES_BFC), poids)
        self.seules_ats = repartir(round(n_offres * PART_ATS * PART_SEULES_ATS), poids)
        self.tirage_metiers = Tirage(list(METIERS), [m.poids for m in METIERS.values()])
        self.tirage_deps = Tirage(list(DEPARTEMENTS), list(DEPARTEMENTS.values()))
        self.tirage_entreprises: dict[tuple[str, str], Tirage[Entreprise | None]] = {}
        for code in METIERS:
            for dep in DEPARTEMENTS:
                candidates, poids_e = [], []
                for e in entreprises:
                    type_ = TYPES_ENTREPRISES[e.type]
                    if code in type_.metiers:
                        ici = 1.0 if e.dep == dep else (0.6 if e.interim else 0.05)
                        candidates.append(e)
                        poids_e.append(type_.metiers[code] / sum(type_.metiers.values()) * e.taille * ici)
                self.tirage_entreprises[code, dep] = Tirage([None, *candidates], [0.25 * sum(poids_e), *poids_e])
        self.talentis = [e for e in entreprises if e.talentis]
        self.mises_a_jour: dict[int, list[tuple[Emission, str, str]]] = defaultdict(list)
        self.n_bfc = self.n_ats = 0
        self.pages = self.enregistrements = self.n_mises_a_jour = 0
        # what the truth reports
        self.bilan = Bilan()
        self.doublons: Counter[str] = Counter()  # rows of each source inside a cluster; internal FT clusters
        self.grappes: Path | None = None  # spooled to files by ``ecrire``
        self.rome_fichiers: Path | None = None
        self.pilotes_semaine: dict[int, list[Annonce]] = defaultdict(list)
        for k, a in enumerate(pilotes):
            if "offres-ft" in a.ids:
                a.ids["offres-ft"] = self._id_natif(self.n_slots + k, a.creation.date())
            self.pilotes_semaine[(a.creation.date() - DEBUT).days // 7].append(a)

    # ------------------------------------------------------------------ ids
    def _id_natif(self, j: int, jour: date) -> str:
        mois = (jour.year - DEBUT.year) * 12 + jour.month - DEBUT.month
        bloc, reste = divmod(j, BLOC_ID)
        if bloc > 2:
            raise ValueError("échelle trop grande pour les identifiants d'offres (1,3 million au plus)")
        melange = (reste * 7919 + 104729) % BLOC_ID
        lettres = "".join(chr(65 + (melange // 26**k) % 26) for k in (3, 2, 1, 0))
        return f"{100 + 3 * mois + bloc}{lettres}"

    @staticmethod
    def _id_partenaire(i: int) -> str:
        return f"{(i * 7654321 + 1234567) % 10**7:07d}"

    # ------------------------------------------------------------------ slots
    def annonce(self, i: int, s: Semaine, precedente: Annonce | None) -> Annonce:
        """Market offer of slot ``i`` (its own random stream); now and then the same job
        posted a second time, a few days after the previous offer of the week."""
        r = Random(f"{self.graine}:ft:{i}")
        if r.random() < P_JUMEAU and precedente is not None and precedente.source is None:
            creation = min(precedente.creation + timedelta(hours=r.uniform(4, 120)),
                           datetime.combine(s.fin, datetime.min.time()) + timedelta(hours=20))
            a = Annonce(**{**precedente.__dict__, "ids": {}})
            a.titre = textes.varier_titre(r, precedente.titre)
            a.description = textes.varier_description(r, precedente.description)
            a.creation, a.duree = creation, precedente.duree * r.uniform(0.9, 1.1)
            a.origine, a.partenaire, a.source = "1", None, precedente.ids["offres-ft"]
        else:
            a = self._nouvelle(r, s)
        a.cle = f"{self.graine}:ft:{i}"
        if a.origine == "2":
            a.ids["offres-ft"] = self._id_partenaire(i)
        else:
            a.ids["offres-ft"] = self._id_natif(i, a.creation.date())
        return a

    def _nouvelle(self, r: Random, s: Semaine, seule: str | None = None) -> Annonce:
        """A fresh offer; ``seule`` names the board it is exclusive to, if any."""
        entreprise: Entreprise | None
        if seule == "ats-talentis":
            entreprise = Tirage(self.talentis, [e.taille for e in self.talentis])(r)
            type_ = TYPES_ENTREPRISES[entreprise.type]
            rome = Tirage(list(type_.metiers), list(type_.metiers.values()))(r)
            dep = entreprise.dep
        else:
            rome, dep = self.tirage_metiers(r), self.tirage_deps(r)
            entreprise = self.tirage_entreprises[rome, dep](r)
        metier = METIERS[rome]
        rome4 = Tirage(list(metier.enfants), list(metier.enfants.values()))(r)
        appellation = self.ref.appellation(r, rome4)
        titre = textes.habiller_titre(r, textes.titre_appellation(appellation))
        if r.random() < P_SANS_COMMUNE and seule is None:
            commune = None
        elif entreprise and entreprise.dep == dep and r.random() < 0.75:
            commune = r.choice(entreprise.sites)
        else:
            commune = self.ref.tirage_communes[dep](r)
        creation = moment(r, self.jours[s.numero](r))
        type_contrat, duree_contrat, nature = tirer_contrat(r, entreprise)
        bas, haut = tirer_salaire(r, metier, dep, 0.85 if r.random() < 0.10 else 1.0)
        part = TYPES_ENTREPRISES[entreprise.type].salaire_affiche if entreprise else 0.5
        affiche = r.random() < part
        experience = tirer_experience(r, metier)
        diplome = tirer_diplome(r, metier)
        duree = metier.delai * multiplicateur(metier, affiche, bas, experience, diplome) * \
            r.lognormvariate(0, EFFETS["bruit_sigma"])
        nom_lieu = commune.nom if commune else "Côte-d'Or"
        texte = textes.description(r, metier, textes.titre_appellation(appellation), nom_lieu,
                                   entreprise.nom if entreprise and r.random() < 0.7 else None,
                                   experience, diplome)
        origine, partenaire = "1", None
        if seule is None and r.random() < P_PARTENAIRE:
            origine = "2"
            choix = dict(PARTENAIRES)
            if not (entreprise and entreprise.talentis):
                del choix["TALENTIS"]
            partenaire = Tirage(list(choix), list(choix.values()))(r)
        return Annonce(rome, rome4, appellation, titre, texte, entreprise, commune,
                       commune.dep if commune else dep, creation, duree, type_contrat, duree_contrat,
                       nature, (bas, haut), affiche, experience, diplome,
                       1 if r.random() < 0.9 else r.randint(2, 4),
                       manque_candidats(r, metier, affiche) if r.random() < 0.5 else None,
                       origine, partenaire)

    # ------------------------------------------------------------------ France Travail JSON
    def offre_json(self, a: Annonce, actualisation: datetime | None) -> dict[str, Any]:
        """The offer exactly as the API returns it (presentation choices seeded by the
        offer, so a re-emission differs only by ``dateActualisation``)."""
        r = Random(a.cle + ":json")
        metier, identifiant = METIERS[a.rome], a.ids["offres-ft"]
        ent = a.entreprise
        o: dict[str, Any] = {"id": identifiant, "intitule": a.titre}
        texte = a.description
        recruteur = r.choice(ent.recruteurs) if ent else None
        if recruteur and r.random() < 0.06:
            if r.random() < 0.5:
                texte += f"\n\nCandidature (CV et lettre) à envoyer à {recruteur.courriel}"
            else:
                texte += f"\n\nPour tout renseignement : {textes.telephone_ecrit(r, recruteur.telephone)}"
        o["description"] = texte
        o["dateCreation"] = horodatage(a.creation)
        if actualisation is not None:
            o["dateActualisation"] = horodatage(actualisation)
        if a.commune:
            nom = textes.majuscules(a.commune.nom) if r.random() < 0.5 else a.commune.nom
            o["lieuTravail"] = {"libelle": f"{a.dep} - {nom}", "latitude": a.commune.lat,
                                "longitude": a.commune.lng, "codePostal": a.commune.code_postal,
                                "commune": a.commune.insee}
        else:
            o["lieuTravail"] = {"libelle": f"{a.dep} - {NOMS_DEPARTEMENTS[a.dep]}"}
        o["romeCode"] = a.rome4
        o["romeLibelle"] = self.ref.libelles_rome[a.rome4]
        o["appellationlibelle"] = a.appellation
        entreprise: dict[str, Any] = {}
        if ent and r.random() < 0.85:
            entreprise["nom"] = ent.nom
            if ent.description and r.random() < 0.5:
                entreprise["description"] = ent.description
            if r.random() < 0.15:
                entreprise["url"] = f"https://www.{ent.domaine}"
        entreprise["entrepriseAdaptee"] = False
        o["entreprise"] = entreprise
        o["typeContrat"] = a.type_contrat
        o["typeContratLibelle"] = libelle_contrat(r, a.type_contrat, a.duree_contrat)
        o["natureContrat"] = a.nature
        exige, libelle = textes.experience(r, a.experience)
        o["experienceExige"] = exige
        if r.random() < 0.95:
            o["experienceLibelle"] = libelle
        if a.diplome:
            o["formations"] = [{"niveauLibelle": textes.NIVEAUX_FORMATION[a.diplome],
                                "exigence": "E" if r.random() < 0.6 else "S"}]
        if metier.qualification == "9" and r.random() < 0.4:
            o["langues"] = [{"libelle": "Anglais", "exigence": r.choice("ES")}]
        if r.random() < 0.15:
            o["permis"] = [{"libelle": "B - Véhicule léger", "exigence": r.choice("ES")}]
        if r.random() < 0.4:
            choisies = r.sample(metier.competences, k=min(3, len(metier.competences)))
            o["competences"] = [{"code": code_competence(metier, c), "libelle": c,
                                 "exigence": r.choice("ES")} for c in choisies]
        salaire: dict[str, Any] = {}
        if a.affiche:
            salaire["libelle"] = textes.libelle_salaire(r, *a.salaire, a.type_contrat == "MIS")
        elif r.random() < 0.3:
            salaire["commentaire"] = r.choice(("Selon profil", "Selon expérience", "A négocier"))
        if r.random() < 0.4:
            salaire["complement1"] = r.choice(textes.COMPLEMENTS)
            if r.random() < 0.4:
                salaire["complement2"] = r.choice(textes.COMPLEMENTS)
        o["salaire"] = salaire
        if r.random() < 0.5:
            horaires = r.choice(textes.HORAIRES)
            o["dureeTravailLibelle"] = horaires
            o["dureeTravailLibelleConverti"] = "Temps plein"
        o["alternance"] = a.nature == "Contrat apprentissage"
        contact, agence = self._contact(r, a, recruteur)
        if contact is not None:
            o["contact"] = contact
        if agence is not None:
            o["agence"] = agence
        o["nombrePostes"] = a.nombre_postes
        o["accessibleTH"] = r.random() < 0.1
        if r.random() < 0.6:
            o["qualificationCode"] = metier.qualification
            o["qualificationLibelle"] = textes.QUALIFICATIONS[metier.qualification]
        if ent and r.random() < 0.8:
            type_ = TYPES_ENTREPRISES[ent.type]
            o["codeNAF"], o["secteurActivite"] = type_.naf, type_.naf[:2]
            o["secteurActiviteLibelle"] = type_.secteur_libelle
        if r.random() < 0.3:
            o["qualitesProfessionnelles"] = [{"libelle": q, "description": d}
                                             for q, d in r.sample(textes.QUALITES, k=2)]
        origine: dict[str, Any] = {"origine": a.origine, "urlOrigine": URL_OFFRE + identifiant}
        if a.partenaire:
            nom = a.partenaire.lower()
            origine["partenaires"] = [{"nom": a.partenaire,
                                       "url": f"https://{nom}.example/offre/{identifiant}",
                                       "logo": f"https://{nom}.example/logo.png"}]
        o["origineOffre"] = origine
        if a.manque is not None:
            o["offresManqueCandidats"] = a.manque
        o["contexteTravail"] = {"horaires": [o["dureeTravailLibelle"]]} if "dureeTravailLibelle" in o else {}
        o["entrepriseAdaptee"] = False
        o["employeurHandiEngage"] = False
        return o

    def _contact(self, r: Random, a: Annonce, recruteur: textes.Recruteur | None):
        """``(contact, agence)`` in the shapes the real offers use (None: key absent)."""
        lien = f"Pour postuler, utiliser le lien suivant : {URL_OFFRE}{a.ids['offres-ft']}"
        if a.origine == "2":
            return ({}, None) if r.random() < 0.7 else ({"coordonnees1": lien, "urlPostulation": lien}, None)
        forme = r.random()
        if recruteur is None or forme < 0.15:
            if r.random() < 0.5:
                return {}, None
            commune = a.commune or self.ref.tirage_communes[a.dep](r)
            contact = {"nom": f"Agence France Travail {textes.majuscules(commune.nom)}",
                       "coordonnees1": f"{r.randint(1, 40)} RUE IMAGINAIRE",
                       "coordonnees2": f"{commune.code_postal} {commune.nom}", "coordonnees3": lien}
            courriel = lien if r.random() < 0.5 else r.choice(courriels_agences(a.dep))
            return contact, {"courriel": courriel}
        entreprise = a.entreprise
        assert entreprise is not None  # the recruiter is one of the offer's company
        nom = f"{entreprise.nom.upper()} - {recruteur.nom_complet}"
        if forme < 0.45:
            return {"nom": nom, "coordonnees1": lien, "courriel": lien}, {}
        if forme < 0.65:
            return {"nom": nom, "coordonnees1": recruteur.courriel, "courriel": recruteur.courriel}, {}
        if forme < 0.80:
            ecrit = textes.telephone_ecrit(r, recruteur.telephone)
            return {"nom": nom, "coordonnees1": f"Tél : {ecrit}", "telephone": recruteur.telephone}, {}
        if forme < 0.90:
            url = f"https://www.{entreprise.domaine}/carrieres/{a.ids['offres-ft']}"
            return {"nom": nom, "coordonnees1": url, "urlPostulation": url}, None
        return {}, None

    # ------------------------------------------------------------------ board rows
    def _commune_fichier(self, r: Random, a: Annonce) -> str:
        """Boards always name a town, even for a France Travail offer located by its
        département only."""
        return (a.commune or self.ref.tirage_communes[a.dep](r)).insee

    def ligne_bfc(self, a: Annonce, r: Random, publication: date, copie: bool) -> dict[str, Any]:
        """A row of the emploi-bfc export, by target column of ``config/sources_offres.toml``
        (its reference is numbered when the row is written)."""
        contrat = {"CDI": "CDI", "CDD": "CDD", "MIS": "Intérim"}[a.type_contrat]
        if a.nature == "Contrat apprentissage":
            contrat = "Apprentissage"
        return {"_rome": a.rome,
                "intitule": textes.varier_titre(r, a.titre) if copie and r.random() < 0.7 else a.titre,
                "description": textes.varier_description(r, a.description) if copie else a.description,
                "date_creation": publication, "commune_insee": self._commune_fichier(r, a),
                "entreprise_nom": a.entreprise.nom if a.entreprise else "Confidentiel",
                "type_contrat": contrat, "duree_contrat_mois": a.duree_contrat or "",
                "temps_travail": "Temps plein" if r.random() < 0.93 else "Temps partiel",
                "salaire_libelle": textes.libelle_salaire_fichier(*a.salaire) if a.affiche else "",
                "experience_libelle": textes.experience_fichier(a.experience),
                "nombre_postes": a.nombre_postes}

    def ligne_ats(self, a: Annonce, r: Random, creation: date, copie: bool) -> dict[str, Any]:
        """A row of the ats-talentis export (annual salaries), by target column."""
        contrat = {"CDI": "Permanent", "CDD": "Fixed-term", "MIS": "Temporary"}[a.type_contrat]
        if a.nature == "Contrat apprentissage":
            contrat = "Apprenticeship"
        return {"_rome": a.rome,
                "intitule": textes.varier_titre(r, a.titre) if copie and r.random() < 0.5 else a.titre,
                "description": (textes.varier_description(r, a.description) if copie and r.random() < 0.5
                                else a.description),
                "date_creation": creation, "commune_insee": self._commune_fichier(r, a),
                "entreprise_nom": a.entreprise.nom if a.entreprise else "", "type_contrat": contrat,
                "salaire_min": round(a.salaire[0] * 12) if a.affiche else None,
                "salaire_max": round(a.salaire[1] * 12) if a.affiche else None,
                "experience_annees": a.experience,
                "niveau_diplome": textes.NIVEAUX_COURTS[a.diplome] if a.diplome else "",
                "nombre_postes": a.nombre_postes}

    # ------------------------------------------------------------------ writing
    def ecrire(self, dossier: Path, bfc: Plateforme, ats: Plateforme, brouillons: Path, processus: int = 1) -> None:
        """Write the pages and the exports; weeks are drawn by ``processus`` worker
        processes (same bytes whatever their number) and written here in order. The
        duplicate clusters and the boards' ROME codes, which grow with the scale, are
        spooled as JSON lines to ``brouillons`` for the truth file."""
        temporaire = brouillons / "ats-talentis.jsonl"
        self.grappes, self.rome_fichiers = brouillons / "grappes.jsonl", brouillons / "rome-fichiers.jsonl"
        with (dossier / "offres-fichier" / "emploi-bfc.csv").open("w", encoding="cp1252", newline="") as f_bfc, \
                temporaire.open("w", encoding="utf-8") as f_ats, self.grappes.open("w", encoding="utf-8") as f_grappes, \
                self.rome_fichiers.open("w", encoding="utf-8") as self._f_rome:
            ecrivain = csv.writer(f_bfc, delimiter=";", lineterminator="\r\n")
            ecrivain.writerow(bfc.colonnes.values())
            productions = en_parallele(self.produire, range(len(self.semaines)), processus)
            for s, production in zip(self.semaines, productions, strict=True):
                ids = {"emploi-bfc": [self._numeroter(ligne, "emploi-bfc") for ligne in production.bfc],
                       "ats-talentis": [self._numeroter(ligne, "ats-talentis") for ligne in production.ats]}
                for grappe in production.grappes.values():
                    membres = [{"source": source, "id": ids[source][x] if source in ids else x} for source, x in grappe]
                    f_grappes.write(json.dumps(membres, ensure_ascii=False) + "\n")
                    self.doublons.update(m["source"] for m in membres)
                    self.doublons["grappes_internes_ft"] += sum(m["source"] == "offres-ft" for m in membres) > 1
                ecrivain.writerows(bfc.ligne(ligne) for ligne in production.bfc)
                for ligne in production.ats:
                    f_ats.write(json.dumps(ats.ligne(ligne), ensure_ascii=False) + "\n")
                self.bilan.ajouter(production.bilan)
                self.pilotes_semaine.pop(s.numero, None)  # drawn in a worker: free the parent's copy
                for semaine, emission, ancienne, nouvelle in production.mises_a_jour:
                    self.mises_a_jour[semaine].append((emission, ancienne, nouvelle))
                emissions = production.emissions
                for emission, ancienne, nouvelle in self.mises_a_jour.pop(s.numero, []):
                    texte = emission.texte.replace(f'"dateActualisation": "{ancienne}"',
                                                   f'"dateActualisation": "{nouvelle}"', 1)
                    emissions.append(Emission(emission.creation, emission.id, texte, emission.filtres))
                    self.n_mises_a_jour += 1
                self._ecrire_pages(dossier / "offres-ft", s, emissions)
        with temporaire.open(encoding="utf-8") as f_ats:
            lignes = (json.loads(ligne) for ligne in f_ats)
            ecrire_xlsx(dossier / "offres-fichier" / "ats-talentis.xlsx",
                        [(ats.feuille, _avec_entete(list(ats.colonnes.values()), lignes))], auteur="Talentis")
        temporaire.unlink()

    def _numeroter(self, ligne: dict[str, Any], source: str) -> str:
        """Give a board row its reference (sequential over the whole export)."""
        if source == "emploi-bfc":
            self.n_bfc += 1
            identifiant = f"EB{ligne['date_creation']:%y%m}-{self.n_bfc:06d}"
            url = f"https://emploi-bfc.example/annonce/{identifiant}"
        else:
            self.n_ats += 1
            identifiant = f"TAL-{self.n_ats:07d}"
            url = f"https://talentis.example/jobs/{identifiant}"
        ligne["offre_id"], ligne["url"] = identifiant, url
        self._f_rome.write(json.dumps([source, identifiant, ligne.pop("_rome")]) + "\n")
        return identifiant

    def produire(self, numero: int) -> Production:
        """Everything one week brings: France Travail offers (market and pilots), their
        board copies, the boards' own offers (a pure function of the seed and the week)."""
        s, p = self.semaines[numero], Production()
        precedente = None
        for i in range(self.debuts[numero], self.debuts[numero + 1]):
            precedente = self.annonce(i, s, precedente)
            self._publier(precedente, s, p)
        for a in self.pilotes_semaine.pop(numero, []):
            self._publier_pilote(a, s, p)
        for k in range(self.seules_bfc[numero]):
            r = Random(f"{self.graine}:bfc:{numero}:{k}")
            a = self._nouvelle(r, s, "emploi-bfc")
            p.bfc.append(self.ligne_bfc(a, r, a.creation.date(), False))
        for k in range(self.seules_ats[numero]):
            r = Random(f"{self.graine}:ats:{numero}:{k}")
            a = self._nouvelle(r, s, "ats-talentis")
            p.ats.append(self.ligne_ats(a, r, a.creation.date(), False))
        return p

    def _publier(self, a: Annonce, s: Semaine, p: Production) -> None:
        """A market offer: its first page, its later update and its board copies."""
        r = Random(a.cle + ":publier")
        self._premiere_emission(a, s, p)
        identifiant = a.ids["offres-ft"]
        grappe: list[tuple[str, Any]] = [("offres-ft", identifiant)]
        copie_bfc = a.partenaire == "EMPLOI-BFC" or (a.origine == "1" and r.random() < P_COPIE_BFC)
        copie_ats = a.partenaire == "TALENTIS" or (
            a.origine == "1" and a.entreprise is not None and a.entreprise.talentis and r.random() < P_COPIE_ATS)
        if copie_bfc:
            jour = _borne(a.creation.date() - timedelta(days=r.randint(0, 3) if a.partenaire else r.randint(-3, 3)))
            p.bfc.append(self.ligne_bfc(a, r, jour, True))
            grappe.append(("emploi-bfc", len(p.bfc) - 1))
        if copie_ats:
            jour = _borne(a.creation.date() - timedelta(days=r.randint(0, 3)))
            p.ats.append(self.ligne_ats(a, r, jour, True))
            grappe.append(("ats-talentis", len(p.ats) - 1))
        if a.source:
            p.grappes.setdefault(a.source, [("offres-ft", a.source)]).extend(grappe)
        elif len(grappe) > 1:
            p.grappes[identifiant] = grappe

    def _publier_pilote(self, a: Annonce, s: Semaine, p: Production) -> None:
        r = Random(a.cle + ":publier")
        grappe: list[tuple[str, Any]] = []
        if "offres-ft" in a.ids:
            self._premiere_emission(a, s, p)
            grappe.append(("offres-ft", a.ids["offres-ft"]))
        if "emploi-bfc" in a.ids:
            p.bfc.append(self.ligne_bfc(a, r, _borne(a.creation.date() + timedelta(days=r.randint(0, 2))), bool(grappe)))
            grappe.append(("emploi-bfc", len(p.bfc) - 1))
        if "ats-talentis" in a.ids:
            p.ats.append(self.ligne_ats(a, r, a.creation.date(), bool(grappe)))
            grappe.append(("ats-talentis", len(p.ats) - 1))
        if len(grappe) > 1:
            p.grappes[f"{a.reference}"] = grappe

    def _premiere_emission(self, a: Annonce, s: Semaine, p: Production) -> None:
        """First appearance of an offer; if it is still online after its week, a later page
        may show it again with the date it was last updated (its serialised text is kept
        until then, with the new date swapped in)."""
        r = Random(a.cle + ":emission")
        fin_semaine = datetime.combine(s.fin, datetime.min.time()) + timedelta(days=1)
        fin_offre = a.creation + timedelta(days=a.duree)
        sans_date = a.origine == "2" and r.random() < 0.15
        mise_a_jour = False
        if fin_offre < fin_semaine:
            actualisation = None if sans_date else fin_offre
        else:
            actualisation = None if sans_date else min(a.creation + timedelta(hours=r.uniform(0.5, 8)), fin_semaine)
            mise_a_jour = not sans_date and fin_offre.date() <= FIN and r.random() < P_MISE_A_JOUR
        offre = self.offre_json(a, actualisation)
        emission = Emission(a.creation, offre["id"], json_indente(offre, "\n    "), filtres_offre(offre))
        p.emissions.append(emission)
        if mise_a_jour:
            assert actualisation is not None  # only an offer dated on its first page is updated
            p.mises_a_jour.append(((fin_offre.date() - DEBUT).days // 7, emission,
                                   horodatage(actualisation), horodatage(fin_offre)))
        p.bilan.compter(a)

    def _ecrire_pages(self, dossier: Path, s: Semaine, emissions: list[Emission]) -> None:
        """The week's pages, newest first, laid out as ``json.dumps(page, indent=2)``."""
        emissions.sort(key=lambda e: (e.creation, e.id), reverse=True)
        filtres = json_indente(filtres_possibles([e.filtres for e in emissions]), "\n  ")
        for n, debut in enumerate(range(0, len(emissions), TAILLE_PAGE)):
            morceau = emissions[debut:debut + TAILLE_PAGE]
            texte = ('{\n  "resultats": [' + ",".join("\n    " + e.texte for e in morceau)
                     + '\n  ],\n  "filtresPossibles": ' + filtres + "\n}")
            (dossier / f"page-{s.fin.isoformat()}-{n}.json").write_text(texte, encoding="utf-8")
            self.pages += 1
            self.enregistrements += len(morceau)


def _borne(jour: date) -> date:
    return min(max(jour, DEBUT), FIN)


def _avec_entete(entetes: list[str], lignes):
    yield entetes
    yield from lignes


def courriels_agences(dep: str) -> list[str]:
    """Invented mailboxes of two France Travail agencies per département."""
    return [f"ape.{dep}0{k}9@francetravail.example" for k in (1, 2)]


def libelle_contrat(r: Random, type_: str, duree: int | None) -> str:
    if type_ == "CDI":
        return "Contrat à durée indéterminée" if r.random() < 0.6 else "CDI"
    nom = {"CDD": ("Contrat à durée déterminée", "CDD"), "MIS": ("Intérim", "Mission intérimaire")}[type_]
    return f"{r.choice(nom)} - {duree} Mois"


def code_competence(metier: Metier, libelle: str) -> str:
    """Invented six-digit skill code, stable for a given skill."""
    rang = list(METIERS).index(metier.code) * 10 + metier.competences.index(libelle)
    return str(900000 + rang)


@dataclass
class Bilan:
    """Counts of France Travail offers (distinct ids), for the truth and the statistics."""

    offres: Counter = field(default_factory=Counter)  # (rome v3, dep)
    offres_mois: Counter = field(default_factory=Counter)  # (rome, dep, "YYYY-MM")
    offres_trimestre: Counter = field(default_factory=Counter)  # (rome, dep, "YYYYTq", origine)
    sans_commune: int = 0
    # market offers only (pilots excluded): requirements, salaries, time online
    experiences: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    diplomes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    salaires: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    durees: dict[str, Counter] = field(default_factory=lambda: {"affiche": Counter(), "masque": Counter()})
    manque: Counter = field(default_factory=Counter)  # (salary shown, offresManqueCandidats)

    def compter(self, a: Annonce) -> None:
        self.offres[a.rome, a.dep] += 1
        self.offres_mois[a.rome, a.dep, f"{a.creation.year}-{a.creation.month:02d}"] += 1
        self.offres_trimestre[a.rome, a.dep, f"{a.creation.year}T{(a.creation.month - 1) // 3 + 1}", a.origine] += 1
        self.sans_commune += a.commune is None
        if a.reference is None:
            self.durees["affiche" if a.affiche else "masque"][round(a.duree, 1)] += 1
            if a.manque is not None:
                self.manque[a.affiche, a.manque] += 1
            self.experiences[a.rome][a.experience] += 1
            if a.diplome:
                self.diplomes[a.rome][a.diplome] += 1
            if a.affiche:
                self.salaires[a.rome][round(a.salaire[0], -1)] += 1

    def ajouter(self, autre: Bilan) -> None:
        for nom in ("offres", "offres_mois", "offres_trimestre", "manque"):
            getattr(self, nom).update(getattr(autre, nom))
        self.sans_commune += autre.sans_commune
        for nom in ("experiences", "diplomes", "salaires"):
            for rome, compte in getattr(autre, nom).items():
                getattr(self, nom)[rome].update(compte)
        for cle, compte in autre.durees.items():
            self.durees[cle].update(compte)


@dataclass
class Production:
    """What one week brings (drawn in a worker process when the scale is large)."""

    emissions: list[Emission] = field(default_factory=list)
    mises_a_jour: list[tuple[int, Emission, str, str]] = field(default_factory=list)  # week, text, dates
    bfc: list[dict[str, Any]] = field(default_factory=list)
    ats: list[dict[str, Any]] = field(default_factory=list)
    grappes: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)  # board rows by index
    bilan: Bilan = field(default_factory=Bilan)


@dataclass(frozen=True)
class Emission:
    """One offer as one page shows it (serialised once, reused for its update)."""

    creation: datetime
    id: str
    texte: str
    filtres: tuple[str, str, str, str]


def filtres_offre(o: dict) -> tuple[str, str, str, str]:
    """What an offer adds to each aggregation of ``filtresPossibles``."""
    if o["experienceExige"] == "D":
        experience = "1"
    else:
        chiffres = "".join(c if c.isdigit() else " " for c in o.get("experienceLibelle") or "").split()
        annees = int(chiffres[0]) // (12 if "Mois" in o["experienceLibelle"] else 1) if chiffres else None
        experience = "4" if annees is None else ("2" if annees <= 3 else "3")
    code = o.get("qualificationCode")
    qualification = "X" if code is None else ("9" if code == "9" else "0")
    return o["typeContrat"], experience, qualification, NATURES[o["natureContrat"]]


def filtres_possibles(filtres: list[tuple[str, str, str, str]]) -> list[dict]:
    """The aggregations the API adds to every page of one query."""
    return [{"filtre": nom, "agregation": [{"valeurPossible": v, "nbResultats": n}
                                           for v, n in sorted(Counter(f[k] for f in filtres).items())]}
            for k, nom in enumerate(("typeContrat", "experience", "qualification", "natureContrat"))]


def json_indente(objet: Any, marge: str = "\n") -> str:
    """``json.dumps(objet, ensure_ascii=False, indent=2)`` for an object nested at ``marge``
    (newline + its indentation): the same text, twice as fast (the standard library's
    indented encoder is pure Python)."""
    morceaux: list[str] = []
    ajouter = morceaux.append

    def ecrire(o: Any, marge: str) -> None:
        if isinstance(o, str):
            ajouter(encode_basestring(o))
        elif isinstance(o, dict | list):
            if not o:
                ajouter("{}" if isinstance(o, dict) else "[]")
                return
            interieur, separateur = marge + "  ", "{" if isinstance(o, dict) else "["
            if isinstance(o, dict):
                for cle, valeur in o.items():
                    ajouter(separateur + interieur + encode_basestring(cle) + ": ")
                    separateur = ","
                    ecrire(valeur, interieur)
                ajouter(marge + "}")
            else:
                for valeur in o:
                    ajouter(separateur + interieur)
                    separateur = ","
                    ecrire(valeur, interieur)
                ajouter(marge + "]")
        elif o is True or o is False or o is None:
            ajouter("true" if o else ("false" if o is False else "null"))
        elif isinstance(o, int):
            ajouter(int.__repr__(o))
        else:
            ajouter(float.__repr__(o))

    ecrire(objet, marge)
    return "".join(morceaux)
