"""Flow « publication »: from the ``analyse`` schema (warehouse opened read-only), the
task force's dashboard, one confidential report per pilot company (HTML, and PDF when
Chromium is installed) and the analysts' extracts, in ``sorties/<run>/``.

Outputs are built in ``sorties/<run>.tmp-<pid>/`` and swapped in at the end (the old
folder renamed aside, the new one renamed in, the old one deleted): a crash or a full
disk leaves the previous outputs as they were. One task per report, so that they run in
parallel (Prefect's thread pool); each task takes paths, never a connection.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, wait

from flows.arguments import verifier_nom
from flows.config import chemin_entrepot, chemin_sorties
from flows.formats import PARIS, nombre_fr, pluriel
from flows.manques import signaler
from flows.ml.communs import dossier_cartes
from flows.processus import vivant
from flows.render import besoins_competences, extraits, pdf, rapport, tableau_de_bord
from flows.render.commun import entreprises, ouvrir, slugs


def nom_du_jour() -> str:
    """Default run name: today's date in Paris (2026-11-28)."""
    return datetime.now(PARIS).strftime("%Y-%m-%d")


def reparer(racine: Path, nom: str) -> None:
    """Clean what an interrupted publication left: its temporary folder, and the previous
    outputs renamed aside if it stopped between the two renames (they are put back)."""
    final = racine / nom
    for dossier in sorted(racine.glob(f"{nom}.tmp-*")) + sorted(racine.glob(f"{nom}.ancien-*")):
        pid = dossier.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and vivant(int(pid)):
            continue  # another publication of the same run is under way
        if ".ancien-" in dossier.name and not final.exists():
            dossier.rename(final)
        else:
            shutil.rmtree(dossier, ignore_errors=True)


@contextmanager
def dossier_atomique(racine: Path, nom: str) -> Iterator[Path]:
    """A temporary folder that replaces ``racine/nom`` only if the block succeeds."""
    racine.mkdir(parents=True, exist_ok=True)
    reparer(racine, nom)
    temporaire = racine / f"{nom}.tmp-{os.getpid()}"
    temporaire.mkdir()
    try:
        yield temporaire
    except BaseException:
        shutil.rmtree(temporaire, ignore_errors=True)
        raise
    final, ancien = racine / nom, racine / f"{nom}.ancien-{os.getpid()}"
    if final.exists():
        final.rename(ancien)
    temporaire.rename(final)
    shutil.rmtree(ancien, ignore_errors=True)


@task(name="entreprises pilotes", cache_policy=NO_CACHE)
def lister_entreprises(entrepot: str) -> list[str]:
    with ouvrir(entrepot) as con:
        return entreprises(con)


@task(name="tableau de bord", cache_policy=NO_CACHE)
def publier_tableau_de_bord(entrepot: str, dossier: str, racine: str, nom: str) -> str:
    precedent = tableau_de_bord.chiffres_precedents(Path(racine), nom, entrepot)
    return str(tableau_de_bord.construire(entrepot, Path(dossier), precedent,
                                          dossier_cartes("", entrepot, Path(racine))))


@task(name="rapport", task_run_name="rapport de {entreprise}", cache_policy=NO_CACHE)
def rediger_rapport(entrepot: str, entreprise: str, chemin: str) -> str:
    return str(rapport.construire(entrepot, entreprise, Path(chemin)))


@task(name="PDF", task_run_name="PDF de {html}", cache_policy=NO_CACHE)
def imprimer_pdf(html: str, navigateur: str) -> str:
    return str(pdf.imprimer(Path(html), Path(html).with_suffix(".pdf"), navigateur))


@task(name="extraits", cache_policy=NO_CACHE)
def extraire(entrepot: str, dossier: str) -> list[str]:
    return [str(f) for f in extraits.ecrire(entrepot, Path(dossier))]


@flow(name="publication", flow_run_name="publication « {nom_sortie} »", log_prints=True)
def publication(entrepot: str, nom_sortie: str, racine: str | None = None) -> str:
    """Publish ``sorties/<nom_sortie>/`` (``racine`` replaces ``sorties/``); returns a French summary."""
    base = str(chemin_entrepot(entrepot))
    verifier_nom(nom_sortie)
    dossier_racine = Path(racine) if racine else chemin_sorties()
    navigateur = pdf.chromium()
    soumis: list[PrefectFuture] = []
    with dossier_atomique(dossier_racine, nom_sortie) as dossier:
        try:
            tableau = publier_tableau_de_bord.submit(base, str(dossier), str(dossier_racine), nom_sortie)
            fichiers = extraire.submit(base, str(dossier / "extraits"))
            soumis += [tableau, fichiers]
            noms = lister_entreprises(base)
            par_nom = slugs(noms)
            chemins = {e: str(dossier / "rapports" / f"{par_nom[e]}.html") for e in noms}
            rapports = {e: rediger_rapport.submit(base, e, chemins[e]) for e in noms}
            soumis += rapports.values()
            impressions = {e: imprimer_pdf.submit(chemins[e], navigateur, wait_for=[rapports[e]], return_state=False)
                           for e in noms} if navigateur else {}
            soumis += impressions.values()
            chemin_tableau = Path(tableau.result())
            extraits = [Path(f) for f in fichiers.result()]
            for futur in rapports.values():
                futur.result()
            echecs = {e: f.result(raise_on_failure=False) for e, f in impressions.items()}
            echecs = {e: r for e, r in echecs.items() if isinstance(r, BaseException)}
            taille = chemin_tableau.stat().st_size
        finally:
            # When one task fails, the others still write into the temporary folder (a report
            # creates rapports/ again): it may be removed only once they have all stopped.
            wait(soumis)
    lignes = [
        f"Publication « {nom_sortie} » dans {dossier_racine / nom_sortie} :",
        f"  tableau de bord : {chemin_tableau.name} ({nombre_fr(taille / 1024**2, 1)} Mo)",
    ]
    if not rapports:  # nor any PDF to print
        lignes.append(f"  {signaler('rapports : aucune entreprise pilote, aucun rapport rédigé')}")
    elif not navigateur:
        lignes += [f"  rapports des entreprises pilotes : {pluriel(len(rapports), 'rapport')} HTML dans rapports/",
                   f"  {pdf.ABSENT}"]
    else:
        lignes.append(f"  rapports des entreprises pilotes : {pluriel(len(rapports), 'rapport')} HTML dans rapports/")
        lignes.append(f"  PDF : {nombre_fr(len(impressions) - len(echecs))} sur {nombre_fr(len(impressions))}")
        lignes += [f"  PDF non produit pour {e} : {r}" for e, r in sorted(echecs.items())]
    tables = sum(f.suffix == ".parquet" for f in extraits)
    lignes.append(f"  extraits pour les analystes : {nombre_fr(tables)} tables en CSV et Parquet dans extraits/")
    if any(f.name == besoins_competences.FICHIER for f in extraits):
        lignes.append(f"  besoins en compétences pour les organismes de formation : extraits/{besoins_competences.FICHIER}")
    texte = "\n".join(lignes)
    print(texte)
    return texte
