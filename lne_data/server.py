"""The gate in front of Streamlit's server: what Streamlit serves to anyone and the dashboard does not.

`server.py` (at the root, what `streamlit run` starts) serves `app.py` and `pages/` through Streamlit's `st.App`, with
this ASGI middleware first. It answers before Streamlit sees the request:

- an upload (`PUT /_stcore/upload_file/<session>/<file>`) from a session that `auth.UPLOAD_RIGHTS` does not allow
  is refused (403) and its body dropped as it arrives, never kept. Streamlit's handler checks only that the session
  is open and the XSRF cookie matches its header (both chosen by the client), then keeps the file in memory until
  the session ends, under any file id: one anonymous visitor could fill the server 20 MB at a time;
- `/_stcore/metrics` is not found (404): Streamlit serves it to anyone, with no setting to turn it off, and it tells
  the activity of the server (sessions, report downloads, bytes uploaded).

No Streamlit here: the rights are `auth.UPLOAD_RIGHTS`, which the pages fill (`ui.uploader`); `server.py` gives the
upload size limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from . import auth

# Searched, not matched: behind `server.baseUrlPath` the paths have a prefix.
UPLOAD = re.compile(r"/_stcore/upload_file/([^/]+)/")
METRICS = re.compile(r"/_stcore/metrics(/|$)")

UPLOAD_REFUSED = ("Dépôt refusé : seule une session connectée avec le rôle coordination peut déposer un fichier "
                  "sur ce serveur.")

# Set when Streamlit's server is built with the gate: a dashboard started without it (`streamlit run app.py`)
# draws no uploader (`ui.uploader`).
installed = False


class Gate:
    """`max_upload_mb`: Streamlit's `server.maxUploadSize`, read at each refusal (the body dropped up to it)."""

    def __init__(self, app: ASGIApp, max_upload_mb: Callable[[], int] = lambda: 20) -> None:
        global installed
        self.app, self.max_upload_mb = app, max_upload_mb
        installed = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope.get("path", "")
            if METRICS.search(path):
                await PlainTextResponse("Introuvable.", status_code=404)(scope, receive, send)
                return
            upload = UPLOAD.search(path)
            if upload and scope.get("method") == "PUT" and not auth.UPLOAD_RIGHTS.allows(upload.group(1)):
                await _drop_body(receive, self.max_upload_mb() * 1024 * 1024 + 64 * 1024)
                await PlainTextResponse(UPLOAD_REFUSED, status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _drop_body(receive: Receive, limit: int) -> None:
    """Read the request's body up to `limit` bytes and keep none of it. Answering before the body is read makes the
    server close the connection under the sender: behind nginx (which streams the body) that is a 502 for 1 upload
    in 2, instead of the refusal. Beyond `limit`, the connection is let go."""
    seen = 0
    while seen <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body", False):
            return
