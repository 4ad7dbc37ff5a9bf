"""One long text filled down a column, at scale: what checking it costs at 10 000 to 100 000 rows.

    python bench/bench_bounded.py [--sizes 10000,40000,100000] [--serveur]

The file of tests/filled_down.py (a 50 000-character text typed once, in one shared string, filled down the
`valeur` and `commentaire` columns of Saisie and the `statut` and `resultats` columns of Suivi, one row per row
asked for) is refused with six grouped problems whatever its size. tests/test_bounded.py and
tests/test_bounded_server.py check that at 500 to 5 000 rows, where the old behaviour (one message per row quoting
the whole text: 1 GB of output at 10 000 rows, a server grown to 3 GB at 100 000) fails them as well; this script
measures the sizes the tests no longer run:

- `check` : `python -m lne_data check FILE --db DB`, in its own process, as the tests run it: its wall time, the
  bytes it prints, the peak resident memory of the command and of its isolated parser's child (both are children
  of a lean launcher, whose `RUSAGE_CHILDREN.ru_maxrss` is the larger of the two peaks; see bench_import.py's
  `_hwm_mb` for why not from this process);
- `--serveur` : a real `streamlit run` (tests/conftest.py's `streamlit_server`) driven by Debian's chromium, signed
  in as coordination, uploads a 1 000-row file first (what any first upload loads), then each size in turn: the
  server's resident memory before, at its peak (sampled every 0.1 s) and after, and how long until the page shows
  the grouped problems.

The machine is shared and its load is printed: compare figures from the same run, ratios first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.filled_down import filled_down, long_text  # noqa: E402

TEXT = long_text(50_000)
MB = 1024 * 1024

# A lean launcher (standard library only): the command and the parser's child it starts are its descendants, so its
# RUSAGE_CHILDREN peak is theirs, not the size of this process.
_LAUNCH = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], cwd=sys.argv[1], capture_output=True)
print(json.dumps({"seconds": time.perf_counter() - start, "status": done.returncode,
                  "printed": len(done.stdout) + len(done.stderr), "tail": done.stderr.decode()[-300:],
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def database(folder: Path) -> Path:
    """A database migrated and holding the roadmap, as `./scripts/lne init` leaves it."""
    from lne_data import db, versions
    from lne_data.referentiel import read_referentiel

    path = folder / "lne.duckdb"
    con = db.connect(path)
    try:
        db.migrate(con)
        versions.load(con, read_referentiel((ROOT / "data" / "referentiel_lne_2024-2027.xlsx").read_bytes()))
    finally:
        con.close()
    return path


def bench_check(sizes: list[int], folder: Path) -> None:
    import json

    template = database(folder)
    print(f"{'lignes':>8} {'fichier':>9} {'check':>8} {'sortie':>9} {'pic mémoire':>12}")
    for rows in sizes:
        path = folder / f"rempli_{rows}.xlsx"
        path.write_bytes(filled_down(rows, TEXT))
        db_file = folder / f"lne_{rows}.duckdb"
        shutil.copyfile(template, db_file)
        done = subprocess.run([sys.executable, "-I", "-S", "-c", _LAUNCH, str(ROOT), sys.executable, "-m",
                               "lne_data", "check", str(path), "--db", str(db_file)],
                              capture_output=True, text=True, check=True)
        result = json.loads(done.stdout)
        if result["status"] != 1 or "6 erreur(s)" not in result["tail"]:
            raise SystemExit(f"{rows} lignes : sortie inattendue ({result['status']}) {result['tail']}")
        print(f"{rows:>8} {path.stat().st_size / 1024:>6.0f} Ko {result['seconds']:>6.1f} s "
              f"{result['printed']:>7} o {result['peak_mb']:>9.0f} Mo", flush=True)


def bench_server(sizes: list[int], folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    from deploy.serving import CHROMIUM, CHROMIUM_ARGS
    from lne_data import auth
    from tests.conftest import Watch, open_saisie_signed_in, rss, settle, streamlit_server

    class Peak(Watch):
        def __init__(self, pid: int):
            super().__init__()
            self.pid, self.peak = pid, rss(pid)

        def sample(self) -> None:
            self.peak = max(self.peak, rss(self.pid))

    def upload(page, rows: int) -> None:
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(files=[{
            "name": f"rempli_{rows}.xlsx", "buffer": filled_down(rows, TEXT),
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
        others = f"{rows - 20:,}".replace(",", "\u202f")
        page.locator('[data-testid="stTable"]').get_by_text(f"et {others} autres lignes").first.wait_for(
            state="attached", timeout=900_000)
        settle(page, timeout=900_000)

    password = "banc-memoire-2026"
    with streamlit_server(folder / "serveur.duckdb", **{auth.ENV_COORDINATION: auth.hash_password(password)}) as (
            url, process), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 2000}, locale="fr-FR")
        open_saisie_signed_in(page, url, password)
        upload(page, 1_000)
        print(f"{'lignes':>8} {'page':>8} {'avant':>8} {'pic':>8} {'après':>8}  (mémoire du serveur)")
        for rows in sizes:
            before = rss(process.pid)
            start = time.perf_counter()
            with Peak(process.pid) as watch:
                upload(page, rows)
            seconds = time.perf_counter() - start
            after = rss(process.pid)
            print(f"{rows:>8} {seconds:>6.1f} s {before / MB:>5.0f} Mo {watch.peak / MB:>5.0f} Mo "
                  f"{after / MB:>5.0f} Mo", flush=True)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,40000,100000")
    parser.add_argument("--serveur", action="store_true", help="also the real server's memory, through Chromium")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    os.environ.setdefault("LNE_AUJOURDHUI", "2026-11-28")
    print(f"{os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="lne_bench_bounded_") as tmp:
        bench_check(sizes, Path(tmp))
        if args.serveur:
            bench_server(sizes, Path(tmp))


if __name__ == "__main__":
    main()
