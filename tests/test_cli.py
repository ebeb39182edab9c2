"""The command line, in-process under one Prefect test server: exact forms and French
messages, exit code 1 and no traceback for user mistakes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.formats import nombre_fr

runner = CliRunner()


@pytest.fixture
def page(tmp_path):
    chemin = tmp_path / "page.json"
    chemin.write_text(json.dumps({"resultats": [
        {"id": "X1", "intitule": "Technicien de maintenance", "dateCreation": "2025-03-01T08:00:00Z",
         "romeCode": "I1304"},
        {"id": "X2", "intitule": "Opérateur", "dateCreation": "pas une date", "romeCode": "H2301"},
    ]}))
    return chemin


# rows of each shipped referential file (tests/test_referentiels.py: `wc -l` minus the header)
LIVRES = {"brut.rome_codes": 1584, "brut.rome_appellations": 13120, "brut.rome_textes": 11980,
          "brut.rome_mobilites": 14912, "brut.rome_qualif_fap2021": 5320, "brut.fap2021": 341,
          "brut.dares_fap_rome": 765, "brut.communes": 36208, "brut.bassins_bmo": 37498}
TOUS_LES_LIVRES = ("Référentiels livrés chargés, leurs tables étant vides : rome (4 fichiers), fap2021 (2 fichiers), "
                   f"communes (2 fichiers), dares (1 fichier) ; {nombre_fr(121_728)} lignes chargées.")  # sum of LIVRES


def comptes(entrepot) -> dict[str, int]:
    from flows import warehouse

    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        return {table: con.execute(f"select count(*) from {table}").fetchone()[0] for table in LIVRES}


def test_ingerer_puis_transformer_sans_etape_manuelle(prefect_harness, tmp_path, page):
    """A new warehouse filled only by ``ingerer offres-ft`` then ``transformer``: the shipped
    referentials are loaded first, once, and said in one line; then the file's bilan."""
    entrepot, entree = tmp_path / "cli.duckdb", tmp_path / "entree"
    entree.mkdir()
    options = ["--entrepot", str(entrepot), "--entree", str(entree)]
    resultat = runner.invoke(app, ["ingerer", "offres-ft", str(page), *options])
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output.splitlines()[0] == TOUS_LES_LIVRES
    assert "page.json : 2 lue(s), 1 nouvelle(s), 0 mise(s) à jour, 0 inchangée(s), 1 en quarantaine" in resultat.output
    assert "resultats[1], champ « dateCreation » : horodatage illisible « pas une date »" in resultat.output
    assert comptes(entrepot) == LIVRES
    encore = runner.invoke(app, ["ingerer", "offres-ft", str(page), *options])
    assert "1 inchangée(s), 1 en quarantaine" in encore.output
    assert "Référentiels" not in encore.output  # nothing loaded again
    resultat = runner.invoke(app, ["transformer", *options])
    assert resultat.exit_code == 0, resultat.output
    assert "Référentiels" not in resultat.output
    assert "Couche prep : " in resultat.output and "prep.offres" in resultat.output
    assert comptes(entrepot) == LIVRES
    from flows import warehouse

    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        # the official ROME-Qualif -> FAP-2021 passage is in prep: I1304 at level 7 -> G1X72a
        assert con.execute("select code_fap341 from prep.rome_qualif_fap where code_rome_parent = 'I1304' "
                           "and qualification = '7'").fetchone() == ("G1X72a",)


def test_transformer_charge_les_referentiels_d_un_entrepot_vide(prefect_harness, tmp_path):
    """``transformer`` on a warehouse whose referential tables are empty loads them first."""
    from flows import warehouse

    entrepot = tmp_path / "vide.duckdb"
    warehouse.connecter(entrepot).close()
    resultat = runner.invoke(app, ["transformer", "--entrepot", str(entrepot), "--entree", str(tmp_path)])
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output.splitlines()[0] == TOUS_LES_LIVRES
    assert comptes(entrepot) == LIVRES


def test_referentiel_depose_ou_donne_a_la_main(prefect_harness, tmp_path):
    """``ingerer rome <codes>`` never gets the shipped ROME codes on top of its own; a basin
    table dropped in the drop zone is loaded instead of the shipped one."""
    codes = tmp_path / "codes_v470.csv"
    codes.write_text('"code_rome","code_fiche_metier","code_ogr","libelle_rome","transition_eco","transition_num",'
                     '"transition_demo","emploi_reglemente","emploi_cadre","code_rome_parent"\n'
                     '"I1304","1","11","Technicien de maintenance","","","","","","I1304"\n'
                     '"N9999","2","22","Métier de demain","","","","","","N9999"\n', encoding="utf-8")
    entree = tmp_path / "entree"
    (entree / "communes").mkdir(parents=True)
    bassins = entree / "communes" / "bassin_emploi.csv"
    bassins.write_text("reg,dep,code_commune_insee,code_bassin_BMO,lib_bassin_BMO\n"
                       "27,21,21231,2715,BASSIN DE DIJON\n", encoding="utf-8")
    entrepot = tmp_path / "rome.duckdb"
    resultat = runner.invoke(app, ["ingerer", "rome", str(codes), "--entrepot", str(entrepot), "--entree", str(entree)])
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output.splitlines()[0] == (
        "Référentiels livrés chargés, leurs tables étant vides : rome (3 fichiers), fap2021 (2 fichiers), "
        f"communes (2 fichiers), dares (1 fichier) ; {nombre_fr(82_647)} lignes chargées ; déposé par l'analyste : {bassins} "
        "à la place de France_Travail_Bassin_Emploi_2021.csv.")  # 121 728 - 1 584 - 37 498 + 1
    assert "codes_v470.csv : 2 lue(s), 2 nouvelle(s)" in resultat.output
    assert comptes(entrepot) == LIVRES | {"brut.rome_codes": 2, "brut.bassins_bmo": 1}


@pytest.mark.parametrize(("arguments", "message"), [
    (["ingerer", "offres-tf", "x.json"], "Erreur : source inconnue « offres-tf » ; sources possibles : offres-ft,"),
    (["ingerer", "offres-ft", "absent.json"], "Erreur : absent.json : fichier ou dossier introuvable"),
])
def test_erreurs_utilisateur_sans_trace(prefect_harness, tmp_path, arguments, message):
    resultat = runner.invoke(app, [*arguments, "--entrepot", str(tmp_path / "e.duckdb")])
    assert resultat.exit_code == 1
    assert resultat.output.startswith(message)
    assert "Traceback" not in resultat.output
    assert len(resultat.output.strip().splitlines()) == 1


def test_transformer_reconstruit_prep_offres(prefect_harness, tmp_path, page):
    entrepot = str(tmp_path / "t.duckdb")
    runner.invoke(app, ["ingerer", "offres-ft", str(page), "--entrepot", entrepot])
    resultat = runner.invoke(app, ["transformer", "--entrepot", entrepot])
    assert resultat.exit_code == 0, resultat.output
    assert "Couche prep : " in resultat.output and "prep.offres" in resultat.output
    assert "Couche int : 10 table(s) reconstruite(s) : " in resultat.output
    assert "int.offres" in resultat.output and "int.vacances" in resultat.output
    assert resultat.output.index("Couche prep") < resultat.output.index("Couche int") < resultat.output.index(
        "Couche analyse")
    # « apprendre » builds no layer: on a warehouse without them, it says which command does
    vide = str(tmp_path / "vide.duckdb")
    runner.invoke(app, ["ingerer", "offres-ft", str(page), "--entrepot", vide])
    resultat = runner.invoke(app, ["apprendre", "--entrepot", vide])
    assert resultat.exit_code == 1
    assert resultat.output.startswith("Erreur : tables absentes (analyse.tension_marche, int.offres, "
                                      "int.recrutements, prep.offres, prep.recrutements, prep.rome) : lancez "
                                      "d'abord « python -m flows transformer »")


def _main(capsys, monkeypatch, *arguments: str) -> tuple[int, str, str]:
    """``python -m flows ARGUMENTS`` in-process: exit code, stdout, stderr."""
    from flows.cli import main

    monkeypatch.setattr("sys.argv", ["python -m flows", *arguments])
    with pytest.raises(SystemExit) as sortie:
        main()
    lu = capsys.readouterr()
    return sortie.value.code, lu.out, lu.err


@pytest.mark.parametrize(("arguments", "message"), [
    (["bogus"], "commande inconnue « bogus » (aide : python -m flows --help)"),
    (["ingerer"], "argument obligatoire manquant : « source » (aide : python -m flows ingerer --help)"),
    (["ingerer", "offres-ft"], "argument obligatoire manquant : « chemins » (aide : python -m flows ingerer --help)"),
    (["demo", "--graine", "x"],
     "valeur invalide pour « --graine » (un nombre entier attendu) (aide : python -m flows demo --help)"),
    (["etat", "--nope"], "option inconnue « --nope » (aide : python -m flows etat --help)"),
    (["etat", "a", "b"], "argument(s) en trop : a b (aide : python -m flows etat --help)"),
    (["publier", "--sortie"], "l'option « --sortie » attend une valeur (aide : python -m flows --help)"),
    (["collecter-ft"], "option obligatoire manquante : « --departement » (aide : python -m flows collecter-ft --help)"),
])
def test_erreurs_d_usage_en_francais(capsys, monkeypatch, arguments, message):
    """The command-line library's own errors: one French line, exit code 2, no server started."""
    assert _main(capsys, monkeypatch, *arguments) == (2, "", f"Erreur : {message}\n")


def test_aide_en_francais(capsys, monkeypatch):
    """French words throughout; every command's help names its values in French
    (``CHEMIN``, ``DATE``...), never Typer's Python types (``<str>``, ``<list[Path]>``)."""
    import re

    from typer.main import get_command

    code, aide, erreurs = _main(capsys, monkeypatch, "ingerer", "--help")
    assert (code, erreurs) == (0, "")
    assert aide.startswith("Utilisation : python -m flows ingerer [OPTIONS] {source} {chemins}...\n")
    assert "[obligatoire]" in aide and re.search(r"\n  --help +Afficher cette aide et quitter\.\n", aide)
    for anglais in ("Usage", "Show this message", "[required]", "Commands", "Error"):
        assert anglais not in aide
    code, aide, _ = _main(capsys, monkeypatch)
    assert code == 2 and aide.startswith("Utilisation : python -m flows [OPTIONS] COMMANDE [ARGUMENTS]...\n")
    assert "\nCommandes:\n  ingerer " in aide

    commandes = sorted(get_command(app).commands)  # type: ignore[attr-defined]
    assert len(commandes) >= 13
    for commande in [None, *commandes]:
        code, aide, _ = _main(capsys, monkeypatch, *([commande] if commande else []), "--help")
        assert code == 0, commande
        assert not re.search(r"<[^<>\s]+>", aide), (commande, aide)
        assert not re.search(r"\b(str|int|float|bool|Path|datetime)\b|list\[", aide), (commande, aide)
    _, aide, _ = _main(capsys, monkeypatch, "collecter-ft", "--help")
    for forme in ("--departement CODE", "--rome CODE", "--depuis DATE", "--entree DOSSIER", "--entrepot FICHIER"):
        assert forme in aide
    _, aide, _ = _main(capsys, monkeypatch, "ingerer", "--help")
    assert "  source TEXTE " in aide and "  chemins... CHEMIN " in aide
    _, aide, _ = _main(capsys, monkeypatch, "demo", "--help")
    assert "--graine ENTIER" in aide


SANS_PREFECT = """
import sys
from flows.cli import main
sys.argv = ["python -m flows", *sys.argv[1:]]
try:
    main()
finally:
    print("prefect importé" if "prefect" in sys.modules else "prefect absent")
"""


@pytest.mark.parametrize(("arguments", "message"), [
    (["ingerer", "offres-ft", "{tmp}/absent.json"], "{tmp}/absent.json : fichier ou dossier introuvable"),
    (["ingerer", "offres-ft", "{tmp}/tube"], "{tmp}/tube : ni un fichier ni un dossier (tube ou périphérique) : refusé"),
    (["ingerer", "offres-tf", "{tmp}"], "source inconnue « offres-tf » ; sources possibles : offres-ft,"),
    (["ingerer", "offres-ft", "{tmp}", "--executeur", "spark"], "exécuteur inconnu « spark » ; possibles : local, dask"),
    (["ingerer", "offres-ft", "{tmp}", "--entrepot", "{tmp}/nexiste/pas.duckdb"],
     "dossier introuvable pour l'entrepôt : {tmp}/nexiste (créez-le, ou corrigez --entrepot / HUB_ENTREPOT)"),
    (["transformer", "--entrepot", "{tmp}/neuf.duckdb"],
     "entrepôt introuvable : {tmp}/neuf.duckdb (lancez d'abord « python -m flows ingerer », « pipeline » ou « demo »)"),
    (["apprendre", "--entrepot", "{tmp}"], "l'entrepôt {tmp} n'est pas un fichier ordinaire"),
    (["publier", "--sortie", "../evasion"], "nom de sortie invalide « ../evasion » : lettres, chiffres"),
    (["pipeline", "--executeur", "spark"], "exécuteur inconnu « spark »"),
    (["classer-rome", "{tmp}", "{tmp}/x.csv"], "{tmp} est un dossier : donnez le chemin d'un fichier"),
    (["classer-rome", "{tmp}/tube", "{tmp}/x.csv"], "{tmp}/tube : ni un fichier ni un dossier"),
    (["classer-rome", "{tmp}/ok.csv", "{tmp}/dossier"], "{tmp}/dossier est un dossier : donnez le chemin du fichier à écrire"),
    (["ingerer", "offres-ft", "/dev/null"], "/dev/null : ni un fichier ni un dossier (tube ou périphérique) : refusé"),
    (["collecter-ft", "--departement", "21", "--depuis", "pasunedate"],
     "date illisible « pasunedate » pour --depuis (attendu AAAA-MM-JJ ou AAAA-MM-JJTHH:MM, heure de Paris)"),
    (["collecter-ft", "--departement", "21", "--jusqua", "2025-13-01"], "date illisible « 2025-13-01 » pour --jusqua"),
    (["collecter-ft", "--departement", "999"], "département mal formé « 999 » (exemples : 21, 2A, 974)"),
    (["collecter-ft", "--departement", "21", "--rome", "X1"],
     "code ROME mal formé « X1 » (une lettre et 4 chiffres, ex. I1304)"),
    (["collecter-ft", "--departement", "21", "--entrepot", "{tmp}/nexiste/x.duckdb"],
     "dossier introuvable pour l'entrepôt : {tmp}/nexiste (créez-le, ou corrigez --entrepot / HUB_ENTREPOT)"),
    (["collecter-marche", "--territoire", "XX", "--rome", "I1304"],
     "territoire mal formé « XX » (attendu TYPE:CODE, TYPE parmi NAT, REG, DEP, BASSIN ; ex. DEP:21, REG:27)"),
    (["collecter-marche", "--territoire", "DEP:21", "--rome", "1304"], "code ROME mal formé « 1304 »"),
    (["collecter-marche", "--territoire", "DEP:21", "--rome", "I1304", "--entrepot", "{tmp}/nexiste/x.duckdb"],
     "dossier introuvable pour l'entrepôt : {tmp}/nexiste"),
    (["etat", "--entrepot", "{tmp}/nexiste/x.duckdb"],
     "dossier introuvable pour l'entrepôt : {tmp}/nexiste (créez-le, ou corrigez --entrepot / HUB_ENTREPOT)"),
    (["etat", "--entrepot", "{tmp}/tube"], "l'entrepôt {tmp}/tube n'est pas un fichier ordinaire"),
    (["generer-demo", "--dossier", "{tmp}/ok.csv"],
     "{tmp}/ok.csv n'est pas un dossier : donnez le chemin d'un dossier où écrire"),
    (["generer-demo", "--dossier", "{tmp}/nexiste/demo"],
     "dossier introuvable : {tmp}/nexiste (créez-le ou choisissez un autre chemin)"),
    (["generer-demo", "--dossier", "{tmp}/demo", "--echelle", "10"], "échelle trop petite : 10 offres (au moins 500)"),
])
def test_arguments_refuses_avant_prefect(tmp_path, arguments, message):
    """Refused at once: one French line, exit code 1, Prefect not even imported (its
    temporary server takes tens of seconds to start), nothing created. A user's mistake
    met inside a command (``generer-demo``'s scale) is told as such, not as unexpected."""
    import os
    import subprocess
    import sys

    from flows.config import RACINE

    os.mkfifo(tmp_path / "tube")
    (tmp_path / "ok.csv").write_text("id,intitule\n1,Technicien de maintenance\n", encoding="utf-8")
    (tmp_path / "dossier").mkdir()
    avant = sorted(tmp_path.iterdir())
    resultat = subprocess.run([sys.executable, "-c", SANS_PREFECT, *(a.format(tmp=tmp_path) for a in arguments)],
                              cwd=RACINE, capture_output=True, text=True, timeout=120)
    assert resultat.returncode == 1
    assert resultat.stderr.startswith(f"Erreur : {message.format(tmp=tmp_path)}")
    assert len(resultat.stderr.strip().splitlines()) == 1
    assert resultat.stdout == "prefect absent\n"
    assert sorted(tmp_path.iterdir()) == avant
