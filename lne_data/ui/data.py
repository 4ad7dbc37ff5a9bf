"""The database side of the dashboard: the one cached connection of the process, startup checks, shared
snapshots, the warm-up, and the cached data calls pages make (`overview`, `budget`, `charge`…).

Writes go through `writing` (the single writer; `actions` checks the role first); `invalidate` clears every
cached view after one.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import Any

import duckdb
import pandas as pd
import streamlit as st
from streamlit import config as streamlit_config
from streamlit import runtime

from .. import (
    cibles,
    clotures,
    comptes,
    db,
    depots,
    figures,
    formatting,
    outils,
    periodes,
    queries,
    reports,
    saisie,
    snapshots,
    versions,
    views,
)
from ..demo import load_examples
from ..referentiel import read_referentiel
from ..template import build_template

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
        versions.load(con, read_referentiel(db.DEFAULT_REFERENTIEL.read_bytes()),
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
def writing() -> Iterator[duckdb.DuckDBPyConnection]:
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


def database_or_stop(title: str) -> None:
    """Open the database, or say in French why the dashboard cannot — instead of Streamlit's English error page.

    The visitor is told what to do, not where the file is: paths and DuckDB's wording go to the server's log.
    Nothing failed is cached, so the page works again as soon as the file is free. A misspelt LNE_AUJOURDHUI is
    said the same way: every page asks what day it is, and would otherwise end in a traceback.
    """
    try:
        periodes.today()
    except periodes.InvalidToday as exc:
        print(f"LNE : {exc}", file=sys.stderr)
        st.title(title)
        st.error(f"**Le tableau de bord est mal configuré.** {formatting.escape_markdown(exc)} La personne qui "
                 "administre le serveur corrige la variable puis redémarre le tableau de bord.",
                 icon=":material/error:")
        st.stop()
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
    missing session is filtered. AppTest sets `global.appTest` by patching `streamlit.config.get_option`, which
    `st.get_option` (another reference to the function) does not see: read through `streamlit.config`."""
    if (not runtime.exists() or streamlit_config.get_option("global.appTest")
            or os.environ.get("LNE_PRECHAUFFAGE") == "0"):
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


# --------------------------------------------------------------------------------------------------
# The pages' data calls, shared by every session through Streamlit's caches
# --------------------------------------------------------------------------------------------------


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
    return views.version_reference(connection(), numero)


@st.cache_data(show_spinner=False)
def version_comparison(numero: int, filters: views.Filters) -> pd.DataFrame:
    """Per axe, the figures of version `numero` and of the one in force (Budget and Charge RH pages)."""
    return views.compare_figures(version_reference(numero), reference(), filters)


@st.cache_data(show_spinner=False)
def version_changes(numero: int) -> versions.Difference | None:
    return versions.changes_of(connection(), numero)


def undo_risks(numero: int) -> versions.Risks:
    """Not cached: entries may have been imported since the page was drawn."""
    return versions.undo_risks(connection(), numero)


@st.cache_data(show_spinner=False)
def retired() -> versions.RetiredView:
    return versions.RetiredView.of(connection())


@st.cache_data(show_spinner=False)
def data_state() -> views.DataState:
    return views.data_state(connection())


@st.cache_data(show_spinner=False)
def overview(filters: views.Filters) -> views.Overview:
    return views.overview(connection(), reference(), filters)


@st.cache_data(show_spinner=False)
def budget(filters: views.Filters) -> views.BudgetView:
    return views.budget(reference(), filters)


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
# Saisie, Historique, Indicateurs' targets, Mode réunion and clôtures
# --------------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def reponses(periode: str) -> views.Reponses:
    return views.reponses(connection(), reference(), periode)


@st.cache_data(show_spinner=False)
def imports() -> views.ImportsView:
    return views.ImportsView(queries.imports(connection()))


@st.cache_data(show_spinner=False)
def import_details(import_id: int) -> pd.DataFrame:
    return queries.import_details(connection(), import_id)


@st.cache_data(show_spinner=False)
def import_depenses(import_id: int) -> pd.DataFrame:
    """What an import changed in the dépenses (sheet « Dépenses »), row by row."""
    return saisie.depenses_of_import(connection(), import_id)


@st.cache_data(show_spinner=False)
def target_history() -> views.CiblesView:
    return views.CiblesView(cibles.history(connection()))


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


# --------------------------------------------------------------------------------------------------
# Files to download
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


def accounts() -> pd.DataFrame:
    """The accounts in force, for the Comptes page (never cached: a removal shows at once)."""
    listed = comptes.accounts(connection())
    return pd.DataFrame({"email": [p.email for p in listed], "nom": [p.nom for p in listed],
                         "role": [comptes.ROLE_LABELS[p.role] for p in listed],
                         "structures": [", ".join(p.structures) for p in listed]})


def accounts_emails() -> list[str]:
    """The e-mails of the accounts in force, for the choice of the one to remove."""
    return [p.email for p in comptes.accounts(connection())]


# The queue's table, on the porteur's page and the coordination's: column → heading.
DEPOT_COLUMNS = {"id": "N°", "nom": "Déposé par", "fichier": "Fichier", "depose_le": "Déposé le", "fiches": "Fiches",
                 "periodes": "Trimestres", "statut": "Statut", "decide_par": "Décidé par", "message": "Message",
                 "import_id": "Import n°"}
_DEPOT_COLUMNS = ["id", "nom", "fichier", "depose_le", "fiches", "periodes", "statut", "decide_par", "message",
                  "import_id"]


def _depots_table(listed: pd.DataFrame) -> pd.DataFrame:
    out = listed[_DEPOT_COLUMNS].copy()
    out["fiches"] = [", ".join(str(int(f)) for f in fiches) for fiches in listed["fiches"]]
    out["periodes"] = [", ".join(periodes.label(str(p)) for p in found) for found in listed["periodes"]]
    out["statut"] = [depots.STATUTS.get(str(s), str(s)) for s in listed["statut"]]
    return out


def depots_table(person: comptes.Person | None) -> pd.DataFrame:
    """The submissions `person` may read: every one for the coordination (`person` None), her structures' for a
    porteur; never cached (a submission or a decision shows at once)."""
    con = connection()
    listed = depots.depots(con) if person is None else depots.visible_to(con, person)
    return _depots_table(listed)


def pending_depots() -> list[int]:
    """The submissions waiting for the coordination's validation, oldest first."""
    listed = depots.depots(connection())
    return sorted(int(i) for i, s in zip(listed["id"], listed["statut"]) if s == depots.A_VALIDER)


def fiches_of(person: comptes.Person) -> pd.DataFrame:
    """The fiches a porteur's structures carry: numero and intitule."""
    numbers = comptes.fiches_of(connection(), person.structures)
    fiches = reference().fiches
    return fiches[fiches["numero"].isin(numbers)][["numero", "intitule"]].reset_index(drop=True)


def sent_back(person: comptes.Person) -> str | None:
    """What the coordination said when it sent back the porteur's latest submission (none if it was not)."""
    listed = depots.visible_to(connection(), person)
    if listed.empty or listed["statut"].iloc[0] != depots.RENVOYE:
        return None
    latest = listed.iloc[0]
    return (f"Votre dépôt n°{int(latest['id'])} ({latest['fichier']}) vous a été renvoyé par {latest['decide_par']} "
            f"le {latest['decide_le']:%d/%m/%Y} : « {latest['message']} » Corrigez le fichier puis déposez-le à "
            "nouveau.")


# The files for the State's tools and open data (« Exports »), from the registry `outils.FORMATS`.

def export_tools() -> list[outils.Outil]:
    """The tools and their files, in the page's order."""
    return outils.par_outil()


def export_bytes(nom: str) -> Callable[[], bytes]:
    """Format `nom`'s file (a folder format: the zip of its folder), written when its download button is clicked."""
    return lambda: _export_bytes(nom)


@st.cache_data(show_spinner=False)
def _export_bytes(nom: str) -> bytes:
    return outils.FORMATS[nom].ecrire(connection())


@st.cache_data(show_spinner=False)
def export_remarques(nom: str) -> list[str]:
    """What format `nom`'s file still lacks with today's data (empty: nothing)."""
    return outils.FORMATS[nom].remarques(connection())
