"""SQLite calls on the event loop's thread, far cheaper in CPU than a hop to aiosqlite's thread and back
(docs/performance.md); a busy database is retried after an asyncio sleep, never blocking the loop.

Private aiosqlite names, as aiosqlite has no public way to skip its thread: overrides `Connection._execute`
and `_connect`, sets `_running`, `_connection`, `_connector` (tests/unit/test_private_api_guards.py).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from typing import Any

import aiosqlite

ITER_CHUNK_SIZE = 64  # aiosqlite's default
FIRST_RETRY_S, LONGEST_RETRY_S = 0.001, 0.05


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose calls run at once instead of on a worker thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], busy_timeout_s: float) -> None:
        super().__init__(connector, ITER_CHUNK_SIZE)
        self._busy_timeout_s = busy_timeout_s

    def __await__(self) -> Any:
        return self._connect().__await__()  # no worker thread to start

    async def _connect(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # SQLite's own busy handler (off: timeout 0) would sleep inside the call and block the loop, whose
        # other task may hold the lock (SQLAlchemy commits in a task of its own). Retrying is safe: a
        # statement refused with SQLITE_BUSY did nothing, and a transaction meets a lock only at its first
        # write (the dialect begins it there).
        waited, retry_in = 0.0, FIRST_RETRY_S
        while True:
            if not self._running or self._connection is None:
                raise ValueError("Connection closed")
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as error:
                if not _busy(error) or waited >= self._busy_timeout_s:
                    raise
            await asyncio.sleep(retry_in)
            waited += retry_in
            retry_in = min(retry_in * 2, LONGEST_RETRY_S)

    def stop(self) -> None:
        """Close the SQLite connection (aiosqlite would queue this for its thread)."""
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _busy(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY


def inline_connector(path: str, busy_timeout_s: float) -> Callable[[], Any]:
    """The `async_creator` of an engine on the SQLite file at `path`."""

    async def connect() -> InlineConnection:
        return await InlineConnection(lambda: sqlite3.connect(path, timeout=0), busy_timeout_s)

    return connect
