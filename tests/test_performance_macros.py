"""The SQL helpers of the bulk France Travail loader (sql/macros) against the Python rules
they stand for: on every Unicode code point, on the real offers, and on generated values."""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows import warehouse
from flows.confidentialite import TELEPHONE, masquer_coordonnees
from flows.config import bornes_des_dates
from flows.lecture.valeurs import (
    ValeurInvalide,
    lire_booleen,
    lire_decimal,
    lire_effectif,
    lire_horodatage,
    vide,
)

CARACTERES = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]  # no surrogates in UTF-8


@pytest.fixture(scope="module")
def sql():
    con = duckdb.connect()
    warehouse.creer_macros(con)

    def appliquer(expression: str, *valeurs):
        return con.execute(f"select {expression}", list(valeurs)).fetchall()[0][0]

    yield appliquer
    con.close()


def _tous(sql, expression: str) -> set[str]:
    """The code points for which a SQL predicate on ``chr(c)`` holds."""
    return set(sql(f"list(chr(c::integer)) filter (where {expression}) from unnest(?) t(c)",
                   [ord(c) for c in CARACTERES]))


def test_vide_et_sans_espaces_comme_python_sur_chaque_caractere(sql):
    espaces = {c for c in CARACTERES if vide(c)}
    assert len(espaces) == 29  # str.isspace: 29 code points (Unicode 14)
    assert _tous(sql, "vide(chr(c::integer))") == espaces
    assert _tous(sql, "sans_espaces('a' || chr(c::integer) || 'b' || chr(c::integer)) = 'a' || chr(c::integer) || 'b'") \
        == espaces
    assert sql("sans_espaces(?)", "\u3000 196DHCZ\t\n") == "196DHCZ"


def test_les_chiffres_du_filtre_couvrent_ceux_de_python(sql):
    """Python's \\d (any Unicode decimal digit) must be in the class the contact filter uses."""
    chiffres_python = {c for c in CARACTERES if re.fullmatch(r"\d", c)}
    classe = _tous(sql, r"regexp_full_match(chr(c::integer), '[\pN\x{10000}-\x{10ffff}]')")
    assert len(chiffres_python) > 600
    assert chiffres_python <= classe


TEXTES_CONTACT = st.text(alphabet=st.sampled_from(list("0123456789 .-+()@_azAZé\n٣") + ["\u202f", "\u00a0"]),
                         max_size=40)


@settings(max_examples=400, deadline=None)
@given(avant=st.text(max_size=10), texte=TEXTES_CONTACT, apres=st.text(max_size=10))
def test_un_texte_sans_coordonnees_possibles_n_est_pas_masque(sql, avant, texte, apres):
    tout = avant + texte + apres
    if not sql("peut_contenir_coordonnees(?)", tout):
        assert masquer_coordonnees(tout) == tout


def test_filtre_des_coordonnees_sur_les_offres_reelles(sql, partage):
    textes = set()
    for fichier in (partage / "ft-offres-74").glob("*.json"):
        for offre in json.loads(fichier.read_text())["resultats"]:
            textes |= {v for v in _chaines(offre) if v}
    filtres = set(sql("list(t) filter (where peut_contenir_coordonnees(t)) from unnest(?) u(t)", sorted(textes)))
    assert all(masquer_coordonnees(t) == t for t in textes - filtres)
    assert any(TELEPHONE.search(t) for t in filtres) and any("@" in t for t in filtres)
    assert len(filtres) < len(textes) / 5  # the filter spares Python most texts


def _chaines(valeur):
    if isinstance(valeur, str):
        yield valeur
    elif isinstance(valeur, dict):
        for v in valeur.values():
            yield from _chaines(v)
    elif isinstance(valeur, list):
        for v in valeur:
            yield from _chaines(v)


# --------------------------------------------------------------------------- timestamps

HORODATAGES = st.builds(
    lambda a, mo, j, h, mi, s, frac, tz: f"{a:04d}-{mo:02d}-{j:02d}T{h:02d}:{mi:02d}:{s:02d}{frac}{tz}",
    st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25), st.integers(0, 60),
    st.integers(0, 60), st.sampled_from(["", ".1", ".93", ".934", ".9341", ".934123", ".9341234"]),
    st.sampled_from(["", "Z", "+02:00", "-23:59", "+24:00", "+0200", "z"]))


@settings(max_examples=600, deadline=None)
@given(texte=HORODATAGES | st.text(max_size=30))
def test_horodatage_lu_en_sql_comme_en_python(sql, texte):
    lu = sql("horodatage_api(?)", texte)
    if lu is None:  # the Python parser reads it
        return
    debut, fin = bornes_des_dates()
    if debut <= lu.date() <= fin:
        assert lu == lire_horodatage(texte)
    else:  # the bulk loader sends it to the Python parser, which refuses it
        with pytest.raises(ValeurInvalide, match="^date invraisemblable"):
            lire_horodatage(texte)


def test_horodatages_des_offres_reelles_lus_en_sql(sql, partage):
    textes = {o.get(champ) for f in (partage / "ft-offres-74").glob("*.json")
              for o in json.loads(f.read_text())["resultats"] for champ in ("dateCreation", "dateActualisation")}
    textes.discard(None)
    assert len(textes) > 1000
    ordre = sorted(textes)
    assert sql("list(horodatage_api(t) order by t) from unnest(?) u(t)", ordre) == [lire_horodatage(t) for t in ordre]
    assert sql("horodatage_api(?)", "2025-08-05T10:54:44.934Z") == datetime(2025, 8, 5, 10, 54, 44, 934000)


# --------------------------------------------------------------------------- JSON types

NOMBRES = st.from_regex(r"-?(0|[1-9][0-9]{0,4})(\.[0-9]{1,3})?([eE][+-]?[0-9]{1,3})?", fullmatch=True)
SCALAIRES = st.one_of(st.none(), st.booleans(), st.text(max_size=8).map(json.dumps), NOMBRES,
                      st.sampled_from(['"true"', '"1.50"', '"-0"', '"[1]"', '"{}"', '"[H/F]"', "1e400"]))
JSON_BRUT = st.recursive(SCALAIRES.map(lambda v: v if isinstance(v, str) else json.dumps(v)),
                         lambda enfants: st.lists(enfants, max_size=3).map(lambda e: "[" + ",".join(e) + "]")
                         | st.dictionaries(st.sampled_from(["a", "b"]), enfants, max_size=2).map(
                             lambda d: "{" + ",".join(f'"{k}":{v}' for k, v in d.items()) + "}"),
                         max_leaves=4)


def _resultat(lecteur, valeur):
    try:
        return lecteur(valeur)
    except ValeurInvalide as e:
        return str(e)


@settings(max_examples=500, deadline=None)
@given(brut=JSON_BRUT)
def test_valeur_lue_comme_python_ou_renvoyee_a_python(sql, brut):
    """Python reads ``json.loads(brut)``; DuckDB hands over a text. Unless the macro flags
    it, the loaders agree on it: str() for a text field, each parser for the others."""
    valeur = json.loads(brut)
    texte = sql("""json_transform(?::json, '{"x": "VARCHAR"}').x""", '{"x": ' + brut + "}")
    if valeur is None:
        assert texte is None
        return
    if not sql("texte_ambigu(?)", texte):
        assert texte == str(valeur)
        assert _resultat(lire_effectif, texte) == _resultat(lire_effectif, valeur)
    if not sql("booleen_ambigu(?)", texte):
        assert _resultat(lire_booleen, texte) == _resultat(lire_booleen, valeur)
    if not sql("decimal_ambigu(?)", texte):
        assert _resultat(lire_decimal, texte) == _resultat(lire_decimal, valeur)
