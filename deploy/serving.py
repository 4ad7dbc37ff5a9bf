"""A dashboard on loopback: a free port to start it on, waiting until it answers, and the browser that looks at it.

`streamlit run` takes seconds to answer; everything that starts one (deploy/shared.py, deploy/warm_visit.py, the
benchmarks, the tests' servers) waits the same way, here.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path

# Debian's chromium, driven by Playwright with `executable_path` (no browser download), for the tests and the
# benchmarks alike; the switches keep it from calling home or updating itself while it is timed or tested.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def entry(checkout: Path) -> str:
    """What `streamlit run` starts in `checkout`: `server.py`, the dashboard behind its gate (uploads and metrics,
    `lne_data/server.py`); `app.py` in a revision from before the gate (the benchmarks' `before=REV`)."""
    return "server.py" if (checkout / "server.py").exists() else "app.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, processes: Iterable[subprocess.Popen] = (), timeout: float = 90,
                 poll: float = 0.1) -> float:
    """Seconds until `url`'s health endpoint answers 200. RuntimeError as soon as one of `processes` (those serving
    `url`, when the caller started them) has stopped; TimeoutError after `timeout` seconds."""
    processes = list(processes)
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"un processus s'est arrêté (code {process.returncode}) : {process.args}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(poll)
    raise TimeoutError(f"{url} n'a pas répondu à temps")
