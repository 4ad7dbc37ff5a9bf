"""The sheet parser: one worksheet streamed into raw rows, every reference checked against `Limits` as it comes."""

from __future__ import annotations

import functools
import math
import re
import zipfile
from datetime import datetime, timedelta

from lne_data.problems import column_letter

from .container import _Budget, _new_parser, _parse_part
from .model import (
    _BOOLEAN,
    _DATE,
    _ERROR,
    _NO_VALUE,
    _NUMBER,
    _PERCENT,
    _RECALC,
    _TEXT,
    CellValue,
    Masked,
    RawRows,
    _corrupt,
    _count,
    _too_big,
)
from .parts import _C, _COL, _DIMENSION, _F, _IS, _ROW, _RPH, _T, _TRUE, _V, _cell_text, _element_codes

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

