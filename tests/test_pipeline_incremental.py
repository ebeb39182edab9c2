"""Issue #17: a weekly run of the whole ``pipeline`` flow (ingestion, prep, learning (a), int
and analyse, learning (b), publication) that redoes only what one more week changed leaves
exactly the warehouse, models and outputs that a complete run (« pipeline --complet ») leaves
on the same inputs and the same stored models; only what says when the run ran, and how much
it redid, may differ."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import pyarrow.parquet as pq
import pytest
from markupsafe import escape

from flows import transformation, warehouse
from flows.pipeline import pipeline
from flows.render.commun import horodatage
from flows.render.empreintes import MANIFESTE
from flows.render.tableau_de_bord import CHIFFRES, FICHIER, cartes_modeles
from tests.incremental import egales, semaine_de_plus, tables

pytestmark = pytest.mark.lent

ENTREPOT = "entrepot.duckdb"
PRECEDENTE = "semaine-precedente"  # the starting state's publication, renamed: no run of the test can take its name
TOUTES = (len([m for c in transformation.COUCHES for m in transformation.modeles(c)])
          + len([t for tables_ in transformation.MODELES_PYTHON.values() for t in tables_]))
# What a model card (carte.json) tells of the run that wrote it rather than of the model and
# its results: when it ran and, for the deduplication, how much it compared again.
DU_PASSAGE = {"le", "passage", "raison_complet", "paires_comparees", "offres_comparees", "offres_reprises",
              "blocs_recalcules", "blocs_repris"}


def _lancer(travail: Path, entree: Path, complet: bool = False) -> list[str]:
    """One run of the flow on the warehouse of ``travail``; its summary's lines."""
    etat = pipeline(entrepot=str(travail / ENTREPOT), entree=str(entree), complet=complet, return_state=True)
    assert etat.is_completed(), etat.message
    return etat.result().splitlines()


def _horloge(instant: datetime) -> type[datetime]:
    """``datetime`` whose ``now()`` is ``instant``."""

    class Horloge(datetime):
        @classmethod
        def now(cls, tz=None) -> datetime:
            return instant

    return Horloge


def _entrepot(travail: Path) -> dict[str, list]:
    """Every table of every schema (brut, controle, prep, int, analyse, ml, transformation),
    rows sorted, less two records of how a run went:
    - ``ml.doublons_etat.le``: when the deduplication last wrote its state (every run does);
    - the content fingerprints in ``transformation.empreintes`` (of each table and of each
      input it was built from): exact to the bit, they differ with the last bit of the doubles
      that analyse.passerelles sums in a thread-dependent order (``egales``), in its own record
      and in those of the tables that read it; each of those tables is compared itself. What
      is kept: which models were recorded, from which inputs, code and settings."""
    contenu = tables(travail / ENTREPOT)
    noms = {n.replace('"', "") for n in contenu}
    contenu['"ml"."doublons_etat"'] = [(poids, reglages) for poids, reglages, _le in contenu['"ml"."doublons_etat"']]
    contenu['"transformation"."empreintes"'] = [
        (modele, {cle: "contenu" if cle in noms else valeur for cle, valeur in json.loads(entrees).items()})
        for modele, entrees, _sortie in contenu['"transformation"."empreintes"']]
    return contenu


def _cartes(travail: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    """The model cards (carte.json) less what they tell of their run (``DU_PASSAGE``), and that apart."""
    cartes = {f.parent.name: json.loads(f.read_text(encoding="utf-8"))
              for f in sorted((travail / "sorties" / "modeles" / "entrepot").glob("*/carte.json"))}
    passages = {nom: {cle: carte["derniere_execution"].pop(cle) for cle in sorted(DU_PASSAGE)
                      if cle in carte.get("derniere_execution", {})} for nom, carte in cartes.items()}
    return cartes, passages


def _cartes_du_tableau(travail: Path) -> list[str]:
    """The model cards as the dashboard prints them (templates/tableau_de_bord.html, section
    « Modèles »): each sentence, each row of each card's table."""
    fragments: list[str] = []
    for carte in cartes_modeles(travail / "sorties" / "modeles" / "entrepot"):
        fragments += [f"<p>{escape(phrase)}</p>" for phrase in carte["phrases"]]
        fragments += [f"<tr><th>{escape(libelle)}</th><td>{escape(valeur)}</td></tr>"
                      for libelle, valeur in carte["lignes"]]
    return fragments


def _fichiers(dossier: Path) -> dict[str, bytes]:
    return {f.relative_to(dossier).as_posix(): f.read_bytes() for f in sorted(dossier.rglob("*")) if f.is_file()}


def _publication(dossier: Path, du_passage: dict[str, str]) -> dict[str, object]:
    """Every file the publication wrote in ``dossier``, by path, less the stamps of its run:
    - chiffres-cles.json: ``publie_le``;
    - the dashboard: its header's time of publication, and the card sentences and rows of
      ``du_passage`` (each replaced by its value there);
    - the workbook (.xlsx): the created and modified times openpyxl writes in
      docProps/core.xml (compared part by part, without the zip's own dates);
    - the Parquet extracts: compared as schema and rows (``egales``: their doubles carry the
      last bit of analyse.passerelles' sums), not as bytes;
    - the manifest (empreintes.json): only which outputs and files it lists, for the warehouse
      it names; its time, and its fingerprints and sha256, which hash to the bit the figures
      and files compared here (the stamps and the doubles' last bit with them).
    The CSV extracts and the reports are compared byte for byte."""
    contenus: dict[str, object] = dict(_fichiers(dossier))
    chiffres = json.loads(contenus[CHIFFRES])
    publie_le = datetime.fromisoformat(chiffres.pop("publie_le"))
    contenus[CHIFFRES] = chiffres
    page = contenus[FICHIER].decode("utf-8")
    for avant, apres in [(f"publié le {horodatage(publie_le)} (heure de Paris)", "publié le … (heure de Paris)"),
                         *du_passage.items()]:
        assert page.count(avant) == 1, avant
        page = page.replace(avant, apres)
    contenus[FICHIER] = page
    for nom in contenus:
        if nom.endswith(".xlsx"):
            with zipfile.ZipFile(dossier / nom) as classeur:
                parties = {partie: classeur.read(partie) for partie in classeur.namelist()}
            proprietes = ElementTree.fromstring(parties["docProps/core.xml"])
            for balise in ("created", "modified"):
                proprietes.remove(proprietes.find(f"{{http://purl.org/dc/terms/}}{balise}"))
            contenus[nom] = parties | {"docProps/core.xml": ElementTree.tostring(proprietes)}
        elif nom.endswith(".parquet"):
            table = pq.read_table(dossier / nom)
            contenus[nom] = (table.schema.to_string(), [tuple(ligne.values()) for ligne in table.to_pylist()])
    manifeste = json.loads(contenus[MANIFESTE])
    contenus[MANIFESTE] = (manifeste["entrepot"], {cle: sorted(sortie["fichiers"])
                                                   for cle, sortie in manifeste["sorties"].items()})
    return contenus


def test_pipeline_incremental_egal_au_complet(demo, tmp_path, monkeypatch):
    """The demo run whole through the pipeline (models trained, outputs published), then one
    more week (new offers, an offer updated) run twice from copies of that state: once
    incrementally, once with « --complet »."""
    monkeypatch.setattr("flows.publication.pdf.chromium", lambda: None)  # printing is tested elsewhere
    # the warehouse, its model files and its outputs under one folder, at the same paths in every run
    travail = tmp_path / "travail"
    travail.mkdir()
    monkeypatch.setenv("HUB_MODELES_ML", str(travail / "modeles-ml"))
    monkeypatch.setenv("HUB_SORTIES", str(travail / "sorties"))
    shutil.copyfile(demo["entrepot"], travail / ENTREPOT)
    (tmp_path / "vide").mkdir()
    _lancer(travail, tmp_path / "vide")
    [publiee] = [d for d in (travail / "sorties").iterdir() if d.name != "modeles"]
    publiee.rename(publiee.with_name(PRECEDENTE))
    shutil.copytree(travail, tmp_path / "depart")

    page, nouvelles = semaine_de_plus(demo["dossier"], tmp_path / "semaine")
    # Both runs load the week's page at one instant: the load log's times (brut.*._charge_le,
    # controle.chargements.charge_le, hence "analyse".sources.dernier_chargement, the
    # dashboard's freshness table and the extract sources.csv) say when a file was loaded.
    monkeypatch.setattr(warehouse, "datetime", _horloge(datetime.now()))
    semaine = tmp_path / "semaine"
    resumes = {"incremental": _lancer(travail, semaine)}
    travail.rename(tmp_path / "incremental")
    shutil.copytree(tmp_path / "depart", travail)
    resumes["complet"] = _lancer(travail, semaine, complet=True)
    travail.rename(tmp_path / "complet")
    incremental, complet = tmp_path / "incremental", tmp_path / "complet"
    for resume in resumes.values():
        assert (f"  {page} : {nouvelles + 1} lue(s), {nouvelles} nouvelle(s), 1 mise(s) à jour, 0 inchangée(s), "
                "0 en quarantaine") in resume

    # the incremental run redid less: tables, pairs of offers, extracts
    travaux = ("Tables construites", "  Rapports", "  Extraits")
    assert [ligne for ligne in resumes["incremental"] if ligne.startswith(travaux)] == [
        "  Rapports : 6 redessinés", "  Extraits : 13 tables réécrites, 8 reprises telles quelles (chiffres inchangés)",
        f"Tables construites : 28, chacune une fois, réutilisées : {TOUTES - 28} (entrées inchangées)."]
    assert [ligne for ligne in resumes["complet"] if ligne.startswith(travaux)] == [
        "  Rapports : 6 redessinés (publication complète demandée)",
        "  Extraits : 21 tables réécrites (publication complète demandée)",
        f"Tables construites : {TOUTES}, chacune une fois."]
    cartes, passages = _cartes(incremental)
    cartes_b, passages_b = _cartes(complet)
    for passage in (passages, passages_b):  # when each card's run ran: not compared
        assert passage.pop("rome").keys() == {"le"}
        del passage["doublons"]["le"]
    assert passages == {"difficulte": {}, "doublons": {
        "passage": "incrémental", "raison_complet": None, "offres_comparees": nouvelles + 1,
        "offres_reprises": 7734, "blocs_recalcules": 318, "blocs_repris": 16682, "paires_comparees": 50}}
    assert passages_b == {"difficulte": {}, "doublons": {
        "passage": "complet", "raison_complet": "demandé (--complet)", "offres_comparees": 7765,
        "offres_reprises": 0, "blocs_recalcules": 17000, "blocs_repris": 0, "paires_comparees": 2637}}
    # the same decisions on the stored models, told by the same cards: reused, none retrained
    assert cartes == cartes_b
    rome = cartes["rome"]["derniere_execution"]
    assert (rome["modele_reentraine"], rome["predictions"], rome["predictions_reprises"]) == (False, 1735, 1735)
    assert rome["modele"].startswith("modèle réutilisé : 0,5\u202f% d'exemples nouveaux, modifiés ou retirés, "
                                     "seuil 10\u202f% (entraîné le ")
    assert [m["modele_reutilise"] for m in cartes["difficulte"]["mesures"]] == [True, True]

    # the warehouses, table for table and row for row; the model files, byte for byte
    attendu, obtenu = _entrepot(complet), _entrepot(incremental)
    assert sorted(obtenu) == sorted(attendu) and len(attendu) == 94
    assert sorted(t for t in attendu if obtenu[t] != attendu[t] and not egales(obtenu[t], attendu[t])) == []
    assert _fichiers(incremental / "modeles-ml") == _fichiers(complet / "modeles-ml")

    # the outputs, but for the cards' sentences on their run (the pairs compared, the minute it ran)
    ecarts = [(a, b) for a, b in zip(_cartes_du_tableau(incremental), _cartes_du_tableau(complet), strict=True)
              if a != b]
    assert [e for e in ecarts if "Exécuté le" not in e[0]] == [
        ("<p>À la dernière exécution, 7\u202f765 offres de toutes les sources ont donné 6\u202f765 annonces distinctes : "
         "797 groupes de doublons, 1\u202f193 paires de doublons en tout ; 50 paires comparées par cette exécution "
         "(seules les offres nouvelles ou modifiées le sont).</p>",
         "<p>À la dernière exécution, 7\u202f765 offres de toutes les sources ont donné 6\u202f765 annonces distinctes : "
         "797 groupes de doublons, 1\u202f193 paires de doublons en tout ; 2\u202f637 paires comparées par cette "
         "exécution.</p>"),
        ("<tr><th>Paires comparées par cette exécution</th><td>50</td></tr>",
         "<tr><th>Paires comparées par cette exécution</th><td>2\u202f637</td></tr>")]
    [dossier] = [d for d in (incremental / "sorties").iterdir() if d.name not in ("modeles", PRECEDENTE)]
    [dossier_b] = [d for d in (complet / "sorties").iterdir() if d.name not in ("modeles", PRECEDENTE)]
    sorties = _publication(dossier, {a: f"<carte {i}>" for i, (a, _) in enumerate(ecarts)})
    sorties_b = _publication(dossier_b, {b: f"<carte {i}>" for i, (_, b) in enumerate(ecarts)})
    assert sorted(sorties) == sorted(sorties_b) and len(sorties) == 52
    assert [f for f in sorties_b if sorties[f] != sorties_b[f] and not egales(sorties[f], sorties_b[f])] == []
