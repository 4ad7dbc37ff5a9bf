"""Several dashboard processes on one database: a single writer publishes snapshots that every process reads.

DuckDB lets one process open a file read-write, and refuses it while any other process has the file open, even
read-only (docs/multi-process.md). So the processes never share the writer's file, the *master* (`LNE_DB`):

- every read goes to the latest *snapshot*, a copy of the master published in the folder `LNE_INSTANTANES` and
  opened `read_only` by as many processes as there are;
- every write (import, undo, target, closure) takes the folder's lock file (`flock`, released by the kernel if the
  process dies, even by `kill -9`), opens the master read-write, runs its usual single transaction, checkpoints,
  closes the master, then publishes: the master is copied to a temporary name, synced, renamed into
  `lne-<generation>.duckdb`, and the file `courant` (the generation to read) is replaced by rename. A reader sees
  the old snapshot or the new one, never a part of one.

A write that dies before its publication leaves the marker `a-publier`: the next write, or the next process
start, publishes first. Old snapshots are removed two generations later; a process still reading one keeps it open
(Linux frees a removed file when its last reader closes it).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from . import db

ENV_FOLDER = "LNE_INSTANTANES"
POINTER = "courant"
MARKER = "a-publier"
LOCK = "ecriture.lock"
KEEP = 2  # generations kept besides the current one, for readers that just read the pointer


def folder_from_env() -> Path | None:
    value = os.environ.get(ENV_FOLDER)
    return Path(value) if value else None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class SnapshotStore:
    """The master file and the folder of its published snapshots, as one process sees them."""

    def __init__(self, master: str | os.PathLike[str] | None, folder: str | os.PathLike[str]):
        self.master = db.resolve_db_path(master)
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise db.DatabaseUnavailable(f"Le dossier des instantanés {self.folder} n'existe pas : créez-le.")
        self._thread_lock = threading.Lock()  # flock serialises processes; this, the threads of one process
        self._reader_lock = threading.Lock()
        self._generation: int | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._previous: duckdb.DuckDBPyConnection | None = None

    # -- writing ------------------------------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock, open(self.folder / LOCK, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # waits for another process's write; the kernel frees it at death
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The master, opened read-write for this process alone; published when the block ends, even in error
        (a failed transaction wrote nothing, but the block may hold several, the first ones committed)."""
        with self._locked():
            con = db.connect(self.master)
            (self.folder / MARKER).touch()
            try:
                yield con
            finally:
                try:
                    con.execute("CHECKPOINT")  # the whole database in the main file: the copy needs no WAL
                finally:
                    con.close()
                self._publish()

    def prepare(self, setup: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
        """At a process start: `setup` the master (schema, référentiel) and publish if nothing is, or if the last
        write died before publishing."""
        with self._locked():
            con = db.connect(self.master)
            try:
                setup(con)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            if self.generation() is None or (self.folder / MARKER).exists():
                self._publish()

    def publish(self) -> int:
        """Publish the master as it is (after a write by the command line, for instance)."""
        with self._locked():
            con = db.connect(self.master)
            try:
                con.execute("CHECKPOINT")
            finally:
                con.close()
            return self._publish()

    def _publish(self) -> int:
        generation = (self.generation() or 0) + 1
        target = self.folder / f"lne-{generation}.duckdb"
        partial = self.folder / f".lne-{generation}.partiel"
        shutil.copyfile(self.master, partial)
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        pointer = self.folder / f".{POINTER}.partiel"
        pointer.write_text(f"{generation}\n")
        with open(pointer, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(pointer, self.folder / POINTER)
        _fsync_dir(self.folder)
        (self.folder / MARKER).unlink(missing_ok=True)
        for old in self.folder.glob("lne-*.duckdb"):
            number = old.stem.removeprefix("lne-")
            if number.isdigit() and int(number) < generation - KEEP:
                old.unlink(missing_ok=True)
        for leftover in self.folder.glob(".lne-*.partiel"):  # a copy interrupted by a crash
            if leftover != partial:
                leftover.unlink(missing_ok=True)
        return generation

    # -- reading ------------------------------------------------------------------------------------------------

    def generation(self) -> int | None:
        try:
            return int((self.folder / POINTER).read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The connection to the snapshot this process reads now (the latest one at its last `refresh`)."""
        con = self._con
        if con is None:
            self.refresh()
            con = self._con
            assert con is not None  # refresh() opens the latest snapshot or raises
        return con

    def refresh(self) -> bool:
        """Move to the latest snapshot; True when it changed (every cached view of the process is then stale)."""
        with self._reader_lock:
            for _ in range(5):  # the snapshot named may be pruned between reading the pointer and opening it
                generation = self.generation()
                if generation is None:
                    raise db.DatabaseUnavailable(f"Aucun instantané publié dans {self.folder}.")
                if generation == self._generation and self._con is not None:
                    return False
                try:
                    con = db.connect(self.folder / f"lne-{generation}.duckdb", read_only=True)
                except db.DatabaseUnavailable:
                    continue
                # The previous connection is not closed: a page run in another thread may still be reading it.
                # It goes when the next one replaces it (or with the last cursor that holds it).
                self._previous, self._con, self._generation = self._con, con, generation
                return True
            raise db.DatabaseUnavailable(f"Impossible d'ouvrir le dernier instantané de {self.folder}.")

def main() -> int:
    """`python -m lne_data.snapshots`: publish the master now (after a command-line write, in shared mode)."""
    import sys

    folder = folder_from_env()
    if folder is None:
        print(f"{ENV_FOLDER} n'est pas défini : rien à publier.", file=sys.stderr)
        return 2
    try:
        generation = SnapshotStore(None, folder).publish()
    except db.DatabaseUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Instantané n°{generation} publié dans {folder}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
