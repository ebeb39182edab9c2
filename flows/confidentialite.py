"""Personal data: what must never leave the loaders in clear.

Recruiters' contacts are dropped or masked in free text, people's names in the reasons
given for applications; jobseekers' and candidates' identifiers are replaced by a salted
hash. The salt lives in ``donnees/secrets/sel``
(or ``HUB_SEL``), never in the warehouse nor in the outputs, so a hash cannot be
reversed by someone who only holds those.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata

from flows.config import chemin_secrets, sel_impose

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


# A word of a person's name: capitalised (Jean, Jean-Pierre, Élodie) or in capitals
# (DUPONT), two letters or more; particles (de, le, d'...) may join two of them.
_MOT_NOM = r"(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+|[A-ZÀ-ÖØ-Þ]{2,})(?:-(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+|[A-ZÀ-ÖØ-Þ]{2,}))*"
_JOINT = r"(?:\s+(?:(?:de|du|des|le|la|van|von|di)\s+|d['’])?)"
_CIVILITE = r"(?:M\.|Mme|Mlle|Mr|Monsieur|Madame|Mademoiselle|Dr|Docteur)"
PERSONNE = re.compile(rf"(?<![\w'’-])(?:{_CIVILITE}\s+{_MOT_NOM}(?:{_JOINT}{_MOT_NOM})?"
                      rf"|{_MOT_NOM}(?:{_JOINT}{_MOT_NOM})+)(?![\w'’-])")
# Capitalised words that are no part of a person's name: institutions, channels,
# qualifications, and the words a reason starts with (« Refus de Jean Dupont »).
NON_NOMS = frozenset("""
    france travail pole emploi apec cap linkedin indeed hellowork monster meteojob cadremploi welcome jungle wttj
    interim cdi cdd bac bts dut but bep rqth
    refus refuse refusee candidat candidate candidature desistement profil poste offre entretien absent absente
    rappel relance voir vu appel orientee oriente embauche recrute recrutee""".split())
PERSONNE_MASQUEE = "[nom masqué]"


def _plie(mot: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", mot.lower()) if not unicodedata.combining(c))


def masquer_personnes(texte: str | None) -> str | None:
    """Replace what looks like a person's name in a short free text (the reason of a
    refusal or a withdrawal, ``candidatures.motif``): a civility followed by one or two
    name words (« Mme Martin », « M. Jean Dupont »), or two name words or more in a row
    (« Jean DUPONT », « DUPONT Jean », « Karim Pseudonyme », « Anne-Marie de La Tour »),
    of which at least one is capitalised (not in capitals: « CDI CDD » is no name). A name
    word is capitalised or in capitals, two letters or more. Words of ``NON_NOMS`` (France
    Travail, LinkedIn, BTS, Refus...) are never part of a name. The rule errs on the side
    of masking: another capitalised phrase (« Usine Nord ») is masked too."""
    if not texte:
        return texte

    def masquer(trouve: re.Match[str]) -> str:
        nom = trouve.group(0)
        civilite = re.match(_CIVILITE + r"\s", nom)
        if civilite and not any(_plie(m) in NON_NOMS for m in re.findall(r"[^\W\d_]+", nom[civilite.end():])):
            return PERSONNE_MASQUEE
        groupes: list[list[re.Match[str]]] = [[]]
        for mot in re.finditer(_MOT_NOM, nom):
            if _plie(mot.group(0)) in NON_NOMS:
                groupes.append([])
            else:
                groupes[-1].append(mot)
        sortie, position = [], 0
        for groupe in groupes:
            if len(groupe) >= 2 and not all(m.group(0).isupper() for m in groupe):
                sortie += [nom[position:groupe[0].start()], PERSONNE_MASQUEE]
                position = groupe[-1].end()
        return "".join(sortie) + nom[position:]

    return PERSONNE.sub(masquer, texte)


def sel() -> bytes:
    """The hashing salt, created at first use (``HUB_SEL`` overrides the file)."""
    impose = sel_impose()
    if impose:
        return impose
    fichier = chemin_secrets() / "sel"
    if not fichier.exists():
        fichier.parent.mkdir(parents=True, exist_ok=True)
        fichier.write_text(secrets.token_hex(32))
        fichier.chmod(0o600)
    return fichier.read_text().strip().encode()


def pseudonymiser(identifiant: str, sel_: bytes) -> str:
    """Salted SHA-256 of an identifier, shortened to 16 hex characters (64 bits)."""
    return hashlib.sha256(sel_ + b"|" + identifiant.strip().encode()).hexdigest()[:16]
