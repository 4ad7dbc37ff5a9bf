"""Reading the database: a statement's result as a frame or rows, and one snapshot (a read transaction) shared by
every query of a read model (`consistent`); plus the few reads that need no model (the imports' register, an
import's details, whether a référentiel is loaded).

Every function takes a DuckDB connection (the caller owns it) and opens its own cursor, so that the
dashboard can share one connection between threads. The read models themselves are in `lne_data.views`; the
modules that write (saisie, cibles, clotures, versions) read through these helpers too, which is why they are
not part of `views`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

import duckdb
import pandas as pd

from . import sql

T = TypeVar("T")


@dataclass
class Snapshot:
    """One cursor inside one read transaction: every query through it sees the same committed state.

    A page runs several queries; without this, an import committed between two of them would show a
    quarter chosen before the import with values read after it.
    """

    cur: duckdb.DuckDBPyConnection
    # True when the tables are a clôture's frames (views.FrozenEntries): results then keep the types pandas gives
    # those frames, which are Arrow's, rather than the types `.df()` gives the live tables.
    frozen: bool = False


Reader = duckdb.DuckDBPyConnection | Snapshot


@contextmanager
def snapshot(con: Reader) -> Iterator[Snapshot]:
    if isinstance(con, Snapshot):
        yield con
        return
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        yield Snapshot(cur)
    finally:
        try:
            cur.execute("ROLLBACK")  # read only: nothing to keep
        finally:
            cur.close()


def consistent(function: Callable[..., T]) -> Callable[..., T]:
    """Run a read model inside one snapshot when it is given a bare connection."""

    @wraps(function)
    def wrapper(source: Any, *args: Any, **kwargs: Any) -> T:
        if isinstance(source, duckdb.DuckDBPyConnection):
            with snapshot(source) as snap:
                return function(snap, *args, **kwargs)
        return function(source, *args, **kwargs)

    return wrapper


def frame(con: Reader, statement: str, params: Any = None) -> pd.DataFrame:
    if isinstance(con, Snapshot):
        return con.cur.execute(statement, params).df()
    cur = con.cursor()
    try:
        return cur.execute(statement, params).df()
    finally:
        cur.close()


def rows(con: Reader, statement: str, params: Any = None) -> list[tuple[Any, ...]]:
    if isinstance(con, Snapshot):
        return con.cur.execute(statement, params).fetchall()
    cur = con.cursor()
    try:
        return cur.execute(statement, params).fetchall()
    finally:
        cur.close()


def imports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return frame(con, sql.IMPORTS)


def referentiel_loaded(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(rows(con, sql.REFERENTIEL_SHA))


def import_details(con: duckdb.DuckDBPyConnection, import_id: int) -> pd.DataFrame:
    return frame(con, sql.HISTORY_OF_IMPORT, [import_id])
