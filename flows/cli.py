"""Command line ``python -m flows ...`` (French verbs, French messages).

Exit code 0 when the command did its work (quarantined rows are reported, not fatal),
1 with one French line on stderr for anything the user can fix.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from flows.config import appliquer_reglages_prefect, chemin_journaux, delai_demarrage_prefect

# Before Prefect is imported (no module above imports it): Prefect reads its settings from
# the environment once, at its first import (no analytics, console quiet, startup timeout).
appliquer_reglages_prefect()

from flows import arguments  # noqa: E402 - cheap checks, run before Prefect is imported
from flows.cli_fr import franciser, message_d_usage  # noqa: E402
from flows.erreurs import ErreurUtilisateur, disque_plein, phrase_disque_plein  # noqa: E402
from flows.formats import nombre_fr  # noqa: E402


class _Commandes(TyperGroup):
    """The one place where what a command met and the user can act on becomes one French
    line and exit code 1: our ``ErreurUtilisateur`` and a full disk, whichever command and
    stage raised them. Here rather than in ``main`` so that tests invoking ``app`` see the
    same line."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ErreurUtilisateur as erreur:
            _sortie_erreur(str(erreur))
        except Exception as erreur:
            if not disque_plein(erreur):
                raise
            _sortie_erreur(phrase_disque_plein(erreur))


app = typer.Typer(
    cls=_Commandes,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # Click's plain help and errors, which franciser() puts in French
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
    help="Pipeline des tensions de recrutement du Hub emplois et compétences des industries de santé.",
)

_DEBOGAGE = {"actif": False}


@app.callback()
def _options_generales(
    debug: Annotated[bool, typer.Option("--debug", help="En cas d'erreur inattendue, afficher aussi "
                                                        "la trace complète (toujours écrite dans donnees/journaux/).")] = False,
) -> None:
    """Options shared by every command (the help text is the one given to ``typer.Typer``)."""
    _DEBOGAGE["actif"] = debug

Entrepot = Annotated[
    Path | None,
    typer.Option("--entrepot", metavar="FICHIER", help="Fichier DuckDB de l'entrepôt (défaut : donnees/entrepot.duckdb ou HUB_ENTREPOT)."),
]


Executeur = Annotated[
    str | None,
    typer.Option("--executeur", metavar="NOM", help="Lecture des offres France Travail par partitions en parallèle : « local » "
                                     "(fils d'exécution, défaut) ou « dask » (grappe Dask, voir README)."),
]
DaskAdresse = Annotated[
    str | None,
    typer.Option("--dask-adresse", metavar="ADRESSE", help="Avec --executeur dask : adresse d'une grappe Dask existante "
                                        "(ex. tcp://10.0.0.5:8786) ; sans elle, une grappe locale est lancée."),
]


def _sortie_erreur(message: str) -> NoReturn:
    typer.echo(f"Erreur : {message}", err=True)
    raise typer.Exit(1)


def _entrepot(entrepot: Path | None, creer: bool = False) -> str:
    """The warehouse path, checked before anything starts; only the commands that load
    files (``creer``) may start a new warehouse, in an existing folder."""
    from flows.config import chemin_entrepot
    from flows.warehouse import verifier_chemin

    fichier = chemin_entrepot(entrepot)
    verifier_chemin(fichier, creer)
    return str(fichier)


Depot = Annotated[
    Path | None,
    typer.Option("--entree", metavar="DOSSIER", help="Zone de dépôt où chercher un référentiel plus récent que celui livré "
                                  "(défaut : donnees/entree)."),
]


def charger_referentiels(entrepot: str, entree: Path | None, source: str | None = None,
                         chemins: list[Path] | None = None) -> None:
    """Load the shipped referentials whose tables are still empty, so that a warehouse
    filled by hand needs no manual step; says in one line what was loaded."""
    from flows.ingestion import referentiels_livres

    _, texte = referentiels_livres(entrepot, source, [str(c) for c in chemins or []],
                                   [str(entree)] if entree else None)
    if texte:
        typer.echo(texte)


def afficher_bilans(bilans: list[dict], entrepot: str) -> None:
    """French summary of an ingestion: per file, then totals and the first rejects."""
    from flows.ingestion import resume

    typer.echo(resume(bilans, entrepot))


@app.command()
def ingerer(
    source: Annotated[str, typer.Argument(help="offres-ft, offres-fichier, demandeurs, profils, bmo, dares, rome, fap2021, communes, entreprise")],
    chemins: Annotated[list[Path], typer.Argument(help="Fichiers ou dossiers à charger.")],
    entrepot: Entrepot = None,
    plateforme: Annotated[str | None, typer.Option(metavar="NOM", help="offres-fichier : nom de la plateforme (sinon déduit de l'en-tête).")] = None,
    executeur: Executeur = None,
    dask_adresse: DaskAdresse = None,
    entree: Depot = None,
) -> None:
    """Charger des fichiers d'une source dans l'entrepôt (et d'abord les référentiels livrés
    dont les tables sont encore vides)."""
    from flows.lecture.registre import verifier_source

    verifier_source(source)
    arguments.verifier_entrees(chemins)
    arguments.verifier_executeur(executeur)
    if entree is not None:
        arguments.verifier_entrees([entree])
    base = _entrepot(entrepot, creer=True)
    from flows.ingestion import ingestion

    charger_referentiels(base, entree, source, chemins)
    bilans = ingestion(source, [str(c) for c in chemins], base, plateforme, executeur, dask_adresse)
    afficher_bilans(bilans, base)


@app.command()
def transformer(
    entrepot: Entrepot = None,
    entree: Depot = None,
    complet: Annotated[bool, typer.Option(
        "--complet", help="Tout reconstruire, même les tables dont les entrées n'ont pas changé.")] = False,
) -> None:
    """Reconstruire les tables préparées, les tables intermédiaires (codes ROME prédits et
    doublons joints) et les indicateurs : modèles SQL de sql/, après avoir chargé les
    référentiels livrés dont les tables sont encore vides. Seules les tables dont une
    entrée a changé (données lues, requête, paramètres) sont reconstruites, sauf avec --complet."""
    if entree is not None:
        arguments.verifier_entrees([entree])
    base = _entrepot(entrepot)
    from flows.transformation import transformation

    charger_referentiels(base, entree)
    bilans = transformation(base, complet=complet)
    for couche, bilan in bilans.items():
        noms = f" : {', '.join(bilan.construites)}" if bilan.construites else ""
        typer.echo(f"Couche {couche} : {nombre_fr(len(bilan.construites))} table(s) reconstruite(s){noms} ; "
                   f"{nombre_fr(len(bilan.reutilisees))} réutilisée(s) (entrées inchangées)")


@app.command()
def demo(
    entrepot: Entrepot = None,
    graine: Annotated[int, typer.Option(help="Graine du générateur de données fictives.")] = 2026,
    executeur: Executeur = None,
    dask_adresse: DaskAdresse = None,
) -> None:
    """Générer les données de démonstration si besoin, puis exécuter tout le pipeline."""
    arguments.verifier_executeur(executeur)
    base = _entrepot(entrepot, creer=True)
    from flows.pipeline import pipeline_demo

    texte = pipeline_demo(base, graine, executeur, dask_adresse)
    typer.echo(texte)


@app.command("generer-demo")
def generer_demo(
    dossier: Annotated[Path, typer.Option(metavar="DOSSIER", help="Dossier où écrire les fichiers (créé s'il n'existe pas, dans un dossier existant).")],
    echelle: Annotated[int | None, typer.Option(help="Nombre d'offres France Travail à générer.")] = None,
    graine: Annotated[int, typer.Option(help="Graine du générateur.")] = 2026,
) -> None:
    """Écrire les données fictives de démonstration (sans les charger)."""
    arguments.verifier_dossier_a_ecrire(dossier)
    from flows.demo import generer

    verite = generer(dossier, graine=graine, echelle=echelle)
    typer.echo(f"Données fictives écrites dans {dossier} (vérité plantée : {verite})")


@app.command()
def apprendre(
    entrepot: Entrepot = None,
    reentrainer: Annotated[bool, typer.Option(
        "--reentrainer", help="Réentraîner les modèles même si leurs données ont peu changé "
        "(part_nouvelle_max de [apprentissage.rome] et [apprentissage.difficulte]).")] = False,
    complet: Annotated[bool, typer.Option(
        "--complet", help="Recomparer toutes les offres pour les doublons (par défaut : seulement les "
                          "offres nouvelles ou modifiées, avec leurs blocs).")] = False,
) -> None:
    """Entraîner les modèles (classement ROME, doublons, facteurs de difficulté) sur les tables
    telles que « transformer » les a construites ; relancer ensuite « transformer » pour que les
    indicateurs en tiennent compte (« pipeline » enchaîne tout)."""
    base = _entrepot(entrepot)
    from flows.learning import apprentissage

    typer.echo(apprentissage(base, reentrainer, complet))


@app.command()
def publier(
    entrepot: Entrepot = None,
    sortie: Annotated[str | None, typer.Option(
        "--sortie", metavar="NOM", help="Nom du dossier de sortie dans sorties/ (défaut : la date du jour, ex. 2026-11-28).")] = None,
    complet: Annotated[bool, typer.Option(
        "--complet", help="Tout redessiner, même les rapports et extraits dont les chiffres n'ont pas changé "
                          "depuis la publication précédente (repris tels quels sinon).")] = False,
) -> None:
    """Publier le tableau de bord et les rapports des entreprises pilotes."""
    if sortie is not None:
        arguments.verifier_nom(sortie)
    base = _entrepot(entrepot)
    from flows.publication import nom_du_jour, publication

    typer.echo(publication(base, sortie or nom_du_jour(), complet=complet))


Entree = Annotated[
    Path | None,
    typer.Option("--entree", metavar="DOSSIER", help="Zone de dépôt où écrire les réponses brutes (défaut : donnees/entree)."),
]


@app.command()
def pipeline(
    entrepot: Entrepot = None,
    executeur: Executeur = None,
    dask_adresse: DaskAdresse = None,
    entree: Annotated[Path | None, typer.Option(
        "--entree", metavar="DOSSIER", help="Zone de dépôt à charger (défaut : donnees/entree).")] = None,
    complet: Annotated[bool, typer.Option(
        "--complet", help="Tout refaire (tables, doublons, sorties), pas seulement ce que les nouvelles "
                          "données ont changé : après une mise à jour du code, par exemple.")] = False,
) -> None:
    """Exécuter toute la chaîne sur la zone de dépôt donnees/entree/."""
    arguments.verifier_executeur(executeur)
    if entree is not None:
        arguments.verifier_entrees([entree])
    base = _entrepot(entrepot, creer=True)
    from flows.pipeline import pipeline as flux

    typer.echo(flux(base, str(entree) if entree else None, executeur, dask_adresse, complet))


JetonUrl = Annotated[
    str | None,
    typer.Option("--token-url", metavar="ADRESSE", help="Adresse complète du jeton OAuth2 (défaut : FT_TOKEN_URL ou France Travail)."),
]


@app.command("collecter-ft")
def collecter_ft(
    departement: Annotated[str, typer.Option(metavar="CODE", help="Département du lieu de travail (ex. 21).")],
    rome: Annotated[list[str] | None, typer.Option(metavar="CODE", help="Code ROME, répétable (sans --rome : tous les métiers).")] = None,
    depuis: Annotated[str | None, typer.Option(metavar="DATE", help="Offres créées depuis AAAA-MM-JJ[THH:MM] (heure de Paris) ; défaut : fin de la collecte précédente.")] = None,
    jusqua: Annotated[str | None, typer.Option(metavar="DATE", help="Jusqu'à AAAA-MM-JJ[THH:MM] (défaut : maintenant).")] = None,
    api_url: Annotated[str | None, typer.Option(metavar="ADRESSE", help="Base de l'API Offres d'emploi (défaut : FT_API_URL ou France Travail).")] = None,
    token_url: JetonUrl = None,
    entree: Entree = None,
    entrepot: Entrepot = None,
) -> None:
    """Collecter les offres de l'API France Travail, les garder brutes puis les charger."""
    arguments.verifier_collecte_offres(departement, rome, depuis, jusqua)
    base = _entrepot(entrepot, creer=True)
    from flows.collecte.offres import collecte_offres_ft

    resultat = collecte_offres_ft(departement, rome, depuis, jusqua, api_url, token_url,
                                  str(entree) if entree else None, base)
    typer.echo(resultat["texte"])


@app.command("collecter-marche")
def collecter_marche(
    territoire: Annotated[list[str], typer.Option(metavar="TYPE:CODE", help="Territoire TYPE:CODE, répétable (ex. DEP:21, REG:27).")],
    rome: Annotated[list[str], typer.Option(metavar="CODE", help="Code ROME, répétable (ex. I1304).")],
    stats_url: Annotated[str | None, typer.Option(metavar="ADRESSE", help="Base de l'API Marché du travail (défaut : FT_STATS_URL ou France Travail).")] = None,
    token_url: JetonUrl = None,
    entree: Entree = None,
    entrepot: Entrepot = None,
) -> None:
    """Collecter les statistiques « Marché du travail » (demandeurs, offres, tension) et les charger."""
    arguments.verifier_collecte_marche(territoire, rome)
    base = _entrepot(entrepot, creer=True)
    from flows.collecte.marche import collecte_marche

    resultat = collecte_marche(territoire, rome, stats_url, token_url, str(entree) if entree else None, base)
    typer.echo(resultat["texte"])


@app.command()
def servir() -> None:
    """Exécuter les déploiements planifiés (flows/deployments.py) sur un serveur Prefect lancé."""
    from flows.deployments import PLANNING, verifier_serveur
    from flows.deployments import servir as servir_deploiements

    url = verifier_serveur()
    typer.echo(f"Serveur Prefect : {url}")
    for nom, (cron, description) in PLANNING.items():
        typer.echo(f"  {nom} : {description} (cron « {cron} », heure de Paris)")
    typer.echo("Arrêt : Ctrl+C. Les exécutions et leurs journaux sont dans l'interface Prefect.")
    servir_deploiements()


@app.command()
def etat(
    entrepot: Entrepot = None,
    entree: Annotated[Path | None, typer.Option(
        "--entree", metavar="DOSSIER", help="Zone de dépôt dont lire les collectes (défaut : donnees/entree).")] = None,
) -> None:
    """Afficher l'état : dernières exécutions, fraîcheur des données, quarantaine, sorties."""
    _entrepot(entrepot, creer=True)  # a warehouse not created yet is told by etat, a missing folder refused here
    from flows.config import ENTREE
    from flows.etat import etat as etat_

    typer.echo(etat_(entrepot, entree or ENTREE))


@app.command()
def purger(
    avant: Annotated[str | None, typer.Option(
        "--avant", metavar="DATE", help="Supprimer ce qui est antérieur à cette date (jj/mm/aaaa ou aaaa-mm-jj ; défaut : "
                        "aujourd'hui moins conservation_mois de config/parametres.toml).")] = None,
    entrepot: Entrepot = None,
) -> None:
    """Supprimer les profils de demandeurs et les candidatures plus anciens que la durée de conservation."""
    base = _entrepot(entrepot)
    from flows.purge import date_limite, resume
    from flows.purge import purger as purge

    typer.echo(resume(purge(base, date_limite(avant))))


@app.command("classer-rome")
def classer_rome(
    entree: Annotated[Path, typer.Argument(help="CSV « id,intitule[,description] ».")],
    sortie: Annotated[Path, typer.Argument(help="CSV écrit : id,rome_code,rome_code_parent,confiance,rome_code_2,rome_code_3.")],
    entrepot: Entrepot = None,
) -> None:
    """Attribuer un code ROME à des intitulés avec le modèle qu'« apprendre » a entraîné sur l'entrepôt."""
    arguments.verifier_fichier(entree)
    arguments.verifier_fichier_a_ecrire(sortie)
    base = _entrepot(entrepot)
    from flows.ml.communs import dossier_modeles
    from flows.ml.rome import classer_fichier, modele_courant

    bilan = classer_fichier(entree, sortie, modele_courant(dossier_modeles(base)))
    mediane = "—" if bilan["confiance_mediane"] is None else nombre_fr(bilan["confiance_mediane"], 2)
    typer.echo(f"{nombre_fr(bilan['lignes'])} intitulé(s) classé(s) dans {sortie} "
               f"(confiance médiane {mediane} ; {nombre_fr(bilan['sans_code'])} sans mot exploitable).")
    for rejet in bilan["rejets"]:
        typer.echo(f"  ignorée : {rejet}")


def _ecrire_journal(trace: str) -> str:
    """Keep the whole traceback in a file of its own; the terminal gets one French line
    (saying why when the file cannot be written: the failure must still be told)."""
    dossier = chemin_journaux()
    chemin = dossier / f"erreur-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    try:
        dossier.mkdir(parents=True, exist_ok=True)
        chemin.write_text(" ".join(sys.argv) + "\n\n" + trace, encoding="utf-8")
    except OSError as e:
        return f"journal non écrit dans {dossier} ({e.strerror or type(e).__name__})"
    return str(chemin)


def _explication(erreur: BaseException) -> str:
    """What the user can do about an error that is not ours to phrase (a library's)."""
    if "ephemeral Prefect API server" in str(erreur):
        delai = delai_demarrage_prefect() or "?"
        try:
            delai = nombre_fr(float(delai), 0 if float(delai).is_integer() else 1)
        except ValueError:
            pass
        return (f"le serveur temporaire de Prefect n'a pas démarré en {delai} s (machine chargée ?) : "
                "lancez « prefect server start » dans un autre terminal, exportez "
                "PREFECT_API_URL=http://127.0.0.1:4200/api puis relancez la commande, ou augmentez "
                "[prefect] demarrage_serveur_secondes dans config/parametres.toml")
    return (f"erreur inattendue ({type(erreur).__name__}) ; relancez avec « python -m flows --debug … » "
            "pour voir la trace, ou transmettez le journal à l'équipe technique")


def main() -> None:
    """Run the command line: usage errors in one French line (exit code 2), and no
    traceback reaches the terminal unless ``--debug`` is given."""
    franciser()
    try:
        code = app(prog_name="python -m flows", standalone_mode=False)
    except NoArgsIsHelpError as erreur:  # no command: the help page, as Click does
        typer.echo(erreur.format_message())
        sys.exit(erreur.exit_code)
    except UsageError as erreur:
        commande = erreur.ctx.command_path if erreur.ctx else "python -m flows"
        typer.echo(f"Erreur : {message_d_usage(erreur)} (aide : {commande} --help)", err=True)
        sys.exit(erreur.exit_code)
    except ClickException as erreur:
        typer.echo(f"Erreur : {erreur.format_message()}", err=True)
        sys.exit(erreur.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("Interrompu.", err=True)
        sys.exit(130)
    except Exception as erreur:  # noqa: BLE001 - the last line of defence of the command line
        trace = traceback.format_exc()
        journal = _ecrire_journal(trace)
        if _DEBOGAGE["actif"]:
            typer.echo(trace, err=True)
        typer.echo(f"Erreur : {_explication(erreur)}. Détail : {journal}", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
