"""The bulk France Travail loader (DuckDB reads many pages at once) leaves the warehouse
exactly as the Python loader does file by file: same rows, rejects and load log, on
regular pages and on every kind of malformed file (those go to the Python loader)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows import warehouse
from flows.lecture.lots import Contexte, empreinte, nom_affiche
from flows.sources import offres_ft, offres_ft_masse

TABLES = ["offres_ft", "offres_ft_competences", "offres_ft_formations", "offres_ft_langues", "offres_ft_permis",
          "offres_ft_qualites"]
CONTEXTE = Contexte(frozenset({"I1304", "H2102"}), frozenset({"21231", "21054"}))


def _etat(con) -> list:
    etat = [con.execute(f"select * exclude (_charge_le) from brut.{t} order by all").fetchall() for t in TABLES]
    etat.append(con.execute("select fichier, sha256, ligne, chemin_json, champ, valeur, motif "
                            "from controle.rejets order by all").fetchall())
    etat.append(con.execute("select fichier, sha256, lignes_lues, lignes_nouvelles, lignes_mises_a_jour, "
                            "lignes_inchangees, lignes_rejetees, remarques from controle.chargements "
                            "order by all").fetchall())
    return etat


def _un_par_un(con, fichiers: list[Path]) -> None:
    """What the ingestion did before the bulk path: each file in turn, skipped when a file
    with the same content was loaded cleanly."""
    for fichier in fichiers:
        if con.execute("select count(*) from controle.chargements where sha256 = ? and lignes_rejetees = 0",
                       [empreinte(fichier.read_bytes())]).fetchall()[0][0]:
            continue
        warehouse.charger(con, offres_ft.lire(fichier, CONTEXTE))


def _en_masse(con, fichiers: list[Path], dossier: Path, taille: int) -> list[warehouse.Bilan]:
    liste = [(i, str(f), empreinte(f.read_bytes()), nom_affiche(f)) for i, f in enumerate(fichiers)]
    bilans = []
    for debut in range(0, len(liste), taille):
        paquet = offres_ft_masse.preparer(liste[debut:debut + taille], dossier / str(debut), CONTEXTE)
        bilans += warehouse.charger_paquet(con, paquet)
    return bilans


def _offre(id_, **champs):
    offre = {"id": id_, "intitule": f"Offre {id_}", "dateCreation": "2025-03-01T08:00:00.000Z",
             "dateActualisation": "2025-03-02T08:00:00.000Z", "romeCode": "I1304",
             "lieuTravail": {"libelle": "21 - DIJON", "latitude": 47.32, "longitude": 5.04, "commune": "21231"},
             "nombrePostes": 1, "alternance": False}
    offre.update(champs)
    return offre


def _page(*offres) -> str:
    return json.dumps({"resultats": list(offres), "filtresPossibles": []}, ensure_ascii=False, indent=2)


def _catalogue(dossier: Path) -> list[Path]:
    """Pages a loader may meet, in load order; the ones after ``courante`` are not API pages
    or hold values of another JSON type than the API's."""
    textes = {
        "courante.json": _page(
            _offre("A1", description="Écrire à rh.dijon@example.fr ou au 03 80 12 34 56.",
                   salaire={"libelle": "Mensuel de 2000.0 Euros à 2500.0 Euros sur 13.0 mois", "commentaire": " "},
                   typeContratLibelle="CDD - 6 Mois", experienceLibelle="Expérience exigée de 3 An(s)",
                   dureeTravailLibelle="35H/semaine", dureeTravailLibelleConverti="Temps plein",
                   contexteTravail={"horaires": ["35H Travail en journée", "  ", "Tél 06.12.34.56.78"]},
                   entreprise={"nom": "ACME", "description": "Site de Dijon", "entrepriseAdaptee": False},
                   origineOffre={"origine": "2", "partenaires": [{"nom": "EMPLOI-BFC"}, None]},
                   competences=[{"code": "1", "libelle": "GMAO", "exigence": "E"}, None,
                                {"libelle": "Soudure", "exigence": "S"}],
                   qualitesProfessionnelles=[{"libelle": "Rigueur", "description": "contact@acme.fr"}]),
            _offre(" A2\u3000", dateCreation="2025-03-01", dateActualisation="2025-03-03T10:00:00+02:00",
                   lieuTravail={"libelle": "21", "latitude": "47,3", "commune": "21054"},
                   salaire={"libelle": "Horaire de 12,5 Euros"}, qualificationCode=" ",
                   entreprise={"entrepriseAdaptee": None}, entrepriseAdaptee=True),
            _offre("A3", romeCode="H2102", nombrePostes=3, entreprise="pas un objet", lieuTravail="Dijon",
                   competences="GMAO", contexteTravail={"horaires": "35H"}),
            None),
        "invalides.json": _page(
            _offre("D1"), _offre("D2", dateCreation="05/03/2025"), _offre("D3", romeCode="MAINT1"),
            _offre("D4", nombrePostes=-2), _offre("D1"), _offre("D5", intitule=""), _offre("", intitule=None),
            _offre("D6", romeCode="Z9999", lieuTravail={"commune": "99999"}), _offre("D7", alternance="peut-être"),
            _offre("D8", dateActualisation="2025-02-30T08:00:00Z"), _offre("D9", dateCreation=None)),
        "v1.json": _page(_offre("F1", intitule="Technicien", competences=[{"libelle": "Soudure"}])),
        "v2.json": _page(_offre("F1", intitule="Technicien de maintenance", dateActualisation="2025-04-01T08:00:00Z",
                                competences=[{"libelle": "GMAO"}, {"libelle": "Soudure"}])),
        "v0.json": _page(_offre("F1", intitule="Ancienne version", dateActualisation="2025-03-01T09:00:00Z")),
        "vide-resultats.json": _page(),
        "copie-de-v1.json": _page(_offre("F1", intitule="Technicien", competences=[{"libelle": "Soudure"}])),
        "tronque.json": _page(_offre("T1"), _offre("T2"))[:-60],
        "tableau.json": json.dumps([_offre("B1"), _offre("B2")]),
        "flux.jsonl": json.dumps(_offre("C1")) + "\n{pas du json\n" + json.dumps(_offre("C2")) + "\n",
        "forme.json": json.dumps({"offres": [_offre("E1")]}),
        "offre-seule.json": json.dumps(_offre("E3")),
        "vide.json": "",
        "non-objet.json": _page(_offre("G1"), "pas une offre", _offre("G2", competences=["GMAO"])),
        "partenaire-sans-nom.json": _page(_offre("P1", origineOffre={"partenaires": [{"url": "x"}]})),
        "types.json": _page(_offre("H1", intitule=True), _offre("H2", nombrePostes=2.0),
                            _offre("H3", description={"texte": "x"}), _offre("H4", alternance=1)),
        "sans-champ.json": _page({}, {"inconnu": 1}),
        "cles-doubles.json": '{"resultats": [{"id": "K1", "id": 5, "intitule": "x", "dateCreation": "2025-03-01"}]}',
        "cle-double-imbriquee.json": _page(_offre("K2"), _offre("K3")).replace(
            '"commune": "21231"', '"commune": "21231", "commune": "21054"', 1),
        "cle-double-identique.json": _page(_offre("K4")).replace('"romeCode": "I1304"',
                                                                 '"romeCode": "I1304", "romeCode": "I1304"'),
        "id-nombre.json": _page(_offre(1234)),  # a whole number is the API's text, in both loaders
        "dates-hors-bornes.json": _page(_offre("Q1", dateCreation="0001-01-01T00:00:00Z"),
                                        _offre("Q2", dateActualisation="9999-12-31T23:59:59.999Z"),
                                        _offre("Q3", dateCreation="2099-03-01T08:00:00+02:00"), _offre("Q4")),
        "deux-resultats.json": _page(_offre("K5")).replace('"filtresPossibles": []',
                                                           '"resultats": [{"id": "K6", "intitule": "y", '
                                                           '"dateCreation": "2025-03-01"}]'),
        "deux-pages.json": _page(_offre("J1")) + "\n" + _page(_offre("J2")),
        "grand-nombre.json": _page(_offre("L1", lieuTravail={"latitude": 1e400})).replace("Infinity", "1e400"),
    }
    chemins = []
    for nom, texte in textes.items():
        chemin = dossier / nom
        chemin.write_text(texte, encoding="utf-8")
        chemins.append(chemin)
    latin = dossier / "latin.json"
    latin.write_bytes(_page(_offre("M1", intitule="Opérateur")).encode("cp1252"))
    bom = dossier / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + _page(_offre("N1")).encode())
    return [*chemins, latin, bom]


# read by the Python loader: not an API page, not readable by DuckDB, or a value whose JSON
# type is not the API's (in the others, DuckDB reads everything)
LUS_PAR_PYTHON = {"tronque.json", "tableau.json", "flux.jsonl", "forme.json", "offre-seule.json", "vide.json",
                  "non-objet.json", "partenaire-sans-nom.json", "types.json", "sans-champ.json", "deux-pages.json",
                  "grand-nombre.json", "latin.json", "cles-doubles.json", "cle-double-imbriquee.json",
                  "cle-double-identique.json", "deux-resultats.json"}


@pytest.mark.parametrize("taille", [2, 100])
def test_meme_entrepot_que_fichier_par_fichier(tmp_path, taille, monkeypatch):
    fichiers = _catalogue(tmp_path)
    lus_par_python = []
    lire = offres_ft.lire
    monkeypatch.setattr(offres_ft, "lire", lambda chemin, contexte: lus_par_python.append(chemin.name)
                        or lire(chemin, contexte))
    temoin = warehouse.connecter(tmp_path / "temoin.duckdb")
    masse = warehouse.connecter(tmp_path / "masse.duckdb")
    _un_par_un(temoin, fichiers)
    lus_par_python.clear()
    bilans = _en_masse(masse, fichiers, tmp_path / "partitions", taille)
    assert set(lus_par_python) - {"copie-de-v1.json"} == LUS_PAR_PYTHON
    attendu, obtenu = _etat(temoin), _etat(masse)
    for nom, a, o in zip([*TABLES, "rejets", "chargements"], attendu, obtenu, strict=True):
        assert o == a, nom
    par_fichier = {Path(b.fichier).name: b for b in bilans}
    assert par_fichier["copie-de-v1.json"].deja_charge
    assert (par_fichier["v2.json"].mises_a_jour, par_fichier["v0.json"].inchangees) == (1, 1)
    assert (par_fichier["courante.json"].nouvelles, par_fichier["invalides.json"].nouvelles) == (3, 1)
    temoin.close()
    masse.close()


def test_un_second_passage_ne_change_rien(tmp_path):
    fichiers = _catalogue(tmp_path)
    con = warehouse.connecter(tmp_path / "masse.duckdb")
    _en_masse(con, fichiers, tmp_path / "p1", 100)
    avant = _etat(con)[:-1]
    bilans = _en_masse(con, fichiers, tmp_path / "p2", 100)
    assert _etat(con)[:-1] == avant
    assert sum(b.nouvelles + b.mises_a_jour for b in bilans) == 0
    # files without rejects are skipped; the others are read again, all unchanged
    assert {Path(b.fichier).name for b in bilans if not b.deja_charge} == {
        "courante.json", "invalides.json", "tronque.json", "flux.jsonl", "forme.json", "vide.json", "non-objet.json",
        "sans-champ.json", "deux-pages.json", "grand-nombre.json", "latin.json", "types.json", "cles-doubles.json",
        "cle-double-imbriquee.json", "dates-hors-bornes.json"}
    con.close()
