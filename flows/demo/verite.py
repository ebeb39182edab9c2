"""``verite.json``: the story planted in the demo, for the tests of the analysis.

Everything here is either a planted parameter (``scenario``) or a figure measured on the
generated rows themselves, so that a test can compare the pipeline's result with it.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from flows.demo.entreprises import Medianes, Pilote, Resume, pourvus
from flows.demo.marche import Entreprise, Marche, courriels_agences
from flows.demo.scenario import (
    DEBUT,
    DEPARTEMENTS,
    EFFETS,
    FIN,
    MANQUE_CANDIDATS,
    METIER_PENURIE,
    METIER_PRINCIPAL,
    METIERS,
    SALAIRE_CONTENU_OFFRE,
)


def mediane(compte: Counter) -> float | None:
    """Median of values counted in a ``Counter`` (the mean of the two middle ones)."""
    valeurs = sorted(compte.elements())
    return statistics.median(valeurs) if valeurs else None


def medianes_marche(marche: Marche) -> Medianes:
    """The market's median requirements per ROME v3 (market offers, pilots excluded)."""
    return {rome: {"experience_annees": mediane(marche.bilan.experiences[rome]),
                   "diplome": mediane(marche.bilan.diplomes[rome]),
                   "salaire_mensuel": mediane(marche.bilan.salaires[rome])}
            for rome in sorted(METIERS) if marche.bilan.experiences[rome]}


def construire(graine: int, echelle: int, marche: Marche, pilotes: list[Pilote], autres: list[Entreprise],
               repartition: dict[str, Any], profils: tuple[Counter[tuple[str, str]], list[tuple[int, float]]],
               bmo: dict[str, Any], medianes: Medianes, fichiers_api: list[str]) -> dict[str, Any]:
    """The truth, as one JSON-ready dict (spooled arrays are poured in by ``ecrire``)."""
    dep21 = {rome: marche.bilan.offres[rome, "21"] for rome in METIERS}
    classement = sorted(dep21, key=lambda r: (-dep21[r], r))
    principal = repartition[METIER_PRINCIPAL]["21"]
    penurie = repartition[METIER_PENURIE]["21"]
    exigences = medianes[METIER_PRINCIPAL]
    comptes_profils, personnes = profils
    gonfle = next(p for p in pilotes if p.cause == "analyse_besoin")
    exp_pilote = statistics.median(r.experience for r in gonfle.resumes if r.rome == METIER_PRINCIPAL)
    dip_pilote = statistics.median(r.diplome for r in gonfle.resumes if r.rome == METIER_PRINCIPAL)
    assert marche.grappes is not None and marche.rome_fichiers is not None  # spooled by ``Marche.ecrire``
    contacts = [p for e in [*autres, *(p.entreprise for p in pilotes)] for p in e.recruteurs]
    return {
        "graine": graine,
        "echelle": echelle,
        "periode": {"debut": DEBUT.isoformat(), "fin": FIN.isoformat()},
        "comptes": {
            "offres_ft": {"offres_distinctes": sum(marche.bilan.offres.values()), "pages": marche.pages,
                          "enregistrements": marche.enregistrements, "mises_a_jour": marche.n_mises_a_jour,
                          "sans_commune": marche.bilan.sans_commune,
                          "publiees_par_les_pilotes": marche.n_pilotes_ft},
            "emploi_bfc": marche.n_bfc, "ats_talentis": marche.n_ats,
            "profils": {f"{m}|{r}": n for (m, r), n in sorted(comptes_profils.items())},
        },
        "marche": {
            "metier_principal": {
                "rome_v3": METIER_PRINCIPAL, "codes_rome_4": sorted(METIERS[METIER_PRINCIPAL].enfants),
                "departement": "21", "rang_offres_departement": classement.index(METIER_PRINCIPAL) + 1,
                **principal},
            "penurie": {"rome_v3": METIER_PENURIE, "departement": "21", **penurie},
            "classement_offres_21": [[rome, dep21[rome]] for rome in classement],
            "offres_et_demandeurs": repartition,
            "definition_demandeurs_par_offre": (
                "entrees_a_par_offre = inscriptions en catégorie A sur les 36 mois (fichier demandeurs, "
                "niveau DEP) / offres France Travail distinctes (identifiants) du ROME v3 et de ses codes "
                "4.0 dans le département ; stock_a_moyen_par_offre = stock moyen de fin de mois / ces offres"),
            "medianes_exigences": medianes,
            "effets_plantes": {
                "multiplicateurs_delai": EFFETS,
                "offres_manque_candidats": MANQUE_CANDIDATS,
                "duree_en_ligne_mediane_jours": {
                    cle: mediane(compte) for cle, compte in marche.bilan.durees.items() if compte},
                "offres_manque_candidats_observe": {
                    "salaire_affiche": _part(marche.bilan.manque, True), "salaire_masque": _part(marche.bilan.manque, False)},
                "lecture": ("une offre reste en ligne jusqu'à sa dernière dateActualisation ; une offre "
                            "encore en ligne au 31/10/2026 n'a pas de mise à jour (censurée)"),
            },
            "departements": DEPARTEMENTS,
        },
        "entreprises_pilotes": [p.verite(medianes) for p in pilotes],
        "difference_de_differences": _did(pilotes),
        "exigences_pilote_analyse_besoin": {
            "rome_v3": METIER_PRINCIPAL, "experience_mediane_pilote": exp_pilote,
            "diplome_pilote": dip_pilote, "salaire_contenu_offre_avant_action": SALAIRE_CONTENU_OFFRE},
        "qualification_demandeurs": {
            "rome_v3": METIER_PRINCIPAL, "departement": "21", "mois": "2026-03",
            "demandeurs": len(personnes),
            "part_au_niveau_du_marche": _proportion(
                personnes, exigences["diplome"], exigences["experience_annees"]),
            "part_au_niveau_du_pilote_analyse_besoin": _proportion(personnes, dip_pilote, exp_pilote),
        },
        "autres_entreprises": sorted(e.nom for e in autres),
        "contacts_recruteurs": {
            "noms": sorted({p.nom_complet for p in contacts}),
            "courriels": sorted({p.courriel for p in contacts}),
            "telephones": sorted({p.telephone for p in contacts}),
            "formes_telephone": "0353011234, 03 53 01 12 34, 03.53.01.12.34, +33 3 53 01 12 34",
            "courriels_agences": sorted(c for dep in DEPARTEMENTS for c in courriels_agences(dep)),
        },
        "doublons": {
            "part_emploi_bfc": round(marche.doublons["emploi-bfc"] / max(1, marche.n_bfc), 3),
            "part_ats_talentis": round(marche.doublons["ats-talentis"] / max(1, marche.n_ats), 3),
            "doublons_internes_ft": marche.doublons["grappes_internes_ft"],
            "regle": ("même entreprise, même département, même ROME v3, dates à quelques jours près, "
                      "intitulé et description légèrement modifiés"),
            "grappes": Deverse(marche.grappes),
        },
        "rome_offres_fichier": Deverse(marche.rome_fichiers),
        "bmo_g1x72_dijon": bmo,
        "api_marche_du_travail": fichiers_api,
    }


class Deverse:
    """A JSON array spooled to a file, one element per line, poured into the truth file
    when it is written (it grows with the scale: never held in memory)."""

    def __init__(self, chemin: Path):
        self.chemin = chemin


def ecrire(chemin: Path, verite: dict[str, Any]) -> None:
    """Write ``verite.json``, pouring in the spooled arrays."""
    deverses: list[Deverse] = []

    def repere(objet: Any) -> Any:
        if isinstance(objet, Deverse):
            deverses.append(objet)
            return f"@@deverse-{len(deverses) - 1}@@"
        if isinstance(objet, dict):
            return {cle: repere(valeur) for cle, valeur in objet.items()}
        return objet

    texte = json.dumps(repere(verite), ensure_ascii=False, indent=1)
    with chemin.open("w", encoding="utf-8") as f:
        for k, deverse in enumerate(deverses):
            avant, texte = texte.split(f'"@@deverse-{k}@@"', 1)
            f.write(avant + "[")
            with deverse.chemin.open(encoding="utf-8") as lignes:
                for n, ligne in enumerate(lignes):
                    f.write(("," if n else "") + "\n  " + ligne.rstrip("\n"))
            f.write("\n ]")
        f.write(texte)


def _did(pilotes: list[Pilote]) -> dict[str, Any]:
    """The action of the "contenu_offre" pilot against the other pilots with enough data
    (median days to fill, before and after the action's start)."""
    traite = next(p for p in pilotes if p.cause == "contenu_offre")
    debut = traite.config.action[1]

    def medianes(resumes: list[Resume]) -> dict[str, float | None]:
        avant = [delai for ouverture, delai in pourvus(resumes) if ouverture < debut]
        apres = [delai for ouverture, delai in pourvus(resumes) if ouverture >= debut]
        return {"avant": statistics.median(avant) if avant else None,
                "apres": statistics.median(apres) if apres else None}

    temoins = [r for p in pilotes if p.cause in ("analyse_besoin", "sourcing", "procedure") for r in p.resumes]
    return {"entreprise": traite.entreprise.nom, "date_action": debut.isoformat(),
            "delai_median_jours_pilote": medianes(traite.resumes),
            "delai_median_jours_temoins": medianes(temoins),
            "temoins": "les trois autres pilotes ayant assez de recrutements",
            "rapport_plante": round(1 / (EFFETS["salaire_masque"] * EFFETS["salaire_sous_marche"]), 3),
            "lecture": ("avant l'action le salaire est masqué (85 %) et à 86 % du marché ; après, affiché "
                        "au niveau du marché : le délai est multiplié par ce rapport, le marché ne change pas")}


def _part(compte: Counter, affiche: bool) -> float | None:
    total = compte[affiche, True] + compte[affiche, False]
    return round(compte[affiche, True] / total, 3) if total else None


def _proportion(personnes: list[tuple[int, float]], diplome: float | None,
                experience: float | None) -> float | None:
    if not personnes or diplome is None or experience is None:
        return None
    return round(sum(1 for d, e in personnes if d >= diplome and e >= experience) / len(personnes), 3)
