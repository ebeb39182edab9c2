"""The sources the pipeline reads: their command-line names, the module of ``flows.sources``
that parses each, and their French description (shown by the dashboard and the help).

Kept apart from the parsers so that the command line checks a name and the render
describes a source without importing ``flows.sources``.
"""

from __future__ import annotations

from flows.erreurs import ErreurUtilisateur

SOURCES: dict[str, tuple[str, str]] = {
    "offres-ft": ("offres_ft", "offres France Travail (API v2, JSON)"),
    "offres-fichier": ("offres_fichier", "offres de sites d'emploi ou d'ATS (CSV, XLSX)"),
    "demandeurs": ("demandeurs", "statistiques demandeurs et offres par ROME et territoire"),
    "profils": ("profils", "profils anonymisés de demandeurs d'emploi"),
    "bmo": ("bmo", "enquête Besoins en Main-d'Œuvre"),
    "dares": ("dares", "indicateurs de tension DARES et correspondance ROME → FAP"),
    "rome": ("rome", "référentiel ROME 4.0 (RefRomeCsv)"),
    "fap2021": ("fap2021", "nomenclature FAP-2021 et table de passage ROME-Qualif → FAP-2021 (DARES)"),
    "communes": ("communes", "communes et bassins d'emploi BMO"),
    "entreprise": ("entreprise", "recrutements et candidatures d'une entreprise pilote"),
}


def verifier_source(source: str) -> str:
    """The module name of a source, or a French error listing the valid names."""
    if source not in SOURCES:
        raise ErreurUtilisateur(
            f"source inconnue « {source} » ; sources possibles : {', '.join(SOURCES)}"
        )
    return SOURCES[source][0]
