"""``python -m flows etat``: the French status, on a small warehouse, a pull manifest and an
outputs folder made here."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from flows import warehouse
from flows.cli import app
from flows.collecte.client import MANIFESTE
from flows.etat import PARIS, etat

runner = CliRunner()


def _depot(tmp_path):
    """A drop zone with one France Travail page (one valid offer, one bad date) and the
    manifest of a finished pull."""
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"resultats": [
        {"id": "X1", "intitule": "Technicien de maintenance", "dateCreation": "2025-03-01T08:00:00Z",
         "romeCode": "I1304"},
        {"id": "X2", "intitule": "Opérateur", "dateCreation": "pas une date", "romeCode": "H2301"},
    ]}))
    collecte = tmp_path / "entree" / "offres-ft" / "api" / "dep-21_tous-metiers" / "20261123T050000Z"
    collecte.mkdir(parents=True)
    # 2026-11-23T05:00Z is 06:00 in Paris (winter time, UTC+1)
    (collecte / MANIFESTE).write_text(json.dumps({
        "api": "offres-ft", "requete": {"departement": "21", "romes": []}, "debut": "2026-11-22T05:00:00Z",
        "fin": "2026-11-23T05:00:00Z", "terminee_le": "2026-11-23T05:00:12Z", "offres": 152, "requetes": 3}))
    return page


def test_etat_en_francais(prefect_harness, tmp_path, monkeypatch):
    # no shipped referential (ingerer would load them first, tests/test_cli.py): one source
    monkeypatch.setattr("flows.chargement.fichiers.REFERENTIELS", tmp_path / "aucun-referentiel")
    page = _depot(tmp_path)
    entrepot, autre = tmp_path / "entrepot.duckdb", tmp_path / "autre.duckdb"
    for base in (autre, entrepot):  # the other warehouse's load, run and outputs are not shown
        assert runner.invoke(app, ["ingerer", "offres-ft", str(page), "--entrepot", str(base)]).exit_code == 0
    for nom, base in (("2026-11-23_0700", entrepot), ("2026-11-24_0700", autre)):
        (tmp_path / "sorties" / nom).mkdir(parents=True)
        (tmp_path / "sorties" / nom / "tableau-de-bord.html").write_bytes(b"x" * 1024**2)
        (tmp_path / "sorties" / nom / "chiffres-cles.json").write_text(json.dumps({"entrepot": str(base)}))
    sorties = tmp_path / "sorties" / "2026-11-23_0700"
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        (charge_le,) = con.execute("select max(charge_le) from controle.chargements").fetchone()
        (motif,) = con.execute("select motif from controle.rejets").fetchone()  # the loader's wording

    texte = etat(entrepot, tmp_path / "entree", tmp_path / "sorties")
    # times are shown in Paris time: the offer created 2025-03-01T08:00:00Z reads 09:00
    debut, executions, reste = texte.partition("\n\nDonnées chargées")
    assert debut.startswith("État du pipeline des tensions de recrutement (heures de Paris)\n\nDernières exécutions (serveur "
                            "Prefect ; détail dans l'interface, onglet Runs) :\n")
    assert len(re.findall(r"\n  \d\d/\d\d/\d{4} \d\d:\d\d  \[ingestion\] ingestion offres-ft : terminée \(\d+ s\)",
                          debut)) == 1
    assert executions + reste == f"""

Données chargées par source (entrepôt {entrepot}) :
  offres-ft : 1 fichier, 1 ligne ajoutée, dernier chargement le {charge_le.astimezone(PARIS):%d/%m/%Y %H:%M} (aujourd'hui), \
1 ligne en quarantaine
  Offre France Travail la plus récente : créée le 01/03/2025 09:00.

Quarantaine : 1 ligne à corriger (table controle.rejets : fichier, ligne, champ, motif). Corrigez le \
fichier et redéposez-le ; motifs les plus fréquents :
  offres-ft, champ « dateCreation » : {motif} (1 ligne)

Dernières collectes par l'API France Travail :
  offres, département 21 : le 23/11/2026 06:00, 152 offres créée(s) jusqu'au 23/11/2026 06:00 \
(la prochaine collecte repart de là)

Sorties de la dernière publication de cet entrepôt :
  {sorties} (2 fichiers) :
    chiffres-cles.json (0,0 Mo)
    tableau-de-bord.html (1,0 Mo)"""


def test_etat_avant_tout_chargement(prefect_harness, tmp_path):
    resultat = runner.invoke(app, ["etat", "--entrepot", str(tmp_path / "absent.duckdb"),
                                   "--entree", str(tmp_path / "entree")])
    assert resultat.exit_code == 0, resultat.output
    assert "  Entrepôt pas encore créé : lancez « make demo » ou « python -m flows pipeline »." in resultat.output
    assert "  Aucune collecte par l'API pour l'instant (commandes collecter-ft, collecter-marche)." \
        in resultat.output


def test_heure_de_paris_avec_decalage_quand_elle_est_ambigue():
    """The hour that the change back to winter time repeats is told apart by its offset;
    any other time is Paris time alone (the title says « heures de Paris »)."""
    from datetime import UTC, datetime

    from flows.formats import heure_paris

    assert heure_paris(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == "25/10/2026 02:30 UTC+2"
    assert heure_paris(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == "25/10/2026 02:30 UTC+1"
    assert heure_paris(datetime(2026, 11, 23, 5, 0)) == "23/11/2026 06:00"  # naive: UTC
    assert heure_paris(datetime(2026, 7, 14, 10, 0, tzinfo=UTC)) == "14/07/2026 12:00"
    assert heure_paris(None) == "—"
