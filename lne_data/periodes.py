"""Quarters as the roadmap counts them: `2025-T3` in files and URLs, « T3 2025 » on screen."""

from __future__ import annotations

import os
import re
from datetime import date

from .problems import quote

# « Today » pinned (AAAA-MM-JJ): the tests, a demonstration or a rehearsal of a past comité see the dashboard as on
# that day. Only the calendar's questions read it (current and last complete quarter, a future quarter refused, the
# examples' quarters, a form's default date); the times records are stamped with (an import's importe_le…) stay real.
ENV_AUJOURDHUI = "LNE_AUJOURDHUI"


class InvalidToday(ValueError):
    """LNE_AUJOURDHUI is set to something that is not a day: its French message names the variable, the value and
    the form expected. The command line says it and stops (exit status 2), the dashboard shows it on every page."""


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def today() -> date:
    """The one answer to « what day is it » for the app, the CLI and the examples: LNE_AUJOURDHUI, or the real date.

    Only AAAA-MM-JJ is read: `date.fromisoformat` would also take 20261128 or 2026-W48-6, which nobody means."""
    pinned = os.environ.get(ENV_AUJOURDHUI, "").strip()
    if not pinned:
        return date.today()
    if _DAY.fullmatch(pinned):
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise InvalidToday(f"La variable d'environnement {ENV_AUJOURDHUI} vaut {quote(pinned)}, un jour qui "
                               "n'existe pas dans le calendrier : donnez une date réelle sous la forme AAAA-MM-JJ "
                               "(par exemple 2026-11-28), ou retirez la variable pour prendre la date du jour.") \
                from None
    raise InvalidToday(f"La variable d'environnement {ENV_AUJOURDHUI} vaut {quote(pinned)}, qui n'est pas une date "
                       "sous la forme AAAA-MM-JJ : écrivez par exemple 2026-11-28, ou retirez la variable pour "
                       "prendre la date du jour.")


_FORMS = (
    re.compile(r"^(?P<annee>\d{4})\s*[-_/ ]?\s*T(?P<t>[1-4])$", re.IGNORECASE),
    re.compile(r"^T(?P<t>[1-4])\s*[-_/ ]?\s*(?P<annee>\d{4})$", re.IGNORECASE),
)


def parse(text: str) -> str | None:
    """`2025-T3`, `2025 t3`, `T3 2025` → `2025-T3`; None for anything else."""
    cleaned = " ".join(str(text).split())
    for form in _FORMS:
        match = form.match(cleaned)
        if match:
            return f"{match['annee']}-T{match['t']}"
    return None


def annee(periode: str) -> int:
    return int(periode[:4])


def trimestre(periode: str) -> int:
    return int(periode[-1])


def label(periode: str) -> str:
    """« T3 2025 », as élus read it."""
    return f"T{trimestre(periode)} {annee(periode)}"


def start(periode: str) -> date:
    return date(annee(periode), 3 * (trimestre(periode) - 1) + 1, 1)


def of_date(day: date) -> str:
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"


def previous(periode: str) -> str:
    year, quarter = annee(periode), trimestre(periode)
    return f"{year - 1}-T4" if quarter == 1 else f"{year}-T{quarter - 1}"


def all_between(first_year: int, last_year: int) -> list[str]:
    return [f"{year}-T{quarter}" for year in range(first_year, last_year + 1) for quarter in range(1, 5)]


def last_complete(day: date) -> str:
    """The last quarter over on `day`: the one a comité meeting that day presents (on 2 December 2026, T3 2026)."""
    return previous(of_date(day))
