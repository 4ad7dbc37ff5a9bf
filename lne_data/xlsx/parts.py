"""The workbook's small parts, read before any sheet: the main part and its relationships, the sheet list,
the number formats that make a cell a date or a percentage, and the shared strings.
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
import zipfile

from ..problems import visible
from .container import ByteBudget, collect, new_parser, parse_part
from .model import KIND_DATE, KIND_PERCENT, RESAVE, Limits, corrupt, reject

_MAIN_TYPES = frozenset({
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
})
_NOT_A_WORKBOOK = ("Ce fichier est une archive compressée (zip) ou un document Office qui n'est pas un classeur "
                   "Excel (par exemple un document Word ou PowerPoint). Déposez le classeur Excel (.xlsx) attendu.")


def find_workbook_part(budget: ByteBudget, zf: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """Tell apart ODS, non-workbook zips, binary and macro workbooks; return the main workbook part."""
    mimetype = parts.get("mimetype")
    if mimetype is not None and mimetype.file_size < 256:
        kind = b"".join(budget.chunks(zf, mimetype))
        if b"opendocument.spreadsheet" in kind:
            reject("format-ods",
                    "Ce fichier est un classeur LibreOffice ou OpenOffice (.ods). Ouvrez-le dans LibreOffice, "
                    "choisissez Fichier > Enregistrer sous, type « Excel 2007-365 (.xlsx) », puis déposez ce "
                    "nouveau fichier.")
        if b"opendocument" in kind:
            reject("zip-non-classeur", _NOT_A_WORKBOOK)
    content_types = parts.get("[content_types].xml")
    if content_types is None:
        reject("zip-non-classeur", _NOT_A_WORKBOOK)
    overrides: dict[str, str] = {}
    types: list[str] = []
    for local, attrs in collect(budget, zf, content_types, frozenset({"Default", "Override"})):
        if attrs is not None:
            content_type = attrs.get("ContentType", "")
            types.append(content_type.lower())
            if local == "Override":
                overrides[attrs.get("PartName", "").lstrip("/").lower()] = content_type
    if any("sheet.binary" in t for t in types):
        reject("format-xlsb",
                f"Ce fichier est un classeur Excel binaire (.xlsb), que l'application ne lit pas. {RESAVE}")
    if any("vbaproject" in name for name in parts) or any(
            "macroenabled" in t or "vbaproject" in t or "macrosheet" in t for t in types):
        reject("classeur-macro",
                "Ce classeur contient des macros. Par sécurité, l'application n'accepte pas les classeurs avec "
                "macros. Dans Excel, choisissez Fichier > Enregistrer sous > « Classeur Excel (*.xlsx) » : la "
                "copie est enregistrée sans les macros. Déposez cette copie.")
    main = next((name for name, t in overrides.items() if t in _MAIN_TYPES), "xl/workbook.xml")
    if main not in parts:
        reject("zip-non-classeur", _NOT_A_WORKBOOK)
    return parts[main]


def read_relationships(budget: ByteBudget, zf: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo],
                   source: zipfile.ZipInfo) -> dict[str, tuple[str, str]]:
    """Relationship id → (type's last segment, lower-cased part name), resolved against the source part."""
    folder, base = posixpath.split(source.filename)
    info = parts.get(posixpath.join(folder, "_rels", base + ".rels").lower())
    if info is None:
        return {}
    rels = {}
    for _, attrs in collect(budget, zf, info, frozenset({"Relationship"})):
        if attrs is None or attrs.get("TargetMode") == "External":
            continue
        target = attrs.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        rels[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], path.lower())
    return rels


def read_sheet_list(budget: ByteBudget, zf: zipfile.ZipFile, main: zipfile.ZipInfo,
                limits: Limits) -> tuple[list[tuple[str, str]], list[str], bool, bool]:
    """(name, relationship id) of each sheet in workbook order, the hidden sheets (`hidden` or `veryHidden`, the
    latter only visible from the VBA editor), whether dates count from 1904, and whether the workbook asks to be
    fully recalculated when opened (then no cached formula result can be trusted)."""
    sheets: list[tuple[str, str]] = []
    hidden: list[str] = []
    date1904 = full_calc = False
    for local, attrs in collect(budget, zf, main, frozenset({"sheet", "workbookPr", "calcPr"})):
        if attrs is None:
            continue
        if local == "workbookPr":
            date1904 = attrs.get("date1904", "0").lower() in TRUE_TEXTS
        elif local == "calcPr":
            full_calc = attrs.get("fullCalcOnLoad", "0").lower() in TRUE_TEXTS
        else:
            rel = next((value for key, value in attrs.items() if key.endswith("relationships id")), "")
            sheets.append((attrs.get("name", ""), rel))
            if attrs.get("state", "visible") != "visible":
                hidden.append(attrs.get("name", ""))
    names = {name for name, _ in sheets}
    if not sheets or len(names) != len(sheets):
        corrupt("la liste des feuilles du classeur est vide ou contient des doublons")
    if len(sheets) > limits.max_sheets:
        reject("trop-de-feuilles",
                f"Le classeur contient {len(sheets)} feuilles ; l'application en accepte au plus "
                f"{limits.max_sheets}. Supprimez les feuilles inutiles (clic droit sur l'onglet > Supprimer) ou "
                "copiez les feuilles utiles dans un nouveau classeur, puis déposez-le.")
    return sheets, hidden, date1904, full_calc



# --------------------------------------------------------------------------------------------------------------
# Styles: which cell formats are dates, which are percentages
# --------------------------------------------------------------------------------------------------------------

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


def read_number_styles(budget: ByteBudget, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, str]:
    """Indexes (as the strings found in `s="…"`) of the cell formats showing a date or time (→ ``"date"``) or a
    percentage (→ ``"pourcentage"``); other formats show the number as it is and are left out.

    Computed once per workbook so that the per-cell test is one dict lookup on the attribute as read.
    """
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    inside = ""  # numFmts or cellXfs: dxfs and cellStyleXfs hold numFmt and xf elements that do not count
    for local, attrs in collect(budget, zf, info, frozenset({"numFmts", "numFmt", "cellXfs", "xf"})):
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
            styles[str(index)] = KIND_DATE
        elif (fmt in _BUILTIN_PERCENT_FORMATS) if code is None else _is_percent_format(code):
            styles[str(index)] = KIND_PERCENT
    return styles


# --------------------------------------------------------------------------------------------------------------
# Element codes (shared with the sheet parser) and shared strings
# --------------------------------------------------------------------------------------------------------------

_MAIN_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                    "http://purl.oclc.org/ooxml/spreadsheetml/main")
EL_C, EL_V, EL_ROW, EL_F, EL_IS, EL_T, EL_RPH, _SI, EL_DIMENSION, EL_COL = range(1, 11)
_LOCAL_CODES = (("c", EL_C), ("v", EL_V), ("row", EL_ROW), ("f", EL_F), ("is", EL_IS), ("t", EL_T), ("rPh", EL_RPH),
                ("si", _SI), ("dimension", EL_DIMENSION), ("col", EL_COL))
TRUE_TEXTS = ("1", "true")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def element_codes(root: dict[str, str], where: str, sheet: str | None) -> dict[str, int]:
    """Element name as written (with the prefix the document chose for the main namespace) → code.

    The two big parts are parsed without expat's namespace processing, which costs a tenth of the sheet time;
    the prefix is read from the root's declarations instead (Excel writes none, some generators write x:).
    """
    for key, value in root.items():
        if value in _MAIN_NAMESPACES and (key == "xmlns" or key.startswith("xmlns:")):
            prefix = "" if key == "xmlns" else key[6:] + ":"
            return {prefix + local: code for local, code in _LOCAL_CODES}
    corrupt(f"la partie interne « {visible(where)} » n'est pas au format SpreadsheetML", sheet)


def _unescape(text: str) -> str:
    """OOXML writes characters XML cannot carry as _xHHHH_ (a carriage return is _x000D_)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


_nfc = functools.partial(unicodedata.normalize, "NFC")


def cell_text(raw: str) -> str:
    """A text as the cell shows it: escapes decoded, in NFC (a Mac's « é » is two characters, Windows' one;
    `normalize` returns an already composed text as it is, after a quick check), and "" when it shows nothing
    but spaces, which every caller then takes for an empty cell."""
    text = _nfc(_unescape(raw))
    return "" if text.isspace() else text


def read_shared_strings(budget: ByteBudget, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[str]:
    """The shared string table; rich-text runs are joined and phonetic guides (rPh) left out."""
    strings: list[str] = []
    parser = new_parser(namespaces=False)
    codes: dict[str, int] | None = None
    parts: list[str] = []
    open_item = collecting = phonetic = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal codes, open_item, collecting, phonetic
        if codes is None:
            codes = element_codes(attrs, info.filename, None)
        code = codes.get(name)
        if code == _SI:
            if open_item:
                strings.append(cell_text("".join(parts)))
                parts.clear()
            open_item, collecting, phonetic = True, False, False
        elif code == EL_T:
            collecting = not phonetic
        elif code == EL_RPH:
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
    parse_part(budget, zf, info, parser)
    if open_item:
        strings.append(cell_text("".join(parts)))
    return strings

