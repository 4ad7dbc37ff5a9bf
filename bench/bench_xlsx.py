"""Time lne_data.xlsx on a 100 000-row × 6-column workbook against a bare expat pass and other readers.

    python bench/bench_xlsx.py [--rows N] [--repeat R]

The workbook (texts, whole numbers, decimals, dates, booleans, unique comments, like a quarterly export) is
built once with xlsxwriter in the temporary directory. Each figure is the best of R runs, because this kind of
shared machine varies by up to a factor two from one second to the next: compare figures from the same run.
CPU time counts the isolated reader's child and python-calamine's threads too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.parsers import expat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lne_data.xlsx import read_workbook, read_workbook_isolated


def build(path: Path, rows: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("donnees")
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["structure", "nombre", "montant", "date", "actif", "commentaire"])
    for i in range(1, rows + 1):
        sheet.write_string(i, 0, f"Structure {i % 500}")
        sheet.write_number(i, 1, i)
        sheet.write_number(i, 2, i * 1.25)
        sheet.write_datetime(i, 3, dt.datetime(2024, 1, 1) + dt.timedelta(days=i % 900), date)
        sheet.write_boolean(i, 4, i % 2 == 0)
        sheet.write_string(i, 5, f"commentaire numéro {i}")
    book.close()


def best(repeat: int, run: Callable[[], object]) -> tuple[float, float]:
    """Best wall time and best CPU time (this process and its children) over `repeat` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        cpu_start, wall_start = _cpu(), time.perf_counter()
        run()
        walls.append(time.perf_counter() - wall_start)
        cpus.append(_cpu() - cpu_start)
    return min(walls), min(cpus)


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def bare_expat(path: Path) -> None:
    """Inflate the sheet and shared strings and let expat parse them with no callback at all."""
    with zipfile.ZipFile(path) as archive:
        for name in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
            parser = expat.ParserCreate()
            with archive.open(name) as stream:
                while chunk := stream.read(256 * 1024):
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rows", type=int, default=100_000)
    options.add_argument("--repeat", type=int, default=3)
    args = options.parse_args()

    path = Path(tempfile.gettempdir()) / f"lne_bench_{args.rows}.xlsx"
    if not path.exists():
        build(path, args.rows)
    data = path.read_bytes()
    print(f"{path} : {args.rows} lignes × 6 colonnes, {len(data) / 1e6:.1f} Mo, {os.cpu_count()} cœurs")

    def in_process() -> None:
        read_workbook(data).rows("donnees")

    figures = {
        "expat seul, sans callback": lambda: bare_expat(path),
        "read_workbook (analyse)": lambda: read_workbook(data),
        "read_workbook + rows() (Cell)": in_process,
        "read_workbook_isolated + rows()": lambda: read_workbook_isolated(data).rows("donnees"),
    }
    try:
        from python_calamine import CalamineWorkbook

        figures["python-calamine"] = lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
            "donnees").to_python()
    except ImportError:
        pass
    try:
        import openpyxl

        def openpyxl_read_only() -> None:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            for _ in book["donnees"].iter_rows(values_only=True):
                pass
            book.close()

        figures["openpyxl read-only"] = openpyxl_read_only
    except ImportError:
        pass
    print(f"{'':34s} {'réel':>7s} {'CPU':>7s}")
    for label, run in figures.items():
        wall, cpu = best(args.repeat, run)
        print(f"{label:34s} {wall:6.2f} s {cpu:6.2f} s")

    small = Path(tempfile.gettempdir()) / "lne_bench_10.xlsx"
    if not small.exists():
        build(small, 10)
    small_data = small.read_bytes()
    in_process_small = best(20, lambda: read_workbook(small_data).rows("donnees"))[0]
    isolated_small = best(20, lambda: read_workbook_isolated(small_data).rows("donnees"))[0]
    overhead = isolated_small - in_process_small
    print(f"petit classeur (10 lignes) : en processus {in_process_small * 1000:.1f} ms, "
          f"isolé {isolated_small * 1000:.0f} ms (surcoût de l'isolement {overhead * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
