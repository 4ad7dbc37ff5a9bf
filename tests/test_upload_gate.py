"""Uploads before sign-in are refused by the server itself, and its metrics are not public.

Streamlit's upload endpoint (`PUT /_stcore/upload_file/<session>/<file>`) stores a file for any open session, under
any file id, in the server's memory until the session ends: before the gate, 8 uploads of 19 MiB by one anonymous
session (no sign-in, no uploader on its page) grew the real server by 161 MiB, every one answered 204. Here a real
`streamlit run server.py` is visited as such a session would be, without a browser: the XSRF cookie from
`/_stcore/health` (sent back as the `X-Xsrftoken` header, as Streamlit's frontend does), a websocket that runs the
Saisie page (its session id comes in `new_session`), then the same 8 uploads; the server's resident memory must grow
by less than 20 MiB and every upload be refused (403: the gate reads each body to its end and drops it).
`/_stcore/metrics`, which Streamlit serves to anyone, answers 404.

The gate itself (`lne_data.server.Gate`) is then driven directly, as an ASGI middleware: what it lets through.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest
import requests

from lne_data import auth
from lne_data.server import Gate

from .conftest import MiB, anonymous_uploads, streamlit_server

PASSWORD = "coordination-portail-2026"
UPLOADS = 8
SIZE = 19 * MiB  # under server.maxUploadSize (20): what Streamlit itself would keep


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, int]]:
    with streamlit_server(tmp_path_factory.mktemp("portail") / "lne.duckdb",
                          **{auth.ENV_COORDINATION: auth.hash_password(PASSWORD)}) as (url, process):
        yield url, process.pid


def test_anonymous_uploads_are_refused_and_the_server_memory_stays_put(server):
    url, pid = server
    answers, before, after = anonymous_uploads(url, pid, UPLOADS, SIZE)
    print(f"\nserveur : {before / MiB:.0f} Mo avant, {after / MiB:.0f} Mo après {UPLOADS} dépôts anonymes de "
          f"{SIZE / MiB:.0f} Mo ; réponses {answers}")
    assert answers == [403] * UPLOADS
    assert after - before < 20 * MiB, (before / MiB, after / MiB)


def test_the_metrics_are_not_served(server):
    url, _pid = server
    for path in ("/_stcore/metrics", "/_stcore/metrics?families=session_events_total", "/_stcore/metrics/",
                 "//_stcore/metrics"):
        answer = requests.get(f"{url}{path}", timeout=30, headers={"Accept": "application/x-protobuf"})
        assert answer.status_code == 404, path
        assert "session" not in answer.text, path
    assert requests.get(f"{url}/_stcore/health", timeout=30).status_code == 200


def call(path: str, method: str = "PUT", chunks: int = 1) -> tuple[int | None, int]:
    """The gate's answer to one request whose body comes in `chunks` of 1 MiB (None: passed on to Streamlit), and
    how many chunks it read."""
    read: list[bool] = []
    passed: list[bool] = []

    async def receive():
        read.append(True)
        return {"type": "http.request", "body": b"x" * MiB, "more_body": len(read) < chunks}

    async def streamlit(scope, receive, send):
        passed.append(True)

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": [], "query_string": b""}
    asyncio.run(Gate(streamlit)(scope, receive, send))
    return (None if passed else sent[0]["status"]), len(read)


@pytest.fixture
def rights(monkeypatch):
    current = {"hash": "scrypt$ancien", "comptes": {"agent@proconnect.fr"}}
    monkeypatch.setattr(auth, "UPLOAD_RIGHTS", auth.UploadRights(
        current=lambda: current["hash"], person_may_upload=lambda email: email in current["comptes"]))
    return current


def test_the_gate_lets_through_the_uploads_of_allowed_sessions_only(rights):
    # Refused; its body read to the end (a proxy in front gets the 403, not a reset connection) and dropped.
    assert call("/_stcore/upload_file/inconnue/f1", chunks=5) == (403, 5)
    assert call("/_stcore/upload_file/inconnue/f1", chunks=100) == (403, 21)  # not beyond the 20 MB limit
    auth.UPLOAD_RIGHTS.allow("coordinatrice", "scrypt$ancien")
    auth.UPLOAD_RIGHTS.allow("proconnect", auth.personal_credential("agent@proconnect.fr"))
    auth.UPLOAD_RIGHTS.allow("ancienne", auth.personal_credential("ancienne@proconnect.fr"))
    assert call("/_stcore/upload_file/coordinatrice/f1") == (None, 0)
    assert call("/lne/_stcore/upload_file/coordinatrice/f2") == (None, 0)  # behind server.baseUrlPath
    assert call("/_stcore/upload_file/proconnect/f1") == (None, 0)
    assert call("/_stcore/upload_file/ancienne/f1") == (403, 1)  # an account that no longer lets her upload
    assert call("/_stcore/upload_file/inconnue/f1", "DELETE") == (None, 0)  # forgetting a file frees memory
    # A new password: the session signed in with the old one may no longer upload, before any run of its page.
    rights["hash"] = "scrypt$nouveau"
    assert call("/_stcore/upload_file/coordinatrice/f3") == (403, 1)
    assert call("/_stcore/upload_file/proconnect/f3") == (None, 0)
    # Her account removed: refused from that moment, before any run of her page.
    rights["comptes"].clear()
    assert call("/_stcore/upload_file/proconnect/f4") == (403, 1)
    rights["comptes"].add("agent@proconnect.fr")
    auth.UPLOAD_RIGHTS.forbid("proconnect")
    assert call("/_stcore/upload_file/proconnect/f5") == (403, 1)


def test_the_gate_hides_the_metrics_and_passes_everything_else(rights):
    assert call("/_stcore/metrics", "GET") == (404, 0)
    assert call("/lne/_stcore/metrics/", "GET") == (404, 0)
    for path in ("/", "/Saisie", "/_stcore/health", "/_stcore/host-config", "/media/abc.png"):
        assert call(path, "GET") == (None, 0), path


def test_the_upload_rights_stay_bounded():
    rights = auth.UploadRights(current=lambda: "h")
    for n in range(auth.MAX_UPLOAD_SESSIONS + 10):
        rights.allow(f"s{n}", "h")
    assert len(rights.sessions) == auth.MAX_UPLOAD_SESSIONS
    assert not rights.allows("s0") and rights.allows(f"s{auth.MAX_UPLOAD_SESSIONS + 9}")


def test_the_pages_draw_uploaders_through_ui_uploader_only():
    """`ui.uploader` allows the session at the gate, for the coordination role only; an uploader drawn another way
    would be refused by the gate for everyone, or, with other widgets that upload (camera, audio, chat files), be a
    way round the role."""
    from .conftest import ROOT

    widgets = re.compile(r"\b(file_uploader|camera_input|audio_input|chat_input)\(")
    drawing = {path.relative_to(ROOT).as_posix()
               for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "lne_data").rglob("*.py")]
               if widgets.search(path.read_text(encoding="utf-8"))}
    assert drawing == {"lne_data/ui/auth.py"}
