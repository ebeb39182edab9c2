"""The learning steps on a demo warehouse, run again after a few more offers: the stored
classifier is reused, only the new texts are classified, and the predictions are exactly
those of classifying everything with that model; a fresh warehouse of the same name with
the same model store (the lead's full-run comparison) reuses the same models and gives
the same predictions and drivers."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd

from flows import warehouse
from flows.ml import etapes, rome
from flows.ml.communs import dossier_modeles


def _une_semaine_de_plus(entrepot: str) -> None:
    """Five labelled offers and three offers without a code, copies of existing ones under
    new identifiers; one offer without a code gets a longer description."""
    with warehouse.ouvrir(entrepot) as con:
        for condition, n in (("rome_code is not null", 5), ("rome_code is null", 3)):
            con.execute(f"""
                insert into prep.offres
                select * replace (offre_id || '-nouvelle' as offre_id,
                                  coalesce(description, '') || ' Nouvelle annonce.' as description)
                from prep.offres where {condition} order by source, offre_id limit {n}""")  # noqa: S608
        con.execute("""
            update prep.offres set description = description || ' Poste à pourvoir vite.'
            where (source, offre_id) = (select (source, offre_id) from prep.offres
                                        where rome_code is null order by source, offre_id desc limit 1)""")


def _tout_classer(entrepot: str) -> pd.DataFrame:
    """Every text classified by the current model, without the store of predictions."""
    with duckdb.connect(entrepot, read_only=True) as con:
        a_classer = con.execute("""
            select 'offre' as objet, source, offre_id, coalesce(intitule, description) as texte, description
            from prep.offres where rome_code is null
            union all
            select 'recrutement', entreprise, reference, intitule, null from prep.recrutements where rome_code is null
            order by all""").df()
    return rome.modele_courant(dossier_modeles(entrepot)).predire(list(a_classer.texte), list(a_classer.description))


def _objets(cadre: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python objects, a missing one as None (as read from Parquet or computed)."""
    return cadre.apply(lambda c: c if c.dtype.kind == "f" else c.astype(object).where(c.notna(), None))


def test_reprise_du_classement_et_des_facteurs(entrepot_demo, sorties_isolees, tmp_path, monkeypatch):
    travail = tmp_path / "travail"
    travail.mkdir()
    lues: list[rome.DonneesRome] = []  # the training data of each run
    monkeypatch.setattr(rome, "donnees_entrepot", lambda con, lire=rome.donnees_entrepot: lues.append(lire(con))
                        or lues[-1])
    premier = etapes.classer_rome(entrepot_demo, str(travail))
    assert premier["entraine"] and premier["reprises"] == 0
    assert len(lues[0].exemples) == len(lues[0].empreintes) == premier["carte"]["exemples"][
        "offres_et_recrutements_etiquetes"]
    facteurs_avant = etapes.facteurs_difficulte(entrepot_demo)
    assert all(m["modele"] in (None, "modèle entraîné : aucun modèle stocké pour cet entrepôt")
               for m in facteurs_avant["mesures"])
    etiquetees = premier["carte"]["exemples"]["offres_et_recrutements_etiquetes"]

    _une_semaine_de_plus(entrepot_demo)
    second = etapes.classer_rome(entrepot_demo, str(travail))
    # 5 examples added: 5 / (n + 5), reused; 3 new texts and one changed description classified
    assert not second["entraine"]
    assert "exemples" not in vars(lues[1])  # reused on the examples' hashes: the examples were never read
    part = f"{100 * 5 / (etiquetees + 5):.1f}".replace(".", ",")
    assert second["decision"].startswith(f"modèle réutilisé : {part}\u202f% d'exemples nouveaux")
    assert (second["predictions"], second["reprises"]) == (premier["predictions"] + 3, premier["predictions"] - 1)
    assert second["carte"]["entraine_le"] == premier["carte"]["entraine_le"]
    assert second["carte"]["derniere_execution"]["modele"] == second["decision"]
    carte = (sorties_isolees / "modeles" / "demo" / "rome" / "carte.md").read_text(encoding="utf-8")
    assert f" : {second['decision']} ; " in carte
    incremental = pd.read_parquet(second["fichier"])
    attendu = _tout_classer(entrepot_demo)
    pd.testing.assert_frame_equal(_objets(incremental[list(attendu.columns)]), _objets(attendu))

    # the lead's comparison: a fresh warehouse, same name and inputs, same model store
    frais = tmp_path / "frais" / Path(entrepot_demo).name
    frais.parent.mkdir()
    shutil.copy(entrepot_demo, frais)
    with warehouse.ouvrir(frais) as con:
        con.execute("drop table if exists ml.facteurs_difficulte")
        con.execute("drop table if exists ml.simulations_entreprise")
    complet = etapes.classer_rome(str(frais), str(tmp_path / "frais"))
    assert not complet["entraine"] and complet["decision"] == second["decision"]
    pd.testing.assert_frame_equal(pd.read_parquet(complet["fichier"]), incremental)
    facteurs_frais = etapes.facteurs_difficulte(str(frais))
    for avant, apres in zip(facteurs_avant["mesures"], facteurs_frais["mesures"], strict=True):
        assert apres["modele_reutilise"] == (avant["verdict"] is None)
        if avant["verdict"] is None:
            assert apres["modele"].startswith("modèle réutilisé : ")
            assert f"{apres['modele'][:1].upper()}{apres['modele'][1:]}." in (
                sorties_isolees / "modeles" / "demo" / "difficulte" / "carte.md").read_text(encoding="utf-8")
    tables = "select * from ml.facteurs_difficulte order by all", "select * from ml.simulations_entreprise order by all"
    with duckdb.connect(entrepot_demo, read_only=True) as a, duckdb.connect(str(frais), read_only=True) as b:
        for requete in tables:
            pd.testing.assert_frame_equal(a.execute(requete).df(), b.execute(requete).df())
