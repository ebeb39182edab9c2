"""Passerelles (ROME mobility paths) on tiny hand-made paths: the neighbours of an
occupation with their pools, offers and tension, the pool within reach with a short
training, the skills that bridge them and the diagnosis rule that proposes them. Expected
values are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date, datetime

import pytest

# paths source -> target with their rank in the source's list (rang_max = 5)
CHEMINS = [
    ("I1310", "I1304", 1),  # mechanic -> maintenance technician
    ("I1310", "I1326", 4),  # ... and to a 4.0 code of the same family: 2 paths, best rank 1
    ("I1309", "I1326", 2),  # electrician -> a 4.0 child of I1304: family link I1309 -> I1304
    ("H2301", "I1304", 3),  # line operator (in shortage here)
    ("K2402", "I1304", 8),  # 8th of the researcher's list: beyond rang_max, left out
    ("I1326", "I1304", 1),  # inside the I1304 family: a 4.0 link, no v3 passerelle
    ("I1304", "I1310", 2),  # the reverse way: I1304 is I1310's neighbour
    ("H2301", "K2402", 1),  # K2402's only neighbour is in shortage
]


def _stat(rome, categorie, demandeurs, entrees=None):
    return {"code_rome": rome, "type_territoire": "DEP", "code_territoire": "21", "type_periode": "MOIS",
            "periode": "2025-01", "date_debut": date(2025, 1, 1), "categorie": categorie,
            "demandeurs": demandeurs, "entrees": entrees}


def _offre(oid, rome, jour=10):
    moment = datetime(2025, 2, jour)
    return {"offre_id": oid, "intitule": "Offre", "rome_code": rome, "commune_insee": "21231",
            "date_creation": moment, "_version": moment, "description": "m" * 400}


@pytest.fixture
def entrepot(referentiel, inserer, construire, con):
    inserer("brut.rome_codes", [
        {"code_rome": "I1310", "libelle_rome": "Mécanicien de maintenance industrielle", "code_rome_parent": "I1310"},
        {"code_rome": "I1309", "libelle_rome": "Électricien de maintenance", "code_rome_parent": "I1309"},
    ])
    inserer("brut.rome_mobilites", [{"code_rome": s, "code_rome_cible": c, "numero_ordre": r}
                                    for s, c, r in CHEMINS])
    # Côte-d'Or, January 2025 (stocks) and February 2025 (offers): year 2025
    inserer("brut.demandeurs_stat", [
        _stat("I1304", "A", 40, 10), _stat("I1304", "ABC", 50),
        _stat("I1310", "A", 30, 12), _stat("I1310", "ABC", 45),
        _stat("I1309", "A", 25, 6), _stat("I1309", "ABC", 35),
        _stat("H2301", "A", 1, 2), _stat("H2301", "ABC", 3),
        _stat("K2402", "A", 30, 30),
    ])
    inserer("brut.offres_ft", [
        _offre("M1", "I1304"), _offre("M2", "I1304"),
        *[_offre(f"O{i}", "I1310", jour=i) for i in range(1, 6)],
        *[_offre(f"H{i}", "H2301", jour=i) for i in range(1, 6)],
    ])
    # the target's offers ask for GMAO (2 of 2) and automation (1 of 2); the mechanics'
    # ask for automation once in 5 (20 % > 5 %: not rare), never for GMAO; line operators for nothing
    inserer("brut.offres_ft_competences", [
        {"offre_id": "M1", "rang": 1, "libelle": "GMAO"}, {"offre_id": "M1", "rang": 2, "libelle": "Automatismes"},
        {"offre_id": "M2", "rang": 1, "libelle": "GMAO"}, {"offre_id": "O1", "rang": 1, "libelle": "Automatismes"},
    ])
    # Alpha hires one maintenance technician in Dijon; its two I1304 jobseekers lack the
    # 2 years of experience asked
    inserer("brut.recrutements", [
        {"entreprise": "Alpha", "reference": "R1", "code_rome": "I1304", "commune_site": "21231",
         "date_ouverture": date(2025, 3, 1), "date_cloture": date(2025, 6, 1), "statut": "pourvu",
         "nombre_postes": 1, "diplome_requis": 4, "experience_requise_mois": 24.0, "description": "x" * 400}])
    inserer("brut.profils_demandeurs", [
        {"mois": date(2025, 1, 1), "code_rome": "I1304", "niveau_diplome": 5, "demandeur_hash": f"p{i}",
         "commune_insee": "21231", "experience_annees": 0.5} for i in range(2)])
    construire()
    return con


def _voisins(con, code, niveau="rome3"):
    return con.execute("""
        select code_voisin, libelle_voisin, rang, nb_chemins, offres_voisin, demandeurs_a_voisin,
            demandeurs_abc_voisin, niveau_tension_voisin, voisin_en_tension
        from "analyse".passerelles
        where niveau_code = ? and code = ? and niveau_territoire = 'departement' and code_territoire = '21'
          and type_periode = 'annee' and periode = '2025'
        order by rang, code_voisin""", [niveau, code]).fetchall()


def _cellule(con, code, niveau="rome3"):
    return con.execute("""
        select distinct libelle, offres, demandeurs_a, demandeurs_abc, nb_voisins, nb_voisins_en_tension,
            nb_voisins_hors_tension, vivier_passerelles_a, vivier_passerelles_abc, voisins_en_tension
        from "analyse".passerelles
        where niveau_code = ? and code = ? and niveau_territoire = 'departement' and code_territoire = '21'
          and type_periode = 'annee' and periode = '2025'""", [niveau, code]).fetchall()


def test_prep_rome_mobilites(entrepot):
    lignes = entrepot.execute("""select code_rome_source, code_rome_parent_source, code_rome_cible,
        code_rome_parent_cible, rang from prep.rome_mobilites order by all""").fetchall()
    assert lignes == sorted([
        ("I1310", "I1310", "I1304", "I1304", 1), ("I1310", "I1310", "I1326", "I1304", 4),
        ("I1309", "I1309", "I1326", "I1304", 2), ("H2301", "H2301", "I1304", "I1304", 3),
        ("K2402", "K2402", "I1304", "I1304", 8), ("I1326", "I1304", "I1304", "I1304", 1),
        ("I1304", "I1304", "I1310", "I1310", 2), ("H2301", "H2301", "K2402", "K2402", 1)])


def test_voisins_d_un_metier_avec_leur_vivier_et_leur_tension(entrepot):
    # Tension levels (score = z of offers / new category-A jobseekers, the only component
    # here) over the five v3 cells of 2025: I1304 2/10 = 0.2, I1310 5/12 = 0.41667,
    # I1309 0/6 = 0, H2301 5/2 = 2.5, K2402 0/30 = 0; mean 0.62333, sample standard
    # deviation 1.06312, so z = -0.398 (level 2), -0.194 (level 3), -0.586 (2), 1.765 (5),
    # -0.586 (2). H2301 is in tension twice over: level 5, and 2 new jobseekers for 5 offers.
    assert _voisins(entrepot, "I1304") == [
        ("I1310", "Mécanicien de maintenance industrielle", 1, 2, 5, 30.0, 45.0, 3, False),
        ("I1309", "Électricien de maintenance", 2, 1, 0, 25.0, 35.0, 2, False),
        ("H2301", "Conducteur de ligne", 3, 1, 5, 1.0, 3.0, 5, True),
    ]
    # pool on paper 40 (A) and 50 (ABC); within reach with a short training, the two
    # neighbours not in tension: 30 + 25 = 55 (A) and 45 + 35 = 80 (ABC)
    assert _cellule(entrepot, "I1304") == [
        ("Technicien de maintenance industrielle", 2, 40.0, 50.0, 3, 1, 2, 55.0, 80.0, False)]
    assert _voisins(entrepot, "I1310") == [
        ("I1304", "Technicien de maintenance industrielle", 2, 1, 2, 40.0, 50.0, 2, False)]
    # the 4.0 codes the family link starts from: I1310 twice (to I1304 and to I1326), named once
    assert entrepot.execute("""select distinct metiers_sources from "analyse".passerelles
        where niveau_code = 'rome3' and code = 'I1304' and code_voisin = 'I1310'""").fetchall() == [
        (["Mécanicien de maintenance industrielle"],)]
    # researchers' only neighbour is in shortage: no pool within reach, and it says so
    assert _cellule(entrepot, "K2402") == [("Chercheur", 0, 30.0, None, 1, 1, 0, None, None, True)]


def test_niveau_rome4_les_chemins_eux_memes(entrepot):
    # 4.0 codes with offers: I1304 (2), I1310 (5), H2301 (5). Paths into I1304: I1310 (1),
    # I1326 (1, no offer: no row), H2301 (3). Jobseekers are counted for v3 families only.
    lignes = entrepot.execute("""
        select code_voisin, rang, offres_voisin, demandeurs_a_voisin, voisin_en_tension
        from "analyse".passerelles
        where niveau_code = 'rome4' and code = 'I1304' and niveau_territoire = 'departement'
          and type_periode = 'annee' and periode = '2025' order by rang, code_voisin""").fetchall()
    assert lignes == [("I1310", 1, 5, None, None), ("H2301", 3, 5, None, None)]


def test_competences_qui_font_le_pont(entrepot):
    lignes = entrepot.execute("""
        select code_voisin, element_libelle, part_cible, part_voisin, offres_voisin, rang_competence
        from "analyse".passerelles_competences
        where niveau_code = 'rome3' and code = 'I1304' and niveau_territoire = 'departement'
          and type_periode = 'annee' order by code_voisin, rang_competence""").fetchall()
    # H2301: 5 offers asking for nothing; I1310: automation in 1 of 5 (20 % > 5 %), GMAO
    # never; I1309 has no offer, so no gap is claimed (thresholds: 20 % of the target's, 5 % of the neighbour's)
    assert lignes == [("H2301", "GMAO", 1.0, 0.0, 5, 1), ("H2301", "Automatismes", 0.5, 0.0, 5, 2),
                      ("I1310", "GMAO", 1.0, 0.0, 5, 1)]


def test_passerelles_de_l_entreprise_et_regle_du_diagnostic(entrepot):
    lignes = entrepot.execute("""
        select departement, annee, code_voisin, demandeurs_a_voisin, offres_voisin, voisin_en_tension,
            competences_a_acquerir, postes_par_recrutement, vivier_qualifie_par_poste, vivier_passerelles_par_poste
        from "analyse".passerelles_entreprise
        where entreprise = 'Alpha' and rome_code_parent = 'I1304' and type_periode = 'ensemble'
        order by rang""").fetchall()
    assert lignes == [
        ("21", "2025", "I1310", 30.0, 5, False, ["GMAO"], 1.0, 0.0, 55.0),
        ("21", "2025", "I1309", 25.0, 0, False, [], 1.0, 0.0, 55.0),
        ("21", "2025", "H2301", 1.0, 5, True, ["GMAO", "Automatismes"], 1.0, 0.0, 55.0),
    ]
    # no I1304 jobseeker within reach has the 24 months asked: 0 qualified per post, under
    # 5; the neighbours not in tension hold 55 per post, at least 20: the rule fires
    regle = entrepot.execute("""
        select famille, valeur, reference, seuil, sens, declenchee, force from "analyse".diagnostic_preuves
        where entreprise = 'Alpha' and type_periode = 'ensemble' and regle = 'vivier_passerelles'""").fetchall()
    assert regle == [("passerelles", 55.0, 0.0, 20.0, ">=", True, 2.75)]
    # the cause stays the diagnosis's own: 2 on paper per post is no large pool
    assert entrepot.execute("""select cause from "analyse".diagnostic where entreprise = 'Alpha'
        and type_periode = 'ensemble'""").fetchone()[0] != "qualification"


def test_le_rapport_propose_les_metiers_voisins(entrepot, tmp_path):
    from flows.render import rapport

    chemin = entrepot.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    entrepot.close()
    page = rapport.construire(chemin, "Alpha", tmp_path / "alpha.html").read_text(encoding="utf-8")
    texte = " ".join(page.split())
    assert "Où chercher d'autres candidats : les métiers passerelles" in texte
    # 0 qualified per post; 30 + 25 = 55 per post in the neighbours not in tension
    assert ("Pour Technicien de maintenance industrielle (I1304), 0,0 demandeur(s) d'emploi à portée par poste"
            in texte)
    assert "comptent 55 demandeurs de catégorie A par poste" in texte
    # the largest pool first, by label, with its counts and the skill that bridges it
    assert ("<tr><td>Mécanicien de maintenance industrielle</td><td class=\"nombre\">30</td>"
            "<td class=\"nombre\">45</td> <td class=\"nombre\">5</td><td>niveau 3 sur 5</td> "
            "<td>compétences à acquérir : GMAO</td></tr>") in texte
    assert "<tr><td>Électricien de maintenance</td><td class=\"nombre\">25</td>" in texte
    assert "Métier(s) voisin(s) écarté(s), car eux-mêmes en tension : Conducteur de ligne." in texte


def test_vue_passerelles_du_tableau_de_bord(entrepot):
    from flows.render import passerelles
    from flows.render.commun import requete

    figure = passerelles.figure_tableau(requete(entrepot, "tableau_passerelles"))
    traces = [t for t in figure.data if t.meta["filtre"]["metier"][0] == "I1304"
              and t.meta["filtre"]["territoire"] == ["departement:21"]]
    cible, voisins = traces
    assert list(cible.y) == ["Technicien de maintenance industrielle (métier choisi)"] and list(cible.x) == [40.0]
    # largest pool first; colour = tension level
    assert list(voisins.y) == ["Mécanicien de maintenance industrielle", "Électricien de maintenance",
                               "Conducteur de ligne"]
    assert list(voisins.x) == [30.0, 25.0, 1.0] and list(voisins.marker.color) == [3, 2, 5]
    assert figure.layout.coloraxis.colorbar.title.text.startswith("Tension du")
    assert "catégorie A" in figure.layout.xaxis.title.text


def test_voisins_de_i1304_en_haute_savoie_donnees_reelles(partage, charger, construire, con):
    """On the real ROME 4.60 referential and the real France Travail offers of
    Haute-Savoie (2025): I1304's neighbouring v3 families are listed with their offers in
    département 74, counted here straight from the CSV and JSON files."""
    import csv
    import json
    import re

    from flows.config import parametres

    rome = partage / "rome-v460"
    fichiers = ["unix_referentiel_code_rome_v460_utf8.csv", "unix_referentiel_appellation_v460_utf8.csv",
                "unix_texte_v460_utf8.csv", "unix_rubrique_mobilite_v460_utf8.csv"]
    charger("rome", *(rome / f for f in fichiers))
    pages = sorted((partage / "ft-offres-74").glob("*.json"))
    charger("offres-ft", *pages)
    construire()

    with (rome / fichiers[0]).open(encoding="utf-8") as f:
        parent = {c["code_rome"]: c["code_rome_parent"] or c["code_rome"] for c in csv.DictReader(f)}
    rang_max = parametres()["sql"]["passerelles"]["rang_max"]
    with (rome / fichiers[3]).open(encoding="utf-8") as f:
        voisins = {parent[m["code_rome"]] for m in csv.DictReader(f)
                   if parent[m["code_rome_cible"]] == "I1304" and parent[m["code_rome"]] != "I1304"
                   and int(m["numero_ordre"]) <= rang_max}
    offres: dict[str, set[str]] = {}
    for page in pages:
        for o in json.loads(page.read_text(encoding="utf-8"))["resultats"]:
            lieu = o.get("lieuTravail", {})
            commune = lieu.get("commune")
            departement = commune[:2] if commune else (re.match(r"(\d[\dAB]\d?) - ", lieu.get("libelle", "")) or [None, None])[1]
            if o.get("romeCode") and departement == "74" and o["dateCreation"].startswith("2025"):
                offres.setdefault(parent.get(o["romeCode"], o["romeCode"]), set()).add(o["id"])
    attendu = {v: len(offres[v]) for v in voisins if v in offres}
    assert len(attendu) >= 5  # the real file: several neighbouring families have offers in 74

    lignes = con.execute("""
        select code_voisin, libelle_voisin, offres_voisin from "analyse".passerelles
        where niveau_code = 'rome3' and code = 'I1304' and niveau_territoire = 'departement'
          and code_territoire = '74' and type_periode = 'annee' and periode = '2025'""").fetchall()
    assert {c: n for c, _, n in lignes} == attendu
    # listed by label, never by code alone
    assert all(libelle and not re.fullmatch(r"[A-Z]\d{4}", libelle) for _, libelle, _ in lignes)
    # I1304 itself: 11 offers with romeCode I1304 in the file, plus its 4.0 children's
    assert con.execute("""select distinct offres from "analyse".passerelles where niveau_code = 'rome3'
        and code = 'I1304' and niveau_territoire = 'departement' and code_territoire = '74'
        and type_periode = 'annee' and periode = '2025'""").fetchone()[0] == len(offres.get("I1304", ()))


def test_l_action_chercher_dans_les_metiers_voisins(entrepot, tmp_path):
    """The rule is one of the report's prioritised actions, with its own figures."""
    from flows.render import rapport

    chemin = entrepot.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    entrepot.close()
    texte = " ".join(rapport.construire(chemin, "Alpha", tmp_path / "alpha.html").read_text(encoding="utf-8").split())
    actions = texte[texte.index("Les actions prioritaires"):texte.index("Suivi des actions engagées")]
    assert ("Chercher dans les métiers voisins.</span> Pour Technicien de maintenance industrielle (I1304), les "
            "métiers voisins hors tension comptent 55 demandeurs d&#39;emploi de catégorie A par poste dans votre "
            "département, quand 0 seulement remplissent vos exigences.") in actions


def test_vue_passerelles_sans_statistiques_de_demandeurs():
    """Without jobseeker statistics (the real public files have none), the neighbours are
    still listed, at 0 and « vivier inconnu », with their offers and tension in the hover."""
    import pandas as pd

    from flows.render import passerelles

    lignes = pd.DataFrame([{
        "metier": "I1304", "libelle": "Technicien de maintenance industrielle", "territoire": "departement:74",
        "annee": "2025", "offres": 14, "demandeurs_a": None, "code_voisin": code, "libelle_voisin": libelle,
        "metiers_sources": [], "rang": rang, "offres_voisin": offres, "demandeurs_a_voisin": None,
        "demandeurs_abc_voisin": None, "niveau_tension_voisin": niveau, "voisin_en_tension": niveau >= 4,
        "vivier_passerelles_a": None, "voisins_en_tension": 1}
        for code, libelle, rang, offres, niveau in (("I1604", "Mécanicien automobile", 1, 10, 3),
                                                    ("F1602", "Électricien du bâtiment", 2, 7, 5))])
    cible, voisins = passerelles.figure_tableau(lignes).data
    assert (list(cible.x), list(cible.text)) == ([0.0], ["vivier inconnu"])
    assert list(voisins.y) == ["Mécanicien automobile", "Électricien du bâtiment"]  # by label
    assert (list(voisins.x), list(voisins.text)) == ([0.0, 0.0], ["vivier inconnu"] * 2)
    assert [c[0] for c in voisins.customdata] == [10, 7] and list(voisins.marker.color) == [3, 5]
    assert voisins.customdata[0][1] == "vivier inconnu : aucune statistique de demandeurs d'emploi chargée ici"
