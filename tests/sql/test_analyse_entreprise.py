"""A pilot company's channels and its offers beside the market ("analyse".process_canaux,
"analyse".offres_entreprise) on a few hand-made requisitions; every expected value is
worked out by hand below."""

from __future__ import annotations

from datetime import date, datetime

import pytest


def _recrutement(entreprise, reference, rome, commune, ouverture, **autres):
    return {"entreprise": entreprise, "reference": reference, "code_rome": rome, "commune_site": commune,
            "date_ouverture": ouverture, "statut": "ouvert"} | autres


def _candidature(entreprise, reference, candidat, canal, *etapes):
    """etapes: the stages reached besides reception (preselection, entretien, embauche)."""
    jour = date(2025, 3, 1)
    return {"entreprise": entreprise, "reference_recrutement": reference, "candidat_hash": candidat, "canal": canal,
            "date_reception": jour} | {f"date_{etape}": jour for etape in etapes}


def test_canaux_par_metier(referentiel, inserer, construire, con):
    inserer("brut.recrutements", [
        _recrutement("Alpha", "R1", "I1304", "21231", date(2025, 3, 1)),
        _recrutement("Alpha", "R2", "I1326", "21231", date(2025, 3, 1)),  # family I1304 too
        _recrutement("Beta", "R3", "H2301", "21231", date(2025, 3, 1)),
    ])
    inserer("brut.candidatures", [
        _candidature("Alpha", "R1", "c1", "jobboard", "preselection", "entretien", "embauche"),
        _candidature("Alpha", "R1", "c2", "jobboard"),
        _candidature("Alpha", "R2", "c3", "apec", "preselection"),
        _candidature("Alpha", "R2", "c4", None),  # channel not given
        _candidature("Beta", "R3", "c5", "apec", "preselection", "entretien"),
        _candidature("Alpha", "R9", "c6", "jobboard", "embauche"),  # no such requisition: left out
    ])
    construire()
    assert con.execute('select * from "analyse".process_canaux order by all').fetchall() == [
        # applications, preselected, interviews, hires, hires per application, share of the role's
        ("Alpha", "I1304", "apec", 1, 1, 0, 0, 0.0, 0.25),
        ("Alpha", "I1304", "inconnu", 1, 0, 0, 0, 0.0, 0.25),
        ("Alpha", "I1304", "jobboard", 2, 1, 1, 1, 0.5, 0.5),
        ("Beta", "H2301", "apec", 1, 1, 1, 0, 0.0, 1.0),
    ]


def test_offres_face_aux_medianes_du_marche(referentiel, inserer, construire, con):
    def offre(oid, employeur, salaire_min, salaire_max, experience, description):
        cree = datetime(2025, 2, 10)
        return {"offre_id": oid, "intitule": "Technicien", "rome_code": "I1304", "commune_insee": "21231",
                "entreprise_nom": employeur, "date_creation": cree, "_version": cree,
                "salaire_min_mensuel": salaire_min, "salaire_max_mensuel": salaire_max,
                "experience_mois": experience, "description": description}

    # the market of I1304 in Côte-d'Or in 2025: salaries 2200 and 2600 (median 2400),
    # experience 12 and 24 months (18), descriptions of 100 and 300 characters (200), no skill listed
    inserer("brut.offres_ft", [offre("O1", "Labo X", 2000.0, 2400.0, 12.0, "x" * 100),
                               offre("O2", "Labo Y", 2600.0, None, 24.0, "y" * 300)])
    inserer("brut.recrutements", [
        # I1326 is in the I1304 family; Beaune is in Côte-d'Or
        _recrutement("Alpha", "R1", "I1326", "21054", date(2025, 4, 1), salaire_min_mensuel=2640.0,
                     experience_requise_mois=24.0, diplome_requis=5, description="z" * 150,
                     competences=["soudure", "hydraulique"], canaux=["apec"]),
        _recrutement("Alpha", "R2", "H2301", "21231", date(2025, 4, 1)),  # no market offer for H2301
    ])
    construire()
    lignes = con.execute(
        "select reference, rome_code_parent, departement, salaire_mensuel, salaire_marche, ecart_salaire_marche, "
        "experience_requise_mois, experience_marche_mois, diplome_requis, diplome_marche, longueur_description, "
        "longueur_description_marche, nb_competences, nb_competences_marche, nb_canaux "
        'from "analyse".offres_entreprise order by all').fetchall()
    assert lignes == [
        ("R1", "I1304", "21", 2640.0, 2400.0, pytest.approx(2640 / 2400 - 1), 24.0, 18.0, 5, None, 150, 200.0,
         2, 0.0, 1),
        ("R2", "H2301", "21", None, None, None, None, None, None, None, None, None, 0, None, 0),
    ]
