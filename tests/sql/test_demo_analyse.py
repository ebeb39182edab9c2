"""On the demo data, the analysis recovers the story the generator planted (its truth
file, verite.json): the market of maintenance technicians, each pilot's cause, and the
effect of the action followed."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from flows import transformation


@pytest.fixture(scope="module")
def con(demo):
    connexion = duckdb.connect(demo["entrepot"], read_only=True)
    yield connexion
    connexion.close()


def test_rien_en_quarantaine(demo):
    assert sum(b["rejetees"] for b in demo["bilans"]) == 0
    assert {b["source"] for b in demo["bilans"]} == {
        "rome", "fap2021", "communes", "dares", "bmo", "demandeurs", "profils", "offres-ft", "offres-fichier",
        "entreprise"}


def test_technicien_de_maintenance_premier_metier_de_cote_d_or(con, demo):
    verite = demo["verite"]["marche"]["metier_principal"]
    lignes = con.execute("""
        select code, sum(offres) as offres, avg(demandeurs_par_offre) as demandeurs_par_offre
        from "analyse".tension_marche
        where niveau_code = 'rome3' and niveau_territoire = 'departement' and code_territoire = '21'
          and type_periode = 'annee'
        group by code order by offres desc""").fetchall()
    premier, offres, demandeurs_par_offre = lignes[0]
    assert premier == verite["rome_v3"] == "I1304"
    assert demandeurs_par_offre > 1
    # the shortage the generator planted comes out with fewer jobseekers than offers
    penurie = demo["verite"]["marche"]["penurie"]["rome_v3"]
    assert dict((c, d) for c, _, d in lignes)[penurie] < 1


def test_le_diagnostic_retrouve_la_cause_plantee_de_chaque_pilote(con, demo):
    """Each company x role gets its planted cause where its requisitions show a difficulty,
    and none (pas_de_difficulte) where they do not: a small role or a quick occupation
    fills fast despite the company's flaws (verite.py, entreprises._role)."""
    diagnostic = {(e, r): (c, s) for e, r, c, s in con.execute(
        """select entreprise, rome_code_parent, cause, sous_cause from "analyse".diagnostic
           where type_periode = 'ensemble'""").fetchall()}
    roles = {(p["nom"], rome): role for p in demo["verite"]["entreprises_pilotes"] for rome, role in p["roles"].items()}
    attendu = {cle: role["cause"] for cle, role in roles.items()}
    assert len(attendu) >= 20
    # the planted truth holds both: roles with the company's cause, roles without difficulty
    sans = {cle for cle, cause in attendu.items() if cause == "pas_de_difficulte"}
    assert len(sans) >= 3 and len(attendu) - len(sans) >= 15
    # among them, roles of companies planted with a process cause (e.g. order picking)
    assert any(roles[cle]["cause_plantee"] != "pas_de_difficulte" for cle in sans)
    trouve = {cle: (c if c != "process" else s) for cle, (c, s) in diagnostic.items() if cle in attendu}
    assert trouve == attendu


def test_une_cause_seulement_avec_une_difficulte(con):
    """No row of any period has a cause of difficulty without one (the dashboard's count
    of « métiers où la difficulté vient du processus » reads this table)."""
    assert con.execute("""select count(*) from "analyse".diagnostic
        where cause not in ('pas_de_difficulte', 'non_mesurable') and not difficulte""").fetchone() == (0,)
    assert con.execute("""select count(*) from "analyse".diagnostic
        where cause in ('pas_de_difficulte', 'non_mesurable') and (difficulte or sous_cause is not null)""").fetchone() == (0,)


def test_le_suivi_retrouve_l_effet_de_l_action(con, demo):
    suivis = {e: (effet, bas, haut, verdict) for e, effet, bas, haut, verdict in con.execute(
        'select entreprise, effet, ic_bas, ic_haut, verdict from "analyse".suivi_pilote').fetchall()}
    for pilote in demo["verite"]["entreprises_pilotes"]:
        action = pilote.get("action")
        if not action:
            continue
        effet, bas, haut, verdict = suivis[pilote["nom"]]
        if action["donnees_suffisantes"]:
            assert effet < 0 and haut < 0, (pilote["nom"], effet, bas, haut)
            assert verdict == "amélioration nette"
        else:
            assert verdict == "trop peu de données"


def test_les_exigences_gonflees_ressortent_face_au_marche(con, demo):
    verite = demo["verite"]
    pilote = next(p["nom"] for p in verite["entreprises_pilotes"] if p["cause"] == "analyse_besoin")
    gonflees = verite["exigences_pilote_analyse_besoin"]  # e.g. 7 years and a level-7 diploma
    assert gonflees["experience_mediane_pilote"] >= 5 and gonflees["diplome_pilote"] >= 7
    rares = {(categorie, element) for categorie, element in con.execute(
        """select categorie, element from "analyse".exigences_entreprise
           where entreprise = ? and rome_code_parent = ? and rare_sur_le_marche""",
        [pilote, gonflees["rome_v3"]]).fetchall()}
    assert {("experience", "au moins 5 ans"), ("diplome", "au moins bac+5")} <= rares
    # no other pilot asks that much of the same occupation
    autres = con.execute(
        """select count(*) from "analyse".exigences_entreprise
           where entreprise <> ? and rome_code_parent = ? and rare_sur_le_marche
             and element in ('au moins 5 ans', 'au moins bac+5')""", [pilote, gonflees["rome_v3"]]).fetchone()[0]
    assert autres == 0


def test_tension_identique_quel_que_soit_l_ordre_des_lignes(demo, tmp_path):
    """Rebuilt after the offers were rewritten in another physical order (as updates do),
    the market tension is the same to the last bit: ties broken by source and id, and the
    floating-point sums done in sorted order (a parallel sum adds in any order)."""
    (modele,) = [m for m in transformation.modeles("analyse") if m.table == "analyse.tension_marche"]
    empreintes = []
    for graine in (0.1, 0.9):
        copie = tmp_path / f"entrepot-{graine}.duckdb"
        shutil.copy(demo["entrepot"], copie)
        connexion = duckdb.connect(str(copie))
        try:
            transformation.definir_variables(connexion)
            connexion.execute(f"select setseed({graine})")
            connexion.execute("create or replace table int.offres as select * from int.offres order by random()")
            transformation.executer_modele(connexion, modele)
            empreintes.append(connexion.execute("""
                select count(*), sum(hash(columns(* exclude (composantes))))
                from "analyse".tension_marche""").fetchall())
        finally:
            connexion.close()
    assert empreintes[0] == empreintes[1]
