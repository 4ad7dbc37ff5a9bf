"""Quarterly reports for the comité syndical: an editable PowerPoint deck, the same report as a PDF, a workbook
of every figure, and a one-page PDF of one fiche.

Everything comes from the read models of `views`, so a report says exactly what the dashboard says. No
Streamlit here: the command line and the pages call the same functions. Text typed by users (comments, follow-up)
and the roadmap's wording are always written as plain text: a PowerPoint run or a spreadsheet string cell, and
in the PDF an escaped Paragraph, because reportlab reads `<`, `>` and `&` as markup (a table cell of one line is
drawn as it is, never parsed).

- `data`: `ReportData` of a quarter (`report_data`, `closure_report_data`) and the wording every format shares.
- `deck`: the PowerPoint deck (`build_pptx`).
- `pdf`: the quarterly PDF, its « note au comité » first (`build_pdf`).
- `pdflayout`: the PDFs' layout engine over reportlab (fonts, styles, cells, tables, charts, footers).
- `fiche`: one fiche on one PDF page (`build_fiche_pdf`).
- `workbook`: the workbook of every figure (`build_xlsx`).
- `files`: the report as a file in a given format, the same bytes at every build (`build`, `pinned_zip`).
"""

from .data import ReportData, closure_report_data, key_figures, report_data
from .deck import build_pptx
from .fiche import build_fiche_pdf
from .files import FORMATS, build
from .pdf import build_pdf
from .workbook import build_xlsx

__all__ = [
    "FORMATS", "ReportData", "build", "build_fiche_pdf", "build_pdf", "build_pptx", "build_xlsx", "closure_report_data",
    "key_figures", "report_data",
]
