"""Fault injection: a process importing a large quarterly file is killed (SIGKILL) at random moments.

A child process opens a database file, imports about 21 000 values in one transaction (replacing the example
entries), checkpoints and closes; it is killed after a random delay (seeded, bounded by the time a whole import
takes here), twenty times. Each child is forked from one server process started for the module, which has imported
DuckDB, pandas and `lne_data` (and loaded the checked file) but never opened a database: every child is a process of
its own that opens the file itself, without an interpreter's start-up to pay each time. After each kill the database
must open, every table must scan in full, `CHECKPOINT` must succeed, and the data must be exactly as before the
import or exactly as after it: never a part of it. DuckDB has no `PRAGMA integrity_check`; its blocks carry
checksums verified when read, so the full scans plus `pragma_storage_info` on every table are the check.
"""

from __future__ import annotations

import os
import pickle
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import openpyxl
import pytest

from lne_data import db, saisie, versions
from lne_data.demo import load_examples
from lne_data.periodes import all_between
from lne_data.referentiel import read_referentiel

from .conftest import REFERENTIEL, ROOT, TODAY, edit_workbook
from .hostile import HEADER, MAIN, raw_package

KILLS = 20
SEED = 20261128
PERIODES = [p for p in all_between(2024, 2026) if p <= "2026-T3"]  # 11 quarters
EXTRA_PER_FICHE = 80  # 23 × 80 indicators added to the roadmap's 80: 1 920 × 11 quarters = 21 120 values

# The server reads the path of the pickled validation, then, per child, a database path, and forks. The child opens
# the file, says « pret », imports, checkpoints, closes, says « fini <import> <import s> <checkpoint s> » and exits
# (« echec » and its traceback on stderr if anything fails). The server then waits for « attends » or anything else
# (« tue », or the end of its input if the test stopped), which kills the child, finished or not; it reaps the child
# only then, so that the SIGKILL can only reach its own child, never a later process given the same number, and
# says « statut <exit code> ». Every line is written with os.write: a buffer of the server's sys.stdout would be
# copied into each child and written twice. Not multiprocessing's "forkserver": with it, a child died before
# answering in the full suite under pytest-xdist (commit b1edf13), leaving an EOFError and no clue; here nothing is
# shared with the test process but two pipes, and a child's traceback reaches the test's stderr.
FORK_SERVER = r"""
import os, pickle, signal, sys, time, traceback
sys.path.insert(0, sys.argv[1])
from lne_data import db, saisie

signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # an ignored SIGCHLD inherited from the test would reap the children

def say(text):
    os.write(1, f"{text}\n".encode())

if not (pickled := sys.stdin.readline().rstrip("\n")):
    sys.exit()
with open(pickled, "rb") as f:
    validation = pickle.load(f)
while path := sys.stdin.readline().rstrip("\n"):
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            con = db.connect(path)
            say("pret")
            start = time.perf_counter()
            result = saisie.import_file(con, validation, auteur="crash")
            imported = time.perf_counter()
            con.execute("CHECKPOINT")
            con.close()
            say(f"fini {result.import_id} {imported - start:.3f} {time.perf_counter() - imported:.3f}")
            status = 0
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            say("echec")
        finally:
            os._exit(status)
    if sys.stdin.readline() != "attends\n":
        os.kill(pid, signal.SIGKILL)
    say(f"statut {os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])}")
"""


class ForkServer:
    """The server process of FORK_SERVER and the lines it and its children write back. Its stderr is the test's, so
    that a child's traceback shows in the report; it leads a process group of its own, so that a child left behind by
    a failure ends with it."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", FORK_SERVER, str(ROOT)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, bufsize=0, start_new_session=True)
        self.pending = b""

    def send(self, line: str) -> None:
        self.process.stdin.write(f"{line}\n".encode())

    def receive(self, timeout: float = 120) -> str:
        # With a deadline: a child that hangs fails the test instead of blocking the run.
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"le serveur de processus n'a rien dit en {timeout} s"
            chunk = os.read(self.process.stdout.fileno(), 4096)
            assert chunk, f"le serveur de processus s'est arrêté (code {self.process.wait()})"
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        return line.decode()

    def start(self, path: Path) -> None:
        """Fork a child importing into `path`; return once it has opened the file and begins the import."""
        self.send(str(path))
        ready = self.receive()
        assert ready == "pret", ready

    def end(self, order: str) -> tuple[int, str | None]:
        """`order` « tue » or « attends »: the child's exit code, and its « fini » line if it got there."""
        self.send(order)
        finished = None
        while not (line := self.receive()).startswith("statut "):
            assert line.startswith("fini ") and finished is None, line
            finished = line
        return int(line.split()[1]), finished

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


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


Fingerprints = dict[str, tuple[int, int]]


def fingerprints(con: duckdb.DuckDBPyConnection) -> Fingerprints:
    """Per table, its number of rows and the sum of the 64-bit hashes of its whole rows: equal whatever the order of
    the rows and the layout of the file; one row missing, added or changed changes it (barring a collision of hashes).
    The one column that differs between two identical imports (the import's time) is left out."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1").fetchall()]
    # One query for every table, so that DuckDB scans them side by side; summed as HUGEINT, as the hashes of 20 000
    # rows overflow 64 bits.
    query = " UNION ALL ".join(
        f"SELECT '{table}', count(*), sum(hash(whole)::HUGEINT) FROM (SELECT "
        f"""{'* EXCLUDE (importe_le)' if table == 'imports' else '*'} FROM "{table}") whole""" for table in tables)
    return {table: (count, total or 0) for table, count, total in con.execute(query).fetchall()}


def differing(data: Fingerprints, expected: Fingerprints) -> str:
    """The tables whose rows differ, with their counts, for a failure message."""
    def one(table: str) -> str:
        found, wanted = data.get(table, (0, 0))[0], expected.get(table, (0, 0))[0]
        return f"{table} ({found} lignes, {wanted} attendues)" if found != wanted else f"{table} (lignes modifiées)"
    tables = sorted(data.keys() | expected.keys())
    return ", ".join(one(table) for table in tables if data.get(table) != expected.get(table))


def check_database(path: Path) -> Fingerprints:
    """Open after the crash, scan every table and its storage, checkpoint, reopen and scan again: return the data's
    fingerprints."""
    con = db.connect(path)
    try:
        data = fingerprints(con)  # every column of every row hashed: every block read, and its checksum verified
        storage = " UNION ALL ".join(f"SELECT count(*) FROM pragma_storage_info('{table}')" for table in data)
        con.execute(storage).fetchall()
        con.execute("FORCE CHECKPOINT")
    finally:
        con.close()
    con = db.connect(path)
    try:
        again = fingerprints(con)  # what the checkpoint wrote, read back
    finally:
        con.close()
    assert again == data, f"après CHECKPOINT et réouverture : {differing(again, data)}"
    return data


@pytest.fixture(scope="module")
def fork_server():
    # Started first, so that its imports run while the databases and the file are being built.
    server = ForkServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def prepared(fork_server, tmp_path_factory):
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
    before = fingerprints(con)
    con.close()
    pickled = folder / "validation.pickle"
    pickled.write_bytes(pickle.dumps(validation))
    fork_server.send(str(pickled))

    # The state after a complete import, and how long one takes here (to bound the random delays).
    complete = folder / "apres.duckdb"
    shutil.copyfile(pristine, complete)
    fork_server.start(complete)
    code, finished = fork_server.end("attends")
    # the first real import is n°1 (the example entries are n°0)
    assert code == 0 and finished is not None and finished.startswith("fini 1 "), (code, finished)
    import_seconds, checkpoint_seconds = (float(x) for x in finished.split()[2:4])
    after = check_database(complete)
    assert after["saisies"] != before["saisies"] and after["saisies"][0] >= 20_000
    return pristine, before, after, import_seconds + checkpoint_seconds


def test_sigkill_during_import_leaves_all_or_nothing(prepared, fork_server, tmp_path):
    pristine, before, after, duration = prepared
    rng = random.Random(SEED)
    outcomes = []
    for attempt in range(KILLS):
        path = tmp_path / f"coupure{attempt}.duckdb"
        shutil.copyfile(pristine, path)
        fork_server.start(path)
        delay = rng.uniform(0.0, 1.25 * duration)
        time.sleep(delay)
        code, finished = fork_server.end("tue")
        # Killed, or done before the kill came: a child that stopped on an error would prove nothing.
        assert code == -signal.SIGKILL or (code == 0 and finished), f"coupure {attempt} : code de sortie {code}"
        data = check_database(path)
        if data["saisies"] == before["saisies"]:
            outcome = "avant"
            assert data == before, (f"coupure {attempt} ({delay:.3f} s) : saisies d'avant, mais pas le reste : "
                                    f"{differing(data, before)}")
        elif data["saisies"] == after["saisies"]:
            outcome = "après"
            assert data == after, (f"coupure {attempt} ({delay:.3f} s) : saisies d'après, mais pas le reste : "
                                   f"{differing(data, after)}")
        else:
            pytest.fail(f"coupure {attempt} après {delay:.3f} s : import partiel ({data['saisies'][0]} saisies, "
                        f"{before['saisies'][0]} avant, {after['saisies'][0]} après)")
        # An import that said it was done (committed, checkpointed, closed) must be all there.
        assert outcome == "après" or not finished, f"coupure {attempt} : import terminé mais absent"
        outcomes.append((round(delay, 3), outcome, code))
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    print("coupures (délai, état, code de sortie) :", outcomes)
