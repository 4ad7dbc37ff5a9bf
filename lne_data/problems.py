"""Validation problems: one shape for every check, from the zip container down to a single cell.

A problem carries a stable code (tests, documentation and users' e-mails refer to it), where it is (sheet,
Excel row, column letter or name) and a French message that says what to do. Validators return *all* the
problems they find; callers decide whether errors block the write.

What a file can make us write is bounded, whatever its size: a message quotes at most `QUOTE_LIMIT` characters of
a cell (`quote`, `excerpt`), and `Problems` groups a problem repeated down a column into one `Problem` that lists
its first `LISTED_ROWS` rows and counts the others. One long text filled down 100 000 rows used to make 100 000
messages quoting it whole (a gigabyte of output at 10 000 rows); it now makes one per kind of problem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .formatting import control_mark, number, short

Severity = Literal["erreur", "avertissement"]


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    severity: Severity = "erreur"
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = field(default=None, compare=False)
    # A grouped problem (see `Problems`): the further rows listed after `row`, and how many more are not listed.
    more_rows: tuple[int, ...] = ()
    unlisted: int = 0

    @property
    def is_error(self) -> bool:
        return self.severity == "erreur"

    @property
    def rows(self) -> tuple[int, ...]:
        """Every row listed: `row`, then the further rows of a grouped problem."""
        return () if self.row is None else (self.row, *self.more_rows)

    @property
    def count(self) -> int:
        """How many rows (or places) have this problem, listed or not."""
        return max(len(self.rows), 1) + self.unlisted

    def rows_text(self) -> str:
        """`12`, or `12, 13, 14 et 99 997 autres lignes`: the rows as the coordinatrice reads them."""
        listed = ", ".join(str(row) for row in self.rows)
        if self.unlisted:
            return f"{listed} et {number(self.unlisted)} autre{'s' if self.unlisted > 1 else ''} ligne" \
                   f"{'s' if self.unlisted > 1 else ''}"
        return listed

    def location(self) -> str:
        """Where to look, in the words of someone with the workbook open in Excel."""
        parts = []
        if self.sheet:
            parts.append(f"feuille « {visible(self.sheet)} »")
        if self.row is not None:
            parts.append(f"{'lignes' if self.count > 1 else 'ligne'} {self.rows_text()}")
        if self.column:
            parts.append(f"colonne {self.column}")
        return ", ".join(parts) if parts else "fichier"

    def as_text(self) -> str:
        label = "Erreur" if self.is_error else "Avertissement"
        return f"{label} [{self.code}] {self.location()} : {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "gravite": self.severity,
            "feuille": self.sheet,
            "ligne": self.row,
            "lignes": list(self.rows),
            "autres_lignes": self.unlisted,
            "colonne": self.column,
            "message": self.message,
        }


QUOTE_LIMIT = 80
LISTED_ROWS = 20
# Problems with one code in one column but different messages (100 000 different bad values): past this many,
# the others are counted in one more problem instead of listed, so that no file can make the list long.
DISTINCT_MESSAGES = 20


# Characters that show nothing, or something else than they are, on a screen or in a terminal: control characters
# (a terminal obeys ESC's sequences), format characters (zero-width spaces and joiners, the byte order mark, the
# soft hyphen, bidirectional marks that reorder what follows), separators, unassigned and private code points, and
# the other « default ignorable » ones Unicode lets a font draw as nothing (Hangul fillers, variation selectors…).
_IGNORABLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0"
                        "\U000e0000-\U000e0fff]")


def hidden(char: str, *, spaces: bool = True) -> bool:
    """Whether `visible` writes `char` as its code point."""
    # Python's « not printable » is exactly Unicode's Other and Separator categories but the plain space: controls,
    # format characters, unassigned and private code points, and every space that is not U+0020 (no-break,
    # narrow…), which looks like one and is not equal to it.
    if char.isprintable():
        return _IGNORABLE.match(char) is not None
    return spaces or unicodedata.category(char) != "Zs"


def visible(text: object, *, spaces: bool = True) -> str:
    """`text` with every character that cannot be seen (or that a terminal would obey) written as ⟨U+200B⟩:
    « Lot Numérique⟨U+200B⟩ » says why it is not « Lot Numérique », and `\\x1b[31m` in a file name colours
    nothing. The notation is the files' own for control characters (`formatting.control_mark`).

    `spaces=False` leaves the no-break spaces as they are: for a whole text of ours, whose French numbers and
    units hold them on purpose (`1 234 €`), where only a user's value would hide something."""
    text = str(text)
    if text.isprintable() and _IGNORABLE.search(text) is None:  # the usual case, at C speed
        return text
    return "".join(control_mark(c) if hidden(c, spaces=spaces) else c for c in text)


def excerpt(text: object, limit: int = QUOTE_LIMIT) -> str:
    """At most `limit` characters of what a cell holds, cut with an ellipsis, its invisible characters made visible
    (`visible`): enough to find the cell, and a message never grows with the file (a cell can hold 32 767
    characters, a shared string any number)."""
    return visible(short(text, limit))


def quote(text: object, limit: int = QUOTE_LIMIT) -> str:
    """« text », cut by `excerpt`: how every message quotes what the user typed."""
    return f"« {excerpt(text, limit)} »"


class Problems:
    """Problems as they are found, grouped as they come in bounded memory: a list-like stand-in for `list[Problem]`
    (`append`, `extend`, iteration, `len`).

    Problems with the same code, severity, sheet, column and message are one `Problem` at their first row, with
    the next `LISTED_ROWS - 1` rows in `more_rows` and the rest counted in `unlisted`. Past `DISTINCT_MESSAGES`
    different messages for one code in one column, further ones are folded into a last problem that says so. The
    coordinatrice still sees every kind of problem at once, each with rows to look at.
    """

    def __init__(self, problems: Iterable[Problem] = (), *, listed: int = LISTED_ROWS,
                 distinct: int = DISTINCT_MESSAGES):
        self.listed = listed
        self.distinct = distinct
        # key -> [first problem, further listed rows, unlisted count]; dicts keep the order problems came in.
        self._groups: dict[tuple[object, ...], list] = {}
        self._messages: dict[tuple[object, ...], int] = {}
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        place = (problem.code, problem.severity, problem.sheet, problem.column)
        key: tuple[Any, ...] = (*place, problem.message)
        group = self._groups.get(key)
        if group is None:
            if self._messages.get(place, 0) < self.distinct:
                self._messages[place] = self._messages.get(place, 0) + 1
                first = Problem(problem.code, problem.message, problem.severity, problem.sheet, problem.row,
                                problem.column, problem.value)
            else:
                key = (*place, None)  # the one overflow group of this code and column
                group = self._groups.get(key)
                first = Problem(problem.code, "Le même problème se répète sur d'autres lignes de cette colonne, avec "
                                "d'autres valeurs : corrigez-les comme les précédentes.", problem.severity,
                                problem.sheet, problem.row, problem.column)
            if group is None:
                self._groups[key] = [first, [], 0]
                self._add_rows(self._groups[key], problem.more_rows, problem.unlisted)
                return
        self._add_rows(group, problem.rows, problem.unlisted)

    def _add_rows(self, group: list, rows: Iterable[int], unlisted: int) -> None:
        listed = group[1]
        for row in rows:
            if len(listed) + 1 < self.listed:
                listed.append(row)
            else:
                group[2] += 1
        group[2] += unlisted  # a row-less problem said again adds nothing: it is said once

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def __iter__(self) -> Iterator[Problem]:
        for first, rows, unlisted in self._groups.values():
            if rows or unlisted:
                yield Problem(first.code, first.message, first.severity, first.sheet, first.row, first.column,
                              first.value, tuple(rows), unlisted)
            else:
                yield first

    def __len__(self) -> int:
        return len(self._groups)

    def __bool__(self) -> bool:
        return bool(self._groups)


# Said by every command and page that needs the roadmap before `init` has loaded it.
NO_REFERENTIEL = "Aucun référentiel chargé : lancez d'abord « python -m lne_data init »."


class NotFound(Exception):
    """What was asked for does not exist — a fiche, a closure, a version, a porteur, the référentiel itself —, with
    a French message that says what to do: the CLI's refusal (exit status 1), the page's red box.

    Not a LookupError: `except LookupError` also catches pandas' KeyError and IndexError, and a bug of ours would
    reach the user as « refusé », without a traceback."""


class Refused(Exception):
    """A request that cannot be served as it is made (a quarter outside the roadmap, the frozen report of an open
    quarter), with its French message. Not a ValueError, for the reason NotFound is not a LookupError."""


class RejectedInput(Exception):
    """Raised when input cannot be accepted; carries every problem found, errors and warnings alike."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        first = errors[0].as_text() if errors else "données refusées"
        super().__init__(first if len(errors) <= 1 else f"{first} (et {len(errors) - 1} autre(s) erreur(s))")


def column_letter(index: int) -> str:
    """1 → A, 27 → AA: Excel's own column names, as the coordinatrice sees them.

    Not openpyxl's `get_column_letter`, which refuses anything past ZZZ (18 278) with a ValueError: a hostile
    file's reference can name any column (« AAAA1 »), and the message refusing it (xlsx `reject_too_big`) must still
    name it rather than fail."""
    if index < 1:
        raise ValueError(index)
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
