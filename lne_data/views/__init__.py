"""What each page shows, computed without Streamlit: one function per page, returning plain data.

Pages call exactly one of these (through the cached wrappers of `lne_data.ui`) and hand the result to
`lne_data.figures`. Filters (axe, objectif, porteur, période) narrow the set of fiches the same way on
every page. The SQL they run is in `lne_data.sql` (the référentiel's in `sql.referentiel`, the entries' in
`sql.series`).

- `base`: `Filters`, `Reference` (the référentiel as frames), `DataState`, reading a result through Arrow.
- `series`: the Indicateurs page's view (`IndicateursView`) and the `Quarter` reduced from the entries, in DuckDB.
- `entries`: where values come from, live or frozen at a clôture (`LiveEntries`, `FrozenEntries`); `indicateurs`.
- `moyens`: the Budget page (`budget`) and the Charge RH page (`charge`).
- `execution`: what the porteurs declare they engaged, paid and mobilised (`execution`), live or frozen.
- `porteurs`: the Porteurs page (`associations`).
- `fiches`: the Fiche page (`fiche`).
- `etat`: late indicators (against a target or an échéance) and the fiches « en difficulté », for the quarter shown.
- `ensemble`: the overview (`overview`, `headline`, `_key_figures`, `attention`, `reponses`, `summary`,
  `chiffres_cles`).
- `reunion`: the mode réunion (`meeting`), one screen at a time.
- `modele`: what the quarterly template reads.
- `registres`: the registers of imports, targets and closures.
- `mon_inclusion`: what the exports to Mon Inclusion Numérique read (`min_source`, `min_decisions`).
- `versions`: an earlier version of the roadmap through these read models, two versions' figures side by side.
- `donnees`: what the open-data export reads besides the référentiel (`valeurs`, every value entered).
"""

from .base import DataState, Filters, Reference, data_state, reference
from .donnees import valeurs
from .ensemble import (
    Attention,
    Headline,
    Overview,
    Reponses,
    attention,
    carte_axe_text,
    chiffres_cles,
    headline,
    headline_help,
    overview,
    reponses,
    summary,
)
from .entries import Entries, FrozenEntries, LiveEntries, entries_of, frames_cursor, indicateurs, saisis_par
from .etat import RETARD_LABELS, difficulte_titre
from .execution import ExecutionView, etp_prevus_mobilises, execution, prevu_engage_paye
from .fiches import FicheView, Portage, fiche
from .modele import (
    feuille_de_route_table,
    fiches_table,
    indicateurs_table,
    latest_values,
    porteurs_table,
)
from .mon_inclusion import Confirmation, Identifiant, MinDecisions, MinSource, min_decisions, min_source
from .moyens import BudgetView, ChargeView, EtpParStructure, budget, charge
from .porteurs import AssociationsView, associations
from .registres import CiblesView, CloturesView, ImportsView
from .reunion import MEETING_COLUMNS, MeetingView, meeting, meeting_lines
from .series import IndicateursView
from .versions import compare_figures, version_reference, version_summary

__all__ = [
    "MEETING_COLUMNS", "AssociationsView", "Attention", "BudgetView", "ChargeView", "CiblesView", "CloturesView",
    "DataState", "Entries", "EtpParStructure", "ExecutionView", "FicheView", "Filters", "FrozenEntries", "Headline",
    "ImportsView",
    "IndicateursView", "LiveEntries", "MeetingView", "Overview", "Portage", "Reference", "Reponses", "associations",
    "attention", "budget", "carte_axe_text", "charge", "compare_figures", "chiffres_cles",
    "data_state", "entries_of", "etp_prevus_mobilises", "execution", "prevu_engage_paye", "feuille_de_route_table",
    "fiche", "fiches_table", "frames_cursor", "headline",
    "headline_help", "indicateurs", "indicateurs_table", "latest_values", "meeting", "meeting_lines", "overview",
    "porteurs_table", "reference", "reponses", "saisis_par", "summary", "version_reference", "version_summary",
    "RETARD_LABELS", "difficulte_titre", "valeurs",
    "Confirmation", "Identifiant", "MinDecisions", "MinSource", "min_decisions", "min_source",
]
