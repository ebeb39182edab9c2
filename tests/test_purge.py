"""Retention of personal data: ``python -m flows purger [--avant DATE]`` deletes the
profiles and applications older than the date from the raw and prep tables, with the old
quarantine rows of their sources, in one transaction; requisitions are kept; no
indicator table holds a person's row."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.config import RACINE
from flows.purge import date_limite, mois_avant, purger
from flows.sources import lecteur
from flows.sources.entreprise import CANDIDATURES, RECRUTEMENTS
from flows.transformation import construire_couche
from flows.warehouse import charger, connecter, contexte

PROFILS = "identifiant;mois;code_rome;commune;categorie;niveau_diplome;experience_annees;permis_b;rayon_mobilite_km"


@pytest.fixture
def entrepot(tmp_path):
    """Profiles of 2023-06, 2024-01 and 2025-03 (and one faulty row), three applications
    whose last events are in 2023, 2024 and 2025, two requisitions of 2023, and the prep
    layer built from them."""
    profils = tmp_path / "profils.csv"
    profils.write_text("\n".join([PROFILS, "DE-1;2023-06;I1304;21231;A;Bac;4;oui;30",
                                  "DE-1;2024-01;I1304;21231;A;Bac;4;oui;30",
                                  "DE-2;2025-03;I1304;21231;A;Bac;4;oui;30", "DE-3;pas un mois;I1304;;;;;;"]) + "\n")
    recrutements = tmp_path / "recrutements.csv"
    lignes = [";".join({"entreprise": "Labo", "reference": ref, "date_ouverture": "01/03/2023",
                        "statut": "ouvert"}.get(c, "") for c in RECRUTEMENTS) for ref in ("R1", "R2")]
    recrutements.write_text("\n".join([";".join(RECRUTEMENTS), *lignes]) + "\n")
    candidatures = tmp_path / "candidatures.csv"
    candidatures.write_text("\n".join([
        ";".join(CANDIDATURES),
        "Labo;R1;C-1;;01/03/2023;;;;;;15/03/2023;",     # ended in 2023
        "Labo;R1;C-2;;01/12/2023;;05/12/2023;;10/01/2024;;;",  # received in 2023, hired in 2024
        "Labo;R2;C-3;;01/02/2025;;;;;;;"]) + "\n")
    chemin = tmp_path / "entrepot.duckdb"
    con = connecter(chemin)
    for source, fichier in (("profils", profils), ("entreprise", recrutements), ("entreprise", candidatures)):
        charger(con, lecteur(source)(fichier, contexte(con, b"sel-de-test")))
    # the faulty profile row was rejected long ago
    con.execute("update controle.rejets set rejete_le = timestamp '2023-07-01 10:00'")
    con.close()
    construire_couche.fn("prep", str(chemin))
    return chemin


def _compter(chemin) -> dict[str, int]:
    con = duckdb.connect(str(chemin), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in (
            "brut.profils_demandeurs", "prep.profils", "brut.candidatures", "prep.candidatures",
            "brut.recrutements", "controle.rejets")}
    finally:
        con.close()


AVANT = {"brut.profils_demandeurs": 3, "prep.profils": 3, "brut.candidatures": 3, "prep.candidatures": 3,
         "brut.recrutements": 2, "controle.rejets": 1}


def test_purge_avant_une_date(entrepot, tmp_path):
    assert _compter(entrepot) == AVANT
    bilan = purger(str(entrepot), date(2024, 1, 1))
    assert bilan.lignes == {"brut.candidatures": 1, "brut.profils_demandeurs": 1, "prep.candidatures": 1,
                            "prep.profils": 1}
    assert bilan.rejets == 1
    assert bilan.fichiers == [str(tmp_path / "candidatures.csv"), str(tmp_path / "profils.csv")]
    assert _compter(entrepot) == AVANT | {"brut.profils_demandeurs": 2, "prep.profils": 2, "brut.candidatures": 2,
                                          "prep.candidatures": 2, "controle.rejets": 0}
    con = duckdb.connect(str(entrepot), read_only=True)
    try:
        # an application is as old as its last event: hired in January 2024, it stays
        assert con.execute("select list(date_reception order by date_reception) from brut.candidatures"
                           ).fetchone()[0] == [date(2023, 12, 1), date(2025, 2, 1)]
        assert con.execute("select list(mois order by mois) from prep.profils").fetchone()[0] == [
            date(2024, 1, 1), date(2025, 3, 1)]
    finally:
        con.close()
    # nothing older is left: a second purge deletes nothing
    assert purger(str(entrepot), date(2024, 1, 1)).lignes == dict.fromkeys(bilan.lignes, 0)


def test_commande_purger_et_son_bilan(entrepot, tmp_path):
    resultat = CliRunner().invoke(app, ["purger", "--avant", "01/01/2024", "--entrepot", str(entrepot)])
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output == "\n".join([
        "Purge des données personnelles antérieures au 01/01/2024 :",
        "  brut.candidatures : 1 ligne(s) supprimée(s)",
        "  brut.profils_demandeurs : 1 ligne(s) supprimée(s)",
        "  prep.candidatures : 1 ligne(s) supprimée(s)",
        "  prep.profils : 1 ligne(s) supprimée(s)",
        "  controle.rejets (sources profils, entreprise) : 1 ligne(s) en quarantaine supprimée(s)",
        "Les recrutements et les actions des entreprises (données d'entreprise, pas de personnes) sont conservés. "
        "Relancez « python -m flows transformer » pour recalculer les indicateurs.",
        "Ces fichiers déposés contiennent encore les données purgées, identifiants en clair : supprimez-les ou "
        "archivez-les hors du projet (le pipeline ne supprime jamais une entrée) :",
        f"  {tmp_path / 'candidatures.csv'}",
        f"  {tmp_path / 'profils.csv'}",
        "",
    ])


# a date within the plausible bounds of [dates] (up to 366 days ahead) but to come, and one beyond them
DANS_UN_MOIS = date.today() + timedelta(days=30)


@pytest.mark.parametrize(("avant", "message"), [
    (f"{DANS_UN_MOIS:%d/%m/%Y}", f"Erreur : --avant : le {DANS_UN_MOIS:%d/%m/%Y} est après aujourd'hui ; "
                                 "la purge ne supprime que des données passées"),
    ("2099-01-01", "Erreur : --avant : date invraisemblable « 2099-01-01 » (attendu du 01/01/1990 au "
                   "{borne} : bornes de la section [dates] de config/parametres.toml)"),
    ("hier", "Erreur : --avant : date illisible « hier » (attendu jj/mm/aaaa)"),
])
def test_date_refusee(entrepot, avant, message):
    resultat = CliRunner().invoke(app, ["purger", "--avant", avant, "--entrepot", str(entrepot)])
    borne = date.today() + timedelta(days=366)  # read now, not at collection: the suite may cross midnight
    assert (resultat.exit_code, resultat.output.strip()) == (1, message.format(borne=f"{borne:%d/%m/%Y}"))
    assert _compter(entrepot) == AVANT


def test_duree_de_conservation_par_defaut():
    """24 months (config/parametres.toml [donnees_personnelles]) before today."""
    aujourd_hui = date.today()
    try:
        attendu = aujourd_hui.replace(year=aujourd_hui.year - 2)
    except ValueError:  # 29 February
        attendu = aujourd_hui.replace(year=aujourd_hui.year - 2, day=28)
    assert date_limite(None) == attendu
    assert date_limite(None, date(2026, 11, 28)) == date(2024, 11, 28)


@pytest.mark.parametrize(("jour", "mois", "attendu"), [
    (date(2025, 3, 31), 1, date(2025, 2, 28)),
    (date(2024, 3, 31), 1, date(2024, 2, 29)),
    (date(2025, 1, 15), 24, date(2023, 1, 15)),
    (date(2025, 1, 15), 1, date(2024, 12, 15)),
])
def test_mois_avant(jour, mois, attendu):
    assert mois_avant(jour, mois) == attendu


def test_aucune_table_d_indicateurs_ne_liste_une_personne(entrepot):
    construire_couche.fn("int", str(entrepot))
    construire_couche.fn("analyse", str(entrepot))
    con = duckdb.connect(str(entrepot), read_only=True)
    try:
        colonnes = con.execute("select table_name, column_name from information_schema.columns "
                               "where table_schema = 'analyse' and (column_name like '%hash%' "
                               "or column_name in ('candidat', 'identifiant', 'demandeur'))").fetchall()
    finally:
        con.close()
    assert colonnes == []


def test_purge_tuee_ne_supprime_rien(entrepot, tmp_path):
    repere = tmp_path / "transaction-ouverte"
    processus = subprocess.Popen(
        [sys.executable, "-m", "tests.pause_avant_commit", str(repere), "purger", "--avant", "2024-01-01",
         "--entrepot", str(entrepot)], cwd=RACINE, env=os.environ, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, start_new_session=True)
    echeance = time.monotonic() + 60
    while not repere.exists():
        assert processus.poll() is None, processus.communicate()
        assert time.monotonic() < echeance
        time.sleep(0.1)
    os.killpg(processus.pid, signal.SIGKILL)
    processus.wait()
    assert _compter(entrepot) == AVANT
