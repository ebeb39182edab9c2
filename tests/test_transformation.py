"""The transformation flow: models in dependency order, idempotent, one transaction per
layer, and a failing model named in a French error with its layer left as it was."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from flows import transformation
from flows.config import SQL
from flows.transformation import COUCHES, ErreurModele, construire_couche, modeles


def test_ordre_des_dependances():
    ordre = [m.table for m in modeles("prep")]
    assert ordre.index("prep.rome") < ordre.index("prep.offres")
    assert ordre.index("prep.communes") < ordre.index("prep.offres")
    intermediaire = [m.table for m in modeles("int")]
    assert len(intermediaire) == 10
    assert intermediaire.index("int.offres") < intermediaire.index("int.vacances") < intermediaire.index(
        "int.marche_offres") < intermediaire.index("int.marche_cellules") < intermediaire.index(
        "int.marche_indicateurs")
    assert intermediaire.index("int.marche_demandeurs") < intermediaire.index("int.marche_cellules")
    analyse = [m.table for m in modeles("analyse")]
    assert analyse.index("analyse.process_entreprise") < analyse.index("analyse.diagnostic_preuves") < analyse.index(
        "analyse.diagnostic")
    assert analyse.index("analyse.tension_marche") < analyse.index("analyse.process_entreprise")


def _tables(chemin) -> dict[str, list]:
    con = duckdb.connect(chemin, read_only=True)
    try:
        noms = [n for (n,) in con.execute(
            "select '\"' || table_schema || '\".\"' || table_name || '\"' from information_schema.tables "
            "where table_schema in ('prep', 'int', 'analyse') and table_type = 'BASE TABLE' order by 1").fetchall()]
        return {n: con.execute(f"select * from {n} order by all").fetchall() for n in noms}
    finally:
        con.close()


def _construit_puis_ferme(construire, con) -> str:
    """Build both layers on the test warehouse, close it, and return its path."""
    construire()
    chemin = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    con.close()
    return chemin


def test_idempotente(referentiel, inserer, construire, con, tmp_path):
    inserer("brut.recrutements", [{"entreprise": "Alpha", "reference": "R1", "code_rome": "I1304",
                                   "commune_site": "21231", "date_ouverture": "2025-01-01", "statut": "ouvert"}])
    chemin = _construit_puis_ferme(construire, con)
    une_fois = _tables(chemin)
    assert len(une_fois) >= 20 and une_fois['"analyse"."process_entreprise"']
    for couche in COUCHES:
        construire_couche.fn(couche, chemin)
    assert _tables(chemin) == une_fois


def test_un_modele_en_echec_est_nomme_et_la_couche_reste_intacte(referentiel, construire, con, tmp_path, monkeypatch):
    chemin = _construit_puis_ferme(construire, con)
    avant = _tables(chemin)
    copie = tmp_path / "sql"
    shutil.copytree(SQL, copie)
    # a model that rebuilds prep.offres empty, then a broken one that runs after it
    (copie / "prep" / "prep_offres.sql").write_text("create or replace table prep.offres as select 1 as vide")
    (copie / "prep" / "prep_zz_casse.sql").write_text(
        "-- reads prep.offres, so it runs after it\ncreate or replace table prep.zz_casse as "
        "select colonne_absente from prep.offres")
    monkeypatch.setattr(transformation, "SQL", copie)
    with pytest.raises(ErreurModele) as erreur:
        construire_couche.fn("prep", chemin)
    assert str(erreur.value).startswith("le modèle sql/prep/prep_zz_casse.sql a échoué : Binder Error: ")
    assert "colonne_absente" in str(erreur.value)
    assert _tables(chemin) == avant  # prep.offres kept its columns: the layer rolled back


def test_manque_de_memoire_explique(referentiel, construire, con, tmp_path, monkeypatch):
    """Out of memory, the French error names the model and the setting to raise."""
    chemin = _construit_puis_ferme(construire, con)
    avant = _tables(chemin)
    reglages = tmp_path / "parametres.toml"
    reglages.write_text((SQL.parent / "config" / "parametres.toml").read_text(encoding="utf-8").replace(
        'memoire_max_transformation = "1500MB"', 'memoire_max_transformation = "1MB"'), encoding="utf-8")
    monkeypatch.setenv("HUB_PARAMETRES", str(reglages))
    with pytest.raises(ErreurModele) as erreur:
        construire_couche.fn("analyse", chemin)
    message = str(erreur.value)
    assert message.startswith("le modèle sql/analyse/") and " a manqué de mémoire (Out of Memory Error: " in message
    assert message.endswith("augmentez memoire_max_transformation dans config/parametres.toml, section [entrepot]")
    assert _tables(chemin) == avant


@pytest.mark.parametrize("nom", ["ml", "prep", "int", "brut", "analyse", "controle", "main", "memory", "temp", "system"])
def test_entrepot_de_n_importe_quel_nom(tmp_path, nom):
    """DuckDB names a database after its file: ``ml.duckdb`` made every ``ml.table``
    ambiguous (« Binder Error: Ambiguous reference to catalog or schema "ml" »)."""
    from flows import warehouse

    chemin = tmp_path / f"{nom}.duckdb"
    with warehouse.ouvrir(chemin) as con:
        con.execute("insert into brut.rome_codes (code_rome, libelle_rome, code_rome_parent, _fichier, _sha256, "
                    "_charge_le) values ('I1304', 'Technicien de maintenance industrielle', 'I1304', 't', 't', "
                    "current_timestamp)")
    for couche in COUCHES:
        construire_couche.fn(couche, str(chemin))
    with warehouse.ouvrir(chemin, lecture_seule=True) as con:
        assert con.execute("select code_rome, libelle_rome from prep.rome").fetchall() == [
            ("I1304", "Technicien de maintenance industrielle")]
        assert con.execute("select count(*) from ml.doublons").fetchone() == (0,)
