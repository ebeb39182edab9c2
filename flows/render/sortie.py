"""A run's output folder, ``sorties/<run>/``: built aside in ``<run>.tmp-<pid>/`` and
swapped in at the end (the old folder renamed aside, the new one renamed in, the old one
deleted), so that a crash or a full disk leaves the previous outputs as they were; and the
French summary of what a publication wrote there."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from flows.formats import nombre_fr, pluriel
from flows.manques import signaler
from flows.processus import vivant
from flows.render import besoins_competences, pdf
from flows.render.empreintes import Sortie
from flows.render.extraits import CLASSEUR


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


def resume(dossier: Path, tableau: Sortie, rapports: list[Sortie], navigateur: str | None,
           pdf_echecs: Mapping[str, object], extraits: list[Sortie], complet: bool = False) -> str:
    """What the publication wrote into ``dossier``, in French (printed and returned by the flow)."""
    page = dossier / tableau.fichiers[0].name  # written in the temporary folder, now renamed
    lignes = [
        f"Publication « {dossier.name} » dans {dossier} :",
        f"  tableau de bord : {page.name} ({nombre_fr(page.stat().st_size / 1024**2, 1)} Mo), "
        + ("graphiques repris tels quels (chiffres inchangés), date et écarts avec la publication précédente "
           "mis à jour" if tableau.reprise else "redessiné" + (" (publication complète demandée)" if complet else "")),
    ]
    en_html = f"  rapports des entreprises pilotes : {pluriel(len(rapports), 'rapport')} HTML dans rapports/"
    if not rapports:  # nor any PDF to print
        lignes.append(f"  {signaler('rapports : aucune entreprise pilote, aucun rapport rédigé')}")
    elif not navigateur:
        lignes += [en_html, f"  {pdf.ABSENT}"]
    else:
        lignes += [en_html, f"  PDF : {nombre_fr(len(rapports) - len(pdf_echecs))} sur {nombre_fr(len(rapports))}"]
        lignes += [f"  PDF non produit pour {e} : {r}" for e, r in sorted(pdf_echecs.items())]
    if rapports:
        lignes.append("  Rapports : " + _repris(rapports, complet, ("redessiné", "redessinés"),
                                                 ("repris tel quel", "repris tels quels")))
    tables = [s for s in extraits if s.cle != CLASSEUR]
    lignes.append(f"  extraits pour les analystes : {nombre_fr(len(tables))} tables en CSV et Parquet dans extraits/")
    if tables:
        lignes.append("  Extraits : " + _repris(tables, complet, ("table réécrite", "tables réécrites"),
                                                ("reprise telle quelle", "reprises telles quelles")))
    if any(s.cle == CLASSEUR for s in extraits):
        lignes.append(f"  besoins en compétences pour les organismes de formation : extraits/{besoins_competences.FICHIER}")
    return "\n".join(lignes)


def _repris(sorties: list[Sortie], complet: bool, refaits: tuple[str, str], repris: tuple[str, str]) -> str:
    """« 2 redessinés, 4 repris tels quels (chiffres inchangés) »."""
    n_repris = sum(s.reprise for s in sorties)
    n_refaits = len(sorties) - n_repris
    morceaux = []
    if n_refaits:
        morceaux.append(pluriel(n_refaits, *refaits))
    if n_repris:
        morceaux.append(f"{pluriel(n_repris, *repris)} (chiffres inchangés)")
    return ", ".join(morceaux) + (" (publication complète demandée)" if complet else "")
