"""Personal data: what must never leave the loaders in clear.

Recruiters' contacts are dropped or masked in free text; jobseekers' and candidates'
identifiers are replaced by a salted hash. The salt lives in ``donnees/secrets/sel``
(or ``HUB_SEL``), never in the warehouse nor in the outputs, so a hash cannot be
reversed by someone who only holds those.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets

from flows.config import chemin_secrets

# An address starts only where a run of address characters starts: without the lookbehind
# a long word with no "@" is rescanned from each of its letters (200 000 letters: 3 minutes).
COURRIEL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# French phone numbers: 0X XX XX XX XX with spaces, dots or dashes, or +33 X ...
TELEPHONE = re.compile(r"(?<!\d)(?:\+33\s?\(?0?\)?\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")


def masquer_coordonnees(texte: str | None) -> str | None:
    """Replace e-mail addresses and phone numbers in free text."""
    if not texte:
        return texte
    texte = COURRIEL.sub("[courriel masqué]", texte)
    return TELEPHONE.sub("[téléphone masqué]", texte)


def sel() -> bytes:
    """The hashing salt, created at first use (``HUB_SEL`` overrides the file)."""
    if os.environ.get("HUB_SEL"):
        return os.environ["HUB_SEL"].encode()
    fichier = chemin_secrets() / "sel"
    if not fichier.exists():
        fichier.parent.mkdir(parents=True, exist_ok=True)
        fichier.write_text(secrets.token_hex(32))
        fichier.chmod(0o600)
    return fichier.read_text().strip().encode()


def pseudonymiser(identifiant: str, sel_: bytes) -> str:
    """Salted SHA-256 of an identifier, shortened to 16 hex characters (64 bits)."""
    return hashlib.sha256(sel_ + b"|" + identifiant.strip().encode()).hexdigest()[:16]
