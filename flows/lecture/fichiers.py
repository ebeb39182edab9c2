"""Reading input files: refusing what cannot be a sane input (links leading outside the
drop folder, unreadable or oversized files), decoding text as French Excel writes it,
and reading delimited files into raw rows."""

from __future__ import annotations

import csv
import errno
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

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
