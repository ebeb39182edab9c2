"""Flow « publication »: from the ``analyse`` schema (warehouse opened read-only), the
task force's dashboard, one confidential report per pilot company (HTML, and PDF when
Chromium is installed) and the analysts' extracts, in ``sorties/<run>/``.

Every query is a file of ``sql/publication/`` (flows/render/commun.py, ``requete``); the
outputs are built aside and swapped in at the end (flows/render/sortie.py). One task per
report, so that they run in parallel (Prefect's thread pool); each task takes paths,
never a connection. A report or an extract whose fingerprint (flows/render/empreintes.py)
is the one of the latest run is copied from it instead of being drawn and printed again;
the dashboard then keeps that run's charts and draws again only its time and its
comparison with the previous run.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, wait

from flows.arguments import verifier_nom
from flows.confidentialite import pseudonymiser, sel
from flows.config import chemin_entrepot, chemin_sorties
from flows.formats import PARIS
from flows.ml.communs import dossier_cartes
from flows.render import extraits, pdf, rapport, tableau_de_bord
from flows.render.commun import entreprises, ouvrir, slugs
from flows.render.empreintes import (
    Anterieur,
    Sortie,
    ecrire_manifeste,
    trouver_anterieur,
    version_navigateur,
)
from flows.render.sortie import dossier_atomique, resume


def nom_du_jour() -> str:
    """Default run name: today's date in Paris (2026-11-28)."""
    return datetime.now(PARIS).strftime("%Y-%m-%d")


@task(name="entreprises pilotes", cache_policy=NO_CACHE)
def lister_entreprises(entrepot: str) -> list[str]:
    with ouvrir(entrepot) as con:
        return entreprises(con)


@task(name="tableau de bord", cache_policy=NO_CACHE)
def publier_tableau_de_bord(entrepot: str, dossier: str, racine: str, nom: str, publie_le: datetime,
                            anterieur: Anterieur | None) -> Sortie:
    precedent = tableau_de_bord.chiffres_precedents(Path(racine), nom, entrepot)
    return tableau_de_bord.publier(entrepot, Path(dossier), precedent, dossier_cartes("", entrepot, Path(racine)),
                                   publie_le, anterieur)


@task(name="rapport", task_run_name="rapport de {entreprise}", cache_policy=NO_CACHE)
def rediger_rapport(entrepot: str, entreprise: str, chemin: str, anterieur: Anterieur | None,
                    navigateur: str | None, version_pdf: str) -> Sortie:
    """The report's HTML and PDF copied from the earlier run when its fingerprint is the
    same, else its HTML drawn (the PDF is printed by ``imprimer_pdf``)."""
    html = Path(chemin)
    fichiers = [html, html.with_suffix(".pdf")] if navigateur else [html]
    lecture = rapport.lire(entrepot, entreprise)
    trace = lecture.empreinte(version_pdf)
    # the manifest sits beside the dashboard, where pilots are pseudonymous: a salted hash, not the name
    cle = f"rapport:{pseudonymiser(entreprise, sel())}"
    if anterieur is not None and anterieur.reprendre(cle, trace, fichiers):
        return Sortie(cle, trace, tuple(fichiers), True)
    rapport.dessiner(lecture, html)
    return Sortie(cle, trace, tuple(fichiers), False)


@task(name="PDF", task_run_name="PDF de {html}", cache_policy=NO_CACHE)
def imprimer_pdf(html: str, navigateur: str, redaction: Sortie) -> str:
    if redaction.reprise:  # copied with its HTML
        return str(Path(html).with_suffix(".pdf"))
    return str(pdf.imprimer(Path(html), Path(html).with_suffix(".pdf"), navigateur))


@task(name="extraits", cache_policy=NO_CACHE)
def extraire(entrepot: str, dossier: str, anterieur: Anterieur | None) -> list[Sortie]:
    return extraits.ecrire(entrepot, Path(dossier), anterieur)


@flow(name="publication", flow_run_name="publication « {nom_sortie} »", log_prints=True)
def publication(entrepot: str, nom_sortie: str, racine: str | None = None, complet: bool = False) -> str:
    """Publish ``sorties/<nom_sortie>/`` (``racine`` replaces ``sorties/``); returns a French
    summary. The outputs whose figures did not change since the latest run of the same
    warehouse are copied from it, unless ``complet`` asks to redraw everything."""
    base = str(chemin_entrepot(entrepot))
    verifier_nom(nom_sortie)
    dossier_racine = Path(racine) if racine else chemin_sorties()
    navigateur = pdf.chromium()
    version_pdf = version_navigateur(navigateur)
    soumis: list[PrefectFuture] = []
    with dossier_atomique(dossier_racine, nom_sortie) as dossier:
        # looked for once the folder swap has put back the outputs an interrupted run left aside
        anterieur = None if complet else trouver_anterieur(dossier_racine, base)
        try:
            tableau = publier_tableau_de_bord.submit(base, str(dossier), str(dossier_racine), nom_sortie,
                                                     datetime.now(PARIS).replace(microsecond=0), anterieur)
            fichiers = extraire.submit(base, str(dossier / "extraits"), anterieur)
            soumis += [tableau, fichiers]
            noms = lister_entreprises(base)
            par_nom = slugs(noms)
            chemins = {e: str(dossier / "rapports" / f"{par_nom[e]}.html") for e in noms}
            rapports = {e: rediger_rapport.submit(base, e, chemins[e], anterieur, navigateur, version_pdf)
                        for e in noms}
            soumis += rapports.values()
            impressions = {e: imprimer_pdf.submit(chemins[e], navigateur, rapports[e], return_state=False)
                           for e in noms} if navigateur else {}
            soumis += impressions.values()
            dessin: Sortie = tableau.result()
            ecrits: list[Sortie] = fichiers.result()
            rediges = [futur.result() for futur in rapports.values()]
            echecs = {e: f.result(raise_on_failure=False) for e, f in impressions.items()}
            echecs = {e: r for e, r in echecs.items() if isinstance(r, BaseException)}
            ecrire_manifeste(dossier, base, [dessin, *rediges, *ecrits])
        finally:
            # When one task fails, the others still write into the temporary folder (a report
            # creates rapports/ again): it may be removed only once they have all stopped.
            wait(soumis)
    texte = resume(dossier_racine / nom_sortie, dessin, rediges, navigateur, echecs, ecrits, complet)
    print(texte)
    return texte
