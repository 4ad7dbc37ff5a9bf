"""Shared mode (`LNE_INSTANTANES`, lne_data/snapshots.py): one writer at a time on the master, every process
reading published snapshots; and the warm-up of the read models.

The processes here are real ones (a child Python): a write in one is read in the other while the reader keeps its
snapshot open; a writer killed by SIGKILL in the middle of its transaction leaves nothing of it and does not keep
the lock; one killed after its commit but before the publication is published at the next start.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lne_data import cibles, db, saisie, snapshots, ui, versions, views
from lne_data.demo import load_examples
from lne_data.referentiel import read_referentiel
from lne_data.ui import data as ui_data
from lne_data.ui.data import _shared_store

from .conftest import REFERENTIEL, ROOT, TODAY, app_session
from .hostile import workbook

# A child process: takes the writers' lock, sets a target of F03-I1 in one transaction, then (argv[4]) either
# publishes normally, or says so and waits to be killed inside the transaction, or after its commit.
CHILD = r"""
import sys, time
sys.path.insert(0, sys.argv[3])
from lne_data import cibles, db, snapshots
store = snapshots.SnapshotStore(sys.argv[1], sys.argv[2])
mode = sys.argv[4]
with store.write() as con:
    if mode == "pendant":
        with db.transaction(con) as cur:
            cur.execute("DELETE FROM saisies")
            print("pret", flush=True)
            time.sleep(60)
    cibles.set_target(con, "F03-I1", "154", "2027", "décidée par un autre processus", "Claire")
    if mode == "apres":
        print("pret", flush=True)
        time.sleep(60)
print("fini", flush=True)
"""


def prepare(con) -> None:
    db.migrate(con)
    if not con.execute("SELECT count(*) FROM fiches").fetchone()[0]:
        versions.load(con, read_referentiel(REFERENTIEL.read_bytes()))
        load_examples(con)


@pytest.fixture
def store(tmp_path: Path) -> snapshots.SnapshotStore:
    folder = tmp_path / "instantanes"
    folder.mkdir()
    shared = snapshots.SnapshotStore(tmp_path / "maitre.duckdb", folder)
    shared.prepare(prepare)
    return shared


def child(store: snapshots.SnapshotStore, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(store.master), str(store.folder), str(ROOT), mode],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def targets(con) -> int:
    return len(cibles.history(con))


def test_a_write_in_one_process_is_read_in_another_that_keeps_its_snapshot_open(store):
    reader = store.connection()
    values = reader.execute("SELECT count(*) FROM saisies").fetchone()[0]
    assert values > 0 and targets(reader) == 0
    writer = child(store, "normal")
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert targets(reader) == 0  # the open snapshot never changes under a reader
    assert store.refresh() is True
    assert targets(store.connection()) == 1
    assert store.refresh() is False
    assert not (store.folder / snapshots.MARKER).exists()


def test_a_writer_killed_inside_its_transaction_leaves_nothing_and_frees_the_lock(store):
    before = store.generation()
    writer = child(store, "pendant")
    assert writer.stdout.readline().strip() == "pret"
    writer.send_signal(signal.SIGKILL)
    writer.wait(30)
    start = time.monotonic()
    with store.write() as con:  # the kernel released the dead writer's lock: no wait
        assert con.execute("SELECT count(*) FROM saisies").fetchone()[0] > 0  # its DELETE never happened
    assert time.monotonic() - start < 30
    assert store.generation() > before
    store.refresh()
    assert store.connection().execute("SELECT count(*) FROM saisies").fetchone()[0] > 0


def test_a_write_killed_before_its_publication_is_published_at_the_next_start(store):
    writer = child(store, "apres")
    assert writer.stdout.readline().strip() == "pret"
    writer.send_signal(signal.SIGKILL)
    writer.wait(30)
    # Committed in the master, not yet published: the marker says so.
    assert (store.folder / snapshots.MARKER).exists()
    store.refresh()
    assert targets(store.connection()) == 0
    restarted = snapshots.SnapshotStore(store.master, store.folder)
    restarted.prepare(prepare)
    restarted.refresh()
    assert targets(restarted.connection()) == 1
    assert not (store.folder / snapshots.MARKER).exists()


def test_the_dashboard_in_shared_mode_reads_another_processs_import(tmp_path, monkeypatch):
    """Through the pages (AppTest): the overview shows the examples, another writer imports real values (which
    removes them), and the next run of the page, in this process, shows the new snapshot."""
    folder = tmp_path / "instantanes"
    folder.mkdir()
    monkeypatch.setenv(snapshots.ENV_FOLDER, str(folder))
    for _ in app_session(tmp_path / "maitre.duckdb", monkeypatch):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        assert not at.exception
        assert any("Données d'exemple" in w.value for w in at.warning)
        other = snapshots.SnapshotStore(tmp_path / "maitre.duckdb", folder)  # as a second process would
        with other.write() as con:
            data = workbook([[6, "F06-I1", "2025-T3", 42, "Import d'un autre processus", "Claire"]])
            validation = saisie.check_file(data, "t3.xlsx", saisie.load_context(con, today=TODAY))
            assert validation.ok, validation.errors
            saisie.import_file(con, validation, auteur="Claire")
        at.run()
        assert not at.exception
        assert not any("Données d'exemple" in w.value for w in at.warning)
        assert _shared_store() is not None and ui.connection() is _shared_store().connection()


def test_the_warm_up_computes_what_the_first_visitor_would(tmp_path, monkeypatch):
    """`ui.warm_up` fills the shared caches: the Indicateurs page then runs without computing its view."""
    for _ in app_session(tmp_path / "lne.duckdb", monkeypatch):
        ui.connection()
        ui.warm_up()

        def not_again(*args, **kwargs):
            raise AssertionError("vue recalculée : le préchauffage ne l'avait pas gardée")

        monkeypatch.setattr(views, "indicateurs", not_again)
        monkeypatch.setattr(views, "overview", not_again)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        assert not at.exception, at.exception
        at.switch_page("pages/3_Indicateurs.py").run()
        assert not at.exception, at.exception


def test_no_warm_up_runs_under_apptest(tmp_path, monkeypatch):
    """A warm-up thread started by a test's page would outlive it and fill the next test's caches (and cost as much
    CPU as the pages themselves): under AppTest, opening the database (the first run) starts none."""
    started = []
    monkeypatch.setattr(ui_data, "_warm_up_quietly", lambda: started.append("préchauffage"))
    for _ in app_session(tmp_path / "lne.duckdb", monkeypatch):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        assert not at.exception, at.exception
        at.switch_page("pages/3_Indicateurs.py").run()
        assert not at.exception, at.exception
    assert started == []


def test_a_command_line_write_is_published_by_the_publish_command(store, monkeypatch, capsys):
    """In shared mode the command line writes the master directly; `python -m lne_data.snapshots` publishes it."""
    con = db.connect(store.master)
    cibles.set_target(con, "F03-I1", "154", "2027", "en ligne de commande", "Claire")
    con.close()
    before = store.generation()
    monkeypatch.setenv(snapshots.ENV_FOLDER, str(store.folder))
    monkeypatch.setenv(db.ENV_DB, str(store.master))
    assert snapshots.main() == 0
    assert store.generation() == before + 1
    store.refresh()
    assert targets(store.connection()) == 1
    assert "publié" in capsys.readouterr().out
