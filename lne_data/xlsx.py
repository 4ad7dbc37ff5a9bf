"""Reading .xlsx workbooks that other people made: bounded, streaming, and unable to take the server down.

Why not a third-party reader: python-calamine (and fastexcel, built on it) allocates a sheet's whole used range,
so a 5 KB file holding one value in cell XFD1048576 aborts the whole process, and no ``try`` catches an abort;
openpyxl is safe only with defusedxml and takes ~5 s for 100 000 rows. Here `zipfile` inflates each part
incrementally while the real byte count is checked, and expat parses the XML chunk by chunk with every DTD
refused (so no entity can expand), checking each cell reference against `Limits` as it streams: a hostile file
is rejected after little work, and nothing allocated is proportional to a range a file merely claims.

What a reader gets back (`Workbook.rows`): only cells that hold something. Cells that are merely formatted,
texts made only of spaces (including non-breaking and narrow non-breaking spaces, tabs: such a cell looks empty
on screen, so it is empty) and formulas whose cached result is an empty text are omitted, rows left without a
cell are dropped, and `Cell.row`/`Cell.col` are Excel's own numbers, so gaps stay visible. The reader therefore
never produces the kind ``"vide"``: it is part of `Kind` so that callers can stand a `Cell` in for a missing one.
Texts are in Unicode NFC: « réalisé » typed on a Mac (decomposed accents) is the same text as on Windows.
Numbers are floats; a number shown with a date or time format is a ``"date"`` whose value is an ISO string
(``2024-10-21``, ``2024-10-21T08:30:00``, or ``08:30:00`` below one day); a number shown with a percent format
is a ``"pourcentage"`` whose value is the number stored (0.45 for a cell showing « 45 % »); a formula with a
cached result gives that result, one without gives ``"formule-sans-valeur"``, and every formula of a workbook
that asks to be recalculated when opened (`fullCalcOnLoad`, as xlsxwriter and openpyxl write, with a cached 0 or
nothing) gives ``"formule-a-recalculer"``; an Excel error gives ``"erreur"`` and its text. Rows and columns
hidden in Excel (`Workbook.hidden_rows`, `Workbook.hidden_columns`) are read like the others and named, because
the person who sent the file did not see what they hold.

`read_workbook_isolated` runs the same parse in a fresh interpreter with memory and CPU limits, for the day
expat or zlib meets an input nobody foresaw.
"""

from __future__ import annotations

import functools
import gc
import io
import math
import os
import pickle
import posixpath
import re
import struct
import sys
import unicodedata
import zipfile
import zlib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, BinaryIO, Literal, NoReturn
from xml.parsers import expat

from lne_data.problems import Problem, RejectedInput, column_letter

if TYPE_CHECKING:
    import subprocess

__all__ = ["Cell", "Kind", "Limits", "Workbook", "WorkbookRejected", "read_workbook", "read_workbook_isolated"]

Kind = Literal["texte", "nombre", "pourcentage", "booleen", "erreur", "date", "formule-sans-valeur",
               "formule-a-recalculer", "vide"]
CellValue = str | float | bool | None


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell that holds something, where Excel shows it: `row` and `col` count from 1 (A = 1)."""

    row: int
    col: int
    value: CellValue
    kind: Kind


@dataclass(frozen=True)
class Limits:
    """Bounds on what one upload may cost; the defaults leave ample room for a quarterly workbook.

    Frozen because an instance is the default argument of the readers and must not drift between calls.
    `max_cells` bounds memory, which rows × columns alone would not (200 000 × 100 cells is gigabytes).
    """

    max_file_bytes: int = 20 * 1024 * 1024
    max_zip_entries: int = 1000
    max_uncompressed_total: int = 200 * 1024 * 1024
    max_entry_ratio: int = 100
    max_rows: int = 200_000
    max_cols: int = 100
    max_sheets: int = 50
    max_cells: int = 3_000_000


class WorkbookRejected(RejectedInput):
    """The workbook cannot be read; `problems` says why and what the coordinator should do.

    A `RejectedInput`, so that callers handling every rejected upload the same way need no special case.
    """


# Raw parse result of one sheet: (Excel row, [column, value, kind, column, value, kind, ...]) for each non-empty
# row. Flat lists rather than `Cell`s or tuples: one object per row instead of one per cell while the sheet
# streams in, and a compact pickle out of the isolated child; `Workbook.rows` makes the `Cell`s.
RawRows = list[tuple[int, list[CellValue]]]
# Per sheet: the hidden rows that hold a cell, and the hidden columns (both Excel numbers, ascending).
Masked = tuple[list[int], list[int]]


class Workbook:
    """Sheet names in workbook order, the hidden ones among them, and the rows of the sheets that were asked for.

    `hidden` matters to a reader of the file: a sheet hidden in Excel is read like any other, while the person
    who filled the workbook may have edited a visible copy of it. Hidden rows and columns matter the same way.
    """

    def __init__(self, sheet_names: list[str], parsed: dict[str, RawRows], hidden: Collection[str] = (),
                 masked: dict[str, Masked] | None = None):
        self.sheet_names = sheet_names
        self.hidden = frozenset(hidden)
        self._raw = parsed
        self._masked = masked or {}
        self._rows: dict[str, list[list[Cell]]] = {}

    def find(self, name: str) -> list[str]:
        """The sheets a person would call `name`: « SAISIE » or « Saisie␣ » for « Saisie ».

        Case, surrounding spaces and the Unicode form do not show on a tab, so they do not count. Several
        answers mean the workbook is ambiguous (Excel allows « Saisie » next to « Saisie␣ »); the caller says so.
        """
        key = _sheet_key(name)
        return [n for n in self.sheet_names if _sheet_key(n) == key]

    def hidden_rows(self, name: str) -> list[int]:
        """Excel numbers of the rows of sheet `name` that are hidden (by hand or by a filter) and hold a cell."""
        return self._masked.get(name, ([], []))[0]

    def hidden_columns(self, name: str) -> list[int]:
        """Numbers (A = 1) of the columns of sheet `name` that are hidden, up to `Limits.max_cols`."""
        return self._masked.get(name, ([], []))[1]

    def rows(self, name: str) -> list[list[Cell]]:
        """Non-empty rows of sheet `name`, each a list of its non-empty cells, left to right.

        `Cell`s are built on first access and kept, so asking twice returns the same list. A chart sheet has no
        rows. KeyError if the workbook has no such sheet, or if it was left out by `wanted_sheets`.
        """
        built = self._rows.get(name)
        if built is None:
            if name not in self._raw:
                if name in self.sheet_names:
                    raise KeyError(f"la feuille {name!r} n'a pas été demandée à la lecture (wanted_sheets)")
                raise KeyError(f"le classeur n'a pas de feuille {name!r}")
            with _collector_paused():
                built = self._rows[name] = _build_cells(self._raw.pop(name))
        return built


def _sheet_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of objects are created.

    Each one counts towards the next collection, and each collection rescans the growing heap: measured on a
    100 000-row sheet, that is 10 % of the parse and 60 % of building the `Cell`s. Nothing created here forms a
    reference cycle, so pausing loses nothing. Process-wide, but only for the call, and only if it was enabled
    (a concurrent call in another thread finds it paused and leaves it to the first one to resume).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_new_cell = object.__new__
# The slots' descriptors, read from the class's namespace (what `Cell.row` is at run time; mypy reads it as the field).
_set_row, _set_col, _set_value, _set_kind = (vars(Cell)["row"].__set__, vars(Cell)["col"].__set__,
                                             vars(Cell)["value"].__set__, vars(Cell)["kind"].__set__)


def _build_cells(raw: RawRows) -> list[list[Cell]]:
    """Fill the slots directly: a frozen dataclass's `__init__` goes through `object.__setattr__` per field,
    which makes it three times slower, and a 100 000-row sheet has 600 000 cells."""
    out = []
    for row_no, flat in raw:
        cells = []
        triples = iter(flat)
        for col, value, kind in zip(triples, triples, triples, strict=True):
            cell = _new_cell(Cell)
            _set_row(cell, row_no)
            _set_col(cell, col)
            _set_value(cell, value)
            _set_kind(cell, kind)
            cells.append(cell)
        out.append(cells)
    return out


# --------------------------------------------------------------------------------------------------------------
# Problems, in the coordinator's words
# --------------------------------------------------------------------------------------------------------------

_RESAVE = ("Ouvrez-le dans Excel, choisissez Fichier > Enregistrer sous > « Classeur Excel (*.xlsx) », "
           "puis déposez ce nouveau fichier.")


def _reject(code: str, message: str, *, sheet: str | None = None, row: int | None = None,
            column: str | None = None) -> NoReturn:
    raise WorkbookRejected([Problem(code, message, sheet=sheet, row=row, column=column)])


def _suspect(detail: str) -> NoReturn:
    _reject("zip-suspect",
            f"Le fichier semble endommagé, ou fabriqué pour nuire : {detail}. Si vous connaissez sa provenance, "
            "ouvrez-le dans Excel, enregistrez-le sous un nouveau nom (Fichier > Enregistrer sous > « Classeur "
            "Excel (*.xlsx) ») et déposez cette copie ; sinon, ne l'ouvrez pas et demandez à son auteur de vous "
            "le renvoyer.")


def _corrupt(detail: str, sheet: str | None = None) -> NoReturn:
    _reject("fichier-corrompu",
            f"Le fichier est endommagé et ne peut pas être lu : {detail}. Ouvrez-le dans Excel, qui proposera "
            "peut-être de le réparer, enregistrez-le sous un nouveau nom au format « Classeur Excel (*.xlsx) », "
            "puis déposez cette copie.", sheet=sheet)


def _too_big(sheet: str, what: str, row: int | None, col: int | None, limits: Limits) -> NoReturn:
    _reject("feuille-trop-grande",
            f"La feuille « {sheet} » {what}, au-delà de ce que l'application accepte ({_count(limits.max_rows)} "
            f"lignes, {_count(limits.max_cols)} colonnes, {_count(limits.max_cells)} cellules remplies). Ce sont "
            "souvent des lignes ou des colonnes vides mais mises en forme. Dans Excel, sélectionnez les lignes sous "
            "vos données jusqu'à la fin de la feuille (Ctrl+Maj+Flèche bas), supprimez-les (clic droit > "
            "Supprimer), faites de même pour les colonnes à droite des données, enregistrez, puis déposez de "
            "nouveau le fichier.",
            sheet=sheet, row=row, column=column_letter(col) if col else None)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} Mo"


# --------------------------------------------------------------------------------------------------------------
# What kind of file is it? Decided from the bytes, never from the name.
# --------------------------------------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_CENTRAL_DIR_SIGNATURE = b"PK\x01\x02"


def _load(source: bytes | BinaryIO, limits: Limits) -> bytes:
    """The whole upload in memory, reading at most one byte past the limit from a stream."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        data = source.read(limits.max_file_bytes + 1)
    _check_size(data, limits)
    return data


def _check_size(data: bytes, limits: Limits) -> None:
    if not data:
        _reject("fichier-vide",
                "Le fichier déposé est vide (0 octet) : le téléchargement ou la copie s'est sans doute mal passé. "
                "Vérifiez que le classeur s'ouvre dans Excel, puis déposez-le de nouveau.")
    if len(data) > limits.max_file_bytes:
        _reject("fichier-trop-volumineux",
                f"Le fichier pèse plus de {_mb(limits.max_file_bytes)}, la taille maximale acceptée. Supprimez les "
                "feuilles, images et lignes qui ne servent pas au tableau de bord, enregistrez, puis déposez de "
                "nouveau le fichier.")


def _check_signature(data: bytes) -> None:
    """Reject every non-zip format with a message naming what the file really is."""
    head = data[:8]
    if head.startswith(_ZIP_MAGICS):
        return
    if head == _OLE_MAGIC:
        _reject_ole(data)
    if head.startswith(b"%PDF"):
        what, advice = "c'est un document PDF", "Déposez le classeur Excel (.xlsx) d'origine, pas sa version PDF."
    else:
        sample = data[:4096]
        text = sample.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<!doctype html", b"<html")) or b"<table" in text:
            what, advice = "c'est une page web (HTML) enregistrée avec un nom de fichier Excel", _RESAVE
        elif text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
            what, advice = "c'est un « Classeur XML 2003 »", _RESAVE
        elif b"\x00" not in sample:
            what, advice = "il contient du texte, par exemple un export CSV", _RESAVE
        else:
            what = "son format n'est pas reconnu"
            advice = ("Vérifiez que vous déposez bien le classeur attendu ; au besoin, ouvrez-le dans Excel et "
                      "enregistrez-le au format « Classeur Excel (*.xlsx) ».")
    _reject("format-inconnu",
            f"Ce fichier n'est pas un classeur Excel : {what}. Son nom se termine peut-être par .xlsx, mais c'est "
            f"son contenu qui compte. {advice}")


def _reject_ole(data: bytes) -> NoReturn:
    """OLE2 holds both legacy .xls and password-protected .xlsx (Excel encrypts into an OLE2 envelope)."""
    names = _ole_stream_names(data)
    if names is not None and names & {"encryptioninfo", "encryptedpackage"}:
        _reject("classeur-chiffre",
                "Ce classeur est protégé par un mot de passe à l'ouverture : l'application ne peut pas le lire. "
                "Ouvrez-le dans Excel avec son mot de passe, retirez celui-ci (Fichier > Informations > Protéger "
                "le classeur > Chiffrer avec mot de passe, effacez le mot de passe, validez), enregistrez, puis "
                "déposez le fichier.")
    if names is not None and names & {"workbook", "book"}:
        _reject("format-xls", f"Ce fichier est au format Excel 97-2003 (.xls), que l'application ne lit pas. {_RESAVE}")
    if names is not None:
        _reject("format-inconnu",
                "Ce fichier n'est pas un classeur Excel : c'est un autre document Office ancien (Word, PowerPoint "
                "97-2003…). Déposez le classeur Excel (.xlsx) attendu.")
    _reject("format-xls",
            "Ce fichier est protégé par un mot de passe ou au format Excel 97-2003 (.xls) : l'application ne peut "
            "pas le lire. S'il est protégé, ouvrez-le dans Excel et retirez le mot de passe (Fichier > Informations "
            "> Protéger le classeur > Chiffrer avec mot de passe, effacez-le) ; s'il est au format .xls, "
            "choisissez Fichier > Enregistrer sous > « Classeur Excel (*.xlsx) ». Déposez ensuite le nouveau "
            "fichier.")


_OLE_END_OF_CHAIN = 0xFFFFFFFE


def _ole_stream_names(data: bytes) -> set[str] | None:
    """Lower-cased entry names of an OLE2 compound file's directory, or None if it cannot be walked.

    Walks only the directory's sector chain, looking FAT entries up one at a time, every loop bounded by the
    number of sectors in the file: enough to tell an encrypted OOXML package ("EncryptionInfo",
    "EncryptedPackage") from a .xls ("Workbook"), and nothing a crafted header can make expensive.
    """
    try:
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            return None
        size = 1 << shift
        per_sector = size // 4
        sector_count = len(data) // size
        first_dir, = struct.unpack_from("<I", data, 0x30)
        difat_next, difat_count = struct.unpack_from("<II", data, 0x44)
        fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
        for _ in range(min(difat_count, sector_count)):
            if difat_next >= sector_count or len(fat_sectors) > sector_count:
                break
            entries = struct.unpack_from(f"<{per_sector}I", data, (difat_next + 1) * size)
            fat_sectors += entries[:-1]
            difat_next = entries[-1]
        names: set[str] = set()
        sector = first_dir
        for _ in range(sector_count):
            if sector == _OLE_END_OF_CHAIN:
                return names
            base = (sector + 1) * size
            for offset in range(base, base + size, 128):
                length, kind = struct.unpack_from("<HB", data, offset + 64)
                if kind in (1, 2) and 2 <= length <= 64:
                    names.add(data[offset:offset + length - 2].decode("utf-16-le", "replace").lower())
            fat_index, slot = divmod(sector, per_sector)
            if fat_index >= len(fat_sectors) or fat_sectors[fat_index] >= sector_count:
                return None
            sector, = struct.unpack_from("<I", data, (fat_sectors[fat_index] + 1) * size + slot * 4)
        return None
    except struct.error:
        return None


# --------------------------------------------------------------------------------------------------------------
# Zip container and XML parts
# --------------------------------------------------------------------------------------------------------------

_CHUNK = 256 * 1024
_RATIO_FLOOR = 1024 * 1024  # below this uncompressed size, any compression ratio is harmless


class _Forbidden(Exception):
    """A DTD or entity declaration: OOXML never has one, and refusing it is what makes entity bombs impossible."""


def _refuse(*_args: object) -> NoReturn:
    raise _Forbidden


def _new_parser(*, namespaces: bool = True) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" " if namespaces else None)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024
    return parser


class _Budget:
    """Counts bytes actually inflated, across all parts read, because zip headers can lie about sizes."""

    __slots__ = ("limits", "total")

    def __init__(self, limits: Limits):
        self.limits = limits
        self.total = 0

    def chunks(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """Yield the part's bytes, stopping as soon as the real size or ratio goes past the limits."""
        limits = self.limits
        ratio_cap = limits.max_entry_ratio * max(info.compress_size, 1)
        inflated = 0
        with zf.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                inflated += len(chunk)
                self.total += len(chunk)
                if self.total > limits.max_uncompressed_total:
                    _suspect(f"son contenu décompressé dépasse {_mb(limits.max_uncompressed_total)}")
                if inflated > _RATIO_FLOOR and inflated > ratio_cap:
                    _suspect(f"l'élément interne « {info.filename} » se décompresse à plus de "
                             f"{limits.max_entry_ratio} fois sa taille")
                yield chunk


def _parse_part(budget: _Budget, zf: zipfile.ZipFile, info: zipfile.ZipInfo, parser: expat.XMLParserType,
                sheet: str | None = None) -> None:
    """Stream one part into `parser`; every way the bytes can be wrong becomes `fichier-corrompu`."""
    try:
        for chunk in budget.chunks(zf, info):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Forbidden:
        _corrupt(f"la partie interne « {info.filename} » contient une déclaration DTD ou d'entité, interdite",
                 sheet)
    except expat.ExpatError as error:
        _corrupt(f"la partie interne « {info.filename} » n'est pas un XML valide, ligne {error.lineno}", sheet)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, UnicodeDecodeError) as error:
        _corrupt(f"la partie interne « {info.filename} » ne se décompresse pas (erreur : {error})", sheet)
    except RuntimeError as error:  # what zipfile raises for an entry encrypted with a zip password
        _corrupt(f"la partie interne « {info.filename} » est chiffrée (erreur : {error})", sheet)


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def _collect(budget: _Budget, zf: zipfile.ZipFile, info: zipfile.ZipInfo,
             keep: frozenset[str]) -> list[tuple[str, dict[str, str] | None]]:
    """Starts (with attributes) and ends (None) of the elements named in `keep`, for the small metadata parts."""
    events: list[tuple[str, dict[str, str] | None]] = []
    parser = _new_parser()

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local in keep:
            events.append((local, attrs))

    def end(name: str) -> None:
        local = _local(name)
        if local in keep:
            events.append((local, None))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    _parse_part(budget, zf, info, parser)
    return events


def _open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    # zipfile builds an object per central-directory entry before anyone can count them: count signatures first.
    if data.count(_CENTRAL_DIR_SIGNATURE) > limits.max_zip_entries:
        _suspect(f"il contient plus de {limits.max_zip_entries} éléments internes, au lieu de quelques dizaines")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError, struct.error,
            NotImplementedError) as error:
        _corrupt(f"l'archive zip est illisible ou tronquée (erreur : {error})")


def _check_declared_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_zip_entries:
        _suspect(f"il contient {len(infos)} éléments internes, au lieu de quelques dizaines")
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_uncompressed_total:
        _suspect(f"son contenu décompressé annoncé atteint {_mb(declared)}, au-delà de "
                 f"{_mb(limits.max_uncompressed_total)}")
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_entry_ratio * max(info.compress_size, 1):
            _suspect(f"l'élément interne « {info.filename} » se décompresse à plus de {limits.max_entry_ratio} "
                     "fois sa taille")


_MAIN_TYPES = frozenset({
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
})
_NOT_A_WORKBOOK = ("Ce fichier est une archive compressée (zip) ou un document Office qui n'est pas un classeur "
                   "Excel (par exemple un document Word ou PowerPoint). Déposez le classeur Excel (.xlsx) attendu.")


def _workbook_part(budget: _Budget, zf: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """Tell apart ODS, non-workbook zips, binary and macro workbooks; return the main workbook part."""
    mimetype = parts.get("mimetype")
    if mimetype is not None and mimetype.file_size < 256:
        kind = b"".join(budget.chunks(zf, mimetype))
        if b"opendocument.spreadsheet" in kind:
            _reject("format-ods",
                    "Ce fichier est un classeur LibreOffice ou OpenOffice (.ods). Ouvrez-le dans LibreOffice, "
                    "choisissez Fichier > Enregistrer sous, type « Excel 2007-365 (.xlsx) », puis déposez ce "
                    "nouveau fichier.")
        if b"opendocument" in kind:
            _reject("zip-non-classeur", _NOT_A_WORKBOOK)
    content_types = parts.get("[content_types].xml")
    if content_types is None:
        _reject("zip-non-classeur", _NOT_A_WORKBOOK)
    overrides: dict[str, str] = {}
    types: list[str] = []
    for local, attrs in _collect(budget, zf, content_types, frozenset({"Default", "Override"})):
        if attrs is not None:
            content_type = attrs.get("ContentType", "")
            types.append(content_type.lower())
            if local == "Override":
                overrides[attrs.get("PartName", "").lstrip("/").lower()] = content_type
    if any("sheet.binary" in t for t in types):
        _reject("format-xlsb",
                f"Ce fichier est un classeur Excel binaire (.xlsb), que l'application ne lit pas. {_RESAVE}")
    if any("vbaproject" in name for name in parts) or any(
            "macroenabled" in t or "vbaproject" in t or "macrosheet" in t for t in types):
        _reject("classeur-macro",
                "Ce classeur contient des macros. Par sécurité, l'application n'accepte pas les classeurs avec "
                "macros. Dans Excel, choisissez Fichier > Enregistrer sous > « Classeur Excel (*.xlsx) » : la "
                "copie est enregistrée sans les macros. Déposez cette copie.")
    main = next((name for name, t in overrides.items() if t in _MAIN_TYPES), "xl/workbook.xml")
    if main not in parts:
        _reject("zip-non-classeur", _NOT_A_WORKBOOK)
    return parts[main]


def _relationships(budget: _Budget, zf: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo],
                   source: zipfile.ZipInfo) -> dict[str, tuple[str, str]]:
    """Relationship id → (type's last segment, lower-cased part name), resolved against the source part."""
    folder, base = posixpath.split(source.filename)
    info = parts.get(posixpath.join(folder, "_rels", base + ".rels").lower())
    if info is None:
        return {}
    rels = {}
    for _, attrs in _collect(budget, zf, info, frozenset({"Relationship"})):
        if attrs is None or attrs.get("TargetMode") == "External":
            continue
        target = attrs.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        rels[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], path.lower())
    return rels


# --------------------------------------------------------------------------------------------------------------
# Styles: which cell formats are dates, which are percentages
# --------------------------------------------------------------------------------------------------------------

_TEXT, _NUMBER, _PERCENT, _BOOLEAN, _ERROR, _DATE, _NO_VALUE, _RECALC = (
    "texte", "nombre", "pourcentage", "booleen", "erreur", "date", "formule-sans-valeur", "formule-a-recalculer")

_BUILTIN_DATE_FORMATS = frozenset(range(14, 23)) | frozenset({45, 46, 47})
_BUILTIN_PERCENT_FORMATS = frozenset({9, 10})  # 0% and 0.00%
# Quoted text, escaped characters, padding (_x) and fill (*x), and bracketed parts such as [Red] or [$-40C]
# (elapsed times like [h] keep their letter inside the brackets, which the date test looks for separately).
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
_ELAPSED = re.compile(r"\[(h+|m+|s+)\]", re.IGNORECASE)
_DATE_TOKENS = re.compile(r"[dmyhs]", re.IGNORECASE)


def _is_date_format(code: str) -> bool:
    if _ELAPSED.search(code):
        return True
    return _DATE_TOKENS.search(_FORMAT_LITERALS.sub("", code).replace("General", "")) is not None


def _is_percent_format(code: str) -> bool:
    """A `%` outside quotes, escapes and brackets multiplies the shown number by 100 (`0.0%`, `0" %"` does not)."""
    return "%" in _FORMAT_LITERALS.sub("", code)


def _number_styles(budget: _Budget, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, str]:
    """Indexes (as the strings found in `s="…"`) of the cell formats showing a date or time (→ ``"date"``) or a
    percentage (→ ``"pourcentage"``); other formats show the number as it is and are left out.

    Computed once per workbook so that the per-cell test is one dict lookup on the attribute as read.
    """
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    inside = ""  # numFmts or cellXfs: dxfs and cellStyleXfs hold numFmt and xf elements that do not count
    for local, attrs in _collect(budget, zf, info, frozenset({"numFmts", "numFmt", "cellXfs", "xf"})):
        if local in ("numFmts", "cellXfs"):
            inside = local if attrs is not None else ""
        elif attrs is None:
            continue
        elif local == "numFmt" and inside == "numFmts":
            try:
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            except ValueError:
                continue
        elif local == "xf" and inside == "cellXfs":
            try:
                xf_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xf_formats.append(0)
    styles: dict[str, str] = {}
    for index, fmt in enumerate(xf_formats):
        code = custom.get(fmt)
        if (fmt in _BUILTIN_DATE_FORMATS) if code is None else _is_date_format(code):
            styles[str(index)] = _DATE
        elif (fmt in _BUILTIN_PERCENT_FORMATS) if code is None else _is_percent_format(code):
            styles[str(index)] = _PERCENT
    return styles


_EPOCH_1900 = datetime(1899, 12, 30)  # serial 61 = 1900-03-01: Excel's phantom 1900-02-29 sits at 60
_EPOCH_1904 = datetime(1904, 1, 1)
_LAST_SERIAL = 2958466  # 10000-01-01


def _iso_from_serial(serial: float, date1904: bool) -> str | None:
    """ISO text of an Excel date serial, or None when no real date matches (negative, 1900-02-29, year 10000)."""
    if not 0 <= serial < _LAST_SERIAL or (not date1904 and 60 <= serial < 61):
        return None
    days, seconds = divmod(round(serial * 86400), 86400)
    if days == 0:
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if date1904:
        moment = _EPOCH_1904 + timedelta(days=days, seconds=seconds)
    else:
        moment = _EPOCH_1900 + timedelta(days=days if days >= 61 else days + 1, seconds=seconds)
    return moment.date().isoformat() if seconds == 0 else moment.isoformat()


def _iso_from_text(text: str, cell: str, sheet: str) -> str:
    """A `t="d"` cell holds ISO 8601 text already; normalise it like serial dates, refuse what is not a date."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        _corrupt(f"la cellule {cell} contient une date invalide « {text[:30]} »", sheet)
    if moment.time() == datetime.min.time() and moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.isoformat()


# --------------------------------------------------------------------------------------------------------------
# Shared strings and sheets: the hot path
# --------------------------------------------------------------------------------------------------------------

_MAIN_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                    "http://purl.oclc.org/ooxml/spreadsheetml/main")
_C, _V, _ROW, _F, _IS, _T, _RPH, _SI, _DIMENSION, _COL = range(1, 11)
_LOCAL_CODES = (("c", _C), ("v", _V), ("row", _ROW), ("f", _F), ("is", _IS), ("t", _T), ("rPh", _RPH),
                ("si", _SI), ("dimension", _DIMENSION), ("col", _COL))
_TRUE = ("1", "true")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _element_codes(root: dict[str, str], where: str, sheet: str | None) -> dict[str, int]:
    """Element name as written (with the prefix the document chose for the main namespace) → code.

    The two big parts are parsed without expat's namespace processing, which costs a tenth of the sheet time;
    the prefix is read from the root's declarations instead (Excel writes none, some generators write x:).
    """
    for key, value in root.items():
        if value in _MAIN_NAMESPACES and (key == "xmlns" or key.startswith("xmlns:")):
            prefix = "" if key == "xmlns" else key[6:] + ":"
            return {prefix + local: code for local, code in _LOCAL_CODES}
    _corrupt(f"la partie interne « {where} » n'est pas au format SpreadsheetML", sheet)


def _unescape(text: str) -> str:
    """OOXML writes characters XML cannot carry as _xHHHH_ (a carriage return is _x000D_)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


_nfc = functools.partial(unicodedata.normalize, "NFC")


def _cell_text(raw: str) -> str:
    """A text as the cell shows it: escapes decoded, in NFC (a Mac's « é » is two characters, Windows' one;
    `normalize` returns an already composed text as it is, after a quick check), and "" when it shows nothing
    but spaces, which every caller then takes for an empty cell."""
    text = _nfc(_unescape(raw))
    return "" if text.isspace() else text


def _shared_strings(budget: _Budget, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[str]:
    """The shared string table; rich-text runs are joined and phonetic guides (rPh) left out."""
    strings: list[str] = []
    parser = _new_parser(namespaces=False)
    codes: dict[str, int] | None = None
    parts: list[str] = []
    open_item = collecting = phonetic = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal codes, open_item, collecting, phonetic
        if codes is None:
            codes = _element_codes(attrs, info.filename, None)
        code = codes.get(name)
        if code == _SI:
            if open_item:
                strings.append(_cell_text("".join(parts)))
                parts.clear()
            open_item, collecting, phonetic = True, False, False
        elif code == _T:
            collecting = not phonetic
        elif code == _RPH:
            phonetic, collecting = True, False
        else:
            collecting = False

    def end(_name: str) -> None:
        nonlocal collecting
        collecting = False

    def chars(data: str) -> None:
        if collecting:
            parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    _parse_part(budget, zf, info, parser)
    if open_item:
        strings.append(_cell_text("".join(parts)))
    return strings


_REF = re.compile(r"([A-Z]+)([0-9]+)")


@functools.lru_cache(maxsize=8)
def _column_numbers(max_cols: int) -> dict[str, int]:
    return {column_letter(i): i for i in range(1, max_cols + 1)}


def _letters_to_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number




def _parse_sheet(budget: _Budget, zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, strings: list[str],
                 number_styles: dict[str, str], date1904: bool, full_calc: bool = False) -> tuple[RawRows, Masked]:
    """Stream one worksheet into raw rows, rejecting at the first reference beyond the limits; also the hidden
    rows holding a cell and the hidden columns.

    This is the hot path (600 000 cells for a 100 000-row sheet, three expat callbacks each), hence its shape:
    closures over plain variables; `<c>` and `<v>` recognised by identity (expat interns names; the first of each
    goes through `other`, which learns it); no end-element callback except inside text cells. Without it, text
    following a value up to the next tag is appended to it: harmless for numbers, indexes, booleans and errors,
    which are stripped, while inline and formula texts, whose spaces matter, switch the callback on. A cell is
    finished when the next cell or row starts, or at the end of the part.
    """
    limits = budget.limits
    max_rows, max_cols, max_cells = limits.max_rows, limits.max_cols, limits.max_cells
    columns = _column_numbers(max_cols).get
    isfinite = math.isfinite
    parser = _new_parser(namespaces=False)
    codes: dict[str, int] | None = None
    c_name: str | None = None
    v_name: str | None = None
    rows: RawRows = []
    cells: list[CellValue] = []
    dates: dict[float, tuple[CellValue, str]] = {}  # a column of dates repeats the same few serials
    cell_total = 0
    row_no = 0
    row_hidden = False
    hidden_rows: list[int] = []
    hidden_cols = bytearray(max_cols + 1)  # bounded whatever ranges `<col>` elements claim
    row_key = ""  # the row number as cell references end with it; "" sends every reference to `locate`
    col = 0  # column of the open cell; 0 when none is open
    cell_type: str | None = None
    style: str | None = None
    text = ""
    has_formula = collecting = phonetic = False

    def locate(ref: str) -> int:
        """Column of a reference the fast path did not recognise: beyond the limits, or malformed."""
        match = _REF.fullmatch(ref) if len(ref) <= 20 else None
        if match is None:
            _corrupt(f"référence de cellule « {ref[:20]} » invalide", sheet)
        ref_col, ref_row = _letters_to_number(match.group(1)), int(match.group(2))
        if ref_row > max_rows or ref_col > max_cols:
            _too_big(sheet, f"contient une cellule utilisée en {ref}", ref_row, ref_col, limits)
        if ref_row != row_no:
            _corrupt(f"la cellule {ref} est rangée dans la ligne {row_no}", sheet)
        return ref_col

    def finish() -> None:
        """Turn the open cell's text into a value, by its type attribute."""
        nonlocal col, cells
        at, col = col, 0
        if has_formula and full_calc and text:
            # The workbook asks to be recalculated when opened: the cached result (xlsxwriter writes 0) was never
            # computed by a spreadsheet program, so it is not what the person would see. (Without any cached
            # result, the cell is a `formule-sans-valeur` below, as in any workbook.)
            cells += (at, None, _RECALC)
            return
        if cell_type is None or cell_type == "n":
            if not text:
                if has_formula:
                    cells += (at, None, _NO_VALUE)
                return
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if not isfinite(number):
                _corrupt(f"la cellule {column_letter(at)}{row_no} contient un nombre invalide « {text[:20]} »",
                         sheet)
            shown = number_styles.get(style) if style is not None else None
            if shown is None:
                cells += (at, number, _NUMBER)
            elif shown is _PERCENT:
                cells += (at, number, _PERCENT)
            else:
                cached = dates.get(number)
                if cached is None:
                    iso = _iso_from_serial(number, date1904)
                    cached = dates[number] = (number, _NUMBER) if iso is None else (iso, _DATE)
                cells += (at, *cached)
        elif cell_type == "s":
            try:
                index = int(text)
                value = strings[index] if index >= 0 else None
            except (ValueError, IndexError):
                value = None
            if value is None:
                _corrupt(f"la cellule {column_letter(at)}{row_no} renvoie à un texte partagé inexistant", sheet)
            if value:
                cells += (at, value, _TEXT)
        elif cell_type == "str" or cell_type == "inlineStr":
            value = _cell_text(text) if text else ""
            if value:
                cells += (at, value, _TEXT)
            elif has_formula and cell_type == "inlineStr":
                cells += (at, None, _NO_VALUE)
        elif cell_type == "b":
            flag = text.strip()
            if flag in ("1", "true"):
                cells += (at, True, _BOOLEAN)
            elif flag in ("0", "false"):
                cells += (at, False, _BOOLEAN)
            elif flag or not has_formula:
                _corrupt(f"la cellule {column_letter(at)}{row_no} contient un booléen invalide", sheet)
            else:
                cells += (at, None, _NO_VALUE)
        elif cell_type == "e":
            cells += (at, text.strip(), _ERROR) if text.strip() else (at, None, _NO_VALUE)
        elif cell_type == "d":
            if text.strip():
                cells += (at, _iso_from_text(text.strip(), f"{column_letter(at)}{row_no}", sheet), _DATE)
            elif has_formula:
                cells += (at, None, _NO_VALUE)
        else:
            _corrupt(f"la cellule {column_letter(at)}{row_no} a un type inconnu « {cell_type[:10]} »", sheet)

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal col, cell_type, style, text, has_formula, collecting, phonetic
        if name is v_name:
            text = ""
            collecting = True
        elif name is c_name:
            last = col
            if col:
                finish()
            ref = attrs.get("r")
            if ref is None:
                col = last + 1
                if col > max_cols or not row_key:
                    _too_big(sheet, f"contient une cellule utilisée en {column_letter(col)}{row_no}", row_no, col,
                             limits)
            else:
                col = (columns(ref[:-len(row_key)]) if ref.endswith(row_key) else None) or locate(ref)
            cell_type = attrs.get("t")
            style = attrs.get("s")
            text = ""
            has_formula = collecting = False
            if cell_type == "inlineStr" or cell_type == "str":
                phonetic = False
                parser.EndElementHandler = end_of_text
        else:
            other(name, attrs)

    def other(name: str, attrs: dict[str, str]) -> None:
        """Every element but a known `<c>` or `<v>`: rows, formulas, inline strings, the dimension, the rest."""
        nonlocal codes, c_name, v_name, collecting, has_formula, text, phonetic
        nonlocal row_no, row_key, cells, cell_total, row_hidden
        if codes is None:
            codes = _element_codes(attrs, info.filename, sheet)
        code = codes.get(name)
        if code in (_C, _V):
            if code == _C:
                c_name = name
            else:
                v_name = name
            # now recognised by `start`; typeshed types expat's handler attributes loosely (optional, list or dict)
            parser.StartElementHandler(name, attrs)  # type: ignore[misc, call-arg, arg-type]
            return
        collecting = False
        if code == _ROW:
            if col:
                finish()
            if cells:
                cell_total += len(cells) // 3
                if cell_total > max_cells:
                    _too_big(sheet, f"contient plus de {_count(max_cells)} cellules remplies", None, None, limits)
                rows.append((row_no, cells))
                if row_hidden:
                    hidden_rows.append(row_no)
                cells = []
            row_hidden = attrs.get("hidden") in _TRUE
            ref = attrs.get("r")
            try:
                row_no = row_no + 1 if ref is None else int(ref)
            except ValueError:
                _corrupt(f"numéro de ligne « {str(ref)[:20]} » invalide", sheet)
            if row_no < 1:
                _corrupt(f"numéro de ligne « {row_no} » invalide", sheet)
            row_key = str(row_no) if row_no <= max_rows else ""
        elif code == _F:
            has_formula = True
        elif code == _T:
            collecting = cell_type == "inlineStr" and not phonetic
        elif code == _IS:
            text = ""
        elif code == _RPH:
            phonetic = True
        elif code == _DIMENSION:
            check_dimension(attrs.get("ref", ""))
        elif code == _COL and attrs.get("hidden") in _TRUE:
            try:
                first, last = max(int(attrs.get("min", "")), 1), min(int(attrs.get("max", "")), max_cols)
            except ValueError:
                return  # only the display is wrong: the cells are read all the same
            if first <= last:
                hidden_cols[first:last + 1] = b"\1" * (last - first + 1)

    def end_of_text(name: str) -> None:
        nonlocal collecting
        collecting = False
        if name is c_name:
            parser.EndElementHandler = None

    def chars(data: str) -> None:
        nonlocal text
        if collecting:
            text += data

    def check_dimension(ref: str) -> None:
        """The used range Excel declares: a cheap early refusal before any row is read."""
        match = _REF.fullmatch(ref.rpartition(":")[2]) if len(ref) <= 40 else None
        if match is not None:
            last_row, last_col = int(match.group(2)), _letters_to_number(match.group(1))
            if last_row > max_rows or last_col > max_cols:
                _too_big(sheet, f"déclare une zone utilisée jusqu'à la cellule {match.group(0)}", last_row,
                         last_col, limits)

    parser.StartElementHandler = start
    parser.CharacterDataHandler = chars
    try:
        _parse_part(budget, zf, info, parser, sheet)
    finally:
        # The handlers hold the parser (to switch end_of_text on and off): without this reference cycle, the
        # closures and the rows they reference are freed on return, not at the next garbage collection.
        parser.StartElementHandler = parser.CharacterDataHandler = parser.EndElementHandler = None
    if col:
        finish()
    if cells:
        if cell_total + len(cells) // 3 > max_cells:
            _too_big(sheet, f"contient plus de {_count(max_cells)} cellules remplies", None, None, limits)
        rows.append((row_no, cells))
        if row_hidden:
            hidden_rows.append(row_no)
    return rows, (hidden_rows, [number for number, flag in enumerate(hidden_cols) if flag])


# --------------------------------------------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------------------------------------------

def read_workbook(source: bytes | BinaryIO, *, wanted_sheets: Collection[str] | None = None,
                  limits: Limits = Limits()) -> Workbook:
    """Read an uploaded .xlsx in this process; WorkbookRejected says why a file cannot be used.

    Only the sheets named in `wanted_sheets` (all when None) are parsed, a name standing for every sheet
    `Workbook.find` would give for it (« SAISIE » for « Saisie »), and shared strings and styles only when at
    least one of them is a worksheet. In the server, prefer `read_workbook_isolated`.
    """
    if isinstance(wanted_sheets, str):
        raise TypeError("wanted_sheets est une collection de noms de feuilles, pas un nom seul")
    data = _load(source, limits)
    _check_signature(data)
    with _open_zip(data, limits) as zf, _collector_paused():
        infos = zf.infolist()
        _check_declared_sizes(infos, limits)
        parts = {info.filename.lower(): info for info in infos}
        if len(parts) != len(infos):
            _corrupt("l'archive contient deux fois le même élément interne")
        budget = _Budget(limits)
        main = _workbook_part(budget, zf, parts)
        sheets, hidden, date1904, full_calc = _sheet_list(budget, zf, main, limits)
        rels = _relationships(budget, zf, parts, main)
        parsed: dict[str, RawRows] = {}
        masked: dict[str, Masked] = {}
        worksheets: list[tuple[str, zipfile.ZipInfo]] = []
        wanted = None if wanted_sheets is None else {_sheet_key(name) for name in wanted_sheets}
        for name, rel in sheets:
            if wanted is not None and _sheet_key(name) not in wanted:
                continue
            kind, path = rels.get(rel, ("", ""))
            if path not in parts:
                _corrupt("une feuille du classeur renvoie à un contenu absent", name)
            if kind == "worksheet":
                worksheets.append((name, parts[path]))
            else:
                parsed[name] = []  # a chart sheet or a dialog sheet: no cells
        if worksheets:
            linked = {kind: parts.get(path) for kind, path in rels.values()}
            styles, shared = linked.get("styles"), linked.get("sharedStrings")
            number_styles = _number_styles(budget, zf, styles) if styles is not None else {}
            strings = _shared_strings(budget, zf, shared) if shared is not None else []
            for name, info in worksheets:
                parsed[name], masked[name] = _parse_sheet(budget, zf, info, name, strings, number_styles, date1904,
                                                          full_calc)
        return Workbook([name for name, _ in sheets], parsed, hidden, masked)


def _sheet_list(budget: _Budget, zf: zipfile.ZipFile, main: zipfile.ZipInfo,
                limits: Limits) -> tuple[list[tuple[str, str]], list[str], bool, bool]:
    """(name, relationship id) of each sheet in workbook order, the hidden sheets (`hidden` or `veryHidden`, the
    latter only visible from the VBA editor), whether dates count from 1904, and whether the workbook asks to be
    fully recalculated when opened (then no cached formula result can be trusted)."""
    sheets: list[tuple[str, str]] = []
    hidden: list[str] = []
    date1904 = full_calc = False
    for local, attrs in _collect(budget, zf, main, frozenset({"sheet", "workbookPr", "calcPr"})):
        if attrs is None:
            continue
        if local == "workbookPr":
            date1904 = attrs.get("date1904", "0").lower() in _TRUE
        elif local == "calcPr":
            full_calc = attrs.get("fullCalcOnLoad", "0").lower() in _TRUE
        else:
            rel = next((value for key, value in attrs.items() if key.endswith("relationships id")), "")
            sheets.append((attrs.get("name", ""), rel))
            if attrs.get("state", "visible") != "visible":
                hidden.append(attrs.get("name", ""))
    names = {name for name, _ in sheets}
    if not sheets or len(names) != len(sheets):
        _corrupt("la liste des feuilles du classeur est vide ou contient des doublons")
    if len(sheets) > limits.max_sheets:
        _reject("trop-de-feuilles",
                f"Le classeur contient {len(sheets)} feuilles ; l'application en accepte au plus "
                f"{limits.max_sheets}. Supprimez les feuilles inutiles (clic droit sur l'onglet > Supprimer) ou "
                "copiez les feuilles utiles dans un nouveau classeur, puis déposez-le.")
    return sheets, hidden, date1904, full_calc


# --------------------------------------------------------------------------------------------------------------
# Isolation: a fresh interpreter with resource limits
# --------------------------------------------------------------------------------------------------------------

_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# -I -S: no user site, no PYTHON* variables, no site-packages; the child needs only the standard library.
_CHILD_BOOT = f"import sys; sys.path.insert(0, {_PACKAGE_ROOT!r}); from lne_data.xlsx import _child_main; _child_main()"
_EXIT_OUT_OF_MEMORY = 3
_HEADER = struct.Struct("<I")


def _interrupted() -> WorkbookRejected:
    return WorkbookRejected([Problem(
        "analyse-interrompue",
        "La lecture du fichier a été interrompue : il est trop complexe ou trop endommagé pour être analysé sans "
        "risque (mémoire ou temps de calcul dépassés). Ouvrez-le dans Excel, supprimez les lignes et colonnes "
        "inutilisées sous et à droite des données, enregistrez-le au format « Classeur Excel (*.xlsx) », puis "
        "déposez-le de nouveau.")])


class _PrimitivesOnly(pickle.Unpickler):
    """The child parsed hostile bytes; should it ever be subverted, its answer still must not run code here."""

    def find_class(self, module: str, name: str) -> NoReturn:
        raise pickle.UnpicklingError(f"{module}.{name} refusé")


def read_workbook_isolated(data: bytes, *, wanted_sheets: Collection[str] | None = None,
                           limits: Limits = Limits(), memory_mb: int = 1024, cpu_seconds: int = 30) -> Workbook:
    """`read_workbook` in a child interpreter capped at `memory_mb` of address space and `cpu_seconds` of CPU.

    If the child dies (memory, CPU, signal) or overruns twice its CPU allowance in wall time, the upload is
    rejected with `analyse-interrompue`; the calling process is never at risk. The child is a new interpreter
    started by `subprocess` (no fork of this threaded server) rather than a `multiprocessing` worker: spawn and
    forkserver re-run the parent's `__main__` in the child, and under Streamlit `__main__` is the page script.
    Request and answer go through temporary files, so neither side can block on a full pipe; the answer is
    capped by RLIMIT_FSIZE and may hold plain values only.
    """
    import subprocess  # imported here, like tempfile, because the child never needs them: it starts faster
    import tempfile

    _check_size(data, limits)
    request = pickle.dumps((None if wanted_sheets is None else sorted(wanted_sheets), limits, memory_mb,
                            cpu_seconds))
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as answer:
        given.write(_HEADER.pack(len(request)) + request)
        given.write(data)
        given.seek(0)
        child = subprocess.Popen([sys.executable, "-I", "-S", "-c", _CHILD_BOOT], stdin=given, stdout=answer,
                                 stderr=subprocess.DEVNULL, close_fds=True)
        try:
            returncode = _wait(child, 2 * cpu_seconds + 5)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        if returncode != 0:
            raise _interrupted()
        answer.seek(0)
        try:
            with _collector_paused():  # a 100 000-row answer is 700 000 objects: 0.32 s to load, 0.10 s paused
                status, payload = _PrimitivesOnly(answer).load()
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
            raise _interrupted() from None
    if status == "bug":
        raise RuntimeError(f"erreur interne pendant la lecture isolée du classeur :\n{payload}")
    try:
        if status == "ok":
            sheet_names, parsed, hidden, masked = payload
            return Workbook(sheet_names, parsed, hidden, masked)
        problems = [Problem(*fields) for fields in payload]
    except (TypeError, ValueError):
        raise _interrupted() from None
    raise WorkbookRejected(problems) if status == "rejected" and problems else _interrupted()


def _wait(child: subprocess.Popen[bytes], timeout: float) -> int | None:
    """The child's exit status, or None if it is still running after `timeout` seconds.

    `Popen.wait(timeout)` polls with sleeps of up to 50 ms, a third of a small file's whole round trip; a pidfd
    (Linux 5.3+) wakes the caller as soon as the child exits. Elsewhere, the polling wait will do.
    """
    import select
    import subprocess

    try:
        pidfd = os.pidfd_open(child.pid)
    except (AttributeError, OSError):
        try:
            return child.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        exited = poller.poll(timeout * 1000)
    finally:
        os.close(pidfd)
    return child.wait() if exited else None


def _child_main() -> None:
    """Entry point of the isolated child: limits first, then the parse, then one pickled answer on stdout."""
    import resource
    import traceback

    given = sys.stdin.buffer
    wanted, limits, memory_mb, cpu_seconds = pickle.loads(given.read(_HEADER.unpack(given.read(4))[0]))
    def lower(kind: int, soft: int, hard: int) -> None:
        """Tighten a limit, never past one the server was already given (raising it would be refused)."""
        _, current = resource.getrlimit(kind)
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(kind, (soft, hard))

    memory = memory_mb * 1024 * 1024
    answer_cap = limits.max_uncompressed_total + 16 * 1024 * 1024
    lower(resource.RLIMIT_AS, memory, memory)
    lower(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)  # SIGXCPU at the soft limit, SIGKILL at the hard
    lower(resource.RLIMIT_CORE, 0, 0)  # SIGXCPU would otherwise dump a core holding the upload
    lower(resource.RLIMIT_FSIZE, answer_cap, answer_cap)
    try:
        try:
            workbook = read_workbook(given.read(limits.max_file_bytes + 1), wanted_sheets=wanted, limits=limits)
            answer: tuple[str, object] = ("ok", (workbook.sheet_names, workbook._raw,
                                                       sorted(workbook.hidden), workbook._masked))
        except WorkbookRejected as rejected:
            answer = ("rejected", [astuple(problem) for problem in rejected.problems])
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 - a bug of ours, reported to the parent with its traceback
            answer = ("bug", traceback.format_exc())
        sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        sys.stdout.buffer.flush()
    except MemoryError:
        os._exit(_EXIT_OUT_OF_MEMORY)
