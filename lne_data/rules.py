"""The roadmap's rules, written once: what counts as ETP and as cash, how periods are said, when an amount is
« non chiffré », how an indicator's value is written.

Every read model, page, export and command goes through these definitions. When two screens could disagree,
it is because one of them wrote its own version of a rule here: don't.
"""

from __future__ import annotations

import math
from typing import Any

from . import formatting

# --------------------------------------------------------------------------------------------------
# Indicators: how a value is written, by kind
# --------------------------------------------------------------------------------------------------

# A deliverable is entered as its state; the number stored is its progress, so that it can be charted.
LIVRABLE = {"non commencé": 0.0, "en cours": 0.5, "réalisé": 1.0}
LIVRABLE_WORDS = {value: word for word, value in LIVRABLE.items()}


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value)) or str(value) in ("nan", "NaT", "<NA>")
    except (TypeError, ValueError):
        return False


def valeur_indicateur(type_: str, unite: str | None, valeur: Any, texte: Any = None) -> str:
    """An indicator's value as élus read it: `4 médiateurs`, `85 %`, `en cours`, or the sentence typed.

    A `livrable` is its state in words (0,5 is « en cours »), a `ratio` in % is the percentage, a `qualitatif` is
    its text; a missing value is « — ».
    """
    if type_ == "qualitatif":
        return "—" if _missing(texte) or not str(texte).strip() else str(texte)
    if type_ == "livrable":
        if not _missing(texte) and str(texte).strip():
            return str(texte)
        if _missing(valeur):
            return "—"
        return LIVRABLE_WORDS.get(float(valeur), formatting.number(float(valeur), 2))
    if _missing(valeur):
        return "—" if _missing(texte) or not str(texte).strip() else str(texte)
    unit = None if _missing(unite) or not str(unite).strip() else str(unite)
    return formatting.with_unit(float(valeur), unit)



def ecart_indicateur(type_: str, unite: str | None, ecart: Any) -> str:
    """How far an indicator stands from its target, signed: `+3 foyers`, `−12,5 points` for a ratio in %.

    Only counts and ratios have a distance to their target; a deliverable's state or a text has none (« — »).
    """
    if type_ not in ("nombre", "ratio") or _missing(ecart):
        return "—"
    value = float(ecart)
    sign = "+" if value > 0 else "−" if value < 0 else ""
    unit = None if _missing(unite) or not str(unite).strip() else str(unite)
    if unit == "%":  # a difference of percentages is counted in points, not in %
        return f"{sign}{formatting.number(abs(value), 1)}{formatting.NBSP}point{'s' if abs(value) >= 2 else ''}"
    return sign + formatting.with_unit(abs(value), unit)


# --------------------------------------------------------------------------------------------------
# Staffing: a capacity typed on the Charge RH page
# --------------------------------------------------------------------------------------------------

# A capacity this many times the commitments is questioned, never taken as is: « 2,5 » typed in a field that
# ignores the comma becomes 25, and « les engagements tiennent » would then be said on a number nobody meant.
CAPACITE_FACTEUR_DOUTEUX = 5


def capacite_douteuse(capacite: float, engagements: float) -> bool:
    """Whether a capacity (ETP) is implausibly large against the commitments it is compared with."""
    return engagements > 0 and capacite >= CAPACITE_FACTEUR_DOUTEUX * engagements


def capacite_sans_virgule(capacite: float, engagements: float) -> float | None:
    """The capacity that was probably meant if a decimal separator was lost (25 for 2,5; 250 for 2,50), or None
    when dividing by ten does not give a plausible one."""
    meant = capacite
    while capacite_douteuse(meant, engagements):
        meant /= 10
    if meant == capacite or meant < engagements / CAPACITE_FACTEUR_DOUTEUX:
        return None
    return round(meant, 4)
