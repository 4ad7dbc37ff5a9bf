"""Tables leaving the app (CSV, Excel): text from users never becomes a live formula.

In a workbook a text cell is written with the string type, so `=HYPERLINK(…)` typed by someone stays text
in Excel and keeps its exact wording. A CSV has no types: there, a text starting with `=`, `+`, `-`, `@`,
tab or carriage return is prefixed with an apostrophe, as OWASP recommends, because spreadsheet programs
evaluate such cells when they open the file.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def set_text(cell: Cell, text: str) -> None:
    """Assign text that openpyxl must not read as a formula."""
    cell.value = text
    cell.data_type = "s"


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
        ws = wb.create_sheet(name[:31])
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
