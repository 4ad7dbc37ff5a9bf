"""The container: what kind of file the bytes are, the zip archive and its declared sizes, and the plumbing
every XML part goes through (inflating against a byte budget, expat with every DTD refused).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO, NoReturn
from xml.parsers import expat

from ..formatting import megabytes
from ..problems import visible
from .model import RESAVE, Limits, corrupt, reject, reject_suspect

# --------------------------------------------------------------------------------------------------------------
# What kind of file is it? Decided from the bytes, never from the name.
# --------------------------------------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_CENTRAL_DIR_SIGNATURE = b"PK\x01\x02"


def load_upload(source: bytes | BinaryIO, limits: Limits) -> bytes:
    """The whole upload in memory, reading at most one byte past the limit from a stream."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        data = source.read(limits.max_file_bytes + 1)
    check_size(data, limits)
    return data


def check_size(data: bytes, limits: Limits) -> None:
    if not data:
        reject("fichier-vide",
                "Le fichier déposé est vide (0 octet) : le téléchargement ou la copie s'est sans doute mal passé. "
                "Vérifiez que le classeur s'ouvre dans Excel, puis déposez-le de nouveau.")
    if len(data) > limits.max_file_bytes:
        reject("fichier-trop-volumineux",
                f"Le fichier pèse plus de {megabytes(limits.max_file_bytes)}, la taille maximale acceptée. "
                "Supprimez les feuilles, images et lignes qui ne servent pas au tableau de bord, enregistrez, "
                "puis déposez de nouveau le fichier.")


def check_signature(data: bytes) -> None:
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
            what, advice = "c'est une page web (HTML) enregistrée avec un nom de fichier Excel", RESAVE
        elif text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
            what, advice = "c'est un « Classeur XML 2003 »", RESAVE
        elif b"\x00" not in sample:
            what, advice = "il contient du texte, par exemple un export CSV", RESAVE
        else:
            what = "son format n'est pas reconnu"
            advice = ("Vérifiez que vous déposez bien le classeur attendu ; au besoin, ouvrez-le dans Excel et "
                      "enregistrez-le au format « Classeur Excel (*.xlsx) ».")
    reject("format-inconnu",
            f"Ce fichier n'est pas un classeur Excel : {what}. Son nom se termine peut-être par .xlsx, mais c'est "
            f"son contenu qui compte. {advice}")


def _reject_ole(data: bytes) -> NoReturn:
    """OLE2 holds both legacy .xls and password-protected .xlsx (Excel encrypts into an OLE2 envelope)."""
    names = _ole_stream_names(data)
    if names is not None and names & {"encryptioninfo", "encryptedpackage"}:
        reject("classeur-chiffre",
                "Ce classeur est protégé par un mot de passe à l'ouverture : l'application ne peut pas le lire. "
                "Ouvrez-le dans Excel avec son mot de passe, retirez celui-ci (Fichier > Informations > Protéger "
                "le classeur > Chiffrer avec mot de passe, effacez le mot de passe, validez), enregistrez, puis "
                "déposez le fichier.")
    if names is not None and names & {"workbook", "book"}:
        reject("format-xls", f"Ce fichier est au format Excel 97-2003 (.xls), que l'application ne lit pas. {RESAVE}")
    if names is not None:
        reject("format-inconnu",
                "Ce fichier n'est pas un classeur Excel : c'est un autre document Office ancien (Word, PowerPoint "
                "97-2003…). Déposez le classeur Excel (.xlsx) attendu.")
    reject("format-xls",
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


def new_parser(*, namespaces: bool = True) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" " if namespaces else None)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024
    return parser


class ByteBudget:
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
                    reject_suspect(f"son contenu décompressé dépasse {megabytes(limits.max_uncompressed_total)}")
                if inflated > _RATIO_FLOOR and inflated > ratio_cap:
                    reject_suspect(f"l'élément interne « {visible(info.filename)} » se décompresse à plus de "
                             f"{limits.max_entry_ratio} fois sa taille")
                yield chunk


def parse_part(budget: ByteBudget, zf: zipfile.ZipFile, info: zipfile.ZipInfo, parser: expat.XMLParserType,
                sheet: str | None = None) -> None:
    """Stream one part into `parser`; every way the bytes can be wrong becomes `fichier-corrompu`."""
    try:
        for chunk in budget.chunks(zf, info):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Forbidden:
        corrupt(f"la partie interne « {visible(info.filename)} » contient une déclaration DTD ou d'entité, interdite",
                 sheet)
    except expat.ExpatError as error:
        corrupt(f"la partie interne « {visible(info.filename)} » n'est pas un XML valide, ligne {error.lineno}", sheet)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, UnicodeDecodeError) as error:
        corrupt(f"la partie interne « {visible(info.filename)} » ne se décompresse pas (erreur : {error})", sheet)
    except RuntimeError as error:  # what zipfile raises for an entry encrypted with a zip password
        corrupt(f"la partie interne « {visible(info.filename)} » est chiffrée (erreur : {error})", sheet)


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def collect(budget: ByteBudget, zf: zipfile.ZipFile, info: zipfile.ZipInfo,
             keep: frozenset[str]) -> list[tuple[str, dict[str, str] | None]]:
    """Starts (with attributes) and ends (None) of the elements named in `keep`, for the small metadata parts."""
    events: list[tuple[str, dict[str, str] | None]] = []
    parser = new_parser()

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
    parse_part(budget, zf, info, parser)
    return events


def open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    # zipfile builds an object per central-directory entry before anyone can count them: count signatures first.
    if data.count(_CENTRAL_DIR_SIGNATURE) > limits.max_zip_entries:
        reject_suspect(f"il contient plus de {limits.max_zip_entries} éléments internes, au lieu de quelques dizaines")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError, struct.error,
            NotImplementedError) as error:
        corrupt(f"l'archive zip est illisible ou tronquée (erreur : {error})")


def check_declared_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_zip_entries:
        reject_suspect(f"il contient {len(infos)} éléments internes, au lieu de quelques dizaines")
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_uncompressed_total:
        reject_suspect(f"son contenu décompressé annoncé atteint {megabytes(declared)}, au-delà de "
                 f"{megabytes(limits.max_uncompressed_total)}")
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_entry_ratio * max(info.compress_size, 1):
            reject_suspect(f"l'élément interne « {visible(info.filename)} » se décompresse à plus de "
                     f"{limits.max_entry_ratio} fois sa taille")

