"""A portable INSERT … ON CONFLICT for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

Executor = AsyncSession | Connection  # an ORM session, or the connection of work done in one go (in_one_go)


def dialect_name(executor: Executor) -> str:
    """"sqlite" or "postgresql": the database `executor` talks to."""
    bind = executor.get_bind() if isinstance(executor, AsyncSession) else executor
    return bind.dialect.name


def dialect_insert(executor: Executor, table: type[SQLModel]) -> Any:
    """The INSERT of the database's dialect, the one that offers on_conflict_do_update / _do_nothing."""
    return _insert_of(dialect_name(executor))(table)


def _insert_of(dialect: str) -> Any:
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}.get(dialect)
    if insert is None:
        raise NotImplementedError(f"upsert is not written for the {dialect} dialect")
    return insert


async def upsert(
    session: AsyncSession,
    table: type[SQLModel],
    values: Mapping[str, Any],
    conflict_columns: Sequence[str],
    update_columns: Sequence[str] = (),
) -> int:
    """Insert `values`; on a conflict over `conflict_columns` update `update_columns` (or do nothing).

    Returns the number of rows written (0 when the row existed and nothing was to be updated).
    """
    statement = upsert_statement(dialect_name(session), table, tuple(conflict_columns), tuple(update_columns))
    result = await session.execute(statement, dict(values))
    return result.rowcount


@cache
def upsert_statement(dialect: str, table: type[SQLModel], conflict_columns: tuple[str, ...],
                      update_columns: tuple[str, ...]) -> Any:
    """Built once per shape (the values come as parameters): building costs more than running it."""
    statement = _insert_of(dialect)(table.__table__)  # Core: the ORM would treat it as a bulk insert
    if update_columns:
        return statement.on_conflict_do_update(
            index_elements=list(conflict_columns),
            set_={column: statement.excluded[column] for column in update_columns},
        )
    return statement.on_conflict_do_nothing(index_elements=list(conflict_columns))
