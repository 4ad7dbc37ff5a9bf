"""French number formatting, the way élus read figures: `1 234 €`, `0,25 ETP`, `12,5 %`.

A narrow no-break space (U+202F) separates thousands, as the French typographic convention wants, and a
no-break space keeps the unit on the same line as its number.
"""

from __future__ import annotations

import math
import re

THOUSANDS = "\u202f"
NBSP = "\u00a0"


def number(value: float | int | None, decimals: int = 0, *, trim: bool = True) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{decimals}f}"
    if trim and decimals and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", THOUSANDS).replace(".", ",")


def euros(value: float | int | None) -> str:
    """`2 500 €`, and `2 500,50 €` for an amount with cents: they are written to the cent, never rounded away."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    cents = round(float(value) * 100) % 100 != 0
    return f"{number(value, 2, trim=False) if cents else number(value)}{NBSP}€"


NON_DECLARE = "non déclaré"


def declared_euros(value: float | int | None) -> str:
    """An amount the porteurs declare (engagé, payé): « non déclaré » where none was (None, NaN), never « 0 € »
    nor « — »: nothing declared is not nothing spent."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NON_DECLARE
    return euros(value)


def etp(value: float | int | None) -> str:
    return "—" if value is None else f"{number(value, 2)}{NBSP}ETP"


def percent(value: float | None, decimals: int = 0) -> str:
    return "—" if value is None else f"{number(value, decimals)}{NBSP}%"


def megabytes(size: int) -> str:
    """A size in bytes as people read it in a message: `20 Mo` (mebibytes, as the file explorer shows them)."""
    return f"{number(size / (1024 * 1024))}{NBSP}Mo"


def with_unit(value: float | None, unit: str | None) -> str:
    if unit in (None, ""):
        return number(value, 2)
    if unit in ("€", "EUR"):
        return euros(value)
    if unit == "%":
        return percent(value, 1)
    return f"{number(value, 2)}{NBSP}{unit}"


def short(text: object, limit: int) -> str:
    """At most `limit` characters, cut on the last whole character with « … »: a long title, label or cell never
    pushes what follows out of sight, and a cut never goes unsaid."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# What no workbook, deck or PDF can hold: the C0 control characters but tab, line feed and carriage return, and
# U+FFFE, U+FFFF (XML 1.0 refuses them, and XLSX and PPTX are XML: openpyxl and lxml raise), and surrogates,
# which no UTF-8 file holds (an `_xD800_` escape in an uploaded workbook gives one).
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def control_mark(char: str) -> str:
    """How a character the files refuse is shown in its place: « ⟨U+000B⟩ »."""
    return f"\u27e8U+{ord(char):04X}\u27e9"


def writable(text: object) -> str:
    """`text` as a workbook, a deck or a PDF can hold it. A character they refuse (a vertical tab or a form feed
    pasted from Word) becomes its visible mark, « Lot⟨U+000B⟩Numérique »: dropped, it would change the text
    unsaid; kept, it makes the whole file fail. Each writer applies it where it writes a text."""
    text = str(text)
    return UNWRITABLE.sub(lambda found: control_mark(found.group()), text) if UNWRITABLE.search(text) else text


# A deck's document property (title, author, comments…) holds at most 255 characters: python-pptx refuses more.
# The PDFs' are cut the same way; a title bar shows no more. The whole text is in the document's body.
PROPERTY_CHARS = 255


def document_property(text: object) -> str:
    """A text fit for a document's properties: writable, cut to `PROPERTY_CHARS` with « … »."""
    return short(writable(text), PROPERTY_CHARS)


_MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!|<>:~$=")
# Streamlit's Markdown (GitHub's flavour) turns bare `http://…`, `www.…` and `nom@domaine.fr` into links even
# when every punctuation mark is escaped: it finds them in the text once parsed. An invisible word joiner after
# the scheme, after `www` and after `@` breaks those patterns and leaves the text as it looks.
WORD_JOINER = "\u2060"
_AUTOLINKS = re.compile(r"(?i)\b(?:https?|ftp|mailto|xmpp)(?=:)|\bwww(?=\.)|@")


def escape_markdown(text: object) -> str:
    """Text from the roadmap or from users, made inert inside Markdown: no link (bare addresses included), no
    HTML, no `:red[…]` colour or `:material/…:` icon directive, no emphasis; what is typed is what is shown."""
    inert = _AUTOLINKS.sub(lambda found: found.group(0) + WORD_JOINER, str(text))
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in inert)
