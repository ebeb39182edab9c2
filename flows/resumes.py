"""What a pipeline run tells (flows/pipeline.py): the loads per source, the tables it
built, and the Markdown summary linking its outputs, all in French."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from flows.formats import nombre_fr


def constructions(compte: Counter[str], reutilisees: set[str] | None = None) -> str:
    """One French line: how many tables the run built, any built more than once, and how
    many it kept because their inputs had not changed."""
    repetees = sorted(t for t, n in compte.items() if n > 1)
    gardees = f", réutilisées : {nombre_fr(len(reutilisees))} (entrées inchangées)" if reutilisees else ""
    if not repetees:
        une_fois = ", chacune une fois" if compte else ""
        return f"Tables construites : {nombre_fr(len(compte))}{une_fois}{gardees}."
    return (f"Tables construites : {nombre_fr(len(compte))}, dont {nombre_fr(len(repetees))} plusieurs fois : "
            + ", ".join(f"{t} ({compte[t]})" for t in repetees) + f"{gardees}.")


def chargements_par_source(bilans: list[dict]) -> list[dict]:
    """One row per source: files and rows of this run (files already loaded count apart)."""
    lignes: dict[str, dict] = {}
    for b in bilans:
        ligne = lignes.setdefault(b["source"], {
            "source": b["source"], "fichiers": 0, "déjà chargés": 0, "lignes lues": 0, "nouvelles": 0,
            "mises à jour": 0, "inchangées": 0, "en quarantaine": 0})
        ligne["fichiers"] += 1
        ligne["déjà chargés"] += int(b["deja_charge"])
        for colonne, cle in (("lignes lues", "lignes_lues"), ("nouvelles", "nouvelles"),
                             ("mises à jour", "mises_a_jour"), ("inchangées", "inchangees"),
                             ("en quarantaine", "rejetees")):
            ligne[colonne] += b[cle]
    return list(lignes.values())


def resume_markdown(titre: str, texte: str, entrepot: str, dossier: Path) -> str:
    """The run's summary and links to every file it published (its Markdown artifact)."""
    fichiers = sorted(p for p in dossier.rglob("*") if p.is_file()) if dossier.is_dir() else []
    sorties = [f"- [{p.relative_to(dossier)}]({p.resolve().as_uri()})" for p in fichiers]
    return "\n".join([
        f"# {titre}", "", "```text", texte, "```", "", "## Sorties", "",
        f"- Entrepôt DuckDB : `{entrepot}`",
        *(sorties or [f"- Aucun fichier publié dans `{dossier}` par cette exécution."]),
        "", "Lignes en quarantaine : table `controle.rejets` de l'entrepôt (motif en français par ligne).",
    ])
