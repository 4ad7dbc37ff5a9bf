"""Tables leaving the app (CSV, Excel): text from users never becomes a live formula.

In a workbook a text cell is written with the string type, so `=HYPERLINK(…)` typed by someone stays text
in Excel and keeps its exact wording. A CSV has no types: there, a text starting with `=`, `+`, `-`, `@`,
tab or carriage return is prefixed with an apostrophe, as OWASP recommends, because spreadsheet programs
evaluate such cells when they open the file.

Every text a workbook of the project holds (these downloads, the report's workbook, the quarterly template) is
written by `set_text`, its one way in: there a character a workbook refuses becomes a visible mark and a text
longer than a cell holds is cut with « … » (`formatting.writable`, `formatting.short`). The CSV is text and
refuses nothing: it keeps every character as stored.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .formatting import short, writable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Excel's limits: what a cell holds (openpyxl writes more, and Excel then calls the file damaged) and a sheet's
# name, which also refuses a few characters.
CELL_CHARS = 32_767
SHEET_NAME_CHARS = 31
_SHEET_NAME_REFUSED = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


def set_text(cell: Cell, text: str) -> None:
    """Assign text that openpyxl must not read as a formula, and that Excel can hold."""
    # A missing value (NaN from a frame) is left as openpyxl writes it: an empty cell.
    cell.value = short(writable(text), CELL_CHARS) if isinstance(text, str) else text
    cell.data_type = "s"


def sheet_name(name: str) -> str:
    """A sheet name Excel accepts, from any text: its refused characters as « _ », at most 31 characters."""
    return short(writable(name).translate(_SHEET_NAME_REFUSED).strip("'"), SHEET_NAME_CHARS) or "donnees"


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for Excel in France: semicolon separator, decimal comma, UTF-8 with BOM so accents survive."""
    safe = df.map(neutralise) if not df.empty else df
    return safe.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table; headers bold; numbers stay numbers, texts stay texts."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(sheet_name(name))
        for col, header in enumerate(df.columns, start=1):
            cell = ws.cell(row=1, column=col)
            set_text(cell, str(header))
            cell.font = Font(bold=True)
        for row_index, row in enumerate(df.itertuples(index=False), start=2):
            for col, value in enumerate(row, start=1):
                cell = ws.cell(row=row_index, column=col)
                if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
                    continue
                if isinstance(value, str):
                    set_text(cell, value)
                elif hasattr(value, "item"):
                    cell.value = value.item()
                else:
                    cell.value = value
        for col, header in enumerate(df.columns, start=1):
            ws.column_dimensions[get_column_letter(col)].width = min(60, max(10, len(str(header)) + 2))
        ws.freeze_panes = "A2"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
