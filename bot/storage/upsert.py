"""A portable INSERT … ON CONFLICT for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel


def dialect_insert(session: AsyncSession, table: type[SQLModel]) -> Any:
    """The INSERT of the session's dialect, the one that offers on_conflict_do_update / _do_nothing."""
    return _insert_of(session.get_bind().dialect.name)(table)


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
    statement = _upsert_statement(session.get_bind().dialect.name, table, tuple(conflict_columns),
                                  tuple(update_columns))
    result = await session.execute(statement, dict(values))
    return result.rowcount


@cache
def _upsert_statement(dialect: str, table: type[SQLModel], conflict_columns: tuple[str, ...],
                      update_columns: tuple[str, ...]) -> Any:
    """Built once per shape (the values come as parameters): building costs more than running it."""
    statement = _insert_of(dialect)(table.__table__)  # Core: the ORM would treat it as a bulk insert
    if update_columns:
        return statement.on_conflict_do_update(
            index_elements=list(conflict_columns),
            set_={column: statement.excluded[column] for column in update_columns},
        )
    return statement.on_conflict_do_nothing(index_elements=list(conflict_columns))
