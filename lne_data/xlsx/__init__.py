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

Where each part lives:

- `model`: `Cell`, `Kind`, `Limits`, `Workbook`, `WorkbookRejected`, and the rejection messages;
- `container`: the file's real format (OLE2, PDF, HTML, CSV…), the zip and its sizes, the budgeted inflate and expat;
- `parts`: the workbook part, relationships, sheet list, number formats (dates, percentages), shared strings;
- `parse`: the sheet parser, an expat handler on the hot path of every cell;
- `reader`: `read_workbook`, which runs them in order in this process;
- `isolated`: `read_workbook_isolated`, the same read in a child interpreter with resource limits.
"""

from .isolated import read_workbook_isolated
from .model import Cell, Limits, Workbook, WorkbookRejected
from .reader import read_workbook

__all__ = [
    "Cell", "Limits", "Workbook", "WorkbookRejected", "read_workbook", "read_workbook_isolated",
]
