"""The async engine, the session factory and opening a database at the current schema (Alembic's, migrate.py).

SQLite gets one connection per process, on the event loop's thread (sqlite_inline.py); the same code runs on
PostgreSQL (asyncpg); `create_schema`/`drop_schema` build the schema straight from the models, for tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection, Executable, Row, event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlmodel import SQLModel

from bot.adapters.storage import tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from bot.adapters.storage.sqlite_inline import inline_connector

SQLITE_BUSY_TIMEOUT_S = 5  # waiting for other processes (the CLI, a second bot) writing the same file
SQLITE_POOL_TIMEOUT_S = 60

Sessions = async_sessionmaker[AsyncSession]
Params = ParamSpec("Params")
Result = TypeVar("Result")


def make_engine(url: str) -> AsyncEngine:
    """An async engine for `url` (sqlite+aiosqlite:// or postgresql+asyncpg://).

    A SQLite file gets one pooled connection per process: SQLite writes one transaction at a time anyway,
    and tasks queueing for it beat connections retrying on a locked file (that ran past the busy timeout).
    """
    database = make_url(url).database
    if url.startswith("sqlite") and database and ":memory:" not in database:
        engine = create_async_engine(url, pool_size=1, max_overflow=0, pool_timeout=SQLITE_POOL_TIMEOUT_S,
                                     async_creator=inline_connector(database, SQLITE_BUSY_TIMEOUT_S))
    else:
        engine = create_async_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL with NORMAL: a commit waits for no disk flush (the WAL is flushed at checkpoints). A crash of
    # the bot loses nothing committed; a power cut or an OS crash may lose the last commits before it.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_sessions(engine: AsyncEngine) -> Sessions:
    return async_sessionmaker(engine, expire_on_commit=False)


async def in_one_go(sessions: Sessions, work: Callable[Concatenate[Connection, Params], Result],
                    *args: Params.args, **kwargs: Params.kwargs) -> Result:
    """Call `work(connection, *args, **kwargs)`, synchronous SQLAlchemy Core on a bare connection of the
    engine behind `sessions`, in one transaction that commits when it returns (rolls back when it raises).

    One greenlet for the whole transaction and no ORM session make it cheaper in CPU (docs/performance.md);
    the connection goes back to the pool at once, not a loop turn later as with SQLAlchemy's context managers.
    """
    connection = await sessions.kw["bind"].connect()
    try:
        return await connection.run_sync(_in_transaction, work, *args, **kwargs)
    finally:
        await connection.close()


def _in_transaction(connection: Connection, work: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    with connection.begin():
        return work(connection, *args, **kwargs)


async def first_row(sessions: Sessions, query: Executable) -> Row[Any] | None:
    """The first row of `query`, read in one go (`in_one_go`)."""
    return await in_one_go(sessions, lambda connection: connection.execute(query).first())


async def create_schema(engine: AsyncEngine) -> None:
    """Create the tables of the models that do not exist yet, without migrations (tests)."""
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)


async def drop_schema(engine: AsyncEngine) -> None:
    """Drop every table of the schema and the migrations' version table (tests start empty)."""
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.drop_all)
        await connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


@dataclass(frozen=True)
class Database:
    """An engine and its session factory: what the bot, the CLI and the tests hold on to."""

    engine: AsyncEngine
    sessions: Sessions

    async def close(self) -> None:
        await self.engine.dispose()


async def open_database(url: str, *, migrate: bool = True) -> Database:
    """Connect to `url` and migrate its schema to the newest revision.

    With `migrate=False` nothing is changed: a database that is not at the newest revision raises
    `SchemaNotCurrent` (whose message tells the operator to run `surveybot db upgrade`).
    """
    from bot.adapters.storage.migrate import ensure_current, upgrade_database  # migrate builds on this module

    engine = make_engine(url)
    try:
        await (upgrade_database(engine) if migrate else ensure_current(engine))
    except BaseException:
        await engine.dispose()
        raise
    return Database(engine, make_sessions(engine))
