"""The SQLite connection pool serves whoever asked first: a connection given back goes to the longest
waiting task, not to a task that asks for it in the meantime (under load such newcomers kept some
customers' taps waiting for over 30 s)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.util import greenlet_spawn
from sqlalchemy.util.queue import Empty

from bot.adapters.storage.fair_pool import HandOverQueue


async def take(queue: HandOverQueue[str], timeout: float | None = None) -> str:
    return await greenlet_spawn(queue.get, True, timeout)


async def test_a_given_back_connection_goes_to_the_first_waiter_not_to_a_newcomer() -> None:
    queue: HandOverQueue[str] = HandOverQueue(1)
    queue.put_nowait("connection")
    assert await take(queue) == "connection"
    first, second = asyncio.create_task(take(queue)), asyncio.create_task(take(queue))
    await asyncio.sleep(0)  # both wait

    queue.put_nowait("connection")
    with pytest.raises(Empty):
        queue.get_nowait()  # a newcomer finds nothing: it went to the first waiter
    assert await first == "connection"
    assert not second.done()
    queue.put_nowait("connection")
    assert await second == "connection"


async def test_a_waiter_that_gives_up_leaves_the_line_and_the_connection_is_kept() -> None:
    queue: HandOverQueue[str] = HandOverQueue(1)
    with pytest.raises(Empty):
        await take(queue, timeout=0.05)
    queue.put_nowait("connection")
    assert queue.qsize() == 1
    assert await take(queue) == "connection"


async def test_a_connection_handed_to_a_cancelled_waiter_is_passed_on() -> None:
    queue: HandOverQueue[str] = HandOverQueue(1)
    cancelled, patient = asyncio.create_task(take(queue)), asyncio.create_task(take(queue))
    await asyncio.sleep(0)
    queue.put_nowait("connection")  # handed to the first waiter ...
    cancelled.cancel()  # ... which is cancelled before it runs
    assert await patient == "connection"
    with pytest.raises(asyncio.CancelledError):
        await cancelled
