"""A pilot company's hiring records (``donnees/modeles/guide-entreprise.md``): requisitions
→ ``brut.recrutements``, applications → ``brut.candidatures``, and the actions agreed with
the task force → ``brut.actions_pilote`` (their effect is followed by the analysis).

Input is either the workbook of ``donnees/modeles/modele-entreprise.xlsx`` (sheets
"recrutements" and "candidatures", optional "actions"; "guide" is ignored) or one CSV of
any of these kinds, told apart by its header. Candidates' identifiers are replaced by a salted hash as soon as they
are read; e-mail addresses and phone numbers are masked in every free text (titles,
descriptions, actions, reasons) and people's names in the reasons of refusals and
withdrawals (``flows.confidentialite.masquer_personnes``). In a workbook, rejects carry
the sheet name in ``chemin_json``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from flows.confidentialite import masquer_coordonnees, masquer_personnes, pseudonymiser
from flows.config import controles_entreprise, lignes_par_lot
from flows.formats import pluriel
from flows.lecture.classeurs import LectureFeuille, est_classeur, ouvrir_classeur, trouver_feuille
from flows.lecture.fichiers import examiner, lire_csv_flux, lire_octets, verifier_fichier
from flows.lecture.genres import entete_flux, reconnaitre
from flows.lecture.lots import Contexte, Lot, Rejet, Table, empreinte, fusionner_lots
from flows.lecture.valeurs import (
    ValeurInvalide,
    choix,
    cite,
    cites,
    lire_booleen,
    lire_code_rome,
    lire_commune,
    lire_date,
    lire_decimal_positif,
    lire_effectif,
    lire_niveau_diplome,
    normaliser_nom_colonne,
    obligatoire,
    sel_obligatoire,
    texte,
    valider,
    vide,
)

SOURCE = "entreprise"

RECRUTEMENTS = ["entreprise", "reference", "commune_site", "intitule", "code_rome", "date_ouverture",
                "date_cloture", "statut", "nombre_postes", "type_contrat", "duree_contrat_mois",
                "salaire_affiche", "salaire_min_mensuel", "salaire_max_mensuel",
                "experience_requise_annees", "diplome_requis", "canaux", "description", "competences"]
CANDIDATURES = ["entreprise", "reference_recrutement", "candidat", "canal", "date_reception",
                "date_preselection", "date_entretien", "date_proposition", "date_embauche",
                "date_desistement", "date_refus", "motif"]
ACTIONS = ["entreprise", "action", "date_debut", "indicateur_cible"]
CLE_RECRUTEMENTS = ("entreprise", "reference")
CLE_ACTIONS = ("entreprise", "action", "date_debut")
# Indicators an action can target (the follow-up measures them before and after).
INDICATEURS_CIBLES = choix("delai_pourvoi", "candidatures_par_recrutement", "taux_abandon",
                           "taux_desistement_apres_entretien",
                           synonymes={"délai de pourvoi": "delai_pourvoi", "délai": "delai_pourvoi"})
CLE_CANDIDATURES = ("entreprise", "reference_recrutement", "candidat_hash")

# Sourcing channels: slug -> other spellings accepted (matched without case or accents).
CANAUX = {
    "france_travail": ["France Travail", "Pôle emploi", "FT", "ANPE"],
    "apec": ["APEC"],
    "jobboard": ["Job board", "Site d'emploi", "Indeed", "HelloWork", "RegionsJob", "Monster",
                 "Welcome to the Jungle", "WTTJ", "Meteojob", "Cadremploi"],
    "site_carriere": ["Site carrière", "Site de l'entreprise", "Site internet", "Site web"],
    "reseaux_sociaux": ["Réseaux sociaux", "Réseau social", "LinkedIn", "Facebook", "Instagram"],
    "interim": ["Intérim", "Agence d'intérim", "Agence intérim", "Agence de travail temporaire", "ETT"],
    "cabinet": ["Cabinet de recrutement", "Chasseur de têtes"],
    "cooptation": ["Recommandation", "Parrainage", "Bouche à oreille"],
    "ecole": ["École", "Écoles", "Université", "Relations écoles", "CFA"],
    "salon": ["Forum", "Forum emploi", "Salon de l'emploi", "Job dating"],
    "spontanee": ["Spontané", "Candidature spontanée"],
}
lire_canal = choix(*CANAUX, synonymes={s: canal for canal, autres in CANAUX.items() for s in autres})

STATUTS = choix("pourvu", "abandonne", "ouvert",
                synonymes={"pourvue": "pourvu", "abandonnée": "abandonne", "annulé": "abandonne",
                           "en cours": "ouvert"})
CONTRATS = choix("CDI", "CDD", "intérim", "alternance", "stage", "saisonnier",
                 synonymes={"interim": "intérim", "MIS": "intérim", "mission d'intérim": "intérim",
                            "apprentissage": "alternance", "contrat d'apprentissage": "alternance",
                            "contrat de professionnalisation": "alternance",
                            "professionnalisation": "alternance", "CDD saisonnier": "saisonnier"})

# Hiring stages in the order they happen, with their French name.
ETAPES = {"date_reception": "date de réception", "date_preselection": "date de présélection",
          "date_entretien": "date d'entretien", "date_proposition": "date de proposition",
          "date_embauche": "date d'embauche"}
ISSUES = {"date_embauche": "embauche", "date_desistement": "désistement", "date_refus": "refus"}


def lire_liste(valeur: Any) -> list[str] | None:
    """Items separated by ``|`` (or by commas when there is no ``|``)."""
    if vide(valeur):
        return None
    separateur = "|" if "|" in str(valeur) else ","
    return [element.strip() for element in str(valeur).split(separateur) if element.strip()] or None


def lire_canaux(valeur: Any) -> list[str] | None:
    elements = lire_liste(valeur)
    if elements is None:
        return None
    canaux = [lire_canal(element) for element in elements]  # never None: elements are not blank
    return list(dict.fromkeys(canal for canal in canaux if canal))


def _masque(valeur: Any) -> str | None:
    return masquer_coordonnees(texte(valeur))


def _motif(valeur: Any) -> str | None:
    """The reason of a refusal or a withdrawal, without contacts nor people's names
    (``masquer_personnes`` says which words it takes for a name)."""
    return masquer_personnes(_masque(valeur))


def _jour(d: date) -> str:
    return f"{d:%d/%m/%Y}"


# --------------------------------------------------------------------------- requisitions

def _recrutements(lignes_lues: list[tuple[int, dict[str, Any]]], contexte: Contexte, feuille: str | None,
                  rejets: list[Rejet], vues: dict[tuple, int] | None = None) -> list[dict[str, Any]]:
    regles = {
        "entreprise": obligatoire(texte),
        "reference": obligatoire(texte),
        "commune_site": partial(lire_commune, contexte=contexte),
        "intitule": _masque,
        "code_rome": partial(lire_code_rome, contexte=contexte),
        "date_ouverture": obligatoire(lire_date),
        "date_cloture": lire_date,
        "statut": obligatoire(STATUTS),
        "nombre_postes": partial(lire_effectif, masque=None),
        "type_contrat": CONTRATS,
        "duree_contrat_mois": lire_decimal_positif,
        "salaire_affiche": lire_booleen,
        "salaire_min_mensuel": lire_decimal_positif,
        "salaire_max_mensuel": lire_decimal_positif,
        "experience_requise_annees": lire_decimal_positif,
        "diplome_requis": lire_niveau_diplome,
        "canaux": lire_canaux,
        "description": _masque,
        "competences": lire_liste,
    }
    lignes: list[dict[str, Any]] = []
    vues = {} if vues is None else vues
    for numero, brut in lignes_lues:
        ligne = valider(numero, brut, regles, rejets, feuille)
        if ligne is None:
            continue
        fautes = _incoherences_recrutement(ligne)
        if fautes:
            rejets.extend(Rejet(numero, champ, None if vide(brut.get(champ)) else str(brut[champ]), motif, feuille)
                          for champ, motif in fautes)
            continue
        cle = (ligne["entreprise"], ligne["reference"])
        if cle in vues:
            rejets.append(Rejet(numero, "reference", ligne["reference"],
                                f"recrutement en double dans le fichier : même entreprise et référence que "
                                f"la ligne {vues[cle]}", feuille))
            continue
        vues[cle] = numero
        annees = ligne.pop("experience_requise_annees")
        ligne["experience_requise_mois"] = None if annees is None else annees * 12
        lignes.append(ligne | {"_ligne": numero, "_chemin_json": feuille})
    return lignes


def _incoherences_recrutement(ligne: dict[str, Any]) -> list[tuple[str, str]]:
    """Faults between fields of a valid requisition, as ``(field, reason)``."""
    fautes = []
    ouverture, cloture, statut = ligne["date_ouverture"], ligne["date_cloture"], ligne["statut"]
    if statut in ("pourvu", "abandonne") and cloture is None:
        fautes.append(("date_cloture", f"date de clôture obligatoire quand le statut est {cite(statut)}"))
    if statut == "ouvert" and cloture is not None:
        fautes.append(("date_cloture", "date de clôture renseignée alors que le statut est « ouvert » "
                                       "(videz-la ou indiquez « pourvu » ou « abandonne »)"))
    if cloture is not None and cloture < ouverture:
        fautes.append(("date_cloture",
                       f"date de clôture antérieure à la date d'ouverture ({cite(_jour(ouverture))})"))
    fautes += _dans_le_futur(ligne, {"date_ouverture": "date d'ouverture", "date_cloture": "date de clôture"})
    bas, haut = ligne["salaire_min_mensuel"], ligne["salaire_max_mensuel"]
    if bas is not None and haut is not None and bas > haut:
        fautes.append(("salaire_min_mensuel", f"salaire minimum supérieur au maximum ({cite(format(haut, 'g'))})"))
    return fautes


def _dans_le_futur(ligne: dict[str, Any], champs: dict[str, str]) -> list[tuple[str, str]]:
    """Dates of past events (an opening, a stage of an application, a closure) after the day
    of the load plus the tolerance of ``[entreprise]``, as ``(field, reason)``."""
    tolerance = controles_entreprise()["futur_tolerance_jours"]
    limite = date.today() + timedelta(days=tolerance)
    return [(champ, f"{nom} ({cite(_jour(ligne[champ]))}) dans le futur : postérieure au jour du chargement "
                    f"({_jour(date.today())}) de plus de {pluriel(tolerance, 'jour')} (un fait passé ; tolérance "
                    "futur_tolerance_jours de la section [entreprise] de config/parametres.toml)")
            for champ, nom in champs.items() if ligne[champ] is not None and ligne[champ] > limite]


# --------------------------------------------------------------------------- applications

def _candidatures(lignes_lues: list[tuple[int, dict[str, Any]]], contexte: Contexte, sel: bytes,
                  feuille: str | None, references: set[tuple[str | None, str | None]] | None,
                  rejets: list[Rejet], vues: dict[tuple, int] | None = None) -> list[dict[str, Any]]:
    """Typed applications; with ``references`` (a workbook), each must name a requisition
    of the recrutements sheet. ``vues``: the keys already read in the file (earlier batches)."""
    regles = {
        "entreprise": obligatoire(texte),
        "reference_recrutement": obligatoire(texte),
        "candidat": obligatoire(lambda identifiant: pseudonymiser(str(identifiant), sel)),
        "canal": lire_canal,
        "date_reception": obligatoire(lire_date),
        "date_preselection": lire_date,
        "date_entretien": lire_date,
        "date_proposition": lire_date,
        "date_embauche": lire_date,
        "date_desistement": lire_date,
        "date_refus": lire_date,
        "motif": _motif,
    }
    lignes: list[dict[str, Any]] = []
    vues = {} if vues is None else vues
    for numero, brut in lignes_lues:
        ligne = valider(numero, brut, regles, rejets, feuille)
        if ligne is None:
            continue
        fautes = _incoherences_candidature(ligne)
        if references is not None and (ligne["entreprise"], ligne["reference_recrutement"]) not in references:
            fautes.append(("reference_recrutement", "recrutement absent de la feuille recrutements "
                                                    "(même entreprise et référence attendues)"))
        if fautes:
            rejets.extend(Rejet(numero, champ, None if vide(brut.get(champ)) else str(brut[champ]), motif, feuille)
                          for champ, motif in fautes)
            continue
        ligne["candidat_hash"] = ligne.pop("candidat")
        cle = tuple(ligne[c] for c in CLE_CANDIDATURES)
        if cle in vues:
            rejets.append(Rejet(numero, "candidat", None,
                                "candidature en double dans le fichier : même entreprise, recrutement et "
                                f"candidat que la ligne {vues[cle]}", feuille))
            continue
        vues[cle] = numero
        lignes.append(ligne | {"_ligne": numero, "_chemin_json": feuille})
    return lignes


def _incoherences_candidature(ligne: dict[str, Any]) -> list[tuple[str, str]]:
    """Stages out of order and contradictory outcomes, as ``(field, reason)``."""
    fautes = []
    precedente = "date_reception"
    for etape in list(ETAPES)[1:]:
        if ligne[etape] is None:
            continue
        if ligne[etape] < ligne[precedente]:
            fautes.append((etape, f"{ETAPES[etape]} ({cite(_jour(ligne[etape]))}) antérieure à la "
                                  f"{ETAPES[precedente]} ({cite(_jour(ligne[precedente]))}) : les étapes se suivent "
                                  "(réception, présélection, entretien, proposition, embauche)"))
        precedente = etape
    for champ, nom in (("date_desistement", "date de désistement"), ("date_refus", "date de refus")):
        if ligne[champ] is not None and ligne[champ] < ligne["date_reception"]:
            fautes.append((champ, f"{nom} ({cite(_jour(ligne[champ]))}) antérieure à la date de réception "
                                  f"({cite(_jour(ligne['date_reception']))})"))
    fautes += _dans_le_futur(ligne, {**ETAPES, "date_desistement": "date de désistement", "date_refus": "date de refus"})
    issues = [nom for champ, nom in ISSUES.items() if ligne[champ] is not None]
    if len(issues) > 1:
        fautes.append(("date_refus" if ligne["date_refus"] else "date_desistement",
                       f"issues incompatibles : {' et '.join(issues)} (une candidature se termine par "
                       "une embauche, un désistement ou un refus)"))
    return fautes


# --------------------------------------------------------------------------- actions

def _actions(lignes_lues: list[tuple[int, dict[str, Any]]], feuille: str | None,
             rejets: list[Rejet], vues: dict[tuple, int] | None = None) -> list[dict[str, Any]]:
    regles = {"entreprise": obligatoire(texte), "action": obligatoire(_masque),
              "date_debut": obligatoire(lire_date), "indicateur_cible": obligatoire(INDICATEURS_CIBLES)}
    lignes: list[dict[str, Any]] = []
    vues = {} if vues is None else vues
    for numero, brut in lignes_lues:
        ligne = valider(numero, brut, regles, rejets, feuille)
        if ligne is None:
            continue
        cle = tuple(ligne[c] for c in CLE_ACTIONS)
        if cle in vues:
            rejets.append(Rejet(numero, "action", ligne["action"],
                                f"action en double (déjà à la ligne {vues[cle]})", feuille))
            continue
        vues[cle] = numero
        lignes.append(ligne | {"_ligne": numero, "_chemin_json": feuille})
    return lignes


# --------------------------------------------------------------------------- files

def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse a company's workbook, or one CSV of requisitions or applications, into a ``Lot``."""
    return fusionner_lots(lire_par_lots(chemin, contexte))


def lire_par_lots(chemin: Path, contexte: Contexte) -> Iterator[Lot]:
    """The same in ``Lot``s of at most ``lignes_par_lot`` applications (the many rows): a
    workbook's requisitions and actions, and the checks across its sheets, come last."""
    sel = sel_obligatoire(contexte)
    with verifier_fichier(chemin).open("rb") as f:
        classeur = est_classeur(f.read(8))
    lots = _lots_classeur if classeur else _lots_csv
    yield from lots(Path(chemin), contexte, sel)


def _lot(chemin: Path, sha256: str, recrutements: list | None = None, candidatures: list | None = None,
         actions: list | None = None, **autres: Any) -> Lot:
    return Lot(SOURCE, chemin, sha256, [Table("brut.recrutements", recrutements or [], CLE_RECRUTEMENTS),
                                        Table("brut.candidatures", candidatures or [], CLE_CANDIDATURES),
                                        Table("brut.actions_pilote", actions or [], CLE_ACTIONS)], **autres)


def _lots_classeur(chemin: Path, contexte: Contexte, sel: bytes) -> Iterator[Lot]:
    contenu = lire_octets(chemin)
    sha256 = empreinte(contenu)
    fin = _lot(chemin, sha256)  # the last batch: requisitions, actions, checks across sheets
    try:
        feuilles = ouvrir_classeur(contenu)
    except ValeurInvalide as e:
        fin.rejets.append(Rejet(1, "(fichier)", None, str(e)))
        yield fin
        return
    noms = {genre: trouver_feuille(feuilles, genre) for genre in ("recrutements", "candidatures", "actions")}
    ignorees = [f for f in feuilles if f not in noms.values() and normaliser_nom_colonne(f) != "guide"]
    if ignorees:
        fin.remarques.append("feuille(s) ignorée(s) : " + ", ".join(ignorees))
    for genre in ("recrutements", "candidatures"):
        if noms[genre] is None:
            fin.rejets.append(Rejet(1, "(fichier)", None, f"feuille {cite(genre)} absente du classeur "
                                    f"(feuilles trouvées : {cites(feuilles)})"))

    def lire_genre(genre: str, colonnes: list[str]) -> LectureFeuille | None:
        if noms[genre] is None:
            return None
        lecture = LectureFeuille(feuilles.rangs(noms[genre]), colonnes)  # type: ignore[arg-type]
        if lecture.faute:
            lecture.faute.chemin_json = genre
        fin.remarques.extend(f"{genre} : {r}" for r in lecture.remarques)
        return lecture

    lecture = lire_genre("recrutements", RECRUTEMENTS)
    lus = _tout(lecture, "recrutements", fin)
    recrutements = _recrutements(lus, contexte, "recrutements", fin.rejets)
    references = None if lecture is None else {(texte(b.get("entreprise")), texte(b.get("reference")))
                                               for _, b in lus}
    par_cle = {(r["entreprise"], r["reference"]): r for r in recrutements}
    embauches: dict[tuple, list[int]] = {}
    if (lecture := lire_genre("candidatures", CANDIDATURES)) is not None:
        vues: dict[tuple, int] = {}
        for rangees, rejets in lecture.par_lots(lignes_par_lot()):
            for rejet in rejets:
                rejet.chemin_json = "candidatures"
            lot = _lot(chemin, sha256, rejets=rejets, lignes_lues=len(rangees))
            candidatures = _candidatures(rangees, contexte, sel, "candidatures", references, lot.rejets, vues)
            if references is not None:
                candidatures = _embauches_coherentes(par_cle, candidatures, lot.rejets)
                _embauches_lues(rangees, embauches)
            lot.tables[1].lignes.extend(candidatures)
            yield lot
    if references is not None and lecture is not None:
        recrutements = _pourvus_avec_embauche(recrutements, embauches, fin.rejets)
    actions = _actions(_tout(lire_genre("actions", ACTIONS), "actions", fin), "actions", fin.rejets)
    fin.tables[0].lignes.extend(recrutements)
    fin.tables[2].lignes.extend(actions)
    yield fin


def _tout(lecture: LectureFeuille | None, genre: str, lot: Lot) -> list[tuple[int, dict[str, Any]]]:
    """Every row of a small sheet (requisitions, actions), counted as read in ``lot``."""
    if lecture is None:
        return []
    if lecture.faute:
        lot.rejets.append(lecture.faute)
        return []
    lignes = [r for r in lecture.rangees() if not isinstance(r, Rejet)]
    lot.lignes_lues += len(lignes)
    return lignes


def _embauches_coherentes(par_cle: dict[tuple, dict[str, Any]], candidatures: list[dict[str, Any]],
                          rejets: list[Rejet]) -> list[dict[str, Any]]:
    """The applications whose hire fits their requisition (recrutements sheet): not before
    it opened, not long after it closed (``[entreprise]`` embauche_apres_cloture_jours), not
    in an abandoned one; each reason names the requisition's line."""
    delai = controles_entreprise()["embauche_apres_cloture_jours"]
    gardees = []
    for c in candidatures:
        r, embauche = par_cle.get((c["entreprise"], c["reference_recrutement"])), c["date_embauche"]
        if r is None or embauche is None:
            gardees.append(c)
            continue
        lieu = f"feuille recrutements, ligne {r['_ligne']}"
        motif = None
        if embauche < r["date_ouverture"]:
            motif = f"antérieure à l'ouverture du recrutement ({cite(_jour(r['date_ouverture']))}, {lieu})"
        elif r["date_cloture"] is not None and embauche > r["date_cloture"] + timedelta(days=delai):
            motif = (f"postérieure de plus de {pluriel(delai, 'jour')} à la clôture du recrutement "
                     f"({cite(_jour(r['date_cloture']))}, {lieu} ; délai embauche_apres_cloture_jours de la "
                     "section [entreprise] de config/parametres.toml)")
        elif r["statut"] == "abandonne":
            motif = f"alors que le recrutement est abandonné ({lieu})"
        if motif is None:
            gardees.append(c)
        else:
            rejets.append(Rejet(c["_ligne"], "date_embauche", _jour(embauche),
                                f"date d'embauche ({cite(_jour(embauche))}) {motif}", "candidatures"))
    return gardees


def _embauches_lues(brutes: list[tuple[int, dict[str, Any]]], embauches: dict[tuple, list[int]]) -> None:
    """Adds the applications of the candidatures sheet (read, valid or not) that show a hire."""
    for numero, brut in brutes:
        if not vide(brut.get("date_embauche")):
            embauches.setdefault((texte(brut.get("entreprise")), texte(brut.get("reference_recrutement"))),
                                 []).append(numero)


def _pourvus_avec_embauche(recrutements: list[dict[str, Any]], embauches: dict[tuple, list[int]],
                           rejets: list[Rejet]) -> list[dict[str, Any]]:
    """A requisition « pourvu » needs an application of the candidatures sheet showing a hire."""
    retenus = []
    for r in recrutements:
        if r["statut"] == "pourvu" and not embauches.get((r["entreprise"], r["reference"])):
            rejets.append(Rejet(r["_ligne"], "statut", r["statut"], (
                "statut « pourvu » sans embauche : aucune candidature de la feuille candidatures n'a de "
                "date d'embauche pour ce recrutement (ajoutez-la, ou corrigez le statut)"), "recrutements"))
        else:
            retenus.append(r)
    return retenus


def _lots_csv(chemin: Path, contexte: Contexte, sel: bytes) -> Iterator[Lot]:
    """One CSV of a single kind, in batches."""
    flux = examiner(chemin)
    genres = {"recrutements": RECRUTEMENTS, "candidatures": CANDIDATURES, "actions": ACTIONS}
    try:
        genre = reconnaitre(entete_flux(flux)[0], genres)
    except ValeurInvalide as e:
        yield _lot(chemin, flux.sha256, rejets=[Rejet(1, "(fichier)", None, str(e))])
        return
    lecture = lire_csv_flux(flux, genres[genre])
    remarques = lecture.remarques
    vues: dict[tuple, int] = {}
    for lignes, rejets in lecture.par_lots(lignes_par_lot()):
        lot = _lot(chemin, flux.sha256, rejets=rejets, remarques=remarques,
                   lignes_lues=len(lignes) + sum(r.champ == "(ligne)" for r in rejets))
        remarques = []
        if genre == "recrutements":
            lot.tables[0].lignes.extend(_recrutements(lignes, contexte, None, lot.rejets, vues))
        elif genre == "candidatures":
            lot.tables[1].lignes.extend(_candidatures(lignes, contexte, sel, None, None, lot.rejets, vues))
        else:
            lot.tables[2].lignes.extend(_actions(lignes, None, lot.rejets, vues))
        yield lot
