"""Flows « apprentissage »: the models of flows/ml, in two parts that pipeline.py runs on
each side of the int and analyse layers.

(a) ``classement_et_doublons`` reads prep (what the sources gave): ROME codes for the
    offers and requisitions that came without one (the classifier is retrained only when
    more than a configured share of its examples changed, and only new texts are
    classified), then duplicate clusters across sources for every offer (only new or
    changed offers compared again with their blocks, unless ``complet``);
    both written to ``ml.predictions_rome`` and ``ml.doublons`` in one transaction.
(b) ``facteurs`` reads int (codes and clusters joined) and the market context of
    ``"analyse".tension_marche``: drivers of difficulty, written to
    ``ml.facteurs_difficulte`` and ``ml.simulations_entreprise``.
The learning never builds a layer: ``apprentissage`` (the command « apprendre ») runs
(a) then (b) on the layers as they are and says to run « transformer » again. Each model
leaves its card in ``sorties/modeles/<entrepot>/<modele>/``; a step below its minimum
(``[apprentissage.*]`` settings) says so in one line instead of failing (flows.manques).
Tasks exchange Parquet files of a working folder, never a connection; no Prefect cache
(the warehouse changes under the same inputs).
"""

from __future__ import annotations

import tempfile

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import warehouse
from flows.config import chemin_entrepot
from flows.erreurs import ErreurUtilisateur
from flows.ml import cartes, etapes

classer_rome = task(name="classer les codes ROME", cache_policy=NO_CACHE)(etapes.classer_rome)
regrouper_doublons = task(name="regrouper les doublons", cache_policy=NO_CACHE)(etapes.regrouper_doublons)
enregistrer = task(name="enregistrer les prédictions", cache_policy=NO_CACHE)(etapes.enregistrer)
facteurs_difficulte = task(name="facteurs de difficulté", cache_policy=NO_CACHE)(etapes.facteurs_difficulte)

# what each part reads, built by « transformer »
TABLES_CLASSEMENT = ("prep.offres", "prep.recrutements", "prep.rome")
TABLES_FACTEURS = ("int.offres", "int.recrutements", "analyse.tension_marche")


def verifier_entrepot(entrepot: str, tables: tuple[str, ...] = TABLES_CLASSEMENT) -> None:
    """The learning reads layers it never builds: without them, one French line, not a trace."""
    with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
        presentes = {f"{s}.{t}" for s, t in con.execute(
            "select table_schema, table_name from information_schema.tables").fetchall()}
    manquantes = sorted(set(tables) - presentes)
    if manquantes:
        raise ErreurUtilisateur(f"tables absentes ({', '.join(manquantes)}) : "
                                "lancez d'abord « python -m flows transformer »")


@flow(name="apprentissage : codes ROME et doublons", log_prints=True)
def classement_et_doublons(entrepot: str | None = None, reentrainer: bool = False,
                           complet: bool = False) -> str:
    """Part (a): from prep to ml.predictions_rome and ml.doublons; returns a French summary.
    ``reentrainer``: retrain the classifier even if its examples changed little;
    ``complet``: compare every offer again (deduplication)."""
    base = str(chemin_entrepot(entrepot))
    verifier_entrepot(base, TABLES_CLASSEMENT)
    with tempfile.TemporaryDirectory(prefix="apprentissage-") as travail:
        classement = classer_rome(base, travail, reentrainer)
        groupes = regrouper_doublons(base, classement["fichier"], travail, complet)
        enregistrer(base, classement["fichier"], groupes["fichier"], groupes["etat"])
    texte = cartes.resume_classement(classement, groupes)
    print(texte)
    return texte


@flow(name="apprentissage : facteurs de difficulté", log_prints=True)
def facteurs(entrepot: str | None = None, reentrainer: bool = False) -> str:
    """Part (b): from int and analyse to ml.facteurs_difficulte and ml.simulations_entreprise.
    ``reentrainer``: estimate the drivers again even if their observations changed little."""
    base = str(chemin_entrepot(entrepot))
    verifier_entrepot(base, TABLES_FACTEURS)
    texte = cartes.resume_facteurs(facteurs_difficulte(base, reentrainer), base)
    print(texte)
    return texte


@flow(name="apprentissage", log_prints=True)
def apprentissage(entrepot: str | None = None, reentrainer: bool = False, complet: bool = False) -> str:
    """Both parts on the layers as they are (the command « apprendre »); returns a French
    summary that says to run « transformer » for the layers to use the new outputs."""
    base = str(chemin_entrepot(entrepot))
    verifier_entrepot(base, TABLES_CLASSEMENT + TABLES_FACTEURS)
    texte = "\n".join([classement_et_doublons(base, reentrainer, complet), facteurs(base, reentrainer),
                       cartes.RELANCER])
    print(cartes.RELANCER)
    return texte
