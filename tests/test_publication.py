"""Flow « publication »: every output in sorties/<run>/, swapped in atomically; the PDFs
skipped with one French line when Chromium is missing; extracts the way a French Excel
reads them, safe against formula injection; rendering reads only the "analyse" schema."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flows.arguments import verifier_nom
from flows.cli import app
from flows.config import RACINE
from flows.erreurs import ErreurUtilisateur
from flows.publication import publication
from flows.render import extraits
from flows.render.sortie import dossier_atomique, reparer
from tests.render.donnees import construire_entrepot


@pytest.fixture(scope="module")
def entrepot(tmp_path_factory) -> Path:
    return construire_entrepot(tmp_path_factory.mktemp("entrepot") / "entrepot.duckdb")


def test_publication_complete(prefect_harness, entrepot, tmp_path, chromium, monkeypatch):
    racine = tmp_path / "sorties"
    texte = publication(str(entrepot), "essai", str(racine))
    dossier = racine / "essai"
    assert texte.splitlines()[0] == f"Publication « essai » dans {dossier} :"
    assert "  rapports des entreprises pilotes : 4 rapports HTML dans rapports/" in texte
    assert "  PDF : 4 sur 4" in texte
    assert sorted(p.name for p in (dossier / "rapports").iterdir()) == sorted(
        f"{n}.{ext}" for n in ("alpha-pharma", "beta-labo", "delta-b-sante-b-cie", "gamma-chimie")
        for ext in ("html", "pdf"))
    assert (dossier / "tableau-de-bord.html").is_file() and (dossier / "chiffres-cles.json").is_file()
    assert {p.stem for p in (dossier / "extraits").glob("*.csv")} == {
        "tension_marche", "comparaison_officielle", "indicateurs_officiels", "process_entreprise", "process_canaux",
        "benchmark", "diagnostic", "diagnostic_preuves", "suivi_pilote", "sources", "quarantaine", "couverture_offres",
        "relais_sites", "metiers", "territoires", "competences_demandees", "exigences_entreprise",
        "passerelles_competences", "passerelles_entreprise"}
    assert (dossier / "extraits" / "besoins-competences.xlsx").is_file()
    assert [p.name for p in racine.iterdir()] == ["essai"]  # no temporary folder left

    # Chromium missing: one French line, everything else published, the old run replaced
    monkeypatch.setattr("flows.render.pdf.chromium", lambda: None)
    (dossier / "ancien-fichier.txt").write_text("de la publication précédente")
    texte = publication(str(entrepot), "essai", str(racine))
    assert "  PDF non produits : Chromium absent (apt-get install -y chromium)" in texte.splitlines()
    assert not list((dossier / "rapports").glob("*.pdf")) and len(list((dossier / "rapports").glob("*.html"))) == 4
    assert not (dossier / "ancien-fichier.txt").exists()


def test_extraits_pseudonymises(entrepot, tmp_path, monkeypatch):
    fichiers = [f for sortie in extraits.ecrire(entrepot, tmp_path) for f in sortie.fichiers]
    # 19 tables in CSV and Parquet (the official figures and the relays among them), and the skills workbook
    assert len(fichiers) == 39 and fichiers[-1].name == "besoins-competences.xlsx"
    brut = (tmp_path / "suivi_pilote.csv").read_bytes()
    assert brut.startswith(b"\xef\xbb\xbf") and b"\r\n" in brut
    suivi = pd.read_csv(tmp_path / "suivi_pilote.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert list(suivi["date_debut"]) == ["01/03/2025"]
    assert re.fullmatch(r"Entreprise [A-D] affiche le salaire", suivi["action"][0])
    assert suivi["entreprise"][0] in suivi["action"][0]
    assert pq.read_table(tmp_path / "suivi_pilote.parquet").column("date_debut").to_pylist()[0].date() == date(
        2025, 3, 1)
    for fichier in tmp_path.iterdir():
        contenu = fichier.read_bytes()
        assert b"Alpha" not in contenu and b"Beta Labo" not in contenu and b"ALP-" not in contenu, fichier.name


def test_extraits_dans_un_ordre_stable(entrepot, tmp_path):
    """Rows come sorted (companies by the name the reader sees), so that two publications of
    the same warehouse write the same bytes: DuckDB's parallel scans return rows in any order."""
    extraits.ecrire(entrepot, tmp_path)
    tension = pq.read_table(tmp_path / "tension_marche.parquet").to_pandas()
    cles = ["niveau_code", "code", "niveau_territoire", "code_territoire", "type_periode", "periode"]
    assert list(tension.columns[:6]) == cles and len(tension) > 100
    assert list(tension[cles].itertuples(index=False)) == sorted(tension[cles].itertuples(index=False))
    benchmark = pq.read_table(tmp_path / "benchmark.parquet").to_pandas()
    assert list(benchmark["entreprise"]) == sorted(benchmark["entreprise"])
    extraits.ecrire(entrepot, tmp_path / "encore")
    for table in ("tension_marche", "comparaison_officielle", "benchmark"):
        assert (tmp_path / f"{table}.csv").read_bytes() == (tmp_path / "encore" / f"{table}.csv").read_bytes()


def test_csv_a_la_francaise_et_sans_formule(tmp_path):
    donnees = pd.DataFrame({
        "texte": ['=HYPERLINK("http://x","clic")', "+33 6 00", "-2+3", "@SOMME(A1)", "normal"],
        "nombre": [1234.5, -0.25, 3.0, None, 0.1],
        "jour": pd.to_datetime(["2025-03-12"] * 5),
        "oui_non": [True, False, True, False, True],
        "liste": [["a", "b"], [], ["c"], ["d"], ["e"]],
    })
    extraits.ecrire_csv(donnees, tmp_path / "t.csv")
    lignes = (tmp_path / "t.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    assert lignes[:6] == [
        "texte;nombre;jour;oui_non;liste",
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"clic\"\")\";1234,5;12/03/2025;oui;a, b",
        "'+33 6 00;-0,25;12/03/2025;non;",
        "'-2+3;3;12/03/2025;oui;c",
        "'@SOMME(A1);;12/03/2025;non;d",
        "normal;0,1;12/03/2025;oui;e",
    ]


def test_remplacement_atomique(tmp_path):
    racine = tmp_path / "sorties"
    (racine / "demo").mkdir(parents=True)
    (racine / "demo" / "tableau-de-bord.html").write_text("ancien")
    with pytest.raises(OSError, match="disque plein"), dossier_atomique(racine, "demo") as dossier:
        (dossier / "tableau-de-bord.html").write_text("nouveau, à moitié écrit")
        raise OSError("disque plein")
    assert (racine / "demo" / "tableau-de-bord.html").read_text() == "ancien"
    assert [p.name for p in racine.iterdir()] == ["demo"]
    with dossier_atomique(racine, "demo") as dossier:
        (dossier / "tableau-de-bord.html").write_text("nouveau")
    assert (racine / "demo" / "tableau-de-bord.html").read_text() == "nouveau"
    assert [p.name for p in racine.iterdir()] == ["demo"]


def test_reprise_apres_interruption(tmp_path):
    # killed between the two renames: the previous outputs were aside, the new ones not in
    (tmp_path / "demo.ancien-999999999").mkdir()
    (tmp_path / "demo.ancien-999999999" / "rapport.html").write_text("précédent")
    (tmp_path / "demo.tmp-999999999").mkdir()
    reparer(tmp_path, "demo")
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]
    assert (tmp_path / "demo" / "rapport.html").read_text() == "précédent"


@pytest.mark.parametrize("nom", ["../evasion", "a/b", "", ".cache", "modeles", "demo.tmp-1"])
def test_nom_de_sortie_invalide(nom):
    with pytest.raises(ErreurUtilisateur, match=f"nom de sortie invalide « {re.escape(nom)} »"):
        verifier_nom(nom)


def test_commande_publier_nom_invalide(prefect_harness, entrepot):
    resultat = CliRunner().invoke(app, ["publier", "--entrepot", str(entrepot), "--sortie", "../evasion"])
    assert resultat.exit_code == 1
    assert resultat.output.startswith("Erreur : nom de sortie invalide « ../evasion » : lettres, chiffres")
    assert "Traceback" not in resultat.output


def test_rendu_sans_requete_et_ne_lit_que_les_marts():
    """Render code holds no query: one helper (commun.requete) runs the saved queries of
    sql/publication/, which read only the marts ("analyse"), the learning stage's tables
    (ml) and information_schema (whether those exist yet); never brut, prep nor int."""
    fichiers = [*(RACINE / "flows" / "render").glob("*.py"), RACINE / "flows" / "publication.py"]
    textes = {f.name: f.read_text(encoding="utf-8") for f in fichiers}
    assert {nom: t.count(".execute(") for nom, t in textes.items() if ".execute(" in t} == {"commun.py": 1}
    assert not any(re.search(r"\.sql\(|select .* from ", t, re.IGNORECASE) for t in textes.values())
    requetes = {f.name: f.read_text(encoding="utf-8") for f in (RACINE / "sql" / "publication").glob("*.sql")}
    lectures = {nom: re.findall(r'\b(?:from|join)\s+"?(\w+)"?\.', re.sub(r"--[^\n]*", "", t), re.IGNORECASE)
                for nom, t in requetes.items()}
    assert {schema for schemas in lectures.values() for schema in schemas} == {"analyse", "ml", "information_schema"}
    assert sum(len(s) for s in lectures.values()) > 35
    assert "lecture_seule=True" in textes["commun.py"]
