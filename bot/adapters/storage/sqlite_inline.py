"""aiosqlite's connection without its thread: every SQLite call runs on the event loop's own thread.

A tap's statements take SQLite some 0.1 ms in all; handing each call to aiosqlite's thread and back
(cursor, execute, fetch, close, commit: about a dozen round trips a tap) cost twenty times that in CPU,
under the GIL, on the thread that also serves Telegram (bench/load.py).

Waiting for another connection's write lock must not block the loop, though: SQLAlchemy commits a
transaction in a task of its own, so the loop may turn between a transaction's last statement and its
COMMIT, and the holder of the lock can be a task of this very process (two engines on one file, as
in tests) that needs the loop to finish. So SQLite's own busy handler, which sleeps inside the call,
is off (timeout 0), and a call that finds the database busy is tried again after an asyncio sleep,
for up to `busy_timeout_s`. Retrying is safe: a statement refused with SQLITE_BUSY did nothing, and a
transaction only meets a lock at its first write (the dialect begins it there).

The class keeps aiosqlite's interface, so SQLAlchemy's aiosqlite dialect drives it unchanged
(`create_async_engine(url, async_creator=...)`, see bot/adapters/storage/engine.py).
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
