"""A connection pool that hands connections out in the order they were asked for.

SQLAlchemy's asyncio pool keeps its idle connections in an asyncio.Queue. A returned connection waits
in that queue until the waiter it woke gets its turn on the event loop, and any task that asks for a
connection before then takes it: under load (500 customers, one SQLite connection) the woken waiter
went back to the end of the line again and again, and some taps waited over 30 s while most took
under one (bench/load.py). Here a returned connection goes straight to the first waiter.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TypeVar

from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.util import await_
from sqlalchemy.util.queue import Empty, Full, QueueCommon

Item = TypeVar("Item")


class HandOverQueue(QueueCommon[Item]):
    """First come, first served: `put` gives the item to the longest waiting `get`, if any."""

    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        self.maxsize = maxsize
        self.use_lifo = use_lifo  # kept for the pool's sake; the order here is always first in, first out
        self._items: deque[Item] = deque()
        self._waiters: deque[asyncio.Future[Item]] = deque()

    def empty(self) -> bool:
        return not self._items

    def full(self) -> bool:
        return 0 < self.maxsize <= len(self._items)

    def qsize(self) -> int:
        return len(self._items)

    def put_nowait(self, item: Item) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(item)
                return
        if self.full():
            raise Full()
        self._items.append(item)

    def put(self, item: Item, block: bool = True, timeout: float | None = None) -> None:
        self.put_nowait(item)  # the pool only puts back what it took: there is always room

    def get_nowait(self) -> Item:
        if not self._items:
            raise Empty()
        return self._items.popleft()

    def get(self, block: bool = True, timeout: float | None = None) -> Item:
        if self._items or not block:
            return self.get_nowait()  # items wait only while nobody does
        return await_(self._wait(timeout))

    async def _wait(self, timeout: float | None) -> Item:
        waiter: asyncio.Future[Item] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(timeout):
                return await waiter
        except BaseException as error:
            if waiter.done() and not waiter.cancelled():
                self.put_nowait(waiter.result())  # handed over just as this get gave up: pass it on
            waiter.cancel()
            if isinstance(error, TimeoutError):
                raise Empty() from None
            raise


class FairAsyncQueuePool(AsyncAdaptedQueuePool):
    """SQLAlchemy's asyncio queue pool with `HandOverQueue`."""

    _queue_class = HandOverQueue
    # log where SQLAlchemy's own pools do (its "sqlalchemy" logger, at WARNING unless echo_pool is set),
    # not under this module's name, where the bot's INFO level let "Pool disposed …" into its log
    _sqla_logger_namespace = "sqlalchemy.pool.impl.FairAsyncQueuePool"
