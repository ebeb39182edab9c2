"""Pulls from France Travail's partner APIs into the drop zone ``donnees/entree/``.

Every raw response body is written to disk before anything is loaded, so a failed load
loses nothing; a pull ends with a manifest (``.collecte.json``, hidden from ingestion)
that the next pull reads as its starting point.
"""
