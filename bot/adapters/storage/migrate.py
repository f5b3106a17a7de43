"""Alembic migrations of the schema: upgrade, downgrade, and where a database stands.

No alembic.ini is needed: the revisions live in `bot/adapters/storage/migrations` beside this module and
each command gets an open connection. A database made by `create_all` before migrations existed
(our tables, no `alembic_version`) is stamped at the baseline revision first, then migrated.
On PostgreSQL an advisory lock makes replicas that start together migrate one after the other; on
SQLite foreign keys are off while migrating, so that batch operations (copy a table, drop the old
one, rename) do not cascade deletes into the rows that point at it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.storage.engine import make_engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BASELINE_REVISION = "0001"
BASELINE_TABLE = "survey"  # made by create_all in every version before migrations
VERSION_TABLE = "alembic_version"
MIGRATION_LOCK_KEY = 7_370_021_001  # any fixed bigint shared by every replica of the bot

log = logging.getLogger(__name__)
Result = TypeVar("Result")


class SchemaNotCurrent(Exception):
    """The database is not at the newest revision (and the caller may not migrate it)."""

    def __init__(self) -> None:
        super().__init__("The database schema is not up to date: run `surveybot db upgrade`")


async def upgrade_database(url_or_engine: str | AsyncEngine, revision: str = "head") -> None:
    """Migrate up to `revision` (default: the newest). Raises alembic's CommandError for an unknown one."""

    def upgrade(connection: Connection) -> None:
        _stamp_baseline_if_unversioned(connection)
        command.upgrade(_config(connection), revision)

    await _on_database(url_or_engine, upgrade)


async def downgrade_database(url_or_engine: str | AsyncEngine, revision: str) -> None:
    """Migrate down to `revision` ("base" drops every table). Raises CommandError for an unknown one."""

    def downgrade(connection: Connection) -> None:
        _stamp_baseline_if_unversioned(connection)
        command.downgrade(_config(connection), revision)

    await _on_database(url_or_engine, downgrade)


async def stamp_database(url_or_engine: str | AsyncEngine, revision: str = "head") -> None:
    """Record `revision` as applied without running it (for a schema made by `create_schema`)."""
    await _on_database(url_or_engine, lambda connection: command.stamp(_config(connection), revision))


async def current_revision(url_or_engine: str | AsyncEngine) -> str | None:
    """The revision the database is at; None for an empty database or one made before migrations."""
    return await _on_database(url_or_engine, lambda connection: _version_of(connection))


def head_revision() -> str:
    """The newest revision this version of the bot knows."""
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    if head is None:
        raise LookupError(f"no revisions in {MIGRATIONS_DIR}")
    return head


async def ensure_current(url_or_engine: str | AsyncEngine) -> None:
    """Raise SchemaNotCurrent unless the database is at the newest revision."""
    if await current_revision(url_or_engine) != head_revision():
        raise SchemaNotCurrent()


async def on_migration_connection(engine: AsyncEngine, work: Callable[[Connection], Result]) -> Result:
    """Run `work` (e.g. an Alembic command) on one connection of `engine`, committed at the end."""
    async with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await connection.commit()
        try:
            if connection.dialect.name == "postgresql":
                await connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
            result = await connection.run_sync(work)
            await connection.commit()
        finally:
            await connection.rollback()  # ends a failed transaction; nothing to do after the commit
            if sqlite:
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                await connection.commit()
    return result


async def _on_database(url_or_engine: str | AsyncEngine, work: Callable[[Connection], Result]) -> Result:
    if isinstance(url_or_engine, AsyncEngine):
        return await on_migration_connection(url_or_engine, work)
    engine = make_engine(url_or_engine)
    try:
        return await on_migration_connection(engine, work)
    finally:
        await engine.dispose()


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _version_of(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _stamp_baseline_if_unversioned(connection: Connection) -> None:
    schema = inspect(connection)
    if schema.has_table(BASELINE_TABLE) and not schema.has_table(VERSION_TABLE):
        log.info("tables made before migrations: stamping the database at revision %s", BASELINE_REVISION)
        command.stamp(_config(connection), BASELINE_REVISION)
