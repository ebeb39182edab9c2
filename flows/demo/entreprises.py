"""The six pilot companies' own records: one workbook each (sheets "guide",
"recrutements", "candidatures", "actions"), in which each company's dominant cause of
difficulty is planted, and the offers their requisitions publish.

A requisition and its applications are a pure function of (seed, company, rank): they
are drawn once for the truth and the offers, once more to write the workbook, and never
all held in memory.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

from flows.config import parametres
from flows.demo import textes
from flows.demo.marche import (
    Annonce,
    Entreprise,
    manque_candidats,
    moment,
    multiplicateur,
    tirer_experience,
    tirer_salaire,
)
from flows.demo.referentiel import Referentiel, Tirage
from flows.demo.scenario import (
    DEBUT,
    DELAI_VIVIER_MINCE,
    EFFETS,
    EXCES_EXIGENCES,
    FIN,
    METIERS,
    POSTES_VIVIER_MINCE,
    RECRUTEMENTS_MIN,
    ROLES_PILOTES,
    SALAIRE_CONTENU_OFFRE,
)
from flows.demo.xlsx import ecrire_xlsx

COLONNES_RECRUTEMENTS = [
    "entreprise", "reference", "commune_site", "intitule", "code_rome", "date_ouverture",
    "date_cloture", "statut", "nombre_postes", "type_contrat", "duree_contrat_mois",
    "salaire_affiche", "salaire_min_mensuel", "salaire_max_mensuel", "experience_requise_annees",
    "diplome_requis", "canaux", "description", "competences"]
COLONNES_CANDIDATURES = [
    "entreprise", "reference_recrutement", "candidat", "canal", "date_reception",
    "date_preselection", "date_entretien", "date_proposition", "date_embauche",
    "date_desistement", "date_refus", "motif"]
COLONNES_ACTIONS = ["entreprise", "action", "date_debut", "indicateur_cible"]
ETAPES = ("date_preselection", "date_entretien", "date_proposition", "date_embauche")
ECARTS = ("reception_preselection", "preselection_entretien", "entretien_proposition", "proposition_embauche")
COMPTEURS = (*ECARTS, "entretiens", "desistements_apres_proposition")

# Days between stages for the hired candidate: (reception -> preselection -> interview ->
# offer -> hiring); the "procedure" pilot is slow at every step.
DELAIS_NORMAUX = (4, 8, 5, 4)
DELAIS_LENTS = (18, 20, 16, 10)
POIDS_CANAUX = {"france_travail": 2.5, "jobboard": 3.0, "site_carriere": 2.0, "reseaux_sociaux": 1.5,
                "interim": 1.0, "apec": 1.0, "cooptation": 0.6, "ecole": 0.5, "salon": 0.3,
                "cabinet": 0.5, "spontanee": 0.4}
CONTRATS = {"CDI": "CDI", "CDD": "CDD", "Intérim": "MIS", "Alternance": "CDD"}
# Market medians per ROME v3 and requirement (None when no market offer states it).
Medianes = dict[str, dict[str, float | None]]

GUIDE = [
    ("recrutements", "entreprise", "Nom de l'entreprise", "Laboratoires Exemple"),
    ("recrutements", "reference", "Référence interne du recrutement (unique)", "REC-2025-001"),
    ("recrutements", "commune_site", "Code commune INSEE du site", "21231"),
    ("recrutements", "intitule", "Intitulé du poste", "Technicien de maintenance"),
    ("recrutements", "code_rome", "Code ROME du poste", "I1304"),
    ("recrutements", "date_ouverture", "Date d'ouverture du besoin (jj/mm/aaaa)", "03/02/2025"),
    ("recrutements", "date_cloture", "Date de fin (embauche ou abandon), vide si en cours", "17/03/2025"),
    ("recrutements", "statut", "pourvu, abandonne ou ouvert", "pourvu"),
    ("recrutements", "nombre_postes", "Nombre de postes", "1"),
    ("recrutements", "type_contrat", "CDI, CDD, Intérim, Alternance", "CDI"),
    ("recrutements", "duree_contrat_mois", "Durée en mois (CDD, intérim)", "6"),
    ("recrutements", "salaire_affiche", "Le salaire figure-t-il dans l'offre ? oui/non", "oui"),
    ("recrutements", "salaire_min_mensuel", "Salaire brut mensuel minimum prévu (euros)", "2200"),
    ("recrutements", "salaire_max_mensuel", "Salaire brut mensuel maximum prévu (euros)", "2500"),
    ("recrutements", "experience_requise_annees", "Expérience exigée (années)", "2"),
    ("recrutements", "diplome_requis", "Niveau de diplôme exigé (3 = CAP … 8 = doctorat)", "5"),
    ("recrutements", "canaux", "Canaux de diffusion séparés par |", "france_travail|jobboard"),
    ("recrutements", "description", "Texte de l'offre", ""),
    ("recrutements", "competences", "Compétences demandées séparées par |", "GMAO|Électrotechnique"),
    ("candidatures", "candidat", "Identifiant interne du candidat (jamais de nom)", "CAND-00042"),
    ("candidatures", "canal", "Canal par lequel la candidature est arrivée", "jobboard"),
    ("candidatures", "date_reception … date_refus", "Dates des étapes (jj/mm/aaaa), vides si non atteintes", ""),
    ("candidatures", "motif", "Motif du refus ou du désistement", "a accepté une autre offre"),
    ("actions", "action", "Action d'amélioration engagée", "Afficher le salaire dans les offres"),
    ("actions", "date_debut", "Date de mise en œuvre (jj/mm/aaaa)", "01/03/2025"),
    ("actions", "indicateur_cible", "Indicateur que l'action doit améliorer", "delai_pourvoi"),
]


def _jj(jour: date | None) -> str | None:
    return jour.strftime("%d/%m/%Y") if jour else None


@dataclass
class Recrutement:
    reference: str
    rome: str
    intitule: str
    ouverture: date
    cloture: date | None
    statut: str
    nombre_postes: int
    contrat: str
    duree_contrat: int | None
    affiche: bool
    salaire: tuple[float, float]
    experience: int
    diplome: int
    canaux: list[str]
    description: str
    competences: list[str]
    delai: float  # planned days to fill
    candidatures: list[dict[str, Any]] = field(default_factory=list)
    annonce: Annonce | None = None

    @property
    def delai_reel(self) -> int | None:
        return (self.cloture - self.ouverture).days if self.cloture else None

    def ligne(self, entreprise: str, commune: str) -> list[Any]:
        return [entreprise, self.reference, commune, self.intitule, self.rome, _jj(self.ouverture),
                _jj(self.cloture), self.statut, self.nombre_postes, self.contrat, self.duree_contrat,
                "oui" if self.affiche else "non", self.salaire[0], self.salaire[1], self.experience,
                self.diplome, "|".join(self.canaux), self.description, "|".join(self.competences)]


class Pilote:
    """One pilot company: its requisitions, applications and the truth about them."""

    def __init__(self, graine: int, echelle: float, entreprise: Entreprise, ref: Referentiel):
        self.graine, self.entreprise, self.ref = graine, entreprise, ref
        self.config = entreprise.pilote
        self.cause = self.config.cause
        self.commune = ref.communes[self.config.commune]
        if self.cause == "pas_de_difficulte":
            self.nombre = self.config.recrutements
        else:
            self.nombre = max(RECRUTEMENTS_MIN, round(self.config.recrutements * echelle))
        r = Random(f"{graine}:pilote:{self.config.prefixe}:dates")
        fin_ouvertures = (FIN - DEBUT).days - 20
        if self.cause == "pas_de_difficulte":  # two requisitions before the action, two after
            bornes = [(60, 400), (200, 600), (700, 850), (760, 1000)]
            self.ouvertures = [DEBUT + timedelta(days=r.randint(a, b)) for a, b in bornes]
        else:
            self.ouvertures = sorted(DEBUT + timedelta(days=r.randrange(fin_ouvertures))
                                     for _ in range(self.nombre))
        self.annonces: list[Annonce] = []
        self.resumes: list[Resume] = []
        self.compteurs: dict[str, dict[str, Counter]] = {}  # per role: stage gaps, withdrawals

    # ------------------------------------------------------------------ one requisition
    def recrutement(self, k: int) -> Recrutement:
        """Requisition ``k`` with its applications (pure function of the seed)."""
        r = Random(f"{self.graine}:pilote:{self.config.prefixe}:{k}")
        cause, ouverture = self.cause, self.ouvertures[k]
        roles = self.config.roles or ROLES_PILOTES
        rome = Tirage(list(roles), list(roles.values()))(r)
        metier = METIERS[rome]
        rome4 = Tirage(list(metier.enfants), list(metier.enfants.values()))(r)
        appellation = self.ref.appellation(r, rome4)
        intitule = textes.titre_appellation(appellation)
        apres_action = self.config.action is not None and ouverture >= self.config.action[1]
        contrat = Tirage(["CDI", "CDD", "Intérim", "Alternance"], [0.75, 0.15, 0.05, 0.05])(r)
        duree_contrat = r.choice((6, 12, 18)) if contrat != "CDI" else None
        niveau = SALAIRE_CONTENU_OFFRE if cause == "contenu_offre" and not apres_action else 1.0
        salaire = tirer_salaire(r, metier, "21", niveau)
        if cause == "contenu_offre":
            affiche = apres_action or r.random() < 0.15
        else:
            affiche = r.random() < 0.9
        if cause == "analyse_besoin":
            experience = max(metier.experience + 3,
                             round(metier.experience + EXCES_EXIGENCES["experience_annees"] + r.gauss(0, 0.8)))
            diplome = min(8, metier.diplome + EXCES_EXIGENCES["diplome_niveaux"])
        else:
            experience = tirer_experience(r, metier)
            diplome = min(8, max(3, metier.diplome + r.choice((-1, 0, 0, 0, 0, 1))))
        if cause == "qualification":  # the market's requirements: the pool, not the asking, is thin
            experience, diplome = metier.experience, metier.diplome
        canaux = self._canaux(r, metier)
        pauvre = cause == "contenu_offre"
        description = textes.description(r, metier, intitule, self.commune.nom, self.entreprise.nom,
                                         experience, diplome, pauvre=pauvre)
        competences = r.sample(metier.competences, k=r.randint(0, 1) if pauvre else r.randint(3, min(5, len(metier.competences))))
        delai = metier.delai * multiplicateur(metier, affiche, salaire[0], experience, diplome, pauvre,
                                              canaux_limites=len(canaux) <= 2)
        if cause == "pas_de_difficulte":
            delai *= 0.45
        if cause == "qualification":
            delai *= DELAI_VIVIER_MINCE
        delai = max(5.0, delai * r.lognormvariate(0, EFFETS["bruit_sigma"]))
        rec = Recrutement(f"{self.config.prefixe}-{ouverture.year}-{k + 1:04d}", rome,
                          textes.habiller_titre(r, intitule) if r.random() < 0.3 else intitule,
                          ouverture, None, "pourvu", 1 if r.random() < 0.85 else r.choice((2, 2, 3)),
                          contrat, duree_contrat, affiche, salaire, experience, diplome, canaux,
                          description, competences, delai)
        if cause == "qualification":
            rec.nombre_postes = POSTES_VIVIER_MINCE
        self._entonnoir(r, rec)
        rec.annonce = self._annonce(r, rec, rome4, appellation)
        return rec

    def _canaux(self, r: Random, metier) -> list[str]:
        if self.cause == "sourcing":
            return ["site_carriere"] if r.random() < 0.7 else ["site_carriere", "cooptation"]
        cadre = metier.qualification in {"8", "9"}
        chances = {"france_travail": 0.9, "apec": 0.7 if cadre else 0.05, "jobboard": 0.7,
                   "site_carriere": 0.85, "reseaux_sociaux": 0.5, "interim": 0.05 if cadre else 0.25,
                   "cabinet": 0.15 if cadre else 0.02, "cooptation": 0.35, "ecole": 0.15, "salon": 0.08}
        canaux = [c for c, p in chances.items() if r.random() < p]
        for c in ("france_travail", "jobboard", "site_carriere", "reseaux_sociaux"):
            if len(canaux) >= 3:
                break
            if c not in canaux:
                canaux.append(c)
        return canaux

    # ------------------------------------------------------------------ applications
    def _entonnoir(self, r: Random, rec: Recrutement) -> None:
        """Applications consistent with the requisition's planned time to fill."""
        cause, ouverture = self.cause, rec.ouverture
        delais = DELAIS_LENTS if cause == "procedure" else DELAIS_NORMAUX
        p_abandon = {"sourcing": 0.18, "analyse_besoin": 0.15, "pas_de_difficulte": 0.0}.get(cause, 0.07)
        abandon = r.random() < p_abandon
        desistements = (r.randint(1, 3) if cause == "procedure"
                        else (1 if r.random() < 0.2 else 0))
        chaine = [d * r.uniform(0.7, 1.3) for d in delais]
        if cause == "procedure":  # slow steps come on top of the usual sourcing time
            rec.delai += sum(chaine) - sum(DELAIS_NORMAUX) + 8 * desistements
        fin_prevue = ouverture + timedelta(days=round(rec.delai))
        if abandon:
            fin_prevue = ouverture + timedelta(days=round(rec.delai * r.uniform(0.6, 1.2)))
        if fin_prevue > FIN:
            rec.statut, rec.cloture, horizon = "ouvert", None, FIN
        else:
            rec.statut = "abandonne" if abandon else "pourvu"
            rec.cloture, horizon = fin_prevue, fin_prevue
        n = {"sourcing": r.randint(2, 6), "pas_de_difficulte": r.randint(12, 20)}.get(
            cause, min(30, max(10, round(r.gauss(19, 5)))))
        if cause == "contenu_offre" and not rec.affiche:
            n = max(5, round(n * 0.55))
        canaux = Tirage([*rec.canaux, "spontanee"], [POIDS_CANAUX[c] for c in rec.canaux] + [0.15])
        p_preselection = 0.2 if cause == "analyse_besoin" else 0.5
        p_desiste_entretien = 0.35 if cause == "procedure" else 0.08
        lignes = []

        def candidature(reception: date) -> dict[str, Any]:
            return {"candidat": None, "canal": canaux(r), "date_reception": reception,
                    **{e: None for e in ETAPES}, "date_desistement": None, "date_refus": None, "motif": None}

        embauches = rec.nombre_postes if rec.statut == "pourvu" else 0
        span = max(1, (horizon - ouverture).days)
        # hired candidates and those who withdrew after an offer: full chains
        for h in range(embauches + (desistements if rec.statut != "ouvert" or span > 30 else 0)):
            embauche = h < embauches
            fin = horizon - timedelta(days=0 if embauche and h == 0 else r.randint(1, max(1, span // 3)))
            total = sum(chaine)
            echelle = min(1.0, max(1, (fin - ouverture).days - 1) / total)
            dates, jour = [], fin
            for d in reversed(chaine):
                dates.append(jour)
                jour -= timedelta(days=max(1, round(d * echelle)))
            reception = max(ouverture, jour)
            c = candidature(reception)
            pre, ent, prop, emb = reversed(dates)
            c.update(date_preselection=pre, date_entretien=ent, date_proposition=prop)
            if embauche:
                c["date_embauche"] = emb
            else:
                c["date_desistement"] = min(horizon, prop + timedelta(days=r.randint(2, 10)))
                c["motif"] = r.choice(("a accepté une autre offre", "délai de réponse trop long")
                                      if cause == "procedure" else
                                      ("a accepté une autre offre", "salaire insuffisant", "mobilité"))
            lignes.append(c)
        for _ in range(max(0, n - len(lignes))):
            reception = ouverture + timedelta(days=int(span * r.random() ** 1.6))
            c = candidature(reception)
            jour = reception
            if r.random() < p_preselection:
                jour += timedelta(days=max(1, round(delais[0] * r.uniform(0.5, 1.5))))
                if jour <= horizon:
                    c["date_preselection"] = jour
                    if r.random() < 0.55:
                        jour += timedelta(days=max(1, round(delais[1] * r.uniform(0.5, 1.5))))
                        if jour <= horizon:
                            c["date_entretien"] = jour
                            if r.random() < p_desiste_entretien:
                                c["date_desistement"] = min(horizon, jour + timedelta(days=r.randint(1, 10)))
                                c["motif"] = "a accepté une autre offre"
                            elif r.random() < 0.8:
                                c["date_refus"] = min(FIN, jour + timedelta(days=r.randint(2, 12)))
                                c["motif"] = "candidat non retenu après entretien"
                    elif r.random() < 0.7:
                        c["date_refus"] = min(FIN, jour + timedelta(days=r.randint(1, 10)))
                        c["motif"] = "profil ne correspondant pas"
            elif r.random() < 0.7:
                c["date_refus"] = min(FIN, reception + timedelta(days=r.randint(2, 15)))
                c["motif"] = (r.choice(("expérience insuffisante", "diplôme insuffisant"))
                              if cause == "analyse_besoin" else "profil ne correspondant pas")
            lignes.append(c)
        lignes.sort(key=lambda c: (c["date_reception"], c["canal"]))
        rec.candidatures = lignes

    def _annonce(self, r: Random, rec: Recrutement, rome4: str, appellation: str) -> Annonce:
        """The offer this requisition publishes on the channels the demo has files for."""
        metier = METIERS[rec.rome]
        fin = rec.cloture or FIN + timedelta(days=30)
        creation = moment(r, rec.ouverture + timedelta(days=r.randint(0, 2)))
        ids = {source: "" for source, canal in (("offres-ft", "france_travail"), ("emploi-bfc", "jobboard"),
                                                  ("ats-talentis", "site_carriere")) if canal in rec.canaux}
        return Annonce(rec.rome, rome4, appellation, textes.habiller_titre(r, rec.intitule), rec.description,
                       self.entreprise, self.commune, self.commune.dep, creation,
                       max(0.5, (datetime.combine(fin, datetime.min.time()) - creation).total_seconds() / 86400),
                       CONTRATS[rec.contrat], rec.duree_contrat,
                       "Contrat apprentissage" if rec.contrat == "Alternance" else "Contrat travail",
                       rec.salaire, rec.affiche, rec.experience, rec.diplome, rec.nombre_postes,
                       manque_candidats(r, metier, rec.affiche) if r.random() < 0.5 else None,
                       reference=rec.reference, cle=f"{self.graine}:pilote:{rec.reference}", ids=ids)

    # ------------------------------------------------------------------ outputs
    def preparer(self) -> Pilote:
        """Draw every requisition once and keep what the truth needs and the offers they
        publish (returns itself, so that a worker process can send it back)."""
        for k in range(self.nombre):
            rec = self.recrutement(k)
            self.resumes.append(Resume(rec.rome, rec.ouverture, rec.statut, rec.delai_reel, len(rec.candidatures),
                                       rec.affiche, len(rec.canaux), rec.experience, rec.diplome, rec.salaire[0]))
            compteurs = self.compteurs.setdefault(rec.rome, {nom: Counter() for nom in COMPTEURS})
            for c in rec.candidatures:
                etapes = [c["date_reception"], *(c[e] for e in ETAPES)]
                for (a, b), nom in zip(zip(etapes, etapes[1:], strict=False), ECARTS, strict=True):
                    if a and b:
                        compteurs[nom][(b - a).days] += 1
                if c["date_entretien"]:
                    compteurs["entretiens"][bool(c["date_desistement"])] += 1
                if c["date_proposition"] and c["date_desistement"]:
                    compteurs["desistements_apres_proposition"][True] += 1
            assert rec.annonce is not None  # ``recrutement`` always attaches its offer
            if rec.annonce.ids:
                self.annonces.append(rec.annonce)
        return self

    def _lignes(self, brouillon: Path) -> Iterator[list[Any]]:
        """Requisition rows; their applications (with raw candidate ids, some people
        applying more than once) go to ``brouillon`` on the way."""
        r = Random(f"{self.graine}:pilote:{self.config.prefixe}:candidats")
        deja: list[str] = []
        with brouillon.open("w", encoding="utf-8") as f:
            for k in range(self.nombre):
                rec = self.recrutement(k)
                yield rec.ligne(self.entreprise.nom, self.commune.insee)
                ici: set[str] = set()  # one application per person and requisition
                for c in rec.candidatures:
                    candidat = r.choice(deja) if deja and r.random() < 0.08 else None
                    if candidat is None or candidat in ici:
                        candidat = f"CAND-{len(deja) + 1:05d}"
                        deja.append(candidat)
                    ici.add(candidat)
                    f.write(json.dumps([self.entreprise.nom, rec.reference, candidat, c["canal"],
                                        _jj(c["date_reception"]), *(_jj(c[e]) for e in ETAPES),
                                        _jj(c["date_desistement"]), _jj(c["date_refus"]), c["motif"]],
                                       ensure_ascii=False) + "\n")

    def ecrire(self, dossier: Path, brouillons: Path) -> Path:
        chemin = dossier / "entreprise" / f"{textes.ascii_minuscule(self.entreprise.nom)}.xlsx"
        brouillon = brouillons / chemin.with_suffix(".jsonl").name
        actions = []
        if self.config.action:
            action, debut, cible = self.config.action
            actions.append([self.entreprise.nom, action, _jj(debut), cible])

        def candidatures() -> Iterator[list[Any]]:  # read once the requisitions are written
            yield COLONNES_CANDIDATURES
            with brouillon.open(encoding="utf-8") as f:
                yield from (json.loads(ligne) for ligne in f)

        ecrire_xlsx(chemin, [
            ("guide", [["feuille", "colonne", "description", "exemple"], *map(list, GUIDE)]),
            ("recrutements", _enchainer([COLONNES_RECRUTEMENTS], self._lignes(brouillon))),
            ("candidatures", candidatures()),
            ("actions", [COLONNES_ACTIONS, *actions]),
        ], auteur=self.entreprise.nom)
        brouillon.unlink()
        return chemin

    # ------------------------------------------------------------------ truth
    def verite(self, medianes: Medianes) -> dict[str, Any]:
        """What the analysis must find for this company, per role and overall."""
        roles = sorted({r.rome for r in self.resumes})
        total = {nom: sum((c[nom] for c in self.compteurs.values()), Counter()) for nom in COMPTEURS}
        sortie: dict[str, Any] = {
            "nom": self.entreprise.nom, "cause": self.cause, "commune_site": self.commune.insee,
            "fichier": f"entreprise/{textes.ascii_minuscule(self.entreprise.nom)}.xlsx",
            "recruteurs": [{"nom": p.nom_complet, "courriel": p.courriel, "telephone": p.telephone}
                           for p in self.entreprise.recruteurs],
            **_mesures(self.resumes, total, None),
            "roles": {rome: _role(self.cause, _mesures([r for r in self.resumes if r.rome == rome],
                                                       self.compteurs[rome], medianes.get(rome)))
                      for rome in roles},
        }
        if self.cause == "analyse_besoin":
            sortie["exigences_gonflees"] = {}
            for rome in roles:
                resumes = [r for r in self.resumes if r.rome == rome]
                exigences: dict[str, Any] = {}
                for cle, attribut, marche in (("experience_requise_annees", "experience", "experience_annees"),
                                              ("diplome_requis", "diplome", "diplome")):
                    entreprise = statistics.median(getattr(r, attribut) for r in resumes)
                    reference = medianes[rome][marche]
                    exigences[cle] = {"entreprise_mediane": entreprise, "marche_mediane": reference,
                                      "ecart": None if reference is None else entreprise - reference}
                sortie["exigences_gonflees"][rome] = exigences
        if self.config.action:
            action, debut, cible = self.config.action
            avant = [delai for ouverture, delai in pourvus(self.resumes) if ouverture < debut]
            apres = [delai for ouverture, delai in pourvus(self.resumes) if ouverture >= debut]
            sortie["action"] = {"action": action, "date_debut": debut.isoformat(), "indicateur_cible": cible,
                                "recrutements_pourvus_avant": len(avant), "recrutements_pourvus_apres": len(apres),
                                "delai_median_avant_jours": statistics.median(avant) if avant else None,
                                "delai_median_apres_jours": statistics.median(apres) if apres else None,
                                "donnees_suffisantes": min(len(avant), len(apres)) >= 10}
        return sortie


@dataclass(frozen=True)
class Resume:
    """What the truth keeps of one requisition."""

    rome: str
    ouverture: date
    statut: str
    delai: int | None  # days from opening to closing, when filled
    candidatures: int
    affiche: bool
    canaux: int
    experience: int
    diplome: int
    salaire: float


def _enchainer(premieres: list, suite):
    yield from premieres
    yield from suite


def pourvus(resumes: list[Resume]) -> list[tuple[date, int]]:
    """(opening date, days to fill) of the filled requisitions (a filled one is closed)."""
    return [(r.ouverture, r.delai) for r in resumes if r.statut == "pourvu" and r.delai is not None]


def _role(cause: str, mesures: dict[str, Any]) -> dict[str, Any]:
    """A role's truth: the company's planted cause where its drawn requisitions show a
    difficulty by the thresholds of ``[sql.diagnostic]`` (median time to fill or share of
    closed requisitions abandoned above them), else none: ``pas_de_difficulte`` (a small
    role, or a quick occupation such as order picking, fills fast even with the company's
    flaws), or ``non_mesurable`` when none of its requisitions is closed yet."""
    seuils = parametres()["sql"]["diagnostic"]
    clos = mesures["pourvus"] + mesures["abandonnes"]
    delai = mesures["delai_pourvoi_median_jours"]
    difficulte = clos > 0 and ((delai is not None and delai > seuils["difficulte_delai_jours"])
                               or mesures["abandonnes"] / clos > seuils["difficulte_taux_abandon"])
    constat = cause if difficulte else ("pas_de_difficulte" if clos else "non_mesurable")
    return {"cause": constat, "cause_plantee": cause, "difficulte": difficulte, **mesures}


def _mediane(compte: Counter) -> float:
    return statistics.median(compte.elements())


def _mesures(resumes: list[Resume], compteurs: dict[str, Counter],
             medianes: dict[str, float | None] | None) -> dict[str, Any]:
    """Raw figures of a set of requisitions, as computed from the workbook itself."""
    delais = [delai for _, delai in pourvus(resumes)]
    entretiens = compteurs["entretiens"]
    mesures: dict[str, Any] = {
        "recrutements": len(resumes), "pourvus": len(delais),
        "abandonnes": sum(r.statut == "abandonne" for r in resumes),
        "ouverts": sum(r.statut == "ouvert" for r in resumes),
        "candidatures": sum(r.candidatures for r in resumes),
        "candidatures_par_recrutement_median": statistics.median(r.candidatures for r in resumes),
        "delai_pourvoi_median_jours": statistics.median(delais) if delais else None,
        "part_salaire_affiche": round(sum(r.affiche for r in resumes) / len(resumes), 3),
        "canaux_par_recrutement_moyen": round(sum(r.canaux for r in resumes) / len(resumes), 2),
        "experience_requise_mediane": statistics.median(r.experience for r in resumes),
        "diplome_requis_median": statistics.median(r.diplome for r in resumes),
        "delais_etapes_medians_jours": {nom: _mediane(compteurs[nom]) for nom in ECARTS if compteurs[nom]},
        "taux_desistement_apres_entretien": (round(entretiens[True] / (entretiens[True] + entretiens[False]), 3)
                                             if entretiens else None),
        "desistements_apres_proposition": compteurs["desistements_apres_proposition"][True],
    }
    salaire_marche = medianes["salaire_mensuel"] if medianes else None
    if salaire_marche is not None:
        mesures["salaire_relatif_marche"] = round(statistics.median(r.salaire for r in resumes) / salaire_marche, 3)
    return mesures
