"""A portable INSERT … ON CONFLICT for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel


def dialect_insert(session: AsyncSession, table: type[SQLModel]) -> Any:
    """The INSERT of the session's dialect, the one that offers on_conflict_do_update / _do_nothing."""
    dialect = session.get_bind().dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}.get(dialect)
    if insert is None:
        raise NotImplementedError(f"upsert is not written for the {dialect} dialect")
    return insert(table)


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
    statement = dialect_insert(session, table).values(**values)
    if update_columns:
        statement = statement.on_conflict_do_update(
            index_elements=list(conflict_columns),
            set_={column: statement.excluded[column] for column in update_columns},
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(conflict_columns))
    result = await session.execute(statement)
    return result.rowcount
