"""Acceptance on the real public files of ``../shared/donnees-reelles`` (skipped without
them, failing with HUB_TESTS_STRICTS=1): the README section « Charger des données
réelles » is run word for word, its three settings pointed at temporary folders (the
warehouse, the folder of the real files, the drop zone: nothing real is copied into the
repository), then the published dashboard and extracts are read back and compared with
figures computed here from the source files with plain Python.

One pipeline run (load, transform, learn, publish) is shared by the module. Screenshots of
the real dashboard go to sorties/tests/ (look at them)."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from flows.formats import nombre_fr
from tests.conftest import PARTAGE, RACINE, absent

README = RACINE / "README.md"
CAPTURES = RACINE / "sorties" / "tests"
# the charts that only pilot companies' files feed (none among the real public files)
GRAPHIQUES_ENTREPRISES = {"Tension du marché et difficulté de chaque entreprise, par cause diagnostiquée",
                          "Entonnoir : part des candidatures qui atteignent chaque étape",
                          "Rendement des canaux de diffusion (sur toute la période)"}


def commandes_du_readme() -> str:
    """The first shell block of the README section « Charger des données réelles »."""
    texte = README.read_text(encoding="utf-8")
    section = texte[texte.index("## Charger des données réelles"):]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


@pytest.fixture(scope="module")
def reel(tmp_path_factory) -> dict:
    if not PARTAGE.is_dir():
        absent(f"données réelles absentes : {PARTAGE}")
    dossier = tmp_path_factory.mktemp("reel")
    entrepot, entree, sorties = dossier / "reel.duckdb", dossier / "entree", dossier / "sorties"
    script = commandes_du_readme()
    for reglage, valeur in (("export HUB_ENTREPOT=donnees/reel.duckdb", f"export HUB_ENTREPOT={entrepot}"),
                            ("R=../shared/donnees-reelles", f"R={PARTAGE}"), ("E=donnees/entree", f"E={entree}"),
                            (".venv/bin/python", sys.executable)):
        assert reglage in script, f"le README ne contient plus « {reglage} »"
        script = script.replace(reglage, valeur)
    # a previous publication of another warehouse (the demo) in the same outputs folder
    (sorties / "demo").mkdir(parents=True)
    (sorties / "demo" / "chiffres-cles.json").write_text(json.dumps({
        "publie_le": "2026-01-01T00:00:00+01:00", "entrepot": str(RACINE / "donnees" / "entrepot.duckdb"),
        "chiffres": {"entreprises": {"libelle": "Entreprises pilotes", "valeur": 5}}}), encoding="utf-8")
    environnement = os.environ | {
        "HUB_SORTIES": str(sorties), "HUB_MODELES_ML": str(dossier / "modeles-ml"),
        "HUB_SECRETS": str(dossier / "secrets"), "HUB_JOURNAUX": str(dossier / "journaux"),
        "PREFECT_HOME": str(dossier / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    fin = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=RACINE, env=environnement,
                         capture_output=True, text=True, timeout=1800)
    assert fin.returncode == 0, fin.stdout[-3000:] + fin.stderr[-3000:]
    publication = next(d for d in sorties.iterdir() if d.is_dir() and d.name not in ("demo", "modeles"))
    html = (publication / "tableau-de-bord.html").read_text(encoding="utf-8")
    donnees = json.loads(re.search(r'<script type="application/json" id="donnees-officielles">(.*?)</script>',
                                   html, re.S).group(1))
    return {"sortie": fin.stdout, "html": html, "donnees": donnees, "publication": publication,
            "sorties": sorties, "entree": entree}


def _lignes(donnees: dict, table: str, code: str, territoire: str) -> list[list]:
    return [r for r in donnees[table] if donnees["codes"][r[0]] == code
            and donnees["territoires"][r[1]] == territoire]


def _extrait(reel: dict, table: str) -> list[dict]:
    """The rows of one extract, from its Parquet file (the original types)."""
    return pd.read_parquet(reel["publication"] / "extraits" / f"{table}.parquet").to_dict("records")


def offres_i1304_haute_savoie() -> dict[str, dict]:
    """The offers of the pages on occupation I1304 (ROME v3: the code or its 4.0 children)
    in Haute-Savoie, by id."""
    with (PARTAGE / "rome-v460" / "unix_referentiel_code_rome_v460_utf8.csv").open(encoding="utf-8") as f:
        parents = {ligne["code_rome"]: ligne["code_rome_parent"] or ligne["code_rome"] for ligne in csv.DictReader(f)}
    offres = {}
    for page in sorted((PARTAGE / "ft-offres-74").glob("*.json")):
        for offre in json.loads(page.read_text(encoding="utf-8"))["resultats"]:
            commune = (offre.get("lieuTravail") or {}).get("commune") or ""
            if parents.get(offre.get("romeCode")) == "I1304" and commune.startswith("74"):
                offres[offre["id"]] = offre
    return offres


def part_bmo_haute_savoie(offres: dict[str, dict]) -> tuple[int, int]:
    """Projects and difficult projects of the BMO survey in département 74, over the BMO
    families the offers reach (DARES passage: ROME v3 × qualification, « 0 » when unknown;
    a BMO family is the first five characters of a FAP341 code); masked cells left out."""
    with (PARTAGE / "fap2021" / "Dares_Table_passage_ROME_Qualif_to_FAP2021_pour_programme.csv").open(
            encoding="cp1252") as f:
        passage = {(ligne["ROME"], ligne["Qualif"]): ligne["FAP341"] for ligne in csv.DictReader(f, delimiter=";")}
    familles = {passage["I1304", o.get("qualificationCode") or "0"][:5] for o in offres.values()}
    classeur = openpyxl.load_workbook(PARTAGE / "bmo-2024" / "Base_open_data_BMO_2024.xlsx", read_only=True)
    lignes = classeur["BMO_2024_open_data"].iter_rows(values_only=True)
    colonnes = {nom: i for i, nom in enumerate(next(lignes))}
    projets = difficiles = 0
    for ligne in lignes:
        met, xmet = ligne[colonnes["met"]], ligne[colonnes["xmet"]]
        if (ligne[colonnes["Dept"]] == "74" and ligne[colonnes["Code métier BMO"]] in familles
                and met not in (None, "", "*") and xmet not in (None, "", "*")):
            projets, difficiles = projets + int(met), difficiles + int(xmet)
    classeur.close()
    return projets, difficiles


def test_le_readme_charge_tout_sans_quarantaine(reel):
    # 21 files: the shipped referentials (fap225_rome.csv replaced by the dropped copy), the five
    # DARES files, the BMO survey and the 7 pages; the rows counted by the README
    assert f"Total : {nombre_fr(224282)} ligne(s) chargée(s), 0 mise(s) à jour, 0 inchangée(s), 0 en quarantaine." \
        in reel["sortie"]
    assert "Classement ROME : modèle entraîné" in reel["sortie"]
    assert f"Publication « {reel['publication'].name} »" in reel["sortie"]
    assert not list(Path(RACINE / "donnees" / "entree").glob("*/*.json"))  # nothing real in the repository


def test_score_dares_de_la_cote_d_or(reel):
    (ligne,) = _lignes(reel["donnees"], "dares", "G1Z70", "departement:21")
    assert ligne[2:] == [2.96, 5, 2019]
    assert reel["donnees"]["libelles"][ligne[0]] == (
        "Techniciens et agents de maîtrise de la maintenance et de l'environnement (G1Z70)")
    (extrait,) = [e for e in _extrait(reel, "indicateurs_officiels")
                  if (e["source"], e["code"], e["niveau_territoire"], e["code_territoire"]) == (
                      "dares", "G1Z70", "departement", "21")]
    assert (round(extrait["score_dares"], 2), extrait["niveau_dares"], extrait["libelle_territoire"]) == (
        2.96, 5, "Côte-d'Or (21)")


def test_bmo_du_bassin_de_dijon(reel):
    (ligne,) = _lignes(reel["donnees"], "bmo", "G1X72", "bassin:2715")
    assert ligne[2:] == [34, 34, 1.0, 2024]
    (extrait,) = [e for e in _extrait(reel, "indicateurs_officiels")
                  if (e["source"], e["code"], e["code_territoire"]) == ("bmo", "G1X72", "2715")]
    assert (extrait["projets_bmo"], extrait["projets_difficiles_bmo"], extrait["libelle_territoire"]) == (
        34, 34, "Bassin de Dijon")


def test_technicien_de_maintenance_en_haute_savoie(reel):
    offres = offres_i1304_haute_savoie()
    projets, difficiles = part_bmo_haute_savoie(offres)
    assert (len(offres), projets, difficiles) == (14, 351, 224)  # as counted by hand once, see README
    (ligne,) = _lignes(reel["donnees"], "metiers", "I1304", "departement:74")
    periode, nombre, demandeurs, projets_publies, part, score, niveau, composantes = ligne[2:]
    assert (periode, nombre, demandeurs, projets_publies) == ("2025", len(offres), None, projets)
    assert part == round(difficiles / projets, 4)
    assert score is not None and niveau in (1, 2, 3, 4, 5)
    assert composantes == "part des projets BMO jugés difficiles"
    (extrait,) = [e for e in _extrait(reel, "tension_marche")
                  if (e["niveau_code"], e["code"], e["niveau_territoire"], e["code_territoire"], e["type_periode"])
                  == ("rome3", "I1304", "departement", "74", "annee")]
    assert (extrait["offres"], extrait["part_difficile_bmo"]) == (len(offres), difficiles / projets)
    assert round(extrait["score_tension"], 2) == score and list(extrait["composantes"]) == ["part_difficile_bmo"]


def test_territoires_par_leur_nom_et_cote_d_or_d_abord(reel):
    html = reel["html"]
    assert '<option value="departement:21" selected>Côte-d&#39;Or (21)</option>' in html
    for option in ('<option value="region:27">Bourgogne-Franche-Comté</option>',
                   '<option value="bassin:2715">Bassin de Dijon</option>',
                   '<option value="departement:74">Haute-Savoie (74)</option>',
                   '<option value="departement:84">Vaucluse (84)</option>',
                   '<option value="region:84">Auvergne-Rhône-Alpes</option>'):
        assert option in html


def test_composante_manquante_dite_en_une_phrase(reel):
    assert "demandeurs d&#39;emploi : aucune source chargée — API Marché du travail" in reel["html"]
    assert "enquête BMO : aucune source chargée" not in reel["html"]


def test_aucun_graphique_vide_de_donnees_chargees(reel):
    html = reel["html"]
    vides = set(re.findall(r"<strong>([^<]*)</strong> : aucune donnée chargée pour ce graphique", html))
    assert vides <= {t.replace("'", "&#39;") for t in GRAPHIQUES_ENTREPRISES}
    for cle in ("offres-mois", "carte-tension", "score-tendance", "comparaison-dares", "competences", "qualite"):
        assert f'id="graphique-{cle}"' in html


def test_graphiques_lisibles_sur_les_donnees_reelles(reel):
    """About 190 occupations have a score in Haute-Savoie: the heat map shows the 25 with the
    most offers and says so; the DARES comparison names families by their label, 15 of them
    under « all occupations » (126 have both scores in Haute-Savoie)."""
    html = reel["html"]
    metiers = {e["code"] for e in _extrait(reel, "tension_marche")
               if (e["niveau_code"], e["niveau_territoire"], e["type_periode"], e["periode"])
               == ("rome3", "departement", "annee", "2025") and pd.notna(e["score_tension"])}
    assert len(metiers) > 25
    assert (f"Score de tension par département des 25 métiers qui ont le plus d&#39;offres dans l&#39;année "
            f"(sur {nombre_fr(len(metiers))} avec un score ; « toute la période » : 2025)") in html
    assert ("par famille professionnelle (FAP) ; pour tous les métiers, les 15 familles qui ont le plus "
            "d&#39;offres") in html
    figure = re.search(r'id="graphique-comparaison-dares".*?</script>', html, re.S).group(0)
    assert "Techniciens et agents de maîtrise de la" in figure  # G1Z70, by its label
    assert '"G1Z70"' not in figure


def test_rien_de_la_demonstration(reel):
    from flows.demo.scenario import PILOTES

    textes = reel["html"] + "".join(f.read_text(encoding="utf-8") for f in
                                    (reel["publication"] / "extraits").glob("*.csv"))
    noms = [p.nom for p in PILOTES] + [p.nom.replace("'", "&#39;") for p in PILOTES] + [p.domaine for p in PILOTES]
    assert len(noms) == 3 * len(PILOTES) and not [n for n in noms if n in textes]
    assert "Première publication : rien à comparer pour l'instant." in reel["html"]  # not the demo's
    cartes = reel["sorties"] / "modeles" / "reel"
    assert sorted(p.name for p in cartes.iterdir()) == ["difficulte", "doublons", "rome"]
    assert "838" in (cartes / "doublons" / "carte.json").read_text(encoding="utf-8")


def test_captures_du_tableau_de_bord_reel(reel, chromium):
    from tests.render.navigateur import Navigateur

    with Navigateur(chromium, reel["sorties"].parent / "profil", hauteur=1400) as navigateur:
        navigateur.ouvrir(reel["publication"] / "tableau-de-bord.html")
        navigateur.attendre_que("document.querySelectorAll('#officiels table').length >= 2", delai=60)
        navigateur.evaluer("document.getElementById('marche').scrollIntoView()")
        navigateur.capture(CAPTURES / "tableau-de-bord-reel-cote-d-or.png")
        navigateur.evaluer("(function () { var s = document.querySelector('select[name=territoire]'); "
                           "s.value = 'departement:74'; s.dispatchEvent(new Event('change')); })()")
        assert navigateur.evaluer("document.querySelectorAll('#officiels table').length") == 3
        navigateur.capture(CAPTURES / "tableau-de-bord-reel-haute-savoie.png")
        assert navigateur.erreurs() == []
