"""How Alembic reaches the database.

The bot and `surveybot db` (through `bot.adapters.storage.migrate`) hand in an open connection as
`config.attributes["connection"]`; a developer's `alembic -c bot/adapters/storage/migrations/alembic.ini …`
connects to DATABASE_URL itself. SQLite gets batch mode: its ALTER TABLE is limited, so batch
operations copy the table.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from bot.adapters.settings import Settings
from bot.adapters.storage import tables
from bot.adapters.storage.engine import make_engine
from bot.adapters.storage.migrate import on_migration_connection


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def render_item(kind: str, item: Any, _autogen: AutogenContext) -> str | bool:
    """Autogenerate writes UtcDateTime as its plain column type: revisions never import the models."""
    if kind == "type" and isinstance(item, tables.UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


async def run_on_database_url() -> None:
    engine = make_engine(Settings().database_url)
    try:
        await on_migration_connection(engine, run_migrations)
    finally:
        await engine.dispose()


def run_as_sql_script() -> None:
    """`alembic upgrade --sql`: print the SQL for a DBA instead of running it."""
    context.configure(url=Settings().database_url, target_metadata=SQLModel.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


config = context.config
if config.attributes.get("connection") is not None:
    run_migrations(config.attributes["connection"])
else:
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    if context.is_offline_mode():
        run_as_sql_script()
    else:
        asyncio.run(run_on_database_url())
