"""Property-based tests of the value parsers (hypothesis): on any text they either give a
value or refuse it with ``ValeurInvalide`` (the label parsers never refuse), and values
written the way exports write them read back exactly. Hostile labels cannot stall a load."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from datetime import time as heure
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from flows.confidentialite import masquer_coordonnees
from flows.config import bornes_des_dates
from flows.formats import nombre_fr
from flows.lecture import valeurs
from flows.lecture.libelles import (
    lire_duree_contrat_mois,
    lire_duree_mois,
    lire_experience_mois,
    lire_salaire,
    lire_temps_plein,
)
from flows.lecture.valeurs import ValeurInvalide

# The autouse fixture of conftest only sets environment variables: sharing it between
# examples is harmless.
settings.register_profile("parseurs", suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
settings.load_profile("parseurs")

HEURES = 151.67  # legal full-time month, config/parametres.toml
# Text made mostly of the characters the parsers look for, so that examples reach their
# deeper branches, mixed with any text at all.
SYMBOLES = "0123456789 /-.:,;+eE*TtHhXxIiNnAaFf\u202f\xa0éà"
TEXTES = st.one_of(st.text(), st.text(alphabet=SYMBOLES, max_size=40))


@pytest.mark.parametrize("lecteur", [
    valeurs.lire_date, valeurs.lire_horodatage, valeurs.lire_decimal, valeurs.lire_decimal_positif,
    valeurs.lire_effectif, valeurs.lire_booleen, valeurs.lire_code_rome, valeurs.lire_commune, valeurs.lire_mois,
    valeurs.lire_niveau_diplome, valeurs.lire_annee, valeurs.lire_code,
], ids=lambda f: f.__name__)
@given(texte=TEXTES)
def test_un_parseur_lit_ou_refuse_en_francais(lecteur, texte):
    try:
        lecteur(texte)
    except ValeurInvalide as e:
        assert str(e)  # the French reason of the quarantine


@given(texte=TEXTES, autre=TEXTES)
def test_les_libelles_ne_levent_jamais(texte, autre):
    for valeur in (lire_duree_mois(texte), lire_experience_mois(texte), lire_duree_contrat_mois(texte)):
        assert valeur is None or (0 <= valeur < float("inf"))
    assert lire_temps_plein(texte, autre) in (True, False, None)
    salaire = lire_salaire(texte)
    if salaire is not None:
        assert 0 < salaire.min_mensuel <= salaire.max_mensuel < float("inf")


# --------------------------------------------------------------------------- round trips

DEBUT, FIN = bornes_des_dates()  # plausible dates: config/parametres.toml, [dates]
JOURS = st.dates(min_value=DEBUT, max_value=FIN)


@given(jour=st.dates(max_value=DEBUT - timedelta(days=1)) | st.dates(min_value=FIN + timedelta(days=1)))
def test_date_invraisemblable_refusee(jour):
    debut, fin = bornes_des_dates()  # the latest bound moves at midnight, which a long suite may cross
    assume(not debut <= jour <= fin)
    with pytest.raises(valeurs.ValeurInvalide, match="^date invraisemblable"):
        valeurs.lire_date(f"{jour.day:02d}/{jour.month:02d}/{jour.year:04d}")
    if not debut <= jour.replace(day=1) <= fin:  # a month is read as its first day
        with pytest.raises(valeurs.ValeurInvalide, match="^date invraisemblable"):
            valeurs.lire_mois(f"{jour.year:04d}-{jour.month:02d}")


@given(jour=JOURS, format_=st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]))
def test_date_ecrite_puis_relue(jour, format_):
    assert valeurs.lire_date(f" {jour.strftime(format_)} ") == jour


@given(moment=st.datetimes(min_value=datetime.combine(DEBUT, heure()), max_value=datetime.combine(FIN, heure())))
def test_date_d_un_horodatage_iso(moment):
    assert valeurs.lire_date(moment.isoformat()) == moment.date()


@given(jour=JOURS)
def test_mois_ecrit_puis_relu(jour):
    premier = date(jour.year, jour.month, 1)
    for texte in (f"{jour:%Y-%m}", f"{jour:%m/%Y}", f"{jour:%d/%m/%Y}"):
        assert valeurs.lire_mois(texte) == premier


@given(nombre=st.decimals(min_value=-10**9, max_value=10**9, places=2))
def test_decimal_francais_ecrit_puis_relu(nombre):
    assert valeurs.lire_decimal(nombre_fr(nombre, 2)) == float(nombre)  # "1 234,50" (narrow space)
    assert valeurs.lire_decimal(f"{nombre:,.2f}".replace(",", " ").replace(".", ",")) == float(nombre)
    assert valeurs.lire_decimal(f"{nombre:.2f}") == float(nombre)  # "1234.50"


@given(nombre=st.floats(allow_nan=False, allow_infinity=False))
def test_decimal_ecrit_par_python_puis_relu(nombre):
    assert valeurs.lire_decimal(repr(nombre)) == nombre


@given(effectif=st.integers(min_value=0, max_value=10**12))
def test_effectif_ecrit_puis_relu(effectif):
    assert valeurs.lire_effectif(str(effectif)) == effectif
    assert valeurs.lire_effectif(nombre_fr(effectif)) == effectif
    if effectif:
        with pytest.raises(ValeurInvalide, match=f"^effectif négatif « -{effectif} »$"):
            valeurs.lire_effectif(f"-{effectif}")


def _montant(centimes: int, francais: bool) -> str:
    """An amount as France Travail writes it (``2000.0``) or as a French user does
    (``2 000,50``)."""
    euros = Decimal(centimes) / 100
    return nombre_fr(euros, 2).replace("\u202f", " ") if francais else f"{euros:.1f}" if centimes % 10 == 0 else str(euros)


# period -> (range of plausible amounts in cents, amount -> monthly amount); no period is
# deduced inside these ranges (config/parametres.toml [salaires])
PERIODES = {
    "Mensuel": ((500_00, 30_000_00), lambda m: m),
    "Horaire": ((4_00, 99_99), lambda m: m * HEURES),
    "Annuel": ((10_000_00, 360_000_00), lambda m: m / 12),
}


@given(data=st.data(), periode=st.sampled_from(list(PERIODES)), francais=st.booleans(), fourchette=st.booleans())
def test_salaire_libelle_puis_relu_en_mensuel(data, periode, francais, fourchette):
    (bas, haut), mensuel = PERIODES[periode]
    minimum = data.draw(st.integers(bas, haut))
    maximum = data.draw(st.integers(minimum, haut)) if fourchette else minimum
    libelle = f"{periode} de {_montant(minimum, francais)} Euros"
    if fourchette:
        libelle += f" à {_montant(maximum, francais)} Euros"
    salaire = lire_salaire(libelle + " sur 12.0 mois")
    assert salaire is not None, libelle
    assert (salaire.periode, salaire.periode_deduite) == (periode.lower(), False)
    assert salaire.min_mensuel == pytest.approx(mensuel(minimum / 100))
    assert salaire.max_mensuel == pytest.approx(mensuel(maximum / 100))


@given(mensuel=st.integers(500_00, 22_500_00), mois=st.integers(12, 16))
def test_salaire_sur_13_mois_etale_sur_12(mensuel, mois):
    """Up to 16 payments a year (22 500 € × 16 / 12 = 30 000 €, the plausible maximum)."""
    salaire = lire_salaire(f"Mensuel de {_montant(mensuel, False)} Euros sur {mois}.0 mois")
    assert salaire is not None
    assert salaire.min_mensuel == pytest.approx(mensuel / 100 * mois / 12)


@given(n=st.integers(1, 60))
def test_durees_ecrites_puis_relues(n):
    assert lire_experience_mois(f"Expérience exigée de {n} An(s)") == 12 * n
    assert lire_experience_mois(f"{n} Mois") == n
    assert lire_experience_mois(f"de {n} à {n + 2} ans") == 12 * n
    assert lire_duree_contrat_mois(f"CDD - {n} Mois") == n
    assert lire_duree_contrat_mois(f"Intérim - {n} Semaine(s)") == round(n * 12 / 52, 1)


@given(heures=st.integers(1, 60), minutes=st.integers(0, 59))
def test_temps_plein_d_apres_les_heures(heures, minutes):
    assert lire_temps_plein(None, f"{heures}H{minutes:02d}/semaine") is (heures + minutes / 60 >= 35)


# --------------------------------------------------------------------------- hostile labels

@pytest.mark.parametrize(("lecteur", "texte"), [
    (lire_salaire, "Mensuel de 1" + " " * 50_000 + "x"),
    (lire_salaire, "de " + "1 " * 50_000 + "Euros"),
    (lire_salaire, "de " + "9" * 50_000 + " Euros"),
    (lire_experience_mois, "1" * 50_000 + " x"),
    (lire_experience_mois, "1," * 50_000 + " an"),
    (lire_duree_contrat_mois, "CDD - " + "1" * 50_000 + "à"),
    (lambda texte: lire_temps_plein(None, texte), "semaine " + "1" * 50_000),
    (masquer_coordonnees, "a" * 50_000),
], ids=["espaces", "chiffres-espaces", "nombre-geant", "chiffres", "virgules", "fourchette", "heures",
        "courriel"])
def test_libelle_hostile_lu_en_temps_lineaire(lecteur, texte):
    """A guard against catastrophic backtracking, not a performance measure: 50 000
    characters took minutes with the old patterns and take milliseconds now, so the bound
    is far from both even on a loaded machine."""
    debut = time.perf_counter()
    lecteur(texte)
    assert time.perf_counter() - debut < 5.0
