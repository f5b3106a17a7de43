"""One structured log line per update: its id, kind, user, outcome and latency."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

log = logging.getLogger("surveybot.updates")


class LogEachUpdate(BaseMiddleware):
    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = "handled" if result is not None else "ok"
            return result
        finally:
            user = data.get("event_from_user")
            kind = event.event_type if isinstance(event, Update) else type(event).__name__
            update_id = event.update_id if isinstance(event, Update) else None
            log.info("update=%s kind=%s user=%s outcome=%s latency_ms=%.1f", update_id, kind,
                     getattr(user, "id", None), outcome, (time.perf_counter() - started) * 1000)
