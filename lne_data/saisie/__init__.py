"""The quarterly workbook: check it whole, preview what it changes, import it in one transaction, undo it.

- `check`: the workbook read from its raw cells in a child process and checked whole (`check_file`), each problem
  with its sheet, row and column; nothing is written unless there is no error at all;
- `depenses`: the optional sheet « Dépenses » (execution: engagé, payé, ETP mobilisés, financements reçus);
- `imports`: what a checked file would change (`preview`), writing it (`import_file`) and undoing it
  (`undo_import`).
"""

from .check import (
    ENTRY_COLUMNS,
    LIVRABLE,
    MAX_TEXT,
    METEOS,
    SAISIE_COLUMNS,
    SHEET,
    STATUTS,
    SUIVI_COLUMNS,
    SUIVI_FRAME_COLUMNS,
    SUIVI_SHEET,
    Validation,
    check_file,
    in_force,
    load_context,
    problems_frame,
)
from .depenses import DEPENSES_COLUMNS, DEPENSES_FRAME_COLUMNS, DEPENSES_SHEET, NATURES
from .imports import ImportResult, Preview, Undone, depenses_of_import, import_file, preview, undo_import

__all__ = [
    "DEPENSES_COLUMNS", "DEPENSES_FRAME_COLUMNS", "DEPENSES_SHEET", "NATURES",
    "ENTRY_COLUMNS", "LIVRABLE", "MAX_TEXT", "METEOS", "SAISIE_COLUMNS", "SHEET", "STATUTS", "SUIVI_COLUMNS",
    "SUIVI_FRAME_COLUMNS", "SUIVI_SHEET", "ImportResult", "Preview", "Undone", "Validation", "check_file",
    "depenses_of_import",    "import_file", "in_force", "load_context", "preview", "problems_frame", "undo_import",
]
