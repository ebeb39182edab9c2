"""The demo generator: same seed, same bytes; every source in its real format; any scale;
and the planted story visible in the generated files themselves (``verite.json`` must
agree with what pandas computes from them)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import flows.demo as demo_module
from flows.confidentialite import COURRIEL, TELEPHONE
from flows.config import REFERENTIELS, sources_offres
from flows.demo import generer
from flows.erreurs import ErreurUtilisateur
from flows.lecture.libelles import lire_salaire
from flows.lecture.lots import Contexte
from flows.sources import offres_ft

PILOTES = ("contenu_offre", "analyse_besoin", "sourcing", "procedure", "pas_de_difficulte")


def empreintes(dossier: Path) -> dict[str, str]:
    return {str(p.relative_to(dossier)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(dossier.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict]:
    dossier = tmp_path_factory.mktemp("demo")
    verite = generer(dossier)
    assert verite == dossier / "verite.json"
    return dossier, json.loads(verite.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def offres(demo) -> pd.DataFrame:
    """Distinct France Travail offers (latest version), with ROME v3 and département."""
    dossier, _ = demo
    lignes = []
    for page in sorted((dossier / "offres-ft").glob("page-*.json")):
        for o in json.loads(page.read_text(encoding="utf-8"))["resultats"]:
            lieu = o["lieuTravail"]
            lignes.append({
                "id": o["id"], "rome4": o["romeCode"], "creation": o["dateCreation"],
                "actualisation": o.get("dateActualisation"),
                "dep": (lieu.get("commune") or lieu["libelle"])[:2],
                "salaire": o["salaire"].get("libelle"), "manque": o.get("offresManqueCandidats"),
                "experience": o.get("experienceLibelle"), "entreprise": o["entreprise"].get("nom"),
                "formation": (o.get("formations") or [{}])[0].get("niveauLibelle")})
    brutes = pd.DataFrame(lignes)
    codes = pd.read_csv(REFERENTIELS / "rome" / "unix_referentiel_code_rome_v460_utf8.csv", dtype=str)
    parents = dict(zip(codes.code_rome, codes.code_rome_parent, strict=True))
    brutes["rome"] = brutes.rome4.map(parents)
    brutes["vues"] = brutes.groupby("id").id.transform("size")
    derniere = brutes.groupby("id").actualisation.max()
    uniques = brutes.drop_duplicates("id").set_index("id")
    uniques["actualisation"] = derniere
    return uniques


def classeur(dossier: Path, cause: str, verite: dict) -> dict[str, pd.DataFrame]:
    pilote = next(p for p in verite["entreprises_pilotes"] if p["cause"] == cause)
    feuilles = pd.read_excel(dossier / pilote["fichier"], sheet_name=None, dtype=str, engine="calamine")
    for nom in ("recrutements", "candidatures"):
        for colonne in feuilles[nom].columns:
            if colonne.startswith("date_"):
                feuilles[nom][colonne] = pd.to_datetime(feuilles[nom][colonne], format="%d/%m/%Y")
    r = feuilles["recrutements"]
    r["delai"] = (r.date_cloture - r.date_ouverture).dt.days
    return feuilles


def annees(libelle: str | None) -> float | None:
    """Years of experience a France Travail label states (None when it states none)."""
    if not isinstance(libelle, str):
        return None
    if libelle.startswith("Débutant"):
        return 0.0
    trouve = re.search(r"(\d+) (An|Mois)", libelle)
    return None if not trouve else int(trouve[1]) / (1 if trouve[2] == "An" else 12)


# --------------------------------------------------------------------------- determinism and scale

def test_meme_graine_memes_octets(demo, tmp_path):
    dossier, _ = demo
    generer(tmp_path)
    assert empreintes(tmp_path) == empreintes(dossier)


def test_autre_graine_autres_donnees(tmp_path):
    a, b = generer(tmp_path / "a", echelle=600).parent, generer(tmp_path / "b", graine=7, echelle=600).parent
    ea, eb = empreintes(a), empreintes(b)
    differents = [f for f in ea if f in eb and ea[f] != eb[f]]
    assert "offres-fichier/emploi-bfc.csv" in differents
    assert "demandeurs/demandeurs-rome-territoire.csv" in differents
    assert len(differents) > 0.9 * len(set(ea) & set(eb))


def test_processus_paralleles_memes_octets(tmp_path, monkeypatch):
    generer(tmp_path / "seul", echelle=600)
    monkeypatch.setattr(demo_module, "SEUIL_PARALLELE", 0)  # weeks drawn by worker processes
    generer(tmp_path / "plusieurs", echelle=600)
    assert empreintes(tmp_path / "seul") == empreintes(tmp_path / "plusieurs")


def test_echelle(tmp_path):
    verite = json.loads(generer(tmp_path, echelle=600).read_text(encoding="utf-8"))
    ids = {o["id"] for p in (tmp_path / "offres-ft").glob("*.json")
           for o in json.loads(p.read_text(encoding="utf-8"))["resultats"]}
    assert len(ids) == 600 == verite["comptes"]["offres_ft"]["offres_distinctes"]
    bfc = pd.read_csv(tmp_path / "offres-fichier" / "emploi-bfc.csv", sep=";", encoding="cp1252", dtype=str)
    ats = pd.read_excel(tmp_path / "offres-fichier" / "ats-talentis.xlsx", engine="calamine")
    assert len(bfc) == verite["comptes"]["emploi_bfc"] and 80 <= len(bfc) <= 200  # ~1/6 of the offers
    assert len(ats) == verite["comptes"]["ats_talentis"]
    with pytest.raises(ErreurUtilisateur, match="échelle trop petite"):
        generer(tmp_path / "trop-petit", echelle=100)


def test_regenerer_remplace_l_ancienne_demo(tmp_path):
    generer(tmp_path, echelle=800)
    generer(tmp_path, echelle=500)
    ids = {o["id"] for p in (tmp_path / "offres-ft").glob("*.json")
           for o in json.loads(p.read_text(encoding="utf-8"))["resultats"]}
    assert len(ids) == 500
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*demo_module.SOUS_DOSSIERS, "verite.json"])


# --------------------------------------------------------------------------- formats

def test_pages_comme_l_api_reelle(demo, partage):
    dossier, _ = demo
    reelles = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((partage / "ft-offres-74").glob("*.json"))]
    pages = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((dossier / "offres-ft").glob("*.json"))]
    assert {tuple(p) for p in pages} == {tuple(p) for p in reelles} == {("resultats", "filtresPossibles")}
    assert all(len(p["resultats"]) <= 150 for p in pages)
    vraies = [o for p in reelles for o in p["resultats"]]
    demos = [o for p in pages for o in p["resultats"]]
    toujours = set.intersection(*(set(o) for o in vraies))
    assert all(toujours <= set(o) for o in demos)
    assert set().union(*(set(o) for o in demos)) <= set().union(*(set(o) for o in vraies))
    for cle in ("lieuTravail", "entreprise", "salaire", "contact", "agence", "origineOffre", "contexteTravail"):
        vues = set().union(*(set(o.get(cle, {})) for o in vraies))
        assert set().union(*(set(o.get(cle, {})) for o in demos)) <= vues, cle
    for cle in ("formations", "competences", "langues", "permis", "qualitesProfessionnelles"):
        vues = set().union(*(set(e) for o in vraies for e in o.get(cle, [])))
        assert set().union(*(set(e) for o in demos for e in o.get(cle, []))) <= vues, cle
    assert {f["filtre"] for f in pages[0]["filtresPossibles"]} == {f["filtre"] for f in reelles[0]["filtresPossibles"]}
    # laid out exactly as the real bodies: json.dumps(indent=2, ensure_ascii=False)
    for chemin in (sorted((partage / "ft-offres-74").glob("*.json"))[0], sorted((dossier / "offres-ft").glob("*.json"))[0]):
        texte = chemin.read_text(encoding="utf-8")
        assert json.dumps(json.loads(texte), ensure_ascii=False, indent=2) == texte


def test_page_chargee_sans_rejet(demo):
    dossier, _ = demo
    page = sorted((dossier / "offres-ft").glob("*.json"))[80]
    lot = offres_ft.lire(page, Contexte())
    assert lot.rejets == []
    assert len(lot.tables[0].lignes) == len(json.loads(page.read_text(encoding="utf-8"))["resultats"])


def test_libelles_dans_les_formes_reelles(offres):
    salaires = offres.salaire.dropna()
    assert {s.split(" de ")[0] for s in salaires} >= {"Mensuel", "Horaire", "Annuel"}
    assert salaires.str.contains(r"sur 12\.0 mois").any() and salaires.str.contains(r"\d,\d\d Euros").any()
    assert 0.2 < offres.salaire.isna().mean() < 0.6  # hidden salaries
    for libelle in salaires:
        lu = lire_salaire(libelle)
        assert lu is not None and 1200 <= lu.min_mensuel <= lu.max_mensuel <= 6000, libelle
    experiences = set(offres.experience.dropna())
    assert "Débutant accepté" in experiences and "2 An(s)" in experiences
    assert "Expérience exigée de 3 An(s)" in experiences
    assert (offres.vues > 1).sum() > 1000  # offers shown again later, updated


def test_contacts_inventes_et_enregistres(demo):
    dossier, verite = demo
    contacts = verite["contacts_recruteurs"]
    pages = sorted((dossier / "offres-ft").glob("*.json"))[::4]
    textes = "".join(p.read_text(encoding="utf-8") for p in pages)
    courriels = set(COURRIEL.findall(textes))
    assert courriels <= set(contacts["courriels"]) | set(contacts["courriels_agences"])
    assert set(contacts["courriels"]) & courriels and set(contacts["courriels_agences"]) & courriels
    assert all(c.endswith(".example") for c in courriels)
    telephones = {re.sub(r"\D", "", t).replace("33", "0", 1) if t.startswith("+") else re.sub(r"\D", "", t)
                  for t in TELEPHONE.findall(textes)}
    assert telephones and telephones <= set(contacts["telephones"])
    assert all(t[:6] in {"035301", "063998"} for t in telephones)  # ARCEP fiction blocks
    descriptions = [o["description"] for p in pages for o in json.loads(p.read_text(encoding="utf-8"))["resultats"]]
    assert any(COURRIEL.search(d) for d in descriptions) and any(TELEPHONE.search(d) for d in descriptions)


def test_exports_des_plateformes(demo):
    dossier, _ = demo
    declarees = sources_offres()["plateformes"]
    with (dossier / "offres-fichier" / "emploi-bfc.csv").open(encoding="cp1252", newline="") as f:
        entete = next(csv.reader(f, delimiter=";"))
    assert entete == list(declarees["emploi-bfc"]["colonnes"].values())
    ats = pd.read_excel(dossier / "offres-fichier" / "ats-talentis.xlsx", sheet_name=None, engine="calamine")
    assert list(ats) == [declarees["ats-talentis"]["feuille"]]
    assert list(ats["Offres"].columns) == list(declarees["ats-talentis"]["colonnes"].values())
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", ats["Offres"]["Created on"].iloc[0])


def test_bmo_comme_le_fichier_reel(demo, partage):
    dossier, _ = demo
    reel = pd.read_excel(partage / "bmo-2024" / "Base_open_data_BMO_2024.xlsx", sheet_name=None, nrows=3,
                         engine="calamine")
    for annee in (2024, 2025):
        feuilles = pd.read_excel(dossier / "bmo" / f"Base_open_data_BMO_{annee}.xlsx", sheet_name=None,
                                 engine="calamine")
        assert list(feuilles) == ["Description des variables", f"BMO_{annee}_open_data"]
        donnees = feuilles[f"BMO_{annee}_open_data"]
        attendu = [c.replace("24", str(annee)[2:]) for c in reel["BMO_2024_open_data"].columns]
        assert list(donnees.columns) == attendu
        assert (donnees.xmet == "*").any()
        classeur_ = openpyxl.load_workbook(dossier / "bmo" / f"Base_open_data_BMO_{annee}.xlsx", read_only=True)
        lignes = list(classeur_[f"BMO_{annee}_open_data"].iter_rows(min_row=2, values_only=True))
        # as in the real file: year and basin are numbers, every other cell is text
        assert {tuple(type(v).__name__ for v in ligne) for ligne in lignes} == {("int", *["str"] * 8, "int", *["str"] * 4)}
        assert {ligne[5] for ligne in lignes} == {"27"}


def test_fichiers_dares_comme_les_reels(demo, partage):
    dossier, _ = demo
    for nom, encodage in (("tensions.csv", "utf-8"), ("evol_tensions.csv", "utf-8"),
                          ("serie_demandeurs_emploi_A_ABC.csv", "cp1252")):
        reel = (partage / "dares" / nom).read_bytes().split(b"\n")[0]
        genere = (dossier / "dares" / nom).read_bytes()
        assert genere.split(b"\n")[0] == reel, nom
        genere.decode(encodage)
    tensions = pd.read_csv(dossier / "dares" / "tensions.csv", dtype=str)
    assert set(tensions.niveau_geo) == {"nat", "reg", "reg ", "dep"}
    assert "G1Z70" in set(tensions.fap) and "27.0" in set(tensions.reg)


# --------------------------------------------------------------------------- the planted story

def test_maintenance_premier_metier_de_cote_d_or(demo, offres):
    _, verite = demo
    par_rome = offres[offres.dep == "21"].rome.value_counts()
    assert par_rome.index[0] == "I1304"
    assert par_rome["I1304"] > 1.5 * par_rome.iloc[1]
    assert verite["marche"]["classement_offres_21"][0] == ["I1304", int(par_rome["I1304"])]
    assert len(offres) == 6000


def test_demandeurs_nombreux_sauf_metier_en_penurie(demo, offres):
    dossier, verite = demo
    stats = pd.read_csv(dossier / "demandeurs" / "demandeurs-rome-territoire.csv", sep=";", dtype=str)
    dep21 = stats[(stats.type_territoire == "DEP") & (stats.code_territoire == "21") & (stats.categorie == "A")]
    entrees = dep21.assign(entrees=dep21.entrees.astype(int)).groupby("code_rome").entrees.sum()
    stock = dep21.assign(d=dep21.demandeurs.astype(int)).groupby("code_rome").d.mean()
    nombre = offres[offres.dep == "21"].rome.value_counts()
    assert entrees["I1304"] / nombre["I1304"] >= 2  # plenty of jobseekers per offer
    assert entrees["H2301"] / nombre["H2301"] < 1  # the genuine shortage
    assert stock["H2301"] < nombre["H2301"] / 36 * 1.5  # fewer jobseekers than a month's offers, roughly
    assert verite["marche"]["metier_principal"]["entrees_a"] == int(entrees["I1304"])
    assert (stats.entrees == "*").any() and not (stats[stats.type_territoire != "BASSIN"].entrees == "*").any()


def test_salaire_masque_allonge_et_manque_de_candidats(offres):
    masque = offres.salaire.isna()
    manque = offres.manque.dropna().astype(bool)
    assert manque[masque].mean() > 1.5 * manque[~masque].mean()
    revues = offres[offres.vues > 1]
    duree = (pd.to_datetime(revues.actualisation) - pd.to_datetime(revues.creation)).dt.days
    assert duree[revues.salaire.isna()].median() > 1.2 * duree[revues.salaire.notna()].median()


def test_pilote_contenu_offre_corrige_par_son_action(demo):
    dossier, verite = demo
    feuilles = classeur(dossier, "contenu_offre", verite)
    r, action = feuilles["recrutements"], feuilles["actions"]
    debut = pd.to_datetime(action.date_debut.iloc[0], format="%d/%m/%Y")
    assert action.action.iloc[0] == "Afficher le salaire dans les offres"
    avant, apres = r[r.date_ouverture < debut], r[r.date_ouverture >= debut]
    assert (avant.salaire_affiche == "non").mean() > 0.7 and (apres.salaire_affiche == "oui").all()
    assert r.description.str.len().median() < 60  # thin offers
    delai_avant = avant[avant.statut == "pourvu"].delai.median()
    delai_apres = apres[apres.statut == "pourvu"].delai.median()
    assert delai_apres < 0.75 * delai_avant
    temoins = pd.concat([classeur(dossier, c, verite)["recrutements"] for c in ("analyse_besoin", "sourcing", "procedure")])
    temoins = temoins[temoins.statut == "pourvu"]
    rapport = temoins[temoins.date_ouverture >= debut].delai.median() / temoins[temoins.date_ouverture < debut].delai.median()
    assert 0.8 < rapport < 1.25  # the market did not change
    assert verite["entreprises_pilotes"][0]["action"]["delai_median_apres_jours"] == delai_apres
    did = verite["difference_de_differences"]
    assert did["delai_median_jours_pilote"] == {"avant": delai_avant, "apres": delai_apres}
    assert did["rapport_plante"] == 0.575


def test_pilote_analyse_besoin_exigences_gonflees(demo, offres):
    dossier, verite = demo
    r = classeur(dossier, "analyse_besoin", verite)["recrutements"]
    maintenance = r[r.code_rome == "I1304"]
    marche = offres[offres.rome == "I1304"]
    experience_marche = marche.experience.map(annees).dropna().median()
    niveaux = {"CAP, BEP et équivalents": 3, "Bac ou équivalent": 4, "Bac+2 ou équivalents": 5,
               "Bac+3, Bac+4 ou équivalents": 6, "Bac+5 et plus ou équivalents": 7}
    diplome_marche = marche.formation.dropna().map(niveaux).median()
    assert maintenance.experience_requise_annees.astype(float).median() >= experience_marche + 3
    assert maintenance.diplome_requis.astype(float).median() >= diplome_marche + 2
    gonfle = next(p for p in verite["entreprises_pilotes"] if p["cause"] == "analyse_besoin")
    assert gonfle["exigences_gonflees"]["I1304"]["experience_requise_annees"]["ecart"] >= 3


def test_pilote_sourcing_peu_de_canaux_et_de_candidats(demo):
    dossier, verite = demo
    feuilles = {c: classeur(dossier, c, verite) for c in PILOTES}
    par_recrutement = {c: f["candidatures"].groupby("reference_recrutement").size().median()
                       for c, f in feuilles.items()}
    assert par_recrutement["sourcing"] <= 6
    assert all(par_recrutement[c] >= 10 for c in PILOTES if c != "sourcing")
    assert (feuilles["sourcing"]["recrutements"].canaux.str.count(r"\|") <= 1).all()


def test_pilote_procedure_lente_et_desistements(demo):
    dossier, verite = demo
    for cause in PILOTES:
        c = classeur(dossier, cause, verite)["candidatures"]
        attente = (c.date_entretien - c.date_preselection).dt.days.median()
        entretiens = c[c.date_entretien.notna()]
        desistes = entretiens.date_desistement.notna().mean()
        if cause == "procedure":
            assert attente >= 15 and desistes >= 0.3
        else:
            assert attente <= 10 and desistes <= 0.2


def test_pilote_sans_difficulte_trop_peu_de_donnees(demo):
    dossier, verite = demo
    feuilles = classeur(dossier, "pas_de_difficulte", verite)
    r = feuilles["recrutements"]
    assert len(r) == 4 and (r.statut == "pourvu").all() and len(feuilles["actions"]) == 1
    autres = [classeur(dossier, c, verite)["recrutements"].delai.median() for c in PILOTES[:4]]
    assert r.delai.median() < min(autres)
    pilote = next(p for p in verite["entreprises_pilotes"] if p["cause"] == "pas_de_difficulte")
    assert pilote["action"]["donnees_suffisantes"] is False


def test_doublons_plantes_retrouves_dans_les_fichiers(demo, offres):
    dossier, verite = demo
    bfc = pd.read_csv(dossier / "offres-fichier" / "emploi-bfc.csv", sep=";", encoding="cp1252", dtype=str)
    bfc = bfc.set_index("Référence annonce")
    romes = {identifiant: rome for source, identifiant, rome in verite["rome_offres_fichier"] if source == "emploi-bfc"}
    assert set(romes) == set(bfc.index)
    paires = 0
    for grappe in verite["doublons"]["grappes"]:
        ft = [m["id"] for m in grappe if m["source"] == "offres-ft"]
        eb = [m["id"] for m in grappe if m["source"] == "emploi-bfc"]
        if not (ft and eb):
            continue
        o, b = offres.loc[ft[0]], bfc.loc[eb[0]]
        assert b["Code commune"][:2] == o.dep
        assert romes[eb[0]] == o.rome
        ecart = abs(pd.to_datetime(o.creation[:10]) - pd.to_datetime(b["Date de publication"], format="%d/%m/%Y"))
        assert ecart.days <= 4
        if isinstance(o.entreprise, str):
            assert b["Société"] == o.entreprise
        paires += 1
    assert paires > 300
    assert 0.3 < verite["doublons"]["part_emploi_bfc"] < 0.55
    assert verite["doublons"]["doublons_internes_ft"] > 100
