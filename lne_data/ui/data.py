"""The one Streamlit module: page setup, menu, filters in the URL, cached connection and data calls.

Pages import this and `lne_data.figures`, nothing else of the package's internals. Everything that is
not Streamlit-specific lives in the rest of the package and is tested without Streamlit.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from io import BytesIO
from typing import Any, TypeVar

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit import runtime

from .. import (
    auth,
    cibles,
    clotures,
    db,
    exports,
    figures,
    formatting,
    periodes,
    queries,
    reports,
    rules,
    saisie,
    sheets,
    snapshots,
    versions,
    views,
)
from ..demo import load_examples
from ..problems import Problem, RejectedInput
from ..referentiel import load_referentiel, read_referentiel
from ..template import build_template

T = TypeVar("T")

PAGES: list[tuple[str, str, str]] = [
    ("app.py", "Vue d'ensemble", ":material/dashboard:"),
    ("pages/1_Budget.py", "Budget par axe", ":material/euro:"),
    ("pages/2_Charge_RH.py", "Charge RH", ":material/groups:"),
    ("pages/3_Indicateurs.py", "Indicateurs", ":material/monitoring:"),
    ("pages/4_Porteurs.py", "Porteurs et partenaires", ":material/hub:"),
    ("pages/5_Fiche.py", "Fiche action", ":material/description:"),
    ("pages/6_Saisie.py", "Saisie trimestrielle", ":material/upload_file:"),
    ("pages/7_Historique.py", "Historique des imports", ":material/history:"),
    ("pages/8_Reunion.py", "Mode réunion", ":material/co_present:"),
    ("pages/9_Clotures.py", "Clôtures et rapports", ":material/inventory_2:"),
    ("pages/10_Feuille_de_route.py", "Feuille de route", ":material/account_tree:"),
]
FILTER_KEYS = ("axe", "objectif", "porteur", "periode")
# Column headings of the tables of amounts, ETP and resources: the same on screen, in downloads and in exports.
BUDGET_FICHE_COLUMNS, BUDGET_LINE_COLUMNS = rules.BUDGET_FICHE_COLUMNS, rules.BUDGET_LINE_COLUMNS
ETP_LINE_COLUMNS, ETP_STRUCTURE_COLUMNS = rules.ETP_LINE_COLUMNS, rules.ETP_STRUCTURE_COLUMNS
MOYEN_COLUMNS = rules.MOYEN_COLUMNS


# --------------------------------------------------------------------------------------------------
# Database: one connection per server process, prepared on first use
# --------------------------------------------------------------------------------------------------


def connection() -> duckdb.DuckDBPyConnection:
    """The connection every read uses: the process's own database, or in shared mode (`LNE_INSTANTANES`, see
    lne_data/snapshots.py) the latest snapshot published by the single writer."""
    store = _shared_store()
    if store is None:
        return _embedded_connection()
    return store.connection()


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Schema, embedded référentiel, then the examples, on a database that has none of them yet.

    A new database starts on the roadmap shipped in data/ and on labelled example entries, so that the
    dashboard is never empty on a fresh install.
    """
    db.migrate(con)
    versions.record_existing(con)  # a database loaded before versions existed: once, then a count
    if not queries.referentiel_loaded(con):
        load_referentiel(con, read_referentiel(db.DEFAULT_REFERENTIEL.read_bytes()),
                         auteur="tableau de bord (première ouverture)")
        if not os.environ.get("LNE_SANS_EXEMPLES"):
            load_examples(con)


@st.cache_resource(show_spinner="Ouverture de la base…")
def _embedded_connection() -> duckdb.DuckDBPyConnection:
    """Open (and if needed create) the database: the default, one process owning the file."""
    _startup_checks()
    con = db.connect(os.environ.get(db.ENV_DB) or None)
    _prepare(con)
    _warm_up_in_background()
    return con


@st.cache_resource(show_spinner="Ouverture de la base…")
def _shared_store() -> snapshots.SnapshotStore | None:
    """None unless `LNE_INSTANTANES` names the snapshot folder; then the master is prepared and published once
    per process start (which also publishes a write that died before its publication)."""
    folder = snapshots.folder_from_env()
    if folder is None:
        return None
    _startup_checks()
    store = snapshots.SnapshotStore(os.environ.get(db.ENV_DB) or None, folder)
    store.prepare(_prepare)
    _warm_up_in_background()
    return store


@contextmanager
def _writing() -> Iterator[duckdb.DuckDBPyConnection]:
    """Where a write goes: the process's connection, or in shared mode the master, under the writers' lock,
    published for every process when the write ends. The caches of this process are cleared either way."""
    store = _shared_store()
    try:
        if store is None:
            yield connection()
        else:
            with store.write() as con:
                yield con
    finally:
        if store is not None:
            store.refresh()  # this process reads its own write at once, and the warm-up below reads it too
        invalidate()


def _refresh_shared() -> None:
    """Once per page run, before any cached read: a newer snapshot makes every cached view stale."""
    store = _shared_store()
    if store is not None and store.refresh():
        invalidate()


def _database_or_stop(title: str) -> None:
    """Open the database, or say in French why the dashboard cannot — instead of Streamlit's English error page.

    The visitor is told what to do, not where the file is: paths and DuckDB's wording go to the server's log.
    Nothing failed is cached, so the page works again as soon as the file is free.
    """
    try:
        connection()
        _refresh_shared()
    except db.DatabaseUnavailable as exc:
        print(f"LNE : base indisponible : {exc}", file=sys.stderr)
        st.title(title)
        if isinstance(exc, db.DatabaseHeld):
            st.error(
                "**La base de données est occupée par un autre programme**, le plus souvent la ligne de commande "
                "(`python -m lne_data …` : un import, un modèle, un rapport) ou un second tableau de bord lancé sur "
                "le même fichier. Attendez la fin de la commande ou arrêtez ce programme, puis rechargez la page.",
                icon=":material/lock_clock:",
            )
        else:
            st.error(
                "**La base de données du tableau de bord ne peut pas être ouverte.** La personne qui administre le "
                "serveur trouve la raison dans son journal (fichier absent, dossier inexistant, droits).",
                icon=":material/error:",
            )
        st.stop()


def _startup_checks() -> None:
    """Refuse to serve without the XML guard: openpyxl only resists XML bombs when defusedxml is there."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("defusedxml n'est pas installé : installez les dépendances (requirements.txt) "
                           "avant de démarrer le tableau de bord.")


def invalidate() -> None:
    """After a write, every cached view is stale: computed again in the background for the next visitors."""
    st.cache_data.clear()
    indicateurs.clear()
    _warm_up_in_background()


# --------------------------------------------------------------------------------------------------
# Warm-up: what every first visitor would otherwise pay, computed once per process in the background
# --------------------------------------------------------------------------------------------------

WARM_UP_THREAD = "lne-prechauffage"
_WARMING = threading.Lock()


def warm_up() -> None:
    """The read models every session starts from, on the default filters: the menu's reference, the data state,
    the overview, and the Indicateurs view with the figures of its first fiche and of completeness (they fill the
    view's per-series caches). Sessions share them through Streamlit's caches."""
    default = views.Filters()
    reference()
    data_state()
    overview(default)
    view = indicateurs(default)
    if view.fiches:
        for code in [i.code for i in view.indicateurs_de(view.fiches[0])]:
            figures.indicateur(view, code)
        figures.completude(view)


def _warm_up_in_background() -> None:
    """Start `warm_up` in a thread of this server process, once the connection exists and after every write.

    Only in a real server (`streamlit run`: Streamlit's runtime exists), never under AppTest or in a test calling
    these functions directly (a thread outliving its test would fill the next test's caches), nor with
    LNE_PRECHAUFFAGE=0. The caches are the process's, so the thread needs no session; Streamlit's warning about its
    missing session is filtered."""
    if not runtime.exists() or st.get_option("global.appTest") or os.environ.get("LNE_PRECHAUFFAGE") == "0":
        return
    threading.Thread(target=_warm_up_quietly, name=WARM_UP_THREAD, daemon=True).start()


def _warm_up_quietly() -> None:
    with _WARMING:  # one at a time: a write during a warm-up queues the next one, with fresh data
        try:
            warm_up()
        except Exception as exc:  # noqa: BLE001 — a visitor will compute it and see the error in French
            print(f"LNE : préchauffage interrompu : {exc}", file=sys.stderr)


class _NoSessionWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return threading.current_thread().name != WARM_UP_THREAD


logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_NoSessionWarning())


@st.cache_data(show_spinner=False)
def reference() -> views.Reference:
    return views.reference(connection())


@st.cache_data(show_spinner=False)
def version_in_force() -> dict[str, Any] | None:
    return versions.in_force(connection())


@st.cache_data(show_spinner=False)
def versions_view() -> versions.VersionsView:
    return versions.VersionsView.of(connection())


@st.cache_data(show_spinner=False)
def version_reference(numero: int) -> views.Reference:
    return versions.reference(connection(), numero)


@st.cache_data(show_spinner=False)
def version_comparison(numero: int, filters: views.Filters) -> pd.DataFrame:
    """Per axe, the figures of version `numero` and of the one in force (Budget and Charge RH pages)."""
    return versions.compare_figures(version_reference(numero), reference(), filters)


@st.cache_data(show_spinner=False)
def version_changes(numero: int) -> versions.Difference | None:
    return versions.changes_of(connection(), numero)


@st.cache_data(show_spinner=False)
def retired() -> versions.RetiredView:
    return versions.RetiredView.of(connection())


DIFF_COLUMNS = versions.DIFF_COLUMNS
VERSION_COLUMNS = versions.VERSION_COLUMNS
RETIRED_COLUMNS = versions.RETIRED_COLUMNS
RETIRED_ENTRY_COLUMNS = versions.RETIRED_ENTRY_COLUMNS
COMPARISON_COLUMNS = {"axe": "Axe", "libelle": "Libellé"}


def comparison_columns(numero: int, figures_: tuple[str, ...]) -> dict[str, str]:
    """The headings of a comparison of version `numero` with the one in force, for these figures."""
    words = {"fiches": "Fiches", "ponctuel": "Ponctuel (€)", "par_an": "Par an (€)",
             "non_precise": "Sans période précisée (€)", "etp": "ETP"}
    columns = dict(COMPARISON_COLUMNS)
    for name in figures_:
        columns[f"{name}_avant"] = f"{words[name]} — version n°{numero}"
        columns[f"{name}_apres"] = f"{words[name]} — en vigueur"
        columns[f"{name}_ecart"] = f"{words[name]} — écart"
    return columns


def version_comparison_section(filters: views.Filters, figures_: tuple[str, ...], how: str = "") -> None:
    """The Budget and Charge RH pages' comparison of another version with the one in force, axe by axe (`how`: what
    the figures count, said after the caption); nothing when the roadmap has a single version."""
    others = versions_view().autres()
    if not others:
        return
    st.subheader("Comparer avec une autre version de la feuille de route")
    st.caption("Ce que la feuille de route prévoyait dans une version (à l'adoption, par exemple) et ce qu'elle "
               f"prévoit dans la version en vigueur, axe par axe{how}.")
    compared = int(st.selectbox("Version comparée à celle en vigueur", others, format_func=versions_view().libelle,
                                key="version_comparee"))
    dataframe(version_comparison(compared, filters), comparison_columns(compared, figures_), only=True)


@st.cache_data(show_spinner=False)
def data_state() -> views.DataState:
    return views.data_state(connection())


@st.cache_data(show_spinner=False)
def overview(filters: views.Filters) -> views.Overview:
    return views.overview(connection(), reference(), filters)


@st.cache_data(show_spinner=False)
def budget(filters: views.Filters, annees: int, structures: int, combine: bool,
           non_precise_fois: int = 1) -> views.BudgetView:
    return views.budget(reference(), filters, annees=annees, structures=structures, combine=combine,
                        non_precise_fois=non_precise_fois)


budget_total_help = views.budget_total_text
headline_help = views.headline_help
carte_axe_text = views.carte_axe_text


@st.cache_data(show_spinner=False)
def charge(filters: views.Filters, capacite: float | None) -> views.ChargeView:
    return views.charge(reference(), filters, capacite=capacite)


# Kept as is rather than copied: the view holds every value in scope (a million at national scale), which
# st.cache_data would pickle on every run of the page. Pages and figures only read it. Cleared by `invalidate`.
@st.cache_resource(show_spinner=False, max_entries=8)
def indicateurs(filters: views.Filters) -> views.IndicateursView:
    return views.indicateurs(connection(), reference(), filters)


@st.cache_data(show_spinner=False)
def associations(filters: views.Filters) -> views.AssociationsView:
    return views.associations(reference(), filters)


@st.cache_data(show_spinner=False)
def fiche(numero: int) -> views.FicheView:
    return views.fiche(connection(), reference(), numero)


# --------------------------------------------------------------------------------------------------
# Roles: checked on the server before every write, never inferred from what the page displays
# --------------------------------------------------------------------------------------------------


@st.cache_resource
def _throttle() -> auth.Throttle:
    """One per server process, holding a counter per client: opening a new tab does not start afresh."""
    return auth.Throttle()


def _client() -> str:
    """Who is signing in, for the throttle: the address (see auth.client_key), else this browser session."""
    if "_client" not in st.session_state:
        st.session_state["_client"] = uuid.uuid4().hex
    return auth.client_key(st.context.ip_address, st.context.headers.get_all("X-Forwarded-For"),
                           st.session_state["_client"])


def settings() -> auth.Settings:
    try:
        secrets: Any = dict(st.secrets)
    except Exception:  # noqa: BLE001 — no secrets.toml at all is the normal case on a fresh install
        secrets = {}
    return auth.Settings.load(secrets)


def role() -> auth.Role | None:
    current = st.session_state.get("role")
    if current:
        return current
    config = settings()
    user = getattr(st, "user", None)
    if user is not None and getattr(user, "is_logged_in", False):
        email = str(getattr(user, "email", "") or "").lower()
        return "coordination" if email in config.coordinateurs_oidc else "lecture"
    return None if config.lecture_protegee else "lecture"


def is_coordinator() -> bool:
    return auth.can_write(role())


def sign_in_form(reason: str) -> None:
    """A password form; the role it grants lives in this browser session only."""
    config = settings()
    if not config.coordination_hash and not config.lecture_hash:
        st.info(
            f"{reason} Aucun mot de passe n'est configuré sur ce serveur : la personne qui l'administre le crée "
            "avec « ./scripts/lne mot-de-passe --ecrire » (voir le README).",
            icon=":material/lock:",
        )
        return
    with st.form("connexion"):
        st.markdown(reason)
        password = st.text_input("Mot de passe", type="password")
        submitted = st.form_submit_button("Se connecter", icon=":material/login:")
    if submitted:
        granted, message = auth.sign_in(password, config, _throttle(), _client())
        if granted:
            st.session_state["role"] = granted
            st.rerun()
        st.error(message)


def sign_out_button() -> None:
    if st.session_state.get("role") and st.sidebar.button("Se déconnecter", icon=":material/logout:"):
        del st.session_state["role"]
        st.rerun()


# --------------------------------------------------------------------------------------------------
# Page frame: config, menu, filters, banner
# --------------------------------------------------------------------------------------------------


def setup(title: str, *, filters: bool = True, compact: bool = False) -> views.Filters:
    """Shared top of every page: config, menu, filters (returned), example banner, title.

    `compact` (meeting mode) keeps the banner to one line and leaves the title to the page, so that a
    whole screen fits in a 1280×720 shared screen.
    """
    _no_data_export()
    # The meeting starts with the sidebar folded: the projector shows the quarter, not the filters; Streamlit's own
    # « > » in the top left corner unfolds it.
    st.set_page_config(page_title=f"{title} — LNE", page_icon=":material/hub:", layout="wide",
                       initial_sidebar_state="collapsed" if compact else "auto")
    _french_widgets()
    _database_or_stop(title)
    if role() is None:
        st.title(title)
        sign_in_form("La consultation de ce tableau de bord est réservée : saisissez le mot de passe.")
        st.stop()
    ref = reference()
    current = read_filters(ref) if filters else views.Filters()
    with st.sidebar:
        st.markdown(f"**{md(ref.feuille_de_route['titre'])}**")
        current_version = version_in_force()
        if current_version is not None:
            st.caption(f"En vigueur : {md(versions.label(current_version))}")
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon, query_params=filter_params(current))
        if filters:
            st.divider()
            current = filter_widgets(ref)
    sign_out_button()
    state = data_state()
    if state.exemples and compact:
        pass  # the meeting says it in its navigation row (`meeting_navigation`): a banner costs a projector's line
    elif state.exemples:
        st.warning(
            "**Données d'exemple.** Les valeurs d'indicateurs affichées sont fictives, fournies pour la "
            "démonstration. Elles disparaîtront au premier import de vraies saisies (page « Saisie trimestrielle »).",
            icon=":material/science:",
        )
    if not compact:
        st.title(title)
    return current


# Streamlit translates nothing of its file uploader (no option nor parameter for the button's « Upload » or the
# « 20MB per file • XLSX » line). This style sheet, sent with every page, hides those two English texts from sight
# and writes French ones in their place (generated content). The button keeps « Upload » for screen readers, as its
# accessible name: without it the button would have none (axe-core: button-name, critical). The selectors are
# Streamlit's own test ids; tests/test_e2e_a11y.py checks the result in Chromium, so that a Streamlit upgrade that
# renames them fails the tests instead of bringing the English back.
_UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button p {{
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {{
  font-size: 0.875rem; content: "Choisir un fichier"; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ visibility: hidden; font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  visibility: visible; font-size: 0.875rem; content: "ou le déposer ici — {limit} Mo au plus"; }}
</style>"""


def _french_widgets() -> None:
    st.html(_UPLOADER_CSS.format(limit=int(st.get_option("server.maxUploadSize"))))


# Shown by a selectbox that has nothing to offer (Streamlit's default is « Choose an option »).
CHOOSE = "Aucun choix possible"


def _no_data_export() -> None:
    """Keep the tables' own « Download as CSV » (and copy) off even when a deployment's settings turn it back on
    (a flag, an environment variable): that export writes cells as typed, and a comment `=HYPERLINK(…)` opens as
    a live formula in Excel. The browser learns the setting when a run starts, hence the one rerun, before
    anything is drawn; it happens once per server process."""
    if not st.get_option("client.disableDataExport"):
        st.set_option("client.disableDataExport", True)
        st.rerun()


def _chosen(value: Any) -> Any:
    """A filter's value, None for « tous »."""
    return None if value == ALL else value


def filter_params(filters: views.Filters) -> dict[str, str]:
    return {k: str(v) for k, v in vars(filters).items() if v not in (None, "")}


def read_filters(ref: views.Reference) -> views.Filters:
    """Filters from the URL, ignoring values that do not exist (an old or hand-edited link)."""
    params = st.query_params
    axe = params.get("axe")
    axe_code = int(axe) if axe and axe.isdigit() and int(axe) in set(ref.axes["code"]) else None
    objectif = params.get("objectif") if params.get("objectif") in set(ref.objectifs["code"]) else None
    porteur = params.get("porteur") if params.get("porteur") in set(ref.porteurs["structure"]) else None
    periode = periodes.parse(params.get("periode", "") or "")
    if periode not in ref.periodes():
        periode = None
    return views.Filters(axe_code, objectif, porteur, periode)


# What a table shows for a missing value: Streamlit's default is the word « None », meaningless to an élu.
MISSING = "—"
ALL = "tous"
# The "no filter" choice; None would show Streamlit's empty placeholder instead of a label.
NOTHING = "Aucune ligne à afficher."


def filter_widgets(ref: views.Reference) -> views.Filters:
    url = read_filters(ref)
    # The URL wins when it changed since this session last wrote it: the user followed a link (an axe card,
    # a shared address). Otherwise the widgets win, and are written back to the URL below.
    if st.session_state.get("_filtres_url") != url or any(f"filtre_{k}" not in st.session_state for k in FILTER_KEYS):
        for key in FILTER_KEYS:
            value = getattr(url, key)
            st.session_state[f"filtre_{key}"] = ALL if value is None else value
    st.markdown("**Filtres**")
    axes = dict(zip(ref.axes["code"].astype(int), ref.axes["libelle"]))
    axe = st.selectbox("Axe", [ALL, *axes], placeholder=CHOOSE, key="filtre_axe",
                       format_func=lambda c: "Tous les axes" if c == ALL else f"{c}. {axes[c]}")
    objectifs = ref.objectifs if axe == ALL else ref.objectifs[ref.objectifs["axe"] == axe]
    labels = dict(zip(objectifs["code"], objectifs["libelle"]))
    if st.session_state.get("filtre_objectif") not in labels:
        st.session_state["filtre_objectif"] = ALL
    objectif = st.selectbox("Objectif", [ALL, *labels], placeholder=CHOOSE, key="filtre_objectif",
                            format_func=lambda c: "Tous les objectifs" if c == ALL else f"{c} {labels[c]}")
    porteurs = sorted(ref.porteurs["structure"].unique())
    porteur = st.selectbox("Porteur", [ALL, *porteurs], placeholder=CHOOSE, key="filtre_porteur",
                           format_func=lambda s: "Tous les porteurs" if s == ALL else s)
    state = data_state()
    choices = [p for p in ref.periodes() if p <= (state.periodes_saisies[-1] if state.periodes_saisies else "")]
    if st.session_state.get("filtre_periode") not in choices:
        st.session_state["filtre_periode"] = ALL
    periode = st.selectbox("Période", [ALL, *reversed(choices)], placeholder=CHOOSE, key="filtre_periode",
                           format_func=lambda p: "Dernier trimestre saisi" if p == ALL else periodes.label(p))
    axe, objectif, porteur, periode = (_chosen(v) for v in (axe, objectif, porteur, periode))
    filters = views.Filters(axe, objectif, porteur, periode)
    wanted = filter_params(filters)
    for key in FILTER_KEYS:
        if key in wanted and st.query_params.get(key) != wanted[key]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and key in st.query_params:
            del st.query_params[key]
    st.session_state["_filtres_url"] = filters
    if filters.describe():
        st.caption(f"Vue filtrée : {md(filters.describe())}. Le lien de la page garde ces filtres.")
    return filters


# --------------------------------------------------------------------------------------------------
# Display helpers
# --------------------------------------------------------------------------------------------------


def decimal_input(label: str, *, key: str, unit: str | None = None, min_value: float | None = None,
                  max_value: float | None = None, placeholder: str | None = None,
                  help: str | None = None) -> float | None:
    """A number field that reads what French users type: `2,5`, `2.5`, `1 234,5`, `2,5 ETP` (with `unit`).

    Used instead of st.number_input, which drops a decimal comma (`2,5` becomes 25) without a word. None while the
    field is empty; anything else that is not a number in range is answered by a French error under the field
    (and None), never read as something else.
    """
    typed = st.text_input(label, key=key, placeholder=placeholder, help=help)
    if not typed.strip():
        return None
    value = sheets.parse_field_number(typed, unit)
    suffix = f"\u00a0{unit}" if unit else ""
    if value is None:
        st.error(f"« {md(typed.strip())} » n'est pas un nombre : écrivez par exemple 2,5{suffix} (virgule ou point "
                 "pour les décimales).", icon=":material/error:")
        return None
    if (min_value is not None and value < min_value) or (max_value is not None and value > max_value):
        bounds = (f"entre {formatting.number(min_value, 2)} et {formatting.number(max_value, 2)}"
                  if min_value is not None and max_value is not None
                  else f"au moins {formatting.number(min_value, 2)}" if min_value is not None
                  else f"au plus {formatting.number(max_value, 2)}")
        st.error(f"{formatting.number(value, 2)}{suffix} : saisissez une valeur {bounds}{suffix}.",
                 icon=":material/error:")
        return None
    return value


def chart(fig: go.Figure, data: pd.DataFrame, *, name: str, columns: dict[str, str] | None = None) -> None:
    """A chart with its data one click away, downloadable as CSV and Excel."""
    # No Plotly toolbar: its buttons are English (« Zoom », « Download plot as a PNG »), and the data are one click
    # away below, downloadable in French.
    st.plotly_chart(fig, config={"displayModeBar": False, "locale": "fr"}, key=f"chart_{name}")
    st.caption(md(figures.summary(fig)))
    table = _quarters(data)
    table = table.rename(columns=columns) if columns else table
    if columns:
        table = table[list(columns.values())]
    with st.expander("Voir les données", icon=":material/table:"):
        if table.empty:
            st.caption(NOTHING)
            return
        st.dataframe(table, hide_index=True, placeholder=MISSING)
        left, right = st.columns(2)
        # The files are written when a button is clicked, not on every run of the page: an Excel file of a
        # national completeness grid (150 000 rows) takes seconds, and most visitors never download it.
        left.download_button("Télécharger (CSV)", lambda: exports.csv_bytes(table), file_name=f"{name}.csv",
                             mime="text/csv", key=f"csv_{name}", icon=":material/download:")
        right.download_button(
            "Télécharger (Excel)", lambda: exports.xlsx_bytes({name: table}), file_name=f"{name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx_{name}",
            icon=":material/download:",
        )


# Columns of long wording: sized to their content, a title of 90 characters pushed the figures after it out of
# sight (an élu saw no value without scrolling sideways); at this width the rest stays on a 1280-pixel screen.
LONG_TEXTS = frozenset({"libelle", "intitule", "commentaire"})
LONG_TEXT_PX = 300


def dataframe(data: pd.DataFrame, columns: dict[str, str], *, only: bool = False,
              column_config: dict[str, Any] | None = None) -> None:
    """A frame to scroll and sort, its columns headed in French by `columns`. With `only`, just the columns named,
    in that order; otherwise the others are shown too, under their own name."""
    if data.empty:  # Streamlit would draw an empty grid with the English word « empty »
        st.caption(NOTHING)
        return
    shown = _quarters(data[list(columns)] if only else data)
    config = {columns[name]: st.column_config.TextColumn(columns[name], width=LONG_TEXT_PX)
              for name in LONG_TEXTS & set(columns) & set(shown.columns)}
    config.update(column_config or {})
    st.dataframe(shown.rename(columns=columns), hide_index=True, column_config=config, placeholder=MISSING)


def table(data: pd.DataFrame, columns: dict[str, str]) -> None:
    """A short table whose texts wrap (the roadmap's wording must be readable whole, not cut).

    st.table renders Markdown in cells: every text is escaped so that it is shown as written.
    """
    if data.empty:
        st.caption(NOTHING)
        return
    shown = _quarters(data[list(columns)]).rename(columns=columns).astype("object").where(lambda d: d.notna(), "")
    st.table(shown.map(_cell), hide_index=True)


def _quarters(data: pd.DataFrame) -> pd.DataFrame:
    """Quarters as élus read them, « T3 2026 », in whichever table shows them (files and URLs keep `2026-T3`)."""
    if "periode" not in data.columns:
        return data
    shown = data.copy()
    shown["periode"] = [periodes.label(p) if isinstance(p, str) and periodes.parse(p) == p else p
                        for p in data["periode"]]
    return shown


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return formatting.escape_markdown(value)
    if isinstance(value, float):
        return formatting.number(value, 2)
    return value


def text(value: Any) -> None:
    """User or roadmap text, shown as text: no Markdown, no HTML, no Streamlit directives."""
    st.text(str(value) if not pd.isna(value) else "—")


def datetime_column(label: str) -> Any:
    return st.column_config.DatetimeColumn(label, format="DD/MM/YYYY HH:mm")


def md(value: Any) -> str:
    """Escape roadmap or user text before putting it in Markdown (labels, captions)."""
    return formatting.escape_markdown(value)


short = formatting.short


def euros(value: float) -> str:
    return formatting.euros(value)


def etp(value: float) -> str:
    return formatting.etp(value)


def periode_label(periode: str | None) -> str:
    return periodes.label(periode) if periode else "aucun trimestre saisi"


def today() -> date:
    """LNE_AUJOURDHUI or the real date (`periodes.today`)."""
    return periodes.today()


def guarded(load: Callable[[], T]) -> T:
    """Run a data call; a missing fiche or référentiel shows a French message instead of a traceback."""
    try:
        return load()
    except LookupError as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
        raise


# --------------------------------------------------------------------------------------------------
# Writes (quarterly import, undo): the role is checked here, on the server, right before writing
# --------------------------------------------------------------------------------------------------


# The files below are handed to st.download_button as deferred data: a function it calls when the button is
# clicked, not bytes written whenever the page is drawn. At national scale the template (8 500 indicators) takes
# 7 s, the quarterly deck 20 s, and most visits download nothing. The bytes are still cached once written.

def template_bytes(periode: str, porteur: str | None) -> Callable[[], bytes]:
    """The quarterly template, written when its download button is clicked."""
    return lambda: _template_bytes(periode, porteur)


@st.cache_data(show_spinner=False)
def _template_bytes(periode: str, porteur: str | None) -> bytes:
    buffer = BytesIO()
    build_template(connection(), periode, buffer, porteur=porteur)
    return buffer.getvalue()


@st.cache_data(show_spinner=False)
def reponses(periode: str) -> views.Reponses:
    return views.reponses(connection(), reference(), periode)


@st.cache_data(show_spinner=False)
def imports() -> views.ImportsView:
    return views.ImportsView(queries.imports(connection()))


@st.cache_data(show_spinner=False)
def import_details(import_id: int) -> pd.DataFrame:
    return queries.import_details(connection(), import_id)


def check_upload(data: bytes, name: str) -> tuple[saisie.Validation, saisie.Preview | None]:
    """Check an uploaded file (parsed in a child process) and, if valid, what it would change.

    The page reruns at every click while the file stays in the uploader (typing one's name, « Importer »): the
    check of the same bytes on the same day is kept for the session, since it costs seconds for a national file;
    the preview is always recomputed, because the database may have changed since.
    """
    con = connection()
    key = (hashlib.sha256(data).hexdigest(), name, today())
    kept = st.session_state.get("_verification")
    if kept is not None and kept[0] == key:
        validation = kept[1]
    else:
        with st.spinner("Vérification du fichier…", show_time=True):
            validation = saisie.check_file(data, name, saisie.load_context(con, today=key[2]))
        st.session_state["_verification"] = (key, validation)
    return validation, (saisie.preview(con, validation) if validation.ok else None)


class NotAllowed(Exception):
    pass


def import_checked(validation: saisie.Validation) -> saisie.ImportResult:
    if not is_coordinator():
        raise NotAllowed("L'import est réservé au rôle coordination.")
    author = st.session_state.get("auteur") or "coordination"
    with _writing() as con:
        return saisie.import_file(con, validation, auteur=author)


def undo(import_id: int) -> int:
    if not is_coordinator():
        raise NotAllowed("L'annulation est réservée au rôle coordination.")
    with _writing() as con:
        return saisie.undo_import(con, import_id, auteur=st.session_state.get("auteur") or "coordination")


_REFERENTIEL_KEY = "_referentiel_verifie"


def check_referentiel(data: bytes) -> tuple[list[Problem], versions.Difference | None]:
    """An uploaded reference workbook, checked (parsed in a child process), and what it would change in the version
    in force. The check is kept for the session while the same file stays in the uploader; the difference is
    always recomputed, since the version in force may have changed meanwhile."""
    key = hashlib.sha256(data).hexdigest()
    kept = st.session_state.get(_REFERENTIEL_KEY)
    if kept is None or kept[0] != key:
        try:
            with st.spinner("Vérification du classeur…", show_time=True):
                kept = (key, read_referentiel(data, isolated=True), [])
        except RejectedInput as exc:
            kept = (key, None, exc.problems)
        st.session_state[_REFERENTIEL_KEY] = kept
    if kept[1] is None:
        return kept[2], None
    return [], versions.difference_with_in_force(connection(), kept[1])


def apply_referentiel(data: bytes) -> int | None:
    """Make the checked workbook the new version; the role is checked here, right before writing. Its number, or
    None when it changed nothing."""
    if not is_coordinator():
        raise NotAllowed("Le chargement d'une version de la feuille de route est réservé au rôle coordination.")
    kept = st.session_state.get(_REFERENTIEL_KEY)
    if kept is None or kept[0] != hashlib.sha256(data).hexdigest() or kept[1] is None:
        raise NotAllowed("Vérifiez d'abord le classeur.")
    # Through the single writer, like every write (in shared mode: the master, then published to every process).
    with _writing() as con:
        changed = load_referentiel(con, kept[1], auteur=st.session_state.get("auteur") or "coordination")
    current = versions.in_force(connection())
    numero = int(current["numero"]) if changed and current else None
    st.session_state[VERSION_MESSAGE] = (f"Version n°{numero} enregistrée : elle est en vigueur." if numero
                                         else "Ce classeur ne changeait rien : aucune version n'a été créée.")
    return numero


def undo_version(numero: int) -> int:
    if not is_coordinator():
        raise NotAllowed("L'annulation d'une version est réservée au rôle coordination.")
    with _writing() as con:
        previous = versions.undo(con, numero, st.session_state.get("auteur") or "coordination")
    st.session_state[VERSION_MESSAGE] = (f"Version n°{numero} annulée : la version n°{previous} est de nouveau en "
                                         "vigueur.")
    return previous


VERSION_MESSAGE = "_message_version"


@st.cache_data(show_spinner=False)
def target_history() -> views.CiblesView:
    return views.CiblesView(cibles.history(connection()))


TARGET_MESSAGE = "_message_cible"


def set_target(code: str, valeur: str, echeance: int | None, motif: str, retirer: bool) -> int:
    """Record the coordination's target; the role is checked here, right before writing. The confirmation is kept
    for the next run of the page (`flash`), which the page asks for so that every table shows the new target."""
    if not is_coordinator():
        raise NotAllowed("Fixer ou retirer une cible est réservé au rôle coordination.")
    author = st.session_state.get("auteur") or "coordination"
    with _writing() as con:
        decision = cibles.set_target(con, code, valeur, echeance, motif, author, retirer=retirer)
    st.session_state[TARGET_MESSAGE] = (
        f"Décision n°{decision} enregistrée : {code} " + ("n'a plus de cible." if retirer else "a une nouvelle cible."))
    return decision


def undo_target(decision: int) -> str:
    if not is_coordinator():
        raise NotAllowed("L'annulation d'une cible est réservée au rôle coordination.")
    with _writing() as con:
        code = cibles.undo_target(con, decision, st.session_state.get("auteur") or "coordination")
    st.session_state[TARGET_MESSAGE] = (f"Décision n°{decision} annulée : la cible de {code} est de nouveau la "
                                        "précédente (celle de la coordination, sinon celle du texte).")
    return code


WRITE_MESSAGE = "_message_ecriture"


def done(message: str) -> None:
    """After an import or an undo: the page is drawn again at once, so that every banner (« Données d'exemple »),
    count, preview and button follows the new state instead of what was drawn before the write; the confirmation is
    kept for that run (`flash(WRITE_MESSAGE)`)."""
    st.session_state[WRITE_MESSAGE] = message
    st.rerun()


def flash(key: str = TARGET_MESSAGE) -> bool:
    """The confirmation of a write made on the previous run of the page, shown once; whether there was one."""
    message = st.session_state.pop(key, None)
    if message:
        st.success(md(message), icon=":material/check_circle:")
    return bool(message)


def refused(exc: Exception) -> None:
    """Why a write was refused, every problem on its own line."""
    found = exc.problems if isinstance(exc, RejectedInput) else []
    lines = [f"- {md(p.message)}" for p in found if p.is_error] or [md(str(exc))]
    st.error("Rien n'a été enregistré.\n\n" + "\n".join(lines), icon=":material/block:")


def problems(found: list[Problem], file_name: str) -> None:
    """Every problem of a file, readable whole, and as a list to send back to whoever filled it in."""
    table = saisie.problems_frame(found)
    if len(table) <= 200:
        st.table(table.map(formatting.escape_markdown), hide_index=True)
    else:  # st.table would make the page endless; the full list is in the downloads
        st.dataframe(table, hide_index=True, placeholder=MISSING)
    stem = file_name.rsplit(".", 1)[0]
    left, right = st.columns(2)
    left.download_button("Liste des problèmes (CSV)", lambda: exports.csv_bytes(table),
                         file_name=f"problemes_{stem}.csv", mime="text/csv", icon=":material/download:")
    right.download_button("Liste des problèmes (Excel)", lambda: exports.xlsx_bytes({"problemes": table}),
                          file_name=f"problemes_{stem}.xlsx", icon=":material/download:",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --------------------------------------------------------------------------------------------------
# Mode réunion and clôtures
# --------------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def closures() -> views.CloturesView:
    return views.CloturesView(clotures.closures(connection()))


@st.cache_resource(show_spinner=False, max_entries=16)
def closure(closure_id: int) -> clotures.Closure:
    """A frozen quarter never changes: kept as loaded, shared by every session."""
    return clotures.load_closure(connection(), closure_id)


@st.cache_data(show_spinner=False)
def meeting(filters: views.Filters, closure_id: int | None) -> views.MeetingView:
    if closure_id is None:
        return views.meeting(connection(), reference(), filters)
    frozen = closure(closure_id)
    return views.meeting(frozen.entries, frozen.ref, views.Filters(periode=frozen.periode))


@st.cache_data(show_spinner=False)
def closure_headline(closure_id: int) -> views.Headline:
    """A closure's headline figures and budget, as its quarter was presented."""
    frozen = closure(closure_id)
    return views.headline(frozen.entries, frozen.ref, views.Filters(periode=frozen.periode))


@st.cache_data(show_spinner=False)
def comparison(closure_id: int, other: int | None) -> clotures.Comparison:
    """A closure against another (`other`) or, when `other` is None, against today's data."""
    frozen = closure(closure_id)
    if other is not None:
        return clotures.compare(frozen, closure(other))
    return clotures.compare_with_live(connection(), frozen, reference())


CLOSURE_MESSAGE = "_message_cloture"


def close_quarter(periode: str, comite_le: date, reference_: str, auteur: str) -> int:
    """Freeze the quarter; the role is checked here, right before writing. The page then shows the new closure,
    chosen, with its confirmation (`flash`) on its next run, which the page asks for: everything it drew before
    (the register, the choice of closure) is stale."""
    if not is_coordinator():
        raise NotAllowed("La clôture d'un trimestre est réservée au rôle coordination.")
    with _writing() as con:
        closure_id = clotures.close_quarter(con, periode, comite_le=comite_le, reference=reference_, auteur=auteur)
    invalidate()
    st.query_params["cloture"] = str(closure_id)
    st.session_state.pop("cloture", None)  # the choice widget then follows the URL
    st.session_state[CLOSURE_MESSAGE] = (f"Trimestre clôturé (clôture n°{closure_id}). Il restera consultable tel "
                                         "quel, et ses rapports ne changeront plus.")
    return closure_id


def last_complete_quarter(choices: list[str]) -> str:
    """The quarter a comité meeting today presents: the last one over, if it is among `choices`."""
    wanted = periodes.last_complete(today())
    return wanted if wanted in choices else choices[0]


def meeting_step(count: int) -> int:
    """The screen shown, from the URL (`etape=3`), so that a link opens the meeting where it was."""
    asked = st.query_params.get("etape", "1")
    step = min(max(int(asked) if asked.isdigit() else 1, 1), count)
    st.query_params["etape"] = str(step)
    return step


def move_step(delta: int, count: int) -> None:
    """Button callback: runs before the page is drawn again, so the buttons show the new position."""
    current = st.query_params.get("etape", "1")
    step = int(current) if current.isdigit() else 1
    st.query_params["etape"] = str(min(max(step + delta, 1), count))


# The meeting's buttons, by key: Streamlit gives each keyed widget's container the class `st-key-<key>`, which the
# keyboard listener below clicks.
MEETING_KEYS = {"ArrowLeft": "reunion_precedent", "PageUp": "reunion_precedent", "ArrowRight": "reunion_suivant",
                "PageDown": "reunion_suivant", "Home": "reunion_debut", "End": "reunion_fin"}
# Streamlit has no keyboard events. A tiny component (an iframe of the same origin, no network) listens on the
# page and clicks the meeting's own buttons: ← → and a presenter's clicker (PageUp, PageDown), Home and End. It
# ignores keys typed in a field, and leaves when the component does (another page, another screen's run adds
# it again, once).
_MEETING_KEYS_SCRIPT = """<script>
(function () {
  const top = window.parent, doc = top.document, keys = %s;
  if (top.__lneReunion) doc.removeEventListener("keydown", top.__lneReunion, true);
  const listener = function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable=true]")) return;
    const key = keys[event.key];
    const button = key && doc.querySelector(".st-key-" + key + " button");
    if (!button) return;
    event.preventDefault();
    if (!button.disabled) button.click();
  };
  top.__lneReunion = listener;
  doc.addEventListener("keydown", listener, true);
  window.addEventListener("pagehide", function () {
    if (top.__lneReunion === listener) { doc.removeEventListener("keydown", listener, true); top.__lneReunion = null; }
  });
})();
</script>"""


def meeting_navigation(step: int, count: int) -> None:
    """First, previous, « Écran 3 / 10 », next, last; and the same from the keyboard or a presenter's clicker."""
    import json

    first, previous, position, following, last = st.columns([1, 1.2, 3, 1.2, 1], vertical_alignment="center")
    first.button("Début", icon=":material/first_page:", disabled=step == 1, width="stretch", key="reunion_debut",
                 on_click=move_step, args=(-count, count), help="Touche Début")
    previous.button("Précédent", icon=":material/chevron_left:", disabled=step == 1, width="stretch",
                    key="reunion_precedent", on_click=move_step, args=(-1, count), help="Touche ← ou Page précédente")
    examples = " · :orange-background[:material/science: Données d'exemple]" if data_state().exemples else ""
    position.markdown(f"#### Écran {step} / {count}{examples}", text_alignment="center")
    following.button("Suivant", icon=":material/chevron_right:", disabled=step == count, width="stretch",
                     type="primary", key="reunion_suivant", on_click=move_step, args=(1, count),
                     help="Touche → ou Page suivante")
    last.button("Fin", icon=":material/last_page:", disabled=step == count, width="stretch", key="reunion_fin",
                on_click=move_step, args=(count, count), help="Touche Fin")
    # st.iframe is Streamlit 1.67's successor of components.html: same origin, scripts allowed; the HTML is ours.
    st.iframe(_MEETING_KEYS_SCRIPT % json.dumps(MEETING_KEYS), height=1, tab_index=-1)


def closure_choice(key: str = "cloture") -> int | None:
    """Which data to show: today's, or a frozen quarter (kept in the URL as `cloture=N`)."""
    available = closures().table
    ids = [int(i) for i in available["id"]]
    labels = {i: closures().libelle(i) for i in ids}
    asked = st.query_params.get("cloture", "")
    default = int(asked) if asked.isdigit() and int(asked) in ids else 0
    # 0 stands for the live data (closure numbers start at 1); None would show an empty placeholder.
    choice = st.selectbox("Données présentées", [0, *ids], index=[0, *ids].index(default), key=key,
                          placeholder=CHOOSE, format_func=lambda i: "Données actuelles" if i == 0 else labels[i])
    if choice == 0:
        st.query_params.pop("cloture", None)
    else:
        st.query_params["cloture"] = str(choice)
    return choice or None


REPORT_MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_bytes(periode: str, fmt: str) -> Callable[[], bytes]:
    """The quarter's deck, PDF or workbook from today's data, written when its download button is clicked."""
    return lambda: _report_bytes(periode, fmt)


@st.cache_data(show_spinner=False)
def _report_bytes(periode: str, fmt: str) -> bytes:
    return reports.build(reports.report_data(connection(), periode), fmt)


def closure_report_bytes(closure_id: int, fmt: str) -> Callable[[], bytes]:
    """A closed quarter's deck, PDF or workbook, built from its frozen data: the same bytes at every download."""
    return lambda: _closure_report_bytes(closure_id, fmt)


@st.cache_data(show_spinner=False)
def _closure_report_bytes(closure_id: int, fmt: str) -> bytes:
    return reports.build(reports.closure_report_data(closure(closure_id)), fmt)


def fiche_pdf(numero: int) -> Callable[[], bytes]:
    """The fiche's one-page PDF, written when its download button is clicked."""
    return lambda: _fiche_pdf(numero)


@st.cache_data(show_spinner=False)
def _fiche_pdf(numero: int) -> bytes:
    buffer = BytesIO()
    reports.build_fiche_pdf(connection(), numero, buffer)
    return buffer.getvalue()
