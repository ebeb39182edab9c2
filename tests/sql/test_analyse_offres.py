"""What the models add to the offers and where they come from ("analyse".couverture_offres,
"analyse".relais_sites, "analyse".sources) on four hand-made postings; every expected
value is worked out by hand below."""

from __future__ import annotations

from datetime import date, datetime

import pytest


def _ft(oid, jour, rome=None, partenaires=None):
    cree = datetime(2025, 3, jour)
    return {"offre_id": oid, "intitule": f"Offre {oid}", "rome_code": rome, "commune_insee": "21231",
            "date_creation": cree, "_version": cree, "partenaires": partenaires}


@pytest.fixture
def offres(referentiel, inserer, construire, con):
    """A1 (coded, posted first), B1 on the board (coded), A2 (relayed by Indeed, code predicted):
    one vacancy g1; A3 alone (relayed by Indeed, no code: its prediction is to be reviewed)."""
    inserer("brut.offres_ft", [_ft("A1", 2, "I1304"), _ft("A2", 5, partenaires=["Indeed"]),
                               _ft("A3", 4, partenaires=["Indeed"])])
    inserer("brut.offres_fichier", [{"plateforme": "emploi-bfc", "offre_id": "B1", "intitule": "Technicien",
                                     "rome_code": "H2301", "commune_insee": "21231",
                                     "date_creation": date(2025, 3, 3)}])
    inserer("ml.doublons", [{"source": "france-travail", "offre_id": o, "doublon_de": "g1"} for o in ("A1", "A2")]
            + [{"source": "emploi-bfc", "offre_id": "B1", "doublon_de": "g1"}])
    inserer("ml.predictions_rome", [
        {"objet": "offre", "source": "france-travail", "identifiant": "A2", "rome_code": "I1326", "a_revoir": False},
        {"objet": "offre", "source": "france-travail", "identifiant": "A3", "rome_code": "K2402", "a_revoir": True}])
    construire()
    return con


def test_couverture_des_codes_et_annonces_distinctes(offres):
    assert offres.execute('select * from "analyse".couverture_offres order by all').fetchall() == [
        # source, offers, code given, predicted, none, distinct vacancies
        ("emploi-bfc", 1, 1, 0, 0, 1),
        ("france-travail", 3, 1, 1, 1, 2),  # g1 and A3
        ("toutes", 4, 2, 1, 1, 2),
    ]


def test_relais_par_site(offres):
    # g1 in order of creation: A1 (2 March, the original), B1 (3), A2 (5): B1 and A2 are relays
    assert offres.execute('select * from "analyse".relais_sites order by all').fetchall() == [
        ("emploi-bfc", "emploi-bfc", 1, 1, 1, 1.0),
        ("emploi-bfc", "tous", 1, 1, 1, 1.0),
        ("france-travail", "Indeed", 2, 1, 1, 0.5),  # A2 relays, A3 alone
        ("france-travail", "dépôt direct", 1, 1, 0, 0.0),
        ("france-travail", "tous", 3, 2, 1, round(1 / 3, 4)),
        ("toutes", "tous", 4, 3, 2, 0.5),
    ]


def test_sources_chargements_et_periodes(offres, construire):
    def chargement(source, sha256, jour, lues, rejetees):
        offres.execute("insert into controle.chargements values (?, ?, ?, ?, ?, 0, 0, 0, ?, null)",
                       [source, f"{sha256}.json", sha256, datetime(2026, 1, jour, 8), lues, rejetees])

    # the same file loaded twice (its last attempt counts), and another one
    chargement("offres-ft", "a", 1, 10, 2)
    chargement("offres-ft", "a", 2, 10, 0)
    chargement("offres-ft", "b", 3, 5, 1)
    chargement("rome", "r", 1, 100, 0)
    construire()
    assert offres.execute('select * from "analyse".sources order by all').fetchall() == [
        ("offres-ft", 2, 15, 14, 1, datetime(2026, 1, 1, 8), datetime(2026, 1, 3, 8), date(2025, 3, 2),
         date(2025, 3, 5)),
        ("rome", 1, 100, 100, 0, datetime(2026, 1, 1, 8), datetime(2026, 1, 1, 8), None, None),  # no data dates
    ]

