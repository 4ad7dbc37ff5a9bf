"""One visit of the overview as soon as a freshly started dashboard answers, so that no élu is its first visitor.

    python -m deploy.warm_visit 8501            # started in the background by scripts/run.sh and deploy/shared.py

`streamlit run` runs no code of the app before a session asks for a page: the first visitor would pay the imports,
the opening of the database and every read model. This visit pays them, through Streamlit's own websocket protocol
(a `rerun_script` for the overview, read until `script_finished`); the dashboard then warms the Indicateurs view
in the background (`lne_data.ui.warm_up`). It gives up silently after two minutes: it is an optimisation only.
"""

from __future__ import annotations

import asyncio
import sys

from deploy.serving import wait_healthy


async def visit(url: str, page_name: str = "", timeout: float = 120) -> None:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, ping_interval=None, open_timeout=timeout) as ws:
        message = BackMsg()
        message.rerun_script.page_name = page_name
        await ws.send(message.SerializeToString())
        async with asyncio.timeout(timeout):
            while ForwardMsg.FromString(await ws.recv()).WhichOneof("type") != "script_finished":
                pass


def main(argv: list[str]) -> int:
    port = argv[0] if argv else "8501"
    url = port if port.startswith("http") else f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, timeout=120)
    except TimeoutError:
        return 1
    try:
        asyncio.run(visit(url))
    except Exception:  # noqa: BLE001 — the next visitor just pays what this visit would have
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
