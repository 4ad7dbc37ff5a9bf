"""Shared fixtures: real DuckDB files in a temporary folder, real .xlsx files built by code; and the helpers
several test modules share (opening a page in AppTest, reading a PDF or a deck back, the good quarterly rows)."""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import dataclasses
import functools
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pytest
import requests
import streamlit as st
from pptx import Presentation
from pypdf import PdfReader
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest, local_script_runner

from deploy.serving import CHROMIUM, CHROMIUM_ARGS, free_port, wait_healthy
from lne_data import auth, cli, db, periodes, ui, versions
from lne_data.referentiel import read_referentiel

ROOT = Path(__file__).resolve().parent.parent
REFERENTIEL = ROOT / "data" / "referentiel_lne_2024-2027.xlsx"
# Tests pin "today" so that period checks (future quarter…) do not depend on the day they run: the tests that pass a
# day themselves use TODAY; everything else (AppTest, the servers and the CLI they start, which inherit the
# environment) reads LNE_AUJOURDHUI, set here for the whole run unless given, e.g. LNE_AUJOURDHUI=2028-03-15 to run
# the suite after the roadmap's end.
TODAY = date(2026, 11, 28)
if not os.environ.get(periodes.ENV_AUJOURDHUI):
    os.environ[periodes.ENV_AUJOURDHUI] = TODAY.isoformat()


# Each AppTest has Streamlit scan the metadata of every installed distribution for its components (about 0.2 s,
# as much as a small page's run); the installed packages do not change during a run: scanned once per process.
_scan_once = functools.cache(manifest_scanner.scan_component_manifests)


def _scan_component_manifests(max_workers: int | None = None) -> list:
    return list(_scan_once())


manifest_scanner.scan_component_manifests = _scan_component_manifests


# AppTest waits for a run by checking every millisecond whether the list of the script's events holds its end: a
# scan of hundreds of events a thousand times a second, in the test's thread, which also takes the interpreter lock
# from the script's thread (about 6 % of the CPU of the AppTest modules). The script's thread ends once the run is
# over (AppTest joins it right after): waiting on it does the same without polling.
def _wait_for_the_run(runner: local_script_runner.LocalScriptRunner, timeout: float = 3) -> None:
    thread = runner._script_thread
    if thread is not None:
        thread.join(timeout)
    if runner.script_stopped():
        return
    runner.request_stop()
    runner.join()
    raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")


local_script_runner.require_widgets_deltas = _wait_for_the_run


APP_PASSWORD = "coordination-de-test-2026"
APP_PASSWORD_HASH = auth.hash_password(APP_PASSWORD)


@contextmanager
def streamlit_server(db_file: Path | str, *, port: int | None = None, secrets: Path | None = None,
                     **env: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """A real `streamlit run server.py` (the pages of app.py behind their gate) on a free loopback port (or `port`),
    on `db_file`, with `env` added to its environment and `secrets` as its secrets.toml: its URL and its process,
    stopped on exit. Every end-to-end test starts its servers here."""
    port = port or free_port()
    options = ["--secrets.files", str(secrets)] if secrets else []
    # The server's output goes to a file, not a pipe nobody reads: a pipe that fills up would block the server.
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 — closed in the finally below
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", *options],
        cwd=ROOT, env={**os.environ, "LNE_DB": str(db_file), **env}, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(url, [process], timeout=60)
        except (RuntimeError, TimeoutError) as exc:
            log.seek(0)
            raise RuntimeError(f"{exc} — sortie du serveur :\n{log.read()[-4000:]}") from exc
        yield url, process
    finally:
        stop(process, log)


def stop(process: subprocess.Popen, log: Any) -> None:
    """End a server the tests started (SIGTERM, then SIGKILL after 10 s) and close its log."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


# Personal sign-in (README « Comptes et ProConnect »): a real OpenID Connect provider, panva's oidc-provider from npm
# (tests/package.json, `npm ci` in scripts/test.sh), run by node with the configuration of tests/oidc/provider.mjs.
OIDC_CLIENT_ID, OIDC_CLIENT_SECRET = "tableau-de-bord-lne", "secret-du-client-de-test-0123456789"
NODE_MODULES = ROOT / "tests" / "node_modules"


@contextmanager
def oidc_provider(redirect_uri: str, people: dict[str, dict[str, str]]) -> Iterator[str]:
    """The provider on a free loopback port, its client allowed to come back to `redirect_uri`, knowing `people`
    (login → claims: email, given_name, usual_name): its issuer URL, stopped on exit."""
    if not (NODE_MODULES / "oidc-provider").is_dir():
        pytest.fail("oidc-provider manque : lancez « npm ci --prefix tests » (scripts/test.sh le fait).")
    port = free_port()
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 — closed in the finally below
    client = {"client_id": OIDC_CLIENT_ID, "client_secret": OIDC_CLIENT_SECRET, "redirect_uris": [redirect_uri]}
    process = subprocess.Popen(["node", str(ROOT / "tests" / "oidc" / "provider.mjs"), str(port)], cwd=ROOT,
                               env={**os.environ, "OIDC_CLIENT": json.dumps(client),
                                    "OIDC_PERSONNES": json.dumps(people)},
                               stdout=log, stderr=subprocess.STDOUT, text=True)
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = 30.0
        while True:
            try:
                with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or deadline <= 0:
                log.seek(0)
                raise RuntimeError(f"le fournisseur OpenID Connect n'a pas démarré :\n{log.read()[-4000:]}")
            deadline -= 0.2
            threading.Event().wait(0.2)
        yield issuer
    finally:
        stop(process, log)


def auth_secrets(folder: Path, port: int, issuer: str, lne: str = "") -> Path:
    """A secrets.toml whose `[auth]` section points Streamlit's st.login at `issuer` for a dashboard on `port`, as
    README « Comptes et ProConnect » says to write it; `lne`: lines of its `[lne]` table."""
    path = folder / "secrets.toml"
    path.write_text(f"""[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{uuid.uuid4().hex}{uuid.uuid4().hex}"
client_id = "{OIDC_CLIENT_ID}"
client_secret = "{OIDC_CLIENT_SECRET}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
client_kwargs = {{ scope = "openid email given_name usual_name", prompt = "login" }}

[lne]
fournisseur = "le fournisseur de test"
{lne}
""", encoding="utf-8")
    return path


# An `[auth]` section for AppTest's secrets (`at.secrets["auth"]`): a provider configured, never reached (AppTest's
# `user` stands for what Streamlit's st.login leaves).
PROVIDER = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
            "client_id": "lne", "client_secret": "secret",
            "server_metadata_url": "https://fournisseur.exemple/.well-known/openid-configuration"}


def plain(markdown: str) -> str:
    """Markdown as read on screen: the escapes of the names typed (`ui.md`) and the word joiners removed."""
    return markdown.replace("\\", "").replace("\u2060", "")


MiB = 1024 * 1024


def rss(pid: int) -> int:
    """Resident memory of process `pid`, in bytes (Linux)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise LookupError(pid)


def anonymous_uploads(url: str, pid: int, count: int, size: int,
                            cookies: dict[str, str] | None = None) -> tuple[list[int | str], int, int]:
    """An anonymous session's `count` uploads of `size` random bytes, each under a new file id, made while its
    websocket is open (the endpoint takes uploads for open sessions only): their answers, and the memory of the
    server process `pid` before the first and after the last. `cookies`: sent with every request (behind nginx,
    the sticky one that leads to process `pid`)."""
    # In a thread of its own: Playwright's sync API keeps an event loop running in the tests' thread.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _anonymous_uploads(url, pid, count, size, cookies)).result()


async def _anonymous_uploads(url: str, pid: int, count: int, size: int,
                             cookies: dict[str, str] | None) -> tuple[list[int | str], int, int]:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    http = requests.Session()
    http.cookies.update(cookies or {})
    http.get(f"{url}/_stcore/health", timeout=30).raise_for_status()
    xsrf = http.cookies.get("_streamlit_xsrf")
    assert xsrf, "XSRF cookie"
    async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit", xsrf],
                                  additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in http.cookies.items())},
                                  max_size=None, ping_interval=None, open_timeout=120) as ws:
        message = BackMsg()
        message.rerun_script.page_name = "Saisie"
        await ws.send(message.SerializeToString())
        session = None
        async with asyncio.timeout(120):
            while True:
                forward = ForwardMsg.FromString(await ws.recv())
                kind = forward.WhichOneof("type")
                if kind == "new_session":
                    session = forward.new_session.initialize.session_id
                elif kind == "script_finished":
                    break
        assert session
        data = os.urandom(size)
        before = rss(pid)
        answers: list[int | str] = []
        for _ in range(count):
            try:
                answer = await asyncio.to_thread(
                    http.put, f"{url}/_stcore/upload_file/{session}/{uuid.uuid4()}", timeout=60,
                    files={"file": ("t3.xlsx", data, "application/octet-stream")}, headers={"X-Xsrftoken": xsrf})
                answers.append(answer.status_code)
            except requests.ConnectionError as exc:  # a server may also close the connection on an unread body
                answers.append(type(exc).__name__)
        await asyncio.sleep(1)
        return answers, before, rss(pid)


# Browser tests (tests/test_e2e*.py, test_bounded_server.py, test_server_survives.py, test_shared_deployment.py):
# Debian's chromium driven by Playwright, screenshots kept in artifacts/screenshots/.
SHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard on a fresh database of its own, for the test module (modules that need another database
    define their own `server`)."""
    with streamlit_server(tmp_path_factory.mktemp("e2e") / "lne.duckdb") as (url, _process):
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium manque : installez le paquet Debian « chromium » (voir le README).")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def visitor(browser: Any) -> Iterator[Any]:
    """One visitor's browser (a context at 1280×720, in French): each page a test opens there is a new tab, a new
    session of the dashboard, the dashboard's scripts kept in the browser's cache from one tab to the next (a new
    context per page would download and compile them again)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    yield context
    context.close()


@pytest.fixture(scope="module")
def tab(visitor: Any) -> Iterator[Any]:
    """One tab of `visitor`, for the pages a module opens one after the other by their address (each one a new
    session of the dashboard, as following a link is): a new tab per page would have Chromium compile the
    dashboard's scripts again, twice the time."""
    page = visitor.new_page()
    yield page
    page.close()


# How long a server under load (a hostile upload being checked, a full quarter imported) is given to answer: this
# 2-core machine is often shared by other test runs.
PATIENT = 180_000


# Streamlit 1.67's root element (`stApp`) tells where the script is in `data-test-script-state`: "initial" before
# the first run, "running" or "rerunRequested" during one, "notRunning" once it has finished (the frontend's
# ScriptRunState). A widget changed does not flip it at once: the server says "running" a moment later. So the page
# has settled when the script is not running, no skeleton or status widget is left, every Plotly chart has drawn its
# SVG, the state has not changed for QUIET ms, and, if the visitor acted since the last change, a rerun was seen or
# ACTED ms have passed (a click on an expander or a focus reruns nothing).
_SETTLED = """([quiet, acted]) => {
  let seen = window.__lneSettle;
  if (!seen) {
    seen = window.__lneSettle = {changed: performance.now(), acted: -Infinity, rerunSinceAct: true};
    new MutationObserver(() => { seen.changed = performance.now(); seen.rerunSinceAct = true; })
      .observe(document.documentElement, {subtree: true, attributes: true,
                                          attributeFilter: ['data-test-script-state']});
    for (const kind of ['pointerdown', 'click', 'keydown', 'input', 'change']) {
      addEventListener(kind, () => { seen.acted = performance.now(); seen.rerunSinceAct = false; }, true);
    }
  }
  const now = performance.now();
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stStatusWidget"]')) return false;
  if ([...document.querySelectorAll('[data-testid="stPlotlyChart"]')].some(c => !c.querySelector('.main-svg'))) {
    return false;
  }
  return now - seen.changed >= quiet && (seen.rerunSinceAct || now - seen.acted >= acted);
}"""
QUIET, ACTED = 300, 1500


def settle(page: Any, timeout: int = 60_000) -> None:
    """Wait until Streamlit has finished running the script and the page has drawn what it ran."""
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout)
    page.wait_for_function(_SETTLED, arg=[QUIET, ACTED], timeout=timeout, polling=50)


def menu(page: Any, label: str, timeout: int = PATIENT) -> None:
    """Move to the page `label` with the sidebar's menu, as a visitor does once on the dashboard: the same session
    (its role, its filters, which the menu's links carry), and about half what loading a page by its address costs
    Chromium (its frontend is not loaded again)."""
    link = page.locator('[data-testid="stSidebar"]').get_by_role("link", name=label, exact=True)
    target = PurePosixPath(urllib.parse.urlparse(link.get_attribute("href") or "").path).name
    link.click()
    page.wait_for_url(lambda url: PurePosixPath(urllib.parse.urlparse(url).path).name == target, timeout=timeout)
    settle(page, timeout)


def painted(page: Any) -> None:
    """Two animation frames: the layout of a new viewport size has been painted (Plotly redraws its charts on it),
    before a screenshot."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


class Watch:
    """Calls `sample` in a thread every `interval` seconds for as long as the `with` block runs (the server tests'
    memory and health watches)."""

    interval = 0.1

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while True:
            self.sample()
            if self.stop.wait(self.interval):
                return

    def __enter__(self) -> Any:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


def open_saisie_signed_in(page: Any, url: str, password: str = APP_PASSWORD) -> Any:
    """The Saisie page in `page`, signed in as coordination as the coordinatrice does; its file input, once there."""
    page.goto(url + "/Saisie", wait_until="domcontentloaded")
    settle(page, PATIENT)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    file_input = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    file_input.wait_for(state="attached", timeout=PATIENT)
    return file_input


def health(url: str) -> int:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
        return response.status


def another_page_loads(tab: Any, url: str) -> None:
    """The Budget page loads whole in `tab` (the module's fixture: another visitor's tab, opened once, as a new tab
    would have Chromium compile the dashboard's scripts again), with its chart: the server still serves while it
    works."""
    tab.goto(url + "/Budget", wait_until="domcontentloaded")
    settle(tab, PATIENT)
    tab.wait_for_selector(".js-plotly-plot .main-svg", timeout=PATIENT)
    assert tab.locator("h1").first.inner_text() == "Budget par axe"
    assert tab.locator('[data-testid="stException"]').count() == 0


def app_session(db_file: Path, monkeypatch: pytest.MonkeyPatch, *, first_opening: bool = False) -> Iterator[None]:
    """Point the dashboard at `db_file`, with a coordination password and empty Streamlit caches
    (they outlive AppTest instances within one pytest run). Use as `yield from app_session(...)`.

    `first_opening`: `db_file` starts as the database the dashboard made on its first opening (`first_opening_copy`)."""
    if first_opening:
        first_opening_copy(db_file)
    monkeypatch.setenv("LNE_DB", str(db_file))
    monkeypatch.setenv(auth.ENV_COORDINATION, APP_PASSWORD_HASH)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


_FIRST_OPENINGS: dict[tuple[str, str], Path] = {}


def first_opening_copy(db_file: Path) -> Path:
    """Copy to `db_file` the database the dashboard makes when it first opens on no database (schema, the roadmap of
    data/, the example entries up to the day `LNE_AUJOURDHUI` says): made by app.py itself in AppTest, once per
    process and per day, a file copy afterwards instead of a load of the roadmap and the examples per test. A test
    that changes the day after its copy was made deletes `db_file`, so that the dashboard makes it again for that
    day."""
    key = (os.environ[periodes.ENV_AUJOURDHUI], os.environ.get("LNE_SANS_EXEMPLES", ""))
    if key not in _FIRST_OPENINGS:
        folder = tempfile.mkdtemp(prefix="lne-premiere-ouverture-")
        atexit.register(shutil.rmtree, folder, True)  # not under pytest's tmp folders: removed at exit
        source = Path(folder) / "lne.duckdb"
        with pytest.MonkeyPatch.context() as monkeypatch:
            for _ in app_session(source, monkeypatch):
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
                assert not at.exception, [e.value for e in at.exception]
                ui.connection().close()  # a clean close checkpoints: the copies are the whole database
        _FIRST_OPENINGS[key] = source
    shutil.copyfile(_FIRST_OPENINGS[key], db_file)
    return db_file


@pytest.fixture(scope="session")
def referentiel_bytes() -> bytes:
    return REFERENTIEL.read_bytes()


@pytest.fixture(scope="session")
def referentiel(referentiel_bytes: bytes):
    return read_referentiel(referentiel_bytes)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lne.duckdb"


@pytest.fixture(scope="session")
def loaded_db(tmp_path_factory: pytest.TempPathFactory, referentiel) -> Path:
    """A database migrated and holding the roadmap, built once per session (per xdist worker): the template every
    `con` copies, which costs a file copy instead of a migration and a load."""
    path = tmp_path_factory.mktemp("modele") / "lne.duckdb"
    connection = db.connect(path)
    try:
        db.migrate(connection)
        versions.load(connection, referentiel)
    finally:
        connection.close()  # a clean close checkpoints: the copy is the whole database, no WAL beside it
    return path


@pytest.fixture
def con(db_path: Path, loaded_db: Path) -> Iterable[duckdb.DuckDBPyConnection]:
    shutil.copyfile(loaded_db, db_path)
    connection = db.connect(db_path)
    yield connection
    connection.close()


def dump(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: equal dumps mean the same data, whatever the file layout."""
    cur = con.cursor()
    try:
        tables = [r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        return {t: sorted(cur.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        cur.close()


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A real workbook from rows of values (the first row of each sheet is its header)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


SAISIE_HEADER = ["fiche", "indicateur", "periode", "valeur", "commentaire", "saisi_par"]


def saisie_xlsx(rows: list[list[Any]], *, header: list[str] | None = None, extra: dict | None = None) -> bytes:
    sheets = {"Instructions": [["Remplir la feuille Saisie"]], "Saisie": [header or SAISIE_HEADER, *rows]}
    sheets.update(extra or {})
    return xlsx(sheets)


def edit_workbook(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def second_departement() -> bytes:
    """A small, made-up roadmap of another territory in the same layout: nothing of the Lot in it."""
    return xlsx({
        "feuille_de_route": [
            ["titre", "territoire", "structure_coordinatrice", "annee_debut", "annee_fin", "version", "source"],
            ["Gers Numérique Solidaire 2025-2028", "Gers", "Gers Numérique", 2025, 2028, "v1", "exemple de test"],
        ],
        "axes": [["code", "libelle"], [1, "Inclure"], [2, "Innover"]],
        "objectifs": [["code", "axe", "libelle"], ["1.1", 1, "Former les aidants"], ["2.1", 2, "Tiers-lieux"]],
        "fiches": [
            ["numero", "objectif", "intitule", "public_cible"],
            [1, "1.1", "Former 30 aidants", "Aidants"],
            [2, "2.1", "Ouvrir deux tiers-lieux", "Habitants"],
        ],
        "structures": [["nom", "variantes", "type"], ["Gers Numérique", "gers numerique", "collectivité"],
                       ["Conseil départemental du Gers", "", "collectivité"]],
        "porteurs": [["fiche", "structure", "role"], [1, "gers numerique", "porteur"],
                     [2, "Gers Numérique", "co-porteur"], [2, "Conseil départemental du Gers", "co-porteur"]],
        "partenaires": [["fiche", "structure"], [1, "Conseil départemental du Gers"]],
        "moyens": [
            ["fiche", "rubrique", "nature", "structure", "quantifie", "montant", "unite", "periodicite", "source"],
            [1, "RH", "etp", "Gers Numérique", "oui", 0.5, "ETP", "ponctuel", "0,5 ETP"],
            [1, "INVESTISSEMENT", "investissement", "Gers Numérique", "oui", 12000, "EUR", "ponctuel", "12 k€"],
            [2, "INVESTISSEMENT", "investissement", None, "non", None, None, None, "à définir"],
        ],
        "indicateurs": [
            ["code", "fiche", "libelle", "type", "unite", "mode", "cible"],
            ["F01-I1", 1, "Nombre d'aidants formés", "nombre", "aidants", "flux", 30],
            ["F02-I1", 2, "Tiers-lieux ouverts", "nombre", "tiers-lieux", "stock", 2],
        ],
    })


# --------------------------------------------------------------------------------------------------
# Helpers several test modules share (plain functions and data; the fixtures are above)
# --------------------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = [
    [6, "F06-I1", "2025-T3", "85 %", "Rencontre de septembre", "Coordinatrice"],
    [2, "F02-I2", "2025-T3", 4, None, "Coordinatrice"],
    [4, "F04-I1", "2025-T3", "réalisé", None, None],
    [3, "F03-I3", "2025-T3", "Retours positifs des foyers", None, None],
    [10, "F10-I2", "2025-T3", "1 234", None, None],  # a count: whole (« 1 234,5 » médiateurs is questioned)
]


def open_page(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    # The page opened by its address, as a link does: the overview does not run first (before a first run,
    # AppTest finds a page of pages/ by its file name).
    if page:
        at.switch_page(page)
    # Like a shared link: the page opened with these parameters in its URL.
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, password: str = APP_PASSWORD) -> AppTest:
    next(t for t in at.text_input if t.label == "Mot de passe").set_value(password)
    next(b for b in at.button if b.label == "Se connecter").click().run()
    return at


def decode(value):
    """Plotly 7 ships numeric arrays as typed arrays (base64 + dtype); turn them back into lists."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:  # a heatmap's grid: rows of columns
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return array.tolist()
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def figures(at: AppTest) -> list[dict]:
    return [decode(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def assert_same(expected, actual, path="quarter"):
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(expected, actual, check_exact=True, obj=path)
        assert list(expected.dtypes) == list(actual.dtypes), path
    elif dataclasses.is_dataclass(expected):
        for field in dataclasses.fields(expected):
            assert_same(getattr(expected, field.name), getattr(actual, field.name), f"{path}.{field.name}")
    else:
        assert expected == actual, path


def pptx_content(blob: bytes):
    prs = Presentation(io.BytesIO(blob))
    slides = []
    for slide in prs.slides:
        texts, charts = [], {}
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                charts[shape.chart.chart_title.text_frame.text] = shape.chart
        slides.append((texts, charts))
    return prs, slides


def pdf_text(blob: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(blob))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """Without any whitespace: table cells wrap long words, extraction gives the line breaks back."""
    return "".join(text.split())


def run_cli(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m lne_data *args` run in this process (an interpreter's start-up costs more than most commands), with
    `env` as the whole environment and `cwd` as the folder, both given back after: its exit status and what it
    printed, as a child process gives them. An exception the command line lets through fails the test (in a child
    process it would be a traceback). `run_cli_process` runs the same in a child process."""
    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), Path.cwd()
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = cli.main(list(args))
            except SystemExit as exit_:  # argparse refusing an argument
                status = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["lne_data", *args], status, out.getvalue(), err.getvalue())


def run_cli_process(*args: str, env: dict | None = None, cwd: Path = ROOT,
                    timeout: int = 120) -> subprocess.CompletedProcess:
    """`python -m lne_data *args` in a child process, as the coordinatrice runs it: what only a process shows (no
    traceback on stderr, an exit status through the interpreter, a command that must not hang)."""
    return subprocess.run([sys.executable, "-m", "lne_data", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=timeout)
