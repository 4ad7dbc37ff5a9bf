"""Uploads before sign-in are refused by the server itself, and its metrics are not public.

Streamlit's upload endpoint (`PUT /_stcore/upload_file/<session>/<file>`) stores a file for any open session, under
any file id, in the server's memory until the session ends: before the gate, 8 uploads of 19 MiB by one anonymous
session (no sign-in, no uploader on its page) grew the real server by 161 MiB, every one answered 204. Here a real
`streamlit run server.py` is visited as such a session would be, without a browser: the XSRF cookie from
`/_stcore/health` (sent back as the `X-Xsrftoken` header, as Streamlit's frontend does), a websocket that runs the
Saisie page (its session id comes in `new_session`), then the same 8 uploads; the server's resident memory must grow
by less than 20 MiB and every upload be refused. `/_stcore/metrics`, which Streamlit serves to anyone, answers 404.

The gate itself (`lne_data.server.Gate`) is then driven directly, as an ASGI middleware: what it lets through.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator

import pytest
import requests

from lne_data import auth
from lne_data.server import Gate

from .conftest import streamlit_server
from .test_bounded_server import MiB, rss

PASSWORD = "coordination-portail-2026"
UPLOADS = 8
SIZE = 19 * MiB  # under server.maxUploadSize (20): what Streamlit itself would keep


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, int]]:
    with streamlit_server(tmp_path_factory.mktemp("portail") / "lne.duckdb",
                          **{auth.ENV_COORDINATION: auth.hash_password(PASSWORD)}) as (url, process):
        yield url, process.pid


async def anonymous_uploads(url: str, pid: int, count: int, size: int) -> tuple[list[int | str], int, int]:
    """An anonymous session's `count` uploads of `size` random bytes, each under a new file id, made while its
    websocket is open (the endpoint takes uploads for open sessions only): their answers, and the server's memory
    before the first and after the last."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    http = requests.Session()
    http.get(f"{url}/_stcore/health", timeout=30).raise_for_status()
    xsrf = http.cookies.get("_streamlit_xsrf")
    assert xsrf, "XSRF cookie"
    async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit", xsrf],
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


def test_anonymous_uploads_are_refused_and_the_server_memory_stays_put(server):
    url, pid = server
    answers, before, after = asyncio.run(anonymous_uploads(url, pid, UPLOADS, SIZE))
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


def call(path: str, method: str = "PUT") -> tuple[int | None, bool]:
    """The gate's answer to one request (None: passed on to Streamlit), and whether the request's body was read."""
    read, passed = [], []

    async def receive():
        read.append(True)
        return {"type": "http.request", "body": b"x" * 1000, "more_body": False}

    async def streamlit(scope, receive, send):
        passed.append(True)

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": [], "query_string": b""}
    asyncio.run(Gate(streamlit)(scope, receive, send))
    return (None if passed else sent[0]["status"]), bool(read)


@pytest.fixture
def rights(monkeypatch):
    current = {"hash": "scrypt$ancien"}
    monkeypatch.setattr(auth, "UPLOAD_RIGHTS", auth.UploadRights(current=lambda: current["hash"]))
    return current


def test_the_gate_lets_through_the_uploads_of_allowed_sessions_only(rights):
    assert call("/_stcore/upload_file/inconnue/f1") == (403, False)  # refused before its body is read
    auth.UPLOAD_RIGHTS.allow("coordinatrice", "scrypt$ancien")
    auth.UPLOAD_RIGHTS.allow("proconnect", auth.OIDC)
    assert call("/_stcore/upload_file/coordinatrice/f1") == (None, False)
    assert call("/lne/_stcore/upload_file/coordinatrice/f2") == (None, False)  # behind server.baseUrlPath
    assert call("/_stcore/upload_file/proconnect/f1") == (None, False)
    assert call("/_stcore/upload_file/inconnue/f1", "DELETE") == (None, False)  # forgetting a file frees memory
    # A new password: the session signed in with the old one may no longer upload, before any run of its page.
    rights["hash"] = "scrypt$nouveau"
    assert call("/_stcore/upload_file/coordinatrice/f3") == (403, False)
    assert call("/_stcore/upload_file/proconnect/f3") == (None, False)
    auth.UPLOAD_RIGHTS.forbid("proconnect")
    assert call("/_stcore/upload_file/proconnect/f4") == (403, False)


def test_the_gate_hides_the_metrics_and_passes_everything_else(rights):
    assert call("/_stcore/metrics", "GET") == (404, False)
    assert call("/lne/_stcore/metrics/", "GET") == (404, False)
    for path in ("/", "/Saisie", "/_stcore/health", "/_stcore/host-config", "/media/abc.png"):
        assert call(path, "GET") == (None, False), path


def test_the_upload_rights_stay_bounded():
    rights = auth.UploadRights(current=lambda: "h")
    for n in range(auth.MAX_UPLOAD_SESSIONS + 10):
        rights.allow(f"s{n}", "h")
    assert len(rights.sessions) == auth.MAX_UPLOAD_SESSIONS
    assert not rights.allows("s0") and rights.allows(f"s{auth.MAX_UPLOAD_SESSIONS + 9}")
