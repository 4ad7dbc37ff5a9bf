"""What the reader gives back (`Cell`, `Workbook`), the bounds of one upload (`Limits`), and every rejection.

The rejection helpers build the coordinator's message (what happened, what to do in Excel) for each part of the
reader, so that one kind of problem reads the same wherever it is found.
"""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, NoReturn

from lne_data.formatting import number
from lne_data.problems import Problem, RejectedInput, column_letter

Kind = Literal["texte", "nombre", "pourcentage", "booleen", "erreur", "date", "formule-sans-valeur",
               "formule-a-recalculer", "vide"]
CellValue = str | float | bool | None
# The kinds as the parser writes them, one object each, so that a style's kind can be told by identity.
KIND_TEXT, KIND_NUMBER, KIND_PERCENT, KIND_BOOLEAN, KIND_ERROR, KIND_DATE, KIND_NO_VALUE, KIND_RECALC = (
    "texte", "nombre", "pourcentage", "booleen", "erreur", "date", "formule-sans-valeur", "formule-a-recalculer")


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell that holds something, where Excel shows it: `row` and `col` count from 1 (A = 1)."""

    row: int
    col: int
    value: CellValue
    kind: Kind


@dataclass(frozen=True)
class Limits:
    """Bounds on what one upload may cost; the defaults leave ample room for a quarterly workbook.

    Frozen because an instance is the default argument of the readers and must not drift between calls.
    `max_cells` bounds memory, which rows × columns alone would not (200 000 × 100 cells is gigabytes).
    """

    max_file_bytes: int = 20 * 1024 * 1024
    max_zip_entries: int = 1000
    max_uncompressed_total: int = 200 * 1024 * 1024
    max_entry_ratio: int = 100
    max_rows: int = 200_000
    max_cols: int = 100
    max_sheets: int = 50
    max_cells: int = 3_000_000


class WorkbookRejected(RejectedInput):
    """The workbook cannot be read; `problems` says why and what the coordinator should do.

    A `RejectedInput`, so that callers handling every rejected upload the same way need no special case.
    """


# Raw parse result of one sheet: (Excel row, [column, value, kind, column, value, kind, ...]) for each non-empty
# row. Flat lists rather than `Cell`s or tuples: one object per row instead of one per cell while the sheet
# streams in, and a compact pickle out of the isolated child; `Workbook.rows` makes the `Cell`s.
RawRows = list[tuple[int, list[CellValue]]]
# Per sheet: the hidden rows that hold a cell, and the hidden columns (both Excel numbers, ascending).
Masked = tuple[list[int], list[int]]


class Workbook:
    """Sheet names in workbook order, the hidden ones among them, and the rows of the sheets that were asked for.

    `hidden` matters to a reader of the file: a sheet hidden in Excel is read like any other, while the person
    who filled the workbook may have edited a visible copy of it. Hidden rows and columns matter the same way.
    """

    def __init__(self, sheet_names: list[str], parsed: dict[str, RawRows], hidden: Collection[str] = (),
                 masked: dict[str, Masked] | None = None):
        self.sheet_names = sheet_names
        self.hidden = frozenset(hidden)
        self._raw = parsed
        self._masked = masked or {}
        self._rows: dict[str, list[list[Cell]]] = {}

    def find(self, name: str) -> list[str]:
        """The sheets a person would call `name`: « SAISIE » or « Saisie␣ » for « Saisie ».

        Case, surrounding spaces and the Unicode form do not show on a tab, so they do not count. Several
        answers mean the workbook is ambiguous (Excel allows « Saisie » next to « Saisie␣ »); the caller says so.
        """
        key = sheet_key(name)
        return [n for n in self.sheet_names if sheet_key(n) == key]

    def hidden_rows(self, name: str) -> list[int]:
        """Excel numbers of the rows of sheet `name` that are hidden (by hand or by a filter) and hold a cell."""
        return self._masked.get(name, ([], []))[0]

    def hidden_columns(self, name: str) -> list[int]:
        """Numbers (A = 1) of the columns of sheet `name` that are hidden, up to `Limits.max_cols`."""
        return self._masked.get(name, ([], []))[1]

    def rows(self, name: str) -> list[list[Cell]]:
        """Non-empty rows of sheet `name`, each a list of its non-empty cells, left to right.

        `Cell`s are built on first access and kept, so asking twice returns the same list. A chart sheet has no
        rows. KeyError if the workbook has no such sheet, or if it was left out by `wanted_sheets`.
        """
        built = self._rows.get(name)
        if built is None:
            if name not in self._raw:
                if name in self.sheet_names:
                    raise KeyError(f"la feuille {name!r} n'a pas été demandée à la lecture (wanted_sheets)")
                raise KeyError(f"le classeur n'a pas de feuille {name!r}")
            with collector_paused():
                built = self._rows[name] = _build_cells(self._raw.pop(name))
        return built


def sheet_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of objects are created.

    Each one counts towards the next collection, and each collection rescans the growing heap: measured on a
    100 000-row sheet, that is 10 % of the parse and 60 % of building the `Cell`s. Nothing created here forms a
    reference cycle, so pausing loses nothing. Process-wide, but only for the call, and only if it was enabled
    (a concurrent call in another thread finds it paused and leaves it to the first one to resume).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_new_cell = object.__new__
# The slots' descriptors, read from the class's namespace (what `Cell.row` is at run time; mypy reads it as the field).
_set_row, _set_col, _set_value, _set_kind = (vars(Cell)["row"].__set__, vars(Cell)["col"].__set__,
                                             vars(Cell)["value"].__set__, vars(Cell)["kind"].__set__)


def _build_cells(raw: RawRows) -> list[list[Cell]]:
    """Fill the slots directly: a frozen dataclass's `__init__` goes through `object.__setattr__` per field,
    which makes it three times slower, and a 100 000-row sheet has 600 000 cells."""
    out = []
    for row_no, flat in raw:
        cells = []
        triples = iter(flat)
        for col, value, kind in zip(triples, triples, triples, strict=True):
            cell = _new_cell(Cell)
            _set_row(cell, row_no)
            _set_col(cell, col)
            _set_value(cell, value)
            _set_kind(cell, kind)
            cells.append(cell)
        out.append(cells)
    return out


# --------------------------------------------------------------------------------------------------------------
# Problems, in the coordinator's words
# --------------------------------------------------------------------------------------------------------------

RESAVE = ("Ouvrez-le dans Excel, choisissez Fichier > Enregistrer sous > « Classeur Excel (*.xlsx) », "
           "puis déposez ce nouveau fichier.")


def reject(code: str, message: str, *, sheet: str | None = None, row: int | None = None,
            column: str | None = None) -> NoReturn:
    raise WorkbookRejected([Problem(code, message, sheet=sheet, row=row, column=column)])


def reject_suspect(detail: str) -> NoReturn:
    reject("zip-suspect",
            f"Le fichier semble endommagé, ou fabriqué pour nuire : {detail}. Si vous connaissez sa provenance, "
            "ouvrez-le dans Excel, enregistrez-le sous un nouveau nom (Fichier > Enregistrer sous > « Classeur "
            "Excel (*.xlsx) ») et déposez cette copie ; sinon, ne l'ouvrez pas et demandez à son auteur de vous "
            "le renvoyer.")


def corrupt(detail: str, sheet: str | None = None) -> NoReturn:
    reject("fichier-corrompu",
            f"Le fichier est endommagé et ne peut pas être lu : {detail}. Ouvrez-le dans Excel, qui proposera "
            "peut-être de le réparer, enregistrez-le sous un nouveau nom au format « Classeur Excel (*.xlsx) », "
            "puis déposez cette copie.", sheet=sheet)


def reject_too_big(sheet: str, what: str, row: int | None, col: int | None, limits: Limits) -> NoReturn:
    reject("feuille-trop-grande",
            f"La feuille « {sheet} » {what}, au-delà de ce que l'application accepte ({number(limits.max_rows)} "
            f"lignes, {number(limits.max_cols)} colonnes, {number(limits.max_cells)} cellules remplies). Ce sont "
            "souvent des lignes ou des colonnes vides mais mises en forme. Dans Excel, sélectionnez les lignes sous "
            "vos données jusqu'à la fin de la feuille (Ctrl+Maj+Flèche bas), supprimez-les (clic droit > "
            "Supprimer), faites de même pour les colonnes à droite des données, enregistrez, puis déposez de "
            "nouveau le fichier.",
            sheet=sheet, row=row, column=column_letter(col) if col else None)



