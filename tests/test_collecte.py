"""The France Travail pulls against a fake France Travail on 127.0.0.1 (no network).

The fake serves the 838 real offers of ../shared (their union, deduplicated by id),
filtered by the query and paged by itself with ``Content-Range``, refuses ranges deeper
than a configurable index (400), and can answer a chosen request with a 429 or a 500 and
expire its first token. The "Marché du travail" responses are built here from the
documented format (no real one was saved).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import Counter
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from flows import warehouse
from flows.cli import app
from flows.collecte.client import MANIFESTE
from flows.collecte.marche import SCOPE as SCOPE_STATS
from flows.collecte.offres import SCOPE as SCOPE_OFFRES
from tests.conftest import rejets

runner = CliRunner()
CLIENT_ID = "hub-test-client"
SECRET = "Sx9-secret-de-test-q7Lw2"
DATE_API = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
JETON = "/connexion/oauth2/access_token"
RECHERCHE = "/partenaire/offresdemploi/v2/offres/search"
STATS = "/partenaire/stats-offres-demandes-emploi/v1/indicateur/"


def _instant(texte: str) -> datetime:
    return datetime.fromisoformat(texte.replace("Z", "+00:00"))


def servir_localement(gestionnaire: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``gestionnaire`` on a free port of 127.0.0.1 in a thread; returns the server and its base URL."""
    serveur = ThreadingHTTPServer(("127.0.0.1", 0), gestionnaire)
    threading.Thread(target=serveur.serve_forever, daemon=True).start()
    return serveur, f"http://127.0.0.1:{serveur.server_address[1]}"


def arreter(serveur: ThreadingHTTPServer) -> None:
    serveur.shutdown()
    serveur.server_close()


class FauxFranceTravail:
    """Token endpoint, offers search and "Marché du travail" indicators."""

    def __init__(self, offres: list[dict], profondeur: int = 3000, stats: dict | None = None):
        self.offres = sorted(offres, key=lambda o: (o["dateCreation"], o["id"]), reverse=True)  # sort=1
        self.profondeur = profondeur
        self.stats = stats or {}  # (indicator, territory type, code, ROME) -> response body
        self.pannes: dict[int, tuple[int, dict]] = {}  # n-th search request -> (status, headers)
        self.expire_apres: int | None = None  # the first token is refused after this many uses
        self.jetons: dict[str, str] = {}  # token -> scope
        self.usages: Counter = Counter()
        self.journal: list[tuple[str, str, int]] = []  # (path, range or body, status)
        self.servies: Counter = Counter()
        self.corps_stats: list[dict] = []
        self.recherches = 0
        self.arrivees: list[tuple[str, float]] = []  # (path, monotonic time) of every request
        serveur = self

        class Gestionnaire(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_POST(self):
                corps = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                serveur.repondre(self, "POST", corps)

            def do_GET(self):
                serveur.repondre(self, "GET", b"")

        self._http, self.base = servir_localement(Gestionnaire)

    def fermer(self):
        arreter(self._http)

    @property
    def url_jeton(self) -> str:
        return f"{self.base}{JETON}?realm=%2Fpartenaire"

    # ------------------------------------------------------------------ answers

    def repondre(self, requete, methode: str, corps: bytes) -> None:
        url = urlsplit(requete.path)
        self.arrivees.append((url.path, time.monotonic()))
        if url.path == JETON and methode == "POST":
            statut, entetes, reponse = self._jeton(parse_qs(corps.decode()))
        elif url.path == RECHERCHE and methode == "GET":
            statut, entetes, reponse = self._recherche(requete.headers, parse_qs(url.query))
        elif url.path.startswith(STATS) and methode == "POST":
            statut, entetes, reponse = self._stats(requete.headers, url.path.removeprefix(STATS), corps)
        else:
            statut, entetes, reponse = 404, {}, {"message": "ressource inconnue"}
        donnees = b"" if reponse is None else json.dumps(reponse, ensure_ascii=False).encode()
        requete.send_response(statut)
        for cle, valeur in entetes.items():
            requete.send_header(cle, valeur)
        if donnees:
            requete.send_header("Content-Type", "application/json")
        requete.send_header("Content-Length", str(len(donnees)))
        requete.end_headers()
        requete.wfile.write(donnees)

    def _jeton(self, formulaire: dict) -> tuple:
        champ = {k: v[0] for k, v in formulaire.items()}
        if champ.get("grant_type") != "client_credentials" or champ.get("client_id") != CLIENT_ID \
                or champ.get("client_secret") != SECRET:
            self.journal.append((JETON, "", 401))
            return 401, {}, {"error": "invalid_client", "error_description": "Client authentication failed"}
        jeton = f"jeton-{len(self.jetons) + 1}"
        self.jetons[jeton] = champ.get("scope", "")
        self.journal.append((JETON, champ.get("scope", ""), 200))
        return 200, {}, {"access_token": jeton, "token_type": "Bearer", "expires_in": 1499,
                         "scope": champ.get("scope")}

    def _autorise(self, entetes, scope: str) -> bool:
        jeton = entetes.get("Authorization", "").removeprefix("Bearer ")
        if self.jetons.get(jeton) != scope:
            return False
        self.usages[jeton] += 1
        return not (jeton == "jeton-1" and self.expire_apres is not None and self.usages[jeton] > self.expire_apres)

    def _recherche(self, entetes, parametres: dict) -> tuple:
        self.recherches += 1
        p = {k: v[0] for k, v in parametres.items()}
        plage = p.get("range", "")
        if self.recherches in self.pannes:
            statut, ajout = self.pannes[self.recherches]
            self.journal.append((RECHERCHE, plage, statut))
            return statut, ajout, {"message": "panne simulée"}
        if not self._autorise(entetes, SCOPE_OFFRES):
            self.journal.append((RECHERCHE, plage, 401))
            return 401, {}, {"message": "Invalid or expired token"}
        debut, fin = p.get("minCreationDate", ""), p.get("maxCreationDate", "")
        trouve = re.fullmatch(r"(\d+)-(\d+)", plage)
        erreur = None
        if not (DATE_API.fullmatch(debut) and DATE_API.fullmatch(fin)):
            erreur = "minCreationDate et maxCreationDate obligatoires (yyyy-MM-ddTHH:mm:ssZ)"
        elif not trouve or int(trouve[2]) < int(trouve[1]) or int(trouve[2]) - int(trouve[1]) >= 150:
            erreur = "La plage de résultats demandée est incorrecte (150 résultats au plus)"
        elif int(trouve[1]) > self.profondeur:
            erreur = f"La position de début ne doit pas dépasser {self.profondeur}"
        if erreur:
            self.journal.append((RECHERCHE, plage, 400))
            return 400, {}, {"codeErreur": "400", "message": erreur}
        romes = set(p["codeROME"].split(",")) if p.get("codeROME") else None
        retenues = [o for o in self.offres
                    if o["lieuTravail"]["libelle"].startswith(f"{p['departement']} - ")
                    and (romes is None or o.get("romeCode") in romes)
                    and _instant(debut) <= _instant(o["dateCreation"]) <= _instant(fin)]
        premier, dernier = int(trouve[1]), int(trouve[2])
        page = retenues[premier:dernier + 1]
        if not page:
            self.journal.append((RECHERCHE, plage, 204))
            return 204, {}, None
        self.servies.update(o["id"] for o in page)
        statut = 200 if len(page) == len(retenues) else 206
        self.journal.append((RECHERCHE, plage, statut))
        return (statut, {"Content-Range": f"offres {premier}-{premier + len(page) - 1}/{len(retenues)}"},
                {"resultats": page, "filtresPossibles": []})

    def _stats(self, entetes, indicateur: str, corps: bytes) -> tuple:
        if not self._autorise(entetes, SCOPE_STATS):
            return 401, {}, {"message": "Invalid or expired token"}
        demande = json.loads(corps)
        self.corps_stats.append({"indicateur": indicateur} | demande)
        if demande.get("codeTypeTerritoire") == "BASSIN":
            return 400, {}, {"message": f"Territoire inconnu : {demande.get('codeTerritoire')}"}
        reponse = self.stats.get((indicateur, demande["codeTypeTerritoire"], demande["codeTerritoire"],
                                  demande["codeActivite"]))
        return (200, {}, reponse) if reponse else (204, {}, None)


def offres_reelles(partage: Path) -> list[dict]:
    """The union of the saved pages, deduplicated by id."""
    offres: dict[str, dict] = {}
    for page in sorted((partage / "ft-offres-74").glob("*.json")):
        for offre in json.loads(page.read_text(encoding="utf-8"))["resultats"]:
            offres.setdefault(offre["id"], offre)
    return list(offres.values())


@pytest.fixture
def identifiants(monkeypatch):
    monkeypatch.setenv("FT_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("FT_CLIENT_SECRET", SECRET)


@pytest.fixture
def faux(partage):
    serveurs = []

    def _faux(**options) -> FauxFranceTravail:
        serveurs.append(FauxFranceTravail(offres_reelles(partage), **options))
        return serveurs[-1]

    yield _faux
    for serveur in serveurs:
        serveur.fermer()


def collecter_ft(serveur: FauxFranceTravail, tmp_path: Path, *options: str):
    return runner.invoke(app, [
        "collecter-ft", "--api-url", f"{serveur.base}/partenaire/offresdemploi", "--token-url", serveur.url_jeton,
        "--entree", str(tmp_path / "entree"), "--entrepot", str(tmp_path / "entrepot.duckdb"), *options])


def _manifestes(dossier: Path) -> list[dict]:
    return [json.loads(m.read_text()) for m in sorted(dossier.rglob(MANIFESTE))]


# --------------------------------------------------------------------------- offers

def test_collecter_ft_recupere_chaque_offre_une_fois(prefect_harness, faux, identifiants, tmp_path):
    serveur = faux(profondeur=150)  # first index 150 at most: 300 offers per window
    serveur.pannes = {2: (429, {"Retry-After": "1"}), 5: (500, {})}
    serveur.expire_apres = 8
    resultat = collecter_ft(serveur, tmp_path, "--departement", "74",
                            "--depuis", "2025-05-01", "--jusqua", "2025-08-06T12:00")
    assert resultat.exit_code == 0, resultat.output

    # The 838 offers were created from 2025-05-09 to 2025-08-05 23:00:45 UTC: all are in the window.
    assert set(serveur.servies) == {o["id"] for o in serveur.offres} and len(serveur.servies) == 838
    statuts = Counter(statut for chemin, _, statut in serveur.journal if chemin == RECHERCHE)
    # one 429 and one 500 (each retried), one 401 (expired token, renewed once), and one 400:
    # the client expected a depth of 3000, asked for 300-449 and learnt the fake's depth of 150
    assert (statuts[429], statuts[500], statuts[401], statuts[400]) == (1, 1, 1, 1)
    recherches = [(plage, statut) for chemin, plage, statut in serveur.journal if chemin == RECHERCHE]
    refus = recherches.index(("300-449", 400))
    assert all(int(plage.split("-")[0]) <= 150 for plage, _ in recherches[refus + 1:])  # depth learnt
    assert [(s, st) for c, s, st in serveur.journal if c == JETON] == [(SCOPE_OFFRES, 200), (SCOPE_OFFRES, 200)]
    # Retry-After (1 s) after the 2nd search, a backoff (1 s) after the 5th, and never more
    # than 10 requests in any second
    arrivees = [t for chemin, t in serveur.arrivees if chemin == RECHERCHE]
    assert arrivees[2] - arrivees[1] >= 1.0 and arrivees[5] - arrivees[4] >= 1.0
    toutes = [t for _, t in serveur.arrivees]
    assert min(b - a for a, b in zip(toutes, toutes[10:], strict=False)) >= 0.95

    (manifeste,) = _manifestes(tmp_path / "entree")
    assert (manifeste["debut"], manifeste["fin"]) == ("2025-04-30T22:00:00Z", "2025-08-06T10:00:00Z")
    assert manifeste["offres"] == 838 and manifeste["profondeur"] == 150 and manifeste["hors_portee"] == 0
    # The pages kept as the pull's partition hold every offer once, except an offer created
    # exactly on a boundary instant between two windows, which both windows hold.
    dossier = tmp_path / "entree" / "offres-ft" / "api" / "dep-74_tous-metiers"
    retenues = Counter(o["id"] for p in manifeste["pages"] if p["retenue"] and p["fichier"]
                       for o in json.loads(next(dossier.rglob(p["fichier"])).read_text())["resultats"])
    bornes = {_instant(b) for b in manifeste["bornes"]}
    attendu = Counter({o["id"]: 1 + (_instant(o["dateCreation"]) in bornes) for o in serveur.offres})
    assert retenues == attendu
    assert manifeste["doublons_aux_bornes"] == sum(attendu.values()) - 838
    # Every answered page is on disk, byte for byte what the fake sent.
    fichiers = sorted(p for p in dossier.rglob("*.json") if not p.name.startswith("."))
    assert len(fichiers) == statuts[200] + statuts[206] == len([p for p in manifeste["pages"] if p["fichier"]])
    assert all(json.loads(f.read_text())["resultats"] for f in fichiers)

    with warehouse.ouvrir(tmp_path / "entrepot.duckdb", lecture_seule=True) as con:
        assert con.execute("select count(*), count(distinct offre_id) from brut.offres_ft").fetchone() == (838, 838)
        assert rejets(con, "offres-ft") == []
    assert "838 offres en" in resultat.output
    assert "Total : 838 ligne(s) chargée(s)" in resultat.output

    # The next pull starts where this one ended; nothing new was created since.
    encore = collecter_ft(serveur, tmp_path, "--departement", "74", "--jusqua", "2025-08-07T12:00")
    assert encore.exit_code == 0, encore.output
    dernier = _manifestes(tmp_path / "entree")[-1]
    assert (dernier["debut"], dernier["fin"], dernier["offres"]) == ("2025-08-06T10:00:00Z", "2025-08-07T10:00:00Z", 0)
    assert serveur.journal[-1] == (RECHERCHE, "0-149", 204)


def test_collecter_ft_par_rome_une_seule_page(prefect_harness, faux, identifiants, tmp_path):
    serveur = faux()
    resultat = collecter_ft(serveur, tmp_path, "--departement", "74", "--rome", "i1304",
                            "--depuis", "2025-05-01", "--jusqua", "2025-08-06T12:00")
    assert resultat.exit_code == 0, resultat.output
    # SOURCES.md: 11 offers with romeCode I1304, one page answered 200
    assert [(s, st) for c, s, st in serveur.journal if c == RECHERCHE] == [("0-149", 200)]
    assert len(serveur.servies) == 11
    assert "Offres France Travail (département 74, ROME I1304)" in resultat.output
    assert (tmp_path / "entree" / "offres-ft" / "api" / "dep-74_rome-I1304").is_dir()


@pytest.mark.parametrize(("options", "message"), [
    (["--departement", "2C"], "Erreur : département mal formé « 2C » (exemples : 21, 2A, 974)"),
    (["--departement", "21", "--rome", "I13"], "Erreur : code ROME mal formé « I13 » (une lettre et 4 chiffres, ex. I1304)"),
    (["--departement", "21", "--depuis", "hier"],
     "Erreur : date illisible « hier » pour --depuis (attendu AAAA-MM-JJ ou AAAA-MM-JJTHH:MM, heure de Paris)"),
])
def test_collecter_ft_erreurs_de_saisie(prefect_harness, faux, identifiants, tmp_path, options, message):
    resultat = collecter_ft(faux(), tmp_path, *options)
    assert resultat.exit_code == 1
    assert resultat.output.strip() == message


# --------------------------------------------------------------------------- market statistics

def _valeurs(base: dict, **champs) -> dict:
    return base | champs


def statistiques() -> dict:
    """Responses for I1304 in Côte-d'Or, in the documented format."""
    base = {"codeTypeTerritoire": "DEP", "codeTerritoire": "21", "libTerritoire": "Côte-d'Or",
            "codeTypeActivite": "ROME", "codeActivite": "I1304",
            "libActivite": "Technicien / Technicienne de maintenance industrielle"}
    trimestre = {"codeTypePeriode": "TRIMESTRE", "codePeriode": "2026T3", "libPeriode": "3e trimestre 2026"}
    niveaux = [{"codeTypeCaract": "NIVFORM", "codeCaract": "NV4", "libCaract": "Bac", "nombre": 120, "pourcentage": 40.0}]
    rangs = {"PERSPECTIVE": 5, "INT_EMB": 5, "MAIN_OEUVRE": 1, "ATTR_SALARIALE": 4, "COND_TRAVAIL": 3,
             "DUR_EMPL": 2, "MISMATCH_GEO": 2, "SPECIF_FORM_EMPL": 4}
    return {
        ("stat-demandeurs", "DEP", "21", "I1304"): {
            "codeIndicateur": "DE_1", "libIndicateur": "Demandeurs d'emploi en fin de période", "datMaj": "2026-11-16",
            "listeValeursParPeriode": [
                base | trimestre | {"codeNomenclature": "A", "libNomenclature": "Catégorie A",
                                    "valeurPrincipaleNombre": 300, "listeValeurParCaract": niveaux},
                base | trimestre | {"codeNomenclature": "ABC", "libNomenclature": "Catégories A, B, C",
                                    "valeurPrincipaleNombre": 510, "listeValeurParCaract": []}]},
        ("stat-offres", "DEP", "21", "I1304"): {
            "codeIndicateur": "OFF_1", "libIndicateur": "Offres d'emploi enregistrées", "datMaj": "2026-11-16",
            "listeValeursParPeriode": [
                base | trimestre | {"codeNomenclature": "1", "libNomenclature": "Offres déposées à France Travail",
                                    "valeurPrincipaleNombre": 84},
                base | trimestre | {"codeNomenclature": "2", "libNomenclature": "Offres de partenaires",
                                    "valeurPrincipaleNombre": 131}]},
        ("stat-perspective-employeur", "DEP", "21", "I1304"): {
            "codeIndicateur": "PERSP_2", "libIndicateur": "Indicateur de tension", "datMaj": "2026-03-20",
            "listeValeursParPeriode": [
                base | {"codeTypePeriode": "ANNEE", "codePeriode": "2025", "libPeriode": "Année 2025",
                        "codeNomenclature": code, "valeurPrincipaleRang": rang} for code, rang in rangs.items()]},
    }


def collecter_marche(serveur: FauxFranceTravail, tmp_path: Path, *options: str):
    return runner.invoke(app, [
        "collecter-marche", "--stats-url", f"{serveur.base}/partenaire/stats-offres-demandes-emploi",
        "--token-url", serveur.url_jeton, "--entree", str(tmp_path / "entree"),
        "--entrepot", str(tmp_path / "entrepot.duckdb"), *options])


def test_collecter_marche_charge_les_trois_indicateurs(prefect_harness, faux, identifiants, tmp_path):
    serveur = faux(stats=statistiques())
    resultat = collecter_marche(serveur, tmp_path, "--territoire", "dep:21", "--territoire", "BASSIN:2715",
                                "--rome", "I1304", "--rome", "H2301")
    assert resultat.exit_code == 0, resultat.output
    # 2 territories × 2 occupations × 3 indicators; the fake refuses every BASSIN (400)
    assert len(serveur.corps_stats) == 12
    assert serveur.corps_stats[0] == {
        "indicateur": "stat-demandeurs", "codeTypeTerritoire": "DEP", "codeTerritoire": "21",
        "codeTypeActivite": "ROME", "codeActivite": "H2301", "codeTypePeriode": "TRIMESTRE",
        "codeTypeNomenclature": "CATCAND", "dernierePeriode": True, "sansCaracteristiques": False}
    assert [(c["indicateur"], c["codeTypeNomenclature"], c["codeTypePeriode"], c["sansCaracteristiques"])
            for c in serveur.corps_stats[3:6]] == [
        ("stat-demandeurs", "CATCAND", "TRIMESTRE", False), ("stat-offres", "ORIGINEOFF", "TRIMESTRE", True),
        ("stat-perspective-employeur", "TYPE_TENSION", "ANNEE", True)]
    assert [(c, s) for c, s, _ in serveur.journal if c == JETON] == [(JETON, SCOPE_STATS)]
    assert "Marché du travail (DEP:21, BASSIN:2715 × H2301, I1304) : 3 réponses gardée(s), " \
           "3 requêtes sans donnée, 6 requêtes refusée(s)." in resultat.output
    assert "Refusée : stat-demandeurs BASSIN:2715 I1304 (HTTP 400) : Territoire inconnu : 2715" in resultat.output

    dossier = next((tmp_path / "entree" / "demandeurs" / "api").iterdir())
    assert sorted(p.name for p in dossier.iterdir()) == [
        MANIFESTE, "stat-demandeurs_I1304_DEP-21.json", "stat-offres_I1304_DEP-21.json",
        "stat-perspective-employeur_I1304_DEP-21.json"]
    with warehouse.ouvrir(tmp_path / "entrepot.duckdb", lecture_seule=True) as con:
        lignes = con.execute("""
            select code_indicateur, code_nomenclature, code_periode, valeur_nombre, valeur_rang
            from brut.stat_marche order by code_indicateur, code_nomenclature""").fetchall()
        niveaux = con.execute("select caracteristiques_json from brut.stat_marche "
                              "where code_indicateur = 'DE_1' and code_nomenclature = 'A'").fetchone()[0]
    assert lignes == [
        ("DE_1", "A", "2026T3", 300.0, None), ("DE_1", "ABC", "2026T3", 510.0, None),
        ("OFF_1", "1", "2026T3", 84.0, None), ("OFF_1", "2", "2026T3", 131.0, None),
        ("PERSP_2", "ATTR_SALARIALE", "2025", None, 4), ("PERSP_2", "COND_TRAVAIL", "2025", None, 3),
        ("PERSP_2", "DUR_EMPL", "2025", None, 2), ("PERSP_2", "INT_EMB", "2025", None, 5),
        ("PERSP_2", "MAIN_OEUVRE", "2025", None, 1), ("PERSP_2", "MISMATCH_GEO", "2025", None, 2),
        ("PERSP_2", "PERSPECTIVE", "2025", None, 5), ("PERSP_2", "SPECIF_FORM_EMPL", "2025", None, 4)]
    assert json.loads(niveaux)[0]["nombre"] == 120


# --------------------------------------------------------------------------- the secret

class Memoire(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.textes: list[str] = []

    def emit(self, record):
        self.textes.append(self.format(record) + (record.exc_text or ""))


@pytest.fixture
def journaux():
    """Every Python log record, from every logger, at DEBUG level."""
    memoire = Memoire()
    loggers = [logging.getLogger(), logging.getLogger("prefect"), logging.getLogger("httpx"),
               logging.getLogger("httpcore")]
    niveaux = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(memoire)
        lg.setLevel(logging.DEBUG)
    yield memoire
    for lg, niveau in zip(loggers, niveaux, strict=True):
        lg.removeHandler(memoire)
        lg.setLevel(niveau)


def test_le_secret_n_apparait_nulle_part(prefect_harness, faux, tmp_path, monkeypatch, journaux):
    from prefect.blocks.system import Secret
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterStartTime,
        LogFilter,
        LogFilterTimestamp,
    )

    # Credentials from Prefect Secret blocks this time (no environment variable).
    monkeypatch.delenv("FT_CLIENT_ID", raising=False)
    monkeypatch.delenv("FT_CLIENT_SECRET", raising=False)
    Secret(value=CLIENT_ID).save("ft-client-id", overwrite=True)
    Secret(value=SECRET).save("ft-client-secret", overwrite=True)
    serveur = faux(stats=statistiques())
    serveur.pannes = {1: (500, {})}
    serveur.expire_apres = 0  # the first token is already expired
    debut = datetime.now().astimezone()
    offres = collecter_ft(serveur, tmp_path, "--departement", "74", "--rome", "I1304",
                          "--depuis", "2025-07-01", "--jusqua", "2025-08-06T12:00")
    marche = collecter_marche(serveur, tmp_path, "--territoire", "DEP:21", "--rome", "I1304")
    assert offres.exit_code == 0 and marche.exit_code == 0, offres.output + marche.output
    assert [s for c, _, s in serveur.journal if c == JETON] == [200, 200, 200]  # offers twice (expiry), stats
    # A wrong secret: a French error naming the endpoint, never the secret sent.
    Secret(value="mauvais-" + SECRET).save("ft-client-secret", overwrite=True)
    refus = collecter_ft(serveur, tmp_path, "--departement", "74", "--depuis", "2025-07-01")
    assert refus.exit_code == 1
    assert refus.output.strip() == (f"Erreur : identifiants France Travail refusés par {serveur.base}{JETON} "
                                    "(HTTP 401 : Client authentication failed)")
    assert len(list((tmp_path / "entree" / "offres-ft" / "api" / "dep-74_tous-metiers").glob("*"))) == 0

    with get_client(sync_client=True) as client:
        recents = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            start_time=FlowRunFilterStartTime(after_=debut)))
        lus = client.read_logs(log_filter=LogFilter(timestamp=LogFilterTimestamp(after_=debut)))
        artefacts = client.read_artifacts()
    assert len(recents) >= 4  # two pulls, each with its ingestion subflow
    textes = {
        "journaux Python": "\n".join(journaux.textes),
        "journaux Prefect": "\n".join(log.message for log in lus),
        "paramètres des exécutions": json.dumps([r.parameters for r in recents], default=str),
        "artefacts": json.dumps([[a.key, a.description, a.data] for a in artefacts], default=str),
        "sorties": offres.output + marche.output + refus.output,
    }
    assert "jeton expiré" in textes["journaux Prefect"].lower()  # the logs were captured
    assert any("collecte-offres-ft" == a.key for a in artefacts)
    for ou, texte in textes.items():
        assert SECRET not in texte, ou
    ecrits = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(ecrits) >= 6  # pages, responses, manifests, warehouse
    for fichier in ecrits:
        assert SECRET.encode() not in fichier.read_bytes(), fichier


class JetonBavard:
    """A token endpoint on 127.0.0.1 that refuses every request (HTTP 400) and quotes it
    back in its error: the path with its query string, and the form it was sent."""

    def __init__(self):
        class Gestionnaire(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                corps = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                donnees = json.dumps({"error": "invalid_request",
                                      "error_description": f"requête refusée : {self.path} {corps}"}).encode()
                self.send_response(400)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(donnees)))
                self.end_headers()
                self.wfile.write(donnees)

        self._http, self.base = servir_localement(Gestionnaire)

    def fermer(self):
        arreter(self._http)


def _base_prefect() -> dict[str, str]:
    """The text of each table of the test Prefect server's database."""
    import sqlite3

    from prefect.settings import PREFECT_SERVER_DATABASE_CONNECTION_URL

    chemin = PREFECT_SERVER_DATABASE_CONNECTION_URL.value().split(":///", 1)[1]
    con = sqlite3.connect(chemin, timeout=30)
    try:
        tables = [t for (t,) in con.execute("select name from sqlite_master where type = 'table'")]
        return {table: "\n".join(str(ligne) for ligne in con.execute(f'select * from "{table}"').fetchall())  # noqa: S608
                for table in tables}
    finally:
        con.close()


def test_secret_renvoye_par_le_serveur_ou_mis_dans_l_adresse(prefect_harness, identifiants, tmp_path, capfd,
                                                             journaux):
    """The token endpoint echoes the request (body and query string) in its error; the
    client secret and a secret written in --token-url reach no message, log, state,
    event or parameter."""
    dans_l_url = "Qs7-secret-dans-l-url-X4"
    serveur = JetonBavard()
    try:
        resultat = runner.invoke(app, [
            "collecter-ft", "--departement", "74", "--depuis", "2025-07-01", "--api-url", f"{serveur.base}/api",
            "--token-url", f"{serveur.base}/jeton?realm=%2Fpartenaire&client_secret={dans_l_url}",
            "--entree", str(tmp_path / "entree"), "--entrepot", str(tmp_path / "entrepot.duckdb")])
    finally:
        serveur.fermer()
    assert resultat.exit_code == 1
    assert resultat.output.strip() == (
        f"Erreur : identifiants France Travail refusés par {serveur.base}/jeton (HTTP 400 : requête refusée : "
        "/jeton?realm=%2Fpartenaire&client_secret=[secret masqué] grant_type=client_credentials&"
        "client_id=hub-test-client&client_secret=[secret masqué]&scope=api_offresdemploiv2+o2dsoffre)")
    console = capfd.readouterr()
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=30, at_exit=False)  # send the logs and events still queued
    EventsWorker.drain_all(timeout=30, at_exit=False)
    stockees = ("flow_run_state", "task_run_state", "log", "events")  # the error was stored there, masked
    for _ in range(60):  # logs and events are written in batches
        base = _base_prefect()
        trouvees = [t for t in stockees if "client_secret=[secret masqu" in base[t]]  # é JSON-escaped in events
        if trouvees == list(stockees):
            break
        time.sleep(0.5)
    assert trouvees == list(stockees)
    assert "jeton?realm=%2Fpartenaire&client_secret=[secret masqu" in base["flow_run"], base["flow_run"]  # parameters
    textes = {"sortie": resultat.output, "console": console.out + console.err,
              "journaux Python": "\n".join(journaux.textes)} | {f"table Prefect {t}": texte for t, texte in base.items()}
    for ou, texte in textes.items():
        for secret in (SECRET, dans_l_url):
            assert secret not in texte, (ou, secret)


def test_caviarder_et_url_publique():
    from flows.collecte.client import caviarder, retenir_secret, url_publique

    retenir_secret("Zk+9/écho=s3cret")
    assert caviarder('client_secret=Zk%2B9%2F%C3%A9cho%3Ds3cret&x ; "Zk+9/\\u00e9cho=s3cret" ; Zk+9/écho=s3cret') == (
        'client_secret=[secret masqué]&x ; "[secret masqué]" ; [secret masqué]')
    assert url_publique("http://moi:mot-de-passe@hote/jeton?realm=%2Fpartenaire&client_secret=abc&jeton") == (
        "http://moi:[secret masqué]@hote/jeton?realm=%2Fpartenaire&client_secret=[secret masqué]&[secret masqué]")
