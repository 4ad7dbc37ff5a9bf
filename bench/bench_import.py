"""Import benchmark: the project's check + import against a naive baseline and the parse floor, side by side.

    python bench/bench_import.py [--sizes 100,1000,10000,100000] [--repeat 5] [--repeat-large 3]
                                 [--baseline-large-repeat 1] [--skip-baseline-large]
                                 [--methods projet,naif,plancher,isole]

On the same files (bench/generate.py: valid quarterly workbooks for a national-scale roadmap of 1 313 fiches and
8 535 indicators), for each size:

- projet : what the Saisie page and `python -m lne_data import` do: `saisie.load_context`, `saisie.check_file`
  (the workbook is parsed by `xlsx.read_workbook_isolated`, in a child interpreter with resource limits), then
  `saisie.import_file` into a fresh DuckDB file that holds the référentiel (copied from a template, not timed).
  `saisie.preview`, which the page shows between the two, is timed apart;
- naïf : `pandas.read_excel(engine="openpyxl")`, then one `INSERT` per row (`executemany`, in one transaction)
  into the same fresh database — no validation at all;
- plancher : the fastest parser installed, on the same bytes (fastexcel, else python-calamine): what reading
  the cells costs at best, before any check or write;
- isolé : the same reader run as an untrusted upload must be run — in a fresh interpreter with the isolated
  parser's resource limits, its table sent back as Arrow — what no safe design goes below; then that table
  written the least an audited import can write it (the rows and one history row each, two bare
  `INSERT … SELECT` in one transaction). Their sum is the least a safe, undoable import can cost, even with checks
  that took no time at all.

Each (size, method) runs in its own fresh interpreter, so that its peak memory is its own: the worker's peak
resident set (VmHWM) plus, for the project, the peak of the isolated parser's child process, measured by
`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` in a lean launcher (see `_hwm_mb` for why not in the worker).
Their sum is the figure compared to the 500 MB target (conservative: the two peaks need not coincide). Times are medians
(one warm-up run on the 100-row file first, not counted). The machine is shared and its load is printed:
compare figures from the same run, ratios first.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

WORK = generate.DEFAULT_DIR


# --------------------------------------------------------------------------------------------------------------
# Workers: one method, one file, R runs; they print one JSON line
# --------------------------------------------------------------------------------------------------------------

def _hwm_mb() -> float:
    """This process's peak resident memory since its exec (VmHWM), in MB.

    Not `getrusage(RUSAGE_SELF).ru_maxrss`: Linux starts that figure at the PARENT's peak when the process was
    started by vfork + exec (what `subprocess` does), so a small worker would inherit its launcher's size.
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Run from a lean interpreter (standard library + lne_data.xlsx, ~10 MB): the isolated parser's child is started
# from it, so `RUSAGE_CHILDREN.ru_maxrss` is the child's own peak (or, if smaller, the launcher's ~10 MB, for
# the vfork reason above) rather than the size of the process that launched it.
_CHILD_PEAK = """
import resource, sys
sys.path.insert(0, sys.argv[2])
from lne_data.xlsx import read_workbook_isolated
data = open(sys.argv[1], "rb").read()
read_workbook_isolated(data, wanted_sheets={"Saisie", "Suivi"}).rows("Saisie")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def isolated_child_peak(path: Path) -> float:
    done = subprocess.run([sys.executable, "-I", "-S", "-c", _CHILD_PEAK, str(path), str(ROOT)],
                          capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def _fresh_db(template: Path, run: int) -> Path:
    target = Path(tempfile.gettempdir()) / f"lne_bench_import_{os.getpid()}_{run}.duckdb"
    _drop(target)
    shutil.copyfile(template, target)
    return target


def _drop(path: Path) -> None:
    for leftover in (path, Path(f"{path}.wal")):
        leftover.unlink(missing_ok=True)


def worker_project(path: Path, template: Path, repeat: int, warmup: Path) -> dict:
    from lne_data import db, saisie

    idle = _hwm_mb()
    times, details = [], []
    for run in range(repeat + 1):
        source = warmup if run == 0 else path
        data = source.read_bytes()
        target = _fresh_db(template, run)
        con = db.connect(target)  # the server keeps its connection open: opening it is not timed
        try:
            start = time.perf_counter()
            ctx = saisie.load_context(con)
            validation = saisie.check_file(data, source.name, ctx)
            checked = time.perf_counter()
            preview = saisie.preview(con, validation)
            previewed = time.perf_counter()
            result = saisie.import_file(con, validation, auteur="banc d'essai")
            imported = time.perf_counter()
        finally:
            con.close()
            _drop(target)
        if not validation.ok:
            raise SystemExit(f"fichier refusé : {validation.errors[:3]}")
        expected = len(validation.entries)
        assert result.nouvelles == expected and preview.count("nouvelle") == expected, (result, expected)
        # Released before the next run, so that the peak is one import's, not two overlapping ones'.
        del validation, preview, result, ctx
        if run == 0:
            continue
        times.append((checked - start) + (imported - previewed))
        details.append({"check": checked - start, "preview": previewed - checked, "import": imported - previewed})
    own = _hwm_mb()
    children = isolated_child_peak(path)
    return {"times": times, "details": details, "rss_idle": idle, "rss_self": own, "rss_children": children,
            "rows": expected}


def worker_baseline(path: Path, template: Path, repeat: int, warmup: Path) -> dict:
    import duckdb
    import pandas as pd

    idle = _hwm_mb()
    times, details = [], []
    for run in range(repeat + 1):
        source = warmup if run == 0 else path
        data = source.read_bytes()
        target = _fresh_db(template, run)
        con = duckdb.connect(str(target))
        try:
            start = time.perf_counter()
            import io

            frame = pd.read_excel(io.BytesIO(data), sheet_name="Saisie", engine="openpyxl")
            parsed = time.perf_counter()
            rows = []
            for record in frame.itertuples(index=False):
                value = record.valeur
                number = value if isinstance(value, (int, float)) else None
                text = value if isinstance(value, str) else None
                rows.append((record.indicateur, record.periode, number, text,
                             None if pd.isna(record.commentaire) else record.commentaire,
                             None if pd.isna(record.saisi_par) else record.saisi_par))
            con.execute("BEGIN TRANSACTION")
            con.executemany("INSERT INTO saisies (indicateur, periode, valeur, valeur_texte, commentaire, saisi_par, "
                            "import_id, exemple) VALUES (?, ?, ?, ?, ?, ?, 1, false)", rows)
            con.execute("COMMIT")
            done = time.perf_counter()
            count = con.execute("SELECT count(*) FROM saisies").fetchone()[0]
        finally:
            con.close()
            _drop(target)
        assert count == len(frame), (count, len(frame))
        del frame, rows
        if run == 0:
            continue
        times.append(done - start)
        details.append({"read_excel": parsed - start, "insert": done - parsed})
    own, children = _hwm_mb(), 0.0
    return {"times": times, "details": details, "rss_idle": idle, "rss_self": own, "rss_children": children,
            "rows": count}


def floor_readers() -> dict:
    """The fast readers installed, fastest first: each takes the file's bytes and returns the cell count."""
    readers = {}
    try:
        import fastexcel

        def read_fastexcel(data: bytes) -> int:
            table = fastexcel.read_excel(data).load_sheet_by_name("Saisie").to_arrow()
            return table.num_rows * table.num_columns

        readers["fastexcel"] = read_fastexcel
    except ImportError:
        pass
    try:
        import io

        from python_calamine import CalamineWorkbook

        def read_calamine(data: bytes) -> int:
            rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Saisie").to_python()
            return sum(len(r) for r in rows[1:])

        readers["python-calamine"] = read_calamine
    except ImportError:
        pass
    return readers


def worker_floor(path: Path, template: Path, repeat: int, warmup: Path, reader: str) -> dict:
    read = floor_readers()[reader]
    idle = _hwm_mb()
    times = []
    read(warmup.read_bytes())
    data = path.read_bytes()
    for _ in range(repeat):
        start = time.perf_counter()
        read(data)
        times.append(time.perf_counter() - start)
    own, children = _hwm_mb(), 0.0
    return {"times": times, "details": [], "rss_idle": idle, "rss_self": own, "rss_children": children}


# The fastest reader run the way an untrusted upload must be: in a fresh interpreter with the same resource limits
# as the project's isolated parser, its table sent back to the caller (Arrow IPC, the cheapest way out of a
# process). What no safe design can go below, whatever its reader; `projet` is compared to it too.
_ISOLATED_FLOOR_CHILD = """
import resource, sys
for kind, limit in ((resource.RLIMIT_AS, 1024 * 1024 * 1024), (resource.RLIMIT_CPU, 30)):
    resource.setrlimit(kind, (limit, limit))
import fastexcel, pyarrow as pa
table = fastexcel.read_excel(sys.stdin.buffer.read()).load_sheet_by_name("Saisie").to_arrow()
with pa.ipc.new_stream(sys.stdout.buffer, table.schema) as out:
    out.write_batch(table)
# Its own peak (VmHWM), told on stderr: measured from the worker, RUSAGE_CHILDREN would start at the worker's.
print(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")), file=sys.stderr)
"""


def read_isolated_floor(data: bytes) -> tuple[Any, float]:
    """The Saisie sheet as an Arrow table, read in the isolated child, and the child's peak memory in MB."""
    import pyarrow as pa

    done = subprocess.run([sys.executable, "-I", "-c", _ISOLATED_FLOOR_CHILD], input=data, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"plancher isolé : l'enfant a échoué ({done.returncode}) :\n{done.stderr.decode()[-2000:]}")
    return pa.ipc.open_stream(done.stdout).read_all(), int(done.stderr.split()[-1]) / 1024


# The least the audited write can cost: the rows stored and one history row each (what undo needs), each a bare
# INSERT … SELECT into the real tables with their primary keys, in one transaction — no comparison with what the
# database held, no preview counts. Bench-only SQL: the project's own statements live in lne_data/sql/.
_MINIMAL_WRITE = (
    "INSERT INTO imports (id, fichier, sha256, auteur, importe_le, nb_nouvelles, nb_modifiees, nb_inchangees) "
    "VALUES (1, 'banc', '', 'banc', current_timestamp, 0, 0, 0)",
    "INSERT INTO saisies_historique (import_id, indicateur, periode, action, existait, apres_valeur, "
    "apres_valeur_texte, apres_commentaire, apres_saisi_par) SELECT 1, indicateur, periode, 'ajout', false, "
    "TRY_CAST(valeur AS DOUBLE), CAST(valeur AS VARCHAR), commentaire, saisi_par FROM entrant",
    "INSERT INTO saisies (indicateur, periode, valeur, valeur_texte, commentaire, saisi_par, import_id, exemple) "
    "SELECT indicateur, periode, TRY_CAST(valeur AS DOUBLE), CAST(valeur AS VARCHAR), commentaire, saisi_par, 1, "
    "false FROM entrant",
)


def minimal_write(table, template: Path, run: int) -> float:
    import duckdb

    target = _fresh_db(template, 1000 + run)
    con = duckdb.connect(str(target))
    try:
        start = time.perf_counter()
        cur = con.cursor()
        cur.register("entrant", table)
        cur.execute("BEGIN TRANSACTION")
        for statement in _MINIMAL_WRITE:
            cur.execute(statement)
        cur.execute("COMMIT")
        elapsed = time.perf_counter() - start
        assert con.execute("SELECT count(*) FROM saisies").fetchone()[0] == table.num_rows
    finally:
        con.close()
        _drop(target)
    return elapsed


def worker_isolated_floor(path: Path, template: Path, repeat: int, warmup: Path) -> dict:
    try:
        import fastexcel  # noqa: F401
    except ImportError:
        raise SystemExit("plancher isolé : fastexcel manque (pip install -r bench/requirements.txt)") from None
    idle = _hwm_mb()
    minimal_write(read_isolated_floor(warmup.read_bytes())[0], template, 0)
    data = path.read_bytes()
    times, details, peaks = [], [], []
    for run in range(repeat):
        start = time.perf_counter()
        table, child_peak = read_isolated_floor(data)
        times.append(time.perf_counter() - start)
        peaks.append(child_peak)
        details.append({"write": minimal_write(table, template, run + 1)})
        del table
    own = _hwm_mb()
    return {"times": times, "details": details, "rss_idle": idle, "rss_self": own,
            "rss_children": max(peaks)}


# --------------------------------------------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------------------------------------------

def template_db(referentiel: Path) -> Path:
    """A database holding the scaled référentiel, built once and copied (each benchmark starts from the same file)."""
    import hashlib

    from lne_data import db, versions
    from lne_data.referentiel import read_referentiel

    data = referentiel.read_bytes()
    path = WORK / f"template_{hashlib.sha256(data).hexdigest()[:12]}.duckdb"
    if not path.exists():
        print(f"chargement du référentiel national dans {path} (une fois)…", flush=True)
        partial = path.with_suffix(".partial")
        _drop(partial)
        con = db.connect(partial)
        db.migrate(con)
        start = time.perf_counter()
        versions.load(con, read_referentiel(data))
        print(f"  versions.load : {time.perf_counter() - start:.1f} s", flush=True)
        con.execute("CHECKPOINT")
        con.close()
        partial.rename(path)
    return path


def run_worker(method: str, path: Path, template: Path, repeat: int, warmup: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", method, "--file", str(path),
               "--template", str(template), "--repeat", str(repeat), "--warmup", str(warmup)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{method} sur {path.name} a échoué :\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure below 100 000 rows")
    parser.add_argument("--repeat-large", type=int, default=3, help="runs per measure at 100 000 rows")
    parser.add_argument("--baseline-large-repeat", type=int, default=1,
                        help="runs of the naive baseline at 100 000 rows (several minutes each)")
    parser.add_argument("--skip-baseline-large", action="store_true")
    parser.add_argument("--methods", default="projet,naif,plancher,isole",
                        help="what to measure, among projet, naif, plancher, isole (comma-separated)")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--template", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warmup", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        if args.worker == "projet":
            result = worker_project(args.file, args.template, args.repeat, args.warmup)
        elif args.worker == "naif":
            result = worker_baseline(args.file, args.template, args.repeat, args.warmup)
        elif args.worker == "isole":
            result = worker_isolated_floor(args.file, args.template, args.repeat, args.warmup)
        else:
            result = worker_floor(args.file, args.template, args.repeat, args.warmup, args.worker.split(":", 1)[1])
        print(json.dumps(result))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    paths = generate.ensure(WORK, sorted({100, *sizes}))
    template = template_db(paths["referentiel"])
    warmup = paths["100"]
    readers = list(floor_readers())
    print(f"{os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.1f} ; lecteurs rapides : "
          f"{', '.join(readers) or 'aucun (pip install -r bench/requirements.txt)'}", flush=True)
    results: dict[int, dict[str, dict]] = {}
    for size in sizes:
        path = paths[str(size)]
        large = size >= 100_000
        repeat = args.repeat_large if large else args.repeat
        results[size] = {}
        wanted = set(args.methods.split(","))
        methods = ["projet"] if "projet" in wanted else []
        if "naif" in wanted and not (large and args.skip_baseline_large):
            methods.append("naif")
        if "plancher" in wanted:
            methods += [f"plancher:{r}" for r in readers]
        if "isole" in wanted and "fastexcel" in readers:
            methods.append("isole")
        for method in methods:
            runs = args.baseline_large_repeat if (method == "naif" and large) else repeat
            print(f"  {size:>7} lignes — {method} ({runs} exécution(s))…", flush=True)
            results[size][method] = run_worker(method, path, template, runs, warmup)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


def report(results: dict[int, dict[str, dict]]) -> None:
    print()
    print("| lignes | projet (vérif. + import) | naïf (read_excel + INSERT) | plancher (lecteur) | naïf / projet "
          "| projet / plancher | mémoire max. projet (processus + enfant) | naïf mém. |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, by_method in results.items():
        if "projet" not in by_method:
            continue
        project = statistics.median(by_method["projet"]["times"])
        floors = {m.split(":", 1)[1]: statistics.median(r["times"]) for m, r in by_method.items()
                  if m.startswith("plancher:")}
        best = min(floors.items(), key=lambda kv: kv[1]) if floors else None
        naive = by_method.get("naif")
        naive_time = statistics.median(naive["times"]) if naive else None
        p = by_method["projet"]
        memory = p["rss_self"] + p["rss_children"]
        print(f"| {size:,} | {fmt_s(project)} | {fmt_s(naive_time) if naive else '—'} | "
              f"{f'{fmt_s(best[1])} ({best[0]})' if best else '—'} | "
              f"{f'{naive_time / project:.1f}×' if naive else '—'} | {f'{project / best[1]:.1f}×' if best else '—'} | "
              f"{memory:.0f} Mo ({p['rss_self']:.0f} + {p['rss_children']:.0f}) | "
              f"{('{:.0f} Mo'.format(naive['rss_self'])) if naive else '—'} |".replace(",", "\u202f"))
    print()
    print("Détail du projet (médianes) : vérification (lecture isolée + contrôles) / aperçu / écriture")
    for size, by_method in results.items():
        if "projet" not in by_method:
            continue
        d = by_method["projet"]["details"]
        parts = {k: statistics.median(x[k] for x in d) for k in ("check", "preview", "import")}
        print(f"  {size:>7} lignes : vérification {fmt_s(parts['check'])}, aperçu {fmt_s(parts['preview'])}, "
              f"écriture {fmt_s(parts['import'])} ; processus au repos {by_method['projet']['rss_idle']:.0f} Mo")
        if "naif" in by_method:
            d = by_method["naif"]["details"]
            print(f"  {'':>7}        naïf : read_excel {fmt_s(statistics.median(x['read_excel'] for x in d))}, "
                  f"INSERT {fmt_s(statistics.median(x['insert'] for x in d))}")
        for m, r in by_method.items():
            if m.startswith("plancher:"):
                print(f"  {'':>7}        {m.split(':', 1)[1]} : {fmt_s(statistics.median(r['times']))}, "
                      f"{r['rss_self']:.0f} Mo")
    lower_bounds = [(size, m) for size, m in results.items() if "isole" in m and "projet" in m
                    and "plancher:fastexcel" in m]
    if lower_bounds:
        print()
        print("Borne basse d'un import sûr et historisé, sans aucun contrôle : plancher isolé (fastexcel dans un "
              "interpréteur neuf limité, table rendue en Arrow) + écriture minimale (lignes et historique, deux "
              "INSERT … SELECT, une transaction) ; l'écriture du projet pour comparaison :")
        for size, by_method in lower_bounds:
            floor = statistics.median(by_method["plancher:fastexcel"]["times"])
            isolated = statistics.median(by_method["isole"]["times"])
            minimal = statistics.median(x["write"] for x in by_method["isole"]["details"])
            write = statistics.median(x["import"] for x in by_method["projet"]["details"])
            print(f"  {size:>7} lignes : plancher isolé {fmt_s(isolated)} ({isolated / floor:.1f}× le plancher) "
                  f"+ écriture minimale {fmt_s(minimal)} = {fmt_s(isolated + minimal)}, soit "
                  f"{(isolated + minimal) / floor:.1f}× le plancher (écriture du projet {fmt_s(write)}) ; enfant "
                  f"{by_method['isole']['rss_children']:.0f} Mo")


if __name__ == "__main__":
    main()
