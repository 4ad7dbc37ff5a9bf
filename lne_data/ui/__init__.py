"""The Streamlit side of the dashboard, the only package of `lne_data` that imports Streamlit. Pages import this
(`ui.setup`, `ui.overview`, `ui.chart`…) and `lne_data.figures`, nothing else of the package's internals; everything
that is not Streamlit-specific lives in the rest of the package and is tested without Streamlit.

- `frame`: page config, the sign-in gate, the menu, filters in the URL and their widgets, the mode réunion's frame.
- `auth`: the role of this browser session, the sign-in form and its throttle, signing out.
- `data`: the one cached connection, startup checks, shared snapshots, warm-up, the cached data calls, downloads.
- `widgets`: charts, tables and downloads in French, the decimal field, escaped text, numbers and dates.
- `execution`: the execution's sections of the Budget and Charge RH pages (sheet « Dépenses »).
- `actions`: the writes (role checked right before), and the messages after one.
- `mon_inclusion`: Mon Inclusion Numérique's section of the Exports page (`min_section`) and its files.
"""

from ..problems import RejectedInput
from .actions import (
    CLOSURE_MESSAGE,
    VERSION_MESSAGE,
    WRITE_MESSAGE,
    NotAllowed,
    apply_referentiel,
    as_seen,
    author_field,
    author_name,
    check_referentiel,
    check_upload,
    close_quarter,
    flash,
    import_checked,
    referentiel_warnings,
    refused,
    set_target,
    show_refusal,
    undo,
    undo_target,
    undo_version,
    upload_key,
)
from .auth import is_coordinator, role, sign_in_form, uploader
from .data import (
    REPORT_MIME,
    associations,
    budget,
    charge,
    closure,
    closure_headline,
    closure_report_bytes,
    closures,
    comparison,
    connection,
    data_state,
    fiche,
    fiche_pdf,
    import_depenses,
    import_details,
    imports,
    indicateurs,
    invalidate,
    meeting,
    overview,
    reference,
    reponses,
    report_bytes,
    retired,
    target_history,
    template_bytes,
    undo_risks,
    version_changes,
    versions_view,
    warm_up,
)
from .execution import execution_budget_section, execution_charge_section
from .frame import CHOOSE, PAGES, closure_choice, last_complete_quarter, meeting_navigation, meeting_step, setup
from .mon_inclusion import min_json, min_preflight, min_section, min_xlsx
from .widgets import (
    BUDGET_FICHE_COLUMNS,
    BUDGET_LINE_COLUMNS,
    DIFF_COLUMNS,
    DIFFICULTE_AIDE,
    ETP_LINE_COLUMNS,
    ETP_STRUCTURE_COLUMNS,
    LONG_TEXT_PX,
    MOYEN_COLUMNS,
    RETARD_LABELS,
    RETIRED_COLUMNS,
    RETIRED_ENTRY_COLUMNS,
    VERSION_COLUMNS,
    VERSION_FINGERPRINT_COLUMNS,
    carte_axe_text,
    changes_in_words,
    chart,
    dataframe,
    datetime_column,
    decimal_input,
    difficulte_titre,
    download,
    etp,
    euros,
    guarded,
    headline_help,
    md,
    periode_label,
    previous_quarter,
    problems,
    short,
    table,
    text,
    this_quarter,
    today,
    version_comparison_section,
)

__all__ = [
    "BUDGET_FICHE_COLUMNS", "BUDGET_LINE_COLUMNS", "CHOOSE", "CLOSURE_MESSAGE", "DIFF_COLUMNS", "ETP_LINE_COLUMNS",
    "ETP_STRUCTURE_COLUMNS", "LONG_TEXT_PX", "MOYEN_COLUMNS", "PAGES", "REPORT_MIME", "RETIRED_COLUMNS",
    "RETIRED_ENTRY_COLUMNS", "VERSION_COLUMNS", "VERSION_FINGERPRINT_COLUMNS", "VERSION_MESSAGE", "WRITE_MESSAGE",
    "NotAllowed", "RejectedInput", "apply_referentiel", "as_seen", "associations", "author_field", "author_name",
    "budget", "carte_axe_text", "changes_in_words", "charge", "chart", "check_referentiel",
    "check_upload", "close_quarter", "closure",
    "closure_choice", "closure_headline", "closure_report_bytes", "closures", "comparison", "connection", "data_state",
    "dataframe", "datetime_column", "decimal_input", "download", "etp", "euros", "execution_budget_section",
    "execution_charge_section", "fiche", "fiche_pdf", "flash", "guarded",
    "headline_help", "import_checked", "import_depenses", "import_details", "imports", "indicateurs", "invalidate",
    "is_coordinator",
    "last_complete_quarter", "md", "meeting", "meeting_navigation", "meeting_step", "overview", "periode_label",
    "previous_quarter", "problems", "reference", "referentiel_warnings",
    "refused", "reponses", "report_bytes", "retired", "role", "set_target",
    "setup", "short", "show_refusal", "sign_in_form", "table", "target_history", "template_bytes", "text",
    "this_quarter", "today", "undo", "undo_risks", "undo_target", "undo_version", "upload_key", "uploader",
    "version_changes",
    "version_comparison_section", "versions_view", "warm_up",
    "DIFFICULTE_AIDE", "RETARD_LABELS", "difficulte_titre",
    "min_json", "min_preflight", "min_section", "min_xlsx",
]
