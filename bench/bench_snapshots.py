"""What shared mode (lne_data/snapshots.py) costs: publishing a snapshot, opening one, a write end to end.

For the Lot with its examples and, with `--values N`, the national référentiel with N values (bench_pages.py's
database): the file's size; `publish` (checkpoint, copy, fsync, rename, pointer); a reader moving to a new snapshot
(`refresh`: opening it read-only); a target set through `SnapshotStore.write` (lock, open the master, transaction,
checkpoint, close, publish) against the same write on an open connection (the single-process default); and the
overview's read model on the master and on a snapshot. Medians of `--repeat` runs; load average printed.

    python bench/bench_snapshots.py                    # the Lot
    python bench/bench_snapshots.py --values 1000000   # national scale (builds the database once, ~1 min)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from lne_data import cibles, db, snapshots, views  # noqa: E402


def timed(action, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def measure(source: Path, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_snap_") as tmp:
        master = Path(tmp) / "maitre.duckdb"
        shutil.copyfile(source, master)
        folder = Path(tmp) / "instantanes"
        folder.mkdir()
        store = snapshots.SnapshotStore(master, folder)
        store.prepare(lambda con: None)
        print(f"base {source.name} : {master.stat().st_size / 1e6:.1f} Mo ; charge {os.getloadavg()[0]:.2f}")
        print(f"  publier (copie, fsync, renommage)      {timed(store.publish, repeat) * 1000:8.1f} ms")
        refreshes = []
        for _ in range(repeat):
            store.publish()
            start = time.perf_counter()
            store.refresh()
            refreshes.append(time.perf_counter() - start)
        print(f"  lecteur : passer au nouvel instantané  {statistics.median(refreshes) * 1000:8.1f} ms")
        ref_con = store.connection()
        ref = views.reference(ref_con)
        filters = views.Filters()
        took = timed(lambda: views.overview(store.connection(), ref, filters), repeat)
        print(f"  vue d'ensemble sur un instantané       {took * 1000:8.1f} ms")

        def shared_write() -> None:
            with store.write() as con:
                cibles.set_target(con, code, "154", None, "banc d'essai", "banc")

        code = ref_con.execute("SELECT code FROM indicateurs WHERE type = 'nombre' ORDER BY code LIMIT 1").fetchone()[0]
        print(f"  une cible, mode partagé (verrou → publié) {timed(shared_write, repeat) * 1000:8.1f} ms")
        store.refresh()
        single = Path(tmp) / "seul.duckdb"
        shutil.copyfile(master, single)
        embedded = db.connect(single)
        print(f"  une cible, un seul processus (défaut)  "
              f"{timed(lambda: cibles.set_target(embedded, code, '154', None, 'banc', 'banc'), repeat) * 1000:8.1f} ms")
        took = timed(lambda: views.overview(embedded, ref, filters), repeat)
        print(f"  vue d'ensemble sur la base ouverte     {took * 1000:8.1f} ms")
        embedded.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=0, help="also the national database with this many values")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cœurs")
    with tempfile.TemporaryDirectory(prefix="bench_snap_lot_") as tmp:
        lot = Path(tmp) / "lot.duckdb"
        subprocess.run([sys.executable, "-m", "lne_data", "init", "--exemples", "--db", str(lot)], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
        measure(lot, args.repeat)
    if args.values:
        from bench_pages import build_database

        measure(build_database(args.values), args.repeat)


if __name__ == "__main__":
    main()
