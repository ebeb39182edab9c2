"""Company process indicators, qualified pool, diagnosis, peer benchmark with statistical
secrecy and pilot follow-up, on tiny hand-made records. Expected values are worked out
by hand in the comments."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from flows import suivi

J = date(2025, 1, 1)


def _jour(d: str | None) -> date | None:
    return None if d is None else date.fromisoformat(d)


def _recrutement(entreprise, ref, rome, ouverture, cloture, statut, **autres):
    return {"entreprise": entreprise, "reference": ref, "code_rome": rome, "commune_site": "21231",
            "date_ouverture": _jour(ouverture), "date_cloture": _jour(cloture), "statut": statut,
            "nombre_postes": 1, "diplome_requis": 5} | autres


def _candidature(entreprise, ref, candidat, canal, reception, preselection=None, entretien=None,
                 proposition=None, embauche=None, desistement=None, refus=None):
    return {"entreprise": entreprise, "reference_recrutement": ref, "candidat_hash": candidat, "canal": canal,
            "date_reception": _jour(reception), "date_preselection": _jour(preselection),
            "date_entretien": _jour(entretien), "date_proposition": _jour(proposition),
            "date_embauche": _jour(embauche), "date_desistement": _jour(desistement), "date_refus": _jour(refus)}


def _stat(rome, mois, categorie, demandeurs, entrees=None, sorties=None):
    return {"code_rome": rome, "type_territoire": "DEP", "code_territoire": "21", "type_periode": "MOIS",
            "periode": mois, "date_debut": date.fromisoformat(mois + "-01"), "categorie": categorie,
            "demandeurs": demandeurs, "entrees": entrees, "sorties": sorties}


def _offre_marche(oid, rome, salaire, experience, longueur, jour=10):
    moment = datetime(2025, 2, jour)
    return {"offre_id": oid, "intitule": "Offre", "rome_code": rome, "commune_insee": "21231",
            "date_creation": moment, "_version": moment, "salaire_min_mensuel": salaire,
            "salaire_max_mensuel": salaire, "experience_mois": experience, "description": "m" * longueur}


@pytest.fixture
def entrepot(referentiel, inserer, construire, con):
    # market, Côte-d'Or 2025: I1304 salaries 2400 and 2600, experience 12 and 24 months,
    # descriptions of 500 and 700 characters, 3 and 0 skills, Bac+2 asked once
    inserer("brut.offres_ft", [
        _offre_marche("M1", "I1304", 2400.0, 12.0, 500), _offre_marche("M2", "I1304", 2600.0, 24.0, 700),
        *[_offre_marche(f"H{i}", "H2301", 2000.0, 0.0, 400, jour=i) for i in range(1, 6)],
        _offre_marche("K1", "K2402", 2000.0, 12.0, 400),
    ])
    inserer("brut.offres_ft_competences", [{"offre_id": "M1", "rang": r, "libelle": f"c{r}"} for r in (1, 2, 3)])
    inserer("brut.offres_ft_formations", [{"offre_id": "M1", "rang": 1, "niveau_libelle": "Bac+2 ou équivalents",
                                           "exigence": "E"}])
    inserer("brut.demandeurs_stat", [
        _stat("I1304", "2025-01", "A", 40, 10), _stat("I1304", "2025-01", "ABC", 50, None, 5),
        _stat("H2301", "2025-01", "A", 1, 2), _stat("K2402", "2025-01", "A", 30, 30),
    ])
    # Alpha, I1304: R1 filled in 30 days, R2 in 60, R3 abandoned, R4 open
    inserer("brut.recrutements", [
        _recrutement("Alpha", "R1", "I1304", "2025-01-01", "2025-01-31", "pourvu", salaire_affiche=True,
                     salaire_min_mensuel=2000.0, salaire_max_mensuel=2400.0, experience_requise_mois=24.0,
                     canaux=["france_travail", "jobboard"], description="x" * 300, competences=["a", "b"]),
        _recrutement("Alpha", "R2", "I1304", "2025-02-01", "2025-04-02", "pourvu", salaire_affiche=False,
                     experience_requise_mois=36.0, canaux=["france_travail"], description="x" * 100,
                     competences=["a"]),
        _recrutement("Alpha", "R3", "I1304", "2025-03-01", "2025-03-21", "abandonne", salaire_affiche=True,
                     salaire_min_mensuel=1800.0, experience_requise_mois=12.0, canaux=["interim"],
                     description="x" * 100),
        _recrutement("Alpha", "R4", "I1304", "2025-06-01", None, "ouvert", experience_requise_mois=24.0,
                     description="x" * 300),
        # Gamma hires in a market with fewer new jobseekers than offers (H2301: 2 for 5)
        _recrutement("Gamma", "G1", "H2301", "2025-02-01", "2025-05-01", "pourvu", experience_requise_mois=0.0,
                     description="x" * 400, salaire_affiche=True, salaire_min_mensuel=2000.0),
        # Delta asks what the market asks (12 months, Bac+2) but the pool lacks it
        _recrutement("Delta", "D1", "K2402", "2025-02-01", "2025-05-01", "pourvu", experience_requise_mois=12.0,
                     description="x" * 400, salaire_affiche=True, salaire_min_mensuel=2000.0),
        # Epsilon hires in Gamma's short market, hides the salary, yet fills in 23 days
        _recrutement("Epsilon", "E1", "H2301", "2025-02-01", "2025-02-24", "pourvu", experience_requise_mois=0.0,
                     description="x" * 400, salaire_affiche=False),
        # Zeta's only requisition is still open: nothing closed, nothing to measure
        _recrutement("Zeta", "Z1", "K2402", "2025-03-01", None, "ouvert", experience_requise_mois=12.0,
                     description="x" * 400),
    ])
    inserer("brut.candidatures", [
        _candidature("Alpha", "R1", "c1", "jobboard", "2025-01-05", "2025-01-08", "2025-01-15", "2025-01-20",
                     embauche="2025-01-28"),
        _candidature("Alpha", "R1", "c2", "france_travail", "2025-01-06", refus="2025-01-10"),
        _candidature("Alpha", "R1", "c3", "jobboard", "2025-01-07", "2025-01-09", "2025-01-16",
                     desistement="2025-01-18"),
        _candidature("Alpha", "R2", "c4", "france_travail", "2025-02-10", "2025-02-12", "2025-02-20", "2025-03-01",
                     desistement="2025-03-03"),
        _candidature("Alpha", "R2", "c5", "jobboard", "2025-02-11", "2025-02-14", "2025-02-25", "2025-03-20",
                     embauche="2025-04-01"),
    ])
    # January profiles: P1 in Dijon (36 months, Bac+2, 10 km), P2 in Talant 2.5 km away
    # (12 months, 5 km), P3 in Beaune 37 km away (radius 20 km), P4 in Mâcon (other département)
    profil = {"mois": date(2025, 1, 1), "code_rome": "I1304", "niveau_diplome": 5}
    inserer("brut.profils_demandeurs", [
        profil | {"demandeur_hash": "p1", "commune_insee": "21231", "experience_annees": 3.0, "rayon_mobilite_km": 10.0},
        profil | {"demandeur_hash": "p2", "commune_insee": "21617", "experience_annees": 1.0, "rayon_mobilite_km": 5.0},
        profil | {"demandeur_hash": "p3", "commune_insee": "21054", "experience_annees": 5.0, "rayon_mobilite_km": 20.0,
                  "niveau_diplome": 6},
        profil | {"demandeur_hash": "p4", "commune_insee": "71270", "experience_annees": 5.0, "rayon_mobilite_km": 50.0},
        # 25 K2402 jobseekers in Dijon, none with experience
        *[{"mois": date(2025, 1, 1), "code_rome": "K2402", "niveau_diplome": 5, "demandeur_hash": f"k{i}",
           "commune_insee": "21231", "experience_annees": 0.0} for i in range(25)],
    ])
    construire()
    return con


def _process(con, entreprise, rome="I1304"):
    return con.execute('select * from "analyse".process_entreprise where entreprise = ? and rome_code_parent = ? '
                       "and type_periode = 'ensemble'", [entreprise, rome]).df().iloc[0]


def test_volumes_delais_et_entonnoir(entrepot):
    p = _process(entrepot, "Alpha")
    assert (p.recrutements, p.pourvus, p.abandonnes, p.en_cours) == (4, 2, 1, 1)
    assert p.taux_abandon == pytest.approx(1 / 3)
    assert p.delai_pourvoi_median_jours == 45  # 30 and 60 days
    assert p.delai_pourvoi_p75_jours == pytest.approx(52.5)  # 30 + 0.75 x 30
    assert p.candidatures_par_recrutement == pytest.approx(5 / 4)  # 3 + 2 + 0 + 0
    # 4 of 5 preselected, 4 interviewed, 3 offers, 2 hires
    assert (p.taux_preselection, p.taux_entretien, p.taux_proposition, p.taux_acceptation) == pytest.approx(
        (4 / 5, 4 / 4, 3 / 4, 2 / 3))
    # c3 withdrew after the interview, c4 after the offer
    assert (p.desistements, p.desistements_apres_entretien, p.desistements_apres_proposition) == (2, 2, 1)
    assert p.taux_desistement_apres_entretien == pytest.approx(2 / 4)
    # stage delays: preselection 3, 2, 2, 3; interview 7, 7, 8, 11; offer 5, 9, 23; hire 8, 12
    assert (p.delai_preselection_median_jours, p.delai_entretien_median_jours, p.delai_proposition_median_jours,
            p.delai_embauche_median_jours, p.delai_reception_proposition_median_jours) == (2.5, 7.5, 9, 10, 19)


def test_canaux(entrepot):
    p = _process(entrepot, "Alpha")
    assert p.nb_canaux_moyen == pytest.approx((2 + 1 + 1 + 0) / 4)
    assert list(p.canaux) == ["france_travail", "interim", "jobboard"]
    canaux = entrepot.execute("select canal, candidatures, embauches, rendement, part_candidatures "
                              "from \"analyse\".process_canaux where entreprise = 'Alpha' order by canal").fetchall()
    assert canaux == [("france_travail", 2, 0, 0.0, 0.4), ("jobboard", 3, 2, pytest.approx(2 / 3), 0.6)]


def test_offres_face_au_marche(entrepot):
    p = _process(entrepot, "Alpha")
    assert p.part_salaire_affiche == 0.5  # R1 and R3
    assert (p.salaire_median, p.salaire_marche) == (2000, 2500)  # midpoints 2200 and 1800; market 2400, 2600
    assert p.ecart_salaire_marche == pytest.approx(2000 / 2500 - 1)
    assert (p.experience_requise_mediane_mois, p.experience_marche_mois) == (24, 18)
    assert (p.diplome_requis_median, p.diplome_marche) == (5, 5)
    assert (p.longueur_description_mediane, p.longueur_description_marche) == (200, 600)
    assert (p.nb_competences_median, p.nb_competences_marche) == (0.5, 1.5)  # 2, 1, 0, 0 against 3 and 0


def test_vivier_qualifie(entrepot):
    p = _process(entrepot, "Alpha")
    # paper: P1, P2, P3 (Côte-d'Or); within reach: P1, P2; qualified: R1 (24 months) P1,
    # R2 (36) P1, R3 (12) P1 and P2, R4 (24) P1 -> median 1
    assert (p.vivier_papier, p.vivier_a_portee, p.vivier_qualifie) == (3, 2, 1)
    assert p.part_vivier_qualifie == pytest.approx(1 / 3)


def _diagnostic(con, entreprise, rome):
    return con.execute('select cause, sous_cause, sous_causes, difficulte from "analyse".diagnostic '
                       "where entreprise = ? and rome_code_parent = ? and type_periode = 'ensemble'",
                       [entreprise, rome]).fetchone()


def test_diagnostic_et_preuves(entrepot):
    # Alpha: salary 20 % under the market (force 0.20 / 0.05 = 4), descriptions 200 < 300
    # (force 1.5), half the interviewed withdraw (0.5 / 0.3 = 1.67); 1 of 3 closed abandoned
    cause, sous_cause, sous_causes, difficulte = _diagnostic(entrepot, "Alpha", "I1304")
    assert (cause, sous_cause, list(sous_causes), difficulte) == (
        "process", "contenu_offre", ["contenu_offre", "procedure"], True)
    preuves = entrepot.execute("""
        select regle, valeur, reference, seuil, force from "analyse".diagnostic_preuves
        where entreprise = 'Alpha' and type_periode = 'ensemble' and declenchee order by regle""").fetchall()
    assert preuves == [
        ("abandons", pytest.approx(1 / 3), None, 0.25, pytest.approx(4 / 3)),
        ("description_courte", 200, 600, 300, 1.5),
        ("desistements", 0.5, None, 0.3, pytest.approx(0.5 / 0.3)),
        ("salaire_sous_marche", pytest.approx(-0.2), 0, -0.05, pytest.approx(4.0)),
    ]
    # Gamma: 2 new jobseekers for 5 offers in H2301
    assert _diagnostic(entrepot, "Gamma", "H2301")[0] == "penurie"
    # Delta: asks the market's 12 months; 25 jobseekers on paper, none qualified
    assert _diagnostic(entrepot, "Delta", "K2402")[0] == "qualification"


def test_pas_de_cause_sans_difficulte(entrepot):
    # Epsilon, H2301: filled in 23 days (not over 45), 0 of 1 closed abandoned (not over
    # 25 %): no difficulty, so no cause, although the market is short (2 new jobseekers
    # for 5 offers) and the salary is hidden (0 % shown, under 50 %)
    assert _diagnostic(entrepot, "Epsilon", "H2301") == ("pas_de_difficulte", None, [], False)
    preuves = entrepot.execute("""
        select regle, valeur, seuil, depasse, declenchee from "analyse".diagnostic_preuves
        where entreprise = 'Epsilon' and type_periode = 'ensemble'
          and regle in ('delai_pourvoi', 'abandons', 'penurie_marche', 'salaire_masque') order by regle""").fetchall()
    assert preuves == [("abandons", 0.0, 0.25, False, False), ("delai_pourvoi", 23.0, 45.0, False, False),
                       ("penurie_marche", 0.4, 1.0, True, True), ("salaire_masque", 0.0, 0.5, True, True)]
    # the same year, one row per period: 2025 as well
    assert entrepot.execute("""select type_periode, periode, cause from "analyse".diagnostic
        where entreprise = 'Epsilon' order by type_periode""").fetchall() == [
        ("annee", "2025", "pas_de_difficulte"), ("ensemble", "ensemble", "pas_de_difficulte")]
    # Zeta, K2402: its one requisition is open, neither time to fill nor abandons measured
    assert _diagnostic(entrepot, "Zeta", "K2402") == ("non_mesurable", None, [], False)


def _pilotes(inserer, volumes: dict[str, int], delais: dict[str, int]) -> None:
    lignes = []
    for entreprise, nombre in volumes.items():
        for i in range(nombre):
            debut = J + timedelta(days=i)
            lignes.append(_recrutement(entreprise, f"{entreprise}-{i}", "I1304", debut.isoformat(),
                                       (debut + timedelta(days=delais[entreprise])).isoformat(), "pourvu"))
    inserer("brut.recrutements", lignes)


def test_secret_statistique_deux_pairs(referentiel, inserer, construire, con):
    _pilotes(inserer, {"A": 2, "B": 2, "C": 2}, {"A": 10, "B": 20, "C": 30})
    construire()
    lignes = con.execute("""select entreprise, valeur, secret, motif_secret, nb_pairs, pairs_moyenne, pairs_mediane
        from "analyse".benchmark where indicateur = 'delai_pourvoi_median_jours' and type_periode = 'ensemble'
        order by entreprise""").fetchall()
    motif = "moins de 3 autres entreprises pilotes sur ce métier (2)"
    assert lignes == [(e, v, True, motif, None, None, None) for e, v in (("A", 10), ("B", 20), ("C", 30))]


def test_secret_statistique_pair_dominant(referentiel, inserer, construire, con):
    # for A, peers B, C, D: D has 30 of 32 requisitions (94 % > 85 %): secret;
    # for D, peers A, B, C weigh 1/3 each: published, mean (10 + 20 + 30) / 3 = 20
    _pilotes(inserer, {"A": 1, "B": 1, "C": 1, "D": 30}, {"A": 10, "B": 20, "C": 30, "D": 40})
    construire()
    lignes = dict(con.execute("""select entreprise, (secret, motif_secret, nb_pairs, pairs_moyenne, pairs_mediane)
        from "analyse".benchmark where indicateur = 'delai_pourvoi_median_jours' and type_periode = 'ensemble'
        """).fetchall())
    dominance = "une entreprise représente plus de 85 % des recrutements des autres entreprises pilotes"
    assert lignes["A"] == (True, dominance, None, None, None)
    assert lignes["D"] == (False, None, 3, 20.0, 20.0)


def test_suivi_difference_de_differences():
    # company: 8 requisitions before at 60 days, 8 after at 40; control: 50 before and after
    recrutements = pd.DataFrame(
        [("Alpha", "I1304", date(2025, 1, 1) + timedelta(days=i), 60.0) for i in range(8)]
        + [("Alpha", "I1304", date(2025, 3, 1) + timedelta(days=i), 40.0) for i in range(8)]
        + [("Beta", "I1304", date(2025, 1, 1) + timedelta(days=10 * i), 50.0) for i in range(12)],
        columns=["entreprise", "rome_code_parent", "date_ouverture", "delai_pourvoi_jours"])
    actions = pd.DataFrame([("Alpha", "Afficher le salaire", date(2025, 3, 1), "delai_pourvoi")],
                           columns=["entreprise", "action", "date_debut", "indicateur_cible"])
    regles = {"fenetre_mois": 12, "min_recrutements": 5, "tirages_bootstrap": 200, "niveau_confiance": 0.95,
              "graine": 1}
    (ligne,) = suivi.evaluer(actions, recrutements, regles).to_dict("records")
    assert (ligne["recrutements_avant"], ligne["recrutements_apres"]) == (8, 8)
    assert (ligne["temoin_avant"], ligne["temoin_apres"]) == (6, 6)  # Beta before and after 1 March
    assert ligne["effet"] == -20.0  # (40 - 60) - (50 - 50), constant groups: the interval is the point
    assert (ligne["ic_bas"], ligne["ic_haut"], ligne["verdict"]) == (-20.0, -20.0, "amélioration nette")
    peu = suivi.evaluer(actions, recrutements.iloc[5:], regles).iloc[0]
    assert peu["verdict"] == "trop peu de données" and pd.isna(peu["effet"])


def test_suivi_lit_les_recrutements_dans_un_ordre_fixe(referentiel, inserer, construire, con):
    # the seeded bootstrap draws rows by position: they are read by company then reference,
    # whatever order they were loaded in
    inserer("brut.recrutements", [_recrutement(e, r, "I1304", "2025-01-10", None, "ouvert")
                                  for e, r in [("Beta", "R2"), ("Alpha", "R3"), ("Beta", "R1"), ("Alpha", "R1")]])
    construire()
    lues = suivi._recrutements(con)
    assert list(zip(lues.entreprise, lues.reference, strict=True)) == [
        ("Alpha", "R1"), ("Alpha", "R3"), ("Beta", "R1"), ("Beta", "R2")]
