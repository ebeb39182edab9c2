"""``python -m flows etat``: where things stand, in French, for someone new to the project.

Last runs and their state (Prefect server), freshness of each source and rows waiting in
quarantine (warehouse, read-only), the last API pulls (their manifests in the drop zone)
and the files of the last outputs folder.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from flows import warehouse
from flows.arguments import lire_instant
from flows.collecte.client import manifestes
from flows.config import ENTREE, chemin_entrepot, chemin_sorties
from flows.erreurs import ErreurUtilisateur
from flows.formats import PARIS, heure_paris, nombre_fr, pluriel

ETATS = {"COMPLETED": "terminée", "FAILED": "en échec", "CRASHED": "interrompue", "CANCELLED": "annulée",
         "CANCELLING": "en cours d'annulation", "RUNNING": "en cours", "PENDING": "en attente",
         "SCHEDULED": "planifiée", "PAUSED": "en pause"}


def _heure(instant: datetime | None, utc: bool = False) -> str:
    """Paris time of an aware instant, or of a naive one in UTC (the API's dates) or in the
    machine's time (the load log)."""
    return heure_paris(instant, naif_en_utc=utc)


def _anciennete(instant: datetime) -> str:
    local = instant.astimezone(PARIS)  # a naive instant is in the machine's time (the load log)
    jours = (datetime.now(PARIS).date() - local.date()).days
    return {0: "aujourd'hui", 1: "hier"}.get(jours, f"il y a {nombre_fr(jours)} jours")


def _motif(message: str) -> str:
    """The French message of a failed run, without Prefect's English preamble."""
    premier = message.splitlines()[0]
    return re.sub(r"^Flow run encountered an exception: \w+: ", "", premier)[:200]


def _du_meme_entrepot(parametres: dict, entrepot: Path | None) -> bool:
    """Whether a run worked on ``entrepot`` (every flow takes it as ``entrepot``; none: the default)."""
    if entrepot is None:
        return True
    try:
        return chemin_entrepot(parametres.get("entrepot")) == entrepot
    except (TypeError, ValueError):
        return False


def executions(nombre: int = 8, entrepot: Path | None = None) -> list[str]:
    """Last top-level runs on ``entrepot`` (all of them without it) and the next scheduled
    ones, from the Prefect server."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterId,
        FlowRunFilter,
        FlowRunFilterParentTaskRunId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    principales = FlowRunFilterParentTaskRunId(is_null_=True)
    with get_client(sync_client=True) as client:
        passees = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(parent_task_run_id=principales, state=FlowRunFilterState(
                type=FlowRunFilterStateType(not_any_=[StateType.SCHEDULED]))),
            sort=FlowRunSort.EXPECTED_START_TIME_DESC, limit=nombre if entrepot is None else 20 * nombre)
        passees = [run for run in passees if _du_meme_entrepot(run.parameters or {}, entrepot)][:nombre]
        a_venir = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(parent_task_run_id=principales, state=FlowRunFilterState(
                type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=3)
        deploiements = {d.id: d.name for d in client.read_deployments()} if a_venir else {}
        noms = {f.id: f.name for f in client.read_flows(flow_filter=FlowFilter(
            id=FlowFilterId(any_=list({run.flow_id for run in passees}))))} if passees else {}
    if not passees:
        lignes = ["  Aucune exécution enregistrée sur ce serveur Prefect" + (
            " pour cet entrepôt." if entrepot is not None else ".")]
    else:
        lignes = []
        for run in passees:
            etat = ETATS.get(run.state_type.value if run.state_type else "", run.state_name or "?")
            duree = f" ({nombre_fr(run.total_run_time.total_seconds())} s)" if run.total_run_time else ""
            lignes.append(f"  {_heure(run.start_time or run.expected_start_time)}  [{noms.get(run.flow_id, '?')}] "
                          f"{run.name} : {etat}{duree}")
            if run.state_type and run.state_type.value in ("FAILED", "CRASHED") and run.state and run.state.message:
                lignes.append(f"      motif : {_motif(run.state.message)}")
    for run in a_venir:
        quoi = deploiements.get(run.deployment_id, run.name) if run.deployment_id else run.name
        lignes.append(f"  prochaine : {_heure(run.expected_start_time)}  {quoi}")
    return lignes


def sources(entrepot: Path, motifs: int = 5) -> list[str]:
    """Per source: files loaded, last load and its age, rows in quarantine and why."""
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        chargements = con.execute("""
            select source, count(distinct sha256), max(charge_le), sum(lignes_nouvelles)
            from controle.chargements group by source order by source""").fetchall()
        rejets = dict(con.execute("""
            select source, count(distinct (fichier, ligne, chemin_json)) from controle.rejets
            group by source""").fetchall())
        frequents = con.execute("""
            select source, champ, motif, count(*) as n from controle.rejets
            group by source, champ, motif order by n desc, source, champ, motif limit ?""", [motifs]).fetchall()
        offres = con.execute("select max(date_creation) from brut.offres_ft").fetchone()
    if not chargements:
        return ["  Aucun fichier chargé pour l'instant."]
    lignes = []
    for source, fichiers, dernier, ajoutees in chargements:
        quarantaine = f", {pluriel(rejets[source], 'ligne')} en quarantaine" if rejets.get(source) else ""
        lignes.append(f"  {source} : {pluriel(fichiers, 'fichier')}, "
                      f"{pluriel(ajoutees, 'ligne ajoutée', 'lignes ajoutées')}, dernier chargement le "
                      f"{_heure(dernier)} ({_anciennete(dernier)}){quarantaine}")
    if offres and offres[0]:
        lignes.append(f"  Offre France Travail la plus récente : créée le {_heure(offres[0], utc=True)}.")
    total = sum(rejets.values())
    if not total:
        return [*lignes, "", "Quarantaine : vide."]
    lignes += ["", f"Quarantaine : {pluriel(total, 'ligne')} à corriger (table controle.rejets : fichier, ligne, "
                   "champ, motif). Corrigez le fichier et redéposez-le ; motifs les plus fréquents :"]
    lignes += [f"  {source}, champ « {champ} » : {motif} ({pluriel(n, 'ligne')})"
               for source, champ, motif, n in frequents]
    return lignes


def collectes(entree: Path) -> list[str]:
    """Last finished pull of each API query and where the next one will start."""
    lignes = []
    for sous_dossier, libelle in (("offres-ft", "offres"), ("demandeurs", "marché du travail")):
        derniers: dict[str, dict] = {}
        for m in manifestes(entree / sous_dossier / "api"):
            requete = m.get("requete") or {}
            cle = f"département {requete.get('departement')}" if requete else ", ".join(m.get("territoires", []))
            derniers[cle] = m  # oldest first: the last one wins
        for cle, m in sorted(derniers.items()):
            if "offres" in m:
                detail = (f"{pluriel(m['offres'], 'offre')} créée(s) jusqu'au {_heure(lire_instant(m['fin'], 'fin'))}"
                          " (la prochaine collecte repart de là)")
            else:
                detail = f"{pluriel(sum(1 for r in m['reponses'] if r['fichier']), 'réponse')} gardée(s)"
            lignes.append(f"  {libelle}, {cle} : le {_heure(lire_instant(m['terminee_le'], 'fin'))}, {detail}")
    return lignes or ["  Aucune collecte par l'API pour l'instant (commandes collecter-ft, collecter-marche)."]


def _publie_depuis(dossier: Path) -> str | None:
    """The warehouse an outputs folder was published from (kept in its key figures)."""
    from flows.render.tableau_de_bord import CHIFFRES

    try:
        return json.loads((dossier / CHIFFRES).read_text(encoding="utf-8")).get("entrepot")
    except (OSError, ValueError, AttributeError):
        return None


def dernieres_sorties(racine: Path, maximum: int = 15, entrepot: Path | None = None) -> list[str]:
    """Files of the most recently written outputs folder (of ``entrepot`` when given)."""
    dossiers = [d for d in racine.iterdir() if d.is_dir() and (entrepot is None or _publie_depuis(d) == str(entrepot))
                ] if racine.is_dir() else []
    if not dossiers:
        return [f"  Aucune sortie publiée pour l'instant dans {racine}" + (
            " depuis cet entrepôt." if entrepot is not None else ".")]
    dossier = max(dossiers, key=lambda d: d.stat().st_mtime)
    fichiers = sorted(p for p in dossier.rglob("*") if p.is_file())
    lignes = [f"  {dossier} ({pluriel(len(fichiers), 'fichier')}) :"]
    lignes += [f"    {p.relative_to(dossier)} ({nombre_fr(p.stat().st_size / 1024**2, 1)} Mo)" for p in fichiers[:maximum]]
    if len(fichiers) > maximum:
        lignes.append(f"    … et {nombre_fr(len(fichiers) - maximum)} autre(s).")
    return lignes


def etat(entrepot: str | Path | None = None, entree: Path = ENTREE, sorties: Path | None = None) -> str:
    fichier = chemin_entrepot(entrepot)
    texte = ["État du pipeline des tensions de recrutement (heures de Paris)", "",
             "Dernières exécutions (serveur Prefect ; détail dans l'interface, onglet Runs) :"]
    try:
        texte += executions(entrepot=fichier)
    except Exception as e:  # no server is not a failure of the status command
        texte.append(f"  Historique indisponible : serveur Prefect injoignable ({type(e).__name__}).")
    texte += ["", f"Données chargées par source (entrepôt {fichier}) :"]
    if fichier.exists():
        try:
            texte += sources(fichier)
        except ErreurUtilisateur as e:
            texte.append(f"  {e}")
    else:
        texte.append("  Entrepôt pas encore créé : lancez « make demo » ou « python -m flows pipeline ».")
    texte += ["", "Dernières collectes par l'API France Travail :", *collectes(entree),
              "", "Sorties de la dernière publication de cet entrepôt :",
              *dernieres_sorties(sorties or chemin_sorties(), entrepot=fichier)]
    return "\n".join(texte)
