"""Pseudonyms, report file names, French formats and the masking of names in free text."""

from __future__ import annotations

import pytest

from flows.render.commun import (
    Masque,
    ecart,
    jour,
    lettres,
    nombre,
    pourcent,
    pseudonymes,
    slug,
    slugs,
)
from flows.render.libelles import diplome, formater


@pytest.mark.parametrize(("nom", "attendu"), [
    ("Laboratoires Fictifs de l'Ouche", "laboratoires-fictifs-de-l-ouche"),
    ("BioChimère Santé", "biochimere-sante"),
    ("../../etc/passwd", "etc-passwd"),
    ("Delta <b>Santé</b> & Cie", "delta-b-sante-b-cie"),
    ("…", "entreprise"),
])
def test_slug_ascii_sans_chemin(nom, attendu):
    assert slug(nom) == attendu


def test_slugs_distincts():
    assert slugs(["Alpha SA", "ALPHA S.A.", "Beta"]) == {"ALPHA S.A.": "alpha-s-a", "Alpha SA": "alpha-sa",
                                                         "Beta": "beta"}
    assert slugs(["A-B", "A B"]) == {"A B": "a-b", "A-B": "a-b-2"}


def test_lettres():
    assert [lettres(i) for i in (0, 1, 25, 26, 27, 701, 702)] == ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]


def test_pseudonymes_stables_et_consentement():
    noms = ["Alpha", "Beta", "Gamma"]
    une = pseudonymes(noms, [], "Entreprise {lettre}", b"sel")
    assert sorted(une.libelles.values()) == ["Entreprise A", "Entreprise B", "Entreprise C"]
    # same salt, any order of the list: same letters
    assert pseudonymes(list(reversed(noms)), [], "Entreprise {lettre}", b"sel") == une
    # a consenting company keeps its name; the others keep their letters
    nommee = pseudonymes(noms, ["Beta"], "Entreprise {lettre}", b"sel")
    assert nommee("Beta") == "Beta"
    assert nommee("Alpha") == une("Alpha") and nommee("Gamma") == une("Gamma")
    # letters follow the salted hashes (Beta 02ed…, Gamma ad62…, Alpha ffac…), not the alphabet
    assert [une(n) for n in noms] == ["Entreprise C", "Entreprise A", "Entreprise B"]


def test_noms_masques_dans_le_texte_libre():
    masque = Masque({"Alpha Pharma": "Entreprise B", "Alpha": "Entreprise Z"})
    assert masque("Chez ALPHA PHARMA et alpha") == "Chez Entreprise B et Entreprise Z"
    assert masque(None) is None


PILOTES = {"Laboratoires Fictifs de l'Ouche": "Entreprise A", "Pharma Imaginaire de Bourgogne": "Entreprise B",
           "BioChimère Santé": "Entreprise C", "Galénique Inventée SAS": "Entreprise D"}


@pytest.mark.parametrize(("texte", "attendu"), [
    # contacts, and any pilot's references (whole, any case; too short ones are not references)
    ("Relancer la réf. BCS-2025-0041 et gis-2026-0088 (Karim Pseudonyme 06 39 98 34 36)",
     "Relancer la réf. [référence masquée] et [référence masquée] (Karim Pseudonyme [téléphone masqué])"),
    ("BCS-2025-00411 ou XBCS-2025-0041, 12 jours", "BCS-2025-00411 ou XBCS-2025-0041, 12 jours"),
    # names in any case and accent spelling, and their distinctive words
    ("Comme BIOCHIMERE SANTE, BioChimère et Pharma Imaginaire", "Comme Entreprise C, Entreprise C et Entreprise B"),
    ("les Laboratoires Fictifs de l'Ouche et galenique-inventée", "les Entreprise A et Entreprise D"),
    ("Fictifs de la région", "Entreprise A de la région"),
    # generic words of a name alone are no name
    ("la santé et la pharma de Bourgogne, des laboratoires", "la santé et la pharma de Bourgogne, des laboratoires"),
])
def test_masque_des_textes_libres(texte, attendu):
    assert Masque(PILOTES, frozenset({"BCS-2025-0041", "GIS-2026-0088", "12"}))(texte) == attendu


def test_masque_des_references_nombreuses_et_composees():
    """Tens of thousands of references (a pilot's requisitions at a million offers) are
    masked whole as one; a reference holding a space or a slash as well."""
    references = frozenset({f"REC-{i:06d}" for i in range(60_000)} | {"DRH 2025/17", "AB_12"})
    masque = Masque({}, references)
    assert masque("rec-000123, REC-0001234, REC-000123b, ab_12 et drh 2025/17 ; DRH 2025/170") == (
        "[référence masquée], REC-0001234, REC-000123b, [référence masquée] et [référence masquée] ; DRH 2025/170")


def test_masque_garde_le_nom_qui_reste():
    masque = Masque({"BioChimère Santé": "BioChimère Santé", "Pharma Imaginaire de Bourgogne": "[autre entreprise]"})
    assert masque("BIOCHIMERE SANTE et Pharma Imaginaire") == "BioChimère Santé et [autre entreprise]"


def test_formats_francais():
    assert nombre(1234.5, 1) == "1\u202f234,5"
    assert nombre(float("nan")) == "—"
    assert pourcent(0.256) == "26\u202f%"
    assert ecart(-0.071) == "−7\u202f%" and ecart(0.09) == "+9\u202f%"
    assert jour("2025-03-12") == "12/03/2025"
    assert formater(45.0, "jours") == "45 jours"
    assert diplome(5) == "bac+2 (niveau 5)" and diplome(5.5) == "niveau 5,5"


def test_masque_des_personnes_dans_les_actions_seulement():
    masque = Masque({"BioChimère Santé": "Entreprise C", "Laboratoires Fictifs de l'Ouche": "Laboratoires Fictifs "
                                                                                             "de l'Ouche"})
    action = "Voir avec Karim Pseudonyme chez BioChimère Santé et les Laboratoires Fictifs de l'Ouche"
    assert masque(action, personnes=True) == (
        "Voir avec [nom masqué] chez Entreprise C et les Laboratoires Fictifs de l'Ouche")
    assert masque("Technicien Maintenance Industrielle") == "Technicien Maintenance Industrielle"


def test_horodatage_dans_l_heure_repetee_d_octobre(monkeypatch):
    """The dashboard's times are ``flows.formats.heure_paris``'s: in the hour the change to
    winter time repeats (25/10/2026, 02:00-03:00 twice), the offset tells the two apart,
    for an aware instant as for a naive one of the machine's clock (here UTC)."""
    import time
    from datetime import UTC, datetime

    from flows.render.commun import horodatage

    assert horodatage(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == "25/10/2026 à 02:30 UTC+2"
    assert horodatage(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == "25/10/2026 à 02:30 UTC+1"
    assert horodatage("2026-10-25T02:30:00+01:00") == "25/10/2026 à 02:30 UTC+1"
    assert horodatage(datetime(2026, 10, 25, 3, 30, tzinfo=UTC)) == "25/10/2026 à 04:30"  # no longer ambiguous
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert horodatage(datetime(2026, 10, 25, 0, 30)) == "25/10/2026 à 02:30 UTC+2"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_une_seule_definition_de_l_heure_de_paris():
    """Paris time is defined once, in flows/formats.py; every other module takes it there."""
    from flows.config import RACINE

    autres = [str(f.relative_to(RACINE)) for f in sorted((RACINE / "flows").rglob("*.py"))
              if f.name != "formats.py" and ("Europe/Paris" in (texte := f.read_text(encoding="utf-8"))
                                             or "ZoneInfo(" in texte)]
    assert autres == []
