"""What every loader shares: the parsed batch (``Lot``), rejected rows, file reading in
French Excel style, and parsers of French values.

A loader's ``lire(chemin, contexte)`` is pure: it reads one file and returns a ``Lot``
(rows per raw table, with provenance, plus rejected rows with a French reason). It never
touches the warehouse, so files can be parsed in parallel; ``flows.warehouse.charger``
is the single writer.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import math
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flows.config import RACINE, bornes_des_dates
from flows.erreurs import ErreurUtilisateur
from flows.formats import date_fr, nombre_fr, pluriel

TAILLE_MAX_FICHIER = 4 * 1024**3  # a single input above 4 GB is refused, not read
# A workbook is a ZIP: refused before decompression when it declares more than this once
# unzipped (calamine needs about 4 times the XML size in memory; the real BMO workbook
# declares 28 MB), or when one member over 1 MB unzips to more than 100 times its
# compressed size (real workbooks: 5 to 20 times; a ZIP bomb: about 1000 times).
TAILLE_MAX_DECOMPRESSEE = 256 * 1024**2
TAUX_MAX_COMPRESSION = 100
# A CSV cell may hold a whole text (a 10 MB job description loads): the csv module's
# default limit of 128 KB would stop the file there.
csv.field_size_limit(TAILLE_MAX_FICHIER // 4)


class FichierRefuse(ErreurUtilisateur):
    """An input the pipeline will not read at all; ``motif`` says why, in French."""

    def __init__(self, chemin: Path, motif: str):
        super().__init__(f"{chemin} : {motif}")
        self.motif = motif


@dataclass
class Rejet:
    """One unusable value: the row it belongs to goes to ``controle.rejets``."""

    ligne: int | None
    champ: str
    valeur: str | None
    motif: str
    chemin_json: str | None = None


@dataclass
class Table:
    """Rows for one raw table and how they merge with what is already there.

    ``cle`` is the natural key. ``version`` names a column: an incoming row replaces the
    stored one only when its version is newer. ``parent`` makes this a child table: its
    rows are replaced for every parent key that was inserted or updated.
    """

    nom: str
    lignes: list[dict[str, Any]]
    cle: tuple[str, ...]
    version: str | None = None
    parent: str | None = None
    parquet: str | None = None  # rows of a ``Paquet``, typed, in a Parquet file (``lignes`` unused)


@dataclass
class FichierLu:
    """One file of a ``Paquet``: its rank in the load order and what its parsing found."""

    ordre: int
    nom: str  # as ``nom_affiche`` shows it
    sha256: str
    lignes_lues: int = 0
    lignes_rejetees: int = 0
    remarques: str = ""


@dataclass
class Paquet:
    """Many files of one source parsed together (a bulk loader's partition).

    Rows and rejects are Parquet files in which ``_ordre`` is the rank of each row's file
    in the load order (its ``FichierLu``). The single writer merges a packet in one
    transaction, with the result of loading its files one by one in that order.
    """

    source: str
    fichiers: list[FichierLu]
    tables: list[Table]  # each with ``parquet``
    rejets: str  # Parquet: _ordre, ligne, chemin_json, champ, valeur, motif


@dataclass
class Lot:
    """One parsed input file, ready for the single writer."""

    source: str
    fichier: Path
    sha256: str
    tables: list[Table] = field(default_factory=list)
    rejets: list[Rejet] = field(default_factory=list)
    remarques: list[str] = field(default_factory=list)
    lignes_lues: int = 0

    @property
    def nom_fichier(self) -> str:
        return nom_affiche(self.fichier)

    def lignes_rejetees(self) -> int:
        """Distinct rows that went to the quarantine (a row may have several faults)."""
        return len({(r.ligne, r.chemin_json) for r in self.rejets})


@dataclass
class Contexte:
    """What validation needs to know from the warehouse (small referential sets)."""

    codes_rome: frozenset[str] = frozenset()
    communes: frozenset[str] = frozenset()
    sel: bytes = b""  # salt for pseudonymising jobseekers' and candidates' identifiers
    plateforme: str | None = None  # job-board source forced by the user (offres-fichier)


def cite(valeur: Any) -> str:
    """A value read from a file, quoted for a reason: « value ». Reasons quote what they
    read only this way, so that "analyse".quarantaine can blank every quoted value before
    anything is published; a « or » inside the value becomes ‹ or › so that it cannot end
    the quotation early (and leave the rest of the value outside it)."""
    return "« " + str(valeur).replace("«", "‹").replace("»", "›") + " »"


def cites(valeurs: Any) -> str:
    """Several values, each quoted by ``cite``."""
    return ", ".join(cite(v) for v in valeurs)


def nom_affiche(chemin: Path) -> str:
    """Path shown to users and kept as provenance: relative to the project when inside."""
    chemin = Path(chemin).absolute()
    try:
        return str(chemin.relative_to(RACINE))
    except ValueError:
        return str(chemin)


def empreinte(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


def lien_hors_dossier(chemin: Path, dossier: Path | None = None) -> str | None:
    """Why a path must not be read because it leads outside ``dossier`` (default: the
    folder it is in), or None. A symbolic link dropped in the input folder could otherwise
    bring any readable file (the salt, another company's records) into the warehouse."""
    chemin = Path(chemin)
    dossier = Path(dossier) if dossier is not None else chemin.absolute().parent
    try:
        cible = chemin.resolve(strict=True)
    except FileNotFoundError:
        cible = chemin.resolve()
    except (OSError, RuntimeError):  # ELOOP, or "Symlink loop" (RuntimeError before Python 3.13)
        return BOUCLE
    if cible.is_relative_to(dossier.resolve()):
        return None
    return (f"lien symbolique vers {cible}, hors du dossier déposé {dossier} : refusé, non lu "
            "(copiez le fichier lui-même dans le dossier)")


BOUCLE = ("boucle de liens symboliques (le lien mène, de lien en lien, à lui-même) : refusé, non lu "
          "(supprimez le lien ou corrigez sa cible)")


def motif_illisible(chemin: Path) -> str | None:
    """Why a file cannot be opened for reading (French), or None when it can."""
    try:
        with Path(chemin).open("rb") as f:
            f.read(1)
    except OSError as e:
        return _motif_erreur_lecture(e)
    return None


def _motif_erreur_lecture(erreur: OSError) -> str:
    if erreur.errno == errno.ELOOP:
        return BOUCLE
    if erreur.errno in (errno.EACCES, errno.EPERM):
        return ("lecture interdite (droits du fichier) : refusé, non lu (donnez le droit de lecture, "
                "par exemple « chmod a+r », puis relancez)")
    return f"fichier illisible ({erreur.strerror or type(erreur).__name__}) : refusé, non lu"


def lire_octets(chemin: Path) -> bytes:
    """Read an input file, refusing what cannot be a sane input."""
    chemin = Path(chemin)
    if chemin.is_symlink() and (motif := lien_hors_dossier(chemin)):
        raise FichierRefuse(chemin, motif)
    if not chemin.exists():
        raise ErreurUtilisateur(f"{chemin} : fichier introuvable")
    if chemin.is_dir():
        raise ErreurUtilisateur(f"{chemin} : c'est un dossier, pas un fichier")
    taille = chemin.stat().st_size
    if taille > TAILLE_MAX_FICHIER:
        raise ErreurUtilisateur(
            f"{chemin} : fichier de {nombre_fr(taille / 1024**3, 1)} Go, au-delà de la limite de 4 Go"
        )
    try:
        return chemin.read_bytes()
    except OSError as e:
        raise FichierRefuse(chemin, _motif_erreur_lecture(e)) from e


_ERREURS_JSON = {  # messages of Python's JSON parser -> French
    "Expecting value": "valeur attendue",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendus",
    "Expecting property name enclosed in double quotes": "nom de clé entre guillemets attendu",
    "Unterminated string starting at": "texte entre guillemets non refermé",
    "Invalid control character at": "caractère de contrôle dans un texte",
    "Invalid \\escape": "séquence d'échappement « \\ » invalide",
    "Invalid \\uXXXX escape": "séquence d'échappement « \\u » invalide",
    "Extra data": "contenu en trop après la fin du document",
}


def erreur_json(erreur: json.JSONDecodeError) -> str:
    """The reason of a JSON syntax error, in French."""
    return next((francais for anglais, francais in _ERREURS_JSON.items() if erreur.msg.startswith(anglais)),
                erreur.msg)


# --------------------------------------------------------------------------- text files

@dataclass
class Texte:
    """A decoded text file and what the decoding found."""

    lignes: list[str]
    encodage: str
    lignes_illisibles: dict[int, str]  # line number -> French reason
    lignes_utf8: list[int] = field(default_factory=list)  # UTF-8 lines of a Windows-1252 file


def decoder(contenu: bytes, encodage: str | None = None) -> Texte:
    """Decode a text file as French Excel writes it.

    UTF-8 (with or without BOM) first; UTF-16 when it starts with its BOM. A file with no
    valid UTF-8 multi-byte sequence at all is an undeclared cp1252 export and is read as
    such. A file that is UTF-8 except for a few lines keeps its good lines; the others are
    reported line by line.
    """
    if encodage:
        return Texte(_lignes(contenu.decode(encodage, errors="replace")), encodage, {})
    if contenu.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Texte Unicode" export
        return Texte(_lignes(contenu.decode("utf-16", errors="replace")), "utf-16", {})
    if contenu.startswith(b"\xef\xbb\xbf"):
        contenu = contenu[3:]
    try:
        return Texte(_lignes(contenu.decode("utf-8")), "utf-8", {})
    except UnicodeDecodeError:
        pass
    if not re.search(rb"[\xc2-\xf4][\x80-\xbf]+", contenu):
        return Texte(_lignes(contenu.decode("cp1252", errors="replace")), "cp1252", {})
    brutes = contenu.splitlines()
    if _plutot_cp1252(brutes):
        return _cp1252_avec_lignes_utf8(brutes)
    lignes, illisibles = [], {}
    for numero, brute in enumerate(brutes, start=1):
        try:
            lignes.append(brute.decode("utf-8"))
        except UnicodeDecodeError as e:
            octet = brute[e.start : e.start + 1].hex().upper()
            illisibles[numero] = (
                f"encodage invalide : octet 0x{octet} non UTF-8 en colonne {e.start + 1} "
                "(réenregistrez le fichier en UTF-8)"
            )
            lignes.append("")
    return Texte(lignes, "utf-8", illisibles)


def _utf8(brute: bytes) -> bool | None:
    """Whether a line of bytes is UTF-8 with at least one non-ASCII character (True), not
    UTF-8 (False), or plain ASCII, readable either way (None)."""
    if brute.isascii():
        return None
    try:
        brute.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _plutot_cp1252(brutes: list[bytes]) -> bool:
    """Whether a file mixing UTF-8 and other lines is a Windows-1252 export with a few UTF-8
    lines pasted in (rather than a UTF-8 file with a few bad lines): more of its non-ASCII
    lines are not UTF-8 than are, or as many and the header (the first non-empty line, written
    by the exporting tool) is not UTF-8."""
    genres = [_utf8(brute) for brute in brutes]
    non_utf8, utf8 = genres.count(False), genres.count(True)
    entete = next((g for g, brute in zip(genres, brutes, strict=True) if brute.strip()), None)
    return non_utf8 > utf8 or (non_utf8 == utf8 and entete is False)


def _cp1252_avec_lignes_utf8(brutes: list[bytes]) -> Texte:
    """A Windows-1252 file whose UTF-8 lines are read as UTF-8: a non-ASCII line that is
    valid UTF-8 is so by design (Windows-1252 text almost never is by chance), so each line
    gets its own text back; the remark of ``lire_csv`` names those lines."""
    lignes, en_utf8 = [], []
    for numero, brute in enumerate(brutes, start=1):
        if _utf8(brute):
            lignes.append(brute.decode("utf-8"))
            en_utf8.append(numero)
        else:
            lignes.append(brute.decode("cp1252", errors="replace"))
    return Texte(lignes, "cp1252", {}, en_utf8)


def _lignes(texte: str) -> list[str]:
    """Physical lines: split on CR and LF only, like ``bytes.splitlines`` (``str.splitlines``
    would also cut a cell at a form feed or a Unicode line separator pasted from the web)."""
    lignes = re.split(r"\r\n|\r|\n", texte)
    return lignes[:-1] if lignes[-1] == "" else lignes


SEPARATEURS = (";", ",", "\t")


def lire_csv(
    contenu: bytes,
    colonnes_obligatoires: list[str],
    colonnes_facultatives: list[str] = (),  # type: ignore[assignment]
    encodage: str | None = None,
    separateur: str | None = None,
) -> tuple[list[tuple[int, dict[str, str]]], list[Rejet], list[str]]:
    """Read a delimited file into ``(line number, {column: raw text})`` rows.

    Column names are matched without case, accents or surrounding spaces. Returns the rows,
    the rejects (whole-file problems are reported on line 1) and French remarks (extra
    columns ignored, separator or encoding guessed).
    """
    texte = decoder(contenu, encodage)
    remarques: list[str] = []
    if texte.encodage == "cp1252" and not encodage:
        remarques.append("fichier lu en Windows-1252 (encodage non UTF-8 détecté)")
    if texte.lignes_utf8:
        remarques.append(f"encodage mêlé : {_positions(texte.lignes_utf8, 'ligne')} en UTF-8, lue(s) comme telle(s) "
                         "(réenregistrez le fichier dans un seul encodage)")
    if texte.encodage == "utf-16" and not encodage:
        remarques.append("fichier lu en UTF-16 (export « Texte Unicode »)")
    premiere = next((i for i, ligne in enumerate(texte.lignes) if ligne.strip()), None)
    if premiere is None:
        return [], [Rejet(1, "(fichier)", None, "fichier vide : aucune ligne d'en-tête")], remarques
    entete_brute = texte.lignes[premiere]
    sep = separateur or max(SEPARATEURS, key=entete_brute.count)
    if not separateur and sep != ";" and entete_brute.count(sep) > 0:
        remarques.append(f"séparateur {'tabulation' if sep == chr(9) else f'« {sep} »'} détecté au lieu de « ; »")
    # the final newline makes an unreadable last line (decoded as "") a row the loop reports
    lecteur = csv.reader(io.StringIO("\n".join(texte.lignes[premiere:]) + "\n"), delimiter=sep)
    entete = [normaliser_nom_colonne(c) for c in next(lecteur)]
    faute = verifier_entete(entete, colonnes_obligatoires, colonnes_facultatives, premiere + 1, remarques)
    if faute:
        return [], [faute], remarques
    lignes: list[tuple[int, dict[str, str]]] = []
    rejets: list[Rejet] = []
    debut = premiere + 2
    while True:
        numero = debut
        try:
            champs = next(lecteur)
        except StopIteration:
            break
        except csv.Error:  # a cell over the size limit; the reader resumes at the next line
            debut = premiere + lecteur.line_num + 1
            rejets.append(Rejet(numero, "(ligne)", None, f"ligne illisible : une cellule dépasse "
                                f"{nombre_fr(csv.field_size_limit())} caractères"))
            continue
        debut = premiere + lecteur.line_num + 1  # physical line where the next row starts
        if numero in texte.lignes_illisibles:
            rejets.append(Rejet(numero, "(ligne)", None, texte.lignes_illisibles[numero]))
            continue
        if not any(c.strip() for c in champs):
            continue
        if len(champs) != len(entete):
            fusion = (f" ; lignes {numero} à {debut - 1} lues comme une seule : guillemet ouvert non refermé ?"
                      if debut - 1 > numero else "")
            rejets.append(Rejet(
                numero, "(ligne)", None,
                f"{nombre_fr(len(champs))} champs au lieu de {nombre_fr(len(entete))} (séparateur ou guillemets ?){fusion}",
            ))
            continue
        lignes.append((numero, {c: v.strip() for c, v in zip(entete, champs, strict=True) if c}))
    return lignes, rejets, remarques


def verifier_entete(
    entete: list[str],
    colonnes_obligatoires: list[str],
    colonnes_facultatives: list[str],
    numero: int,
    remarques: list[str],
) -> Rejet | None:
    """Check a normalised header row: the reject for missing columns, else None (extra
    columns are noted in ``remarques``)."""
    attendues = [normaliser_nom_colonne(c) for c in colonnes_obligatoires]
    facultatives = [normaliser_nom_colonne(c) for c in colonnes_facultatives]
    manquantes = [c for c in attendues if c not in entete]
    if manquantes:
        motif = (
            "colonne(s) obligatoire(s) absente(s) : " + ", ".join(manquantes)
            + f" (en-tête lu : {decrire_entete(entete, attendues + facultatives)})"
        )
        return Rejet(numero, manquantes[0], None, motif)
    en_trop = [c for c in entete if c and c not in attendues and c not in facultatives]
    if en_trop:
        remarques.append("colonne(s) inconnue(s) ignorée(s) : " + ", ".join(en_trop))
    return None


POSITIONS_CITEES = 10  # unknown columns named by their position, at most


def decrire_entete(entete: list[str], connues: list[str]) -> str:
    """A header row described without quoting a single cell: how many columns it names,
    which of them are expected (by their expected names) and where the others are.

    A file without a header has a data row there (a name, an e-mail address, an
    identifier): a reason that quoted its cells would carry them into the quarantine and
    from there into the dashboard and the extracts. Positions tell the analyst where to
    look in the file, the expected names what the loader looks for.
    """
    nommees = [(rang, nom) for rang, nom in enumerate(entete, start=1) if nom]
    reconnues = [nom for _, nom in nommees if nom in set(connues)]
    inconnues = [rang for rang, nom in nommees if nom not in set(connues)]
    texte = f"{pluriel(len(nommees), 'colonne')} ; reconnue(s) : {', '.join(reconnues) or 'aucune'}"
    if inconnues:
        texte += f" ; inconnue(s) : {_positions(inconnues)}"
    return texte


def _positions(rangs: list[int], mot: str = "colonne") -> str:
    """``[1, 2, 3, 5]`` -> ``colonnes 1 à 3, 5`` (runs of consecutive columns, or of what
    ``mot`` names, joined)."""
    plages: list[list[int]] = []
    for rang in rangs:
        if plages and rang == plages[-1][1] + 1:
            plages[-1][1] = rang
        else:
            plages.append([rang, rang])
    textes = [str(a) if a == b else f"{a}, {b}" if b == a + 1 else f"{a} à {b}" for a, b in plages]
    suite = " …" if len(textes) > POSITIONS_CITEES else ""
    return (f"{mot} " if len(rangs) == 1 else f"{mot}s ") + ", ".join(textes[:POSITIONS_CITEES]) + suite


_ACCENTS = str.maketrans("àâäéèêëîïôöùûüçœ", "aaaeeeeiioouuuco")


def normaliser_nom_colonne(nom: str) -> str:
    nom = nom.strip().strip('"').lower().translate(_ACCENTS)
    return re.sub(r"[^a-z0-9]+", "_", nom).strip("_")


# --------------------------------------------------------------------------- values

class ValeurInvalide(ValueError):
    """A raw value that cannot be read; the message is the French reason."""


def vide(valeur: Any) -> bool:
    return valeur is None or (isinstance(valeur, str) and valeur.strip() == "")


_FORMATS_DATE = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def lire_date(valeur: Any) -> date | None:
    """A date as French exports write it (``12/03/2025``), or ISO; empty means unknown. A
    date outside the plausible bounds (``date_plausible``) is a fault."""
    if vide(valeur):
        return None
    if isinstance(valeur, datetime):
        return date_plausible(valeur.date(), valeur)
    if isinstance(valeur, date):
        return date_plausible(valeur, valeur)
    texte = str(valeur).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", texte):
        texte = texte[:10]
    jour = _jour(texte)
    if jour is None:
        raise ValeurInvalide(f"date illisible {cite(texte)} (attendu jj/mm/aaaa)")
    return date_plausible(jour, texte)


def _jour(texte: str) -> date | None:
    """The day a text writes in one of the accepted formats, or None."""
    for fmt in _FORMATS_DATE:
        try:
            return datetime.strptime(texte, fmt).date()
        except ValueError:
            continue
    return None


def date_plausible(jour: date, valeur: Any) -> date:
    """``jour`` when it lies within the bounds of ``[dates]`` in config/parametres.toml, else
    the fault: year 1, 1900 or 9999 would load, then vanish from every indicator."""
    debut, fin = bornes_des_dates()
    if not debut <= jour <= fin:
        lue = valeur if isinstance(valeur, str) else date_fr(valeur)
        raise ValeurInvalide(f"date invraisemblable {cite(lue)} (attendu du {date_fr(debut)} au {date_fr(fin)} : "
                             "bornes de la section [dates] de config/parametres.toml)")
    return jour


def lire_horodatage(valeur: Any) -> datetime | None:
    """An ISO 8601 timestamp from the France Travail API (``2025-08-04T18:00:50.137Z``),
    within the plausible bounds of dates."""
    if vide(valeur):
        return None
    try:
        moment = datetime.fromisoformat(str(valeur).strip())
    except ValueError as e:
        raise ValeurInvalide(f"horodatage illisible {cite(valeur)} (attendu ISO 8601)") from e
    date_plausible(moment.date(), str(valeur).strip())
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


def lire_decimal(valeur: Any) -> float | None:
    """A French decimal (``1 234,5``; also accepts ``1234.5``)."""
    if vide(valeur):
        return None
    if isinstance(valeur, int | float) and not isinstance(valeur, bool):
        if isinstance(valeur, int) and abs(valeur) > _PLUS_GRAND_DECIMAL:
            raise ValeurInvalide(f"nombre hors limites {cite(valeur)}")
        if not math.isfinite(valeur):
            raise ValeurInvalide(f"nombre illisible {cite(valeur)}")
        return float(valeur)
    texte = str(valeur).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if "," in texte:
        texte = texte.replace(".", "").replace(",", ".")
    # ASCII digits only: float() would also take "nan", "inf", "1_000" or other scripts' digits
    if not _DECIMAL.fullmatch(texte) or not math.isfinite(nombre := float(texte)):
        raise ValeurInvalide(f"nombre illisible {cite(valeur)}")
    return nombre


_PLUS_GRAND_DECIMAL = int(sys.float_info.max)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def lire_effectif(valeur: Any, masque: str | None = "*") -> int | None:
    """A count: a non-negative whole number; blank or the mask (``*``) means unknown."""
    if vide(valeur) or (masque is not None and str(valeur).strip() == masque):
        return None
    entier = _ENTIER.fullmatch(str(valeur)) if isinstance(valeur, int | str) and not isinstance(valeur, bool) else None
    # whole numbers are read exactly (a float would round 2^63 - 1 up to 2^63)
    nombre: float | int | None = int(entier[0]) if entier else lire_decimal(valeur)
    assert nombre is not None
    if nombre != int(nombre):
        raise ValeurInvalide(f"effectif non entier {cite(valeur)}")
    if nombre < 0:
        raise ValeurInvalide(f"effectif négatif {cite(valeur)}")
    if nombre >= EFFECTIF_MAX:  # a BIGINT column holds less than 2^63
        raise ValeurInvalide(f"effectif démesuré {cite(valeur)} (au plus {_EFFECTIF_MAX_FR})")
    return int(nombre)


EFFECTIF_MAX = 2**63
_ENTIER = re.compile(r"\s*\+?[0-9]{1,30}\s*")
_EFFECTIF_MAX_FR = nombre_fr(EFFECTIF_MAX - 1)


def lire_booleen(valeur: Any) -> bool | None:
    if vide(valeur):
        return None
    if isinstance(valeur, bool):
        return valeur
    texte = str(valeur).strip().lower()
    if texte in {"oui", "o", "vrai", "true", "1", "yes", "x"}:
        return True
    if texte in {"non", "n", "faux", "false", "0", "no"}:
        return False
    raise ValeurInvalide(f"valeur oui/non illisible {cite(valeur)}")


MOTIF_ROME = re.compile(r"[A-N]\d{4}")


def lire_code_rome(valeur: Any, contexte: Contexte | None = None) -> str | None:
    """A ROME code, checked against the loaded referential when there is one."""
    if vide(valeur):
        return None
    code = str(valeur).strip().upper()
    if not MOTIF_ROME.fullmatch(code):
        raise ValeurInvalide(f"code ROME mal formé {cite(valeur)} (attendu une lettre et 4 chiffres)")
    if contexte and contexte.codes_rome and code not in contexte.codes_rome:
        raise ValeurInvalide(
            f"code ROME inconnu {cite(code)} : absent du référentiel ROME chargé "
            "(chargez le référentiel complet avec « ingerer rome »)"
        )
    return code


def lire_commune(valeur: Any, contexte: Contexte | None = None) -> str | None:
    """An INSEE commune code (5 characters; Corsica uses 2A/2B)."""
    if vide(valeur):
        return None
    code = str(valeur).strip().upper()
    if re.fullmatch(r"\d{4}", code):
        code = "0" + code  # Excel drops the leading zero of 01xxx-09xxx
    if not re.fullmatch(r"(\d{5}|2[AB]\d{3})", code):
        raise ValeurInvalide(f"code commune INSEE mal formé {cite(valeur)} (5 caractères attendus)")
    if contexte and contexte.communes and code not in contexte.communes:
        raise ValeurInvalide(f"code commune INSEE inconnu {cite(code)}")
    return code


def valider(
    numero: int | None,
    brut: dict[str, Any],
    regles: dict[str, Any],
    rejets: list[Rejet],
    chemin_json: str | None = None,
) -> dict[str, Any] | None:
    """Apply ``{column: parser}`` to a raw row; on any failure record every fault and
    return None (the row goes to the quarantine whole). A workbook's cell without a value
    (``CelluleFautive``) is a fault of its own, never read as blank."""
    sortie: dict[str, Any] = {}
    fautes = []
    for colonne, lecteur in regles.items():
        valeur = brut.get(colonne)
        if isinstance(valeur, CelluleFautive):  # an error cell or an uncalculated formula
            fautes.append(Rejet(numero, colonne, valeur.valeur, valeur.motif, chemin_json))
            continue
        if type(valeur) is str and valeur.strip() in ERREURS_TABLEUR:  # what a CSV export writes for one
            fautes.append(Rejet(numero, colonne, valeur, (
                f"valeur d'erreur du tableur {cite(valeur.strip())} : la cellule était en erreur dans le classeur "
                "d'origine (corrigez la formule ou la valeur, puis exportez à nouveau)"), chemin_json))
            continue
        try:
            sortie[colonne] = lecteur(valeur)
        except ValeurInvalide as e:
            fautes.append(Rejet(numero, colonne, None if vide(valeur) else str(valeur), str(e),
                                chemin_json))
    if fautes:
        rejets.extend(fautes)
        return None
    return sortie


# Error values of Excel and LibreOffice, in English and French: a CSV export writes them as
# text, where a loader would take them for a title or a name.
ERREURS_TABLEUR = frozenset({
    "#NULL!", "#NUL!", "#DIV/0!", "#VALUE!", "#VALEUR!", "#REF!", "#NAME?", "#NOM?", "#NUM!", "#NOMBRE!", "#N/A",
    "#CALC!", "#SPILL!", "#PROPAGATION!", "#GETTING_DATA", "Err:502", "Err:504", "Err:508", "Err:522"})


def obligatoire(lecteur: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap a parser so that an empty value is a fault."""

    def lire(valeur: Any) -> Any:
        if vide(valeur):
            raise ValeurInvalide("valeur obligatoire manquante")
        return lecteur(valeur)

    return lire


def texte(valeur: Any) -> str | None:
    return None if vide(valeur) else str(valeur).strip()


def lire_decimal_positif(valeur: Any) -> float | None:
    """A French decimal that cannot be negative (an amount, a duration, a distance)."""
    nombre = lire_decimal(valeur)
    if nombre is not None and nombre < 0:
        raise ValeurInvalide(f"valeur négative {cite(valeur)}")
    return nombre


def choix(*valeurs: str, synonymes: dict[str, str] | None = None) -> Callable[[Any], str | None]:
    """Parser of a value from a closed list, matched without case, accents or punctuation;
    ``synonymes`` maps other accepted spellings to one of ``valeurs``."""
    table = {normaliser_nom_colonne(v): v for v in valeurs}
    table |= {normaliser_nom_colonne(s): v for s, v in (synonymes or {}).items()}

    def lire(valeur: Any) -> str | None:
        if vide(valeur):
            return None
        trouve = table.get(normaliser_nom_colonne(str(valeur)))
        if trouve is None:
            raise ValeurInvalide(f"valeur inconnue {cite(valeur)} (valeurs possibles : {', '.join(valeurs)})")
        return trouve

    return lire


def lire_mois(valeur: Any) -> date | None:
    """A month as ``2025-03``, ``03/2025`` or any date inside it: its first day."""
    if vide(valeur):
        return None
    if isinstance(valeur, date):
        return date_plausible(date(valeur.year, valeur.month, 1), valeur)
    texte_ = str(valeur).strip()
    if trouve := re.fullmatch(r"(\d{4})-(\d{1,2})", texte_):
        annee, mois = int(trouve[1]), int(trouve[2])
    elif trouve := re.fullmatch(r"(\d{1,2})/(\d{4})", texte_):
        annee, mois = int(trouve[2]), int(trouve[1])
    elif (jour := _jour(texte_[:10] if re.match(r"\d{4}-\d{2}-\d{2}[T ]", texte_) else texte_)) is not None:
        annee, mois = jour.year, jour.month
    else:
        raise ValeurInvalide(f"mois illisible {cite(texte_)} (attendu aaaa-mm ou jj/mm/aaaa)")
    if not 1 <= mois <= 12 or not 1 <= annee:
        raise ValeurInvalide(f"mois illisible {cite(texte_)} (mois entre 01 et 12 attendu)")
    return date_plausible(date(annee, mois, 1), texte_)


# French education levels (nomenclature of 2019): common labels -> level.
NIVEAUX_DIPLOME = {
    "Aucun": 2, "Sans diplôme": 2, "CAP": 3, "BEP": 3, "CAP/BEP": 3,
    "Bac": 4, "Baccalauréat": 4, "Bac pro": 4, "Bac+2": 5, "BTS": 5, "DUT": 5,
    "Bac+3": 6, "Licence": 6, "Licence pro": 6, "BUT": 6, "Bac+4": 6,
    "Bac+5": 7, "Master": 7, "Ingénieur": 7, "Doctorat": 8,
}
_NIVEAUX = {normaliser_nom_colonne(libelle): niveau for libelle, niveau in NIVEAUX_DIPLOME.items()}


def lire_niveau_diplome(valeur: Any) -> int | None:
    """An education level: ``1``..``8`` (``Niveau 5`` too) or a label (``Bac+2`` → 5)."""
    if vide(valeur):
        return None
    cle = normaliser_nom_colonne(str(valeur)).removeprefix("niveau_")
    if cle in _NIVEAUX:
        return _NIVEAUX[cle]
    try:
        niveau = lire_decimal(cle.replace("_", ","))
    except ValeurInvalide:
        niveau = None
    if niveau is None or niveau != int(niveau) or not 1 <= niveau <= 8:
        raise ValeurInvalide(
            f"niveau de diplôme inconnu {cite(valeur)} (attendu un niveau de 1 à 8 ou : "
            + ", ".join(NIVEAUX_DIPLOME) + ")"
        )
    return int(niveau)


def sel_obligatoire(contexte: Contexte) -> bytes:
    """The salt that pseudonymises people's identifiers: loading them without it would
    store hashes anyone could recompute."""
    if not contexte.sel:
        raise ErreurUtilisateur(
            "sel de pseudonymisation absent : les identifiants de personnes ne peuvent pas être "
            "chargés sans lui (voir flows/confidentialite.py)"
        )
    return contexte.sel


# --------------------------------------------------------------------------- spreadsheets

SIGNATURES_CLASSEUR = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # XLSX (zip), XLS (OLE)


def est_classeur(contenu: bytes) -> bool:
    return contenu.startswith(SIGNATURES_CLASSEUR)


class Classeur(dict[str, list[list[Any]]]):
    """The sheets of a workbook by name, in the workbook's order, and which are hidden."""

    def __init__(self, feuilles: dict[str, list[list[Any]]], masquees: frozenset[str] = frozenset()):
        super().__init__(feuilles)
        self.masquees = masquees

    def visibles(self) -> list[str]:
        """The sheets a person sees in the spreadsheet, in order."""
        return [nom for nom in self if nom not in self.masquees]


@dataclass(frozen=True)
class CelluleFautive:
    """A cell whose value the workbook does not hold: an error (``#DIV/0!``, ``#N/A`` …) or a
    formula never calculated. Spreadsheet readers give an empty cell for both; this one
    takes its place in the rows so that the row is quarantined, not read as blank.
    ``motif`` names the sheet and the cell, in French."""

    motif: str
    valeur: str | None = None

    def __str__(self) -> str:
        """Empty, as the spreadsheet reader gave it: a header cell in error names no column."""
        return ""


def ouvrir_classeur(contenu: bytes) -> Classeur:
    """Every sheet of an XLSX or XLS workbook as rows of cells; index 0 is row 1 (leading
    empty rows are kept so that numbers match the spreadsheet's). Error cells and formulas
    without a calculated value of an XLSX are ``CelluleFautive`` (an XLS keeps them empty)."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    fautives: dict[str, dict[tuple[int, int], CelluleFautive]] = {}
    if contenu.startswith(b"PK"):
        verifier_archive(contenu)
        fautives = cellules_fautives(contenu)
    try:
        classeur = CalamineWorkbook.from_filelike(io.BytesIO(contenu))
        feuilles: dict[str, list[list[Any]]] = {nom: classeur.get_sheet_by_name(nom).to_python(skip_empty_area=False)
                    for nom in classeur.sheet_names}
        masquees = frozenset(m.name for m in classeur.sheets_metadata if m.visible != SheetVisibleEnum.Visible)
    except CalamineError as e:
        raise ValeurInvalide(f"classeur illisible ({e})") from e
    for nom, cellules in fautives.items():
        lignes = feuilles.setdefault(nom, [])
        for (rang, colonne), cellule in cellules.items():
            while len(lignes) <= rang:
                lignes.append([])
            lignes[rang].extend([""] * (colonne + 1 - len(lignes[rang])))
            lignes[rang][colonne] = cellule
    return Classeur(feuilles, masquees)


_ESPACES_XLSX = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                 "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                 "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
# Cells that may hold no value: of the error type, or starting with a formula (``f`` is the
# first child of ``c`` in SpreadsheetML). Attributes hold no "/" nor ">".
_CELLULE_ERREUR = re.compile(rb'<(?:\w+:)?c\b([^>/]*\bt="e"[^>/]*)>(.*?)</(?:\w+:)?c>', re.S)
_CELLULE_FORMULE = re.compile(rb"<(?:\w+:)?c\b([^>/]*)>(<(?:\w+:)?f\b.*?)</(?:\w+:)?c>", re.S)
_REFERENCE = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_VALEUR = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_V = re.compile(rb"<(?:\w+:)?v\b")


def cellules_fautives(contenu: bytes) -> dict[str, dict[tuple[int, int], CelluleFautive]]:
    """The error cells and the formulas without a calculated value of an XLSX, per sheet,
    as ``{(row index, column index): CelluleFautive}`` (0-based)."""
    import xml.etree.ElementTree as ET

    archive = zipfile.ZipFile(io.BytesIO(contenu))
    try:
        classeur = ET.fromstring(archive.read("xl/workbook.xml"))
        liens = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return {}  # calamine says what is wrong with such an archive
    cibles = {lien.get("Id"): str(lien.get("Target", "")) for lien in liens.findall("p:Relationship", _ESPACES_XLSX)}
    sortie: dict[str, dict[tuple[int, int], CelluleFautive]] = {}
    for feuille in classeur.iterfind("m:sheets/m:sheet", _ESPACES_XLSX):
        nom, cible = str(feuille.get("name")), cibles.get(feuille.get(f"{{{_ESPACES_XLSX['r']}}}id"), "")
        membre = cible.lstrip("/") if cible.startswith("/") else f"xl/{cible}"
        try:
            xml = archive.read(membre)
        except KeyError:
            continue
        # substring tests first: a regular expression over a 28 MB sheet costs about a second
        cellules = [(c, True) for c in _CELLULE_ERREUR.finditer(xml)] if b't="e"' in xml else []
        if any(balise in xml for balise in (b"<f>", b"<f ", b":f>", b":f ")):
            cellules += [(c, False) for c in _CELLULE_FORMULE.finditer(xml)]
        for cellule, erreur in cellules:
            attributs, valeur = cellule[1], _VALEUR.search(cellule[2])
            if not erreur and (b't="e"' in attributs or (valeur is not None and valeur[1].strip())
                               or (b't="str"' in attributs and _V.search(cellule[2]))):
                continue  # a value, or a calculated empty text (=SI(A2="";"";A2))
            reference = _REFERENCE.search(attributs)
            if reference is None:
                continue
            colonne = 0
            for lettre in reference[1]:
                colonne = colonne * 26 + lettre - 64
            ref = reference[1].decode() + reference[2].decode()
            if erreur:
                code = valeur[1].decode("utf-8", errors="replace") if valeur else "?"
                faute = CelluleFautive(f"cellule {ref} de la feuille {cite(nom)} en erreur ({cite(code)}) : "
                                       "corrigez la formule ou la valeur dans le classeur", code)
            else:
                faute = CelluleFautive(f"cellule {ref} de la feuille {cite(nom)} : formule sans valeur calculée "
                                       "(classeur écrit par un programme, jamais recalculé) : ouvrez-le dans un "
                                       "tableur et réenregistrez-le")
            sortie.setdefault(nom, {})[(int(reference[2]) - 1, colonne - 1)] = faute
    return sortie


def verifier_archive(contenu: bytes) -> None:
    """Refuse a ZIP (an XLSX) whose declared unzipped size would exhaust memory, before
    anything is decompressed (``ValeurInvalide`` with the French reason)."""
    try:
        membres = zipfile.ZipFile(io.BytesIO(contenu)).infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise ValeurInvalide("classeur illisible (archive ZIP endommagée ou tronquée : "
                             "réenregistrez-le depuis le tableur)") from e
    total = sum(m.file_size for m in membres)
    if total > TAILLE_MAX_DECOMPRESSEE:
        raise ValeurInvalide(
            f"classeur refusé : il déclare {nombre_fr(total / 1024**2)} Mo une fois décompressé, au-delà de "
            f"la limite de {TAILLE_MAX_DECOMPRESSEE // 1024**2} Mo (archive piégée, ou classeur à découper)")
    for membre in membres:
        if membre.file_size > 1024**2 and membre.file_size > TAUX_MAX_COMPRESSION * max(membre.compress_size, 1):
            raise ValeurInvalide(
                f"classeur refusé : {cite(membre.filename)} se décompresse à "
                f"{nombre_fr(membre.file_size // max(membre.compress_size, 1))} fois sa taille compressée, plus de "
                f"{TAUX_MAX_COMPRESSION} fois (archive piégée ?)")


def trouver_feuille(feuilles: dict[str, Any], nom: str) -> str | None:
    """The sheet called ``nom``, ignoring case, accents and surrounding spaces."""
    cle = normaliser_nom_colonne(nom)
    return next((f for f in feuilles if normaliser_nom_colonne(f) == cle), None)


def _cellule(valeur: Any) -> Any:
    """A cell as the parsers expect it: text stripped, whole numbers as text (codes and
    references lose nothing), dates at midnight as dates, other values as typed."""
    if valeur is None:
        return ""
    if isinstance(valeur, str):
        return valeur.strip()
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    if isinstance(valeur, int) and not isinstance(valeur, bool):
        return str(valeur)
    if isinstance(valeur, datetime) and valeur == datetime(valeur.year, valeur.month, valeur.day):
        return valeur.date()
    return valeur


def lire_feuille(
    cellules: list[list[Any]],
    colonnes_obligatoires: list[str],
    colonnes_facultatives: list[str] = (),  # type: ignore[assignment]
) -> tuple[list[tuple[int, dict[str, Any]]], list[Rejet], list[str]]:
    """One sheet read like ``lire_csv``: ``(row number, {column: value})`` rows, rejects and
    remarks; the header is the first non-empty row."""
    lignes_ = [[_cellule(c) for c in ligne] for ligne in cellules]
    premiere = next((i for i, ligne in enumerate(lignes_) if any(not vide(c) for c in ligne)), None)
    if premiere is None:
        return [], [Rejet(1, "(fichier)", None, "feuille vide : aucune ligne d'en-tête")], []
    remarques: list[str] = []
    entete = [normaliser_nom_colonne(str(c)) for c in lignes_[premiere]]
    faute = verifier_entete(entete, colonnes_obligatoires, colonnes_facultatives, premiere + 1, remarques)
    if faute:
        return [], [faute], remarques
    lignes = [
        (numero, {c: v for c, v in zip(entete, ligne, strict=False) if c})
        for numero, ligne in enumerate(lignes_[premiere + 1 :], start=premiere + 2)
        if any(not vide(v) for v in ligne)
    ]
    return lignes, [], remarques


# --------------------------------------------------------------------------- files of several kinds

def entete_csv(contenu: bytes, encodage: str | None = None) -> tuple[list[str], str]:
    """The normalised column names of a delimited file's header (its first non-empty line)
    and its separator, so that a loader tells its kinds of file apart by their content,
    not by their name."""
    ligne = next((ligne for ligne in decoder(contenu, encodage).lignes if ligne.strip()), "")
    sep = max(SEPARATEURS, key=ligne.count)
    return [normaliser_nom_colonne(c) for c in next(csv.reader([ligne], delimiter=sep), [])], sep


def reconnaitre(entete: list[str], genres: dict[str, list[str]]) -> str:
    """The kind of file (a key of ``genres``: its French name -> its columns) whose columns
    best match a header, by the share of names in common (Jaccard index). At least half is
    required, so that a file missing a column is still recognised and its loader can name
    the missing column. Raises ``ValeurInvalide`` with a French reason otherwise."""
    lues = {c for c in entete if c}
    if not lues:
        raise ValeurInvalide("fichier vide : aucune ligne d'en-tête")

    def part_commune(colonnes: list[str]) -> float:
        attendues = {normaliser_nom_colonne(c) for c in colonnes}
        return len(lues & attendues) / len(lues | attendues)

    genre = max(genres, key=lambda g: part_commune(genres[g]))
    if part_commune(genres[genre]) >= 0.5:
        return genre
    attendus = " ; ".join(f"{nom} ({', '.join(colonnes)})" for nom, colonnes in genres.items())
    connues = list(dict.fromkeys(normaliser_nom_colonne(c) for colonnes in genres.values() for c in colonnes))
    raise ValeurInvalide(f"en-tête non reconnu ({decrire_entete(entete, connues)}) ; en-têtes attendus : {attendus}")


def table_du_genre(chemin: Path, formats: dict[str, tuple[str, Any, Any]]) -> str | None:
    """The raw table a file loads into, read from its header alone among ``formats`` (kind ->
    (table, key, fields)); None if it fits no kind."""
    nature = genre_csv(chemin, {nom: list(champs) for nom, (_, _, champs) in formats.items()})
    return formats[nature][0] if nature else None


def genre_csv(chemin: Path, genres: dict[str, list[str]]) -> str | None:
    """The kind of a delimited file read from its header alone (its first 64 KB), or None
    when the file cannot be read or its header fits no kind."""
    try:
        with Path(chemin).open("rb") as f:
            debut = f.read(64 * 1024)
        entete, _ = entete_csv(debut[: debut.rfind(b"\n") + 1] or debut)
        return reconnaitre(entete, genres)
    except (OSError, ValeurInvalide):
        return None


def lire_csv_d_un_genre(chemin: Path, source: str, genres: dict[str, list[str]]
                        ) -> tuple[Lot, str | None, list[tuple[int, dict[str, str]]]]:
    """The start shared by the loaders of files of fixed layouts (DARES, ROME, communes):
    read the file, recognise its kind by its header (``reconnaitre``), parse its rows.
    The kind is ``None`` when none fits; the lot then holds the reject that says why."""
    contenu = lire_octets(chemin)
    lot = Lot(source, Path(chemin), empreinte(contenu))
    entete, separateur = entete_csv(contenu)
    try:
        genre = reconnaitre(entete, genres)
    except ValeurInvalide as e:
        lot.rejets.append(Rejet(1, "(fichier)", None, str(e)))
        return lot, None, []
    lignes, lot.rejets, lot.remarques = lire_csv(contenu, genres[genre], separateur=separateur)
    lot.lignes_lues = len(lignes) + sum(r.champ == "(ligne)" for r in lot.rejets)
    return lot, genre, lignes


def lire_csv_de_formats(chemin: Path, source: str, formats: dict[str, tuple[str, Any, Any]],
                        ajuster: Callable[[str, list[tuple[int, dict[str, str]]], dict[str, Any], list[Rejet]],
                                          list[tuple[int, dict[str, str]]]] | None = None) -> Lot:
    """A whole loader of fixed layouts: ``formats`` maps each kind to (table, key, fields),
    a field being header name -> (column, value reader), either of which may be None (a
    column read but not stored, or stored as read). ``ajuster`` may rework the rows of a
    kind (and add rules) before they are validated."""
    lot, genre, lignes = lire_csv_d_un_genre(chemin, source, {nom: list(champs) for nom, (_, _, champs)
                                                               in formats.items()})
    if genre is None:
        return lot
    table, cle, champs = formats[genre]
    regles = {normaliser_nom_colonne(c): lecteur for c, (_, lecteur) in champs.items() if lecteur}
    noms = {normaliser_nom_colonne(c): colonne for c, (colonne, _) in champs.items() if colonne}
    if ajuster:
        lignes = ajuster(genre, lignes, regles, lot.rejets)
    lot.tables.append(Table(table, valider_lignes(lignes, regles, cle, lot.rejets, noms), cle))
    return lot


def lire_code(valeur: Any, largeur: int = 0) -> str | None:
    """A code kept as text. Spreadsheets and statistics tools write codes as numbers:
    ``2715.0`` becomes ``2715``, and a numeric code shorter than ``largeur`` gets its
    leading zeros back (``1`` -> ``01`` for a region)."""
    if vide(valeur):
        return None
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    code = str(valeur).strip()
    return code.split(".")[0].zfill(largeur) if _CODE_NUMERIQUE.fullmatch(code) else code


_CODE_NUMERIQUE = re.compile(r"[0-9]+(?:\.0+)?")


def lire_annee(valeur: Any) -> int | None:
    """A year (``2024``, or ``2024.0`` from a spreadsheet)."""
    code = lire_code(valeur)
    if code is None:
        return None
    if not re.fullmatch(r"(19|20)[0-9]{2}", code):
        raise ValeurInvalide(f"année illisible {cite(valeur)} (attendu 4 chiffres, ex. 2024)")
    return int(code)


def _memoriser(lecteur: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Parsers are pure: a value already seen in a column is not parsed again (codes and
    labels repeat on most rows of a statistics file). Faults are not remembered."""
    vus: dict[str, Any] = {}

    def lire(valeur: Any) -> Any:
        if type(valeur) is not str:
            return lecteur(valeur)
        try:
            return vus[valeur]
        except KeyError:
            resultat = vus[valeur] = lecteur(valeur)
            return resultat

    return lire


def valider_lignes(
    lignes: list[tuple[int, dict[str, Any]]],
    regles: dict[str, Any],
    cle: tuple[str, ...],
    rejets: list[Rejet],
    noms: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """``valider`` every raw row and rename its fields to the table's columns (``noms``:
    field in the file -> column; unnamed fields keep their name). Of rows sharing the
    natural key ``cle`` (table columns) the first is kept and the others are rejected with
    a reason naming its line. Each kept row carries its line number in ``_ligne``."""
    noms = noms or {}
    regles = {champ: _memoriser(lecteur) for champ, lecteur in regles.items()}
    champs_cle = ", ".join(next((f for f, c in noms.items() if c == k), k) for k in cle)
    gardees: list[dict[str, Any]] = []
    vues: dict[tuple, int] = {}
    for numero, brut in lignes:
        sortie = valider(numero, brut, regles, rejets)
        if sortie is None:
            continue
        ligne = {noms.get(champ, champ): v for champ, v in sortie.items()}
        valeur = tuple(ligne[k] for k in cle)
        if valeur in vues:
            rejets.append(Rejet(
                numero, champs_cle, " | ".join("" if v is None else str(v) for v in valeur),
                f"ligne en double dans le fichier : même {champs_cle} que la ligne {vues[valeur]}"))
            continue
        vues[valeur] = numero
        ligne["_ligne"] = numero
        gardees.append(ligne)
    return gardees
