"""Settings are read in one place: no module of ``flows/`` but ``config.py`` touches the
environment, and each setting function gives the exact value for a given environment."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from flows import config
from flows.config import RACINE

FLOWS = RACINE / "flows"

# Files still allowed to touch the environment, and why. The executor settings
# (HUB_EXECUTEUR, HUB_DASK_ADRESSE) move to config.py with the split of ingestion (another
# part of issue #16): remove this entry when that work is merged.
EXCEPTIONS: dict[str, str] = {}


def _acces_environnement(fichier: Path) -> list[int]:
    """Lines where a module reads or writes the environment: ``os.environ``, ``os.getenv``,
    ``os.putenv``, or those names imported from ``os``."""
    arbre = ast.parse(fichier.read_text(encoding="utf-8"))
    noms = {"environ", "getenv", "putenv", "environb", "getenvb", "unsetenv"}
    importes = {alias.asname or alias.name for noeud in ast.walk(arbre)
                if isinstance(noeud, ast.ImportFrom) and noeud.module == "os"
                for alias in noeud.names if alias.name in noms}
    lignes = []
    for noeud in ast.walk(arbre):
        if (isinstance(noeud, ast.Attribute) and noeud.attr in noms
                and isinstance(noeud.value, ast.Name) and noeud.value.id == "os"):
            lignes.append(noeud.lineno)
        elif isinstance(noeud, ast.Name) and noeud.id in importes:
            lignes.append(noeud.lineno)
    return sorted(lignes)


def test_seul_config_lit_l_environnement():
    acces = {str(f.relative_to(RACINE)): lignes for f in sorted(FLOWS.rglob("*.py"))
             if (lignes := _acces_environnement(f))}
    hors_config = {f: lignes for f, lignes in acces.items() if f != "flows/config.py" and f not in EXCEPTIONS}
    assert hors_config == {}, "lisez ces variables d'environnement par une fonction de flows/config.py"
    perimees = set(EXCEPTIONS) - set(acces)
    assert perimees == set(), "ces fichiers ne lisent plus l'environnement : retirez-les de EXCEPTIONS"


def test_le_detecteur_voit_chaque_forme(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom os import getenv as g\n\na = os.environ.get('X')\nb = g('Y')\n"
                      "os.environ['Z'] = '1'\nc = os.getpid()\n")
    assert _acces_environnement(module) == [4, 5, 6]


def test_racine_modeles_ml(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_MODELES_ML", str(tmp_path / "ailleurs"))
    assert config.racine_modeles_ml() == tmp_path / "ailleurs"
    monkeypatch.delenv("HUB_MODELES_ML")
    assert config.racine_modeles_ml() == RACINE / "donnees" / "modeles-ml"


def test_dossier_modeles_suit_la_racine(tmp_path, monkeypatch):
    from flows.ml.communs import dossier_modeles

    monkeypatch.setenv("HUB_MODELES_ML", str(tmp_path / "ailleurs"))
    assert dossier_modeles("donnees/reel.duckdb") == tmp_path / "ailleurs" / "reel"


def test_sel_impose(monkeypatch):
    monkeypatch.setenv("HUB_SEL", "abc")
    assert config.sel_impose() == b"abc"
    monkeypatch.setenv("HUB_SEL", "")
    assert config.sel_impose() is None
    monkeypatch.delenv("HUB_SEL")
    assert config.sel_impose() is None


def test_sel_lu_dans_le_fichier_sans_hub_sel(tmp_path, monkeypatch):
    from flows.confidentialite import sel

    monkeypatch.setenv("HUB_SEL", "sel-impose")
    assert sel() == b"sel-impose"
    monkeypatch.delenv("HUB_SEL")
    (tmp_path / "secrets").mkdir(exist_ok=True)
    (tmp_path / "secrets" / "sel").write_text("0123abcd\n")
    monkeypatch.setenv("HUB_SECRETS", str(tmp_path / "secrets"))
    assert sel() == b"0123abcd"


def test_identifiants_france_travail(monkeypatch):
    monkeypatch.setenv("FT_CLIENT_ID", "mon-id")
    monkeypatch.setenv("FT_CLIENT_SECRET", "ma-cle")
    assert config.identifiants_france_travail() == ("mon-id", "ma-cle")
    monkeypatch.delenv("FT_CLIENT_SECRET")
    assert config.identifiants_france_travail() == ("mon-id", None)
    monkeypatch.delenv("FT_CLIENT_ID")
    assert config.identifiants_france_travail() == (None, None)


def test_url_france_travail(monkeypatch):
    monkeypatch.delenv("FT_API_URL", raising=False)
    assert config.url_france_travail(None, "FT_API_URL", "https://api.test/offres/") == "https://api.test/offres"
    monkeypatch.setenv("FT_API_URL", "http://127.0.0.1:8000/faux/")
    assert config.url_france_travail(None, "FT_API_URL", "https://api.test/offres") == "http://127.0.0.1:8000/faux"
    assert config.url_france_travail("http://option/", "FT_API_URL", "https://api.test") == "http://option"


def test_url_serveur_prefect(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert config.url_serveur_prefect() == "http://127.0.0.1:4200/api"
    monkeypatch.setenv("PREFECT_API_URL", "")
    assert config.url_serveur_prefect() is None


def _parametres(tmp_path, monkeypatch, remplacements: dict[str, str]) -> None:
    """A copy of config/parametres.toml with some lines replaced, in force for the test."""
    texte = (config.CONFIG / "parametres.toml").read_text(encoding="utf-8")
    for avant, apres in remplacements.items():
        assert avant in texte
        texte = texte.replace(avant, apres)
    chemin = tmp_path / "parametres.toml"
    chemin.write_text(texte, encoding="utf-8")
    monkeypatch.setenv("HUB_PARAMETRES", str(chemin))


def test_reglages_prefect_du_fichier(tmp_path, monkeypatch):
    assert config.reglages_prefect() == {
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
    }
    _parametres(tmp_path, monkeypatch, {"demarrage_serveur_secondes = 300": "demarrage_serveur_secondes = 45"})
    assert config.reglages_prefect()["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "45"


def test_une_variable_exportee_prime_sur_les_reglages_prefect(monkeypatch):
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "true")
    monkeypatch.delenv("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    config.appliquer_reglages_prefect()
    assert [os.environ[v] for v in ("PREFECT_SERVER_ANALYTICS_ENABLED", "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL",
                                    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS")] == ["true", "CRITICAL", "120"]
    assert config.delai_demarrage_prefect() == "120"
    monkeypatch.delenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS")
    assert config.delai_demarrage_prefect() is None


def test_collectes_planifiees_du_fichier_livre():
    assert config.collectes_planifiees() == {
        "departement": "21",
        "territoires": ["DEP:21", "REG:27"],
        "metiers": ["I1304", "I1309", "I1310", "H2301", "H1503", "H1502", "H1206", "H1404", "H2102", "H1303",
                    "N1103", "H1210", "H2502", "K2402"],
    }


def test_collectes_planifiees_suivent_le_fichier(tmp_path, monkeypatch):
    _parametres(tmp_path, monkeypatch, {
        'departement_offres = "21"': 'departement_offres = "25"',
        'territoires_marche = ["DEP:21", "REG:27"]': 'territoires_marche = ["DEP:25"]',
    })
    suivis = config.collectes_planifiees()
    assert (suivis["departement"], suivis["territoires"], len(suivis["metiers"])) == ("25", ["DEP:25"], 14)

