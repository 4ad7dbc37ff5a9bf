"""Quarterly report benchmark: time to build the deck, the PDF and the workbook of one quarter at national scale.

    python bench/bench_reports.py [--values 1000000] [--periode 2026-T4] [--repeat 3] [--formats pptx,pdf,xlsx]
                                  [--profile pptx]

The database is bench/bench_pages.py's (the 1 313-fiche national référentiel, `--values` indicator values; built
if missing), copied first: the generated file is never opened, let alone written. `report_data` is timed once,
then each format `--repeat` times on the same data (median), as `python -m lne_data report` builds it. A format
that fails is reported with its error, not timed. `--profile FORMAT` prints the 30 costliest calls of one more
build of that format under cProfile (slower than the timed runs: compare its shares, not its seconds).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from bench_pages import build_database  # noqa: E402


def _describe(fmt: str, blob: bytes) -> str:
    if fmt == "pptx":
        from pptx import Presentation

        return f"{len(Presentation(io.BytesIO(blob)).slides)} diapositives"
    if fmt == "pdf":
        from pypdf import PdfReader

        return f"{len(PdfReader(io.BytesIO(blob)).pages)} pages"
    import openpyxl

    return f"{len(openpyxl.load_workbook(io.BytesIO(blob), read_only=True).sheetnames)} feuilles"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=1_000_000)
    parser.add_argument("--periode", help="quarter of the report (default: the database's last one)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="pptx,pdf,xlsx")
    parser.add_argument("--profile", choices=("pptx", "pdf", "xlsx"))
    args = parser.parse_args()

    from lne_data import db, reports

    source = build_database(args.values)
    with tempfile.TemporaryDirectory(prefix="lne_bench_reports_") as work:
        copy = Path(work) / source.name
        shutil.copyfile(source, copy)
        con = db.connect(copy)
        periode = args.periode or generate.quarters()[0]
        print(f"{os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.1f} ; base {source.name}, {periode}",
              flush=True)
        start = time.perf_counter()
        data = reports.report_data(con, periode)
        print(f"report_data : {time.perf_counter() - start:.2f} s ({len(data.fiches)} fiches, {len(data.etp)} "
              f"structures avec des ETP, {len(data.saisis)} indicateurs renseignés sur {len(data.indicateurs)})",
              flush=True)

        builders = {
            "pptx": lambda out: reports.build_pptx(data, out),
            "pdf": lambda out: reports.build_pdf(data, out),
            "xlsx": lambda out: out.write(reports.build_xlsx(data)),
        }
        for fmt in args.formats.split(","):
            times, blob, error = [], b"", None
            for _ in range(args.repeat):
                out = io.BytesIO()
                start = time.perf_counter()
                try:
                    builders[fmt](out)
                except Exception as exc:  # noqa: BLE001 - a failing format is a result of the benchmark
                    error = f"{type(exc).__name__} après {time.perf_counter() - start:.1f} s : {str(exc)[:160]}"
                    break
                times.append(time.perf_counter() - start)
                blob = out.getvalue()
            if error:
                print(f"{fmt} : échec, {error}", flush=True)
            else:
                print(f"{fmt} : {statistics.median(times):.2f} s (médiane de {len(times)} : "
                      + ", ".join(f"{t:.2f}" for t in times) + f") ; {_describe(fmt, blob)}, "
                      + f"{len(blob) / 1e6:.1f} Mo", flush=True)

        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            try:
                builders[args.profile](io.BytesIO())
            finally:
                profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        con.close()


if __name__ == "__main__":
    main()
