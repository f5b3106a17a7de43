"""The lead's progress message while an export is built: one message ("Preparing the workbook… 40 %"),
edited in place at most every SHOW_EVERY_SECONDS, and always once more at 100 %.

An edit runs in a task of its own, so the export never waits for Telegram; a new percentage that comes
while the previous edit is still on its way is skipped.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bot.services.delivery import Delivery
from locales import translator

SHOW_EVERY_SECONDS = 2.0


class ExportProgress:
    """Call `start()` once, then await the object with each percentage (0-100) as the export goes."""

    def __init__(self, delivery: Delivery, chat_id: int, language: str,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._delivery = delivery
        self._chat_id = chat_id
        self._text = translator(language).gettext("Preparing the workbook… {percent} %")
        self._monotonic = monotonic
        self._message_id: int | None = None
        self._shown_at = 0.0
        self._editing: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._show(0)

    async def __call__(self, percent: int) -> None:
        if percent >= 100:
            if self._editing is not None:
                await self._editing
            await self._show(100)
            return
        due = self._monotonic() - self._shown_at >= SHOW_EVERY_SECONDS
        if due and (self._editing is None or self._editing.done()):
            self._editing = asyncio.create_task(self._show(percent))

    async def _show(self, percent: int) -> None:
        self._shown_at = self._monotonic()
        self._message_id = await self._delivery.show(self._chat_id, self._text.format(percent=percent),
                                                     edit_message_id=self._message_id)
