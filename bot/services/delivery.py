"""Every outgoing message goes through `Delivery`: one rate limit for the bot, bounded retries for
flood control and transient failures, and no exception escapes for a chat that cannot be reached.

Per messenger error (bot/services/ports.py):
- RetryAfter: wait the seconds asked, try again;
- Transient: wait 0.5 s, 1 s, 2 s, ... (doubling), try again;
- Blocked: no retry, `on_unreachable(chat_id)` is awaited;
- NotModified: success (the screen is already shown);
- Gone (an edit): the screen is sent as a new message instead;
- Rejected: no retry.
Each failure is logged as one line with the call, the chat and the error; it never carries the token.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from aiolimiter import AsyncLimiter

from bot.services.ports import (
    Blocked,
    Gone,
    Keyboard,
    MenuCommand,
    Messenger,
    MessengerError,
    NotModified,
    RetryAfter,
    Transient,
)

log = logging.getLogger(__name__)
Result = TypeVar("Result")
UnreachableHandler = Callable[[int], Awaitable[None]]


class Delivery:
    def __init__(self, messenger: Messenger, rate_per_second: float = 25, max_attempts: int = 4,
                 on_unreachable: UnreachableHandler | None = None, backoff_base_seconds: float = 0.5) -> None:
        if rate_per_second <= 0 or max_attempts < 1:
            raise ValueError("rate_per_second must be positive and max_attempts at least 1")
        self.messenger = messenger
        # One send per 1/rate seconds, without a burst: AsyncLimiter(rate, 1) would let a second's
        # worth out at once and then keep the rate, doubling it in the first second.
        self._limiter = AsyncLimiter(1, 1 / rate_per_second)
        self._max_attempts = max_attempts
        self._on_unreachable = on_unreachable
        self._backoff_base_seconds = backoff_base_seconds

    async def send(self, chat_id: int, text: str, keyboard: Keyboard | None = None) -> int | None:
        """The id of the sent message, or None when it could not be sent."""
        try:
            return await self._retrying(chat_id, lambda: self.messenger.send_text(chat_id, text, keyboard))
        except MessengerError as error:
            self._log("send_text", chat_id, error)
            return None

    async def show(self, chat_id: int, text: str, keyboard: Keyboard | None = None,
                   edit_message_id: int | None = None) -> int | None:
        """Show a screen in place of message `edit_message_id` (or as a new message when there is none
        or it can no longer be edited); the id of the message now showing it, None if none does."""
        if edit_message_id is None:
            return await self.send(chat_id, text, keyboard)
        try:
            await self._retrying(chat_id, lambda: self.messenger.edit_text(chat_id, edit_message_id, text, keyboard))
        except NotModified:
            return edit_message_id
        except Gone as gone:
            log.debug("message %s in chat %s cannot be edited (%s); sending a new one", edit_message_id,
                      chat_id, gone)
            return await self.send(chat_id, text, keyboard)
        except MessengerError as error:
            self._log("edit_text", chat_id, error)
            return None
        return edit_message_id

    async def edit(self, chat_id: int, message_id: int, text: str, keyboard: Keyboard | None = None) -> bool:
        """Replace message `message_id` in place, never by a new message; False when it was not edited."""
        try:
            await self._retrying(chat_id, lambda: self.messenger.edit_text(chat_id, message_id, text, keyboard))
        except NotModified:
            return True
        except Gone as gone:
            log.debug("message %s in chat %s cannot be edited (%s)", message_id, chat_id, gone)
            return False
        except MessengerError as error:
            self._log("edit_text", chat_id, error)
            return False
        return True

    async def send_document(self, chat_id: int, content: bytes, filename: str, caption: str | None) -> bool:
        return await self._sent("send_document", chat_id,
                                lambda: self.messenger.send_document(chat_id, content, filename, caption))

    async def send_photo(self, chat_id: int, content: bytes, filename: str, caption: str | None = None) -> int | None:
        """The id of the sent message, or None when it could not be sent."""
        try:
            return await self._retrying(chat_id, lambda: self.messenger.send_photo(chat_id, content, filename, caption))
        except MessengerError as error:
            self._log("send_photo", chat_id, error)
            return None

    async def show_photo(self, chat_id: int, content: bytes, filename: str, caption: str | None = None,
                         edit_message_id: int | None = None) -> int | None:
        """Show a picture in place of message `edit_message_id` (or as a new message when there is none or it
        can no longer be edited); the id of the message now showing it, None if none does."""
        if edit_message_id is None:
            return await self.send_photo(chat_id, content, filename, caption)
        try:
            await self._retrying(chat_id, lambda: self.messenger.edit_photo(chat_id, edit_message_id, content,
                                                                            filename, caption))
        except NotModified:
            return edit_message_id
        except Gone as gone:
            log.debug("picture %s in chat %s cannot be edited (%s); sending a new one", edit_message_id, chat_id, gone)
            return await self.send_photo(chat_id, content, filename, caption)
        except MessengerError as error:
            self._log("edit_photo", chat_id, error)
            return None
        return edit_message_id

    async def answer_press(self, press_id: str, text: str | None, alert: bool) -> None:
        """Answer a button press, outside the rate limit (it is no chat message); one try."""
        try:
            await self.messenger.answer_press(press_id, text, alert)
        except MessengerError as error:
            log.warning("answering button press %s failed: %s", press_id, error)

    async def set_menu(self, commands: Sequence[MenuCommand], chat_id: int | None, language: str | None) -> bool:
        try:
            await self._retrying(chat_id or 0, lambda: self.messenger.set_menu(commands, chat_id, language))
        except MessengerError as error:
            log.warning("could not set the command menu of chat %s: %s", chat_id or "default", error)
            return False
        return True

    async def _sent(self, name: str, chat_id: int, call: Callable[[], Awaitable[None]]) -> bool:
        try:
            await self._retrying(chat_id, call)
        except MessengerError as error:
            self._log(name, chat_id, error)
            return False
        return True

    async def _retrying(self, chat_id: int, call: Callable[[], Awaitable[Result]]) -> Result:
        attempt = 0
        while True:
            attempt += 1
            await self._limiter.acquire()
            try:
                return await call()
            except RetryAfter as flood:
                error: MessengerError = flood
                wait_seconds = flood.seconds
            except Transient as transient:
                error = transient
                wait_seconds = self._backoff_base_seconds * 2 ** (attempt - 1)
            except Blocked:
                if self._on_unreachable is not None:
                    await self._on_unreachable(chat_id)
                raise
            if attempt >= self._max_attempts:
                raise error
            log.debug("chat %s: attempt %d failed (%s), retrying in %.1f s", chat_id, attempt, error,
                      wait_seconds)
            await asyncio.sleep(wait_seconds)

    @staticmethod
    def _log(name: str, chat_id: int, error: MessengerError) -> None:
        log.warning("Telegram %s to chat %s failed (%s): %s", name, chat_id, type(error).__name__, error)
