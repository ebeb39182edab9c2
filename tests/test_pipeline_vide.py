"""The weekly ``pipeline`` with nothing, or too little, to work on completes, and each
stage short of data says so in one French line, in its summary and in the Prefect log:
(a) an empty drop zone and a new warehouse, (b) a warehouse holding only the
referentials, (c) one offer, one pilot company, one period of jobseeker statistics."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from flows.config import REFERENTIELS
from flows.ingestion import ingestion_complete, manque_depot
from flows.pipeline import pipeline
from flows.sources.entreprise import RECRUTEMENTS

FACTEURS_RIEN = ("facteurs : 0 recrutement pourvu, il en faut 30 ; 0 offre dans la classe la plus rare "
                 "(signalées ou non en manque de candidats), il en faut 30")
RIEN = ["transformation : aucune offre ni aucun recrutement, indicateurs vides",
        "classement ROME : 0 offre et 0 recrutement sans code",
        "doublons : aucune offre à comparer",
        FACTEURS_RIEN,
        "rapports : aucune entreprise pilote, aucun rapport rédigé"]


def _executer(entrepot: Path, entree: Path) -> tuple[str, list[str]]:
    """Run the flow; returns its summary and the warnings of the Prefect log since."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterLevel, LogFilterTimestamp
    from prefect.logging.handlers import APILogHandler

    debut = datetime.now(UTC)
    etat = pipeline(entrepot=str(entrepot), entree=str(entree), return_state=True)
    assert etat.is_completed(), etat.message
    APILogHandler().flush()  # logs reach the server in batches
    with get_client(sync_client=True) as client:
        journaux = client.read_logs(log_filter=LogFilter(timestamp=LogFilterTimestamp(after_=debut),
                                                         level=LogFilterLevel(ge_=30)))
    return etat.result(), [j.message for j in sorted(journaux, key=lambda j: j.timestamp)]


def _lignes(texte: str, attendues: list[str]) -> list[str]:
    """The summary's lines among ``attendues``, in their order (each once when all is well)."""
    return [ligne.strip() for ligne in texte.splitlines() if ligne.strip() in attendues]


def test_zone_de_depot_vide_et_entrepot_neuf(prefect_harness, tmp_path):
    (tmp_path / "entree").mkdir()
    texte, avertissements = _executer(tmp_path / "entrepot.duckdb", tmp_path / "entree")
    attendues = [f"ingestion : zone de dépôt vide ({tmp_path / 'entree'})", *RIEN]
    assert _lignes(texte, attendues) == attendues
    assert avertissements == attendues


def test_entrepot_avec_les_seuls_referentiels(prefect_harness, tmp_path):
    entrepot = tmp_path / "entrepot.duckdb"
    ingestion_complete([str(REFERENTIELS)], str(entrepot))
    (tmp_path / "entree").mkdir()
    texte, avertissements = _executer(entrepot, tmp_path / "entree")
    assert "  donnees/referentiels/rome/unix_referentiel_code_rome_v460_utf8.csv : déjà chargé, inchangé" in texte
    attendues = [f"ingestion : zone de dépôt vide ({tmp_path / 'entree'})", *RIEN]
    assert _lignes(texte, attendues) == attendues
    assert avertissements == attendues


def _une_offre_une_entreprise_une_periode(entree: Path) -> None:
    (entree / "offres-ft").mkdir(parents=True)
    (entree / "offres-ft" / "page.json").write_text(json.dumps({"resultats": [{
        "id": "O1", "intitule": "Technicien de maintenance industrielle (H/F)",
        "description": "Maintenance préventive et curative des lignes de conditionnement.",
        "dateCreation": "2025-03-03T08:00:00.000Z", "dateActualisation": "2025-03-03T08:00:00.000Z",
        "romeCode": "I1304", "lieuTravail": {"libelle": "21 - DIJON", "commune": "21231"},
        "entreprise": {"nom": "Alpha Pharma"}, "typeContrat": "CDI", "nombrePostes": 1,
        "offresManqueCandidats": False}]}), encoding="utf-8")
    (entree / "entreprise").mkdir()
    (entree / "entreprise" / "recrutements.csv").write_text(
        ";".join(RECRUTEMENTS) + "\n"
        "Alpha Pharma;R1;21231;Technicien de maintenance;I1304;03/03/2025;02/04/2025;pourvu;1;CDI;;oui;2300;2600;"
        "2;5;france_travail;;\n", encoding="utf-8")
    (entree / "demandeurs").mkdir()
    (entree / "demandeurs" / "demandeurs-rome-territoire.csv").write_text(
        "code_rome;type_territoire;code_territoire;type_periode;periode;categorie;demandeurs;entrees;sorties\n"
        "I1304;DEP;21;MOIS;2025-03;A;8;2;1\n"
        "I1304;DEP;21;MOIS;2025-03;ABC;10;2;1\n", encoding="utf-8")


def test_une_offre_une_entreprise_une_periode(prefect_harness, tmp_path, monkeypatch):
    monkeypatch.setattr("flows.publication.pdf.chromium", lambda: None)  # printing is tested elsewhere (4 s)
    _une_offre_une_entreprise_une_periode(tmp_path / "entree")
    texte, avertissements = _executer(tmp_path / "entrepot.duckdb", tmp_path / "entree")
    for fichier, lignes in (("offres-ft/page.json", 1), ("entreprise/recrutements.csv", 1),
                            ("demandeurs/demandeurs-rome-territoire.csv", 2)):
        assert (f"  {tmp_path / 'entree' / fichier} : {lignes} lue(s), {lignes} nouvelle(s), 0 mise(s) à jour, "
                "0 inchangée(s), 0 en quarantaine") in texte
    attendues = ["classement ROME : 0 offre et 0 recrutement sans code",
                 "doublons : 1 offre, il en faut 2 pour comparer",
                 "facteurs : 1 recrutement pourvu, il en faut 30 ; 0 offre dans la classe la plus rare "
                 "(signalées ou non en manque de candidats), il en faut 30"]
    assert _lignes(texte, attendues) == attendues
    assert avertissements == attendues
    assert "  rapports des entreprises pilotes : 1 rapport HTML dans rapports/" in texte


def test_rien_de_nouveau_dans_la_zone_de_depot(tmp_path):
    """Files in the drop zone, all loaded by an earlier run: nothing new, said in one line."""
    zone = tmp_path / "entree"
    _une_offre_une_entreprise_une_periode(zone)
    bilans = [{"source": s, "fichier": str(zone / s / f), "deja_charge": True}
              for s, f in (("offres-ft", "page.json"), ("entreprise", "recrutements.csv"),
                           ("demandeurs", "demandeurs-rome-territoire.csv"))]
    assert manque_depot(zone, bilans) == (f"ingestion : aucun fichier nouveau dans la zone de dépôt ({zone}, "
                                          "3 fichiers déjà chargés)")
    bilans[0]["deja_charge"] = False
    assert manque_depot(zone, bilans) is None
