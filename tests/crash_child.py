"""The process tests/test_crash.py kills: it imports a checked quarterly file into a database file, in one
transaction, then checkpoints and closes.

Started by a fork server (`multiprocessing`'s "forkserver") that has imported this module, hence DuckDB, pandas and
`lne_data`, once: each child is a real process of its own (its own DuckDB connection, killed by SIGKILL), without an
interpreter's start-up and imports to pay at each of the test's twenty kills. Nothing else is imported here: the
fork server loads this module before the first child.
"""

from __future__ import annotations

import pickle
import time
from multiprocessing.connection import Connection
from pathlib import Path

from lne_data import db, saisie


def import_file(path: str, pickled: str, channel: Connection) -> None:
    """Open `path`, load the validation pickled in `pickled`, say « pret », wait for « go », import, checkpoint,
    close, and send back the import's number and how long the import and the checkpoint took; then wait to be told
    to end (or killed), so that the test's SIGKILL always finds this process, never another one with its number."""
    con = db.connect(path)
    validation = pickle.loads(Path(pickled).read_bytes())
    channel.send("pret")
    channel.recv()
    start = time.perf_counter()
    result = saisie.import_file(con, validation, auteur="crash")
    imported = time.perf_counter()
    con.execute("CHECKPOINT")
    con.close()
    channel.send((result.import_id, imported - start, time.perf_counter() - imported))
    channel.recv()
