"""Plotly figures, built with graph_objects (plotly.express costs several times more per rerun).

- `grammar`: the colour grammar of `lne_data.palette` as Plotly draws it, the layout, the cache of figures by
  content, the empty chart, and each chart's text alternative (`summary`);
- `charts`: the pages' charts (Budget, Charge RH, Indicateurs, Porteurs);
- `meeting`: Mode réunion's figures, one per projected screen.
"""

from ..palette import AXE_PALETTE, UNASSIGNED
from .charts import (
    FICHE_ROW_PX,
    budget_par_annee,
    budget_par_axe,
    budget_par_fiche,
    budget_par_objectif,
    charge_coordinatrice,
    completude,
    etp_par_fiche,
    etp_par_structure,
    indicateur,
    liens,
    partenaires,
    porteurs,
)
from .grammar import axe_colours, summary
from .meeting import (
    meeting_budget,
    meeting_chiffres,
    meeting_completude,
    meeting_etp,
    meeting_execution,
    meeting_fiches,
    meeting_liste,
    meeting_liste_height,
)

__all__ = [
    "AXE_PALETTE", "FICHE_ROW_PX", "UNASSIGNED", "axe_colours", "budget_par_annee", "budget_par_axe",
    "budget_par_fiche", "budget_par_objectif", "charge_coordinatrice", "completude", "etp_par_fiche",
    "etp_par_structure", "indicateur", "liens", "meeting_budget", "meeting_chiffres", "meeting_completude",
    "meeting_etp", "meeting_execution", "meeting_fiches", "meeting_liste",
    "meeting_liste_height", "partenaires", "porteurs", "summary",
]
