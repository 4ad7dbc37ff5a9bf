"""The sheet parser: one worksheet streamed into raw rows, every reference checked against `Limits` as it comes."""

from __future__ import annotations

import functools
import re
import zipfile
from datetime import datetime, timedelta
from math import isfinite, nan

from lne_data.problems import column_letter, visible

from ..formatting import number
from .container import ByteBudget, new_parser, parse_part
from .model import (
    KIND_BOOLEAN,
    KIND_DATE,
    KIND_ERROR,
    KIND_NO_VALUE,
    KIND_NUMBER,
    KIND_PERCENT,
    KIND_RECALC,
    KIND_TEXT,
    CellValue,
    Limits,
    Masked,
    RawRows,
    corrupt,
    reject_too_big,
)
from .parts import (
    EL_C,
    EL_COL,
    EL_DIMENSION,
    EL_F,
    EL_IS,
    EL_ROW,
    EL_RPH,
    EL_T,
    EL_V,
    TRUE_TEXTS,
    cell_text,
    element_codes,
)

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
        corrupt(f"la cellule {cell} contient une date invalide « {visible(text[:30])} »", sheet)
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


def parse_sheet(budget: ByteBudget, zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, strings: list[str],
                 number_styles: dict[str, str], date1904: bool, full_calc: bool = False) -> tuple[RawRows, Masked]:
    """Stream one worksheet into raw rows, rejecting at the first reference beyond the limits; also the hidden
    rows holding a cell and the hidden columns."""
    handler = _SheetHandler(budget.limits, info.filename, sheet, strings, number_styles, date1904, full_calc)
    return handler.run(budget, zf, info)


class _SheetHandler:
    """The expat handler of one worksheet: the parse's state as attributes, one method per event and per cell type.

    This is the hot path (600 000 cells for a 100 000-row sheet, three expat callbacks each), hence its shape:
    slots; `<c>` and `<v>` recognised by identity in `start` (expat interns names; the first of each goes through
    `other`, which learns it); no end-element callback except inside text cells. Without it, text following a
    value up to the next tag is appended to it: harmless for numbers, indexes, booleans and errors, which are
    stripped, while inline and formula texts, whose spaces matter, switch the callback on. A cell is finished when
    the next cell or row starts, or at the end of the part.
    """

    __slots__ = ("c_name", "cell_total", "cell_type", "cells", "codes", "col", "collecting", "columns", "date1904",
                 "dates", "full_calc", "has_formula", "hidden_cols", "hidden_rows", "limits", "max_cells", "max_cols",
                 "max_rows", "number_styles", "parser", "phonetic", "row_hidden", "row_key", "row_no", "rows",
                 "sheet", "strings", "style", "text", "v_name", "where")

    def __init__(self, limits: Limits, where: str, sheet: str, strings: list[str], number_styles: dict[str, str],
                 date1904: bool, full_calc: bool):
        self.limits = limits
        self.max_rows, self.max_cols, self.max_cells = limits.max_rows, limits.max_cols, limits.max_cells
        self.columns = _column_numbers(limits.max_cols).get
        self.where = where
        self.sheet = sheet
        self.strings = strings
        self.number_styles = number_styles
        self.date1904 = date1904
        self.full_calc = full_calc
        self.parser = new_parser(namespaces=False)
        self.codes: dict[str, int] | None = None
        self.c_name: str | None = None
        self.v_name: str | None = None
        self.rows: RawRows = []
        self.cells: list[CellValue] = []
        self.dates: dict[float, tuple[CellValue, str]] = {}  # a column of dates repeats the same few serials
        self.cell_total = 0
        self.row_no = 0
        self.row_hidden = False
        self.hidden_rows: list[int] = []
        self.hidden_cols = bytearray(limits.max_cols + 1)  # bounded whatever ranges `<col>` elements claim
        self.row_key = ""  # the row number as cell references end with it; "" sends every reference to `locate`
        self.col = 0  # column of the open cell; 0 when none is open
        self.cell_type: str | None = None
        self.style: str | None = None
        self.text = ""
        self.has_formula = self.collecting = self.phonetic = False

    def run(self, budget: ByteBudget, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[RawRows, Masked]:
        parser = self.parser
        parser.StartElementHandler = self.start
        parser.CharacterDataHandler = self.chars
        try:
            parse_part(budget, zf, info, parser, self.sheet)
        finally:
            # The handlers are bound methods of this object, which holds the parser: without this reference
            # cycle, the handler and the parser are freed on return, not at the next garbage collection.
            parser.StartElementHandler = parser.CharacterDataHandler = parser.EndElementHandler = None
        if self.col:
            self.finish()
        self.close_row()
        return self.rows, (self.hidden_rows, [number for number, flag in enumerate(self.hidden_cols) if flag])

    # Expat events ------------------------------------------------------------------------------------------------

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name is self.v_name:
            self.text = ""
            self.collecting = True
        elif name is self.c_name:
            last = self.col
            if last:
                self.finish()
            ref = attrs.get("r")
            if ref is None:
                col = last + 1
                if col > self.max_cols or not self.row_key:
                    reject_too_big(self.sheet, f"contient une cellule utilisée en {column_letter(col)}{self.row_no}",
                             self.row_no, col, self.limits)
            else:
                row_key = self.row_key
                col = (self.columns(ref[:-len(row_key)]) if ref.endswith(row_key) else None) or self.locate(ref)
            self.col = col
            self.cell_type = cell_type = attrs.get("t")
            self.style = attrs.get("s")
            self.text = ""
            self.has_formula = self.collecting = False
            if cell_type == "inlineStr" or cell_type == "str":
                self.phonetic = False
                self.parser.EndElementHandler = self.end_of_text
        else:
            self.other(name, attrs)

    def other(self, name: str, attrs: dict[str, str]) -> None:
        """Every element but a known `<c>` or `<v>`: rows, formulas, inline strings, the dimension, the rest."""
        if self.codes is None:
            self.codes = element_codes(attrs, self.where, self.sheet)
        code = self.codes.get(name)
        if code in (EL_C, EL_V):
            if code == EL_C:
                self.c_name = name
            else:
                self.v_name = name
            self.start(name, attrs)  # now recognised there
            return
        self.collecting = False
        if code == EL_ROW:
            self.open_row(attrs)
        elif code == EL_F:
            self.has_formula = True
        elif code == EL_T:
            self.collecting = self.cell_type == "inlineStr" and not self.phonetic
        elif code == EL_IS:
            self.text = ""
        elif code == EL_RPH:
            self.phonetic = True
        elif code == EL_DIMENSION:
            self.check_dimension(attrs.get("ref", ""))
        elif code == EL_COL and attrs.get("hidden") in TRUE_TEXTS:
            self.hide_columns(attrs)

    def end_of_text(self, name: str) -> None:
        self.collecting = False
        if name is self.c_name:
            self.parser.EndElementHandler = None

    def chars(self, data: str) -> None:
        if self.collecting:
            self.text += data

    # Rows, columns, references -----------------------------------------------------------------------------------

    def open_row(self, attrs: dict[str, str]) -> None:
        if self.col:
            self.finish()
        self.close_row()
        self.row_hidden = attrs.get("hidden") in TRUE_TEXTS
        ref = attrs.get("r")
        try:
            row_no = self.row_no + 1 if ref is None else int(ref)
        except ValueError:
            corrupt(f"numéro de ligne « {visible(str(ref)[:20])} » invalide", self.sheet)
        if row_no < 1:
            corrupt(f"numéro de ligne « {row_no} » invalide", self.sheet)
        self.row_no = row_no
        self.row_key = str(row_no) if row_no <= self.max_rows else ""

    def close_row(self) -> None:
        """Keep the row just read if it holds a cell, counting its cells against the limit."""
        cells = self.cells
        if cells:
            self.cell_total += len(cells) // 3
            if self.cell_total > self.max_cells:
                reject_too_big(self.sheet, f"contient plus de {number(self.max_cells)} cellules remplies", None, None,
                         self.limits)
            self.rows.append((self.row_no, cells))
            if self.row_hidden:
                self.hidden_rows.append(self.row_no)
            self.cells = []

    def hide_columns(self, attrs: dict[str, str]) -> None:
        try:
            first, last = max(int(attrs.get("min", "")), 1), min(int(attrs.get("max", "")), self.max_cols)
        except ValueError:
            return  # only the display is wrong: the cells are read all the same
        if first <= last:
            self.hidden_cols[first:last + 1] = b"\1" * (last - first + 1)

    def check_dimension(self, ref: str) -> None:
        """The used range Excel declares: a cheap early refusal before any row is read."""
        match = _REF.fullmatch(ref.rpartition(":")[2]) if len(ref) <= 40 else None
        if match is not None:
            last_row, last_col = int(match.group(2)), _letters_to_number(match.group(1))
            if last_row > self.max_rows or last_col > self.max_cols:
                reject_too_big(self.sheet, f"déclare une zone utilisée jusqu'à la cellule {match.group(0)}", last_row,
                         last_col, self.limits)

    def locate(self, ref: str) -> int:
        """Column of a reference the fast path did not recognise: beyond the limits, or malformed."""
        match = _REF.fullmatch(ref) if len(ref) <= 20 else None
        if match is None:
            corrupt(f"référence de cellule « {visible(ref[:20])} » invalide", self.sheet)
        ref_col, ref_row = _letters_to_number(match.group(1)), int(match.group(2))
        if ref_row > self.max_rows or ref_col > self.max_cols:
            reject_too_big(self.sheet, f"contient une cellule utilisée en {ref}", ref_row, ref_col, self.limits)
        if ref_row != self.row_no:
            corrupt(f"la cellule {ref} est rangée dans la ligne {self.row_no}", self.sheet)
        return ref_col

    # The open cell's value, by its type attribute ----------------------------------------------------------------

    def finish(self) -> None:
        at, self.col = self.col, 0
        if self.has_formula and self.full_calc and self.text:
            # The workbook asks to be recalculated when opened: the cached result (xlsxwriter writes 0) was never
            # computed by a spreadsheet program, so it is not what the person would see. (Without any cached
            # result, the cell is a `formule-sans-valeur` below, as in any workbook.)
            self.cells += (at, None, KIND_RECALC)
            return
        cell_type = self.cell_type
        if cell_type is None or cell_type == "n":
            self.number(at)
        elif cell_type == "s":
            self.shared_text(at)
        elif cell_type == "str" or cell_type == "inlineStr":
            self.own_text(at)
        elif cell_type == "b":
            self.boolean(at)
        elif cell_type == "e":
            self.error(at)
        elif cell_type == "d":
            self.iso_date(at)
        else:
            corrupt(f"la cellule {column_letter(at)}{self.row_no} a un type inconnu « {visible(cell_type[:10])} »",
                     self.sheet)

    def number(self, at: int) -> None:
        """A number, shown as a date or a percentage when its style says so."""
        text = self.text
        if not text:
            if self.has_formula:
                self.cells += (at, None, KIND_NO_VALUE)
            return
        try:
            number = float(text)
        except ValueError:
            number = nan
        if not isfinite(number):
            corrupt(f"la cellule {column_letter(at)}{self.row_no} contient un nombre invalide "
                     f"« {visible(text[:20])} »", self.sheet)
        style = self.style
        shown = self.number_styles.get(style) if style is not None else None
        if shown is None:
            self.cells += (at, number, KIND_NUMBER)
        elif shown is KIND_PERCENT:
            self.cells += (at, number, KIND_PERCENT)
        else:
            cached = self.dates.get(number)
            if cached is None:
                iso = _iso_from_serial(number, self.date1904)
                cached = self.dates[number] = (number, KIND_NUMBER) if iso is None else (iso, KIND_DATE)
            self.cells += (at, *cached)

    def shared_text(self, at: int) -> None:
        try:
            index = int(self.text)
            value = self.strings[index] if index >= 0 else None
        except (ValueError, IndexError):
            value = None
        if value is None:
            corrupt(f"la cellule {column_letter(at)}{self.row_no} renvoie à un texte partagé inexistant", self.sheet)
        if value:
            self.cells += (at, value, KIND_TEXT)

    def own_text(self, at: int) -> None:
        """An inline text, or a formula's text result."""
        value = cell_text(self.text) if self.text else ""
        if value:
            self.cells += (at, value, KIND_TEXT)
        elif self.has_formula and self.cell_type == "inlineStr":
            self.cells += (at, None, KIND_NO_VALUE)

    def boolean(self, at: int) -> None:
        flag = self.text.strip()
        if flag in ("1", "true"):
            self.cells += (at, True, KIND_BOOLEAN)
        elif flag in ("0", "false"):
            self.cells += (at, False, KIND_BOOLEAN)
        elif flag or not self.has_formula:
            corrupt(f"la cellule {column_letter(at)}{self.row_no} contient un booléen invalide", self.sheet)
        else:
            self.cells += (at, None, KIND_NO_VALUE)

    def error(self, at: int) -> None:
        self.cells += (at, self.text.strip(), KIND_ERROR) if self.text.strip() else (at, None, KIND_NO_VALUE)

    def iso_date(self, at: int) -> None:
        if self.text.strip():
            self.cells += (at, _iso_from_text(self.text.strip(), f"{column_letter(at)}{self.row_no}", self.sheet),
                           KIND_DATE)
        elif self.has_formula:
            self.cells += (at, None, KIND_NO_VALUE)
