"""The DuckDB file: where it lives, opening it, migrating it, writing to it.

DuckDB lets one process hold a database file for writing, and a connection is not thread-safe: the app
keeps one connection per process and gives every query or transaction its own cursor. Writes are also
serialised inside the process, because two concurrent "replace the quarter" transactions conflict.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from . import sql

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "var" / "lne.duckdb"
DEFAULT_REFERENTIEL = PROJECT_ROOT / "data" / "referentiel_lne_2024-2027.xlsx"
ENV_DB = "LNE_DB"

# One lock per process for every write transaction (imports, undo, référentiel, clôtures).
WRITE_LOCK = threading.Lock()


class DatabaseUnavailable(Exception):
    """The file cannot be opened: held by another process, unreadable, or not a DuckDB database."""


class DatabaseHeld(DatabaseUnavailable):
    """Another process holds the file (DuckDB lets one process open it for writing)."""


def resolve_db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """`--db` first, then `LNE_DB`, then `var/lne.duckdb` in the project folder."""
    if path:
        return Path(path)
    env = os.environ.get(ENV_DB)
    return Path(env) if env else DEFAULT_DB_PATH


def connect(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
            create: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database file. Without `create`, or read-only, the file must exist already.

    Only the default location's folder (`var/`) is created: a folder that does not exist in a path given by
    `--db` or `LNE_DB` is most likely a typing mistake, and creating it would hide it. A path that is not a
    regular file (a folder, a device, a FIFO — on which DuckDB would wait forever) is refused before DuckDB sees it.
    """
    db_path = resolve_db_path(path)
    if (read_only or not create) and not db_path.exists():
        raise DatabaseUnavailable(
            f"La base {db_path} n'existe pas encore. Créez-la avec « python -m lne_data init --db {db_path} »."
        )
    if db_path == DEFAULT_DB_PATH:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    elif not db_path.parent.is_dir():
        raise DatabaseUnavailable(
            f"Le dossier {db_path.parent} de la base {db_path} n'existe pas : vérifiez le chemin, ou créez d'abord "
            "le dossier."
        )
    if db_path.exists() and not db_path.is_file():
        kind = "un dossier" if db_path.is_dir() else "un périphérique ou un tube, pas un fichier"
        raise DatabaseUnavailable(f"{db_path} est {kind} : donnez le chemin d'un fichier de base DuckDB.")
    try:
        return duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseHeld(
                f"La base {db_path} est ouverte par un autre programme (probablement le tableau de bord en "
                "cours d'exécution). Arrêtez-le, ou faites l'opération depuis le tableau de bord."
            ) from exc
        raise DatabaseUnavailable(f"Impossible d'ouvrir la base {db_path} : {exc}") from exc
    except duckdb.Error as exc:
        raise DatabaseUnavailable(f"Le fichier {db_path} n'est pas une base DuckDB lisible : {exc}") from exc


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One serialised write transaction on its own cursor; everything or nothing."""
    with WRITE_LOCK:
        cur = con.cursor()
        try:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
        finally:
            cur.close()


def has_schema(con: duckdb.DuckDBPyConnection) -> bool:
    cur = con.cursor()
    try:
        return bool(cur.execute(sql.HAS_SCHEMA).fetchall()[0][0])
    finally:
        cur.close()


def applied_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    cur = con.cursor()
    try:
        cur.execute(sql.MIGRATIONS_TABLE)
        return [row[0] for row in cur.execute(sql.APPLIED_VERSIONS).fetchall()]
    finally:
        cur.close()


def migrate(con: duckdb.DuckDBPyConnection, *, up_to: int | None = None) -> list[int]:
    """Bring the schema to the latest version (or `up_to`); return the versions applied now."""
    done = set(applied_versions(con))
    applied = []
    for version, description, statements in sql.MIGRATIONS:
        if version in done or (up_to is not None and version > up_to):
            continue
        with transaction(con) as cur:
            for statement in statements:
                cur.execute(statement)
            cur.execute(sql.RECORD_MIGRATION, [version, description])
        applied.append(version)
    return applied


def latest_version() -> int:
    return max(version for version, _, _ in sql.MIGRATIONS)
