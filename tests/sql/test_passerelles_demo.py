"""On the demo: the pilot planted with a thin qualified pool (verite.json, « passerelles »)
is diagnosed « qualification », and its report proposes the neighbouring occupations
whose pools the generator planted, with their counts in its département."""

from __future__ import annotations

import csv
import re

from flows.config import REFERENTIELS
from flows.formats import nombre_fr
from flows.render import rapport


def _libelles() -> dict[str, str]:
    """ROME labels straight from the shipped referential file."""
    with (REFERENTIELS / "rome" / "unix_referentiel_code_rome_v460_utf8.csv").open(encoding="utf-8") as f:
        return {ligne["code_rome"]: ligne["libelle_rome"] for ligne in csv.DictReader(f)}


def test_le_rapport_du_pilote_propose_les_metiers_passerelles(demo, tmp_path):
    verite = demo["verite"]["passerelles"]
    pilote = next(p for p in demo["verite"]["entreprises_pilotes"] if p["nom"] == verite["entreprise"])
    assert pilote["roles"][verite["rome_v3"]]["cause"] == "qualification"

    page = rapport.construire(demo["entrepot"], verite["entreprise"], tmp_path / "pilote.html")
    texte = " ".join(page.read_text(encoding="utf-8").split())
    assert "Où chercher d'autres candidats : les métiers passerelles" in texte
    # and the summary's actions send the reader there
    actions = texte[texte.index("Les actions prioritaires"):texte.index("Suivi des actions engagées")]
    assert '<span class="titre">Chercher dans les métiers voisins.</span>' in actions
    libelles = _libelles()
    for code, attendu in verite["voisins"].items():
        # the neighbour by its label, with its mean stocks of the year in the département
        ligne = (re.escape(f"<tr><td>{libelles[code]}".replace("'", "&#39;")) + r"(<br><span class=\"note\">[^<]*</span>)?"
                 + re.escape(f"</td><td class=\"nombre\">{nombre_fr(attendu['demandeurs_a'], 0)}</td>"
                             f"<td class=\"nombre\">{nombre_fr(attendu['demandeurs_abc'], 0)}</td>"))
        assert re.search(ligne, texte), code
    # the shortage occupation is a neighbour too, but its pool is no way out
    assert "car eux-mêmes en tension : " + libelles[verite["voisin_en_penurie"]] in texte.replace("&#39;", "'")
    # the report names its own company only
    autres = [p["nom"] for p in demo["verite"]["entreprises_pilotes"] if p["nom"] != verite["entreprise"]]
    assert not [nom for nom in autres if nom in texte.replace("&#39;", "'")]
