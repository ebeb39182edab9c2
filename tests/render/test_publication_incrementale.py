"""A publication redraws only the outputs whose figures changed (#17): the reports and
extracts of an unchanged warehouse are copied from the latest run, PDF included, and are
byte for byte those a full run (``complet``) draws; a change in one company's data
redraws its report only, and the dashboard, whose parts about the run (its time, the
comparison with the previous run) are drawn again at every run."""

from __future__ import annotations

import json
import stat
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows import warehouse
from flows.cli import app
from flows.formats import PARIS, nombre_fr
from flows.ml.communs import dossier_cartes
from flows.publication import publication
from flows.render import tableau_de_bord
from flows.transformation import COUCHES, construire_couche
from tests.render.donnees import construire_entrepot

RAPPORTS = ["alpha-pharma", "beta-labo", "delta-b-sante-b-cie", "gamma-chimie"]
# a stand-in for Chromium (absent from some machines): its « PDF » is the hash of the page it
# prints (a real one also holds its printing time), and it counts its runs
FAUX_CHROMIUM = """#!/bin/sh
for a in "$@"; do case "$a" in
  --version) echo "Chromium 1.0 de test"; exit 0;;
  --print-to-pdf=*) sortie="${a#--print-to-pdf=}";;
  file://*) page="$a";;
esac; done
printf '%%PDF de %s\\n' "$(sha256sum < "${page#file://}")" > "$sortie"
echo x >> "$(dirname "$0")/impressions"
"""


@pytest.fixture
def faux_chromium(tmp_path, monkeypatch) -> Path:
    chemin = tmp_path / "chromium" / "chromium"
    chemin.parent.mkdir()
    chemin.write_text(FAUX_CHROMIUM)
    chemin.chmod(chemin.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr("flows.render.pdf.chromium", lambda: str(chemin))
    return chemin


def impressions(chromium: Path) -> int:
    compte = chromium.parent / "impressions"
    return len(compte.read_text().splitlines()) if compte.exists() else 0


def fichiers(dossier: Path) -> dict[str, bytes]:
    """The reports and extracts (the dashboard, its key figures and the manifest date the run)."""
    return {p.relative_to(dossier).as_posix(): p.read_bytes() for p in sorted(dossier.rglob("*"))
            if p.parent.name in ("rapports", "extraits") and p.name != "besoins-competences.xlsx"}


def test_rien_de_change_tout_est_repris(prefect_harness, entrepot_test, tmp_path, faux_chromium):
    entrepot = entrepot_test
    racine = tmp_path / "sorties"
    premier = publication(str(entrepot), "lundi", str(racine))
    assert premier.splitlines()[1].endswith(" Mo), redessiné")
    assert "  Rapports : 4 redessinés" in premier.splitlines()
    assert "  Extraits : 19 tables réécrites" in premier.splitlines()
    assert impressions(faux_chromium) == 4

    second = publication(str(entrepot), "mardi", str(racine))
    assert "  Rapports : 4 repris tels quels (chiffres inchangés)" in second.splitlines()
    assert "  Extraits : 19 reprises telles quelles (chiffres inchangés)" in second.splitlines()
    assert "  PDF : 4 sur 4" in second.splitlines()
    assert impressions(faux_chromium) == 4  # no PDF printed again
    lundi, mardi = fichiers(racine / "lundi"), fichiers(racine / "mardi")
    assert len(lundi) == 4 * 2 + 19 * 2 and mardi == lundi
    # the dashboard: Monday's charts, with Tuesday's time and its comparison with Monday,
    # byte for byte the page a full drawing gives with that time and that previous run
    assert [ligne for ligne in second.splitlines() if ligne.startswith("  tableau de bord")] == [
        f"  tableau de bord : tableau-de-bord.html ({nombre_fr((racine / 'mardi' / 'tableau-de-bord.html').stat().st_size / 1024**2, 1)} Mo), "
        "graphiques repris tels quels (chiffres inchangés), date et écarts avec la publication précédente mis à jour"]
    page = (racine / "mardi" / "tableau-de-bord.html").read_text(encoding="utf-8")
    assert "« lundi »" in page and page != (racine / "lundi" / "tableau-de-bord.html").read_text(encoding="utf-8")
    publie_le = datetime.fromisoformat(json.loads((racine / "mardi" / "chiffres-cles.json").read_text())["publie_le"])
    plein = tableau_de_bord.publier(entrepot, tmp_path, tableau_de_bord.chiffres_precedents(racine, "mardi", entrepot),
                                    dossier_cartes("", entrepot, racine), publie_le, None)
    assert not plein.reprise and plein.fichiers[0].read_text(encoding="utf-8") == page

    # what a full run draws on the same warehouse, byte for byte (PDFs printed again)
    complet = publication(str(entrepot), "complet", str(racine), complet=True)
    assert "  Rapports : 4 redessinés (publication complète demandée)" in complet.splitlines()
    assert "  Extraits : 19 tables réécrites (publication complète demandée)" in complet.splitlines()
    assert impressions(faux_chromium) == 8
    assert fichiers(racine / "complet") == mardi
    # a report prints the data's dates, never the clock's day
    aujourd_hui = datetime.now(PARIS).strftime("%d/%m/%Y")
    assert not [n for n, octets in mardi.items() if n.endswith(".html") and aujourd_hui.encode() in octets]
    # the manifest, beside the dashboard, names no pilot
    assert not [nom for nom in ("Alpha", "Beta", "Gamma", "Delta")
                if nom in (racine / "mardi" / "empreintes.json").read_text(encoding="utf-8")]


def test_une_entreprise_change_seul_son_rapport_est_redessine(prefect_harness, tmp_path, faux_chromium):
    entrepot = construire_entrepot(tmp_path / "entrepot.duckdb")
    racine = tmp_path / "sorties"
    publication(str(entrepot), "avant", str(racine))
    # Alpha's agreed action starts a month later: its follow-up changes, no peer comparison does
    con = warehouse.connecter(entrepot)
    try:
        con.execute("update brut.actions_pilote set date_debut = date '2025-04-01' where entreprise = 'Alpha Pharma'")
    finally:
        con.close()
    for couche in COUCHES:
        construire_couche.fn(couche, str(entrepot))

    texte = publication(str(entrepot), "apres", str(racine))
    assert texte.splitlines()[1].endswith(" Mo), redessiné")  # its follow-up table changed
    assert "  Rapports : 1 redessiné, 3 repris tels quels (chiffres inchangés)" in texte.splitlines()
    assert "  Extraits : 1 table réécrite, 18 reprises telles quelles (chiffres inchangés)" in texte.splitlines()
    assert impressions(faux_chromium) == 4 + 1
    avant, apres = fichiers(racine / "avant"), fichiers(racine / "apres")
    assert sorted(n for n in apres if apres[n] != avant[n]) == [
        "extraits/suivi_pilote.csv", "extraits/suivi_pilote.parquet",
        "rapports/alpha-pharma.html", "rapports/alpha-pharma.pdf"]
    assert "01/04/2025" in apres["rapports/alpha-pharma.html"].decode()

    publication(str(entrepot), "complet", str(racine), complet=True)
    assert fichiers(racine / "complet") == apres


def test_commande_publier_complet(prefect_harness, entrepot_test, tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_SORTIES", str(tmp_path / "sorties"))
    monkeypatch.setattr("flows.render.pdf.chromium", lambda: None)
    for sortie, attendu in (("a", "  Rapports : 4 redessinés"),
                            ("b", "  Rapports : 4 repris tels quels (chiffres inchangés)")):
        resultat = CliRunner().invoke(app, ["publier", "--entrepot", str(entrepot_test), "--sortie", sortie])
        assert resultat.exit_code == 0, resultat.output
        assert attendu in resultat.output.splitlines()
    resultat = CliRunner().invoke(app, ["publier", "--entrepot", str(entrepot_test), "--sortie", "c", "--complet"])
    assert resultat.exit_code == 0, resultat.output
    assert "  Rapports : 4 redessinés (publication complète demandée)" in resultat.output.splitlines()
    assert fichiers(tmp_path / "sorties" / "c") == fichiers(tmp_path / "sorties" / "b")
