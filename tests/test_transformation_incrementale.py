"""The transformation rebuilds a model only when what it is built from changed, and an
incremental run leaves exactly the warehouse a full rebuild leaves."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from flows import suivi, transformation
from flows.config import SQL
from flows.transformation import COUCHES, ENTREES_PYTHON, construire_couche
from tests.incremental import egales, semaine_de_plus, tables

TOUTES = {m.table for c in COUCHES for m in transformation.modeles(c)} | {"analyse.suivi_pilote"}


def _chemin(con) -> str:
    return con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]


def _construire(chemin: str, complet: bool = False) -> tuple[set[str], set[str]]:
    """Every layer; (tables rebuilt, tables reused)."""
    construites: set[str] = set()
    reutilisees: set[str] = set()
    for couche in COUCHES:
        bilan = construire_couche.fn(couche, chemin, complet)
        construites |= set(bilan.construites)
        reutilisees |= set(bilan.reutilisees)
    assert not construites & reutilisees
    return construites, reutilisees


def _toml(tmp_path, monkeypatch, avant: str, apres: str) -> None:
    texte = (SQL.parent / "config" / "parametres.toml").read_text(encoding="utf-8")
    assert avant in texte
    reglages = tmp_path / "parametres.toml"
    reglages.write_text(texte.replace(avant, apres), encoding="utf-8")
    monkeypatch.setenv("HUB_PARAMETRES", str(reglages))


def test_entrees_du_modele_python_declarees():
    """The tables and settings flows/suivi.py reads are those ENTREES_PYTHON declares."""
    source = Path(suivi.__file__).read_text(encoding="utf-8")
    lues = {f"{s}.{t}" for s, t in transformation._REFERENCE.findall(source)}
    declarees = ENTREES_PYTHON["analyse.suivi_pilote"]
    assert lues == {*declarees.tables, *declarees.ecrit_aussi, "analyse.suivi_pilote"}
    assert set(re.findall(r'parametres\(\)\["([a-z_]+)"\]', source)) == set(declarees.sections) == {"suivi"}


def test_rien_de_change_rien_de_reconstruit(referentiel, construire, con):
    chemin = _chemin(con)
    assert _construire(chemin) == (TOUTES, set())
    assert _construire(chemin) == (set(), TOUTES)
    assert _construire(chemin, complet=True) == (TOUTES, set())


def test_ligne_ajoutee_a_une_table_brute(referentiel, inserer, construire, con):
    """A new ROME code in brut.rome_codes: prep.rome reads it, so it and every model reading
    prep.rome run again (five of prep, three of int, two of analyse); of those, only
    analyse.metiers (the list of codes) changes, so analyse.indicateurs_officiels, which
    reads it, runs too. Without offers nor requisitions the other tables stay empty, so
    nothing reading them runs."""
    chemin = _chemin(con)
    _construire(chemin)
    inserer("brut.rome_codes", [{"code_rome": "M1607", "libelle_rome": "Secrétaire", "code_rome_parent": "M1607"}])
    assert _construire(chemin)[0] == {
        "prep.rome", "prep.demandeurs", "prep.offres", "prep.profils", "prep.recrutements", "prep.rome_mobilites",
        "int.marche_bmo", "int.offres", "int.recrutements", "analyse.metiers", "analyse.passerelles",
        "analyse.indicateurs_officiels"}
    assert con.execute("select count(*) from prep.rome where code_rome = 'M1607'").fetchone() == (1,)


def test_seuil_modifie(referentiel, construire, con, tmp_path, monkeypatch):
    """[sql.secret] min_entreprises is read by analyse.benchmark and analyse.seuils; the
    follow-up model (Python) adds its row to analyse.seuils, so it runs again after it; the
    benchmark stays empty, so what reads it is reused."""
    chemin = _chemin(con)
    _construire(chemin)
    _toml(tmp_path, monkeypatch, "min_entreprises = 3", "min_entreprises = 4")
    construites, _ = _construire(chemin)
    assert construites == {"analyse.benchmark", "analyse.seuils", "analyse.suivi_pilote"}
    assert con.execute("select cle, valeur from \"analyse\".seuils where section in ('secret', 'suivi') "
                       "order by all").fetchall() == [
        ("min_entreprises", 4.0), ("niveau_confiance", 0.95), ("part_max_dominante", 0.85)]


def test_parametre_du_modele_python(referentiel, construire, con, tmp_path, monkeypatch):
    """[suivi] niveau_confiance: the Python model runs again, and analyse.seuils with it, so
    that its row is replaced, not added beside the old one."""
    chemin = _chemin(con)
    _construire(chemin)
    _toml(tmp_path, monkeypatch, "niveau_confiance = 0.95", "niveau_confiance = 0.9")
    assert _construire(chemin)[0] == {"analyse.seuils", "analyse.suivi_pilote"}
    assert con.execute("select valeur from \"analyse\".seuils where section = 'suivi'").fetchall() == [(0.9,)]
    assert _construire(chemin)[0] == set()


def test_table_modifiee_ou_supprimee_hors_transformation(referentiel, construire, con):
    chemin = _chemin(con)
    _construire(chemin)
    codes = con.execute("select count(*) from prep.rome").fetchone()
    assert codes == (4,)
    con.execute("delete from prep.rome where code_rome = 'K2402'")
    con.execute("drop table prep.communes")
    construites, _ = _construire(chemin)
    assert {"prep.rome", "prep.communes"} <= construites
    assert con.execute("select count(*) from prep.rome").fetchone() == codes
    assert con.execute("select count(*) from prep.communes").fetchone() == (4,)


def test_requete_modifiee(referentiel, construire, con, tmp_path, monkeypatch):
    """A model whose SQL changed is rebuilt, even if the tables it reads did not change."""
    chemin = _chemin(con)
    _construire(chemin)
    copie = tmp_path / "sql"
    shutil.copytree(SQL, copie)
    modele = copie / "prep" / "prep_rome.sql"
    modele.write_text(modele.read_text(encoding="utf-8") + "\n-- a comment changes the text\n", encoding="utf-8")
    monkeypatch.setattr(transformation, "SQL", copie)
    assert _construire(chemin)[0] == {"prep.rome"}  # same content: nothing downstream


def test_echec_annule_aussi_les_empreintes(referentiel, inserer, construire, con, tmp_path, monkeypatch):
    """A failed layer rolls its fingerprints back with its tables: the next run rebuilds
    what the failed one had started."""
    chemin = _chemin(con)
    _construire(chemin)
    avant = con.execute("select * from transformation.empreintes order by all").fetchall()
    inserer("brut.rome_codes", [{"code_rome": "M1607", "libelle_rome": "Secrétaire", "code_rome_parent": "M1607"}])
    copie = tmp_path / "sql"
    shutil.copytree(SQL, copie)
    (copie / "prep" / "prep_zz_casse.sql").write_text(
        "create or replace table prep.zz_casse as select colonne_absente from prep.rome")
    monkeypatch.setattr(transformation, "SQL", copie)
    with pytest.raises(transformation.ErreurModele):
        construire_couche.fn("prep", chemin)
    assert con.execute("select * from transformation.empreintes order by all").fetchall() == avant
    monkeypatch.setattr(transformation, "SQL", SQL)
    assert "prep.rome" in set(construire_couche.fn("prep", chemin).construites)


# --------------------------------------------------------------------------- equality on the demo

def test_incrementale_egale_complete_sur_la_demo(demo, tmp_path):
    """The demo warehouse (built whole), plus one more page of France Travail offers (the
    last page's offers under new identifiers, and an older offer updated): rebuilding what
    changed gives, table for table and row for row, what rebuilding everything gives."""
    from flows.ingestion import ingestion
    from flows.transformation import transformation as flux

    incremental, complet = tmp_path / "incremental.duckdb", tmp_path / "complet.duckdb"
    shutil.copyfile(demo["entrepot"], incremental)
    page, nouvelles = semaine_de_plus(demo["dossier"], tmp_path / "semaine")
    [bilan] = ingestion("offres-ft", [str(page)], str(incremental))
    assert (bilan["nouvelles"], bilan["mises_a_jour"]) == (nouvelles, 1) and nouvelles > 0
    shutil.copyfile(incremental, complet)

    bilans = flux(str(incremental))
    construites = {t for b in bilans.values() for t in b.construites}
    reutilisees = {t for b in bilans.values() for t in b.reutilisees}
    assert "prep.offres" in construites and "prep.rome" in reutilisees
    assert {t for b in flux(str(complet), complet=True).values() for t in b.construites} == TOUTES

    couches = ("prep", "int", "analyse")
    attendues, obtenues = tables(complet, couches), tables(incremental, couches)
    assert sorted(obtenues) == sorted(attendues) and len(attendues) == len(TOUTES)
    differentes = sorted(t for t in attendues if not egales(obtenues[t], attendues[t]))
    assert not differentes
