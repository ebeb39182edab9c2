"""French for the command-line library's own words (Typer and its copy of Click).

Typer looks some texts up with ``gettext`` through a ``_`` bound in its modules, with no
French catalogue: ``franciser()`` rebinds those names to this catalogue whatever the import
order (help pages, « [obligatoire] »). Its copy of Click writes the rest in plain English:
the « Usage: » prefix and the ``--help`` option's help are replaced, and a usage error is
phrased again from its kind and its parameter by ``message_d_usage``.
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


def franciser() -> None:
    """Rebind Typer's ``_`` and replace Click's fixed English texts (call after import)."""
    from typer._click import decorators, formatting

    decorators.help_option = _aide_en_francais(decorators.help_option)
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
        quoi = "option obligatoire" if getattr(erreur, "param_type", None) == "option" or \
            getattr(getattr(erreur, "param", None), "param_type_name", "") == "option" else "argument obligatoire"
        return f"{quoi} manquant : « {_nom(erreur)} »"
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
