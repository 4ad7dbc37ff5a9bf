"""Validation problems: one shape for every check, from the zip container down to a single cell.

A problem carries a stable code (tests, documentation and users' e-mails refer to it), where it is (sheet,
Excel row, column letter or name) and a French message that says what to do. Validators return *all* the
problems they find; callers decide whether errors block the write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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

    @property
    def is_error(self) -> bool:
        return self.severity == "erreur"

    def location(self) -> str:
        """Where to look, in the words of someone with the workbook open in Excel."""
        parts = []
        if self.sheet:
            parts.append(f"feuille « {self.sheet} »")
        if self.row is not None:
            parts.append(f"ligne {self.row}")
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
            "colonne": self.column,
            "message": self.message,
        }


class RejectedInput(Exception):
    """Raised when input cannot be accepted; carries every problem found, errors and warnings alike."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        first = errors[0].as_text() if errors else "données refusées"
        super().__init__(first if len(errors) <= 1 else f"{first} (et {len(errors) - 1} autre(s) erreur(s))")


def column_letter(index: int) -> str:
    """1 → A, 27 → AA: Excel's own column names, as the coordinatrice sees them."""
    if index < 1:
        raise ValueError(index)
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
