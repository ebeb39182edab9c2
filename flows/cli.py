"""Command line ``python -m flows ...`` (French verbs, French messages).

Exit code 0 when the command did its work (quarantined rows are reported, not fatal),
1 with one French line on stderr for anything the user can fix.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

# Before Prefect is imported: no analytics call (no network here), and Prefect's own
# console output silenced (the command prints its French summary; the Prefect UI still
# receives every log through the API handler).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")

from flows.erreurs import ErreurUtilisateur  # noqa: E402

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Pipeline des tensions de recrutement du Hub emplois et compétences des industries de santé.",
)

Entrepot = Annotated[
    Path | None,
    typer.Option("--entrepot", help="Fichier DuckDB de l'entrepôt (défaut : donnees/entrepot.duckdb ou HUB_ENTREPOT)."),
]


def _sortie_erreur(message: str) -> None:
    typer.echo(f"Erreur : {message}", err=True)
    raise typer.Exit(1)


def _entrepot(entrepot: Path | None) -> str:
    from flows.config import chemin_entrepot

    return str(chemin_entrepot(entrepot))


def afficher_bilans(bilans: list[dict], entrepot: str) -> None:
    """French summary of an ingestion: per file, then totals and the first rejects."""
    from flows.ingestion import resume

    typer.echo(resume(bilans, entrepot))


@app.command()
def ingerer(
    source: Annotated[str, typer.Argument(help="offres-ft, offres-fichier, demandeurs, profils, bmo, dares, rome, communes, entreprise")],
    chemins: Annotated[list[Path], typer.Argument(help="Fichiers ou dossiers à charger.")],
    entrepot: Entrepot = None,
    plateforme: Annotated[str | None, typer.Option(help="offres-fichier : nom de la plateforme (sinon déduit de l'en-tête).")] = None,
) -> None:
    """Charger des fichiers d'une source dans l'entrepôt."""
    try:
        from flows.ingestion import ingestion
        from flows.sources import lecteur

        lecteur(source)
        base = _entrepot(entrepot)
        bilans = ingestion(source, [str(c) for c in chemins], base, plateforme)
        afficher_bilans(bilans, base)
    except ErreurUtilisateur as e:
        _sortie_erreur(str(e))


@app.command()
def transformer(entrepot: Entrepot = None) -> None:
    """Reconstruire les tables préparées et les indicateurs (modèles SQL de sql/)."""
    try:
        from flows.transformation import transformation

        tables = transformation(_entrepot(entrepot))
        for couche, noms in tables.items():
            typer.echo(f"Couche {couche} : {len(noms)} table(s) reconstruite(s) : {', '.join(noms)}")
    except ErreurUtilisateur as e:
        _sortie_erreur(str(e))


@app.command()
def demo(
    entrepot: Entrepot = None,
    graine: Annotated[int, typer.Option(help="Graine du générateur de données fictives.")] = 2026,
) -> None:
    """Générer les données de démonstration si besoin, puis exécuter tout le pipeline."""
    try:
        from flows.pipeline import pipeline_demo

        texte = pipeline_demo(_entrepot(entrepot), graine)
        typer.echo(texte)
    except ErreurUtilisateur as e:
        _sortie_erreur(str(e))


@app.command("generer-demo")
def generer_demo(
    dossier: Annotated[Path, typer.Option(help="Dossier où écrire les fichiers.")],
    echelle: Annotated[int | None, typer.Option(help="Nombre d'offres France Travail à générer.")] = None,
    graine: Annotated[int, typer.Option(help="Graine du générateur.")] = 2026,
) -> None:
    """Écrire les données fictives de démonstration (sans les charger)."""
    from flows.demo import generer

    verite = generer(dossier, graine=graine, echelle=echelle)
    typer.echo(f"Données fictives écrites dans {dossier} (vérité plantée : {verite})")


def _bientot(etape: str) -> None:
    typer.echo(f"« {etape} » : pas encore disponible.")


@app.command()
def apprendre(entrepot: Entrepot = None) -> None:
    """Entraîner les modèles (classement ROME, doublons, facteurs de difficulté)."""
    _bientot("apprendre")


@app.command()
def publier(entrepot: Entrepot = None) -> None:
    """Publier le tableau de bord et les rapports des entreprises pilotes."""
    _bientot("publier")


@app.command()
def pipeline(entrepot: Entrepot = None) -> None:
    """Exécuter toute la chaîne sur la zone de dépôt donnees/entree/."""
    try:
        from flows.pipeline import pipeline as flux

        typer.echo(flux(_entrepot(entrepot)))
    except ErreurUtilisateur as e:
        _sortie_erreur(str(e))


def main() -> None:
    app(prog_name="python -m flows")
