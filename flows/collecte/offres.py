"""Flow « collecte France Travail »: offers of the "Offres d'emploi v2" API, by département,
ROME codes and creation dates, written raw to ``donnees/entree/offres-ft/api/`` then loaded.

A pull covers creation dates from the end of the previous finished pull of the same query
(its watermark) to now. The API serves at most 150 offers per request (``range=a-b``, the
total in ``Content-Range: offres a-b/total``) and no deeper than a first index of 3000: a
window holding more offers than that is split in two halves, recursively (the depth is
also learnt from a 400 refusing a shallower range). Requests carry whole seconds while
offers are timestamped to the millisecond, so two halves share their boundary instant:
nothing can fall between them, and an offer created exactly on a boundary is fetched
twice (the loader merges it). The first page of a window that is then split is
kept on disk too (nothing fetched is thrown away) but is not part of the pull's partition.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows import arguments
from flows.arguments import codes_rome, lire_instant
from flows.collecte.client import (
    URL_JETON,
    URL_OFFRES,
    ClientFT,
    ErreurAPI,
    ecrire_brut,
    ecrire_manifeste,
    erreur_passagere,
    flow_sans_secret,
    heure_fr,
    identifiants,
    iso,
    journal,
    maintenant,
    manifestes,
    motif_api,
    nouveau_dossier,
)
from flows.config import ENTREE, url_france_travail
from flows.erreurs import echec_en_francais
from flows.formats import nombre_fr, pluriel
from flows.ingestion import ingestion, referentiels_livres, resume

SCOPE = "api_offresdemploiv2 o2dsoffre"
RECHERCHE = "/v2/offres/search"
LARGEUR = 150  # widest range the API serves
PROFONDEUR = 3000  # highest first index it pages to (lowered if it refuses a shallower one)
PREMIERE_FENETRE = timedelta(days=31)  # a first pull without --depuis
_CONTENT_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)\s*/\s*(\d+)")


@dataclass(frozen=True)
class Requete:
    departement: str
    romes: tuple[str, ...]

    @property
    def cle(self) -> str:
        """Folder name of the query: its pulls share a watermark."""
        return f"dep-{self.departement}_" + ("rome-" + "-".join(self.romes) if self.romes else "tous-metiers")

    @property
    def libelle(self) -> str:
        metiers = f"ROME {', '.join(self.romes)}" if self.romes else "tous métiers"
        return f"département {self.departement}, {metiers}"


def requete(departement: str, romes: list[str] | None) -> Requete:
    """A checked query, or a French error naming the bad value."""
    return Requete(arguments.departement(departement), tuple(codes_rome(romes)))


def repere(dossier: Path) -> datetime | None:
    """End of the last finished pull of a query: where the next one starts."""
    fins = [m["fin"] for m in manifestes(dossier) if m.get("fin")]
    return lire_instant(max(fins), "le repère") if fins else None


class Collecte:
    """One pull: pages each window of creation dates, splitting those too deep to page."""

    def __init__(self, client: ClientFT, url: str, requete_: Requete, dossier: Path):
        self.client, self.url, self.requete, self.dossier = client, url, requete_, dossier
        self.profondeur = PROFONDEUR
        self.pages: list[dict] = []
        self.bornes: list[str] = []
        self.hors_portee = 0  # offers of a one-second window beyond the paging depth

    @property
    def capacite(self) -> int:
        return self.profondeur + LARGEUR

    def fenetre(self, debut: datetime, fin: datetime) -> None:
        """Fetch every offer created between ``debut`` and ``fin`` (both included)."""
        divisible = fin - debut >= timedelta(seconds=2)
        pages: list[dict] = []
        total = depart = 0
        while True:
            reponse = self._demander(debut, fin, depart)
            if reponse.status_code == 400 and depart > 0:
                journal().info(f"L'API refuse de paginer au-delà de l'indice {depart - 1} : fenêtre divisée")
                self.profondeur = depart - LARGEUR
                break
            page = self._garder(reponse, debut, fin, depart)
            pages.append(page)
            total = page["total"]
            depart += LARGEUR
            if depart >= total or depart > self.profondeur or (total > self.capacite and divisible):
                break
        if total <= self.capacite:
            return
        if not divisible:
            self.hors_portee += total - self.capacite
            journal().warning(f"{nombre_fr(total)} offres créées dans la seconde {iso(debut)} : l'API n'en sert que "
                              f"{self.capacite}")
            return
        for page in pages:
            page["retenue"] = False
        milieu = debut + timedelta(seconds=(fin - debut).total_seconds() // 2)
        self.bornes.append(iso(milieu))
        self.fenetre(debut, milieu)
        self.fenetre(milieu, fin)

    def _demander(self, debut: datetime, fin: datetime, depart: int) -> httpx.Response:
        parametres = {"departement": self.requete.departement, "minCreationDate": iso(debut),
                      "maxCreationDate": iso(fin), "range": f"{depart}-{depart + LARGEUR - 1}", "sort": "1"}
        if self.requete.romes:
            parametres["codeROME"] = ",".join(self.requete.romes)
        return self.client.appeler("GET", self.url, params=parametres)

    def _garder(self, reponse: httpx.Response, debut: datetime, fin: datetime, depart: int) -> dict:
        """Write the body, then read what paging needs from it."""
        plage = f"{depart}-{depart + LARGEUR - 1}"
        page: dict[str, Any] = {
            "fichier": None, "debut": iso(debut), "fin": iso(fin), "plage": plage, "statut": reponse.status_code,
            "total": 0, "offres": 0, "retenue": True, "ids": []}
        self.pages.append(page)
        if reponse.status_code == 204:
            return page
        if reponse.status_code not in (200, 206):
            raise ErreurAPI(f"l'API Offres d'emploi a refusé la recherche ({self.requete.libelle}, "
                            f"HTTP {reponse.status_code}) : {motif_api(reponse)}")
        nom = f"{debut:%Y%m%dT%H%M%S}_{fin:%Y%m%dT%H%M%S}_{depart:04d}-{depart + LARGEUR - 1:04d}.json"
        page["fichier"] = ecrire_brut(self.dossier, nom, reponse.content).name
        try:
            offres = json.loads(reponse.content)["resultats"]
            page["ids"] = [str(o.get("id")) for o in offres]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ErreurAPI(f"réponse illisible de l'API Offres d'emploi (gardée dans {page['fichier']})",
                            passagere=True) from None
        page["offres"] = len(offres)
        plage_servie = _CONTENT_RANGE.search(reponse.headers.get("Content-Range", ""))
        if plage_servie:
            page["total"] = int(plage_servie[3])
        elif reponse.status_code == 200:
            page["total"] = depart + len(offres)
        else:
            raise ErreurAPI("réponse partielle (HTTP 206) sans en-tête Content-Range : impossible de paginer")
        return page

    def bilan(self) -> dict:
        retenus = [i for p in self.pages if p["retenue"] for i in p["ids"]]
        tous = {i for p in self.pages for i in p["ids"]}
        return {"offres": len(tous), "doublons_aux_bornes": len(retenus) - len(set(retenus)),
                "hors_portee": self.hors_portee, "profondeur": self.profondeur, "bornes": self.bornes,
                "pages": [{k: v for k, v in p.items() if k != "ids"} for p in self.pages]}


@task(name="télécharger les offres", task_run_name="télécharger les offres ({cle})", retries=2,
      retry_delay_seconds=[30, 120], retry_condition_fn=erreur_passagere, cache_policy=NO_CACHE)
def telecharger_offres(cle: str, departement: str, romes: list[str], debut: str, fin: str, base: str,
                       api_url: str, token_url: str) -> dict:
    """Page the whole window into a new folder of ``base``; returns the pull's manifest.
    Never cached: each run asks the API again."""
    req = requete(departement, romes)
    commencee = maintenant()
    with ClientFT(token_url, SCOPE, identifiants()) as client:
        client.jeton()  # refused credentials: fail before creating the pull's folder
        dossier = nouveau_dossier(Path(base))
        collecte = Collecte(client, api_url + RECHERCHE, req, dossier)
        collecte.fenetre(lire_instant(debut, "debut"), lire_instant(fin, "fin"))
        manifeste = {"api": "offres-ft", "requete": {"departement": req.departement, "romes": list(req.romes)},
                     "url": api_url + RECHERCHE, "debut": debut, "fin": fin, "commencee_le": iso(commencee),
                     "terminee_le": iso(maintenant()), "requetes": client.requetes} | collecte.bilan()
    ecrire_manifeste(dossier, manifeste)
    return manifeste | {"dossier": str(dossier)}


def _nom_execution() -> str:
    from prefect.runtime import flow_run

    return f"offres France Travail du département {flow_run.parameters.get('departement')} " \
           f"({heure_fr(maintenant())})"


@flow_sans_secret(name="collecte France Travail", flow_run_name=_nom_execution, log_prints=True)
@echec_en_francais()
def collecte_offres_ft(departement: str, romes: list[str] | None = None, depuis: str | None = None,
                       jusqua: str | None = None, api_url: str | None = None, token_url: str | None = None,
                       entree: str | None = None, entrepot: str | None = None) -> dict:
    """Pull the offers created since the previous pull of the same query (or ``depuis``,
    Paris time), keep the raw pages in the drop zone and load them."""
    req = requete(departement, romes)
    base = Path(entree or ENTREE) / "offres-ft" / "api" / req.cle
    fin = lire_instant(jusqua, "--jusqua") if jusqua else maintenant()
    debut = lire_instant(depuis, "--depuis") if depuis else (repere(base) or fin - PREMIERE_FENETRE)
    if debut >= fin:
        texte = f"Offres France Travail ({req.libelle}) : déjà à jour jusqu'au {heure_fr(debut)} (heure de Paris)."
        return {"manifeste": None, "bilans": [], "texte": texte}
    manifeste = telecharger_offres(req.cle, req.departement, list(req.romes), iso(debut), iso(fin), str(base),
                                   url_france_travail(api_url, "FT_API_URL", URL_OFFRES),
                                   url_france_travail(token_url, "FT_TOKEN_URL", URL_JETON))
    # a scheduled pull into a new warehouse validates codes against the shipped referentials
    _, referentiels = referentiels_livres(entrepot, deposes=[entree] if entree else None)
    bilans = ingestion("offres-ft", [manifeste["dossier"]], entrepot)
    texte = "\n".join(filter(None, [resume_collecte(req, manifeste), referentiels, resume(bilans, entrepot)]))
    create_markdown_artifact(key="collecte-offres-ft", markdown=f"```text\n{texte}\n```",
                             description=f"Collecte des offres France Travail, {req.libelle}")
    return {"manifeste": manifeste, "bilans": bilans, "texte": texte}


def resume_collecte(req: Requete, manifeste: dict) -> str:
    """French account of a pull: window, offers, requests, where the raw pages are."""
    pages = [p for p in manifeste["pages"] if p["fichier"]]
    lignes = [f"Offres France Travail ({req.libelle}) créées du {heure_fr(lire_instant(manifeste['debut'], 'debut'))} "
              f"au {heure_fr(lire_instant(manifeste['fin'], 'fin'))} (heure de Paris) : "
              f"{pluriel(manifeste['offres'], 'offre')} en {pluriel(len(pages), 'page')}, "
              f"{pluriel(manifeste['requetes'], 'requête')}.",
              f"  Réponses brutes : {manifeste['dossier']}"]
    if manifeste["bornes"]:
        lignes.append(f"  Fenêtre divisée en {nombre_fr(len(manifeste['bornes']) + 1)} périodes "
                      f"(l'API ne pagine pas au-delà de {nombre_fr(manifeste['profondeur'] + LARGEUR)} offres).")
    if manifeste["hors_portee"]:
        lignes.append(f"  Attention : {pluriel(manifeste['hors_portee'], 'offre')} hors de portée de l'API "
                      "(trop d'offres créées dans la même seconde).")
    return "\n".join(lignes)
