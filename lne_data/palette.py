"""The colour grammar, written here once and used by every page (lne_data.figures), the PDF and the deck
(lne_data.reports), which therefore do not import Plotly for it:
- AXE_PALETTE: the axes, and nothing else. Okabe-Ito's colours, which colour-blind readers tell apart; axe 1 is
  always blue, axe 2 orange, axe 3 green, on every chart and in every export.
- NEUTRALS (greys) with PATTERNS: everything that is not an axe — structures, roles (porteur, co-porteur,
  partenaire), kinds of amounts (ponctuel, annuel) — so that a blue bar never means « Lot Numérique » on one chart and
  axe 1 on the next. Greys differ in lightness and hatching, which survives colour blindness and grey printing.
- UNASSIGNED: one colour for « non attribué » and « non chiffré », always with the same hatching.
- PREVU, ENGAGE, PAYE: the execution's three kinds of money, three greys never shared between them.
- ATTENTION: a target or a capacity, always a dashed line with its value written; in the PDF and the deck, the
  text that calls for attention (example data, points d'attention).
"""

from __future__ import annotations

# Okabe & Ito (2008), "Color Universal Design": the axes' colours.
AXE_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Dark to light, each at least 3:1 against white where it stands alone (WCAG 1.4.11).
NEUTRALS = ["#333333", "#8C8C8C", "#5C5C5C", "#B3B3B3"]
PATTERNS = ["", "/", ".", "x", "-", "|", "+", "\\"]
UNASSIGNED = "#767676"
UNASSIGNED_PATTERN = "x"
ATTENTION = "#B00020"
NEUTRAL = UNASSIGNED
# Text on a chart (a figure, its label, a table's cell or header): never an axe's colour, and at least 4.5:1
# against white and against the pale grey of a table's alternate rows (WCAG 1.4.3; tests/test_app.py measures it).
TEXT = "#333333"
TABLE_HEADER = NEUTRALS[0]  # a table's header, its text white
TABLE_STRIPE = "#F2F2F2"


def neutral(index: int) -> tuple[str, str]:
    """The colour and hatching of the index-th structure, role or kind of amount: greys first, then hatched greys
    (a national roadmap has more structures than greys: a combination repeats rather than fails)."""
    return NEUTRALS[index % len(NEUTRALS)], PATTERNS[(index // len(NEUTRALS)) % len(PATTERNS)]


# The kinds of money planned (lne_data.rules.PLAN_KINDS), each its own grey and hatching on every chart, page, PDF
# and deck: a one-off amount and one the text gives without a period are never painted alike.
AMOUNT_KIND_STYLES = {
    "ponctuel": (NEUTRALS[0], ""),
    "non_precise": (NEUTRALS[3], "/"),
    "par_an_prevu": (NEUTRALS[2], "."),
    "par_annee": (NEUTRALS[1], "x"),
}

# Execution (sheet « Dépenses »): prévu, engagé and payé never share a colour, nor a hatching, on any chart; the planned
# figure lightest, what was paid darkest (the money went the furthest). Greys, never an axe's colour: on a chart of the
# axes, the axe is its label. (colour, hatching)
PREVU = ("#B3B3B3", "")
ENGAGE = ("#5C5C5C", "/")
PAYE = ("#333333", "")
EXECUTION = {"prevu": PREVU, "engage": ENGAGE, "paye": PAYE}
