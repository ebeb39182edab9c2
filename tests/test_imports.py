"""The drawing of the imports of ``flows``, read with ``ast`` (module-level and
function-level imports): arrows only run down the layers, no two packages import each
other, and only ingestion reaches the per-format loaders of ``flows.sources``.

A new top-level module or package must be placed in ``COUCHES`` (the test says which).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from flows.config import RACINE

PAQUET = RACINE / "flows"

# From the bottom up; a unit (a top-level module or package of flows) imports only units of
# its own layer or of a lower one.
COUCHES: list[tuple[str, set[str]]] = [
    ("socle", {"config", "erreurs", "formats", "arguments", "confidentialite", "manques", "processus"}),
    ("lecture", {"lecture"}),
    ("entrepôt", {"warehouse", "cles", "empreintes_tables"}),
    ("métier", {"sources", "ml", "render", "demo"}),
    ("étapes", {"chargement", "ingestion", "transformation", "suivi", "learning", "publication", "purge",
                "etat", "collecte", "resumes"}),
    ("commandes", {"pipeline", "deployments", "cli", "cli_fr", "__main__"}),
]
# Who may import flows.sources: the loaders themselves and the ingestion stage.
LECTEURS_DE_SOURCES = {"sources", "ingestion", "chargement"}


def _modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the package."""
    modules = {}
    for fichier in PAQUET.rglob("*.py"):
        parties = list(fichier.relative_to(RACINE).with_suffix("").parts)
        if parties[-1] == "__init__":
            parties.pop()
        modules[".".join(parties)] = fichier
    return modules


def _cible(nom: str, modules: dict[str, Path]) -> str | None:
    """The module of flows an imported name designates (the deepest existing one)."""
    while nom not in modules and "." in nom:
        nom = nom.rsplit(".", 1)[0]
    return nom if nom in modules else None


def _imports(module: str, fichier: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of flows that a module imports, wherever the import statement is."""
    paquet = module if fichier.name == "__init__.py" else module.rpartition(".")[0]
    cibles: set[str] = set()
    for noeud in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.Import):
            cibles |= {c for alias in noeud.names if (c := _cible(alias.name, modules))}
        elif isinstance(noeud, ast.ImportFrom):
            if noeud.level:
                base = paquet.split(".")[: len(paquet.split(".")) - noeud.level + 1]
                depuis = ".".join(base + ([noeud.module] if noeud.module else []))
            else:
                depuis = noeud.module or ""
            for alias in noeud.names:  # ``from flows import warehouse`` imports flows.warehouse
                cible = _cible(f"{depuis}.{alias.name}", modules) or _cible(depuis, modules)
                if cible:
                    cibles.add(cible)
    return cibles - {module}


def _unite(module: str) -> str:
    """``flows.render.figures`` -> ``render``; ``flows.ingestion`` -> ``ingestion``."""
    return module.split(".")[1] if "." in module else module


def _graphe() -> dict[str, set[str]]:
    modules = _modules()
    return {m: _imports(m, f, modules) for m, f in modules.items()}


def _dessin(graphe: dict[str, set[str]]) -> str:
    """The arrows between units, layer by layer from the top."""
    fleches: dict[str, set[str]] = defaultdict(set)
    for module, cibles in graphe.items():
        fleches[_unite(module)] |= {_unite(c) for c in cibles} - {_unite(module), "flows"}
    lignes = []
    for nom, unites in reversed(COUCHES):
        lignes.append(f"[{nom}]")
        lignes += [f"  {u} -> {', '.join(sorted(fleches[u])) or '(rien)'}" for u in sorted(unites)]
    return "\n".join(lignes)


def _rang(unite: str) -> int:
    return next(i for i, (_, unites) in enumerate(COUCHES) if unite in unites)


def test_chaque_module_a_sa_couche():
    unites = {_unite(m) for m in _modules()} - {"flows"}
    placees = set().union(*(u for _, u in COUCHES))
    assert unites - placees == set(), f"à placer dans COUCHES :\n{_dessin(_graphe())}"
    assert sum(len(u) for _, u in COUCHES) == len(placees), "une unité dans deux couches"


def test_aucune_fleche_ne_remonte():
    graphe = _graphe()
    remontantes = sorted(
        f"{module} -> {cible}" for module, cibles in graphe.items() for cible in cibles
        if "flows" not in (_unite(module), _unite(cible)) and _rang(_unite(cible)) > _rang(_unite(module)))
    assert remontantes == [], "\n".join(["flèches qui remontent :", *remontantes, "", _dessin(graphe)])


def test_seule_l_ingestion_importe_les_sources():
    graphe = _graphe()
    intrus = sorted(f"{module} -> {cible}" for module, cibles in graphe.items() for cible in cibles
                    if _unite(cible) == "sources" and _unite(module) not in LECTEURS_DE_SOURCES)
    assert intrus == [], "\n".join(["flows.sources importé hors de l'ingestion :", *intrus, "", _dessin(graphe)])


def test_aucun_cycle_entre_paquets():
    """No two units reach each other (Tarjan's strongly connected components)."""
    graphe = _graphe()
    fleches: dict[str, set[str]] = defaultdict(set)
    for module, cibles in graphe.items():
        fleches[_unite(module)] |= {_unite(c) for c in cibles} - {_unite(module)}
    index: dict[str, int] = {}
    bas: dict[str, int] = {}
    pile: list[str] = []
    cycles: list[list[str]] = []

    def visiter(u: str) -> None:
        index[u] = bas[u] = len(index)
        pile.append(u)
        for v in fleches[u]:
            if v not in index:
                visiter(v)
                bas[u] = min(bas[u], bas[v])
            elif v in pile:
                bas[u] = min(bas[u], index[v])
        if bas[u] == index[u]:
            composante = []
            while (v := pile.pop()) != u:
                composante.append(v)
            if composante:
                cycles.append(sorted([u, *composante]))

    for unite in sorted(set(fleches) | {c for cs in fleches.values() for c in cs}):
        if unite not in index:
            visiter(unite)
    assert cycles == [], f"paquets qui s'importent l'un l'autre : {cycles}\n{_dessin(graphe)}"


def test_le_dessin_lit_les_imports_dans_les_fonctions():
    """The drawing sees what it must: a function-level import (ml/rome.py reads CSV files
    through flows.lecture inside a function) and ``from flows import warehouse``."""
    graphe = _graphe()
    assert "flows.lecture.fichiers" in graphe["flows.ml.rome"]
    assert "flows.warehouse" in graphe["flows.ingestion"] | graphe["flows.chargement.un_fichier"]
