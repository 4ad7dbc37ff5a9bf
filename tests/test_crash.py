"""Fault injection: a process importing a large quarterly file is killed (SIGKILL) at random moments.

A child process opens a database file, imports about 21 000 values in one transaction (replacing the example
entries), checkpoints and closes; the parent kills it after a random delay (seeded, bounded by the time a whole
import takes here), twenty times. Each child is forked from one fork server that imported DuckDB and `lne_data` once
(tests/crash_child.py): a process of its own, with its own connection, without an interpreter's start-up each time.
After each kill the database must open, every table must scan in full, `CHECKPOINT` must succeed, and the data must
be exactly as before the import or exactly as after it: never a part of it. DuckDB has no `PRAGMA integrity_check`;
its blocks carry checksums verified when read, so the full scans plus `pragma_storage_info` on every table are the
check.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import random
import shutil
import signal
import sys
import time
import types
from collections import defaultdict
from multiprocessing.connection import Connection
from pathlib import Path

import openpyxl
import pytest

from lne_data import db, saisie, versions
from lne_data.demo import load_examples
from lne_data.periodes import all_between
from lne_data.referentiel import read_referentiel

from . import crash_child
from .conftest import REFERENTIEL, TODAY, dump, edit_workbook
from .hostile import HEADER, MAIN, raw_package

KILLS = 20
SEED = 20261128
PERIODES = [p for p in all_between(2024, 2026) if p <= "2026-T3"]  # 11 quarters
EXTRA_PER_FICHE = 80  # 23 × 80 indicators added to the roadmap's 80: 1 920 × 11 quarters = 21 120 values

# One fork server for the module's children: it imports tests/crash_child.py (DuckDB, pandas, lne_data) once, and
# forks each child from there.
FORKS = multiprocessing.get_context("forkserver")
FORKS.set_forkserver_preload([crash_child.__name__])


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
    child, channel = start_child(complete, pickled)
    channel.send("go")
    assert channel.poll(120), "l'import complet ne s'est pas terminé"
    import_id, import_seconds, checkpoint_seconds = channel.recv()
    channel.send("fin")
    child.join(60)
    assert child.exitcode == 0 and import_id == 2, (child.exitcode, import_id)
    after = check_database(complete)
    assert after != before and len(after["saisies"]) >= 20_000
    return pristine, pickled, before, after, import_seconds + checkpoint_seconds


def start_child(path: Path, pickled: Path) -> tuple[multiprocessing.process.BaseProcess, Connection]:
    """A child importing `pickled` into `path` once told « go », and the channel to tell it; it has said « pret »."""
    channel, theirs = FORKS.Pipe()
    child = FORKS.Process(target=crash_child.import_file, args=(str(path), str(pickled), theirs), daemon=True)
    # A child started by multiprocessing first runs its parent's main module again, unless it has no file: after an
    # AppTest test in this worker, that module is the page's script (Streamlit runs it as `__main__`), which would
    # open the dashboard's database in every child. A bare one while the child starts.
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        child.start()
    theirs.close()
    assert channel.poll(60) and channel.recv() == "pret", child.exitcode
    return child, channel


def test_sigkill_during_import_leaves_all_or_nothing(prepared, tmp_path):
    pristine, pickled, before, after, duration = prepared
    rng = random.Random(SEED)
    outcomes = []
    for attempt in range(KILLS):
        path = tmp_path / f"coupure{attempt}.duckdb"
        shutil.copyfile(pristine, path)
        child, channel = start_child(path, pickled)
        delay = rng.uniform(0.0, 1.25 * duration)
        channel.send("go")
        time.sleep(delay)
        finished = channel.poll()  # the import and its checkpoint were done before the kill
        assert child.is_alive(), child.exitcode  # done or not, the child waits to be killed
        os.kill(child.pid, signal.SIGKILL)
        child.join(60)
        assert child.exitcode == -signal.SIGKILL, child.exitcode
        channel.close()
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
        outcomes.append((round(delay, 3), outcome, "fini" if finished else "en cours"))
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    print("coupures (délai, état, import) :", outcomes)
