"""Fault injection: a process importing a large quarterly file is killed (SIGKILL) at random moments.

A child Python process opens a database file, imports about 21 000 values in one transaction (replacing the
example entries), checkpoints and closes; the parent kills it after a random delay (seeded, bounded by the time
a whole import takes here), twenty times. After each kill the database must open, every table must scan in full,
`CHECKPOINT` must succeed, and the data must be exactly as before the import or exactly as after it: never a
part of it. DuckDB has no `PRAGMA integrity_check`; its blocks carry checksums verified when read, so the full
scans plus `pragma_storage_info` on every table are the check.
"""

from __future__ import annotations

import pickle
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from lne_data import db, saisie, versions
from lne_data.demo import load_examples
from lne_data.periodes import all_between
from lne_data.referentiel import read_referentiel

from .conftest import REFERENTIEL, ROOT, TODAY, dump, edit_workbook
from .hostile import HEADER, MAIN, raw_package

KILLS = 20
SEED = 20261128
PERIODES = [p for p in all_between(2024, 2026) if p <= "2026-T3"]  # 11 quarters
EXTRA_PER_FICHE = 80  # 23 × 80 indicators added to the roadmap's 80: 1 920 × 11 quarters = 21 120 values

CHILD = r"""
import pickle, sys, time
sys.path.insert(0, sys.argv[3])
from lne_data import db, saisie
con = db.connect(sys.argv[1])
with open(sys.argv[2], "rb") as f:
    validation = pickle.load(f)
print("pret", flush=True)
sys.stdin.readline()
start = time.perf_counter()
result = saisie.import_file(con, validation, auteur="crash")
imported = time.perf_counter()
con.execute("CHECKPOINT")
con.close()
print(f"fini {result.import_id} {imported - start:.3f} {time.perf_counter() - imported:.3f}", flush=True)
"""


def big_referentiel() -> bytes:
    """The roadmap with many more count indicators per fiche, so that one quarterly file holds 20 000 values."""
    def add(wb: openpyxl.Workbook) -> None:
        ws = wb["indicateurs"]
        header = [cell.value for cell in ws[1]]
        ranks: dict[int, int] = defaultdict(int)
        for row in ws.iter_rows(min_row=2, values_only=True):
            record = dict(zip(header, row))
            if record["fiche"] is not None:
                ranks[int(record["fiche"])] = max(ranks[int(record["fiche"])], int(record["code"].split("-I")[1]))
        for fiche in range(1, 24):
            for rank in range(ranks[fiche] + 1, ranks[fiche] + 1 + EXTRA_PER_FICHE):
                values = {"code": f"F{fiche:02d}-I{rank}", "fiche": fiche, "libelle": f"Compteur de charge {rank}",
                          "type": "nombre", "unite": "actions", "mode": "flux"}
                ws.append([values.get(name) for name in header])
    return edit_workbook(REFERENTIEL.read_bytes(), add)


def _text(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def quarterly_file(indicateurs: list[tuple[str, int, str]]) -> bytes:
    """One value per indicator of the database and per quarter, of the kind each indicator expects."""
    rows = ["".join(_text(f"{chr(65 + i)}1", name) for i, name in enumerate(HEADER))]
    r = 1
    for periode in PERIODES:
        for index, (code, fiche, kind) in enumerate(indicateurs):
            r += 1
            if kind == "livrable":
                value = _text(f"D{r}", "en cours")
            elif kind == "qualitatif":
                value = _text(f"D{r}", f"Appréciation {periode} n°{index}")
            else:
                value = f'<c r="D{r}"><v>{(index * 7 + r) % 90 + 1}</v></c>'
            rows.append(f'<c r="A{r}"><v>{fiche}</v></c>{_text(f"B{r}", code)}{_text(f"C{r}", periode)}{value}'
                        f'{_text(f"F{r}", "Test de coupure")}')
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
           + "".join(f'<row r="{n}">{cells}</row>' for n, cells in enumerate(rows, start=1))
           + "</sheetData></worksheet>")
    return raw_package(xml)


def state(con) -> dict:
    """Every table in full, with the one column that differs between two identical imports (its time) left out."""
    tables = dump(con)
    tables["imports"] = sorted(tuple(v for i, v in enumerate(row) if i != 4) for row in tables["imports"])
    return tables


def check_database(path: Path) -> dict:
    """Open after the crash, scan every table and its storage, checkpoint, reopen: return the data."""
    con = db.connect(path)
    try:
        data = state(con)  # a full scan of every table: every block read, and its checksum verified
        for table in data:
            con.execute("SELECT count(*) FROM pragma_storage_info(?)", [table]).fetchone()
        con.execute("FORCE CHECKPOINT")
    finally:
        con.close()
    con = db.connect(path)
    try:
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in data}
    finally:
        con.close()
    assert counts == {t: len(rows) for t, rows in data.items()}
    return data


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    pristine = folder / "avant.duckdb"
    con = db.connect(pristine)
    db.migrate(con)
    versions.load(con, read_referentiel(big_referentiel()))
    load_examples(con, today=TODAY)
    indicateurs = con.execute("SELECT code, fiche, type FROM indicateurs ORDER BY fiche, rang").fetchall()
    ctx = saisie.load_context(con, today=TODAY)
    validation = saisie.check_file(quarterly_file(indicateurs), "gros-trimestre.xlsx", ctx)
    assert validation.errors == [], validation.errors[:3]
    assert len(validation.entries) == len(indicateurs) * len(PERIODES) > 20_000
    before = state(con)
    con.close()
    pickled = folder / "validation.pickle"
    pickled.write_bytes(pickle.dumps(validation))

    # The state after a complete import, and how long one takes here (to bound the random delays).
    complete = folder / "apres.duckdb"
    shutil.copyfile(pristine, complete)
    child = start_child(complete, pickled)
    child.stdin.write("go\n")
    child.stdin.flush()
    out, _ = child.communicate(timeout=120)
    # the first real import is n°1 (the example entries are n°0)
    assert child.returncode == 0 and out.startswith("fini 1 "), out
    import_seconds, checkpoint_seconds = (float(x) for x in out.split()[2:4])
    after = check_database(complete)
    assert after != before and len(after["saisies"]) >= 20_000
    return pristine, pickled, before, after, import_seconds + checkpoint_seconds


def start_child(path: Path, pickled: Path) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(pickled), str(ROOT)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ready = child.stdout.readline()
    assert ready == "pret\n", ready
    return child


def test_sigkill_during_import_leaves_all_or_nothing(prepared, tmp_path):
    pristine, pickled, before, after, duration = prepared
    rng = random.Random(SEED)
    outcomes = []
    for attempt in range(KILLS):
        path = tmp_path / f"coupure{attempt}.duckdb"
        shutil.copyfile(pristine, path)
        child = start_child(path, pickled)
        delay = rng.uniform(0.0, 1.25 * duration)
        child.stdin.write("go\n")
        child.stdin.flush()
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        data = check_database(path)
        if data["saisies"] == before["saisies"]:
            outcome = "avant"
            assert data == before, f"coupure {attempt} ({delay:.3f} s) : saisies d'avant, mais pas le reste"
        elif data["saisies"] == after["saisies"]:
            outcome = "après"
            assert data == after, f"coupure {attempt} ({delay:.3f} s) : saisies d'après, mais pas le reste"
        else:
            pytest.fail(f"coupure {attempt} après {delay:.3f} s : import partiel ({len(data['saisies'])} saisies, "
                        f"{len(before['saisies'])} avant, {len(after['saisies'])} après)")
        outcomes.append((round(delay, 3), outcome, child.returncode))
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    print("coupures (délai, état, code de sortie) :", outcomes)
