"""Pseudonyms, report file names, French formats and the masking of names in free text."""

from __future__ import annotations

import pytest

from flows.render.commun import (
    ecart,
    jour,
    lettres,
    nombre,
    pourcent,
    pseudonymes,
    remplacer_noms,
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
    remplacements = {"Alpha Pharma": "Entreprise B", "Alpha": "Entreprise Z"}
    assert remplacer_noms("Chez ALPHA PHARMA et alpha", remplacements) == "Chez Entreprise B et Entreprise Z"
    assert remplacer_noms(None, remplacements) is None


def test_formats_francais():
    assert nombre(1234.5, 1) == "1\u202f234,5"
    assert nombre(float("nan")) == "—"
    assert pourcent(0.256) == "26\u202f%"
    assert ecart(-0.071) == "−7\u202f%" and ecart(0.09) == "+9\u202f%"
    assert jour("2025-03-12") == "12/03/2025"
    assert formater(45.0, "jours") == "45 jours"
    assert diplome(5) == "bac+2 (niveau 5)" and diplome(5.5) == "niveau 5,5"
