"""Référentiel benchmark: loading the national référentiel into DuckDB, and writing the quarterly template for it.

    python bench/bench_referentiel.py [--runs 5] [--values 1000000] [--skip-template]

- chargement : `versions.load` of the national référentiel of bench/generate.py (1 313 fiches,
  8 535 indicators, ~16 000 rows in all), already read and checked, into a fresh database (the median of `--runs`,
  each in a new file); then the same workbook again (nothing to do: its SHA-256 is known), and over the Lot's
  référentiel (every row deleted then the national ones written, in the same transaction). `read_referentiel`
  (reading and checking the workbook, unchanged here) is timed apart.
- modèle : `template.build_template` for the last complete quarter, the whole roadmap (8 535 rows, each with its
  last value) and one porteur, on a copy of bench_pages.py's database of `--values` entries (built if missing).

Everything runs in this process: pandas and DuckDB are imported and warmed up before the first timing, as in the
dashboard or the command line.
"""

from __future__ import annotations

import argparse
import io
import os
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


def median_time(function, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def bench_load(runs: int) -> list[tuple[str, float, list[float]]]:
    from lne_data import db, versions
    from lne_data.referentiel import read_referentiel

    national = generate.ensure(generate.DEFAULT_DIR, ())["referentiel"].read_bytes()
    lot = read_referentiel(generate.LOT.read_bytes())
    read_time, read_times = median_time(lambda: read_referentiel(national), max(1, runs // 2))
    referentiel = read_referentiel(national)
    results = [("read_referentiel (lecture et contrôles)", read_time, read_times)]
    with tempfile.TemporaryDirectory() as work:
        counter = iter(range(10_000))

        def fresh(with_lot: bool = False):
            con = db.connect(Path(work) / f"r{next(counter)}.duckdb")
            db.migrate(con)
            if with_lot:
                versions.load(con, lot)
            return con

        warm = fresh(with_lot=True)  # the first registration of a frame imports what DuckDB needs, once
        warm.close()
        cons = [fresh() for _ in range(runs)]
        times = []
        for con in cons:
            start = time.perf_counter()
            assert versions.load(con, referentiel)
            times.append(time.perf_counter() - start)
        results.append(("versions.load, base neuve", statistics.median(times), times))
        again = []
        for con in cons:
            start = time.perf_counter()
            assert not versions.load(con, referentiel)
            again.append(time.perf_counter() - start)
            con.close()
        results.append(("versions.load, même classeur (rien à faire)", statistics.median(again), again))
        cons = [fresh(with_lot=True) for _ in range(runs)]
        replace = []
        for con in cons:
            start = time.perf_counter()
            assert versions.load(con, referentiel)
            replace.append(time.perf_counter() - start)
            con.close()
        results.append(("versions.load, à la place de celui du Lot", statistics.median(replace), replace))
    return results


def bench_template(runs: int, values: int) -> list[tuple[str, float, list[float]]]:
    import duckdb
    from bench_pages import build_database

    from lne_data import periodes
    from lne_data.template import build_template

    source = build_database(values)
    # The generated base stays pristine: the template only reads, but it reads a copy.
    work = source.with_name(f"template_run_{os.getpid()}.duckdb")
    shutil.copyfile(source, work)
    try:
        con = duckdb.connect(str(work), read_only=True)
        quarter = periodes.previous(generate.quarters()[0])
        porteur = con.execute("SELECT structure FROM porteurs GROUP BY structure ORDER BY count(*) DESC, structure "
                              "LIMIT 1").fetchone()[0]
        rows = {}

        def build(who):
            buffer = io.BytesIO()
            rows[who] = build_template(con, quarter, buffer, porteur=who)

        build(None)  # warm-up: imports, first queries
        results = []
        for who, label in ((None, "toute la feuille de route"), (porteur, f"un porteur ({porteur})")):
            median, times = median_time(lambda who=who: build(who), runs)
            results.append((f"build_template {quarter}, {label} : {rows[who]} lignes", median, times))
        con.close()
        return results
    finally:
        for leftover in (work, Path(f"{work}.wal")):
            leftover.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    parser.add_argument("--values", type=int, default=1_000_000, help="entries in the template's database")
    parser.add_argument("--skip-template", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    import pandas  # noqa: F401  (loaded by the dashboard and the command line before any of this)

    print(f"{os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.1f}", flush=True)
    results = []
    if not args.skip_load:
        results += bench_load(args.runs)
    if not args.skip_template:
        results += bench_template(args.runs, args.values)
    print("\n| mesure | médiane | essais |\n|---|---:|---|")
    for label, median, times in results:
        print(f"| {label} | {median * 1000:.0f} ms | " + ", ".join(f"{t * 1000:.0f}" for t in times) + " |")


if __name__ == "__main__":
    main()
