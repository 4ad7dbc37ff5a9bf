"""A corpus of hostile or odd quarterly workbooks, every one built here by code (no binary fixture is committed).

Each `Case` says what a coordinator's upload must lead to:

- ``reject``: `saisie.check_file` reports the error `code` (at `sheet`/`row`/`column` when given) and nothing can be
  imported;
- ``warn``: the file is accepted and the warning `code` is reported;
- ``accept``: the file is accepted without any problem.

`stored` lists, for accepted files, rows expected in the `saisies` table afterwards, exactly as typed (the
injection cases: a formula, a Markdown link or a `<script>` typed in a comment is data, stored verbatim and
neutralised only where it leaves the application).

The expectations are written against the embedded roadmap (`data/referentiel_lne_2024-2027.xlsx`) and the date
the tests pin (`conftest.TODAY`, 2026-11-28): F06-I1 is a ratio in %, F06-I3 a count, F06-I4 qualitative, F04-I1
a deliverable; the roadmap runs from 2024 to 2027.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import openpyxl

HEADER = ["fiche", "indicateur", "periode", "valeur", "commentaire", "saisi_par"]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SHARED = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MiB = 1024 * 1024

Outcome = Literal["reject", "warn", "accept"]


@dataclass(frozen=True)
class Case:
    name: str
    category: str
    build: Callable[[], bytes] = field(repr=False)
    outcome: Outcome
    code: str | None = None  # the error (reject) or warning (warn) expected
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    # (indicateur, periode) -> {column: value} expected in `saisies` after importing an accepted file
    stored: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False)

    def data(self) -> bytes:
        return _bytes(self.name)

    def __str__(self) -> str:
        where = ", ".join(str(x) for x in (self.sheet, self.row, self.column) if x is not None)
        return f"{self.name} → {self.category} → {self.outcome}" + (f" {self.code}" if self.code else "") + (
            f" ({where})" if where else "")


# --------------------------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------------------------


class Formula(str):
    """A formula written without a cached result, as every library (openpyxl here) writes one."""


class ExcelError(str):
    """An Excel error value such as #DIV/0!, stored as an error cell (t="e")."""


def workbook(rows: list[list[Any]], *, header: list[Any] | None = None, sheet: str = "Saisie",
             others: dict[str, list[list[Any]]] | None = None,
             change: Callable[[openpyxl.Workbook], None] | None = None) -> bytes:
    """A real .xlsx (openpyxl) with an instruction sheet first, then the data sheet.

    Texts are always written as text cells, even when they start with `=`: what a person typed into a cell
    formatted as text, or what Excel stores after an apostrophe. Formulas are asked for explicitly (`Formula`).
    """
    wb = openpyxl.Workbook()
    wb.active.title = "Instructions"
    wb.active["A1"].value = "Remplissez la feuille « Saisie »."
    for name, content in {sheet: [HEADER if header is None else header, *rows], **(others or {})}.items():
        ws = wb.create_sheet(name)
        for r, values in enumerate(content, start=1):
            for c, value in enumerate(values, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c)
                if isinstance(value, Formula):
                    cell.value = str(value)
                elif isinstance(value, ExcelError):
                    cell.value = str(value)
                    cell.data_type = "e"
                elif isinstance(value, str):
                    cell.value = value
                    cell.data_type = "s"
                else:
                    cell.value = value
    if change:
        change(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def one_row(valeur: Any, indicateur: str = "F06-I3", fiche: Any = 6, periode: Any = "2025-T3",
            commentaire: Any = None, saisi_par: Any = None) -> bytes:
    """The data sheet with a single entry, on Excel row 2."""
    return workbook([[fiche, indicateur, periode, valeur, commentaire, saisi_par]])


def rezip(data: bytes, *, replace: dict[str, bytes | str] | None = None, add: dict[str, bytes | str] | None = None,
          drop: tuple[str, ...] = (), compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Copy a package, replacing, adding or dropping parts."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = replace.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, content)
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def zip_of(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _sheet_part(data: bytes, sheet: str = "Saisie") -> str:
    """Path of a sheet's part in an openpyxl package (sheets are numbered in workbook order)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    index = ["Instructions", sheet].index(sheet) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    assert part in names, names
    return part


def raw_package(sheet_xml: str | bytes, *, shared_xml: str | bytes | None = None, sheet: str = "Saisie",
                content_types: str = "", extra: dict[str, bytes | str] | None = None) -> bytes:
    """The smallest package Excel opens, with its one sheet's XML given verbatim (for what libraries never write)."""
    links = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    overrides = f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{WORKSHEET}"/>'
    if shared_xml is not None:
        links += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED}"/>'
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": (f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT}">'
                                '<Default Extension="xml" ContentType="application/xml"/>'
                                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                                'relationships+xml"/>'
                                f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_MAIN}"/>{overrides}'
                                f'{content_types}</Types>'),
        "_rels/.rels": (f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                        'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="{sheet}" sheetId="1" '
                            'r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG_REL}">{links}</Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared_xml is not None:
        parts["xl/sharedStrings.xml"] = shared_xml
    parts.update(extra or {})
    return zip_of(parts)


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def raw_rows(second_row_cells: str, *, dimension: str | None = None, prolog: str = "",
             more_rows: str = "") -> str:
    """Sheet XML: the header on row 1, then fiche 6 / F06-I3 / 2025-T3 and the given cells on row 2."""
    header = "".join(_inline(f"{chr(65 + i)}1", name) for i, name in enumerate(HEADER))
    row2 = (f'<c r="A2"><v>6</v></c>{_inline("B2", "F06-I3")}{_inline("C2", "2025-T3")}' + second_row_cells)
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<worksheet xmlns="{MAIN}">{dim}'
            f'<sheetData><row r="1">{header}</row><row r="2">{row2}</row>{more_rows}</sheetData></worksheet>')


ENTITY_BOMB = ('<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
               + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                         for i in range(1, 10))
               + "]>")


def _patch_declared_size(data: bytes, name: str, declared: int, crc: int | None = None) -> bytes:
    """Make the local and central headers of entry `name` lie about its uncompressed size (and CRC)."""
    buffer = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    local = info.header_offset
    assert buffer[local:local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", buffer, local + 22, declared)
    if crc is not None:
        struct.pack_into("<I", buffer, local + 14, crc)
    encoded = name.encode()
    central = buffer.find(b"PK\x01\x02", local)
    while central != -1:
        name_length = struct.unpack_from("<H", buffer, central + 28)[0]
        if bytes(buffer[central + 46:central + 46 + name_length]) == encoded:
            struct.pack_into("<I", buffer, central + 24, declared)
            if crc is not None:
                struct.pack_into("<I", buffer, central + 16, crc)
            return bytes(buffer)
        central = buffer.find(b"PK\x01\x02", central + 4)
    raise AssertionError(f"{name} introuvable dans le répertoire central")


# OLE2 (Compound File Binary): what .xls files and password-protected .xlsx files are.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole2(entries: list[tuple[str, int]]) -> bytes:
    """A well-formed compound file (version 3, 512-byte sectors) whose directory lists `entries`.

    Each entry is (name, type): 1 storage, 2 stream; streams are empty. Sector 0 holds the FAT, the directory
    follows; siblings are chained in CFB order (shorter names first, then case-insensitive), as readers expect.
    """
    ordered = sorted(entries, key=lambda e: (len(e[0]), e[0].upper()))
    count = 1 + len(ordered)
    dir_sectors = -(-count // 4)
    header = bytearray(512)
    header[0:8] = OLE_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, _END, 0, _END, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([_FREE] * 108))
    fat = [_FATSECT] + [i + 2 for i in range(dir_sectors - 1)] + [_END]
    fat += [_FREE] * (128 - len(fat))
    fat_sector = struct.pack("<128I", *fat)

    def entry(name: str, kind: int, right: int, child: int) -> bytes:
        raw = bytearray(128)
        encoded = name.encode("utf-16-le")
        raw[0:len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded) + 2, kind, 1)
        struct.pack_into("<III", raw, 68, _NOSTREAM, right, child)
        struct.pack_into("<IQ", raw, 116, _END, 0)
        return bytes(raw)

    directory = entry("Root Entry", 5, _NOSTREAM, 1 if ordered else _NOSTREAM)
    for index, (name, kind) in enumerate(ordered, start=1):
        directory += entry(name, kind, index + 1 if index < len(ordered) else _NOSTREAM, _NOSTREAM)
    empty = bytearray(128)
    struct.pack_into("<III", empty, 68, _NOSTREAM, _NOSTREAM, _NOSTREAM)
    directory += bytes(empty) * (dir_sectors * 4 - count)
    return bytes(header) + fat_sector + directory


def zip_bomb_bytes() -> bytes:
    """One sheet part inflating to 256 MiB of well-formed XML (whitespace) from about 265 KB."""
    return _bytes("zip_bomb_256mib")


def xfd_bytes() -> bytes:
    """A valid entry plus one value in the last cell of the grid, XFD1048576."""
    return _bytes("cell_in_xfd1048576")


@functools.cache
def _valid() -> bytes:
    return one_row(3)


@functools.cache
def _bomb() -> bytes:
    opening = raw_rows('<c r="D2"><v>3</v></c>').split("<sheetData>")[0] + "<sheetData>"
    out = io.BytesIO()
    base = raw_package("<placeholder/>")
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info.filename))
        with target.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(opening.encode())
            block = b" " * MiB
            for _ in range(256):
                part.write(block)
            part.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _over_cap() -> bytes:
    # 21 MiB of incompressible bytes stored next to a valid sheet: the upload is over the 20 MB cap.
    padding = random.Random(2026).randbytes(21 * MiB)
    return rezip(_valid(), add={"xl/media/image1.png": padding}, compression=zipfile.ZIP_STORED)


def _many_entries() -> bytes:
    return rezip(_valid(), add={f"xl/media/image{i}.png": b"x" for i in range(1500)})


def _ratio() -> bytes:
    # 8 MiB of zeros in one part: a ratio near 1000 for a total far below the 200 MiB budget.
    return rezip(_valid(), add={"xl/media/image1.png": b"\0" * (8 * MiB)})


def _declared_small_lie() -> bytes:
    data = rezip(_valid(), replace={"xl/worksheets/sheet2.xml": raw_rows(
        '<c r="D2"><v>3</v></c>', more_rows="".join(f'<row r="{r}"/>' for r in range(3, 200_000, 7)))})
    return _patch_declared_size(data, "xl/worksheets/sheet2.xml", 1000)


def _declared_small_lie_matching_crc() -> bytes:
    sheet = raw_rows('<c r="D2"><v>3</v></c>', more_rows="".join(f'<row r="{r}"/>' for r in range(3, 200_000, 7)))
    data = rezip(_valid(), replace={"xl/worksheets/sheet2.xml": sheet})
    return _patch_declared_size(data, "xl/worksheets/sheet2.xml", 1000, crc=zlib.crc32(sheet.encode()[:1000]))


def _declared_huge_lie() -> bytes:
    return _patch_declared_size(_valid(), "xl/worksheets/sheet2.xml", 300 * MiB)


def _ods() -> bytes:
    manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
                'opendocument.spreadsheet"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
                                        'xmlns:office:1.0"/>', zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _docx() -> bytes:
    return zip_of({
        "[Content_Types].xml": (f'<Types xmlns="{CT}"><Override PartName="/word/document.xml" ContentType="'
                                'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                                '</Types>'),
        "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
    })


def _macro() -> bytes:
    data = rezip(_valid(), add={"xl/vbaProject.bin": ole2([("VBA", 1), ("PROJECT", 2)])})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    types = types.replace(SHEET_MAIN, "application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
        "</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    return rezip(data, replace={"[Content_Types].xml": types})


def _many_sheets() -> bytes:
    return workbook([[6, "F06-I3", "2025-T3", 3, None, None]],
                    others={f"Feuille{i}": [["x"]] for i in range(60)})


def _with_sheet_xml(xml: str) -> Callable[[], bytes]:
    def build() -> bytes:
        data = _valid()
        return rezip(data, replace={_sheet_part(data): xml})
    return build


def _shared_strings_bomb() -> bytes:
    sheet = raw_rows('<c r="D2" t="s"><v>0</v></c>')
    shared = (f'<?xml version="1.0"?>{ENTITY_BOMB}<sst xmlns="{MAIN}" count="1" uniqueCount="1">'
              '<si><t>&lol9;</t></si></sst>')
    return raw_package(sheet, shared_xml=shared)


def _xfd() -> bytes:
    def far(wb: openpyxl.Workbook) -> None:
        wb["Saisie"].cell(row=1_048_576, column=16_384).value = 1
    return workbook([[6, "F06-I3", "2025-T3", 3, None, None]], change=far)


def _truncated() -> bytes:
    data = _valid()
    return data[: len(data) // 2]


def _random() -> bytes:
    data = random.Random(47).randbytes(4096)
    assert not data.startswith((b"PK", OLE_MAGIC[:4], b"%PDF"))
    return b"\x00" + data


def _blank_rows() -> bytes:
    def style(wb: openpyxl.Workbook) -> None:
        ws = wb["Saisie"]
        for row in range(3, 40):  # formatted but empty, as left by a copy-paste
            ws.cell(row=row, column=4).number_format = "0.00"
            ws.cell(row=row, column=5).value = None
    return workbook([[6, "F06-I3", "2025-T3", 3, None, None], *[[None] * 6] * 5,
                     [2, "F02-I2", "2025-T3", 4, None, None]], change=style)


def _header_variants() -> bytes:
    return workbook([["2025-T3", 7, "F06-I3", "Rencontres", "Coordinatrice", 6, "ignorée"]],
                    header=["Période ", "VALEUR", "Indicateur", "Commentaire", "Saisi par", "Fiche", "note"])


def _cached_formula() -> bytes:
    return raw_package(raw_rows('<c r="D2"><f>1+2</f><v>3</v></c>'))


def formatted(value: Any, number_format: str, indicateur: str = "F06-I1", fiche: int = 6) -> bytes:
    """One entry whose value cell carries a number format, as Excel stores « 45 % » typed in a cell: 0.45 with
    the format 0%."""
    def style(wb: openpyxl.Workbook) -> None:
        wb["Saisie"]["D2"].number_format = number_format
    return workbook([[fiche, indicateur, "2025-T3", value, None, None]], change=style)


def _xlsxwriter_formula() -> bytes:
    """A formula as xlsxwriter writes it: a cached 0, and the workbook asks to be recalculated on opening."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Saisie")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, [6, "F06-I3", "2025-T3"])
    sheet.write_formula(1, 3, "=1+2")
    book.close()
    return out.getvalue()


def _hidden_row() -> bytes:
    def hide(wb: openpyxl.Workbook) -> None:
        wb["Saisie"].row_dimensions[3].hidden = True  # as a filter leaves the rows it sets aside
    return workbook([[6, "F06-I3", "2025-T3", 3, None, None], [2, "F02-I2", "2025-T3", 4, None, None]],
                    change=hide)


def _hidden_column() -> bytes:
    def hide(wb: openpyxl.Workbook) -> None:
        wb["Saisie"].column_dimensions["D"].hidden = True
    return workbook([[6, "F06-I3", "2025-T3", 3, None, None]], change=hide)


def _two_saisie_sheets() -> bytes:
    return workbook([[6, "F06-I3", "2025-T3", 3, None, None]],
                    others={"Saisie ": [HEADER, [6, "F06-I3", "2025-T3", 4, None, None]]})


NFD_REALISE = "re\u0301alise\u0301"  # « réalisé » as macOS may type it: e + combining acute accent
BLANKS = (" ", "\u00a0", "\u202f", "\t", " \u00a0\t\u202f ")


# --------------------------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------------------------

HYPERLINK = '=HYPERLINK("http://x","y")'
PLUS_CMD = "+cmd|' /C calc'!A0"
MINUS_CMD = "-2+3+cmd|' /C calc'!A0"
MARKDOWN_LINK = "[cliquez ici](http://evil.example/phish)"
RED = ":red[x] et :material/warning: alerte"
SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'
LONG = "x" * 2001

K = ("F06-I3", "2025-T3")  # the key of `one_row`

CASES: list[Case] = [
    # ---- file level -----------------------------------------------------------------------------------------
    Case("empty_file", "fichier", lambda: b"", "reject", "fichier-vide"),
    Case("pdf", "fichier", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "reject",
         "format-inconnu"),
    Case("csv_renamed", "fichier", lambda: b"fiche;indicateur;periode;valeur\n6;F06-I3;2025-T3;3\n",
         "reject", "format-inconnu"),
    Case("html_renamed", "fichier", lambda: b"<html><body><table><tr><td>6</td></tr></table></body></html>",
         "reject", "format-inconnu"),
    Case("legacy_xls_ole2", "fichier", lambda: ole2([("Workbook", 2), ("\x05SummaryInformation", 2)]), "reject",
         "format-xls"),
    Case("encrypted_ole2", "fichier", lambda: ole2([("EncryptionInfo", 2), ("EncryptedPackage", 2),
                                                   ("\x06DataSpaces", 1)]), "reject", "classeur-chiffre"),
    Case("ole2_word_document", "fichier", lambda: ole2([("WordDocument", 2), ("1Table", 2)]), "reject",
         "format-inconnu"),
    Case("ods", "fichier", _ods, "reject", "format-ods"),
    Case("truncated_zip", "fichier", _truncated, "reject", "fichier-corrompu"),
    Case("random_bytes", "fichier", _random, "reject", "format-inconnu"),
    # ---- zip container ----------------------------------------------------------------------------------------
    Case("zip_bomb_256mib", "zip", _bomb, "reject", "zip-suspect"),
    Case("zip_many_entries", "zip", _many_entries, "reject", "zip-suspect"),
    Case("zip_ratio", "zip", _ratio, "reject", "zip-suspect"),
    Case("zip_declared_size_small_lie", "zip", _declared_small_lie, "reject", "fichier-corrompu", "Saisie"),
    Case("zip_declared_size_small_lie_crc", "zip", _declared_small_lie_matching_crc, "reject", "fichier-corrompu",
         "Saisie"),
    Case("zip_bomb_declared_size_lie", "zip", lambda: _patch_declared_size(_bomb(), "xl/worksheets/sheet1.xml", 1000),
         "reject", "fichier-corrompu", "Saisie"),
    Case("zip_declared_size_huge_lie", "zip", _declared_huge_lie, "reject", "zip-suspect"),
    Case("zip_without_workbook", "zip", lambda: zip_of({"lisez-moi.txt": "rien ici"}), "reject",
         "zip-non-classeur"),
    Case("zip_docx", "zip", _docx, "reject", "zip-non-classeur"),
    Case("zip_macro_vbaproject", "zip", _macro, "reject", "classeur-macro"),
    # ---- sheets and schema ------------------------------------------------------------------------------------
    Case("missing_saisie_sheet", "feuille", lambda: workbook([[6, "F06-I3", "2025-T3", 3, None, None]],
                                                             sheet="Feuil1"),
         "reject", "saisie-feuille-manquante", "Saisie"),
    Case("missing_column", "feuille", lambda: workbook([[6, "F06-I3", "2025-T3"]], header=HEADER[:3]), "reject",
         "saisie-colonne-manquante", "Saisie", 1, "valeur"),
    Case("duplicate_column", "feuille", lambda: workbook([[6, "F06-I3", "2025-T3", 3, None, None, 4]],
                                                         header=[*HEADER, "Valeur"]),
         "reject", "saisie-colonne-en-double", "Saisie", 1, "G"),
    Case("header_only", "feuille", lambda: workbook([]), "reject", "saisie-aucune-ligne", "Saisie", 2),
    Case("empty_saisie_sheet", "feuille", lambda: workbook([], header=[]), "reject", "saisie-feuille-vide",
         "Saisie", 1),
    Case("declares_300000_rows", "feuille", lambda: raw_package(raw_rows('<c r="D2"><v>3</v></c>',
                                                                         dimension="A1:F300000")),
         "reject", "feuille-trop-grande", "Saisie", 300_000, "F"),
    Case("row_300000", "feuille", lambda: raw_package(raw_rows('<c r="D2"><v>3</v></c>',
                                                               more_rows='<row r="300000"><c r="A300000"><v>1</v>'
                                                                         '</c></row>')),
         "reject", "feuille-trop-grande", "Saisie", 300_000, "A"),
    Case("cell_in_xfd1048576", "feuille", _xfd, "reject", "feuille-trop-grande", "Saisie", 1_048_576, "XFD"),
    Case("too_many_sheets", "feuille", _many_sheets, "reject", "trop-de-feuilles"),
    Case("doctype_entity_bomb_in_sheet", "feuille",
         _with_sheet_xml(raw_rows(_inline("D2", "&lol9;"), prolog=ENTITY_BOMB)),
         "reject", "fichier-corrompu", "Saisie"),
    Case("external_entity_in_sheet", "feuille",
         _with_sheet_xml(raw_rows(_inline("D2", "&xxe;"),
                                  prolog='<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')),
         "reject", "fichier-corrompu", "Saisie"),
    Case("doctype_entity_bomb_in_shared_strings", "feuille", _shared_strings_bomb, "reject", "fichier-corrompu"),
    Case("shared_string_index_out_of_range", "feuille",
         lambda: raw_package(raw_rows('<c r="D2" t="s"><v>5</v></c>'),
                             shared_xml=f'<sst xmlns="{MAIN}"><si><t>a</t></si></sst>'),
         "reject", "fichier-corrompu", "Saisie"),
    Case("not_spreadsheetml", "feuille",
         _with_sheet_xml('<worksheet xmlns="urn:autre"><sheetData/></worksheet>'),
         "reject", "fichier-corrompu", "Saisie"),
    # ---- cells ------------------------------------------------------------------------------------------------
    Case("cell_na", "cellule", lambda: one_row("N/A"), "reject", "saisie-nombre-invalide", "Saisie", 2, "D"),
    Case("cell_div0_error", "cellule", lambda: one_row(ExcelError("#DIV/0!")), "reject", "saisie-erreur-excel",
         "Saisie", 2, "D"),
    Case("cell_boolean_true", "cellule", lambda: one_row(True), "reject", "saisie-nombre-invalide", "Saisie", 2,
         "D"),
    Case("cell_inf_text", "cellule", lambda: one_row("inf"), "reject", "saisie-nombre-invalide", "Saisie", 2, "D"),
    Case("cell_minus_infinity_text", "cellule", lambda: one_row("-Infinity"), "reject", "saisie-nombre-invalide",
         "Saisie", 2, "D"),
    Case("cell_nan_text", "cellule", lambda: one_row("NaN"), "reject", "saisie-nombre-invalide", "Saisie", 2, "D"),
    Case("cell_1e400_text", "cellule", lambda: one_row("1e400"), "reject", "saisie-nombre-invalide", "Saisie", 2,
         "D"),
    Case("cell_1e400_number", "cellule", lambda: raw_package(raw_rows('<c r="D2"><v>1e400</v></c>')), "reject",
         "fichier-corrompu", "Saisie"),
    Case("cell_formula_without_cached_value", "cellule", lambda: one_row(Formula("=1+1")), "reject",
         "saisie-formule-sans-valeur", "Saisie", 2, "D"),
    Case("cell_text_with_leading_equals", "cellule", lambda: one_row("=1+1"), "reject", "saisie-nombre-invalide",
         "Saisie", 2, "D"),
    Case("cell_date_as_count", "cellule", lambda: workbook([[6, "F06-I3", "2025-T3", None, None, None]],
                                                           change=_date_in_d2),
         "reject", "saisie-nombre-invalide", "Saisie", 2, "D"),
    Case("cell_decimal_fiche", "cellule", lambda: one_row(3, fiche=6.5), "reject", "saisie-entier-attendu",
         "Saisie", 2, "A"),
    Case("cell_very_long_comment", "cellule", lambda: one_row(3, commentaire=LONG), "reject",
         "saisie-texte-trop-long", "Saisie", 2, "E"),
    Case("cell_very_long_qualitative_text", "cellule", lambda: one_row("é" * 50_000, indicateur="F06-I4"),
         "reject", "saisie-texte-trop-long", "Saisie", 2, "D"),
    Case("cell_cached_formula", "cellule", _cached_formula, "accept", stored={K: {"valeur": 3.0}}),
    Case("cell_french_number", "cellule", lambda: one_row("1 234,5", indicateur="F05-I4", fiche=5), "accept",
         stored={("F05-I4", "2025-T3"): {"valeur": 1234.5}}),
    Case("cell_percent_text", "cellule", lambda: one_row("12 %", indicateur="F06-I1"), "accept",
         stored={("F06-I1", "2025-T3"): {"valeur": 12.0}}),
    Case("cell_non_breaking_spaces", "cellule",
         lambda: one_row("1\u202f234,5", indicateur="\u00a0F05-I4\u00a0", fiche=5, periode="2025-T3\u00a0"),
         "accept", stored={("F05-I4", "2025-T3"): {"valeur": 1234.5}}),
    Case("cell_nbsp_thousands_and_euro", "cellule",
         lambda: one_row("12\u00a0000\u00a0€", indicateur="F05-I4", fiche=5), "accept",
         stored={("F05-I4", "2025-T3"): {"valeur": 12000.0}}),
    Case("cell_lowercase_code_and_reversed_period", "cellule", lambda: one_row(3, indicateur="f6-i3",
                                                                              periode="T3 2025"),
         "accept", stored={K: {"valeur": 3.0}}),
    Case("cell_fraction_in_percent_indicator", "cellule", lambda: one_row(0.5, indicateur="F06-I1"), "warn",
         "saisie-pourcentage-douteux", "Saisie", 2, "D", stored={("F06-I1", "2025-T3"): {"valeur": 0.5}}),
    Case("cell_percent_over_100", "cellule", lambda: one_row("150 %", indicateur="F06-I1"), "warn",
         "saisie-pourcentage-superieur-100", "Saisie", 2, "D", stored={("F06-I1", "2025-T3"): {"valeur": 150.0}}),
    Case("cell_percent_format_on_rate", "cellule", lambda: formatted(0.45, "0%"), "accept",
         stored={("F06-I1", "2025-T3"): {"valeur": 45.0}}),
    Case("cell_percent_format_with_decimals", "cellule", lambda: formatted(0.125, "0.00%"), "accept",
         stored={("F06-I1", "2025-T3"): {"valeur": 12.5}}),
    Case("cell_percent_custom_format", "cellule", lambda: formatted(0.07, '[Blue]0.0%;[Red]-0.0%'), "accept",
         stored={("F06-I1", "2025-T3"): {"valeur": 7.0}}),
    Case("cell_quoted_percent_sign_is_not_a_percent_format", "cellule", lambda: formatted(45, '0" %"'), "accept",
         stored={("F06-I1", "2025-T3"): {"valeur": 45.0}}),
    Case("cell_percent_format_over_100", "cellule", lambda: formatted(1.5, "0%"), "warn",
         "saisie-pourcentage-superieur-100", "Saisie", 2, "D", stored={("F06-I1", "2025-T3"): {"valeur": 150.0}}),
    Case("cell_percent_format_on_count", "cellule", lambda: formatted(0.45, "0%", indicateur="F06-I3"), "reject",
         "saisie-pourcentage-inattendu", "Saisie", 2, "D"),
    Case("cell_percent_text_on_count", "cellule", lambda: one_row("12 %"), "reject", "saisie-pourcentage-inattendu",
         "Saisie", 2, "D"),
    Case("cell_percent_text_on_amount", "cellule", lambda: one_row("12 %", indicateur="F05-I4", fiche=5), "reject",
         "saisie-pourcentage-inattendu", "Saisie", 2, "D"),
    Case("cell_ambiguous_thousands_on_count", "cellule", lambda: one_row("1.234"), "reject", "saisie-nombre-ambigu",
         "Saisie", 2, "D"),
    Case("cell_ambiguous_thousands_on_amount", "cellule", lambda: one_row("12.500 €", indicateur="F05-I4", fiche=5),
         "reject", "saisie-nombre-ambigu", "Saisie", 2, "D"),
    Case("cell_decimal_count_of_people_text", "cellule", lambda: one_row("2,5", indicateur="F10-I2", fiche=10),
         "warn", "saisie-nombre-non-entier", "Saisie", 2, "D", stored={("F10-I2", "2025-T3"): {"valeur": 2.5}}),
    Case("cell_decimal_count_of_people_number", "cellule", lambda: one_row(2.5, indicateur="F10-I2", fiche=10),
         "warn", "saisie-nombre-non-entier", "Saisie", 2, "D", stored={("F10-I2", "2025-T3"): {"valeur": 2.5}}),
    Case("cell_decimal_amount_in_euros", "cellule", lambda: one_row(2.5, indicateur="F05-I4", fiche=5), "accept",
         stored={("F05-I4", "2025-T3"): {"valeur": 2.5}}),
    *[Case(f"cell_blank_{i}_is_empty", "cellule",
           lambda blank=blank: workbook([[6, "F06-I3", "2025-T3", blank, None, None],
                                         [6, "F06-I4", "2025-T3", blank, None, None],
                                         [2, "F02-I2", "2025-T3", 4, blank, blank]]),
           "accept", stored={("F02-I2", "2025-T3"): {"valeur": 4.0, "commentaire": None, "saisi_par": None}})
      for i, blank in enumerate(BLANKS)],
    Case("cell_nfd_livrable", "cellule", lambda: one_row(NFD_REALISE, indicateur="F04-I1", fiche=4), "accept",
         stored={("F04-I1", "2025-T3"): {"valeur": 1.0, "valeur_texte": "réalisé"}}),
    Case("cell_nfd_qualitative_text", "cellule",
         lambda: one_row(f"Atelier {NFD_REALISE}", indicateur="F06-I4", commentaire="e\u0301te\u0301"),
         "accept", stored={("F06-I4", "2025-T3"): {"valeur_texte": "Atelier réalisé", "commentaire": "été"}}),
    Case("cell_xlsxwriter_formula_cached_zero", "cellule", _xlsxwriter_formula, "reject",
         "saisie-formule-a-recalculer", "Saisie", 2, "D"),
    Case("cell_comment_without_value", "cellule",
         lambda: workbook([[6, "F06-I3", "2025-T3", 3, None, None], [2, "F02-I2", "2025-T3", None, "oublié", None]]),
         "warn", "saisie-valeur-vide", "Saisie", 3, "D", stored={K: {"valeur": 3.0}}),
    Case("blank_formatted_rows", "feuille", _blank_rows, "accept",
         stored={K: {"valeur": 3.0}, ("F02-I2", "2025-T3"): {"valeur": 4.0}}),
    Case("hidden_row_with_values", "feuille", _hidden_row, "warn", "saisie-ligne-masquee", "Saisie", 3,
         stored={K: {"valeur": 3.0}, ("F02-I2", "2025-T3"): {"valeur": 4.0}}),
    Case("hidden_value_column", "feuille", _hidden_column, "warn", "saisie-colonne-masquee", "Saisie", 1, "D",
         stored={K: {"valeur": 3.0}}),
    Case("sheet_name_in_capitals", "feuille", lambda: workbook([[6, "F06-I3", "2025-T3", 3, None, None]],
                                                               sheet="SAISIE"),
         "accept", stored={K: {"valeur": 3.0}}),
    Case("sheet_name_with_spaces", "feuille", lambda: workbook([[6, "F06-I3", "2025-T3", 3, None, None]],
                                                               sheet=" Saisie "),
         "accept", stored={K: {"valeur": 3.0}}),
    Case("two_sheets_named_saisie", "feuille", _two_saisie_sheets, "reject", "saisie-feuille-ambigue", "Saisie"),
    Case("header_variants_and_extra_column", "feuille", _header_variants, "accept",
         stored={K: {"valeur": 7.0, "commentaire": "Rencontres", "saisi_par": "Coordinatrice"}}),
    # ---- meaning ----------------------------------------------------------------------------------------------
    Case("unknown_fiche", "sens", lambda: one_row(3, fiche=99, indicateur="F99-I1"), "reject",
         "saisie-fiche-inconnue", "Saisie", 2, "A"),
    Case("unknown_indicator", "sens", lambda: one_row(3, indicateur="F06-I9"), "reject",
         "saisie-indicateur-inconnu", "Saisie", 2, "B"),
    Case("indicator_of_another_fiche", "sens", lambda: one_row(3, indicateur="F02-I1"), "reject",
         "saisie-indicateur-hors-fiche", "Saisie", 2, "B"),
    Case("malformed_period", "sens", lambda: one_row(3, periode="2025-T5"), "reject", "saisie-periode-invalide",
         "Saisie", 2, "C"),
    Case("period_out_of_range", "sens", lambda: one_row(3, periode="2023-T4"), "reject",
         "saisie-periode-hors-feuille-de-route", "Saisie", 2, "C"),
    Case("future_period", "sens", lambda: one_row(3, periode="2027-T1"), "reject", "saisie-periode-future",
         "Saisie", 2, "C"),
    Case("duplicate_indicator_period", "sens",
         lambda: workbook([[6, "F06-I3", "2025-T3", 3, None, None], [6, "F06-I3", "T3 2025", 4, None, None]]),
         "reject", "saisie-doublon", "Saisie", 3, "B"),
    Case("negative_count", "sens", lambda: one_row(-3), "reject", "saisie-valeur-negative", "Saisie", 2, "D"),
    Case("livrable_invalid", "sens", lambda: one_row("fini", indicateur="F04-I1", fiche=4), "reject",
         "saisie-livrable-invalide", "Saisie", 2, "D"),
    Case("missing_mandatory_period", "sens", lambda: one_row(3, periode=None), "reject",
         "saisie-valeur-obligatoire", "Saisie", 2, "C"),
    # ---- size -------------------------------------------------------------------------------------------------
    Case("over_upload_cap", "taille", _over_cap, "reject", "fichier-trop-volumineux"),
    # ---- injection: accepted, stored verbatim ------------------------------------------------------------------
    Case("injection_hyperlink_comment", "injection", lambda: one_row(3, commentaire=HYPERLINK, saisi_par=HYPERLINK),
         "accept", stored={K: {"commentaire": HYPERLINK, "saisi_par": HYPERLINK}}),
    Case("injection_at_sum", "injection", lambda: one_row(3, commentaire="@SUM(1)", saisi_par="@SUM(1)+1"),
         "accept", stored={K: {"commentaire": "@SUM(1)", "saisi_par": "@SUM(1)+1"}}),
    Case("injection_plus_minus_cmd", "injection", lambda: one_row(3, commentaire=PLUS_CMD, saisi_par=MINUS_CMD),
         "accept", stored={K: {"commentaire": PLUS_CMD, "saisi_par": MINUS_CMD}}),
    Case("injection_markdown", "injection", lambda: one_row(3, commentaire=MARKDOWN_LINK, saisi_par=RED),
         "accept", stored={K: {"commentaire": MARKDOWN_LINK, "saisi_par": RED}}),
    Case("injection_html", "injection", lambda: one_row(3, commentaire=SCRIPT, saisi_par=IMG),
         "accept", stored={K: {"commentaire": SCRIPT, "saisi_par": IMG}}),
    Case("injection_qualitative_formula", "injection",
         lambda: one_row(HYPERLINK, indicateur="F06-I4", commentaire=MARKDOWN_LINK, saisi_par=SCRIPT),
         "accept", stored={("F06-I4", "2025-T3"): {"valeur_texte": HYPERLINK, "commentaire": MARKDOWN_LINK,
                                                   "saisi_par": SCRIPT}}),
    # ---- control characters pasted from Word: refused where they are; Excel stores them as _x000B_ -------------
    Case("control_vertical_tab_comment", "controle", lambda: one_row(3, commentaire="Vu_x000B_en réunion"),
         "reject", "saisie-caractere-de-controle", "Saisie", 2, "E"),
    Case("control_form_feed_author", "controle", lambda: one_row(3, saisi_par="Claire_x000C_Martin"),
         "reject", "saisie-caractere-de-controle", "Saisie", 2, "F"),
    Case("control_nul_qualitative", "controle", lambda: one_row("Bilan_x0000_", indicateur="F06-I4"),
         "reject", "saisie-caractere-de-controle", "Saisie", 2, "D"),
    Case("control_lone_surrogate_comment", "controle", lambda: one_row(3, commentaire="a_xD800_b"),
         "reject", "saisie-caractere-de-controle", "Saisie", 2, "E"),
    Case("control_inline_string", "controle",
         lambda: raw_package(raw_rows('<c r="D2"><v>3</v></c>' + _inline("E2", "Vu_x000B_en réunion"))),
         "reject", "saisie-caractere-de-controle", "Saisie", 2, "E"),
    Case("control_suivi_resultats", "controle",
         lambda: workbook([[6, "F06-I3", "2025-T3", 3, None, None]], others={"Suivi": [
             ["fiche", "periode", "statut", "meteo", "resultats"],
             [6, "2025-T3", "en cours", "nuageux", "Ateliers_x000B_ouverts"]]}),
         "reject", "saisie-suivi-caractere-de-controle", "Suivi", 2, "E"),
    Case("control_tab_line_break_kept", "controle", lambda: one_row(3, commentaire="a\tb\nc_x000D_\nd\x7f"),
         "accept", stored={K: {"commentaire": "a\tb\nc\r\nd\x7f"}}),
]


def _date_in_d2(wb: openpyxl.Workbook) -> None:
    import datetime as dt

    wb["Saisie"]["D2"].value = dt.date(2025, 9, 30)  # openpyxl gives it a date format: a date, not a count


@functools.cache
def _bytes(name: str) -> bytes:
    return BY_NAME[name].build()


BY_NAME = {case.name: case for case in CASES}
assert len(BY_NAME) == len(CASES), "deux cas portent le même nom"
