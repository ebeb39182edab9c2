"""What an ingestion tells the analyst, in French: per file or per source, totals, the
first quarantined rows, and when a drop zone brought nothing new."""

from __future__ import annotations

from pathlib import Path

from flows import warehouse
from flows.chargement.fichiers import dossiers_par_source, lister_fichiers
from flows.formats import nombre_fr, pluriel
from flows.lecture.lots import nom_affiche
from flows.manques import signaler


def resume_referentiels(a_charger: list[tuple[str, Path, Path | None]], bilans: list[dict]) -> str | None:
    """One French line: the shipped referentials loaded (files per source, rows), the
    dropped files loaded instead of shipped ones, rows quarantined."""
    if not a_charger:
        return None
    par_source: dict[str, int] = {}
    for nom, _, _ in a_charger:
        par_source[nom] = par_source.get(nom, 0) + 1
    sources = ", ".join(f"{nom} ({pluriel(n, 'fichier')})" for nom, n in par_source.items())
    nouvelles = sum(b["nouvelles"] for b in bilans)
    rejetees = sum(b["rejetees"] for b in bilans)
    texte = (f"Référentiels livrés chargés, leurs tables étant vides : {sources} ; "
             f"{pluriel(nouvelles, 'ligne chargée', 'lignes chargées')}")
    remplacants = [f"{nom_affiche(f)} à la place de {livre.name}" for _, f, livre in a_charger if livre]
    if remplacants:
        texte += " ; déposé par l'analyste : " + ", ".join(remplacants)
    if rejetees:
        texte += f" ; {nombre_fr(rejetees)} en quarantaine (table controle.rejets)"
    return texte + "."


def manque_depot(zone: Path, bilans: list[dict]) -> str | None:
    """One French line when a drop zone brought nothing new (empty, or every file already
    loaded), or None. ``bilans``: those of the run that loaded the zone."""
    fichiers = {nom_affiche(f) for dossier in dossiers_par_source(zone).values()
                for f, _ in lister_fichiers([dossier])}
    if any(b["fichier"] in fichiers and not b["deja_charge"] for b in bilans):
        return None
    if not fichiers:
        return signaler(f"ingestion : zone de dépôt vide ({nom_affiche(zone)})")
    return signaler(f"ingestion : aucun fichier nouveau dans la zone de dépôt ({nom_affiche(zone)}, "
                    f"{pluriel(len(fichiers), 'fichier déjà chargé', 'fichiers déjà chargés')})")


COMPTES = ("lignes_lues", "nouvelles", "mises_a_jour", "inchangees", "rejetees")
FICHIERS_DETAILLES = 10  # above this many files, a source is summed up in one line


def _ligne_bilan(nom: str, b: dict) -> str:
    return (f"  {nom} : {nombre_fr(b['lignes_lues'])} lue(s), {nombre_fr(b['nouvelles'])} nouvelle(s), "
            f"{nombre_fr(b['mises_a_jour'])} mise(s) à jour, {nombre_fr(b['inchangees'])} inchangée(s), "
            f"{nombre_fr(b['rejetees'])} en quarantaine" + (f" — {b['remarques']}" if b.get("remarques") else ""))


def resume(bilans: list[dict], entrepot: str | None = None, rejets_affiches: int = 10) -> str:
    """French summary of loads: one line per file (or per source when it has many files),
    totals, then the first rejects."""
    if not bilans:
        return "Aucun fichier à charger."
    lignes = []
    par_source: dict[str, list[dict]] = {}
    for b in bilans:
        par_source.setdefault(b["source"], []).append(b)
    for source, fichiers in par_source.items():
        if len(fichiers) > FICHIERS_DETAILLES:
            somme = {k: sum(b[k] for b in fichiers) for k in COMPTES}
            deja = sum(b["deja_charge"] for b in fichiers)
            nom = f"{source} ({pluriel(len(fichiers), 'fichier')}" + (
                f", dont {nombre_fr(deja)} déjà chargé(s))" if deja else ")")
            lignes.append(_ligne_bilan(nom, somme))
            continue
        for b in fichiers:
            if b["deja_charge"]:
                lignes.append(f"  {b['fichier']} : déjà chargé, inchangé")
            else:
                lignes.append(_ligne_bilan(b["fichier"], b))
    total = {k: sum(b[k] for b in bilans) for k in ("nouvelles", "mises_a_jour", "inchangees", "rejetees")}
    sources = sorted({b["source"] for b in bilans})
    texte = [f"Ingestion ({', '.join(sources)}) : {pluriel(len(bilans), 'fichier')}", *lignes,
             f"Total : {nombre_fr(total['nouvelles'])} ligne(s) chargée(s), "
             f"{nombre_fr(total['mises_a_jour'])} mise(s) à jour, {nombre_fr(total['inchangees'])} inchangée(s), "
             f"{nombre_fr(total['rejetees'])} en quarantaine."]
    if total["rejetees"]:
        fichiers = [b["fichier"] for b in bilans if b["rejetees"]]
        with warehouse.ouvrir(entrepot, lecture_seule=True) as con:
            premiers = con.execute(
                "select fichier, ligne, chemin_json, champ, motif from controle.rejets "
                "where fichier in (select unnest(?)) order by fichier, ligne, chemin_json, champ, motif limit ?",
                [fichiers, rejets_affiches]).fetchall()
        texte.append("Lignes en quarantaine (table controle.rejets) :")
        for fichier, ligne, chemin_json, champ, motif in premiers:
            ou = f"ligne {ligne}" if ligne is not None else chemin_json
            texte.append(f"  {fichier}, {ou}, champ « {champ} » : {motif}")
        if total["rejetees"] > rejets_affiches:
            texte.append(f"  … voir controle.rejets pour les {nombre_fr(total['rejetees'])} lignes.")
    return "\n".join(texte)
