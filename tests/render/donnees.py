"""A small warehouse for the publication tests: four pilot companies on one occupation
(I1304, so that the peers' figures pass the statistical-secrecy rule), two of them also
on H2301 (one peer: secret), a market of France Travail offers and jobseekers in
Côte-d'Or in 2025, one offer titled with a script, one title naming another pilot,
an agreed action, and a load log with quarantined rows.

Rows go straight into the raw tables with dummy provenance, as tests/sql/conftest.py
does, then the prep and analyse layers are rebuilt; built once per module (a build takes
a few seconds), hence its own helper rather than those function-scoped fixtures.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from flows import warehouse
from flows.transformation import COUCHES, construire_couche

CHARGE_UTILE = "<script>alert(1)</script>"
# name -> prefix of its references and candidates
ENTREPRISES = {"Alpha Pharma": "ALP", "Beta Labo": "BET", "Gamma Chimie": "GAM", "Delta <b>Santé</b> & Cie": "DEL"}
PROVENANCE = {"_fichier": "test", "_sha256": "test", "_charge_le": datetime(2026, 1, 1)}


def inserer(con, table: str, lignes: list[dict]) -> None:
    for ligne in lignes:
        valeurs = PROVENANCE | ligne
        con.execute(f"insert into {table} ({', '.join(valeurs)}) values ({', '.join('?' for _ in valeurs)})",
                    list(valeurs.values()))


def _recrutements(entreprise: str, prefixe: str) -> tuple[list[dict], list[dict]]:
    """Four I1304 requisitions opened in January-April 2025, each with three applications
    (one hired, one withdrawn after the interview, one rejected), filled in 40 to 70 days."""
    recrutements, candidatures = [], []
    for i in range(1, 5):
        ouverture = date(2025, i, 1)
        salaire = 2000.0 if prefixe == "ALP" else 2500.0  # Alpha pays 20 % under the market
        intitule = {("ALP", 1): CHARGE_UTILE, ("BET", 1): "Technicien (remplace Alpha Pharma)"}.get(
            (prefixe, i), "Technicien de maintenance")
        recrutements.append({
            "entreprise": entreprise, "reference": f"{prefixe}-{i}", "intitule": intitule, "code_rome": "I1304",
            "commune_site": "21231", "date_ouverture": ouverture, "date_cloture": ouverture + timedelta(days=30 + 10 * i),
            "statut": "pourvu", "nombre_postes": 1, "diplome_requis": 5, "salaire_affiche": True,
            "salaire_min_mensuel": salaire, "salaire_max_mensuel": salaire, "experience_requise_mois": 12.0,
            "canaux": ["france_travail", "jobboard"], "description": "x" * (100 if prefixe == "ALP" else 600),
            "competences": ["a", "b"]})
        reception = ouverture + timedelta(days=5)
        for lettre, fin in (("a", "embauche"), ("b", "desistement"), ("c", "refus")):
            candidature = {
                "entreprise": entreprise, "reference_recrutement": f"{prefixe}-{i}",
                "candidat_hash": f"cand-{prefixe}-{i}-{lettre}", "canal": "jobboard" if lettre == "a" else "france_travail",
                "date_reception": reception, "date_preselection": reception + timedelta(days=3)}
            if fin == "embauche":
                candidature |= {"date_entretien": reception + timedelta(days=10),
                                "date_proposition": reception + timedelta(days=15),
                                "date_embauche": reception + timedelta(days=20 + 10 * i)}
            elif fin == "desistement":
                candidature |= {"date_entretien": reception + timedelta(days=10),
                                "date_desistement": reception + timedelta(days=12)}
            else:
                candidature |= {"date_refus": reception + timedelta(days=4)}
            candidatures.append(candidature)
    return recrutements, candidatures


def construire_entrepot(chemin: Path) -> Path:
    con = warehouse.connecter(chemin)
    try:
        _remplir(con)
    finally:
        con.close()
    for couche in COUCHES:
        construire_couche.fn(couche, str(chemin))
    return chemin


def _remplir(con) -> None:
    inserer(con, "brut.rome_codes", [
        {"code_rome": "I1304", "libelle_rome": "Technicien de maintenance industrielle", "code_rome_parent": "I1304"},
        {"code_rome": "H2301", "libelle_rome": "Conducteur de ligne", "code_rome_parent": "H2301"}])
    communes = [("21231", "Dijon", "21", 47.33187, 5.03222, "2715"), ("71270", "Mâcon", "71", 46.3069, 4.8287, "2709")]
    inserer(con, "brut.communes", [
        {"insee_com": c, "code_postal": "00000", "insee_reg": "27", "insee_dep": d, "commune": n, "commune_type": "COM",
         "lat": lat, "lng": lng} for c, n, d, lat, lng, _ in communes])
    inserer(con, "brut.bassins_bmo", [{"code_commune_insee": c, "reg": "27", "dep": d, "code_bassin": b,
                                       "lib_bassin": n.upper()} for c, n, d, _, _, b in communes])
    # market, Côte-d'Or 2025: I1304 offers at 2 500 €, 12 months, 500 characters; H2301 too
    offres = []
    for numero, (rome, commune) in enumerate([("I1304", "21231")] * 6 + [("H2301", "21231")] * 3
                                             + [("I1304", "71270")] * 2):
        moment = datetime(2025, 1 + numero % 6, 10)
        offres.append({"offre_id": f"M{numero}", "intitule": "Offre du marché", "rome_code": rome,
                       "commune_insee": commune, "date_creation": moment, "_version": moment,
                       "salaire_min_mensuel": 2500.0, "salaire_max_mensuel": 2500.0, "experience_mois": 12.0,
                       "description": "m" * 500})
    inserer(con, "brut.offres_ft", offres)
    inserer(con, "brut.demandeurs_stat", [
        {"code_rome": rome, "type_territoire": "DEP", "code_territoire": dep, "type_periode": "MOIS",
         "periode": f"2025-{mois:02d}", "date_debut": date(2025, mois, 1), "categorie": categorie,
         "demandeurs": stock, "entrees": entrees if categorie == "A" else None,
         "sorties": 5 if categorie == "ABC" else None}
        for rome, dep, stock, entrees in (("I1304", "21", 40, 10), ("H2301", "21", 2, 1), ("I1304", "71", 20, 5))
        for mois in range(1, 7) for categorie in ("A", "ABC")])
    recrutements, candidatures = [], []
    for entreprise, prefixe in ENTREPRISES.items():
        r, c = _recrutements(entreprise, prefixe)
        recrutements += r
        candidatures += c
    # Gamma and Delta also hire on H2301: one peer each, their comparison stays secret
    for entreprise, prefixe in (("Gamma Chimie", "GAM"), ("Delta <b>Santé</b> & Cie", "DEL")):
        recrutements.append({
            "entreprise": entreprise, "reference": f"{prefixe}-9", "intitule": "Conducteur de ligne",
            "code_rome": "H2301", "commune_site": "21231", "date_ouverture": date(2025, 2, 1),
            "date_cloture": date(2025, 4, 1), "statut": "pourvu", "nombre_postes": 1, "diplome_requis": 3,
            "salaire_affiche": True, "salaire_min_mensuel": 2500.0, "experience_requise_mois": 12.0,
            "canaux": ["france_travail"], "description": "x" * 500})
    inserer(con, "brut.recrutements", recrutements)
    inserer(con, "brut.candidatures", candidatures)
    inserer(con, "brut.actions_pilote", [{"entreprise": "Alpha Pharma", "action": "Alpha Pharma affiche le salaire",
                                          "date_debut": date(2025, 3, 1), "indicateur_cible": "delai_pourvoi"}])
    # load log: p1.json loaded twice (3 then 2 rows rejected), p2.json once without reject
    con.executemany("insert into controle.chargements values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        ("offres-ft", "p1.json", "a", datetime(2026, 1, 1, 10), 10, 7, 0, 0, 3, None),
        ("offres-ft", "p1.json", "a", datetime(2026, 1, 2, 10), 10, 0, 0, 8, 2, None),
        ("offres-ft", "p2.json", "b", datetime(2026, 1, 3, 10), 5, 5, 0, 0, 0, None)])
    con.executemany("insert into controle.rejets (source, fichier, sha256, ligne, champ, valeur, motif, rejete_le) "
                    "values (?, ?, ?, ?, ?, ?, ?, ?)", [
                        ("offres-ft", "p1.json", "a", 3, "dateCreation", "pas une date",
                         "horodatage illisible « pas une date »", datetime(2026, 1, 2, 10)),
                        ("offres-ft", "p1.json", "a", 3, "romeCode", "Jean Dupont",
                         "code ROME inconnu « Jean Dupont »", datetime(2026, 1, 2, 10)),
                        ("offres-ft", "p1.json", "a", 7, "dateCreation", "31/02/2025",
                         "horodatage illisible « 31/02/2025 »", datetime(2026, 1, 2, 10))])
