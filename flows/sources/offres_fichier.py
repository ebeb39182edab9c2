"""Offers exported from job boards or ATS (CSV or XLSX) → ``brut.offres_fichier``.

Each platform is declared in ``config/sources_offres.toml``: reading hints and which
header of its export feeds which column, so that a new board needs no code. A file's
platform is the one the user forced, else the only one whose declared headers are all
in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from flows.confidentialite import masquer_coordonnees
from flows.config import lignes_par_lot, parametres, sources_offres
from flows.erreurs import ErreurUtilisateur
from flows.lecture.classeurs import (
    Classeur,
    LectureFeuille,
    est_classeur,
    ouvrir_classeur,
    trouver_feuille,
)
from flows.lecture.fichiers import Flux, examiner, lire_csv_flux, lire_octets, verifier_fichier
from flows.lecture.genres import entete_flux
from flows.lecture.libelles import lire_experience_mois, lire_salaire, lire_temps_plein
from flows.lecture.lots import Contexte, Lot, Rejet, Table, empreinte, fusionner_lots
from flows.lecture.valeurs import (
    ValeurInvalide,
    cite,
    cites,
    date_plausible,
    lire_booleen,
    lire_code_rome,
    lire_commune,
    lire_date,
    lire_decimal_positif,
    lire_effectif,
    lire_niveau_diplome,
    normaliser_nom_colonne,
    obligatoire,
    texte,
    valider,
    vide,
)

SOURCE = "offres-fichier"
FICHIER_CONFIG = "config/sources_offres.toml"

# Columns a platform may map (target -> what the export's column holds), in the order of
# donnees/modeles/offres-fichier.md.
CIBLES = {
    "offre_id": "identifiant de l'offre sur la plateforme (obligatoire)",
    "intitule": "intitulé du poste",
    "description": "texte de l'annonce",
    "rome_code": "code ROME",
    "date_creation": "date de publication",
    "date_actualisation": "date de mise à jour",
    "commune_insee": "code commune INSEE du lieu de travail",
    "entreprise_nom": "nom de l'employeur",
    "type_contrat": "type de contrat, tel quel (CDI, CDD, Intérim…)",
    "duree_contrat_mois": "durée du contrat en mois",
    "temps_travail": "temps de travail (« Temps plein », « Temps partiel », « 35H/semaine », oui/non)",
    "salaire_libelle": "salaire en texte (« Mensuel de 2000 Euros à 2400 Euros »)",
    "salaire_min": "salaire minimum en nombre (période : salaire_periode)",
    "salaire_max": "salaire maximum en nombre (période : salaire_periode)",
    "experience_libelle": "expérience en texte (« Débutant accepté », « 2 ans »)",
    "experience_mois": "expérience demandée en mois",
    "experience_annees": "expérience demandée en années",
    "niveau_diplome": "niveau de diplôme (1 à 8 ou libellé : CAP, Bac+2, Master…)",
    "nombre_postes": "nombre de postes",
    "url": "lien vers l'annonce",
}
OPTIONS = {"libelle", "format_date", "feuille", "encodage", "salaire_periode", "colonnes"}
PERIODES = ("mensuel", "annuel", "horaire")


# --------------------------------------------------------------------------- configuration

def plateformes() -> dict[str, dict[str, Any]]:
    """The declared platforms, checked: a mistake in the file is a French error naming it."""
    declarees = sources_offres().get("plateformes", {})
    for nom, p in declarees.items():
        def erreur(message: str, nom: str = nom) -> ErreurUtilisateur:
            return ErreurUtilisateur(f"{FICHIER_CONFIG}, plateforme {cite(nom)} : {message}")

        inconnues = set(p) - OPTIONS
        if inconnues:
            raise erreur(f"option(s) inconnue(s) : {', '.join(sorted(inconnues))} "
                         f"(possibles : {', '.join(sorted(OPTIONS))})")
        colonnes = p.get("colonnes", {})
        if "offre_id" not in colonnes:
            raise erreur("la colonne offre_id doit être déclarée dans [plateformes." + nom + ".colonnes]")
        cibles_inconnues = set(colonnes) - set(CIBLES)
        if cibles_inconnues:
            raise erreur(f"colonne(s) cible(s) inconnue(s) : {', '.join(sorted(cibles_inconnues))} "
                         f"(possibles : {', '.join(CIBLES)})")
        if ({"salaire_min", "salaire_max"} & set(colonnes)) and p.get("salaire_periode") not in PERIODES:
            raise erreur(f"salaire_periode doit valoir {', '.join(PERIODES)} quand salaire_min ou "
                         "salaire_max est déclaré")
    return declarees


def _format_lisible(format_date: str) -> str:
    for code, lisible in (("%d", "jj"), ("%m", "mm"), ("%Y", "aaaa"), ("%y", "aa"), ("%H", "hh"),
                          ("%M", "mn"), ("%S", "ss")):
        format_date = format_date.replace(code, lisible)
    return format_date


def _lire_date(valeur: Any, format_date: str | None) -> date | None:
    """A date cell of a workbook as is; text in the platform's declared format."""
    if vide(valeur):
        return None
    if isinstance(valeur, date) or not format_date:
        return lire_date(valeur)
    try:
        jour = datetime.strptime(str(valeur).strip(), format_date).date()
    except ValueError:
        raise ValeurInvalide(
            f"date illisible {cite(valeur)} (format attendu {_format_lisible(format_date)})") from None
    return date_plausible(jour, str(valeur).strip())


def _masque(valeur: Any) -> str | None:
    return masquer_coordonnees(texte(valeur))


def _regles(p: dict[str, Any], contexte: Contexte) -> dict[str, Any]:
    """Parser of each mapped column, keyed by the export's header."""
    lecteurs = {
        "offre_id": obligatoire(texte),
        "intitule": _masque,
        "description": _masque,
        "rome_code": partial(lire_code_rome, contexte=contexte),
        "date_creation": partial(_lire_date, format_date=p.get("format_date")),
        "date_actualisation": partial(_lire_date, format_date=p.get("format_date")),
        "commune_insee": partial(lire_commune, contexte=contexte),
        "entreprise_nom": texte,
        "type_contrat": texte,
        "duree_contrat_mois": lire_decimal_positif,
        "temps_travail": texte,
        "salaire_libelle": texte,
        "salaire_min": lire_decimal_positif,
        "salaire_max": lire_decimal_positif,
        "experience_libelle": texte,
        "experience_mois": lire_decimal_positif,
        "experience_annees": lire_decimal_positif,
        "niveau_diplome": lire_niveau_diplome,
        "nombre_postes": partial(lire_effectif, masque=None),
        "url": texte,
    }
    return {entete: lecteurs[cible] for cible, entete in p["colonnes"].items()}


# --------------------------------------------------------------------------- recognition

def _feuille(feuilles: Classeur, p: dict[str, Any]) -> str | None:
    """The platform's declared sheet, else the first one a person sees (a hidden sheet
    holds lists or old data; the first sheet of all when every one is hidden)."""
    if p.get("feuille"):
        return trouver_feuille(feuilles, p["feuille"])
    return next(iter(feuilles.visibles() or feuilles), None)


def _entete_feuille(feuilles: Classeur, p: dict[str, Any]) -> set[str]:
    nom = _feuille(feuilles, p)
    lignes = feuilles.rangs(nom) if nom else iter(())
    premiere: list[Any] = next((ligne for ligne in lignes if any(not vide(c) for c in ligne)), [])
    return {normaliser_nom_colonne(str(c)) for c in premiere if not vide(c)}


def _manquantes(entete: set[str], p: dict[str, Any]) -> list[str]:
    return [e for e in p["colonnes"].values() if normaliser_nom_colonne(e) not in entete]


def _reconnaitre(entetes: dict[str, set[str]], connues: dict[str, dict],
                 feuilles: Classeur | None) -> str | Rejet:
    """The only platform whose declared headers are all present, else the reject saying why
    (for a workbook, a platform's declared sheet may be what is missing)."""
    candidates = [nom for nom in connues if not _manquantes(entetes[nom], connues[nom])]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        return Rejet(1, "(fichier)", None,
                     f"plusieurs plateformes correspondent à l'en-tête du fichier : {', '.join(candidates)} ; "
                     "précisez laquelle (option --plateforme)")
    details = []
    for nom, p in connues.items():
        if feuilles is not None and _feuille(feuilles, p) is None:
            details.append(f"{nom} = {p.get('libelle', nom)} (feuille {cite(p['feuille'])} absente du classeur ; "
                           f"feuilles trouvées : {cites(feuilles)})")
            continue
        manque = _manquantes(entetes[nom], p)
        details.append(f"{nom} = {p.get('libelle', nom)} (colonne(s) absente(s) : "
                       + ", ".join(cite(m) for m in manque[:4]) + (" …" if len(manque) > 4 else "") + ")")
    return Rejet(1, "(fichier)", None,
                 "aucune plateforme connue ne correspond à l'en-tête du fichier ; plateformes déclarées dans "
                 f"{FICHIER_CONFIG} : " + " ; ".join(details))


# --------------------------------------------------------------------------- reading

def _mensuel(montant: float, periode: str) -> float:
    if periode == "annuel":
        return montant / 12
    if periode == "horaire":
        return montant * parametres()["salaires"]["heures_mensuelles"]
    return montant


def _temps_plein(libelle: str | None) -> bool | None:
    plein = lire_temps_plein(libelle, libelle)
    if plein is None and libelle:
        try:
            plein = lire_booleen(libelle)
        except ValeurInvalide:
            return None
    return plein


def _ligne(nom: str, p: dict[str, Any], v: dict[str, Any], numero: int,
           rejets: list[Rejet]) -> dict[str, Any] | None:
    """The typed row of ``brut.offres_fichier`` from the parsed values ``v`` (by target)."""
    periode: str | None = None
    bas: float | None = None
    haut: float | None = None
    if v.get("salaire_libelle"):
        salaire = lire_salaire(v["salaire_libelle"])
        if salaire:
            periode, bas, haut = salaire.periode, salaire.min_mensuel, salaire.max_mensuel
    elif v.get("salaire_min") is not None or v.get("salaire_max") is not None:
        periode = p["salaire_periode"]
        minimum: float = v["salaire_min"] if v.get("salaire_min") is not None else v["salaire_max"]
        maximum: float = v["salaire_max"] if v.get("salaire_max") is not None else minimum
        if minimum > maximum:
            rejets.append(Rejet(numero, p["colonnes"]["salaire_min"], str(v["salaire_min"]),
                                f"salaire minimum supérieur au maximum ({cite(v['salaire_max'])})"))
            return None
        bas, haut = _mensuel(minimum, p["salaire_periode"]), _mensuel(maximum, p["salaire_periode"])
    if v.get("experience_mois") is not None:
        experience = v["experience_mois"]
    elif v.get("experience_annees") is not None:
        experience = v["experience_annees"] * 12
    else:
        experience = lire_experience_mois(v.get("experience_libelle"))
    return {
        "plateforme": nom,
        **{c: v.get(c) for c in ("offre_id", "intitule", "description", "rome_code", "date_creation",
                                 "date_actualisation", "commune_insee", "entreprise_nom", "type_contrat",
                                 "duree_contrat_mois")},
        "temps_travail_libelle": v.get("temps_travail"),
        "temps_plein": _temps_plein(v.get("temps_travail")),
        "salaire_libelle": v.get("salaire_libelle"),
        "salaire_periode": periode,
        "salaire_min_mensuel": bas,
        "salaire_max_mensuel": haut,
        "experience_libelle": v.get("experience_libelle"),
        "experience_mois": experience,
        "niveau_diplome": v.get("niveau_diplome"),
        "nombre_postes": v.get("nombre_postes"),
        "url": v.get("url"),
        "_version": v.get("date_actualisation") or v.get("date_creation"),
        "_ligne": numero,
        "_chemin_json": None,
    }


def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse one job-board or ATS export into a ``Lot``."""
    return fusionner_lots(lire_par_lots(chemin, contexte))


def lire_par_lots(chemin: Path, contexte: Contexte) -> Iterator[Lot]:
    """Parse one job-board or ATS export into ``Lot``s, by batches of at most
    ``lignes_par_lot`` rows: the rows of a CSV or of a workbook are never held whole."""
    connues = plateformes()
    if contexte.plateforme and contexte.plateforme not in connues:
        raise ErreurUtilisateur(f"plateforme inconnue {cite(contexte.plateforme)} ; plateformes déclarées "
                                f"dans {FICHIER_CONFIG} : {', '.join(connues)}")
    with verifier_fichier(chemin).open("rb") as f:
        classeur = est_classeur(f.read(8))
    if classeur:
        yield from _lire_classeur(chemin, contexte, connues)
        return
    flux: dict[str | None, Flux] = {}

    def flux_de(encodage: str | None) -> Flux:  # the file is examined once per declared encoding
        if encodage not in flux:
            flux[encodage] = examiner(chemin, encodage)
        return flux[encodage]

    entetes = {nom: set(entete_flux(flux_de(p.get("encodage")))[0]) for nom, p in connues.items()}
    nom = contexte.plateforme or _reconnaitre(entetes, connues, None)
    if isinstance(nom, Rejet):
        yield Lot(SOURCE, Path(chemin), flux_de(None).sha256, [_table([])], [nom])
        return
    p = connues[nom]
    texte = flux_de(p.get("encodage"))
    lecture = lire_csv_flux(texte, list(p["colonnes"].values()), explicite=bool(p.get("encodage")))
    remarques = [f"plateforme : {nom}", *lecture.remarques]
    validation = _Validation(nom, p, contexte)
    for rangees, rejets in lecture.par_lots(lignes_par_lot()):
        lot = Lot(SOURCE, Path(chemin), texte.sha256, rejets=rejets, remarques=remarques)
        lot.lignes_lues = len(rangees) + sum(r.champ == "(ligne)" for r in rejets)
        lot.tables.append(_table(validation(rangees, lot.rejets)))
        remarques = []
        yield lot


def _table(lignes: list[dict[str, Any]]) -> Table:
    return Table("brut.offres_fichier", lignes, ("plateforme", "offre_id"), version="_version")


def _lire_classeur(chemin: Path, contexte: Contexte, connues: dict[str, dict]) -> Iterator[Lot]:
    """A workbook export: the compressed file is held (its unzipped size is bounded by
    ``verifier_archive``), its rows are read and checked batch by batch like a CSV's."""
    contenu = lire_octets(chemin)
    lot = Lot(SOURCE, Path(chemin), empreinte(contenu))
    lot.tables.append(_table([]))
    try:
        feuilles = ouvrir_classeur(contenu)
    except ValeurInvalide as e:
        lot.rejets.append(Rejet(1, "(fichier)", None, str(e)))
        yield lot
        return
    entetes = {nom: _entete_feuille(feuilles, p) for nom, p in connues.items()}
    nom = contexte.plateforme or _reconnaitre(entetes, connues, feuilles)
    if isinstance(nom, Rejet):
        lot.rejets.append(nom)
        yield lot
        return
    p = connues[nom]
    remarques = [f"plateforme : {nom}"]
    if (feuille := _feuille(feuilles, p)) is None:
        lot.rejets.append(Rejet(1, "(fichier)", None, f"feuille {cite(p['feuille'])} absente du classeur "
                                f"(feuilles trouvées : {cites(feuilles)})"))
        lot.remarques.extend(remarques)
        yield lot
        return
    if not p.get("feuille") and feuilles.masquees:
        remarques.append(f"feuille lue : {cite(feuille)} ; feuille(s) masquée(s) non lue(s) : "
                         f"{cites(f for f in feuilles if f in feuilles.masquees)} (déclarez la feuille "
                         f"à lire, option feuille de {FICHIER_CONFIG}, si ce n'est pas la bonne)")
    lecture = LectureFeuille(feuilles.rangs(feuille), list(p["colonnes"].values()))
    remarques += lecture.remarques
    validation = _Validation(nom, p, contexte)
    for rangees, rejets in lecture.par_lots(lignes_par_lot()):
        lot = Lot(SOURCE, Path(chemin), lot.sha256, rejets=rejets, remarques=remarques)
        lot.lignes_lues = len(rangees)
        lot.tables.append(_table(validation(rangees, lot.rejets)))
        remarques = []
        yield lot


class _Validation:
    """The rows of one export checked and typed, batch after batch: an offer already read
    in an earlier batch of the file is a duplicate."""

    def __init__(self, nom: str, p: dict[str, Any], contexte: Contexte):
        self.nom, self.p = nom, p
        self.regles = _regles(p, contexte)
        self.cibles = {entete: cible for cible, entete in p["colonnes"].items()}
        self.vues: dict[str, int] = {}

    def __call__(self, rangees: list[tuple[int, dict[str, Any]]], rejets: list[Rejet]) -> list[dict[str, Any]]:
        nom, p, vues = self.nom, self.p, self.vues
        lignes = []
        for numero, rangee in rangees:
            brut = {entete: rangee.get(normaliser_nom_colonne(entete)) for entete in self.cibles}
            valeurs = valider(numero, brut, self.regles, rejets)
            if valeurs is None:
                continue
            ligne = _ligne(nom, p, {self.cibles[e]: x for e, x in valeurs.items()}, numero, rejets)
            if ligne is None:
                continue
            if ligne["offre_id"] in vues:
                rejets.append(Rejet(numero, p["colonnes"]["offre_id"], ligne["offre_id"],
                                    f"offre en double dans le fichier (déjà lue ligne {vues[ligne['offre_id']]})"))
                continue
            vues[ligne["offre_id"]] = numero
            lignes.append(ligne)
        return lignes
