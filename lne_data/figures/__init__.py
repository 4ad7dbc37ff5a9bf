"""Plotly figures, built with graph_objects (plotly.express costs several times more per rerun).

- `grammar`: the colour grammar of `lne_data.palette` as Plotly draws it, the layout, the cache of figures by
  content, the empty chart, and each chart's text alternative (`summary`);
- `charts`: the pages' charts (Budget, Charge RH, Indicateurs, Porteurs);
- `meeting`: Mode réunion's figures, one per projected screen.
"""

from ..palette import ATTENTION, AXE_PALETTE, NEUTRAL, NEUTRALS, PATTERNS, UNASSIGNED, UNASSIGNED_PATTERN, neutral
from .charts import (
    FICHE_ROW_PX,
    LIENS_ROW_PX,
    LIENS_ROWS,
    budget_par_axe,
    budget_par_fiche,
    budget_par_objectif,
    budget_sunburst,
    charge_coordinatrice,
    completude,
    etp_par_fiche,
    etp_par_structure,
    indicateur,
    liens,
    partenaires,
    porteurs,
)
from .grammar import FONT, MODEBAR_BUTTONS, axe_colours, empty, summary
from .meeting import (
    MEETING_HEIGHT,
    MEETING_TEXT,
    MEETING_TITLE,
    MEETING_TOP_STRUCTURES,
    meeting_budget,
    meeting_chiffres,
    meeting_completude,
    meeting_etp,
    meeting_fiches,
    meeting_liste,
)

__all__ = [
    "ATTENTION", "AXE_PALETTE", "FICHE_ROW_PX", "FONT", "LIENS_ROWS", "LIENS_ROW_PX", "MEETING_HEIGHT", "MEETING_TEXT",
    "MEETING_TITLE", "MEETING_TOP_STRUCTURES", "MODEBAR_BUTTONS", "NEUTRAL", "NEUTRALS", "PATTERNS",
    "UNASSIGNED", "UNASSIGNED_PATTERN", "axe_colours", "budget_par_axe", "budget_par_fiche", "budget_par_objectif",
    "budget_sunburst", "charge_coordinatrice", "completude", "empty", "etp_par_fiche", "etp_par_structure",
    "indicateur", "liens", "meeting_budget", "meeting_chiffres", "meeting_completude", "meeting_etp",
    "meeting_fiches", "meeting_liste", "neutral", "partenaires", "porteurs", "summary",
]
