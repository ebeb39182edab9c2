"""Reading input files: refusing what cannot be a sane input (links leading outside the
drop folder, unreadable or oversized files), decoding text as French Excel writes it,
and reading delimited files into raw rows."""

from __future__ import annotations

import codecs
import csv
import errno
import hashlib
import itertools
import json
import re
import sys
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from flows.erreurs import ErreurUtilisateur
from flows.formats import nombre_fr, pluriel
from flows.lecture.lots import Rejet
from flows.lecture.valeurs import normaliser_nom_colonne

TAILLE_MAX_FICHIER = 4 * 1024**3  # a single input above 4 GB is refused, not read
# A CSV cell may hold a whole text (a 10 MB job description loads): the csv module's
# default limit of 128 KB would stop the file there.
csv.field_size_limit(TAILLE_MAX_FICHIER // 4)


class FichierRefuse(ErreurUtilisateur):
    """An input the pipeline will not read at all; ``motif`` says why, in French."""

    def __init__(self, chemin: Path, motif: str):
        super().__init__(f"{chemin} : {motif}")
        self.motif = motif


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
    chemin = verifier_fichier(chemin)
    try:
        return chemin.read_bytes()
    except OSError as e:
        raise FichierRefuse(chemin, _motif_erreur_lecture(e)) from e


def verifier_fichier(chemin: Path) -> Path:
    """Refuse, without reading it, what cannot be a sane input (``lire_octets``'s checks)."""
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
    if motif := motif_illisible(chemin):
        raise FichierRefuse(chemin, motif)
    return chemin


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
            illisibles[numero] = _motif_octet(brute, e)
            lignes.append("")
    return Texte(lignes, "utf-8", illisibles)


def _motif_octet(brute: bytes, erreur: UnicodeDecodeError) -> str:
    octet = brute[erreur.start : erreur.start + 1].hex().upper()
    return (f"encodage invalide : octet 0x{octet} non UTF-8 en colonne {erreur.start + 1} "
            "(réenregistrez le fichier en UTF-8)")


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
    entete = next((g for g, brute in zip(genres, brutes, strict=True) if brute.strip()), None)
    return _plutot_cp1252_comptes(genres.count(False), genres.count(True), entete)


def _plutot_cp1252_comptes(non_utf8: int, utf8: int, entete: bool | None) -> bool:
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


# --------------------------------------------------------------------------- streamed text files

_FIN_DE_LIGNE = re.compile(rb"\r\n|\r|\n")
_SEQUENCE_UTF8 = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
BOM_UTF8 = b"\xef\xbb\xbf"
BLOC = 1024**2  # bytes read at a time


def _lignes_brutes(f: BinaryIO) -> Iterator[bytes]:
    """Physical lines of a binary file after its UTF-8 BOM, if any, as ``bytes.splitlines``
    cuts them, a block at a time."""
    debut = f.read(len(BOM_UTF8))
    reste = b""
    for bloc in itertools.chain([b"" if debut == BOM_UTF8 else debut], iter(lambda: f.read(BLOC), b"")):
        donnees, garde = reste + bloc, b""
        if donnees.endswith(b"\r"):  # maybe the first half of a CRLF
            donnees, garde = donnees[:-1], b"\r"
        morceaux = _FIN_DE_LIGNE.split(donnees)
        reste = morceaux.pop() + garde
        yield from morceaux
    if reste:
        yield reste[:-1] if reste.endswith(b"\r") else reste


@dataclass
class Flux:
    """A text file decoded line by line exactly as ``decoder`` decodes it whole, without
    holding it: ``examiner`` reads it once to choose the decoding (and its sha256), then
    each ``lignes()`` reads it again."""

    chemin: Path
    encodage: str
    sha256: str
    mode: str  # "texte" (codec ``encodage``), "utf-8", "cp1252", "mele" (cp1252 + UTF-8 lines), "utf-8-fautif"
    lignes_utf8: list[int] = field(default_factory=list)
    lignes_illisibles: dict[int, str] = field(default_factory=dict)  # filled by ``lignes()`` ("utf-8-fautif")

    def lignes(self) -> Generator[str, None, None]:
        if self.mode == "texte":
            with self.chemin.open(encoding=self.encodage, errors="replace", newline="") as f:
                for ligne in f:
                    yield ligne[:-2] if ligne.endswith("\r\n") else ligne.rstrip("\r\n")
            return
        with self.chemin.open("rb") as f:
            for numero, brute in enumerate(_lignes_brutes(f), start=1):
                if self.mode == "utf-8":
                    yield brute.decode("utf-8")
                elif self.mode == "cp1252" or (self.mode == "mele" and not _utf8(brute)):
                    yield brute.decode("cp1252", errors="replace")
                elif self.mode == "mele":
                    yield brute.decode("utf-8")
                else:
                    try:
                        yield brute.decode("utf-8")
                    except UnicodeDecodeError as e:
                        self.lignes_illisibles[numero] = _motif_octet(brute, e)
                        yield ""


def examiner(chemin: Path, encodage: str | None = None) -> Flux:
    """Read a text file once, a block at a time: its sha256 and how ``decoder`` would decode it."""
    chemin = verifier_fichier(chemin)
    somme = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    valide = True
    try:
        with chemin.open("rb") as f:
            debut = f.read(len(BOM_UTF8))
            somme.update(debut)
            blocs = itertools.chain([b"" if debut == BOM_UTF8 else debut], iter(lambda: f.read(BLOC), b""))
            for rang, bloc in enumerate(blocs):
                if rang:
                    somme.update(bloc)
                if valide and not encodage:
                    try:
                        utf8.decode(bloc)
                    except UnicodeDecodeError:
                        valide = False
        if valide:
            utf8.decode(b"", final=True)
    except UnicodeDecodeError:
        valide = False
    except OSError as e:
        raise FichierRefuse(chemin, _motif_erreur_lecture(e)) from e
    sha256 = somme.hexdigest()
    if encodage:
        if codecs.lookup(encodage).name == "utf-16" and not debut.startswith((b"\xff\xfe", b"\xfe\xff")):
            encodage = f"utf-16-{sys.byteorder[0]}e"  # what ``bytes.decode`` assumes without a BOM
        return Flux(chemin, encodage, sha256, "texte")
    if debut.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Flux(chemin, "utf-16", sha256, "texte")
    if valide:
        return Flux(chemin, "utf-8", sha256, "utf-8")
    sequence, non_utf8, en_utf8, entete, vue = False, 0, [], None, False
    with chemin.open("rb") as f:
        for numero, brute in enumerate(_lignes_brutes(f), start=1):
            sequence = sequence or bool(_SEQUENCE_UTF8.search(brute))
            genre = _utf8(brute)
            non_utf8 += genre is False
            if genre:
                en_utf8.append(numero)
            if not vue and brute.strip():
                entete, vue = genre, True
    if not sequence:
        return Flux(chemin, "cp1252", sha256, "cp1252")
    if _plutot_cp1252_comptes(non_utf8, len(en_utf8), entete):
        return Flux(chemin, "cp1252", sha256, "mele", en_utf8)
    return Flux(chemin, "utf-8", sha256, "utf-8-fautif")


SEPARATEURS = (";", ",", "\t")


def remarques_encodage(encodage: str, explicite: bool, lignes_utf8: list[int]) -> list[str]:
    """What the decoding of a text file tells the analyst (French)."""
    remarques: list[str] = []
    if encodage == "cp1252" and not explicite:
        remarques.append("fichier lu en Windows-1252 (encodage non UTF-8 détecté)")
    if lignes_utf8:
        remarques.append(f"encodage mêlé : {_positions(lignes_utf8, 'ligne')} en UTF-8, lue(s) comme telle(s) "
                         "(réenregistrez le fichier dans un seul encodage)")
    if encodage == "utf-16" and not explicite:
        remarques.append("fichier lu en UTF-16 (export « Texte Unicode »)")
    return remarques


class LectureParLots:
    """A file read row by row (``rangees()``: rows and ``Rejet``s in file order), handed on
    in batches so that a large file is never held whole; ``faute`` is a whole-file problem."""

    faute: Rejet | None

    def rangees(self) -> Iterator[tuple[int, dict[str, Any]] | Rejet]:
        raise NotImplementedError

    def par_lots(self, taille: int) -> Iterator[tuple[list[tuple[int, dict[str, Any]]], list[Rejet]]]:
        """The rows and the unreadable rows, ``taille`` at most at a time (at least one batch)."""
        rangees = self.rangees()
        while True:
            lot = list(itertools.islice(rangees, taille))
            lignes = [r for r in lot if not isinstance(r, Rejet)]
            yield lignes, ([self.faute] if self.faute else []) + [r for r in lot if isinstance(r, Rejet)]  # type: ignore[misc]
            self.faute = None
            if len(lot) < taille:
                return


class LectureCsv(LectureParLots):
    """A delimited file read row by row: ``rangees()`` yields, in file order, each
    ``(line number, {column: raw text})`` row and each ``Rejet`` of an unreadable row.

    Column names are matched without case, accents or surrounding spaces. ``remarques``
    (extra columns ignored, separator or encoding guessed) and ``faute`` (the whole-file
    problem, reported on line 1, when there is no row to read) are known once built.
    """

    def __init__(self, lignes: Iterable[str], illisibles: dict[int, str], remarques: list[str],
                 colonnes_obligatoires: list[str], colonnes_facultatives: list[str] = (),  # type: ignore[assignment]
                 separateur: str | None = None):
        self.remarques, self.illisibles, self.faute = remarques, illisibles, None
        self.lues = 0  # rows read, the unreadable ones included
        suite = iter(lignes)
        self.premiere: int | None = None
        for rang, entete in enumerate(suite):
            if entete.strip():
                self.premiere = rang
                break
        if self.premiere is None:
            self.faute = Rejet(1, "(fichier)", None, "fichier vide : aucune ligne d'en-tête")
            return
        sep = separateur or max(SEPARATEURS, key=entete.count)
        if not separateur and sep != ";" and entete.count(sep) > 0:
            remarques.append(f"séparateur {'tabulation' if sep == chr(9) else f'« {sep} »'} détecté au lieu de « ; »")
        # the final newline makes an unreadable last line (decoded as "") a row the loop reports
        self.lecteur = csv.reader(itertools.chain([entete + "\n"], (ligne + "\n" for ligne in suite)), delimiter=sep)
        self.entete = [normaliser_nom_colonne(c) for c in next(self.lecteur)]
        self.faute = verifier_entete(self.entete, colonnes_obligatoires, colonnes_facultatives, self.premiere + 1,
                                     remarques)

    def rangees(self) -> Iterator[tuple[int, dict[str, str]] | Rejet]:
        if self.faute or self.premiere is None:
            return
        premiere, lecteur, entete = self.premiere, self.lecteur, self.entete
        debut = premiere + 2
        while True:
            numero = debut
            try:
                champs = next(lecteur)
            except StopIteration:
                break
            except csv.Error:  # a cell over the size limit; the reader resumes at the next line
                debut = premiere + lecteur.line_num + 1
                self.lues += 1
                yield Rejet(numero, "(ligne)", None, f"ligne illisible : une cellule dépasse "
                            f"{nombre_fr(csv.field_size_limit())} caractères")
                continue
            debut = premiere + lecteur.line_num + 1  # physical line where the next row starts
            if numero in self.illisibles:
                self.lues += 1
                yield Rejet(numero, "(ligne)", None, self.illisibles.pop(numero))
                continue
            if not any(c.strip() for c in champs):
                continue
            self.lues += 1
            if len(champs) != len(entete):
                fusion = (f" ; lignes {numero} à {debut - 1} lues comme une seule : guillemet ouvert non refermé ?"
                          if debut - 1 > numero else "")
                yield Rejet(
                    numero, "(ligne)", None,
                    f"{nombre_fr(len(champs))} champs au lieu de {nombre_fr(len(entete))} (séparateur ou guillemets ?)"
                    f"{fusion}",
                )
                continue
            yield numero, {c: v.strip() for c, v in zip(entete, champs, strict=True) if c}


def lire_csv_flux(flux: Flux, colonnes_obligatoires: list[str], colonnes_facultatives: list[str] = (),  # type: ignore[assignment]
                  separateur: str | None = None, explicite: bool = False) -> LectureCsv:
    """``LectureCsv`` of a streamed file (``explicite``: its encoding was declared)."""
    return LectureCsv(flux.lignes(), flux.lignes_illisibles,
                      remarques_encodage(flux.encodage, explicite, flux.lignes_utf8),
                      colonnes_obligatoires, colonnes_facultatives, separateur)


def lire_csv(
    contenu: bytes,
    colonnes_obligatoires: list[str],
    colonnes_facultatives: list[str] = (),  # type: ignore[assignment]
    encodage: str | None = None,
    separateur: str | None = None,
) -> tuple[list[tuple[int, dict[str, str]]], list[Rejet], list[str]]:
    """Read a small delimited file held whole into ``(line number, {column: raw text})``
    rows, the rejects (whole-file problems are reported on line 1) and French remarks."""
    texte = decoder(contenu, encodage)
    lecture = LectureCsv(texte.lignes, dict(texte.lignes_illisibles),
                         remarques_encodage(texte.encodage, bool(encodage), texte.lignes_utf8),
                         colonnes_obligatoires, colonnes_facultatives, separateur)
    lignes: list[tuple[int, dict[str, str]]] = []
    rejets: list[Rejet] = [lecture.faute] if lecture.faute else []
    for rangee in lecture.rangees():
        (rejets if isinstance(rangee, Rejet) else lignes).append(rangee)  # type: ignore[arg-type]
    return lignes, rejets, lecture.remarques


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
