"""One structured log line per update: its id, kind, user, outcome and latency."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import TelegramObject, Update
from aiogram.types.update import UpdateTypeLookupError

from bot.adapters.logging_setup import log_update


class LogEachUpdate(BaseMiddleware):
    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = "unhandled" if result is UNHANDLED else "ok"
            return result
        finally:
            user = data.get("event_from_user")
            update_id = event.update_id if isinstance(event, Update) else None
            log_update(update_id, _kind(event), getattr(user, "id", None), outcome, started)


def _kind(event: TelegramObject) -> str:
    """The update's kind ("message", "callback_query" …); "unknown" for a kind aiogram does not know
    (a forged update, or one newer than aiogram), which no handler takes."""
    if not isinstance(event, Update):
        return type(event).__name__
    try:
        return event.event_type
    except UpdateTypeLookupError:
        return "unknown"
