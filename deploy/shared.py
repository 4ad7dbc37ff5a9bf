"""Several dashboard processes behind nginx, sharing one database through published snapshots.

    python -m deploy.shared --processus 2 --port 8080 --db var/lne.duckdb

starts N `streamlit run server.py` on loopback ports, all with `LNE_DB` (the master, opened by the writer only) and
`LNE_INSTANTANES` (the snapshots every process reads, default: `<db>.instantanes/`), one cookie secret for all,
then nginx (Debian's) in the foreground with `deploy/nginx.conf` filled in, until Ctrl-C. The deployment test
(tests/test_shared_deployment.py) and the room benchmark (bench/bench_room.py) use `start` below. A real server
runs the same pieces under systemd: docs/multi-process.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from deploy.serving import entry, free_port, wait_healthy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Deployment:
    url: str
    backends: list[str]
    processes: list[subprocess.Popen] = field(default_factory=list)
    run_dir: Path | None = None
    helpers: list[subprocess.Popen] = field(default_factory=list)  # the warm visits, done in seconds

    def stop_extra(self) -> None:
        """The warm visits still running, for an owner that stops `processes` itself (bench/bench_room.py)."""
        for helper in self.helpers:
            if helper.poll() is None:
                helper.kill()
            helper.wait()

    def stop(self) -> None:
        for process in self.helpers + self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.helpers + self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def nginx_config(run_dir: Path, listen: str, backends: list[str]) -> str:
    text = (HERE / "nginx.conf").read_text()
    user = "user root;" if os.geteuid() == 0 else ""  # workers otherwise run as nobody, locked out of run_dir
    return (text.replace("{{RUN}}", str(run_dir)).replace("{{LISTEN}}", listen).replace("{{USER}}", user)
            .replace("{{SERVERS}}", "\n".join(f"        server {b};" for b in backends)))


def start(run_dir: Path, processes: int = 2, *, env: dict[str, str] | None = None, cwd: Path = ROOT,
          port: int | None = None, log: Path | None = None, warm: bool = True) -> Deployment:
    """Start `processes` dashboards and nginx in front; return once every one answers its health endpoint."""
    env = dict(os.environ if env is None else env)
    master = Path(env.get("LNE_DB") or run_dir / "lne.duckdb")
    env["LNE_DB"] = str(master)
    folder = Path(env.get("LNE_INSTANTANES") or f"{master}.instantanes")
    folder.mkdir(parents=True, exist_ok=True)
    env["LNE_INSTANTANES"] = str(folder)
    # One secret for every process: a cookie signed by one (XSRF token, sign-in) is accepted by the others.
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    output = open(log or run_dir / "processus.log", "a")  # noqa: SIM115 — the processes write to it after return
    deployment = Deployment(url="", backends=[], run_dir=run_dir)
    try:
        for _ in range(processes):
            backend_port = free_port()
            deployment.backends.append(f"127.0.0.1:{backend_port}")
            deployment.processes.append(subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", entry(cwd), "--server.address", "127.0.0.1",
                 "--server.port", str(backend_port)],
                cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT))
        for backend in deployment.backends:
            wait_healthy(f"http://{backend}", deployment.processes)
            if warm:  # each process's first visitor is this visit, not an élu (deploy/warm_visit.py)
                deployment.helpers.append(subprocess.Popen(
                    [sys.executable, "-m", "deploy.warm_visit", f"http://{backend}"], cwd=ROOT,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        listen = f"127.0.0.1:{port or free_port()}"
        config = run_dir / "nginx.conf"
        config.write_text(nginx_config(run_dir, listen, deployment.backends))
        deployment.processes.append(subprocess.Popen([NGINX, "-p", str(run_dir), "-c", str(config),
                                                      "-e", str(run_dir / "nginx-erreurs.log")],
                                                     stdout=output, stderr=subprocess.STDOUT))
        deployment.url = f"http://{listen}"
        wait_healthy(deployment.url, deployment.processes)
    except BaseException:
        deployment.stop()
        raise
    return deployment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processus", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--db", default=os.environ.get("LNE_DB") or str(ROOT / "var" / "lne.duckdb"))
    parser.add_argument("--run", default=str(ROOT / "var" / "nginx"), help="nginx's folder (config, logs)")
    args = parser.parse_args()
    run_dir = Path(args.run).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    Path(args.db).resolve().parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "LNE_DB": str(Path(args.db).resolve())}
    deployment = start(run_dir, args.processus, env=env, port=args.port)
    print(f"{args.processus} processus derrière nginx : {deployment.url} (journaux dans {run_dir})", flush=True)
    try:
        while all(p.poll() is None for p in deployment.processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        deployment.stop()


if __name__ == "__main__":
    main()
