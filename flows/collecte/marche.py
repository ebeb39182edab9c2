"""Flow « statistiques du marché du travail »: France Travail's "Marché du travail" API
(stats-offres-demandes-emploi v1) for each occupation × territory, latest period.

Three indicators per pair: jobseekers at the end of the period by category (with their
breakdown by characteristics: training level, seniority...), offers registered by origin,
and the official tension indicator with its complementary ranks. Each response is written
raw to ``donnees/entree/demandeurs/api/`` and loaded by the ``demandeurs`` loader.
"""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows.arguments import codes_rome, territoire, verifier_collecte_marche
from flows.collecte.client import (
    URL_JETON,
    URL_STATS,
    ClientFT,
    ecrire_brut,
    ecrire_manifeste,
    erreur_passagere,
    flow_sans_secret,
    heure_fr,
    identifiants,
    iso,
    maintenant,
    motif_api,
    nouveau_dossier,
)
from flows.config import ENTREE, url_france_travail
from flows.erreurs import echec_en_francais
from flows.formats import pluriel
from flows.ingestion import ingestion, referentiels_livres, resume

SCOPE = "api_stats-offres-demandes-emploiv1 offresetdemandesemploi"
# endpoint -> (nomenclature, period type, with the breakdown by characteristics)
INDICATEURS = {
    "stat-demandeurs": ("CATCAND", "TRIMESTRE", True),
    "stat-offres": ("ORIGINEOFF", "TRIMESTRE", False),
    "stat-perspective-employeur": ("TYPE_TENSION", "ANNEE", False),
}
def corps_requete(indicateur: str, type_territoire: str, code: str, rome: str) -> dict:
    nomenclature, periode, caracteristiques = INDICATEURS[indicateur]
    return {"codeTypeTerritoire": type_territoire, "codeTerritoire": code, "codeTypeActivite": "ROME",
            "codeActivite": rome, "codeTypePeriode": periode, "codeTypeNomenclature": nomenclature,
            "dernierePeriode": True, "sansCaracteristiques": not caracteristiques}


@task(name="télécharger les statistiques", retries=2, retry_delay_seconds=[30, 120],
      retry_condition_fn=erreur_passagere, cache_policy=NO_CACHE)
def telecharger_marche(territoires: list[str], romes: list[str], base: str, stats_url: str,
                       token_url: str) -> dict:
    """Every indicator × territory × occupation into a new folder of ``base``; a refused
    request is noted and the others go on. Returns the pull's manifest."""
    commencee = maintenant()
    reponses = []
    with ClientFT(token_url, SCOPE, identifiants()) as client:
        client.jeton()  # refused credentials: fail before creating the pull's folder
        dossier = nouveau_dossier(Path(base))
        for type_territoire, code in map(territoire, territoires):
            for rome in romes:
                for indicateur in INDICATEURS:
                    corps = corps_requete(indicateur, type_territoire, code, rome)
                    reponse = client.appeler("POST", f"{stats_url}/v1/indicateur/{indicateur}", json=corps)
                    trace = {"indicateur": indicateur, "territoire": f"{type_territoire}:{code}", "rome": rome,
                             "statut": reponse.status_code, "fichier": None, "motif": None}
                    if reponse.status_code == 200:
                        nom = f"{indicateur}_{rome}_{type_territoire}-{code}.json"
                        trace["fichier"] = ecrire_brut(dossier, nom, reponse.content).name
                    elif reponse.status_code != 204:
                        trace["motif"] = motif_api(reponse)
                    reponses.append(trace)
        manifeste = {"api": "marche-travail", "url": stats_url, "territoires": territoires, "romes": romes,
                     "commencee_le": iso(commencee), "terminee_le": iso(maintenant()),
                     "requetes": client.requetes, "reponses": reponses}
    ecrire_manifeste(dossier, manifeste)
    return manifeste | {"dossier": str(dossier)}


def _nom_execution() -> str:
    return f"statistiques du marché du travail ({heure_fr(maintenant())})"


@flow_sans_secret(name="statistiques du marché du travail", flow_run_name=_nom_execution, log_prints=True)
@echec_en_francais()
def collecte_marche(territoires: list[str], romes: list[str], stats_url: str | None = None,
                    token_url: str | None = None, entree: str | None = None, entrepot: str | None = None) -> dict:
    """Pull the latest market statistics of each occupation × territory and load them."""
    verifier_collecte_marche(territoires, romes)
    codes = codes_rome(romes)
    base = Path(entree or ENTREE) / "demandeurs" / "api"
    manifeste = telecharger_marche([t.strip().upper() for t in territoires], codes, str(base),
                                   url_france_travail(stats_url, "FT_STATS_URL", URL_STATS),
                                   url_france_travail(token_url, "FT_TOKEN_URL", URL_JETON))
    # a scheduled pull into a new warehouse validates codes against the shipped referentials
    _, referentiels = referentiels_livres(entrepot, deposes=[entree] if entree else None)
    bilans = ingestion("demandeurs", [manifeste["dossier"]], entrepot)
    texte = "\n".join(filter(None, [resume_marche(manifeste), referentiels, resume(bilans, entrepot)]))
    create_markdown_artifact(key="collecte-marche-travail", markdown=f"```text\n{texte}\n```",
                             description="Statistiques du marché du travail France Travail")
    return {"manifeste": manifeste, "bilans": bilans, "texte": texte}


def resume_marche(manifeste: dict) -> str:
    reponses = manifeste["reponses"]
    gardees = [r for r in reponses if r["fichier"]]
    vides = [r for r in reponses if r["statut"] == 204]
    refusees = [r for r in reponses if r["motif"]]
    lignes = [f"Marché du travail ({', '.join(manifeste['territoires'])} × {', '.join(manifeste['romes'])}) : "
              f"{pluriel(len(gardees), 'réponse')} gardée(s), {pluriel(len(vides), 'requête')} sans donnée, "
              f"{pluriel(len(refusees), 'requête')} refusée(s).",
              f"  Réponses brutes : {manifeste['dossier']}"]
    lignes += [f"  Refusée : {r['indicateur']} {r['territoire']} {r['rome']} (HTTP {r['statut']}) : {r['motif']}"
               for r in refusees]
    return "\n".join(lignes)

