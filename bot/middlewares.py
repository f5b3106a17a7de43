"""Middlewares: one update at a time per chat, so a double tap is handled after the first tap."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from weakref import WeakValueDictionary

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject


class OneUpdatePerChat(BaseMiddleware):
    """Serialize the updates of one chat (updates of different chats still run concurrently).

    The lock is only a concurrency guard inside one process; the dialogue state itself lives in
    the database, and the dialogue ignores a button from an older screen.
    """

    def __init__(self) -> None:
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        chat = data.get("event_chat")
        if chat is None:
            return await handler(event, data)
        lock = self._locks.get(chat.id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat.id] = lock
        async with lock:
            return await handler(event, data)
