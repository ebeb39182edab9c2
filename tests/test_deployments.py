"""The scheduled deployments on the session's Prefect test server: their schedules, then
one real run of the pipeline deployment, executed the way ``servir`` executes it (a
runner polling the server, the flow in its own process)."""

from __future__ import annotations

import asyncio
import json

from flows.deployments import PLANNING, deploiements


def _page(tmp_path):
    """A drop zone with one France Travail page: one valid offer, one quarantined."""
    dossier = tmp_path / "entree" / "offres-ft"
    dossier.mkdir(parents=True)
    (dossier / "page.json").write_text(json.dumps({"resultats": [
        {"id": "X1", "intitule": "Technicien de maintenance", "dateCreation": "2025-03-01T08:00:00Z",
         "romeCode": "I1304"},
        {"id": "X2", "intitule": "Opérateur", "dateCreation": "pas une date", "romeCode": "H2301"},
    ]}))
    return tmp_path / "entree"


def test_deploiements_planifies_puis_pipeline_execute(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.runner import Runner

    liste = deploiements()
    assert [d.name for d in liste] == list(PLANNING)
    for deploiement in liste:
        deploiement.apply()
    with get_client(sync_client=True) as client:
        lus = {d.name: client.read_deployment_by_name(f"{d.flow_name}/{d.name}") for d in liste}
        assert {nom: [(s.schedule.cron, s.schedule.timezone, s.active) for s in d.schedules]
                for nom, d in lus.items()} == {
            "collecte-offres-quotidienne": [("0 6 * * *", "Europe/Paris", True)],
            "collecte-marche-hebdomadaire": [("30 6 * * 1", "Europe/Paris", True)],
            "pipeline-hebdomadaire": [("0 7 * * 1", "Europe/Paris", True)],
        }
        assert lus["collecte-offres-quotidienne"].parameters == {"departement": "21"}
        assert lus["collecte-marche-hebdomadaire"].parameters == {  # [collecte] of config/parametres.toml
            "territoires": ["DEP:21", "REG:27"],
            "romes": ["I1304", "I1309", "I1310", "H2301", "H1503", "H1502", "H1206", "H1404", "H2102", "H1303",
                      "N1103", "H1210", "H2502", "K2402"]}
        assert lus["pipeline-hebdomadaire"].entrypoint == "flows.pipeline.pipeline"
        run = client.create_flow_run_from_deployment(lus["pipeline-hebdomadaire"].id, parameters={
            "entrepot": str(tmp_path / "entrepot.duckdb"), "entree": str(_page(tmp_path))})

    service = Runner(name="test-servir", query_seconds=1)
    service.add_deployment(next(d for d in liste if d.name == "pipeline-hebdomadaire"))
    asyncio.run(service.start(run_once=True))

    with get_client(sync_client=True) as client:
        fini = client.read_flow_run(run.id)
        artefacts = {a.key: a for a in client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))}
    assert fini.state.is_completed(), fini.state.message
    assert fini.name.startswith("pipeline du ")
    assert set(artefacts) == {"pipeline-chargements", "pipeline-resume"}
    table = json.loads(artefacts["pipeline-chargements"].data)
    # counts in the French format, as text (the interface would write 70757 or 70,757)
    assert {"source": "offres-ft", "fichiers": "1", "déjà chargés": "0", "lignes lues": "2", "nouvelles": "1",
            "mises à jour": "0", "inchangées": "0", "en quarantaine": "1"} in table
    resume = artefacts["pipeline-resume"].data
    assert f"- Entrepôt DuckDB : `{tmp_path / 'entrepot.duckdb'}`" in resume
    assert "page.json : 2 lue(s), 1 nouvelle(s), 0 mise(s) à jour, 0 inchangée(s), 1 en quarantaine" in resume


def test_une_etape_en_echec_se_dit_en_francais(prefect_harness, tmp_path, monkeypatch):
    """What the Prefect interface shows for a failed scheduled run: one French sentence
    naming the stage and what to do, never the library's English exception."""
    from flows import pipeline as module
    from flows.collecte.offres import collecte_offres_ft
    from flows.erreurs import EntrepotVerrouille

    def panne(execution):
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")

    def occupe(execution):
        raise EntrepotVerrouille("entrepôt occupé : réessayez quand il sera terminé")

    parametres = {"entrepot": str(tmp_path / "e.duckdb"), "entree": str(tmp_path), "return_state": True}
    monkeypatch.setattr(module, "ETAPES", {module.ingerer: "ingestion", panne: "apprentissage"})
    # an empty drop zone: only the shipped referentials are loaded before the failing stage
    etat = module.pipeline(**parametres)
    assert etat.is_failed()
    assert etat.message == (
        "étape « apprentissage » en échec : erreur inattendue (ValueError) ; la trace complète est dans le "
        "journal de cette exécution (interface Prefect) : corrigez ou signalez la cause, puis relancez")

    monkeypatch.setattr(module, "ETAPES", {occupe: "ingestion"})
    etat = module.pipeline(**parametres)
    assert etat.message == "étape « ingestion » en échec : entrepôt occupé : réessayez quand il sera terminé"

    etat = collecte_offres_ft(departement="2C", return_state=True)
    assert etat.is_failed()
    assert etat.message == "département mal formé « 2C » (exemples : 21, 2A, 974)"
