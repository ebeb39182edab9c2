"""Cross-source duplicates: the same vacancy on France Travail, a partner board, an
agency's site and the company's ATS gets one cluster id, ``doublon_de``.

Three steps, none of them comparing all pairs:
1. candidate pairs (``blocs``, ``paires_des_blocs``), from the title and from the description:
   - blocking: offers are paired only inside blocks of the same key (the first two words
     of the cleaned title, with: normalised employer + département + v3 occupation;
     commune + occupation; employer + commune) and within a window of days: each offer,
     sorted by key then date, is compared with the next ones while they share the key and
     fall in the window (at most ``voisins_max`` of them), so the work grows with the number
     of offers times the density of a block, not its square;
   - anchors: a relay by another board rewrites the title (often into a ROME appellation),
     so each description also gives its few word triples of smallest hash (a bottom-k
     sketch); offers of one département sharing an anchor form a block too, compared the
     same way (an anchor shared by too many descriptions is boilerplate and is dropped);
2. deciding: a pair is one vacancy when its titles and descriptions are near copies
   (TF-IDF cosine of the titles, share of the shorter description's word triples found in
   the other) and nothing tells two posts apart: the same place (commune, or coordinates
   within a distance), compatible contracts (the contract field and any contract named in
   the title), salaries within a tolerance when both are shown, no number (or month, or
   season) of the text replaced by another (35 h against 28 h, août against hiver). Two
   different employer names need a closer text (an agency posts a client's vacancy under
   its name). Or it is a relay: two sites, the same letters in the same order (8-letter
   runs, spaces removed: boards glue lines and drop apostrophes), no word of a title
   replaced by another in the text (rayon liquides / rayon épicerie), a neighbouring place
   or a commune both texts name, a salary converted otherwise;
3. clustering: connected components of the accepted pairs; the cluster id is the
   smallest ``source:offre_id`` of the cluster, stable from one run to the next.
An offer's blocks depend on it alone, a block's pairs on its members alone, a pair's
decision on its two offers alone (with fixed title weights): so the flow keeps blocks,
days and retained pairs from one run to the next and compares again only the new or
changed offers with their blocks (``dedoublonner_increment``), reading texts by batches
of whole départements (``lots``: no block crosses two départements).
The rules were set on the duplicates planted in the demo and on real offers of
Haute-Savoie judged by hand (tests/ml/paires_reelles.csv: 283 pairs, 17 duplicates).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from flows.ml.communs import nettoyer_intitule, normaliser, rendre_memoire

METHODE = ("paires candidates par blocage (mêmes premiers mots d'intitulé, et même employeur, département et "
           "métier v3, ou même commune et métier, ou même employeur et commune) et par le texte (descriptions du "
           "même département qui partagent un des triplets de mots de plus petite empreinte, paragraphes types "
           "écartés), créées à quelques jours d'écart ; puis décision par paire (intitulés et descriptions "
           "quasi identiques ; même lieu, contrats compatibles, salaires proches quand ils sont affichés des "
           "deux côtés, aucun nombre, mois ou saison du texte remplacé par un autre ; ou relais par un autre "
           "site : même texte lettre à lettre sous un intitulé réécrit, lieu voisin ou nommé dans les deux "
           "textes, employeur et salaire absents tolérés), puis composantes connexes ; l'identifiant d'une "
           "grappe est sa plus petite clé « source:offre_id »")

# Contract labels of the sources -> family. Apprenticeship is absent on purpose: France
# Travail files it as a CDD or CDI with a "nature", the boards as its own type, so it
# agrees with anything.
CONTRATS = {
    "cdi": "cdi", "permanent": "cdi", "contrat a duree indeterminee": "cdi",
    "cdd": "cdd", "fixed term": "cdd", "sai": "cdd", "saisonnier": "cdd", "contrat a duree determinee": "cdd",
    "mis": "interim", "interim": "interim", "temporary": "interim", "travail temporaire": "interim",
}
_CONTRAT_TITRE = re.compile(r"\b(cdi|cdd|interim|saisonnier)\b")
# Legal forms and words that differ between two spellings of one employer.
_FORMES = re.compile(r"\b(sas|sasu|sarl|sa|eurl|sci|snc|scop|groupe|group|france|the)\b")
# Employer names that hide the employer.
_ANONYMES = {"", "confidentiel", "entreprise confidentielle", "non communique", "anonyme"}
# Digit runs: « 35h » and « 35 h » give 35, a board that glues words (« rémunérée13e ») keeps 13.
_NOMBRE = re.compile(r"\d+")
# Months and seasons count as numbers: « saison d'août » and « saison d'hiver » are two hires.
_PERIODES = {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
             "novembre", "decembre", "hiver", "ete", "printemps", "automne", "estivale", "hivernale"}
_SANS_DATE = np.iinfo(np.int64).min

# Optional columns: ``site`` (the board that shows the offer, default its source: a France
# Travail offer relayed from a partner carries the partner's name), ``lieu_libelle`` (the place
# as written, « 74 - ANNECY »), ``latitude`` and ``longitude``.
COLONNES = ["source", "offre_id", "intitule", "description", "rome_code_parent", "date_creation", "departement",
            "commune_insee", "entreprise_nom", "type_contrat", "salaire_min_mensuel", "salaire_max_mensuel"]
# The title key (its first two words) keeps blocks small where one employer posts many
# offers a week; copies of a vacancy keep its title's first words.
CLES_BLOCAGE = [["employeur", "departement", "metier", "titre_cle"], ["commune", "metier", "titre_cle"],
                ["employeur", "commune", "titre_cle"]]


def employeur(nom: Any) -> str | None:
    """An employer name reduced to what identifies it; None when it hides the employer."""
    sans_points = nom.replace(".", "") if isinstance(nom, str) else nom  # S.A.S. -> SAS
    texte = re.sub(r"\s+", " ", _FORMES.sub(" ", normaliser(sans_points))).strip()
    return None if texte in _ANONYMES else texte


def famille_contrat(libelle: Any) -> str | None:
    texte = normaliser(libelle)
    if texte in ("", "apprentissage", "apprenticeship"):
        return None
    return CONTRATS.get(texte, texte)


@dataclass
class Doublons:
    """Per offer (in the input order): its cluster id and the best score that tied it to
    another offer of the cluster (NaN when alone); plus the pairs compared."""

    doublon_de: np.ndarray
    score: np.ndarray
    paires_comparees: int
    paires_retenues: int


def _par_valeur(fonction: Any, valeurs: pd.Series) -> list[Any]:
    """``fonction`` applied once per distinct value (titles and employers repeat a lot)."""
    distinctes = {v: fonction(v) for v in pd.unique(valeurs)}
    return [distinctes[v] for v in valeurs]


def preparer(offres: pd.DataFrame) -> pd.DataFrame:
    """The columns the three steps use (``latitude`` and ``longitude`` are optional). The
    description stays raw here: only the offers of some pair get it normalised
    (``caracteristiques``)."""
    titres_bruts = _par_valeur(normaliser, offres["intitule"])
    titres = _par_valeur(nettoyer_intitule, offres["intitule"])
    d = pd.DataFrame({
        "cle": offres["source"].astype(str) + ":" + offres["offre_id"].astype(str),
        "employeur": _par_valeur(employeur, offres["entreprise_nom"]),
        "departement": offres["departement"].astype(object),
        "commune": offres["commune_insee"].astype(object),
        "metier": offres["rome_code_parent"].astype(object),
        "jour": pd.to_datetime(offres["date_creation"]).to_numpy(dtype="datetime64[D]").astype("int64"),
        "titre": titres,
        "titre_cle": [titre_cle(t) for t in titres],
        "description": offres["description"].to_numpy(dtype=object),
        "contrat": _par_valeur(famille_contrat, offres["type_contrat"]),
        "contrat_titre": [CONTRATS.get(m.group(1)) if (m := _CONTRAT_TITRE.search(t)) else None for t in titres_bruts],
        "salaire": pd.to_numeric(offres["salaire_min_mensuel"], errors="coerce")
        .fillna(pd.to_numeric(offres["salaire_max_mensuel"], errors="coerce")).to_numpy(dtype=float),
        "site": (offres["site"] if "site" in offres else offres["source"]).fillna(offres["source"]).astype(str).to_numpy(),
        "lieu": [nom if pd.notna(code) else None for nom, code in zip(
            _par_valeur(nom_de_lieu, offres["lieu_libelle"]), offres["commune_insee"], strict=True)]
        if "lieu_libelle" in offres else None,
        "latitude": pd.to_numeric(offres.get("latitude", np.nan), errors="coerce"),
        "longitude": pd.to_numeric(offres.get("longitude", np.nan), errors="coerce"),
    })
    d.loc[pd.isna(offres["date_creation"]).to_numpy(), "jour"] = _SANS_DATE
    return d.replace({"": None})


def nom_de_lieu(libelle: Any) -> str | None:
    """« 74 - ANNECY » -> « annecy »: the commune as written, to find it in a text (None
    for a name too short to mean anything; a département alone is dropped by ``preparer``,
    which keeps a name only where the commune code is known)."""
    texte = normaliser(libelle.split(" - ", 1)[-1] if isinstance(libelle, str) else libelle)
    return texte if len(texte) >= 4 else None


def ancres(descriptions: pd.Series, nombre: int, lot: int = 20_000) -> pd.DataFrame:
    """The ``nombre`` word triples of smallest hash of each description (a bottom-k
    sketch): two copies of one text share most of their triples, hence most of their
    anchors, whatever their titles. Rows (ligne, ancre); computed by batches of offers so
    that memory stays that of a batch."""
    vectoriseur = HashingVectorizer(ngram_range=(3, 3), binary=True, norm=None, alternate_sign=False,
                                    n_features=2**30, lowercase=False, token_pattern=r"\S+")
    lignes, valeurs = [], []
    for debut in range(0, len(descriptions), lot):
        x = vectoriseur.transform([normaliser(t) for t in descriptions.iloc[debut:debut + lot]]).tocsr()
        x.sort_indices()
        longueurs = np.diff(x.indptr)
        pris = np.minimum(longueurs, nombre)
        ligne = np.repeat(np.arange(len(longueurs)), pris)
        rang = np.arange(len(ligne)) - np.repeat(np.cumsum(pris) - pris, pris)
        lignes.append(ligne + debut)
        valeurs.append(x.indices[x.indptr[ligne] + rang])
    if not lignes:
        return pd.DataFrame({"ligne": np.zeros(0, dtype=np.int64), "ancre": np.zeros(0, dtype=np.int64)})
    return pd.DataFrame({"ligne": np.concatenate(lignes), "ancre": np.concatenate(valeurs).astype(np.int64)})


def blocs(d: pd.DataFrame, regles: dict[str, Any]) -> pd.DataFrame:
    """Rows (ligne, bloc, ancre): the blocks each offer of ``d`` (``preparer``) belongs to,
    each named by a 64-bit hash of what defines it: one per blocking key whose values are
    all known (``CLES_BLOCAGE``), one per anchor of its description (``ancres``) within its
    département (``ancre`` true). An offer's blocks depend on that offer alone, and a
    block's candidate pairs on its members alone (``paires_des_blocs``): the incremental
    run keeps both from one run to the next."""
    morceaux = []
    for rang, colonnes in enumerate(CLES_BLOCAGE):
        connues = np.flatnonzero(d[colonnes].notna().all(axis=1).to_numpy())
        valeurs = d[colonnes].iloc[connues].astype(str).reset_index(drop=True)
        morceaux.append(pd.DataFrame({"ligne": connues, "bloc": _hacher(valeurs.assign(cle=str(rang))),
                                      "ancre": False}))
    a = ancres(d["description"], int(regles["ancres_par_offre"]))
    departements = d["departement"].to_numpy()[a.ligne]
    connues = pd.notna(departements)
    valeurs = pd.DataFrame({"departement": departements[connues].astype(str), "ancre": a.ancre.to_numpy()[connues],
                            "cle": "ancre"})
    morceaux.append(pd.DataFrame({"ligne": a.ligne.to_numpy()[connues], "bloc": _hacher(valeurs), "ancre": True}))
    return pd.concat(morceaux, ignore_index=True).astype({"ligne": np.int64, "bloc": np.uint64, "ancre": bool})


def _hacher(valeurs: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash per row, the same in every process (pandas' fixed key)."""
    if valeurs.empty:
        return np.zeros(0, dtype=np.uint64)
    return pd.util.hash_pandas_object(valeurs, index=False).to_numpy(dtype=np.uint64)


# block rows sorted at once by ``paires_des_blocs`` (tens of millions at a million offers)
LIGNES_PAR_PARTIE_BLOCS = 2_000_000


def paires_des_blocs(b: pd.DataFrame, jours: np.ndarray, regles: dict[str, Any]) -> np.ndarray:
    """``_paires_des_blocs`` by parts of whole blocks (a block's pairs depend on its
    members alone) of about ``LIGNES_PAR_PARTIE_BLOCS`` rows: its sorts held about 1 GB
    at a million offers in one part. Each part's pairs are kept as one integer each, half
    their size, until the distinct ones of all parts are known."""
    parties = -(-len(b) // LIGNES_PAR_PARTIE_BLOCS)
    if parties <= 1:
        return _paires_des_blocs(b, jours, regles)
    partie = b["bloc"].to_numpy(dtype=np.uint64) % np.uint64(parties)
    n = len(jours)
    codes = np.concatenate([_codes(_paires_des_blocs(b[partie == k], jours, regles), n) for k in range(parties)])
    return _decoder(_sans_repetition(codes), n)


def _distinctes(paires: np.ndarray) -> np.ndarray:
    """The distinct rows of (m, 2) pairs, sorted (those of ``np.unique(axis=0)``, which
    sorts a copy of structured rows): one integer per pair, sorted in place."""
    if not len(paires):
        return np.zeros((0, 2), dtype=np.int64)
    n = int(paires.max()) + 1
    return _decoder(_sans_repetition(_codes(paires, n)), n)


def _sans_repetition(codes: np.ndarray) -> np.ndarray:
    """The distinct values of ``codes``, sorted (in place: ``codes`` is consumed)."""
    codes.sort()
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


def _decoder(codes: np.ndarray, n: int) -> np.ndarray:
    """The (m, 2) pairs of ``_codes``."""
    return np.column_stack([codes // n, codes % n]).astype(np.int64)


def _paires_des_blocs(b: pd.DataFrame, jours: np.ndarray, regles: dict[str, Any]) -> np.ndarray:
    """(m, 2) offer pairs (i < j) of the blocks ``b`` (``blocs``; ``jours``: the day of each
    offer): the offers of a block with a known date, sorted by day (then by row), each
    compared with the next ones while at most ``fenetre_jours`` apart (at most
    ``voisins_max`` of them), so that the work grows with the number of offers times the
    density of a block, not its square. An anchor found in more than
    ``ancre_frequence_max`` descriptions of its département is boilerplate (a board's or a
    group's standard paragraph): its block gives no pair."""
    ligne, bloc = b["ligne"].to_numpy(dtype=np.int64), b["bloc"].to_numpy(dtype=np.uint64)
    ancre, jour = b["ancre"].to_numpy(dtype=bool), np.asarray(jours, dtype=np.int64)[ligne]
    ordre = np.lexsort((ligne, jour, bloc))
    ligne, bloc, ancre, jour = ligne[ordre], bloc[ordre], ancre[ordre], jour[ordre]
    # members of each block (undated ones too), from the runs of the sorted ids
    debuts = np.flatnonzero(np.r_[True, bloc[1:] != bloc[:-1]]) if len(bloc) else np.zeros(0, dtype=np.int64)
    tailles = np.diff(np.r_[debuts, len(bloc)])
    garde = (~ancre | (np.repeat(tailles, tailles) <= int(regles["ancre_frequence_max"]))) & (jour != _SANS_DATE)
    ligne, bloc, jour = ligne[garde], bloc[garde], jour[garde]
    paires = []
    for k in range(1, int(regles["voisins_max"]) + 1):
        meme = (bloc[k:] == bloc[:-k]) & (jour[k:] - jour[:-k] <= int(regles["fenetre_jours"]))
        if not meme.any():  # sorted by day: nothing further in the block is in the window
            break
        paires.append(np.column_stack([ligne[:-k][meme], ligne[k:][meme]]))
    if not paires:
        return np.zeros((0, 2), dtype=np.int64)
    return _distinctes(np.sort(np.vstack(paires), axis=1).astype(np.int64))


# stored values of the row copies made at once by ``_produits`` (12 bytes each: 24 MB a copy)
VALEURS_PAR_PRODUIT = 2_000_000


def _produits(x: sp.csr_matrix, paires: np.ndarray) -> np.ndarray:
    """Dot product of each pair of rows, by batches of pairs whose row copies hold about
    ``VALEURS_PAR_PRODUIT`` values: 200 000 pairs at once held 1 GB per copy for the
    letter runs of descriptions (hundreds per row), a few MB for titles."""
    par_ligne = x.nnz / max(x.shape[0], 1)
    lot = max(1, int(VALEURS_PAR_PRODUIT / max(par_ligne, 1.0)))
    sortie = np.empty(len(paires))
    for debut in range(0, len(paires), lot):
        p = paires[debut:debut + lot]
        sortie[debut:debut + lot] = np.asarray(x[p[:, 0]].multiply(x[p[:, 1]]).sum(axis=1)).ravel()
    return sortie


def _inclusion(textes: pd.Series, paires: np.ndarray, n: int) -> np.ndarray:
    """Share of the shorter text's word n-grams found in the other (NaN when one is
    empty): a copy that dropped a paragraph or added a line still scores near 1."""
    x = HashingVectorizer(ngram_range=(n, n), binary=True, norm=None, alternate_sign=False,
                          n_features=2**22).transform(textes.fillna("")).tocsr()
    taille = x.getnnz(axis=1)
    plus_court = np.minimum(taille[paires[:, 0]], taille[paires[:, 1]]).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(plus_court > 0, _produits(x, paires) / plus_court, np.nan)


def _inclusion_lettres(lettres: pd.Series, paires: np.ndarray) -> np.ndarray:
    """Share of the shorter text's 8-letter runs (spaces removed) found in the other."""
    x = HashingVectorizer(analyzer="char", ngram_range=(8, 8), binary=True, norm=None, alternate_sign=False,
                          lowercase=False, n_features=2**22).transform(lettres).tocsr()
    taille = x.getnnz(axis=1)
    plus_court = np.minimum(taille[paires[:, 0]], taille[paires[:, 1]]).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(plus_court > 0, _produits(x, paires) / plus_court, np.nan)


def _cite(lieu: Any, mots: set[str], texte: Any) -> bool:
    """The commune ``lieu`` is named in ``texte`` (whose word set is ``mots``)."""
    if not isinstance(lieu, str) or not isinstance(texte, str):
        return False
    return lieu in mots if " " not in lieu else f" {lieu} " in f" {texte} "


def _remplace(titre: set[str], mots: set[str], autres: set[str]) -> bool:
    """A word of the title (its first 6 letters) is in this text and in no form in the other."""
    autres_debuts = {m[:6] for m in autres}
    return any(m in {w[:6] for w in mots} and m not in autres_debuts for m in titre)


def _distance_km(d: pd.DataFrame, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(d["latitude"].to_numpy(dtype=float)), np.radians(d["longitude"].to_numpy(dtype=float))
    a = np.sin((lat[j] - lat[i]) / 2) ** 2 + np.cos(lat[i]) * np.cos(lat[j]) * np.sin((lon[j] - lon[i]) / 2) ** 2
    return 2 * 6371 * np.arcsin(np.sqrt(a))


def _differents(valeurs: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Both known and different."""
    return pd.notna(valeurs[i]) & pd.notna(valeurs[j]) & (valeurs[i] != valeurs[j])


def _vectoriseur_titres() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)


def vectoriseur_titres(comptes: pd.Series) -> TfidfVectorizer:
    """The title vectoriser fitted on a whole stream of offers, given as the count of each
    distinct cleaned title: the same weights as a fit on every offer's title (each title
    counts as many documents as offers carry it), at the cost of the distinct titles."""
    comptes = comptes.groupby(comptes.index.fillna(""), sort=True).sum()
    vectoriseur = _vectoriseur_titres()
    if not any(comptes.index):  # no title has a word left ("H/F", "URGENT"): a term no title has,
        vectoriseur.set_params(vocabulary=[" "])  # so that every title vector is empty (cosine 0)
    presence = (vectoriseur.fit_transform(comptes.index) > 0).astype(np.float64)
    documents = np.asarray(presence.T @ comptes.to_numpy(dtype=np.float64)).ravel().astype(np.float32)
    # sklearn's smooth IDF, ln((1 + n) / (1 + df)) + 1, computed as sklearn does (in float32)
    idf = np.full_like(documents, int(comptes.sum()) + 1, dtype=np.float32)
    idf /= documents + 1
    np.log(idf, out=idf)
    vectoriseur.idf_ = idf + 1
    return vectoriseur


def lots(comptes: dict[tuple[str, str], int], taille: int) -> dict[tuple[str, str], int]:
    """Batch number of each (département, sub-key) group: groups in order, packed into
    batches of at most ``taille`` offers (a larger group is a batch of its own). The flow
    gives whole départements (an empty sub-key), which no candidate pair crosses (see the
    module docstring)."""
    numeros: dict[tuple[str, str], int] = {}
    numero, offres = 0, 0
    for groupe, n in sorted(comptes.items()):
        if offres and offres + n > taille:
            numero, offres = numero + 1, 0
        numeros[groupe] = numero
        offres += n
    return numeros


def titre_cle(titre: str) -> str:
    """The title key of blocking: the first two words of a cleaned title."""
    return " ".join(titre.split()[:2])


def caracteristiques(d: pd.DataFrame, paires: np.ndarray, titres: TfidfVectorizer | None = None) -> pd.DataFrame:
    """What decides a pair: text similarities, place, contract, salary, numbers, employer.
    ``titres``: the title vectoriser of the whole stream (default: fitted on ``d``)."""
    if titres is None:
        titres = _vectoriseur_titres().fit(d["titre"].fillna(""))
    utiles = np.unique(paires)  # only the offers of some pair are read (often far fewer)
    d = d.iloc[utiles].reset_index(drop=True)
    paires = np.searchsorted(utiles, paires)
    d["description"] = [normaliser(t) or None for t in d["description"]]
    # the letters alone: a board that glues lines or drops apostrophes keeps them in order
    lettres = d["description"].fillna("").str.replace(" ", "", regex=False)
    titres_normes = normalize(titres.transform(d["titre"].fillna(""))).tocsr()
    i, j = paires[:, 0], paires[:, 1]
    salaire = d["salaire"].to_numpy()
    longueurs = d["description"].fillna("").str.split().str.len().to_numpy()
    mots = [set(t.split()) if t else set() for t in d["description"]]
    nombres = [set(_NOMBRE.findall(t)) | (m & _PERIODES) if t else set() for t, m in zip(d["description"], mots, strict=True)]
    titres_mots = [{m[:6] for m in t.split() if len(m) >= 4} if isinstance(t, str) else set() for t in d["titre"]]
    lieux = d["lieu"].to_numpy() if "lieu" in d else np.full(len(d), None)
    textes = d["description"].tolist()  # (a column looked up per pair costs pandas' indexing each time)
    # the letters are compared only between two sites (the relay rule alone reads them)
    sites_differents = _differents(d["site"].to_numpy(), i, j)
    texte = np.full(len(paires), np.nan)
    if sites_differents.any():
        entre_sites = paires[sites_differents]
        lues = np.unique(entre_sites)
        texte[sites_differents] = _inclusion_lettres(lettres.iloc[lues].reset_index(drop=True),
                                                     np.searchsorted(lues, entre_sites))
    with np.errstate(invalid="ignore"):
        ecart_salaire = np.abs(salaire[i] - salaire[j]) / np.fmax(salaire[i], salaire[j])
    return pd.DataFrame({
        "titre": _produits(titres_normes, paires),
        "description": _inclusion(d["description"], paires, 3),
        "description_mots": _inclusion(d["description"], paires, 1),
        "mots_description": np.minimum(longueurs[i], longueurs[j]),
        "texte": texte,
        "sites_differents": sites_differents,
        "lieu_cite": [_cite(lieux[a], mots[b], textes[b]) and _cite(lieux[a], mots[a], textes[a])
                      or _cite(lieux[b], mots[a], textes[a]) and _cite(lieux[b], mots[b], textes[b])
                      for a, b in paires],
        "intitules_remplaces": [_remplace(titres_mots[a], mots[a], mots[b]) and _remplace(titres_mots[b], mots[b], mots[a])
                                for a, b in paires],
        "contrats_differents": _differents(d["contrat"].to_numpy(), i, j)
        | _differents(d["contrat_titre"].to_numpy(), i, j),
        "ecart_salaire": ecart_salaire,
        "nombres_remplaces": [bool(nombres[a] - nombres[b]) and bool(nombres[b] - nombres[a]) for a, b in paires],
        "employeurs_differents": _differents(d["employeur"].to_numpy(), i, j),
        "communes_differentes": _differents(d["commune"].to_numpy(), i, j),
        "distance_km": _distance_km(d, i, j),
    })


def decider(c: pd.DataFrame, regles: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """(score, same vacancy?) per pair. The score is the weaker of the two text
    evidences (title, description). A description too short to tell (a line and a
    note) leaves the decision to a near-identical title and the same employer."""
    differents = c["employeurs_differents"].to_numpy()
    courte = c["mots_description"].to_numpy() < regles["mots_description_min"]
    titre = c["titre"].to_numpy()
    description = np.nan_to_num(np.where(courte, c["description_mots"], c["description"]), nan=0.0)
    score = np.fmin(titre, description)
    texte_proche = np.where(
        courte,
        (titre >= regles["seuil_titre_description_courte"]) & (description >= regles["seuil_description_courte"])
        & ~differents,
        (titre >= regles["seuil_titre"]) & (description >= np.where(
            differents, regles["seuil_description_employeurs_differents"], regles["seuil_description"])))
    ecart = c["ecart_salaire"].to_numpy()
    rien_ne_distingue = (
        ~c["communes_differentes"].to_numpy()
        & ~(c["distance_km"].to_numpy() > regles["distance_max_km"])
        & ~c["contrats_differents"].to_numpy()
        & (np.isnan(ecart) | (ecart <= regles["ecart_salaire_max"]))
        & ~c["nombres_remplaces"].to_numpy())
    # a relay: another board shows the same text (letters in order) under a rewritten
    # title, often without the employer or the salary, sometimes at a neighbouring place or
    # with a salary converted otherwise
    texte = np.nan_to_num(c["texte"].to_numpy(), nan=0.0)
    distance = c["distance_km"].to_numpy()
    place = ((~c["communes_differentes"].to_numpy() & ~(distance > regles["distance_max_km_relais"]))
             | (distance <= regles["distance_max_km_relais"]) | c["lieu_cite"].to_numpy())
    relais = (c["sites_differents"].to_numpy() & ~courte & (texte >= regles["seuil_texte_relais"])
              & ~c["intitules_remplaces"].to_numpy() & place & ~c["contrats_differents"].to_numpy()
              & (np.isnan(ecart) | (ecart <= regles["ecart_salaire_max_relais"])) & ~c["nombres_remplaces"].to_numpy())
    score = np.where(relais & ~(texte_proche & rien_ne_distingue), texte, score)
    return score, (texte_proche & rien_ne_distingue) | relais


def regrouper(cles: np.ndarray, paires: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Connected components of the accepted pairs; each named by its smallest key."""
    n = len(cles)
    graphe = sp.coo_matrix((np.ones(len(paires)), (paires[:, 0], paires[:, 1])), shape=(n, n))
    nombre, composante = connected_components(graphe, directed=False)
    # the smallest key of each component: its first row in the keys' order (a group-by of
    # the 1.3 million keys as strings took a few hundred MB more at a million offers)
    ordre = np.argsort(cles, kind="stable")
    rang = np.empty(n, dtype=np.int64)
    rang[ordre] = np.arange(n)
    premier = np.full(nombre, n, dtype=np.int64)
    np.minimum.at(premier, composante, rang)
    nom = np.asarray(cles, dtype=object)[ordre[premier[composante]]]
    meilleur = np.full(n, np.nan)
    if len(paires):
        np.fmax.at(meilleur, paires[:, 0], score)
        np.fmax.at(meilleur, paires[:, 1], score)
    return nom, meilleur


def dedoublonner(offres: pd.DataFrame, regles: dict[str, Any], titres: TfidfVectorizer | None = None) -> Doublons:
    """Cluster the offers of ``offres`` (columns ``COLONNES``, optionally coordinates) in one
    pass; ``titres`` as in ``caracteristiques``."""
    d = preparer(offres)
    paires = paires_des_blocs(blocs(d, regles), d["jour"].to_numpy(), regles)
    if len(paires):
        score, retenue = decider(caracteristiques(d, paires, titres), regles)
    else:
        score, retenue = np.zeros(0), np.zeros(0, dtype=bool)
    nom, meilleur = regrouper(d["cle"].to_numpy(), paires[retenue], score[retenue])
    return Doublons(nom, meilleur, len(paires), int(retenue.sum()))


# --------------------------------------------------------------------------- incremental run

@dataclass
class Etat:
    """What a run keeps for the next (tables ml.doublons_offres, ml.doublons_blocs,
    ml.doublons_paires): per offer, in row order, its key, the fingerprint of what the
    deduplication reads of it and its day; the blocks of each offer (by row); the retained
    pairs (keys) with their score."""

    offres: pd.DataFrame  # cle, empreinte, jour
    blocs: pd.DataFrame  # ligne, bloc, ancre
    paires: pd.DataFrame  # offre_1, offre_2, score


@dataclass
class Increment:
    """Clusters of every offer, the state for the next run, and what was done again: offers
    new or changed (``comparees``), blocks holding one of them or a removed offer
    (``blocs_recalcules``), blocks left as they were (``blocs_repris``), batches read."""

    doublons: Doublons
    etat: Etat
    comparees: int
    retirees: int
    blocs_recalcules: int
    blocs_repris: int
    lots: int


def etat_vide() -> Etat:
    return Etat(pd.DataFrame({"cle": pd.Series(dtype=object), "empreinte": pd.Series(dtype=np.uint64),
                              "jour": pd.Series(dtype=np.int64)}),
                pd.DataFrame({"ligne": pd.Series(dtype=np.int64), "bloc": pd.Series(dtype=np.uint64),
                              "ancre": pd.Series(dtype=bool)}),
                pd.DataFrame({"offre_1": pd.Series(dtype=object), "offre_2": pd.Series(dtype=object),
                              "score": pd.Series(dtype=float)}))


def _codes(paires: np.ndarray, n: int) -> np.ndarray:
    """One integer per pair (i < j) of ``n`` rows."""
    return paires[:, 0].astype(np.int64) * n + paires[:, 1]


def dedoublonner_increment(offres: pd.DataFrame, lire: Callable[[np.ndarray], pd.DataFrame],
                           precedent: Etat | None, regles: dict[str, Any], titres: TfidfVectorizer,
                           lots: np.ndarray | None = None) -> Increment:
    """Cluster every offer, comparing again only what a new, changed or removed offer can change.

    ``offres``: ``cle`` and ``empreinte`` (a fingerprint of every field the deduplication
    reads) of each offer, in the row order that breaks ties of days within a block;
    ``lire(lignes)`` returns those rows (``COLONNES``) in that order; ``precedent``: the
    state of the last run, or None for a full pass; ``lots``: the batch of each offer
    (whole départements), read by slices of at most ``textes_lus_max`` offers, to bound
    the memory of texts; ``titres``: the title weights the
    previous state was computed with (the caller makes a full pass when they change).

    Why the result is exactly that of a full pass (``dedoublonner``) on the same offers with
    the same title weights and settings:
    1. an offer's blocks and day depend on that offer alone (``blocs``): those of an offer
       whose fingerprint is unchanged are taken from the state, the others computed again;
    2. a block's candidate pairs depend on its members alone (``paires_des_blocs``): a block
       that holds no new, changed or removed offer gives the pairs it gave; the others
       (« touched ») are computed again, with their members of now and of the last run;
    3. a pair's decision depends on its two offers alone (``caracteristiques``,
       ``decider``): a candidate of two unchanged offers is retained with its stored score
       when the state retained it, rejected when the touched blocks gave it before and the
       state did not retain it; every other candidate is decided now;
    4. a retained pair of the state that the touched blocks do not give now is still a
       candidate when an untouched block gives it: surely so when the touched blocks did
       not give it before (an untouched block did); else the untouched blocks holding both
       offers are computed to know;
    5. clusters are the connected components of the retained pairs over all offers, named
       by their smallest key (``regrouper``), as in a full pass.
    Only the texts of new or changed offers and of the pairs decided now are read."""
    n = len(offres)
    cles = offres["cle"].to_numpy(dtype=object)
    precedent = precedent or etat_vide()
    lots = np.zeros(n, dtype=np.int64) if lots is None else np.asarray(lots)
    ancienne = pd.Index(precedent.offres["cle"]).get_indexer(cles)
    connue = ancienne >= 0
    intacte = connue.copy()
    intacte[connue] = precedent.offres["empreinte"].to_numpy(dtype=np.uint64)[ancienne[connue]] == \
        offres["empreinte"].to_numpy(dtype=np.uint64)[connue]
    # row of the previous state -> row now, for unchanged offers (-1: changed or removed)
    vers_maintenant = np.full(len(precedent.offres), -1, dtype=np.int64)
    vers_maintenant[ancienne[intacte]] = np.flatnonzero(intacte)
    jours = np.full(n, _SANS_DATE, dtype=np.int64)
    jours[intacte] = precedent.offres["jour"].to_numpy(dtype=np.int64)[ancienne[intacte]]
    gardes = vers_maintenant[precedent.blocs["ligne"].to_numpy()] >= 0
    morceaux = [precedent.blocs[gardes].assign(ligne=vers_maintenant[precedent.blocs["ligne"].to_numpy()[gardes]])]
    sales = np.flatnonzero(~intacte)
    taille = int(regles["textes_lus_max"])
    for lot in np.unique(lots[sales]):
        du_lot = sales[lots[sales] == lot]
        for debut in range(0, len(du_lot), taille):
            lignes = du_lot[debut:debut + taille]
            d = preparer(lire(lignes))
            jours[lignes] = d["jour"].to_numpy()
            b = blocs(d, regles)
            morceaux.append(b.assign(ligne=lignes[b["ligne"].to_numpy()]))
            del d
    # rows as int32: 73 MB less over the 18 million block rows at a million offers
    b = pd.concat(morceaux, ignore_index=True).astype({"ligne": np.int32, "bloc": np.uint64, "ancre": bool})
    del morceaux  # (18 million rows at a million offers: not twice)
    rendre_memoire()  # the slices' texts and n-grams, freed: not kept by the heap through the pairs
    # blocks that hold a new, changed or removed offer (in its former or present version):
    # their pairs are computed again, before and now; the others' pairs are those of the state
    tous = np.unique(b["bloc"].to_numpy())
    complet = not intacte.any() and precedent.blocs.empty  # every block touched: no filter (gigabytes at 1M)
    touches = tous if complet else np.union1d(b["bloc"].to_numpy()[~intacte[b["ligne"].to_numpy()]],
                                              precedent.blocs["bloc"].to_numpy()[~gardes])
    candidates = paires_des_blocs(b if complet else b[_dans(b["bloc"], touches)], jours, regles)
    rendre_memoire()  # the sorts of the blocks, freed
    avant = vers_maintenant[paires_des_blocs(precedent.blocs[_dans(precedent.blocs["bloc"], touches)],
                                             precedent.offres["jour"].to_numpy(), regles)]
    avant = np.sort(avant[(avant >= 0).all(axis=1)], axis=1)
    # the retained pairs of the state between offers unchanged since, by pair code
    position = pd.Index(cles)
    stockees = np.column_stack([position.get_indexer(precedent.paires["offre_1"]),
                                position.get_indexer(precedent.paires["offre_2"])]).astype(np.int64)
    del position  # (the hash table of a million keys, not held through the decisions)
    valides = np.asarray((stockees >= 0).all(axis=1), dtype=bool)
    valides[valides] = intacte[stockees[valides]].all(axis=1)
    stockees = np.sort(stockees[valides], axis=1)
    scores_stockes = precedent.paires["score"].to_numpy(dtype=float)[valides]
    code, code_avant, code_stocke = _codes(candidates, n), _codes(avant, n), _codes(stockees, n)
    # a candidate of two unchanged offers keeps its decision: retained if stored, rejected if
    # it was a candidate of these blocks before; any other candidate is decided now
    intactes = intacte[candidates].all(axis=1)
    reprise = intactes & np.isin(code, code_stocke)
    score = np.full(len(candidates), np.nan)
    score[reprise] = pd.Series(scores_stockes, index=code_stocke).reindex(code[reprise]).to_numpy()
    retenue = reprise.copy()
    a_decider = np.flatnonzero(~reprise & ~(intactes & np.isin(code, code_avant)))
    lot_paire = lots[candidates[a_decider, 0]]
    for lot in np.unique(lot_paire):
        du_lot = a_decider[lot_paire == lot]
        for tranche in _tranches(candidates[du_lot], taille):
            choisies = du_lot[tranche]
            lignes = np.unique(candidates[choisies])
            d = preparer(lire(lignes))
            score[choisies], retenue[choisies] = decider(
                caracteristiques(d, np.searchsorted(lignes, candidates[choisies]), titres), regles)
            del d
    # a stored pair that no recomputed block gives now is still a candidate if another block
    # gives it: one left as it was (not a candidate of the recomputed blocks before), or,
    # when it was one, a block of both offers outside them that still gives it
    hors = ~np.isin(code_stocke, code)
    douteuses = np.flatnonzero(hors & np.isin(code_stocke, code_avant))
    gardees = hors.copy()
    gardees[douteuses] = False
    if len(douteuses):
        gardees[douteuses] = np.isin(code_stocke[douteuses],
                                     _codes(_paires_d_autres_blocs(b, stockees[douteuses], touches, jours, regles), n))
    paires = np.vstack([candidates[retenue], stockees[gardees]])
    scores = np.concatenate([score[retenue], scores_stockes[gardees]])
    decidees, lots_lus = len(a_decider), len(np.unique(np.concatenate([lots[sales], lot_paire])))
    # the candidates and their codes (millions at a million offers) are not held through the clustering
    del candidates, code, code_avant, code_stocke, score, retenue, reprise, intactes, a_decider, lot_paire
    nom, meilleur = regrouper(cles, paires, scores)
    recalcules = len(tous) if complet else int(_dans(pd.Series(tous), touches).sum())
    etat = Etat(pd.DataFrame({"cle": cles, "empreinte": offres["empreinte"].to_numpy(dtype=np.uint64), "jour": jours}),
                b, pd.DataFrame({"offre_1": cles[paires[:, 0]], "offre_2": cles[paires[:, 1]], "score": scores}))
    return Increment(Doublons(nom, meilleur, decidees, len(paires)), etat, len(sales),
                     int(len(precedent.offres) - connue.sum()), recalcules, len(tous) - recalcules, lots_lus)


def _dans(valeurs: pd.Series, ensemble: np.ndarray) -> np.ndarray:
    """``np.isin`` by hashing ``ensemble`` (``np.isin`` sorts both arrays together: tens of
    millions of block ids at a million offers)."""
    return valeurs.isin(pd.Index(ensemble)).to_numpy()


def _tranches(paires: np.ndarray, taille: int) -> Iterator[slice]:
    """Consecutive slices of ``paires`` whose offers number at most ``taille`` (a slice of
    ``taille // 2`` pairs surely does; it grows while it stays under): the texts held at
    once, and their word sets and n-gram matrices (``caracteristiques``), stay bounded."""
    debut = 0
    while debut < len(paires):
        fin = min(len(paires), debut + max(1, taille // 2))
        pas = fin - debut
        while fin < len(paires):
            essai = min(len(paires), fin + pas)
            if len(np.unique(paires[debut:essai])) > taille:
                break
            fin, pas = essai, 2 * pas
        yield slice(debut, fin)
        debut = fin


def _paires_d_autres_blocs(b: pd.DataFrame, paires: np.ndarray, exclus: np.ndarray, jours: np.ndarray,
                           regles: dict[str, Any]) -> np.ndarray:
    """The candidate pairs of the blocks, other than ``exclus``, that hold both offers of
    one of ``paires``."""
    membres = b[np.isin(b["ligne"].to_numpy(), paires.ravel())][["ligne", "bloc"]]
    communs = (pd.DataFrame({"i": paires[:, 0], "j": paires[:, 1]})
               .merge(membres.rename(columns={"ligne": "i"}), on="i")
               .merge(membres.rename(columns={"ligne": "j"}), on=["j", "bloc"]))
    blocs_communs = np.setdiff1d(communs["bloc"].to_numpy(dtype=np.uint64), exclus)
    return paires_des_blocs(b[_dans(b["bloc"], blocs_communs)], jours, regles)


@dataclass
class PoidsTitres:
    """The title weights frozen with the state: the vectoriser, its fingerprint, and the
    offers it was fitted on (hash of each key with hash of its title), to measure
    how much the titles changed since."""

    vectoriseur: TfidfVectorizer
    empreinte: str
    exemples: pd.DataFrame  # cle, titre (uint64 hashes)
    calcules_le: str


def exemples_titres(cles: pd.Series, titres: pd.Series) -> pd.DataFrame:
    """Each offer's key and title, hashed."""
    return pd.DataFrame({"cle": pd.util.hash_array(cles.to_numpy(dtype=object)),
                         "titre": pd.util.hash_array(titres.fillna("").to_numpy(dtype=object))})


def part_changee(avant: pd.DataFrame, maintenant: pd.DataFrame) -> float:
    """Share of the offers the weights were fitted on that were removed since, or whose
    title changed, plus the offers added, over the offers fitted on (``exemples_titres``)."""
    lies = avant.merge(maintenant, on="cle", how="outer", suffixes=("_avant", "_maintenant"), indicator=True)
    changees = (lies["_merge"] != "both") | (lies["titre_avant"] != lies["titre_maintenant"])
    return float(changees.sum()) / max(len(avant), 1)


def empreinte_poids(vectoriseur: TfidfVectorizer) -> str:
    """SHA-256 of the vocabulary and weights: the identity of the weights a state was computed with."""
    h = hashlib.sha256(json.dumps(sorted(vectoriseur.vocabulary_.items())).encode("utf-8"))
    h.update(np.asarray(vectoriseur.idf_, dtype=np.float32).tobytes())
    return h.hexdigest()


# --------------------------------------------------------------------------- evaluation

def paires_de_grappes(grappes: list[list[str]]) -> set[tuple[str, str]]:
    """All unordered pairs of keys inside each cluster."""
    return {(a, b) if a < b else (b, a) for g in grappes for k, a in enumerate(g) for b in g[k + 1:]}


def grappes(cles: np.ndarray, doublon_de: np.ndarray) -> list[list[str]]:
    """Clusters of more than one offer, as sorted lists of keys."""
    serie = pd.Series(cles).groupby(doublon_de).agg(list)
    return [sorted(g) for g in serie if len(g) > 1]


def precision_rappel(predites: set[tuple[str, str]], vraies: set[tuple[str, str]]) -> dict[str, float | int]:
    """Pairwise precision and recall of predicted duplicate pairs against true ones."""
    justes = len(predites & vraies)
    return {"paires_vraies": len(vraies), "paires_predites": len(predites), "paires_justes": justes,
            "precision": round(justes / len(predites), 4) if predites else 1.0,
            "rappel": round(justes / len(vraies), 4) if vraies else 1.0}
