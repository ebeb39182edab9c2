"""French for the command-line library's own words (Typer and its copy of Click).

Typer looks some texts up with ``gettext`` through a ``_`` bound in its modules, with no
French catalogue: ``franciser()`` rebinds those names to this catalogue whatever the import
order (help pages, « [obligatoire] »). Its copy of Click writes the rest in plain English:
the « Usage: » prefix and the ``--help`` option's help are replaced, the Python type names
it shows beside a value (``<str>``, ``<list[Path]>``) become French words (``TEXTE``,
``CHEMIN``) unless the option names its own, and a usage error is phrased again from its
kind and its parameter by ``message_d_usage``.
``tests/test_cli.py`` checks the texts a user meets.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

CATALOGUE = {
    "Arguments": "Arguments",
    "Options": "Options",
    "Commands": "Commandes",
    "required": "obligatoire",
    "default: {default}": "défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "(dynamic)": "(calculé)",
    "(deprecated) ": "(obsolète) ",
    "Aborted!": "Interrompu.",
    "Missing command.": "commande manquante",
    "No such command {name!r}.": "commande inconnue « {name} »",
}


# the type Typer shows beside a value in the help (``<int>``) -> the word a user reads
TYPES = {"str": "TEXTE", "int": "ENTIER", "float": "NOMBRE", "bool": "OUI|NON", "path": "CHEMIN",
         "Path": "CHEMIN", "file": "FICHIER", "directory": "DOSSIER", "datetime": "DATE", "date": "DATE",
         "int range": "ENTIER", "float range": "NOMBRE", "UUID": "IDENTIFIANT"}


def traduire(message: str) -> str:
    return CATALOGUE.get(message, message)


def _aide_en_francais(help_option: Callable) -> Callable:
    """Typer's copy of Click writes the ``--help`` option's own help without gettext."""
    if getattr(help_option, "francise", False):
        return help_option

    def help_option_fr(*noms: Any, **options: Any) -> Callable:
        appliquer = help_option(*noms, **options)

        def decorer(commande: Any) -> Any:
            resultat = appliquer(commande)
            commande.params[-1].help = "Afficher cette aide et quitter."
            return resultat

        return decorer

    help_option_fr.francise = True  # type: ignore[attr-defined]
    return help_option_fr


def _usage_en_francais(write_usage: Callable) -> Callable:
    if getattr(write_usage, "francise", False):
        return write_usage

    def write_usage_fr(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, "Utilisation : " if prefix is None else prefix)

    write_usage_fr.francise = True  # type: ignore[attr-defined]
    return write_usage_fr


def type_en_francais(libelle: str) -> str:
    """``<list[Path]>`` -> ``CHEMIN``: the help's argument name already says « ... » for a
    list and « répétable » for a repeated option; choices (``a|b``) stay as they are."""
    nu = libelle[1:-1] if libelle.startswith("<") and libelle.endswith(">") else libelle
    liste = re.fullmatch(r"list\[(.*)\]", nu)
    if liste:
        nu = liste[1]
    return TYPES.get(nu, nu if "|" in nu else nu.upper())


def _types_en_francais(display_type: Callable) -> Callable:
    if getattr(display_type, "francise", False):
        return display_type

    def display_type_fr(self: Any, ctx: Any) -> str:
        return type_en_francais(display_type(self, ctx))

    display_type_fr.francise = True  # type: ignore[attr-defined]
    return display_type_fr


def franciser() -> None:
    """Rebind Typer's ``_`` and replace Click's fixed English texts (call after import)."""
    from typer import core
    from typer._click import decorators, formatting

    decorators.help_option = _aide_en_francais(decorators.help_option)
    core._TyperParameter.display_type = _types_en_francais(  # type: ignore[method-assign]
        core._TyperParameter.display_type)
    formatting.HelpFormatter.write_usage = _usage_en_francais(  # type: ignore[method-assign]
        formatting.HelpFormatter.write_usage)
    for nom, module in list(sys.modules.items()):
        if module is None or not nom.startswith("typer"):
            continue
        if getattr(module, "_", None) is not None and callable(module._):
            setattr(module, "_", traduire)  # noqa: B010 - a module attribute, not a typo


# what pydantic (Typer's value conversion) says -> what is expected, in French
ATTENDUS = {"valid integer": "un nombre entier", "valid number": "un nombre", "valid boolean": "oui ou non",
            "valid date": "une date"}


def _nom(erreur: Any) -> str:
    """The parameter as the user typed it: ``--sortie`` or the argument's name."""
    parametre = getattr(erreur, "param", None)
    if parametre is None:
        return str(getattr(erreur, "param_hint", None) or getattr(erreur, "option_name", "") or "?")
    options = getattr(parametre, "opts", None) or []
    longues = [o for o in options if o.startswith("--")]
    return (longues or options or [parametre.human_readable_name])[0]


def message_d_usage(erreur: Any) -> str:
    """A usage error of Typer's copy of Click, phrased in French from its kind."""
    from typer._click import exceptions as e

    if isinstance(erreur, e.MissingParameter):
        option = getattr(erreur, "param_type", None) == "option" or \
            getattr(getattr(erreur, "param", None), "param_type_name", "") == "option"
        quoi = "option obligatoire manquante" if option else "argument obligatoire manquant"
        return f"{quoi} : « {_nom(erreur)} »"
    if isinstance(erreur, e.NoSuchOption):
        suggestion = f" (options possibles : {', '.join(sorted(erreur.possibilities))})" if erreur.possibilities else ""
        return f"option inconnue « {erreur.option_name} »{suggestion}"
    if isinstance(erreur, e.BadOptionUsage):
        if "does not take a value" in erreur.message:
            return f"l'option « {erreur.option_name} » ne prend pas de valeur"
        return f"l'option « {erreur.option_name} » attend une valeur"
    if isinstance(erreur, e.BadParameter):
        attendu = next((f" ({francais} attendu)" for anglais, francais in ATTENDUS.items()
                        if anglais in erreur.message), "")
        return f"valeur invalide pour « {_nom(erreur)} »{attendu}"
    en_trop = re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", erreur.message)
    if en_trop:
        return f"argument(s) en trop : {en_trop[1]}"
    return erreur.format_message()
