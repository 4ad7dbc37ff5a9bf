"""From raw cells to typed records, for any sheet with a header row.

Both workbooks (the référentiel and the quarterly entries) go through here, so that a header is found the
same way, a French number is understood the same way and a bad cell is reported the same way everywhere.
Raw cells come from `lne_data.xlsx`, which keeps Excel's own types: this is where `N/A`, `TRUE` or `#DIV/0!`
are told apart from numbers, instead of being silently coerced by a DataFrame reader.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any, Literal

from .formatting import UNWRITABLE, writable
from .problems import QUOTE_LIMIT, Problem, Problems, column_letter, excerpt, quote
from .xlsx import Cell, Workbook

# "brut" hands the Cell itself to the caller, for columns whose type depends on another column.
ColumnKind = Literal["texte", "entier", "nombre", "booleen", "date", "brut"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind = "texte"
    required: bool = True  # the column must be present in the header
    mandatory: bool = False  # every row must give a value
    choices: tuple[str, ...] | None = None
    example: str = ""


def normalise_header(text: str) -> str:
    """`Période ` and `periode` are the same column: case, accents and spaces do not matter."""
    folded = unicodedata.normalize("NFKD", text.strip().lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", "_", folded)


def normalise_choice(text: str) -> str:
    """« Réalisé », « réalisé  » and a Mac's decomposed « réalisé » (NFD) are the same choice."""
    return " ".join(unicodedata.normalize("NFC", text).strip().lower().split())


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


# « 1.234 »: a French thousands separator (1 234) or an English decimal point (1,234)? Nothing tells them apart.
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")


def ambiguous_number(text: str) -> str | None:
    """The number of a text such as « 1.234 » or « 12.500 € », which reads as two numbers a thousand times
    apart; None for any other text."""
    raw = text.strip().removesuffix("%").strip().removesuffix("€").removesuffix("EUR").strip()
    return raw if _AMBIGUOUS.fullmatch(raw) else None


def percent_shown(fraction: float) -> float:
    """The number a percent-formatted cell shows: 0.45 → 45, computed on the decimal digits (0.45 * 100 is
    45.00000000000001 in binary floating point, which is not what anyone typed)."""
    return float(Decimal(repr(fraction)).scaleb(2))


def shown_number(value: float) -> str:
    """A number as a French user writes it: 2,5 rather than 2.5, 45 rather than 45.0."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value).replace(".", ",")


def parse_number(text: str) -> tuple[float | None, bool]:
    """Read a number as a French user types it: `1 234,5`, `12 %`, `1 200 €`, `0.25`.

    Returns (value, is_percent). None when the text is not a finite number: `N/A`, `inf`, `nan`, `1e400`
    and `VRAI` are not numbers, whatever a permissive parser would make of them.
    """
    raw = text.strip()
    percent = raw.endswith("%")
    if percent:
        raw = raw[:-1]
    raw = raw.strip().removesuffix("€").removesuffix("EUR").strip()
    raw = _SPACES.sub("", raw)
    if not _NUMBER.match(raw):
        return None, percent
    if "," in raw and "." in raw:
        return None, percent
    value = float(raw.replace(",", "."))
    if not math.isfinite(value):
        return None, percent
    return value, percent


def parse_field_number(text: str, unit: str | None = None) -> float | None:
    """A number typed in a form field, read as `parse_number` reads a cell: `2,5`, `2.5`, `1 234,5`, and `2,5 ETP`
    when the field's `unit` is ETP. None when it is not a number, or carries another unit (`2,5 %`, `2 500 €`):
    a form asks for one quantity, and a percentage or an amount typed there is a mistake to point out, not to read.
    """
    raw = unicodedata.normalize("NFC", text).strip()
    if unit and raw.casefold().endswith(unit.casefold()):
        raw = raw[: -len(unit)].strip()
    if raw.endswith(("%", "€")) or raw.upper().endswith("EUR"):
        return None
    return parse_number(raw)[0]


RECALCULER = (
    "Cette cellule contient une formule, et le classeur demande que ses formules soient recalculées à "
    "l'ouverture (il a été produit par un programme, pas enregistré par un tableur) : le résultat qu'il contient "
    "n'est peut-être pas celui que vous voyez. Ouvrez le fichier dans Excel, enregistrez-le, puis renvoyez-le "
    "(dans LibreOffice, faites d'abord Données > Calculer > Recalcul inconditionnel, Ctrl+Maj+F9 : il ne "
    "recalcule pas seul ces fichiers) ; ou remplacez la formule par sa valeur (Copier, puis Collage spécial > "
    "Valeurs)."
)


# The characters of `formatting.UNWRITABLE` people paste, by name; the others are « caractère de contrôle ».
_CONTROL_NAMES = {"\x0b": "tabulation verticale, le saut de ligne de Word", "\x0c": "saut de page",
                  "\x00": "caractère nul"}


def unwritable_problem(text: str, *, prefix: str, sheet: str, row: int, letter: str) -> Problem:
    """A text cell holding a character no workbook, deck or PDF can hold (`formatting.UNWRITABLE`), pasted from
    Word or another program: refused, never stored. Stored as it is, every file the dashboard writes would show a
    mark where the person sees nothing; dropped, the text would be changed unsaid. The message quotes the cell
    from just before the first one, which shows as its mark « ⟨U+000B⟩ »."""
    found = UNWRITABLE.search(text)
    assert found is not None
    start = max(0, found.start() - QUOTE_LIMIT // 3)
    shown = writable(("…" if start else "") + text[start:])
    kinds = sorted(set(UNWRITABLE.findall(text)))
    named = " ; ".join(f"U+{ord(char):04X}" + (f" : {_CONTROL_NAMES[char]}" if char in _CONTROL_NAMES else "")
                       for char in kinds[:3]) + (" ; …" if len(kinds) > 3 else "")
    return Problem(
        f"{prefix}-caractere-de-controle",
        f"Cette cellule contient un caractère invisible ({named}), souvent collé depuis Word ou un courriel, que ni "
        "les classeurs, ni les PDF, ni les présentations du tableau de bord ne peuvent contenir. Il apparaît ici "
        f"comme {writable(found.group())} : {quote(shown)}. Retapez le texte de la cellule à cet endroit (pour aller "
        "à la ligne dans une cellule : Alt+Entrée), puis déposez le fichier à nouveau.",
        sheet=sheet, row=row, column=letter, value=excerpt(shown),
    )


CONVERTED_CACHE = 4096
# A cell's content without its place: what `convert` depends on. Every field but `row` and `col`, read from the
# dataclass, so that a field added to `Cell` (a number format…) is part of the key without anyone remembering.
cell_content = attrgetter(*(f.name for f in fields(Cell) if f.name not in ("row", "col")))


@dataclass
class Table:
    sheet: str
    records: list[dict[str, Any]]  # each with "_row": the Excel row number
    columns: dict[str, str]  # column name -> Excel column letter, for messages


def cell_text(cell: Cell) -> str | None:
    """A cell's content as the user sees it, for messages and text columns."""
    if cell.value is None or cell.kind == "vide":
        return None
    if cell.kind == "nombre" and isinstance(cell.value, float) and cell.value.is_integer():
        return str(int(cell.value))
    if cell.kind == "pourcentage" and isinstance(cell.value, float):
        return f"{shown_number(percent_shown(cell.value))} %"
    if cell.kind == "booleen":
        return "VRAI" if cell.value else "FAUX"
    text = str(cell.value).strip()
    return text or None


def _find_sheet(workbook: Workbook, sheet: str, prefix: str, problems: Problems) -> str | None:
    """The real name of `sheet` as a person reads tab names, or None (with the problem) when it is not there once."""
    matches = workbook.find(sheet)
    if len(matches) > 1:
        problems.append(
            Problem(
                f"{prefix}-feuille-ambigue",
                f"Plusieurs feuilles portent le nom {quote(sheet)} à la casse ou aux espaces près ("
                + ", ".join(quote(name) for name in matches)
                + ") : on ne peut pas savoir laquelle lire. Gardez-en une seule (clic droit sur l'onglet > "
                "Supprimer, ou Renommer).",
                sheet=sheet,
            )
        )
        return None
    if not matches:
        others = ", ".join(quote(name) for name in workbook.sheet_names) or "aucune"
        problems.append(
            Problem(
                f"{prefix}-feuille-manquante",
                f"La feuille « {sheet} » est introuvable (feuilles présentes : {others}). Renommez la feuille "
                f"de données en « {sheet} » ou repartez du modèle.",
                sheet=sheet,
            )
        )
        return None
    sheet = matches[0]
    if sheet in workbook.hidden:
        problems.append(
            Problem(
                f"{prefix}-feuille-masquee",
                f"La feuille « {sheet} » est masquée dans ce classeur : c'est pourtant elle qui est lue. Vérifiez "
                "qu'elle contient bien les données à déposer (clic droit sur un onglet > Afficher) ; si vous avez "
                f"travaillé dans une copie, renommez la copie en « {sheet} » et supprimez l'ancienne.",
                severity="avertissement",
                sheet=sheet,
            )
        )
    return sheet


def _header(rows: Sequence[Sequence[Cell]], columns: Sequence[Column], sheet: str, prefix: str,
            problems: Problems) -> dict[str, int] | None:
    """Each column's position (by its heading in the first row, as a person reads it), or None when the sheet is
    empty or a required one is missing."""
    if not rows:
        problems.append(
            Problem(
                f"{prefix}-feuille-vide",
                f"La feuille « {sheet} » est vide : la ligne 1 doit porter les en-têtes "
                f"({', '.join(c.name for c in columns)}).",
                sheet=sheet,
                row=1,
            )
        )
        return None
    header_row = rows[0]
    wanted = {normalise_header(c.name): c for c in columns}
    found: dict[str, int] = {}
    for header_cell in header_row:
        text = cell_text(header_cell)
        if text is None:
            continue
        heading = normalise_header(text)
        if heading in wanted:
            name = wanted[heading].name
            if name in found:
                problems.append(
                    Problem(
                        f"{prefix}-colonne-en-double",
                        f"La colonne « {name} » apparaît deux fois dans l'en-tête : supprimez l'une des deux.",
                        sheet=sheet,
                        row=header_cell.row,
                        column=column_letter(header_cell.col),
                    )
                )
            else:
                found[name] = header_cell.col
    header_line = header_row[0].row if header_row else 1
    for column in columns:
        if column.required and column.name not in found:
            problems.append(
                Problem(
                    f"{prefix}-colonne-manquante",
                    f"La colonne « {column.name} » manque dans l'en-tête de la feuille « {sheet} » (ligne "
                    f"{header_line}). Ajoutez-la"
                    + (f" (exemple de valeur : {column.example})" if column.example else "")
                    + ".",
                    sheet=sheet,
                    row=header_line,
                    column=column.name,
                )
            )
    if any(p.code == f"{prefix}-colonne-manquante" for p in problems):
        return None
    return found


def read_table(
    workbook: Workbook,
    sheet: str,
    columns: Sequence[Column],
    *,
    prefix: str,
) -> tuple[Table | None, list[Problem]]:
    """Read `sheet` as a table of `columns`. Returns every problem found, and the rows that were readable.

    `prefix` makes the codes specific to the workbook (`referentiel-…`, `saisie-…`), so that a code alone
    says which file is concerned. The sheet is found as a person reads tab names (« SAISIE », « Saisie␣ »), and
    `Table.sheet` is its real name, which every problem then names.
    """
    # Grouped as found: a bad value filled down 100 000 rows is one problem listing its rows, not 100 000.
    problems = Problems()
    real_sheet = _find_sheet(workbook, sheet, prefix, problems)
    if real_sheet is None:
        return None, list(problems)
    sheet = real_sheet
    rows = workbook.rows(sheet)
    found = _header(rows, columns, sheet, prefix, problems)
    if found is None:
        return None, list(problems)
    letters = {name: column_letter(col) for name, col in found.items()}
    by_col = {col: next(c for c in columns if c.name == name) for name, col in found.items()}
    # Worked out once per sheet, not once per cell: a national quarterly file has 100 000 rows.
    plan = [(col, column, column.name, letters[column.name], column.kind, column.kind == "texte"
             and column.choices is None) for col, column in by_col.items()]
    absent = [column.name for column in columns if column.name not in found]
    mandatory = [column for column in columns if column.mandatory]
    # Each distinct content of a column is converted once: a value filled down 100 000 rows (a 50 000-character
    # text pasted once) costs one parse, then a look-up per row. Bounded, for a file of all-different values.
    converted: dict[tuple[Any, ...], tuple[Any, Problem | None]] = {}
    # The same for the search of a character no file can hold, which reads a whole text: a 50 000-character text
    # filled down 5 000 rows was searched 5 000 times (6 s of the server's time for one check).
    unwritable: dict[str, bool] = {}
    records: list[dict[str, Any]] = []
    for row in rows[1:]:
        record, row_problems = _read_row(row, plan, converted, unwritable, sheet=sheet, prefix=prefix)
        if record is None:
            continue  # a row of empty cells (formatting only) is not a record
        for name in absent:
            record[name] = None
        row_problems += _missing_mandatory(record, mandatory, letters, row_problems, sheet=sheet, prefix=prefix)
        problems.extend(row_problems)
        records.append(record)
    problems.extend(_masked_problems(workbook, sheet, records, found, prefix))
    return Table(sheet, records, letters), list(problems)


# The parser's cell loop: the one place where 100 000 rows × every column pass, so each cell of the common kinds is
# settled inline, without a call per cell.
def _read_row(row: Sequence[Cell], plan: Sequence[tuple[int, Column, str, str, str, bool]],
              converted: dict[tuple[Any, ...], tuple[Any, Problem | None]], unwritable: dict[str, bool], *,
              sheet: str, prefix: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """One row's record by column name, and its cells' problems; no record for a row without any value."""
    cells = {cell.col: cell for cell in row}
    record: dict[str, Any] = {"_row": row[0].row if row else None}
    has_value = False
    row_problems: list[Problem] = []
    for col, column, name, letter, kind, plain_text in plan:
        cell = cells.get(col)
        if cell is None:
            record[name] = None
            continue
        # The cells a quarterly file is made of take a shortcut that gives exactly what `convert` and
        # `cell_text` give: a text in a free-text column, a whole number in an `entier` column, a raw cell.
        content = cell.value
        if cell.kind == "texte" and type(content) is str:
            holds = unwritable.get(content)
            if holds is None:
                holds = UNWRITABLE.search(content) is not None
                if len(unwritable) < CONVERTED_CACHE:
                    unwritable[content] = holds
            if holds:
                row_problems.append(unwritable_problem(content, prefix=prefix, sheet=sheet, row=cell.row,
                                                       letter=letter))
            text = content.strip() or None
            if plain_text:
                record[name] = text
                if text is not None:
                    has_value = True
                continue
        elif cell.kind == "nombre" and type(content) is float and content.is_integer():
            text = str(int(content))
            if kind == "entier":
                record[name] = int(content)
                has_value = True
                continue
        else:
            text = cell_text(cell)
        if text is not None:
            has_value = True
        if kind == "brut":
            # A text cell without text (spaces only) is an empty cell, not a value to check; a formula or an
            # error without text is still a value.
            record[name] = cell if text is not None or cell.kind not in ("vide", "texte") else None
            continue
        value, problem = _converted(converted, cell, col, column, sheet=sheet, prefix=prefix, letter=letter)
        if problem:
            row_problems.append(problem)
        record[name] = value
    return (record if has_value else None), row_problems


def _converted(converted: dict[tuple[Any, ...], tuple[Any, Problem | None]], cell: Cell, col: int, column: Column,
               *, sheet: str, prefix: str, letter: str) -> tuple[Any, Problem | None]:
    """`convert`, once per distinct content of a column (up to CONVERTED_CACHE of them), its problem said again at
    each cell's row."""
    key = (col, *cell_content(cell))
    known = converted.get(key)
    if known is None:
        known = convert(cell, column, sheet=sheet, prefix=prefix, letter=letter)
        if len(converted) < CONVERTED_CACHE:
            converted[key] = known
        return known
    value, problem = known
    if problem is not None:  # the same problem, at this cell's row
        problem = Problem(problem.code, problem.message, problem.severity, problem.sheet, cell.row,
                          problem.column, problem.value)
    return value, problem


def _missing_mandatory(record: dict[str, Any], mandatory: list[Column], letters: dict[str, str],
                       row_problems: list[Problem], *, sheet: str, prefix: str) -> list[Problem]:
    """A mandatory column left empty in a record, unless its cell already has a problem of its own."""
    return [
        Problem(
            f"{prefix}-valeur-obligatoire",
            f"La colonne « {column.name} » doit être remplie"
            + (f" (exemple : {column.example})" if column.example else "")
            + ".",
            sheet=sheet,
            row=record["_row"],
            column=letters.get(column.name, column.name),
        )
        for column in mandatory
        if record[column.name] is None and not any(p.column == letters.get(column.name) for p in row_problems)
    ]


def _listed(numbers: list[int], noun: str, limit: int = 10) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    more = f"… ({len(numbers)} {noun}s en tout)" if len(numbers) > limit else ""
    return shown + more


def _masked_problems(workbook: Workbook, sheet: str, records: list[dict[str, Any]], found: dict[str, int],
                     prefix: str) -> list[Problem]:
    """Warnings for values the sender could not see: rows and columns hidden in Excel, by hand or by a filter.

    They are read like the others (refusing them would lose what a filter merely set aside), but the person
    who checks the preview must know they are there.
    """
    problems = []
    hidden_rows = workbook.hidden_rows(sheet)
    if hidden_rows:
        masked = set(hidden_rows)
        rows = [record["_row"] for record in records if record["_row"] in masked]
        if rows:
            problems.append(Problem(
                f"{prefix}-ligne-masquee",
                (f"La ligne {rows[0]} de la feuille « {sheet} » est masquée" if len(rows) == 1 else
                 f"Les lignes {_listed(rows, 'ligne')} de la feuille « {sheet} » sont masquées")
                + " dans le classeur (à la main ou par un filtre), et pourtant lue"
                + ("" if len(rows) == 1 else "s") + " et importée" + ("" if len(rows) == 1 else "s")
                + " comme les autres. Affichez toutes les lignes (Données > Effacer le filtre, ou sélectionnez la "
                "feuille puis clic droit > Afficher), vérifiez-en le contenu et supprimez les lignes "
                "à ne pas importer.",
                severity="avertissement", sheet=sheet, row=rows[0],
            ))
    hidden_columns = set(workbook.hidden_columns(sheet))
    if hidden_columns:
        for name, col in sorted(found.items(), key=lambda item: item[1]):
            if col in hidden_columns and any(record.get(name) is not None for record in records):
                problems.append(Problem(
                    f"{prefix}-colonne-masquee",
                    f"La colonne {column_letter(col)} (« {name} ») de la feuille « {sheet} » est masquée dans le "
                    "classeur : elle est pourtant lue et importée. Affichez-la (sélectionnez les colonnes "
                    "voisines, clic droit > Afficher) et vérifiez ses valeurs avant d'importer.",
                    severity="avertissement", sheet=sheet, row=1, column=column_letter(col),
                ))
    return problems


def convert(
    cell: Cell | None, column: Column, *, sheet: str, prefix: str, letter: str
) -> tuple[Any, Problem | None]:
    """One cell to the column's type; a Problem that says what was found and what is expected."""
    if cell is None:
        return None, None
    if column.kind == "brut":
        return (cell if cell_text(cell) is not None or cell.kind != "vide" else None), None

    def bad(code: str, message: str) -> tuple[None, Problem]:
        return None, Problem(
            f"{prefix}-{code}", message, sheet=sheet, row=cell.row, column=letter, value=cell_text(cell)
        )

    if cell.kind == "formule-sans-valeur":
        return bad(
            "formule-sans-valeur",
            "Cette cellule contient une formule dont le résultat n'est pas enregistré dans le fichier. "
            "Ouvrez le fichier dans Excel ou LibreOffice et enregistrez-le, ou remplacez la formule par sa valeur.",
        )
    if cell.kind == "formule-a-recalculer":
        return bad("formule-a-recalculer", RECALCULER)
    if cell.kind == "erreur":
        return bad(
            "erreur-excel",
            f"La cellule contient l'erreur Excel {cell.value} : corrigez la formule ou saisissez la valeur.",
        )
    text = cell_text(cell)
    if text is None:
        return None, None
    by_kind = {"texte": _texte, "booleen": _booleen, "nombre": _nombre, "entier": _nombre, "date": _date}
    if column.kind not in by_kind:
        raise AssertionError(column.kind)
    return by_kind[column.kind](cell, column, text, bad)


# What `convert` gives, and how it says a cell is refused.
_Converted = tuple[Any, Problem | None]
_Bad = Callable[[str, str], tuple[None, Problem]]


def _texte(cell: Cell, column: Column, text: str, bad: _Bad) -> _Converted:
    if column.choices is not None:
        allowed = {normalise_choice(c): c for c in column.choices}
        key = normalise_choice(text)
        if key not in allowed:
            return bad(
                "valeur-non-autorisee",
                f"{quote(text)} n'est pas une valeur possible pour « {column.name} ». Valeurs possibles : "
                + ", ".join(column.choices)
                + ".",
            )
        return allowed[key], None
    return text, None


def _booleen(cell: Cell, column: Column, text: str, bad: _Bad) -> _Converted:
    if cell.kind == "booleen":
        return bool(cell.value), None
    key = normalise_choice(text)
    if key in ("oui", "o", "vrai", "1"):
        return True, None
    if key in ("non", "n", "faux", "0"):
        return False, None
    return bad("oui-non-attendu", f"{quote(text)} : écrivez « oui » ou « non » dans « {column.name} ».")


def _nombre(cell: Cell, column: Column, text: str, bad: _Bad) -> _Converted:
    value = number_of(cell)
    if value is None:
        return bad(
            "nombre-invalide",
            f"{quote(text)} n'est pas un nombre. Saisissez un nombre dans « {column.name} » (par exemple "
            f"{column.example or '1 234,5'}).",
        )
    if column.kind == "entier":
        if not value.is_integer():
            return bad("entier-attendu", f"{quote(text)} : un nombre entier est attendu dans « {column.name} ».")
        return int(value), None
    return value, None


def _date(cell: Cell, column: Column, text: str, bad: _Bad) -> _Converted:
    if cell.kind == "date":
        if "-" in str(cell.value):  # the reader gives a bare time (08:30:00) for values under one day
            return datetime.fromisoformat(str(cell.value)).date(), None
        return bad("date-invalide", f"{quote(text)} est une heure, pas une date : écrivez la date JJ/MM/AAAA.")
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1])), None
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3])), None
    except ValueError:
        pass
    return bad("date-invalide",
               f"{quote(text)} n'est pas une date : écrivez-la JJ/MM/AAAA (par exemple 21/10/2024).")


def number_of(cell: Cell) -> float | None:
    """The number a cell holds, or None. Booleans and errors are never numbers."""
    return number_shown(cell)[0]


def number_shown(cell: Cell) -> tuple[float | None, bool]:
    """(the number a cell shows, whether it is shown as a percentage), the number None when there is none.

    A percentage is the number written before the % sign, whether typed as text (« 12 % ») or held by a
    percent-formatted cell (0.12 shown « 12 % »): the same 12 either way, as the person saw it.
    """
    if cell.kind == "nombre" and isinstance(cell.value, float):
        return (cell.value if math.isfinite(cell.value) else None), False
    if cell.kind == "pourcentage" and isinstance(cell.value, float):
        return (percent_shown(cell.value) if math.isfinite(cell.value) else None), True
    if cell.kind == "texte" and isinstance(cell.value, str):
        return parse_number(cell.value)
    return None, False
