"""Backups of the database at DATABASE_URL (`surveybot db backup PATH`).

SQLite: a consistent copy of the live file through SQLite's online backup API (`sqlite3.Connection.backup`).
The copy is made in one step, inside one read transaction: with the bot's WAL journal the bot keeps
writing meanwhile, and the copy holds the database exactly as it was at one commit, never half a
transaction. It is written next to PATH under a temporary name, checked (`PRAGMA integrity_check`),
made a single self-contained file (rollback journal, no -wal beside it), flushed to disk and only then
renamed to PATH, so PATH never holds a partial copy.

PostgreSQL: `pg_dump -Fc` and `pg_restore` do this job better than any copy of ours; this module works
out their exact command lines for DATABASE_URL, without the password, and checks that pg_dump is
installed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, make_url

SQLITE_BUSY_TIMEOUT_S = 30
# What the copy is made of, for the operator to recognise it (tables that are missing are left out).
COUNTED_TABLES = ("survey", "respondent", "answer")
# Query parameters libpq understands in a connection URI; asyncpg's `ssl` is libpq's `sslmode`.
LIBPQ_PARAMETERS = frozenset({
    "host", "hostaddr", "port", "dbname", "user", "passfile", "connect_timeout", "options",
    "application_name", "sslmode", "sslcert", "sslkey", "sslrootcert", "sslcrl", "sslpassword",
    "gssencmode", "channel_binding", "target_session_attrs", "service",
})


class BackupError(Exception):
    """The backup cannot be made; the message says why in one line."""


@dataclass(frozen=True)
class SqliteBackup:
    """A finished copy: where from and to, its size, its schema revision and row counts."""

    source: Path
    target: Path
    size_bytes: int
    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PostgresCommands:
    """The pg_dump and pg_restore command lines (argument lists) for one database."""

    dump: list[str]
    restore: list[str]
    target: Path
    dropped_parameters: tuple[str, ...] = ()


def database_kind(url: str) -> str:
    """'sqlite' or 'postgresql' (or the backend name of another URL, which has no backup here)."""
    return make_url(url).get_backend_name()


def sqlite_path(url: str) -> Path:
    """The file of a SQLite URL; an in-memory database has none."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise BackupError("DATABASE_URL is an in-memory SQLite database: there is no file to back up.")
    return Path(database)


def backup_sqlite(source: Path, target: Path, now: dt.datetime, *, overwrite: bool = False) -> SqliteBackup:
    """Copy the SQLite database at `source` to `target` (a file, or a directory to put a dated file in)."""
    source = source.resolve()
    if not source.is_file():
        raise BackupError(f"There is no SQLite database at {source} (DATABASE_URL).")
    target = _target_file(target.absolute(), f"{source.stem}-{_stamp(now)}{source.suffix or '.sqlite3'}")
    if target.exists():
        if target.resolve() == source:
            raise BackupError(f"{target} is the database itself: back it up to another file.")
        if not overwrite:
            raise BackupError(f"{target} exists: choose another path, or give --force to replace it.")
    if not target.parent.is_dir():
        raise BackupError(f"The directory {target.parent} does not exist.")
    # mkstemp makes the file readable by its owner only, which the copy keeps: it holds Telegram ids
    handle, partial_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(handle)
    partial = Path(partial_name)
    try:
        _copy(source, partial)
        revision, counts = _check(partial)
        _flush(partial)
        os.replace(partial, target)
        _flush(target.parent)
    finally:
        for leftover in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return SqliteBackup(source, target, target.stat().st_size, revision, counts)


def _copy(source: Path, partial: Path) -> None:
    # mode=rw: never create an empty database where the file was expected
    origin = sqlite3.connect(f"{source.as_uri()}?mode=rw", uri=True, timeout=SQLITE_BUSY_TIMEOUT_S)
    try:
        copy = sqlite3.connect(partial)
        try:
            origin.backup(copy)  # pages=-1: the whole database in one step, one read transaction
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file; the bot turns WAL on again
        finally:
            copy.close()
    finally:
        origin.close()


def _check(path: Path) -> tuple[str | None, dict[str, int]]:
    """The copy's integrity (refused unless 'ok'), its schema revision and its row counts."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise BackupError(f"The copy failed SQLite's integrity check: {'; '.join(result[:3])}")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        counts = {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                  for name in COUNTED_TABLES if name in tables}
    finally:
        connection.close()
    return revision, counts


def _flush(path: Path) -> None:
    """Make the file (or a directory's entries) durable before the copy is called done."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    try:
        handle = os.open(path, flags)
    except OSError:
        return  # some systems cannot open a directory; the rename is still atomic
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def postgres_commands(url: str, target: Path, now: dt.datetime) -> PostgresCommands:
    """pg_dump -Fc and pg_restore for the database at `url`; the password stays out of them."""
    parsed = make_url(url)
    if not parsed.database:
        raise BackupError("DATABASE_URL names no PostgreSQL database.")
    target = _target_file(target.absolute(), f"{parsed.database}-{_stamp(now)}.dump")
    query: dict[str, str] = {}
    dropped = []
    for name, value in parsed.query.items():
        libpq_name = "sslmode" if name == "ssl" else name
        if libpq_name in LIBPQ_PARAMETERS:
            query[libpq_name] = value if isinstance(value, str) else value[-1]
        else:
            dropped.append(name)
    libpq = URL.create("postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
                       database=parsed.database, query=query)
    uri = libpq.render_as_string(hide_password=False)  # there is no password left to hide
    return PostgresCommands(
        dump=["pg_dump", "-Fc", "-d", uri, "-f", str(target)],
        restore=["pg_restore", "--clean", "--if-exists", "--single-transaction", "-d", uri, str(target)],
        target=target, dropped_parameters=tuple(dropped),
    )


def require_tool(name: str, which: Callable[[str], str | None] = shutil.which) -> str:
    """The path of the program `name` on PATH."""
    found = which(name)
    if found is None:
        raise BackupError(f"{name} is not on PATH: install the PostgreSQL client tools "
                          "(Debian: apt-get install postgresql-client) or add their directory to PATH.")
    return found


def _target_file(target: Path, default_name: str) -> Path:
    """`target` itself, or a file named `default_name` in it when it is a directory."""
    return target / default_name if target.is_dir() else target


def _stamp(now: dt.datetime) -> str:
    return f"{now.astimezone(dt.UTC):%Y%m%d-%H%M%S}Z"
