"""Anonymised jobseeker profiles: exact values, pseudonymisation, faulty rows, reload."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import date

import pytest

from flows.erreurs import ErreurUtilisateur
from flows.lecture.lots import Contexte
from flows.sources.profils import lire
from tests.conftest import rejets

ENTETE = "identifiant;mois;code_rome;commune;categorie;niveau_diplome;experience_annees;permis_b;rayon_mobilite_km\n"


def _hash(identifiant: str) -> str:
    """The test salt is ``sel-de-test`` (tests/conftest.py)."""
    return hashlib.sha256(b"sel-de-test|" + identifiant.encode()).hexdigest()[:16]


def _referentiel_rome(con) -> None:
    for code in ("I1304", "H2301"):
        con.execute("insert into brut.rome_codes (code_rome, _fichier, _sha256, _charge_le) "
                    "values (?, 'test', 'test', now()::timestamp)", [code])


def _profils(con) -> list[tuple]:
    return con.execute(
        "select demandeur_hash, mois, code_rome, commune_insee, categorie, niveau_diplome, experience_annees, "
        "permis_b, rayon_mobilite_km, _ligne from brut.profils_demandeurs order by _ligne").fetchall()


def test_valeurs_exactes_et_identifiants_pseudonymises(tmp_path, con, charger):
    chemin = tmp_path / "profils.csv"
    chemin.write_bytes((
        ENTETE
        + "DE-000123;2025-03;I1304;21231;A;Bac+2;4;oui;30\n"
        + "DE-000124;01/03/2025;h2301;1053;b;Sans diplôme;0,5;non;12,5\n"
        + " DE-000123 ;04/2025;I1304;;;7;;;\n"
        + "DE-000125;2025-03-15;I1304;21231;A;Niveau 3;10;Non;0\n"
    ).encode("cp1252"))
    (bilan,) = charger("profils", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (4, 4, 0)
    assert _profils(con) == [
        (_hash("DE-000123"), date(2025, 3, 1), "I1304", "21231", "A", 5, 4.0, True, 30.0, 2),
        (_hash("DE-000124"), date(2025, 3, 1), "H2301", "01053", "B", 2, 0.5, False, 12.5, 3),
        # surrounding spaces do not change the pseudonym: same person, next month
        (_hash("DE-000123"), date(2025, 4, 1), "I1304", None, None, 7, None, None, None, 4),
        (_hash("DE-000125"), date(2025, 3, 1), "I1304", "21231", "A", 3, 10.0, False, 0.0, 5),
    ]


def test_lignes_fautives_en_quarantaine_sans_identifiant(tmp_path, con, charger):
    _referentiel_rome(con)
    chemin = tmp_path / "fautes.csv"
    chemin.write_bytes(
        (ENTETE
         + "DE-1;2025-03;I1304;21231;A;Bac;2;oui;20\n"       # 2 valid
         + ";2025-03;I1304;21231;A;Bac;2;oui;20\n"           # 3 no identifier
         + "DE-2;mars 2025;I1304;21231;A;Bac;2;oui;20\n"     # 4 bad month
         + "DE-3;2025-03;H9999;21231;A;Bac;2;oui;20\n"       # 5 unknown ROME code
         + "DE-4;2025-03;I1304;21231;A;Bac+12;-1;peut-être;20\n"  # 6 three faults
         + "DE-1;03/2025;I1304;21231;A;Bac;3;oui;20\n"       # 7 same person and month as line 2
         + "DE-5;2025-03;I1304;2123;F;Bac;2;oui;20\n").encode()  # 8 category F
        + "DE-6;2025-03;I1304;21231;A;Sans diplôme;2;oui;20\n".encode("cp1252"))  # 9 not UTF-8
    (bilan,) = charger("profils", chemin)
    assert (bilan.lignes_lues, bilan.nouvelles, bilan.rejetees) == (8, 1, 7)
    assert _profils(con) == [(_hash("DE-1"), date(2025, 3, 1), "I1304", "21231", "A", 4, 2.0, True, 20.0, 2)]
    assert rejets(con) == [
        ("fautes.csv", 3, "identifiant", "valeur obligatoire manquante"),
        ("fautes.csv", 4, "mois", "mois illisible « mars 2025 » (attendu aaaa-mm ou jj/mm/aaaa)"),
        ("fautes.csv", 5, "code_rome", "code ROME inconnu « H9999 » : absent du référentiel ROME chargé "
                                       "(chargez le référentiel complet avec « ingerer rome »)"),
        ("fautes.csv", 6, "experience_annees", "valeur négative « -1 »"),
        ("fautes.csv", 6, "niveau_diplome",
         "niveau de diplôme inconnu « Bac+12 » (attendu un niveau de 1 à 8 ou : Aucun, Sans diplôme, CAP, BEP, "
         "CAP/BEP, Bac, Baccalauréat, Bac pro, Bac+2, BTS, DUT, Bac+3, Licence, Licence pro, BUT, Bac+4, Bac+5, "
         "Master, Ingénieur, Doctorat)"),
        ("fautes.csv", 6, "permis_b", "valeur oui/non illisible « peut-être »"),
        ("fautes.csv", 7, "identifiant, mois",
         "ligne en double dans le fichier : même identifiant, mois que la ligne 2"),
        ("fautes.csv", 8, "categorie", "valeur inconnue « F » (valeurs possibles : A, B, C, D, E)"),
        ("fautes.csv", 9, "(ligne)", "encodage invalide : octet 0xF4 non UTF-8 en colonne 37 "
                                     "(réenregistrez le fichier en UTF-8)"),
    ]
    # the duplicate's value is the pseudonym, never the identifier
    assert con.execute("select valeur from controle.rejets where ligne = 7").fetchone() == (
        f"{_hash('DE-1')} | 2025-03-01",)


def test_l_identifiant_brut_n_est_nulle_part_dans_le_lot(tmp_path):
    chemin = tmp_path / "profils.csv"
    chemin.write_text(ENTETE + "DE-777;2025-03;I1304;21231;A;Bac;2;oui;20\n"
                      + "DE-777;2025-03;I1304;21231;A;Bac;2;oui;20\n"
                      + "DE-778;2025-13;I1304;21231;A;Bac;2;oui;20\n"
                      + "DE-779;2025-03;I1304\n", encoding="utf-8")
    lot = lire(chemin, Contexte(sel=b"sel-de-test"))
    assert len(lot.tables[0].lignes) == 1 and len(lot.rejets) == 3
    tout = repr([lot.tables[0].lignes, [asdict(r) for r in lot.rejets], lot.remarques])
    assert "DE-77" not in tout


def test_colonne_manquante(tmp_path, con, charger):
    chemin = tmp_path / "sans_mois.csv"
    chemin.write_text("identifiant;code_rome;commune;categorie;niveau_diplome;experience_annees;permis_b;"
                      "rayon_mobilite_km\nDE-1;I1304;21231;A;Bac;2;oui;20\n", encoding="utf-8")
    (bilan,) = charger("profils", chemin)
    assert (bilan.nouvelles, bilan.rejetees) == (0, 1)
    assert rejets(con) == [(
        "sans_mois.csv", 1, "mois",
        "colonne(s) obligatoire(s) absente(s) : mois (en-tête lu : 8 colonnes ; reconnue(s) : identifiant, code_rome, commune, categorie, "
        "niveau_diplome, experience_annees, permis_b, rayon_mobilite_km)")]


def test_sans_sel_rien_n_est_lu(tmp_path):
    chemin = tmp_path / "profils.csv"
    chemin.write_text(ENTETE + "DE-1;2025-03;I1304;21231;A;Bac;2;oui;20\n", encoding="utf-8")
    with pytest.raises(ErreurUtilisateur, match="sel de pseudonymisation absent"):
        lire(chemin, Contexte())


def test_recharger_le_meme_fichier_ne_change_rien(tmp_path, con, charger):
    chemin = tmp_path / "profils.csv"
    chemin.write_text(ENTETE + "DE-1;2025-03;I1304;21231;A;Bac;2;oui;20\n"
                      + "DE-2;2025-03;I1304;21231;A;Bac;2;oui;20\n"
                      + "DE-3;2025-03;I1304;21231;A;Bac;2;oui;-20\n", encoding="utf-8")
    charger("profils", chemin)
    avant = con.execute("select * exclude (_charge_le) from brut.profils_demandeurs order by all").fetchall()
    (bilan,) = charger("profils", chemin)
    assert (bilan.nouvelles, bilan.mises_a_jour, bilan.inchangees, bilan.rejetees) == (0, 0, 2, 1)
    assert con.execute("select * exclude (_charge_le) from brut.profils_demandeurs order by all").fetchall() == avant
    assert con.execute("select count(*) from controle.rejets").fetchone() == (1,)
