"""What both France Travail APIs share: settings, credentials, the OAuth2 client, raw files.

The client asks for a client-credentials token, sends at most 10 requests per second,
refreshes the token once on a 401, waits ``Retry-After`` on a 429 and retries 5xx answers
and network errors with a growing pause. Credentials are read at run time from the
environment or from Prefect Secret blocks: they are never flow or task parameters (the
Prefect UI shows those), never logged and never written; error messages carry the status
and the API's own message, never a request.

A server may still echo a secret back (a token endpoint that quotes the request body in
its error), and a user may put one in an address (``--token-url ...?client_secret=...``):
every secret the client holds (the client secret, the access token, the values of an
address's query string) is registered with ``retenir_secret`` and ``caviarder`` removes
them, in clear or URL-encoded, from every ``ErreurAPI`` message, every API explanation
(``motif_api``) and every log record before anything is shown, logged or stored; the flows' parameters are
stored with their addresses' query values and passwords masked (``FlowSansSecret``).
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit, urlunsplit

import httpx
from prefect import Flow

from flows.config import identifiants_france_travail
from flows.erreurs import ErreurUtilisateur
from flows.formats import heure_paris, nombre_fr

URL_JETON = "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire"
URL_OFFRES = "https://api.francetravail.io/partenaire/offresdemploi"
URL_STATS = "https://api.francetravail.io/partenaire/stats-offres-demandes-emploi"
BLOC_ID, BLOC_SECRET = "ft-client-id", "ft-client-secret"  # Prefect Secret blocks
MANIFESTE = ".collecte.json"  # hidden: ingestion skips files whose name starts with a dot

REQUETES_PAR_SECONDE = 10.0  # the partner APIs' documented rate limit
ESSAIS = 5  # attempts of one request on 429, 5xx or network errors
ATTENTE_MAX = 120.0  # a longer Retry-After ends the pull (Prefect retries the task later)
MARGE_JETON = 60.0  # seconds before expiry when a token is renewed


P = ParamSpec("P")
R = TypeVar("R")
SECRET_MASQUE = "[secret masqué]"
PARAMETRES_PUBLICS = frozenset({"realm"})  # query parameters of an address that are no secret
_SECRETS: set[str] = set()


def retenir_secret(valeur: str | None) -> None:
    """Remember a secret of this process, so that ``caviarder`` removes it from any text,
    log records included (``httpx`` logs each request's address at the INFO level)."""
    if valeur and len(valeur.strip()) >= 4:  # shorter values would mask common words
        _SECRETS.add(valeur.strip())
        _caviarder_les_journaux()


@cache
def _caviarder_les_journaux() -> None:
    """From now on, every log record of this process is created without the secrets: its
    message is formatted and scrubbed before any handler (Prefect's included) sees it."""
    fabrique = logging.getLogRecordFactory()

    def sans_secret(*args: Any, **kwargs: Any) -> logging.LogRecord:
        enregistrement = fabrique(*args, **kwargs)
        try:
            message = enregistrement.getMessage()
        except Exception:  # a broken record is the logging module's to report
            return enregistrement
        propre = caviarder(message)
        if propre != message:
            enregistrement.msg, enregistrement.args = propre, ()
        return enregistrement

    logging.setLogRecordFactory(sans_secret)


def caviarder(texte: str) -> str:
    """``texte`` without any registered secret, in clear or in the forms a request carries
    it (URL-encoded in a form or a query string, JSON-escaped)."""
    formes = {forme for secret in _SECRETS
              for forme in (secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1])}
    for forme in sorted(formes, key=len, reverse=True):
        texte = texte.replace(forme, SECRET_MASQUE)
    return texte


def _parametres(url: str) -> list[tuple[str, str, str]]:
    """``(raw pair, name, value)`` of each parameter of an address's query string."""
    paires = []
    for paire in urlsplit(url).query.split("&"):
        cle, _, valeur = paire.partition("=")
        if paire:
            paires.append((paire, unquote_plus(cle), unquote_plus(valeur)))
    return paires


def url_publique(url: str) -> str:
    """An address as it may be shown or stored: the values of its query string (but
    ``realm``; a parameter without a value is a value) and its password replaced by
    ``SECRET_MASQUE``."""
    morceaux = urlsplit(url)
    requete = "&".join(paire if cle in PARAMETRES_PUBLICS else
                       (f"{paire.partition('=')[0]}={SECRET_MASQUE}" if "=" in paire else SECRET_MASQUE)
                       for paire, cle, _ in _parametres(url))
    hote = morceaux.netloc
    if morceaux.password is not None:
        hote = hote.replace(f":{morceaux.password}@", f":{SECRET_MASQUE}@", 1)
    return urlunsplit((morceaux.scheme, hote, morceaux.path, requete, morceaux.fragment))


def retenir_secrets_url(url: str) -> None:
    """The query values (but ``realm``) and the password of an address are secrets."""
    for paire, cle, valeur in _parametres(url):
        if cle not in PARAMETRES_PUBLICS:
            retenir_secret(valeur if "=" in paire else cle)
    retenir_secret(urlsplit(url).password)


class FlowSansSecret(Flow[P, R]):
    """A flow whose parameters are stored (flow run, Prefect UI) with every address made
    public by ``url_publique``; the flow itself gets them as given."""

    def serialize_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        return super().serialize_parameters({
            cle: url_publique(valeur) if isinstance(valeur, str) and "://" in valeur else valeur
            for cle, valeur in parameters.items()})


def flow_sans_secret(**options: Any) -> Callable[[Callable[P, R]], FlowSansSecret[P, R]]:
    """``@flow(...)`` for the flows that take addresses: a ``FlowSansSecret``."""
    def decorer(fonction: Callable[P, R]) -> FlowSansSecret[P, R]:
        return FlowSansSecret(fonction, **options)
    return decorer


class ErreurAPI(ErreurUtilisateur):
    """The API refused or failed; ``passagere`` when trying again later may succeed.
    Its message never holds a registered secret (``caviarder``)."""

    def __init__(self, message: str, passagere: bool = False):
        super().__init__(caviarder(message))
        self.passagere = passagere


def erreur_passagere(task, task_run, state) -> bool:
    """Prefect retry condition: retry outages, not what the user must fix (credentials, query)."""
    try:
        state.result()
    except ErreurAPI as e:
        return e.passagere
    except ErreurUtilisateur:
        return False
    except Exception:
        return True
    return False


@dataclass(frozen=True)
class Identifiants:
    client_id: str
    client_secret: str = field(repr=False)


def identifiants() -> Identifiants:
    """``FT_CLIENT_ID`` / ``FT_CLIENT_SECRET``, else the Secret blocks of the Prefect server."""
    client_id, secret = identifiants_france_travail()
    if not (client_id and secret):
        client_id, secret = _bloc(BLOC_ID), _bloc(BLOC_SECRET)
    if not (client_id and secret):
        raise ErreurAPI(
            "identifiants France Travail absents : définissez FT_CLIENT_ID et FT_CLIENT_SECRET, ou créez "
            f"les blocs Secret « {BLOC_ID} » et « {BLOC_SECRET} » dans Prefect (voir le README)")
    retenir_secret(secret)
    return Identifiants(client_id.strip(), secret.strip())


def _bloc(nom: str) -> str | None:
    from prefect.blocks.system import Secret

    try:
        return str(cast(Secret, Secret.load(nom)).get())
    except ValueError:  # no such block
        return None


def journal() -> logging.Logger | logging.LoggerAdapter:
    """The run's logger inside a flow (shown in the Prefect UI), else a standard one."""
    from prefect.exceptions import MissingContextError
    from prefect.logging import get_run_logger

    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("flows.collecte")


def _sans_requete(url: str | httpx.URL) -> str:
    return str(url).split("?")[0]


def motif_api(reponse: httpx.Response) -> str:
    """The API's own explanation of a refusal (its JSON ``message``), short, without any
    secret it may echo (the secrets are removed before shortening, so that none is cut
    into a part ``caviarder`` would not recognise)."""
    try:
        corps = reponse.json()
    except ValueError:
        return caviarder(reponse.text.strip())[:200]
    if isinstance(corps, dict):
        for cle in ("message", "error_description", "error"):
            if corps.get(cle):
                return caviarder(str(corps[cle]))[:200]
    return caviarder(str(corps))[:200]


class ClientFT:
    """An authenticated, throttled session on one France Travail API (one OAuth scope)."""

    def __init__(self, url_jeton: str, scope: str, acces: Identifiants, *,
                 par_seconde: float = REQUETES_PAR_SECONDE, attente_base: float = 1.0):
        self.url_jeton, self.scope = url_jeton, scope
        retenir_secrets_url(url_jeton)
        retenir_secret(acces.client_secret)
        self._acces = acces
        self._intervalle = 1.0 / par_seconde
        self._attente_base = attente_base
        self._prochain = 0.0
        self._jeton: str | None = None
        self._expire = 0.0
        self.requetes = 0
        self._http = httpx.Client(timeout=httpx.Timeout(30.0),
                                  headers={"Accept": "application/json", "User-Agent": "hub-tensions"})

    def __enter__(self) -> ClientFT:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def appeler(self, methode: str, url: str, **options: Any) -> httpx.Response:
        """An authenticated request. 401 renews the token once; every other answer that is
        not 429 or 5xx (retried inside) goes back to the caller."""
        renouvele = False
        while True:
            entetes = {"Authorization": f"Bearer {self.jeton()}"}
            reponse = self._envoyer(methode, url, headers=entetes, **options)
            if reponse.status_code != 401:
                return reponse
            if renouvele:
                raise ErreurAPI(f"accès refusé par {_sans_requete(url)} (HTTP 401) même avec un jeton neuf : "
                                f"vérifiez que l'application a souscrit à cette API ({motif_api(reponse)})")
            journal().info("Jeton expiré ou refusé (HTTP 401) : demande d'un nouveau jeton")
            self._jeton, renouvele = None, True

    def jeton(self) -> str:
        """A valid access token, asked for when there is none or it is about to expire."""
        if self._jeton and time.monotonic() < self._expire:
            return self._jeton
        reponse = self._envoyer("POST", self.url_jeton, data={
            "grant_type": "client_credentials", "client_id": self._acces.client_id,
            "client_secret": self._acces.client_secret, "scope": self.scope})
        if reponse.status_code != 200:
            raise ErreurAPI(f"identifiants France Travail refusés par {_sans_requete(self.url_jeton)} "
                            f"(HTTP {reponse.status_code} : {motif_api(reponse)})")
        try:
            corps = reponse.json()
            self._jeton = str(corps["access_token"])
            retenir_secret(self._jeton)
            duree = float(corps.get("expires_in", 0))
        except (ValueError, KeyError, TypeError) as e:
            raise ErreurAPI(f"réponse inattendue de {_sans_requete(self.url_jeton)} : pas de jeton d'accès") from e
        self._expire = time.monotonic() + max(duree - MARGE_JETON, 0.0)
        return self._jeton

    def _attendre_tour(self) -> None:
        """At most ``par_seconde`` requests started per second."""
        maintenant = time.monotonic()
        if self._prochain > maintenant:
            time.sleep(self._prochain - maintenant)
        self._prochain = max(maintenant, self._prochain) + self._intervalle

    def _envoyer(self, methode: str, url: str, **options: Any) -> httpx.Response:
        """One request, throttled, tried again on 429, 5xx and network errors."""
        probleme = ""
        for essai in range(1, ESSAIS + 1):
            self._attendre_tour()
            self.requetes += 1
            attente = self._attente_base * 2 ** (essai - 1)
            try:
                reponse = self._http.request(methode, url, **options)
            except httpx.TransportError as e:
                probleme = f"erreur réseau ({type(e).__name__} : {e})"
            else:
                if reponse.status_code == 429:
                    attente = _retry_after(reponse, attente)
                    probleme = "trop de requêtes (HTTP 429)"
                    if attente > ATTENTE_MAX:
                        raise ErreurAPI(f"quota de l'API dépassé : {_sans_requete(url)} demande d'attendre "
                                        f"{nombre_fr(round(attente))} s ; la collecte reprendra plus tard", passagere=True)
                elif reponse.status_code >= 500:
                    probleme = f"erreur du serveur (HTTP {reponse.status_code})"
                else:
                    return reponse
            if essai < ESSAIS:
                journal().warning(caviarder(f"{_sans_requete(url)} : {probleme}, nouvel essai dans {nombre_fr(round(attente))} s"))
                time.sleep(attente)
        raise ErreurAPI(f"{_sans_requete(url)} ne répond pas correctement après {ESSAIS} essais : {probleme} ; "
                        "réessayez plus tard", passagere=True)


def _retry_after(reponse: httpx.Response, defaut: float) -> float:
    """Seconds to wait: ``Retry-After`` as seconds or as an HTTP date."""
    valeur = reponse.headers.get("Retry-After", "").strip()
    if re.fullmatch(r"\d+(\.\d+)?", valeur):
        return float(valeur)
    try:
        return max((parsedate_to_datetime(valeur) - datetime.now(UTC)).total_seconds(), 0.0)
    except (TypeError, ValueError):
        return defaut


# --------------------------------------------------------------------------- dates

def maintenant() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(instant: datetime) -> str:
    """The APIs' form, ``2025-05-01T00:00:00Z``."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def heure_fr(instant: datetime) -> str:
    """Paris time, as everything the command line shows (``flows.formats.heure_paris``)."""
    return heure_paris(instant)


# --------------------------------------------------------------------------- raw files

def ecrire_brut(dossier: Path, nom: str, contenu: bytes) -> Path:
    """Write a response body under a new name (never over an existing file), atomically."""
    dossier.mkdir(parents=True, exist_ok=True)
    temporaire = dossier / f".{nom}.partiel"
    temporaire.write_bytes(contenu)
    base, extension = os.path.splitext(nom)
    for n in range(1, 1000):
        chemin = dossier / (nom if n == 1 else f"{base}-{n}{extension}")
        try:
            os.link(temporaire, chemin)
        except FileExistsError:
            continue
        temporaire.unlink()
        return chemin
    raise ErreurUtilisateur(f"{dossier} : trop de fichiers nommés {nom}")


def nouveau_dossier(base: Path) -> Path:
    """One folder per pull, named after its start (UTC)."""
    horodatage = f"{maintenant():%Y%m%dT%H%M%SZ}"
    for n in range(1, 100):
        dossier = base / (horodatage if n == 1 else f"{horodatage}-{n}")
        try:
            dossier.mkdir(parents=True)
            return dossier
        except FileExistsError:
            continue
    raise ErreurUtilisateur(f"{base} : impossible de créer le dossier de la collecte")


def ecrire_manifeste(dossier: Path, contenu: dict) -> Path:
    """The pull's record, written last: a pull without one did not finish."""
    dossier.mkdir(parents=True, exist_ok=True)
    chemin = dossier / MANIFESTE
    chemin.write_text(json.dumps(contenu, ensure_ascii=False, indent=1), encoding="utf-8")
    return chemin


def manifestes(racine: Path) -> list[dict]:
    """Finished pulls under ``racine``, oldest first, each with its folder."""
    trouves = []
    for chemin in sorted(racine.rglob(MANIFESTE)) if racine.is_dir() else []:
        try:
            contenu = json.loads(chemin.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        trouves.append(contenu | {"dossier": str(chemin.parent)})
    return sorted(trouves, key=lambda m: m.get("terminee_le", ""))
