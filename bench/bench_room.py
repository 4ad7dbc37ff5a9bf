"""A room of élus at once: N new sessions asking for a page at the same moment, served by a real server.

Server side, no browser: each session is a websocket on `/_stcore/stream` speaking Streamlit's own protocol — one
`BackMsg` `rerun_script` naming the page (`page_name`: "" for the overview, "Indicateurs"), then `ForwardMsg`s read
until `script_finished`. The time of a session runs from its connection to that message: what an élu waits for
before the page is drawn, less the browser's own rendering. For N ≤ 5, the same through Chromium (Debian's,
driven by Playwright): from `goto` to Streamlit's script state « notRunning » with the title drawn. Headless tabs
on 2 cores measure the browsers as much as the server, hence the limit.

Each *version* is a server: `--version after` is this checkout, `--version before=REV` the code of a git revision
(extracted with `git archive`), `--version shared=2` this checkout as 2 processes sharing a published snapshot
behind nginx (see `lne_data/store.py` and `deploy/`). Every version runs in the same invocation, one after the other
for each measure, so that the machine's load (printed before each measure) hits them alike.

Per version and page: the cold view (the first visitor on a freshly started server, `--cold-wait` seconds after its
health endpoint answers, as an élu arriving a little after a restart), then N = 1, 10, 30 (`--sizes`, 100 on
request) sessions at once on warm caches: p50, p95, max, failures, and the server's CPU time (user + system, all of
its processes) and resident memory after the burst.

    python bench/bench_room.py --version before=HEAD~1 --version after --sizes 1,10,30 --browser 1,5
    python bench/bench_room.py --version after --version shared=2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from deploy.serving import CHROMIUM, CHROMIUM_ARGS, entry, free_port, wait_healthy  # noqa: E402

PAGES = {"overview": "", "Indicateurs": "Indicateurs"}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes (and their waited-for children), from /proc."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


# --------------------------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    url: str
    processes: list[subprocess.Popen] = field(default_factory=list)
    cleanup: list = field(default_factory=list)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes if p.poll() is None]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for action in self.cleanup:
            action()


def streamlit_command(port: int, code: Path) -> list[str]:
    # Only what any deployment gives on the command line: the configuration is the checkout's .streamlit/config.toml.
    return [sys.executable, "-m", "streamlit", "run", entry(code), "--server.address", "127.0.0.1",
            "--server.port", str(port)]


def checkout(spec: str, workdir: Path) -> Path:
    """`after` is this checkout; `before=REV` a copy of a git revision's files."""
    if "=" not in spec or not spec.startswith("before"):
        return ROOT
    rev = spec.split("=", 1)[1]
    target = workdir / f"code_{rev.replace('/', '_').replace('~', '_')}"
    if not target.exists():
        target.mkdir()
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def start(spec: str, workdir: Path, db_source: Path | None) -> tuple[Server, float]:
    """Start the version `spec`; return it and the seconds until its health endpoint answered."""
    run_dir = Path(tempfile.mkdtemp(prefix="room_", dir=workdir))
    db_path = run_dir / "lne.duckdb"
    if db_source:
        shutil.copyfile(db_source, db_path)
    env = {**os.environ, "LNE_DB": str(db_path), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("LNE_COORDINATION_HASH", None)
    if spec.startswith("shared"):
        from deploy import shared

        processes_wanted = int(spec.split("=", 1)[1]) if "=" in spec else 2
        deployment = shared.start(run_dir, processes_wanted, env=env, cwd=ROOT)
        server = Server(spec, deployment.url, deployment.processes, [deployment.stop_extra])
        return server, wait_healthy(server.url, server.processes)
    code = checkout(spec.split(":", 1)[0], workdir)
    port = free_port()
    # `after:server.fileWatcherType=auto,runner.postScriptGC=false`: the same code with options changed, to
    # measure what each option is worth.
    options = [f"--{option.replace('=', ' ', 1)}".split(" ", 1)
               for option in spec.partition(":")[2].split(",") if option]
    process = subprocess.Popen(streamlit_command(port, code) + [part for pair in options for part in pair], cwd=code,
                               env=env,
                               stdout=subprocess.DEVNULL,
                               stderr=(run_dir / "server.log").open("w"))
    server = Server(spec, f"http://127.0.0.1:{port}", [process], [lambda: shutil.rmtree(run_dir, True)])
    health = wait_healthy(server.url, server.processes)
    if (code / "deploy" / "warm_visit.py").exists():  # what scripts/run.sh does once the server answers
        subprocess.Popen([sys.executable, "-m", "deploy.warm_visit", server.url], cwd=code,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return server, health


# --------------------------------------------------------------------------------------------------------------
# Sessions through the websocket protocol
# --------------------------------------------------------------------------------------------------------------


async def one_session(url: str, page_name: str, timeout: float = 300) -> tuple[float, str | None]:
    """Seconds from connecting to `script_finished` for a new session asking for `page_name`; an error or None."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    start = time.perf_counter()
    error = None
    try:
        # No keepalive pings from this client: a browser sends none, and a server starved by 100 sessions answered
        # the library's 20 s pings too late, which closed every connection (a failure of the bench, not the page).
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, ping_interval=None,
                                      open_timeout=timeout) as ws:
            message = BackMsg()
            message.rerun_script.page_name = page_name
            message.rerun_script.query_string = ""
            await ws.send(message.SerializeToString())
            async with asyncio.timeout(timeout):
                while True:
                    forward = ForwardMsg.FromString(await ws.recv())
                    kind = forward.WhichOneof("type")
                    if (kind == "delta" and forward.delta.WhichOneof("type") == "new_element"
                            and forward.delta.new_element.WhichOneof("type") == "exception"):
                        error = "exception: " + forward.delta.new_element.exception.message[:120]
                    if kind == "script_finished":
                        if forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                            error = error or f"script_finished={forward.script_finished}"
                        break
    except Exception as exc:  # noqa: BLE001 — a refused or dropped connection is a failed view, counted, not fatal
        error = f"{type(exc).__name__}: {exc}"[:160]
    return time.perf_counter() - start, error


async def burst(url: str, page_name: str, n: int) -> list[tuple[float, str | None]]:
    return await asyncio.gather(*(one_session(url, page_name) for _ in range(n)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# --------------------------------------------------------------------------------------------------------------
# Sessions through Chromium
# --------------------------------------------------------------------------------------------------------------


def browser_burst(url: str, path: str, n: int) -> list[float]:
    """N tabs opened at once (each its own browser context, like N tablets): seconds until the page is drawn."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            pages = [browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR").new_page()
                     for _ in range(n)]
            starts = {}
            for page in pages:  # goto without waiting: every tab asks at (nearly) the same moment
                starts[page] = time.perf_counter()
                page.evaluate(f"window.location.href = {url + path!r}")
            times = []
            for page in pages:
                page.wait_for_function(
                    "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
                    " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
                    " && document.querySelector('h1') }", timeout=300_000, polling=20)
                times.append(time.perf_counter() - starts[page])
            return times
        finally:
            browser.close()


# --------------------------------------------------------------------------------------------------------------


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="append", dest="versions",
                        help="after | before=REV | shared=PROCESSES, optionally followed by :option=value,… "
                             "given to streamlit run (repeatable; default: after)")
    parser.add_argument("--sizes", default="1,10,30", help="sessions at once (add 100 on request)")
    parser.add_argument("--pages", default="overview,Indicateurs")
    parser.add_argument("--browser", default="1,5", help="browser tabs at once (≤ 5; empty: none)")
    parser.add_argument("--repeat", type=int, default=1, help="bursts per size (their views are pooled)")
    parser.add_argument("--cold-wait", type=float, default=2.0,
                        help="seconds between the health endpoint answering and the first visitor")
    parser.add_argument("--no-cold", action="store_true", help="skip the first-visitor measures")
    parser.add_argument("--db", type=Path,
                        help="a database to copy for every server (default: the Lot with its examples, made once)")
    args = parser.parse_args()
    versions = args.versions or ["after"]
    sizes = [int(x) for x in args.sizes.split(",") if x]
    tabs = [int(x) for x in args.browser.split(",") if x]
    pages = args.pages.split(",")
    rows: list[tuple] = []

    print(f"{os.cpu_count()} cœurs ; versions {', '.join(versions)}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench_room_") as tmp:
        workdir = Path(tmp)
        if args.db is None:  # the Lot with its examples, made once: a restart finds its database, as in production
            args.db = workdir / "lot.duckdb"
            subprocess.run([sys.executable, "-m", "lne_data", "init", "--exemples", "--db", str(args.db)], cwd=ROOT,
                           check=True, stdout=subprocess.DEVNULL)
        # Cold: the first visitor of a fresh server, per page, versions alternating.
        for page in [] if args.no_cold else pages:
            for spec in versions:
                server, health = start(spec, workdir, args.db)
                try:
                    time.sleep(args.cold_wait)
                    before = load()
                    (seconds, error), = asyncio.run(burst(server.url, PAGES[page], 1))
                    rows.append((spec, page, "froid", 1, [seconds], [error] if error else [], None, None, before))
                    print(f"[{spec}] {page} froid {seconds * 1000:.0f} ms (santé {health:.2f} s, charge {before})"
                          + (f" ERREUR {error}" if error else ""), flush=True)
                finally:
                    server.stop()
        servers = {}
        try:
            for spec in versions:
                servers[spec], _ = start(spec, workdir, args.db)
            for server in servers.values():  # warm every page once
                for page in pages:
                    asyncio.run(burst(server.url, PAGES[page], 1))
            for page in pages:
                for n in sizes:
                    for spec, server in servers.items():
                        times, errors = [], []
                        cpu0 = cpu_seconds(server.pids)
                        before = load()
                        for _ in range(args.repeat):
                            for seconds, error in asyncio.run(burst(server.url, PAGES[page], n)):
                                times.append(seconds)
                                if error:
                                    errors.append(error)
                        cpu = (cpu_seconds(server.pids) - cpu0) / (n * args.repeat)
                        rss = rss_mb(server.pids)
                        rows.append((spec, page, "websocket", n, times, errors, cpu, rss, before))
                        print(f"[{spec}] {page} N={n}: p50 {statistics.median(times) * 1000:.0f} ms, "
                              f"p95 {percentile(times, 0.95) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms, "
                              f"CPU/vue {cpu * 1000:.0f} ms, RSS {rss:.0f} Mo, échecs {len(errors)}, charge {before}"
                              + (f" ({errors[0]})" if errors else ""), flush=True)
                for n in tabs:
                    for spec, server in servers.items():
                        before = load()
                        path = "/" if PAGES[page] == "" else f"/{PAGES[page]}"
                        try:
                            times = browser_burst(server.url, path, n)
                            errors = []
                        except Exception as exc:  # noqa: BLE001 — a failed burst is a result of the benchmark
                            times, errors = [float("nan")], [f"{type(exc).__name__}: {exc}"[:160]]
                        rows.append((spec, page, "chromium", n, times, errors, None, None, before))
                        print(f"[{spec}] {page} Chromium N={n}: p50 {statistics.median(times) * 1000:.0f} ms, "
                              f"max {max(times) * 1000:.0f} ms, charge {before}"
                              + (f" ERREUR {errors[0]}" if errors else ""), flush=True)
        finally:
            for server in servers.values():
                server.stop()

    print("\n| version | page | mode | N | p50 | p95 | max | échecs | CPU serveur / vue | RSS serveur | charge |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for spec, page, mode, n, times, errors, cpu, rss, before in rows:
        ms = lambda s: f"{s * 1000:.0f} ms" if s == s else "—"  # noqa: E731 — NaN when a burst failed whole
        print(f"| {spec} | {page} | {mode} | {n} | {ms(statistics.median(times))} | {ms(percentile(times, 0.95))} | "
              f"{ms(max(times))} | {len(errors)} | {'—' if cpu is None else f'{cpu * 1000:.0f} ms'} | "
              f"{'—' if rss is None else f'{rss:.0f} Mo'} | {before} |")


if __name__ == "__main__":
    main()
