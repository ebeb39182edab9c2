"""The truth of the passerelles planted in the demo: the "qualification" pilot's fix is
the pool of neighbouring occupations (``scenario.PASSERELLES``), counted here from the
generated jobseeker statistics themselves, in the pilot's département and in the year of
its latest requisition (what its report must show)."""

from __future__ import annotations

from typing import Any

from flows.demo.entreprises import Pilote
from flows.demo.scenario import PASSERELLES
from flows.demo.statistiques import Demandeurs


def verite(demandeurs: Demandeurs, pilotes: list[Pilote]) -> dict[str, Any]:
    """Names the pilot, its département and year, and each planted neighbour's mean
    category-A and A, B, C stocks over that year's months (as tension_marche averages them)."""
    pilote = next(p for p in pilotes if p.cause == "qualification")
    rome = PASSERELLES["rome_v3"]
    annee = max(r.ouverture.year for r in pilote.resumes if r.rome == rome)
    departement = pilote.commune.dep
    indices = demandeurs.indices("DEP", departement)
    mois = [t for t, m in enumerate(demandeurs.mois) if m.startswith(str(annee))]

    def stock(code: str, categorie: str) -> float:
        serie = demandeurs.valeur(code, categorie, "demandeurs", indices)
        return float(sum(int(serie[t]) for t in mois) / len(mois))

    return {
        "entreprise": pilote.entreprise.nom, "rome_v3": rome, "departement": departement,
        "annee": str(annee),
        "voisins": {code: {"demandeurs_a": stock(code, "A"), "demandeurs_abc": stock(code, "ABC")}
                    for code in PASSERELLES["voisins"]},
        "voisin_en_penurie": PASSERELLES["voisin_en_penurie"],
        "lecture": ("le vivier qualifié à portée du site est mince ; les mécaniciens et électriciens de "
                    "maintenance du département, métiers passerelles hors tension, sont le vivier à viser"),
    }
