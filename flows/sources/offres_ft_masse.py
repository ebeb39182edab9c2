"""Bulk reading of France Travail API pages (``{"resultats": [...]}``), many files at once.

DuckDB reads the files itself (``read_json`` with the schema of the fields kept; recruiters'
contacts are not in it), unnests the offers and types them in SQL; the result is Parquet
for the single writer (``warehouse.charger_paquet``). It gives the rows, rejects and counts
that ``offres_ft.lire`` gives file by file, with one implementation of each rule:

- every value parser of the Python loader (timestamps, decimals, booleans, counts, ROME and
  commune codes, salary, experience, contract and working-time labels) is called from here
  once per distinct value, and its result joined back in SQL; only the API's own timestamp
  form is read in SQL (``sql/macros/horodatages.sql``, tested against the Python parser);
- free texts go through ``masquer_coordonnees`` when they may hold an e-mail address or a
  phone number (``peut_contenir_coordonnees``, a superset tested against it);
- a file DuckDB cannot read (truncated, not UTF-8, another shape), in which a key appears
  twice (DuckDB would keep the first value without a word), or that
  holds a value whose JSON type differs from the API's (``sql/macros/json.sql``) is read
  by ``offres_ft.lire``, and its rows join the packet at their place in the load order.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from duckdb.func import PythonUDFType

from flows import warehouse
from flows.confidentialite import masquer_coordonnees
from flows.config import SQL, bornes_des_dates
from flows.lecture.libelles import (
    lire_duree_contrat_mois,
    lire_experience_mois,
    lire_salaire,
    lire_temps_plein,
)
from flows.lecture.lots import Contexte, FichierLu, Paquet, Table
from flows.lecture.valeurs import (
    ValeurInvalide,
    lire_booleen,
    lire_code_rome,
    lire_commune,
    lire_decimal,
    lire_effectif,
    lire_horodatage,
)
from flows.sources import offres_ft

TABLE = "brut.offres_ft"
# child table -> (offer field, {column: field of each element}), as the Python loader
ENFANTS = offres_ft.ENFANTS
TAILLE_LECTURE_MAX = 16 * 1024**2  # read_json's largest object: a bigger page goes to Python

# JSON fields read, as (path in the offer, column of the flat table, kind). Kinds: "texte"
# (a string of the API; also a count: 2.0 is not 2), "booleen", "decimal" (how a value of another JSON type
# is recognised: sql/macros/json.sql).
CHAMPS: list[tuple[str, str, str]] = [
    ("id", "id", "texte"), ("intitule", "intitule", "texte"), ("description", "description", "texte"),
    ("dateCreation", "date_creation", "texte"), ("dateActualisation", "date_actualisation", "texte"),
    ("lieuTravail.libelle", "lieu_libelle", "texte"), ("lieuTravail.latitude", "latitude", "decimal"),
    ("lieuTravail.longitude", "longitude", "decimal"), ("lieuTravail.codePostal", "code_postal", "texte"),
    ("lieuTravail.commune", "commune", "texte"), ("romeCode", "rome_code", "texte"),
    ("romeLibelle", "rome_libelle", "texte"), ("appellationlibelle", "appellation_libelle", "texte"),
    ("entrepriseAdaptee", "entreprise_adaptee_offre", "booleen"),
    ("employeurHandiEngage", "employeur_handi_engage", "booleen"), ("typeContrat", "type_contrat", "texte"),
    ("typeContratLibelle", "type_contrat_libelle", "texte"), ("natureContrat", "nature_contrat", "texte"),
    ("experienceExige", "experience_exige", "texte"), ("experienceLibelle", "experience_libelle", "texte"),
    ("experienceCommentaire", "experience_commentaire", "texte"), ("salaire.libelle", "salaire_libelle", "texte"),
    ("salaire.commentaire", "salaire_commentaire", "texte"),
    ("salaire.complement1", "salaire_complement1", "texte"),
    ("salaire.complement2", "salaire_complement2", "texte"),
    ("dureeTravailLibelle", "duree_travail_libelle", "texte"),
    ("dureeTravailLibelleConverti", "duree_travail_libelle_converti", "texte"),
    ("alternance", "alternance", "booleen"), ("nombrePostes", "nombre_postes", "texte"),
    ("accessibleTH", "accessible_th", "booleen"), ("qualificationCode", "qualification_code", "texte"),
    ("qualificationLibelle", "qualification_libelle", "texte"), ("codeNAF", "code_naf", "texte"),
    ("secteurActivite", "secteur_activite", "texte"),
    ("secteurActiviteLibelle", "secteur_activite_libelle", "texte"),
    ("origineOffre.origine", "origine_offre", "texte"), ("origineOffre.urlOrigine", "url_origine", "texte"),
    ("offresManqueCandidats", "offres_manque_candidats", "booleen"),
    ("deplacementCode", "deplacement_code", "texte"), ("deplacementLibelle", "deplacement_libelle", "texte"),
    ("complementExercice", "complement_exercice", "texte"),
]
# "entreprise" is read as JSON: an explicit null for entrepriseAdaptee must hide the
# offer-level one, as dict.get does in the Python loader.
ENTREPRISE = (("nom", "entreprise_nom"), ("description", "entreprise_description"), ("url", "entreprise_url"))


def _structure() -> dict[str, Any]:
    """What ``json_transform`` extracts from a page: every field kept, as text (typed later
    in SQL), recruiters' contacts left out."""
    offre: dict[str, Any] = {}
    for chemin, _, _ in CHAMPS:
        *parents, champ = chemin.split(".")
        niveau = offre
        for parent in parents:
            niveau = niveau.setdefault(parent, {})
        niveau[champ] = "VARCHAR"
    offre["origineOffre"]["partenaires"] = [{"nom": "VARCHAR"}]
    offre["entreprise"] = "JSON"
    offre["contexteTravail"] = {"horaires": ["VARCHAR"], "conditionsExercice": ["VARCHAR"]}
    for champ, colonnes in ENFANTS.values():
        offre[champ] = [{cle: "VARCHAR" for cle in colonnes.values()}]
    return {"resultats": [offre]}


STRUCTURE = json.dumps(_structure())


@dataclass
class Parseur:
    """A Python parser applied to the distinct raw values of a column."""

    colonnes: tuple[str, ...]  # columns of the flat table passed to ``lire``
    type_: str  # DuckDB type of the result ("STRUCT(...)" for several values)
    lire: Callable[..., Any]
    champ: str | None = None  # field named in the reject when ``lire`` raises ValeurInvalide


def _salaire(libelle: str | None) -> dict | None:
    lu = lire_salaire(libelle)
    return None if lu is None else {"min": lu.min_mensuel, "max": lu.max_mensuel, "periode": lu.periode,
                                    "deduite": lu.periode_deduite}


def parseurs() -> dict[str, Parseur]:
    """Result name -> parser, in the order the Python loader checks the fields."""
    booleen = "BOOLEAN"
    return {
        "date_creation": Parseur(("date_creation",), "TIMESTAMP", lire_horodatage, "dateCreation"),
        "date_actualisation": Parseur(("date_actualisation",), "TIMESTAMP", lire_horodatage, "dateActualisation"),
        "latitude": Parseur(("latitude",), "DOUBLE", lire_decimal, "lieuTravail.latitude"),
        "longitude": Parseur(("longitude",), "DOUBLE", lire_decimal, "lieuTravail.longitude"),
        # the Python loader checks the form of these codes, not that the referentials hold them
        "commune_insee": Parseur(("commune",), "VARCHAR", lire_commune, "lieuTravail.commune"),
        "rome_code": Parseur(("rome_code",), "VARCHAR", lire_code_rome, "romeCode"),
        "entreprise_adaptee": Parseur(("entreprise_adaptee",), booleen, lire_booleen, "entreprise.entrepriseAdaptee"),
        "employeur_handi_engage": Parseur(("employeur_handi_engage",), booleen, lire_booleen, "employeurHandiEngage"),
        "alternance": Parseur(("alternance",), booleen, lire_booleen, "alternance"),
        "nombre_postes": Parseur(("nombre_postes",), "BIGINT", lire_effectif, "nombrePostes"),
        "accessible_th": Parseur(("accessible_th",), booleen, lire_booleen, "accessibleTH"),
        "offres_manque_candidats": Parseur(("offres_manque_candidats",), booleen, lire_booleen,
                                           "offresManqueCandidats"),
        "salaire": Parseur(("salaire_libelle",), "STRUCT(min DOUBLE, max DOUBLE, periode VARCHAR, deduite BOOLEAN)",
                           _salaire),
        "experience_mois": Parseur(("experience_libelle",), "DOUBLE", lire_experience_mois),
        "duree_contrat_mois": Parseur(("type_contrat_libelle",), "DOUBLE", lire_duree_contrat_mois),
        "temps_plein": Parseur(("duree_travail_libelle_converti", "duree_travail_libelle"), booleen, lire_temps_plein),
    }


_TYPES_ARROW = {"TIMESTAMP": pa.timestamp("us"), "DOUBLE": pa.float64(), "VARCHAR": pa.string(),
                "BOOLEAN": pa.bool_(), "BIGINT": pa.int64(),
                "STRUCT(min DOUBLE, max DOUBLE, periode VARCHAR, deduite BOOLEAN)": pa.struct(
                    [("min", pa.float64()), ("max", pa.float64()), ("periode", pa.string()),
                     ("deduite", pa.bool_())])}


def _masquer(textes: pa.Array) -> pa.Array:
    """``masquer_coordonnees`` over a batch (one call per vector: DuckDB passes only the texts
    that ``peut_contenir_coordonnees`` kept)."""
    return pa.array([masquer_coordonnees(t) for t in textes.to_pylist()], pa.string())


def connexion(memoire: str, threads: int, temporaire: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for parsing: the raw offer tables, the SQL helpers, and the
    masking of contacts as a function."""
    con = duckdb.connect(config={"memory_limit": memoire, "threads": threads,
                                 "temp_directory": str(temporaire), "preserve_insertion_order": False})
    con.execute("set enable_progress_bar = false")
    warehouse.creer_macros(con)
    con.execute((SQL / "brut" / "offres_ft.sql").read_text(encoding="utf-8"))
    con.create_function("masquer_coordonnees", _masquer, ["VARCHAR"], "VARCHAR", type=PythonUDFType.ARROW,
                        side_effects=False)
    con.execute("""
        create or replace temp macro texte_offre(texte) as
        case when vide(texte) then null
             when peut_contenir_coordonnees(texte) then masquer_coordonnees(texte)
             else texte end
    """)
    return con


def premier_caractere(chemin: Path) -> bytes:
    """The first byte of a file after a UTF-8 BOM and blanks (b"" when there is none)."""
    with Path(chemin).open("rb") as f:
        debut = f.read(4096)
    return debut.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")[:1]


def lisible_en_masse(chemin: Path) -> bool:
    """Whether DuckDB should try the file: an object (an API page), not too big."""
    return premier_caractere(chemin) == b"{" and Path(chemin).stat().st_size <= TAILLE_LECTURE_MAX


def preparer(fichiers: list[tuple[int, str, str, str]], dossier: Path, contexte: Contexte,
             memoire: str = "500MB", threads: int = 1) -> Paquet:
    """Parse files ``(rank, path, sha256, name shown)`` into a packet of Parquet files
    written in ``dossier``."""
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    con = connexion(memoire, threads, dossier / "tmp")
    try:
        con.register("_liste", pa.table({
            "_ordre": [f[0] for f in fichiers], "chemin": [f[1] for f in fichiers],
            "_sha256": [f[2] for f in fichiers], "_fichier": [f[3] for f in fichiers]}))
        con.execute("create temp table fichiers as select * from _liste")
        con.unregister("_liste")
        _lire(con, [f[1] for f in fichiers if lisible_en_masse(Path(f[1]))])
        en_masse = {o for (o,) in con.execute("select _ordre from lus").fetchall()}
        _typer(con)
        _rejeter(con)
        lots = {ordre: offres_ft.lire(Path(chemin), contexte)
                for ordre, chemin, _, _ in fichiers if ordre not in en_masse}
        return _ecrire(con, fichiers, lots, dossier)
    finally:
        con.close()


def _lire(con: duckdb.DuckDBPyConnection, chemins: list[str]) -> None:
    """Table ``offres``: one row per element of ``resultats`` with its fields as text, for
    the files read whole and whose values all have the API's JSON types (listed in ``lus``).

    DuckDB reads the files with ``read_json_objects`` then ``json_transform``: ten times
    faster here than ``read_json`` with columns on files of one big object. When a file of
    the batch cannot be read, each file is read alone; those that fail are left to Python.
    """
    champs = ",\n".join(
        "u.o." + ".".join(f'"{p}"' for p in chemin.split(".")) + f' as "{colonne}"' for chemin, colonne, _ in CHAMPS)
    entreprise = ",\n".join(f"case when json_type(u.o.entreprise) = 'OBJECT' then u.o.entreprise ->> '$.{cle}' end "
                            f'as "{colonne}"' for cle, colonne in ENTREPRISE)
    enfants = ",\n".join(f'u.o."{champ}" as "{champ}"' for champ, _ in ENFANTS.values())
    lecture = ("read_json_objects(?, format = 'unstructured', filename = true, "
               f"maximum_object_size = {TAILLE_LECTURE_MAX})")
    # (unnest ... with ordinality is four times slower here than generate_subscripts)
    # a page without offers keeps one row (idx null), so that its file counts as read
    requete = f"""
        with pages as (
            select filename as chemin, json_transform(json, ?).resultats as resultats, {_CLES_DOUBLES} as cles_doubles
            from {{source}}
        )
        select f._ordre, f._fichier, f._sha256, p.resultats is not null as page, p.cles_doubles, u.i - 1 as idx,
               u.i is not null and u.o is null as pas_offre,
               {champs},
               {entreprise},
               case when json_type(u.o.entreprise) = 'OBJECT' and json_exists(u.o.entreprise, '$.entrepriseAdaptee')
                    then u.o.entreprise ->> '$.entrepriseAdaptee'
                    else u.o."entrepriseAdaptee" end as entreprise_adaptee,
               u.o."origineOffre"."partenaires" as partenaires,
               u.o."contexteTravail"."horaires" as horaires,
               u.o."contexteTravail"."conditionsExercice" as conditions_exercice,
               {enfants}
        from pages p join fichiers f using (chemin)
        left join lateral (
            select unnest(p.resultats) as o, generate_subscripts(p.resultats, 1) as i
        ) u on true
    """  # noqa: S608 (identifiers from the code)
    vide = "(select '{}'::json as json, '' as filename)"
    con.execute(f"create temp table offres as {requete.format(source=vide)} limit 0", [STRUCTURE])
    requete = requete.format(source=lecture)
    if chemins:
        try:
            con.execute(f"insert into offres {requete}", [STRUCTURE, chemins])
        except duckdb.Error:
            for chemin in chemins:
                try:
                    con.execute(f"insert into offres {requete}", [STRUCTURE, [chemin]])
                except duckdb.Error:
                    continue
    con.execute(f"""
        create temp table lus as
        select _ordre from offres group by _ordre
        having bool_and(page) and not bool_or(cles_doubles)
           and count(*) filter (where idx is null or idx = 0) = 1  -- one JSON value in the file
           and not bool_or(idx is not null and ({_ambigus()}))
    """)  # noqa: S608 (identifiers from the code)
    con.execute("delete from offres where idx is null or _ordre not in (select _ordre from lus)")


_DOUBLE = "coalesce(list_bool_or(list_transform(json_keys(json, '{}'), lambda k: len(k) > len(list_distinct(k)))), false)"
# A page in which a key appears twice (in the page, an offer, one of its objects or an element
# of one of its lists: what is read) goes to the Python loader, which says which key. DuckDB
# would keep the first value silently. "resultats" written twice is found in the text (a
# text of the page quoting it only sends the page to Python). About 10 s more per million
# offers (bench/RESULTATS.md: 150 s for the whole ingestion).
_CLES_DOUBLES = " or ".join([
    "length(json::varchar) - length(replace(json::varchar, '\"resultats\"', '')) > 11",
    *(_DOUBLE.format(chemin) for chemin in ("$.resultats[*]", "$.resultats[*].*", "$.resultats[*].*[*]"))])


def _ambigu(colonne: str, genre: str) -> str:
    return f"coalesce({genre}_ambigu({colonne}), false)"


def _ambigus() -> str:
    """True for an element holding a value that DuckDB and Python would not read alike: a
    value of another JSON type than the API's, or an element that is not an object
    (``json_transform`` makes it a struct of nulls)."""
    listes = [f"len(list_filter({liste}, lambda v: {_ambigu('v', 'texte')})) > 0"
              for liste in ("horaires", "conditions_exercice")]
    listes.append(f"len(list_filter(partenaires, lambda p: p is not null and (p.nom is null or {_ambigu('p.nom', 'texte')}))) > 0")
    for champ, colonnes in ENFANTS.values():
        nuls = " and ".join(f'e."{cle}" is null' for cle in colonnes.values())
        ambigus = " or ".join(_ambigu(f'e."{cle}"', "texte") for cle in colonnes.values())
        listes.append(f'len(list_filter("{champ}", lambda e: e is not null and (({nuls}) or {ambigus}))) > 0')
    vides = " and ".join(f'"{colonne}" is null' for colonne in
                         [c for _, c, _ in CHAMPS] + [c for _, c in ENTREPRISE] + ["entreprise_adaptee"])
    return " or ".join([
        f"(not pas_offre and {vides})",
        *(_ambigu(f'"{colonne}"', genre) for _, colonne, genre in CHAMPS),
        *(_ambigu(f'"{colonne}"', "texte") for _, colonne in ENTREPRISE),
        _ambigu("entreprise_adaptee", "booleen"),
        *(f"coalesce({condition}, false)" for condition in listes)])


def _typer(con: duckdb.DuckDBPyConnection) -> None:
    """Each parser applied to the distinct raw values of its columns (tables ``p_<name>``:
    the raw values, ``valeur`` and the French reason ``motif`` of a fault)."""
    for nom, parseur in parseurs().items():
        colonnes = ", ".join(f'"{c}"' for c in parseur.colonnes)
        filtre = " or ".join(f'"{c}" is not null' for c in parseur.colonnes)
        if parseur.type_ == "TIMESTAMP":  # the API's own form is read in SQL; Python says why a date
            # is unreadable or outside the plausible bounds
            debut, fin = bornes_des_dates()
            lu = f'horodatage_api("{parseur.colonnes[0]}")'
            filtre = (f'not vide("{parseur.colonnes[0]}") and ({lu} is null or {lu} < DATE \'{debut.isoformat()}\' '
                      f"or {lu} >= DATE '{fin.isoformat()}' + 1)")
        valeurs = con.execute(f"select distinct {colonnes} from offres where {filtre}").fetchall()  # noqa: S608 (identifiers from the code)
        resultats: list[Any] = []
        motifs: list[str | None] = []
        for brutes in valeurs:
            try:
                resultats.append(parseur.lire(*brutes))
                motifs.append(None)
            except ValeurInvalide as e:
                resultats.append(None)
                motifs.append(str(e))
        table = pa.table({**{c: pa.array([v[i] for v in valeurs], pa.string())
                             for i, c in enumerate(parseur.colonnes)},
                          "valeur": pa.array(resultats, _TYPES_ARROW[parseur.type_]),
                          "motif": pa.array(motifs, pa.string())})
        con.register("_p", table)
        con.execute(f"create or replace temp table p_{nom} as select * from _p")  # noqa: S608 (identifiers from the code)
        con.unregister("_p")


def _texte(colonne: str) -> str:
    return f'texte_offre("{colonne}")'


def _liste_textes(colonne: str) -> str:
    return f'list_transform(list_filter("{colonne}", lambda v: not vide(v)), lambda v: texte_offre(v))'


def _faute(nom: str, parseur: Parseur) -> str:
    """The faults of one parsed field: the raw value shown (200 characters) and the reason."""
    colonne = parseur.colonnes[0]
    montree = f'case when vide("{colonne}") then null else left("{colonne}", 200) end'
    return f"select _ordre, idx, '{parseur.champ}', {montree}, m_{nom} from typees where m_{nom} is not null"  # noqa: S608 (identifiers from the code)


def _rejeter(con: duckdb.DuckDBPyConnection) -> None:
    """Typed offers (``typees``) and their faults (``rejets``): the checks of
    ``offres_ft.ligne_offre``, non-objects, and duplicate ids in a file."""
    noms = parseurs()
    jointures = "\n".join(
        f"left join p_{nom} as p_{nom} on "
        + " and ".join(f'o."{c}" is not distinct from p_{nom}."{c}"' for c in p.colonnes)
        for nom, p in noms.items())

    def valeur(nom: str) -> str:
        colonne = noms[nom].colonnes[0]
        if noms[nom].type_ == "TIMESTAMP":
            return f'case when vide(o."{colonne}") then null else coalesce(horodatage_api(o."{colonne}"), p_{nom}.valeur) end'
        return f"p_{nom}.valeur"

    con.execute(f"""
        create temp table typees as
        select o.*, sans_espaces(o.id) as offre_id,
               {", ".join(f"{valeur(nom)} as t_{nom}, p_{nom}.motif as m_{nom}" for nom in noms)}
        from offres o
        {jointures}
    """)  # noqa: S608 (identifiers from the code)
    con.execute("drop table offres")
    fautes = [
        "select _ordre, idx, 'id' as champ, null as valeur, 'identifiant d''offre manquant' as motif "
        "from typees where not pas_offre and vide(id)",
        "select _ordre, idx, 'intitule', null, 'intitulé de l''offre manquant' "
        "from typees where not pas_offre and vide(intitule)",
        "select _ordre, idx, 'dateCreation', null, 'date de création manquante' "
        "from typees where not pas_offre and vide(date_creation)",
        "select _ordre, idx, '(offre)', 'None', 'l''élément n''est pas une offre (objet JSON attendu)' "
        "from typees where pas_offre",
        *(_faute(nom, p) for nom, p in noms.items() if p.champ)]
    con.execute("create temp table rejets as " + " union all ".join(fautes))
    con.execute("""
        create temp table doublons as
        select _ordre, idx, offre_id, premier from (
            select _ordre, idx, offre_id, min(idx) over (partition by _ordre, offre_id) as premier
            from typees t anti join rejets r using (_ordre, idx)
            where not pas_offre
        ) where idx > premier
    """)
    con.execute("""
        insert into rejets
        select _ordre, idx, 'id', offre_id, 'offre en double dans le fichier (déjà lue en resultats[' || premier || '])'
        from doublons
    """)


_COLONNES_OFFRE = {
    "offre_id": "offre_id", "intitule": _texte("intitule"), "description": _texte("description"),
    "date_creation": "t_date_creation", "date_actualisation": "t_date_actualisation",
    "lieu_libelle": "lieu_libelle", "latitude": "t_latitude", "longitude": "t_longitude",
    "code_postal": "code_postal", "commune_insee": "t_commune_insee", "rome_code": "t_rome_code",
    "rome_libelle": "rome_libelle", "appellation_libelle": "appellation_libelle",
    "entreprise_nom": "entreprise_nom", "entreprise_description": _texte("entreprise_description"),
    "entreprise_url": "entreprise_url", "entreprise_adaptee": "t_entreprise_adaptee",
    "employeur_handi_engage": "t_employeur_handi_engage", "type_contrat": "type_contrat",
    "type_contrat_libelle": "type_contrat_libelle", "duree_contrat_mois": "t_duree_contrat_mois",
    "nature_contrat": "nature_contrat", "experience_exige": "experience_exige",
    "experience_libelle": "experience_libelle", "experience_commentaire": _texte("experience_commentaire"),
    "experience_mois": "t_experience_mois", "salaire_libelle": "salaire_libelle",
    "salaire_commentaire": _texte("salaire_commentaire"), "salaire_complement1": _texte("salaire_complement1"),
    "salaire_complement2": _texte("salaire_complement2"), "salaire_min_mensuel": "t_salaire.min",
    "salaire_max_mensuel": "t_salaire.max", "salaire_periode": "t_salaire.periode",
    "salaire_periode_deduite": "t_salaire.deduite", "duree_travail_libelle": _texte("duree_travail_libelle"),
    "duree_travail_libelle_converti": "duree_travail_libelle_converti", "temps_plein": "t_temps_plein",
    "alternance": "t_alternance", "nombre_postes": "t_nombre_postes", "accessible_th": "t_accessible_th",
    "qualification_code": "case when vide(qualification_code) then null else qualification_code end",
    "qualification_libelle": "qualification_libelle", "code_naf": "code_naf",
    "secteur_activite": "secteur_activite", "secteur_activite_libelle": "secteur_activite_libelle",
    "origine_offre": "origine_offre", "url_origine": "url_origine",
    "partenaires": "list_transform(list_filter(partenaires, lambda p: p is not null), lambda p: p.nom)",
    "offres_manque_candidats": "t_offres_manque_candidats", "horaires": _liste_textes("horaires"),
    "conditions_exercice": _liste_textes("conditions_exercice"), "deplacement_code": "deplacement_code",
    "deplacement_libelle": "deplacement_libelle", "complement_exercice": _texte("complement_exercice"),
    "_version": "coalesce(t_date_actualisation, t_date_creation)", "_fichier": "_fichier", "_sha256": "_sha256",
    "_ligne": "null::bigint", "_chemin_json": "'resultats[' || idx || ']'", "_ordre": "_ordre",
}


def _ecrire(con: duckdb.DuckDBPyConnection, fichiers: list[tuple[int, str, str, str]],
            lots: dict[int, Any], dossier: Path) -> Paquet:
    """Write the packet: the offers kept and their children (bulk rows, then the rows of
    the files read by the Python loader), the rejects, and the count per file."""
    con.execute("delete from typees t using rejets r where t._ordre = r._ordre and t.idx = r.idx")
    con.execute("delete from typees where pas_offre")  # now the offers kept
    noms = {ordre: nom for ordre, _, _, nom in fichiers}
    tables = [Table(TABLE, [], ("offre_id",), version="_version", parquet=str(dossier / "offres_ft.parquet"))]
    tables += [Table(nom, [], ("offre_id", "rang"), parent=TABLE, parquet=str(dossier / f"{nom.split('.')[1]}.parquet"))
               for nom in ENFANTS]
    colonnes = ", ".join(f'{expression} as "{colonne}"' for colonne, expression in _COLONNES_OFFRE.items())
    requetes = {TABLE: f"select {colonnes} from typees"}  # noqa: S608 (identifiers from the code)
    for nom, (champ, champs) in ENFANTS.items():
        valeurs = ", ".join(f'{_texte_element(cle)} as "{colonne}"' for colonne, cle in champs.items())
        requetes[nom] = f"""
            select offre_id, cast(rang as integer) as rang, {valeurs}, _fichier, _sha256, _ordre
            from (select offre_id, _fichier, _sha256, _ordre, unnest("{champ}") as element,
                         generate_subscripts("{champ}", 1) as rang
                  from typees)
            where element is not null
        """  # noqa: S608 (identifiers from the code)
    for table in tables:
        requete = requetes[table.nom]
        lignes = _lignes_des_lots(con, table.nom, lots, noms)
        if lignes is not None:
            con.register("_lots", lignes)
            requete = f"{requete} union all by name select * from _lots"  # noqa: S608 (identifiers from the code)
        con.execute(f"copy ({requete}) to '{table.parquet}' (format parquet)")
        if lignes is not None:
            con.unregister("_lots")
    rejets_lots = pa.Table.from_pylist(
        [{"_ordre": ordre, "ligne": r.ligne, "chemin_json": r.chemin_json, "champ": r.champ, "valeur": r.valeur,
          "motif": r.motif} for ordre, lot in lots.items() for r in lot.rejets],
        schema=pa.schema([("_ordre", pa.int64()), ("ligne", pa.int64()), ("chemin_json", pa.string()),
                          ("champ", pa.string()), ("valeur", pa.string()), ("motif", pa.string())]))
    con.register("_rejets_lots", rejets_lots)
    chemin_rejets = dossier / "rejets.parquet"
    con.execute(f"""
        copy (
            select _ordre, null::bigint as ligne, 'resultats[' || idx || ']' as chemin_json, champ, valeur, motif
            from rejets
            union all select * from _rejets_lots
        ) to '{chemin_rejets}' (format parquet)
    """)  # noqa: S608 (identifiers from the code)
    con.unregister("_rejets_lots")
    comptes = {ordre: (lues, rejetees) for ordre, lues, rejetees in con.execute("""
        select l._ordre, coalesce(g.n, 0) + coalesce(r.n, 0), coalesce(r.n, 0)
        from lus l
        left join (select _ordre, count(*) as n from typees group by all) g using (_ordre)
        left join (select _ordre, count(distinct idx) as n from rejets group by all) r using (_ordre)
    """).fetchall()}
    lus = []
    for ordre, _, sha256, nom in fichiers:
        if ordre in lots:
            lot = lots[ordre]
            lus.append(FichierLu(ordre, nom, sha256, lot.lignes_lues, lot.lignes_rejetees(), "; ".join(lot.remarques)))
        else:
            lues, rejetees = comptes[ordre]
            lus.append(FichierLu(ordre, nom, sha256, lues, rejetees))
    return Paquet(offres_ft.SOURCE, lus, tables, str(chemin_rejets))


def _texte_element(cle: str) -> str:
    return f'texte_offre(element."{cle}")'


def _lignes_des_lots(con: duckdb.DuckDBPyConnection, table: str, lots: dict[int, Any],
                     noms: dict[int, str]) -> pa.Table | None:
    """Rows of ``table`` from the files the Python loader read, typed like the table."""
    if not lots:
        return None
    morceaux = []
    for ordre, lot in lots.items():
        for lu in [t for t in lot.tables if t.nom == table]:  # none in a file not decoded
            arrow = warehouse.en_arrow(con, lu, {"_fichier": noms[ordre], "_sha256": lot.sha256,
                                                 "_charge_le": None})
            morceaux.append(arrow.drop_columns(["_charge_le"]).append_column(
                "_ordre", pa.array([ordre] * arrow.num_rows, pa.int64())))
    return pa.concat_tables(morceaux) if morceaux else None
