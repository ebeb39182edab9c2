"""France Travail "Offres d'emploi v2" offers: API response bodies
(``{"resultats": [...]}``), bare JSON arrays of offers, and JSON lines.

Every field of the API is kept, typed, in ``brut.offres_ft``; nested lists go to child
tables. Recruiters' contacts (``contact``, ``agence``) are not read at all, and e-mail
addresses or phone numbers written into free text are masked. A truncated file keeps the
offers before the cut.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flows.confidentialite import masquer_coordonnees
from flows.lecture.fichiers import erreur_json, lire_octets
from flows.lecture.libelles import (
    lire_duree_contrat_mois,
    lire_experience_mois,
    lire_salaire,
    lire_temps_plein,
)
from flows.lecture.lots import Contexte, Lot, Rejet, Table, empreinte
from flows.lecture.valeurs import (
    ValeurInvalide,
    cite,
    cites,
    lire_booleen,
    lire_code_rome,
    lire_commune,
    lire_decimal,
    lire_effectif,
    lire_horodatage,
    vide,
)

SOURCE = "offres-ft"

# child table -> (offer field, {column: field of each element})
ENFANTS = {
    "brut.offres_ft_competences": ("competences", {"code": "code", "libelle": "libelle", "exigence": "exigence"}),
    "brut.offres_ft_formations": ("formations", {
        "code_formation": "codeFormation", "domaine_libelle": "domaineLibelle",
        "niveau_libelle": "niveauLibelle", "commentaire": "commentaire", "exigence": "exigence"}),
    "brut.offres_ft_langues": ("langues", {"libelle": "libelle", "exigence": "exigence"}),
    "brut.offres_ft_permis": ("permis", {"libelle": "libelle", "exigence": "exigence"}),
    "brut.offres_ft_qualites": ("qualitesProfessionnelles", {"libelle": "libelle", "description": "description"}),
}


class ObjetJson(dict[str, Any]):
    """A JSON object in which a key appears more than once with different values: it keeps
    the first (as DuckDB does) and ``doublons`` holds every value of each such key."""

    doublons: dict[str, list[Any]]


def _objet(paires: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: a plain dict, or an ``ObjetJson`` when a key repeats with
    another value (a key repeated with the same value loses nothing)."""
    objet: dict[str, Any] = {}
    doublons: dict[str, list[Any]] = {}
    for cle, valeur in paires:
        if cle not in objet:
            objet[cle] = valeur
        elif valeur != objet[cle] and valeur not in doublons.get(cle, [objet[cle]]):
            doublons.setdefault(cle, [objet[cle]]).append(valeur)
    if not doublons:
        return objet
    double = ObjetJson(objet)
    double.doublons = doublons
    return double


def cles_en_double(valeur: Any, chemin: str = "") -> list[str]:
    """Paths (``intitule``, ``lieuTravail.commune``, ``competences[1].libelle``) of the keys
    that appear more than once with different values in an offer."""
    if isinstance(valeur, list):
        return [c for rang, v in enumerate(valeur) for c in cles_en_double(v, f"{chemin}[{rang}]")]
    if not isinstance(valeur, dict):
        return []
    prefixe = f"{chemin}." if chemin else ""
    trouves = [prefixe + cle for cle in getattr(valeur, "doublons", {})]
    return trouves + [c for cle, v in valeur.items() if isinstance(v, dict | list)
                      for c in cles_en_double(v, prefixe + cle)]


TROP_IMBRIQUE = ("JSON trop imbriqué : des objets ou des listes les uns dans les autres sur des milliers de "
                 "niveaux (fichier piégé ou corrompu ?) : refusé, non lu")


class JsonTronque(Exception):
    def __init__(self, erreur: json.JSONDecodeError):
        self.erreur = erreur


class LigneRefusee:
    """A line of JSON lines that is not read (``motif``: why, in French)."""

    def __init__(self, motif: str):
        self.motif = motif


def _elements_tableau(texte: str, debut: int) -> Iterator[tuple[int, Any]]:
    """Decode the elements of the JSON array opening at ``texte[debut]`` one by one, so
    that a truncated file still yields its complete elements."""
    decodeur = json.JSONDecoder(object_pairs_hook=_objet)
    position, indice = debut + 1, 0
    while True:
        while position < len(texte) and texte[position] in " \t\r\n,":
            position += 1
        if position < len(texte) and texte[position] == "]":
            return
        try:
            element, position = decodeur.raw_decode(texte, position)
        except RecursionError:
            raise ValueError(TROP_IMBRIQUE) from None
        except json.JSONDecodeError as e:
            raise JsonTronque(e) from e
        yield indice, element
        indice += 1


def offres_du_document(texte: str) -> Iterator[tuple[int | None, str, Any]]:
    """Yield ``(line, JSON path, offer)`` from any of the three accepted shapes.

    Raises ``JsonTronque`` after the last complete offer of a cut file, and ``ValueError``
    (French message) for JSON of another shape.
    """
    debut = texte.lstrip()
    if not debut:
        raise ValueError("fichier vide")
    try:
        document = json.loads(texte, object_pairs_hook=_objet)
    except RecursionError:
        raise ValueError(TROP_IMBRIQUE) from None
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and debut.startswith("{"):
            yield from _lignes_json(texte)
            return
        yield from _recuperer(texte, e)
        return
    if isinstance(document, list):
        for i, offre in enumerate(document):
            yield None, f"[{i}]", offre
    elif isinstance(document, dict) and isinstance(document.get("resultats"), list):
        listes = getattr(document, "doublons", {}).get("resultats", [document["resultats"]])
        for rang, liste in enumerate(listes, start=1):
            if not isinstance(liste, list):
                raise ValueError(f"clé « resultats » présente {len(listes)} fois dans la page, la {rang}e n'étant "
                                 "pas une liste d'offres : page ambiguë, refusée, non lue")
            prefixe = "resultats" if rang == 1 else f"resultats({rang})"
            for i, offre in enumerate(liste):
                yield None, f"{prefixe}[{i}]", offre
    elif isinstance(document, dict) and "id" in document and "intitule" in document:
        yield None, "$", document
    else:
        cles = cites(list(document)[:5]) if isinstance(document, dict) else type(document).__name__
        raise ValueError(
            "JSON de forme inattendue : ni réponse de l'API (clé « resultats »), ni tableau "
            f"d'offres, ni lignes JSON (trouvé : {cles})"
        )


def _recuperer(texte: str, erreur: json.JSONDecodeError) -> Iterator[tuple[int | None, str, Any]]:
    """A document that does not parse: read the complete offers before the fault."""
    depart = texte.lstrip()
    decalage = len(texte) - len(depart)
    if depart.startswith("["):
        ouverture, prefixe = decalage, ""
    else:
        cle = texte.find('"resultats"')
        ouverture = texte.find("[", cle) if cle >= 0 else -1
        prefixe = "resultats"
        if ouverture < 0:
            raise JsonTronque(erreur)
    for i, offre in _elements_tableau(texte, ouverture):
        yield None, f"{prefixe}[{i}]", offre
    raise JsonTronque(erreur)


def _lignes_json(texte: str) -> Iterator[tuple[int | None, str, Any]]:
    for numero, ligne in enumerate(texte.splitlines(), start=1):
        if not ligne.strip():
            continue
        try:
            yield numero, "$", json.loads(ligne, object_pairs_hook=_objet)
        except json.JSONDecodeError as e:
            yield numero, "$", JsonTronque(e)
        except RecursionError:
            yield numero, "$", LigneRefusee("ligne JSON trop imbriquée : des objets ou des listes les uns dans "
                                            "les autres sur des milliers de niveaux : refusée, non lue")


# Fields the API fills with text and the loader stores as they are (or parses): an object
# or a list there cannot be stored as text, and the offer goes to the quarantine.
CHAMPS_TEXTE = (
    "lieuTravail.libelle", "lieuTravail.codePostal", "romeLibelle", "appellationlibelle", "entreprise.nom",
    "entreprise.url", "typeContrat", "typeContratLibelle", "natureContrat", "experienceExige", "experienceLibelle",
    "salaire.libelle", "dureeTravailLibelle", "dureeTravailLibelleConverti", "qualificationLibelle", "codeNAF",
    "secteurActivite", "secteurActiviteLibelle", "origineOffre.origine", "origineOffre.urlOrigine",
    "deplacementCode", "deplacementLibelle",
)


def lire_texte_json(valeur: Any) -> Any:
    """A value of a text field, refused when JSON gives an object or a list instead; a
    number or a boolean is kept as its JSON text (``21000``, ``true``), as DuckDB reads it."""
    if isinstance(valeur, bool | int | float):
        return json.dumps(valeur)
    if isinstance(valeur, dict):
        raise ValeurInvalide("objet JSON au lieu d'un texte (la valeur n'est pas lue)")
    if isinstance(valeur, list):
        raise ValeurInvalide("liste JSON au lieu d'un texte (la valeur n'est pas lue)")
    return valeur


_GENRES_JSON = ((bool, "booléen JSON"), (dict, "objet JSON"), (list, "liste JSON"), (float, "nombre décimal JSON"))


def lire_cle_json(quoi: str) -> Any:
    """Reader of an offer's identifier or title: a JSON text, or a whole number kept as its
    digits (``123`` and ``"123"`` name the same offer, and DuckDB reads them alike). A
    boolean, a decimal, an object or a list is refused: its Python spelling (``True``,
    ``{'x': 1}``) would become the offer's identifier or title."""

    def lire(valeur: Any) -> Any:
        genre = next((nom for type_, nom in _GENRES_JSON if isinstance(valeur, type_)), None)
        if genre:
            raise ValeurInvalide(f"{quoi} non textuel ({genre} au lieu d'un texte) : l'offre n'est pas lue")
        return valeur

    return lire


def montree(valeur: Any) -> str | None:
    """A raw JSON value as a reject shows it: as JSON (``true``, ``{"x": 1}``), 200 characters."""
    if vide(valeur):
        return None
    return (valeur if isinstance(valeur, str) else json.dumps(valeur, ensure_ascii=False))[:200]


def _sous(offre: dict, cle: str) -> dict:
    valeur = offre.get(cle)
    return valeur if isinstance(valeur, dict) else {}


def _texte(valeur: Any) -> str | None:
    return None if vide(valeur) else masquer_coordonnees(str(valeur))


def _liste_textes(valeur: Any) -> list[str] | None:
    if not isinstance(valeur, list):
        return None
    return [texte for texte in (masquer_coordonnees(str(v)) for v in valeur if not vide(v)) if texte]


def ligne_offre(offre: dict, contexte: Contexte) -> tuple[dict[str, Any], list[tuple[str, Any, str]]]:
    """One offer as a typed row of ``brut.offres_ft``, and its faults ``(field, value, reason)``."""
    fautes: list[tuple[str, Any, str]] = []

    def lire(champ: str, valeur: Any, lecteur):
        try:
            return lecteur(valeur)
        except ValeurInvalide as e:
            fautes.append((champ, valeur, str(e)))
            return None

    for chemin in cles_en_double(offre):
        fautes.append((chemin, None, f"clé {cite(chemin.rpartition('.')[2])} présente plusieurs fois dans l'offre "
                                     "avec des valeurs différentes : valeur ambiguë, l'offre n'est pas lue "
                                     "(corrigez le fichier ou collectez la page à nouveau)"))
    identifiant = lire("id", offre.get("id"), lire_cle_json("identifiant"))
    intitule = lire("intitule", offre.get("intitule"), lire_cle_json("intitulé"))
    if vide(offre.get("id")):
        fautes.append(("id", offre.get("id"), "identifiant d'offre manquant"))
    if vide(offre.get("intitule")):
        fautes.append(("intitule", offre.get("intitule"), "intitulé de l'offre manquant"))
    if vide(offre.get("dateCreation")):
        fautes.append(("dateCreation", None, "date de création manquante"))
    lieu, entreprise, salaire = _sous(offre, "lieuTravail"), _sous(offre, "entreprise"), _sous(offre, "salaire")
    origine, contexte_travail = _sous(offre, "origineOffre"), _sous(offre, "contexteTravail")
    sources = {"lieuTravail": lieu, "entreprise": entreprise, "salaire": salaire, "origineOffre": origine}
    # a text field holding an object or a list is a fault, and no parser reads it
    textes = {}
    for chemin in CHAMPS_TEXTE:
        parent, _, cle = chemin.rpartition(".")
        valeur = (sources[parent] if parent else offre).get(cle)
        textes[chemin] = lire(chemin, valeur, lire_texte_json)
    def libre(chemin: str, valeur: Any) -> str | None:
        """A free text (masked); an object or a list there is a fault, as in a label."""
        return _texte(lire(chemin, valeur, lire_texte_json))

    libelle_salaire = textes["salaire.libelle"]
    lu = lire_salaire(libelle_salaire)
    partenaires = origine.get("partenaires")
    ligne = {
        "offre_id": "" if identifiant is None else str(identifiant).strip(),
        "intitule": _texte(intitule),
        "description": libre("description", offre.get("description")),
        "date_creation": lire("dateCreation", offre.get("dateCreation"), lire_horodatage),
        "date_actualisation": lire("dateActualisation", offre.get("dateActualisation"), lire_horodatage),
        "lieu_libelle": textes["lieuTravail.libelle"],
        "latitude": lire("lieuTravail.latitude", lieu.get("latitude"), lire_decimal),
        "longitude": lire("lieuTravail.longitude", lieu.get("longitude"), lire_decimal),
        "code_postal": textes["lieuTravail.codePostal"],
        "commune_insee": lire("lieuTravail.commune", lieu.get("commune"), lire_commune),
        "rome_code": lire("romeCode", offre.get("romeCode"), lire_code_rome),
        "rome_libelle": textes["romeLibelle"],
        "appellation_libelle": textes["appellationlibelle"],
        "entreprise_nom": textes["entreprise.nom"],
        "entreprise_description": libre("entreprise.description", entreprise.get("description")),
        "entreprise_url": textes["entreprise.url"],
        "entreprise_adaptee": lire("entreprise.entrepriseAdaptee", entreprise.get("entrepriseAdaptee", offre.get("entrepriseAdaptee")), lire_booleen),
        "employeur_handi_engage": lire("employeurHandiEngage", offre.get("employeurHandiEngage"), lire_booleen),
        "type_contrat": textes["typeContrat"],
        "type_contrat_libelle": textes["typeContratLibelle"],
        "duree_contrat_mois": lire_duree_contrat_mois(textes["typeContratLibelle"]),
        "nature_contrat": textes["natureContrat"],
        "experience_exige": textes["experienceExige"],
        "experience_libelle": textes["experienceLibelle"],
        "experience_commentaire": libre("experienceCommentaire", offre.get("experienceCommentaire")),
        "experience_mois": lire_experience_mois(textes["experienceLibelle"]),
        "salaire_libelle": libelle_salaire,
        "salaire_commentaire": libre("salaire.commentaire", salaire.get("commentaire")),
        "salaire_complement1": libre("salaire.complement1", salaire.get("complement1")),
        "salaire_complement2": libre("salaire.complement2", salaire.get("complement2")),
        "salaire_min_mensuel": lu.min_mensuel if lu else None,
        "salaire_max_mensuel": lu.max_mensuel if lu else None,
        "salaire_periode": lu.periode if lu else None,
        "salaire_periode_deduite": lu.periode_deduite if lu else None,
        "duree_travail_libelle": _texte(textes["dureeTravailLibelle"]),
        "duree_travail_libelle_converti": textes["dureeTravailLibelleConverti"],
        "temps_plein": lire_temps_plein(textes["dureeTravailLibelleConverti"], textes["dureeTravailLibelle"]),
        "alternance": lire("alternance", offre.get("alternance"), lire_booleen),
        "nombre_postes": lire("nombrePostes", offre.get("nombrePostes"), lire_effectif),
        "accessible_th": lire("accessibleTH", offre.get("accessibleTH"), lire_booleen),
        "qualification_code": None if vide(code := lire("qualificationCode", offre.get("qualificationCode"),
                                                         lire_texte_json)) else str(code),
        "qualification_libelle": textes["qualificationLibelle"],
        "code_naf": textes["codeNAF"],
        "secteur_activite": textes["secteurActivite"],
        "secteur_activite_libelle": textes["secteurActiviteLibelle"],
        "origine_offre": textes["origineOffre.origine"],
        "url_origine": textes["origineOffre.urlOrigine"],
        "partenaires": [p.get("nom") for p in partenaires if isinstance(p, dict)] if isinstance(partenaires, list) else None,
        "offres_manque_candidats": lire("offresManqueCandidats", offre.get("offresManqueCandidats"), lire_booleen),
        "horaires": _liste_textes(contexte_travail.get("horaires")),
        "conditions_exercice": _liste_textes(contexte_travail.get("conditionsExercice")),
        "deplacement_code": textes["deplacementCode"],
        "deplacement_libelle": textes["deplacementLibelle"],
        "complement_exercice": libre("complementExercice", offre.get("complementExercice")),
    }
    return ligne, fautes


def lire(chemin: Path, contexte: Contexte) -> Lot:
    """Parse one file of France Travail offers into a ``Lot``."""
    contenu = lire_octets(chemin)
    lot = Lot(SOURCE, Path(chemin), empreinte(contenu))
    parents: list[dict[str, Any]] = []
    enfants: dict[str, list[dict[str, Any]]] = {nom: [] for nom in ENFANTS}
    vues: dict[str, str] = {}
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        lot.rejets.append(Rejet(
            contenu[: e.start].count(b"\n") + 1, "(fichier)", None,
            f"encodage invalide : octet 0x{contenu[e.start:e.start + 1].hex().upper()} non UTF-8 "
            "(les réponses de l'API sont en UTF-8)"))
        return lot
    try:
        for numero, chemin_json, offre in offres_du_document(texte):
            lot.lignes_lues += 1
            if isinstance(offre, JsonTronque):
                lot.rejets.append(Rejet(numero, "(ligne)", None, f"ligne JSON invalide : {erreur_json(offre.erreur)}"))
                continue
            if isinstance(offre, LigneRefusee):
                lot.rejets.append(Rejet(numero, "(ligne)", None, offre.motif))
                continue
            if not isinstance(offre, dict):
                lot.rejets.append(Rejet(numero, "(offre)", str(offre)[:200],
                                        "l'élément n'est pas une offre (objet JSON attendu)", chemin_json))
                continue
            ligne, fautes = ligne_offre(offre, contexte)
            if fautes:
                for champ, valeur, motif in fautes:
                    lot.rejets.append(Rejet(numero, champ, montree(valeur), motif, chemin_json))
                continue
            identifiant = ligne["offre_id"]
            if identifiant in vues:
                lot.rejets.append(Rejet(numero, "id", identifiant,
                                        f"offre en double dans le fichier (déjà lue en {vues[identifiant]})",
                                        chemin_json))
                continue
            vues[identifiant] = chemin_json if numero is None else f"ligne {numero}"
            provenance = {"_ligne": numero, "_chemin_json": chemin_json,
                          "_version": ligne["date_actualisation"] or ligne["date_creation"]}
            parents.append(ligne | provenance)
            for table, (champ, colonnes) in ENFANTS.items():
                elements = offre.get(champ)
                if not isinstance(elements, list):
                    continue
                for rang, element in enumerate(elements, start=1):
                    if isinstance(element, dict):
                        enfants[table].append({"offre_id": identifiant, "rang": rang} | {
                            col: _texte(element.get(cle)) for col, cle in colonnes.items()})
    except JsonTronque as e:
        lot.lignes_lues += 1
        lot.rejets.append(Rejet(
            e.erreur.lineno, "(fichier)", None,
            f"JSON tronqué ou invalide à la ligne {e.erreur.lineno}, colonne {e.erreur.colno} "
            f"({erreur_json(e.erreur)}) : les offres complètes avant ce point sont chargées"))
    except ValueError as e:
        lot.rejets.append(Rejet(1, "(fichier)", None, str(e)))
    lot.tables.append(Table("brut.offres_ft", parents, ("offre_id",), version="_version"))
    for table, lignes in enfants.items():
        lot.tables.append(Table(table, lignes, ("offre_id", "rang"), parent="brut.offres_ft"))
    return lot
