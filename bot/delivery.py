"""Every outgoing Telegram call goes through `Delivery`: one global rate limit, bounded retries for
flood control and transient failures, and no exception escapes for a chat that cannot be reached.

    delivery = Delivery(bot, rate_per_second=settings.send_rate_per_second, on_unreachable=mark_unreachable)
    result = await delivery.call(SendMessage(chat_id=chat_id, text=text))
    if isinstance(result, DeliveryFailure): ...

What happens per Telegram answer:
- 429 flood control: wait `retry_after` seconds, try again;
- network error, 5xx, unreadable answer: wait 0.5 s, 1 s, 2 s, ... (doubling), try again;
- 403 (blocked, deactivated, kicked): no retry, `on_unreachable(chat_id)` is awaited;
- 400 "message is not modified": success, the result is None;
- any other refusal: no retry.
Every attempt, retries included, waits for the rate limiter. After `max_attempts` the call gives up.
Each failure is logged as one line with method, chat id and error, never with the bot token.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import (
    AiogramError,
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.types import ForceReply, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove
from aiolimiter import AsyncLimiter

from bot.telegram_client import EditScreenText

logger = logging.getLogger(__name__)

Result = TypeVar("Result")
UnreachableHandler = Callable[[int], Awaitable[None]]
ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply

NOT_MODIFIED = "message is not modified"
CANNOT_EDIT = (
    "message to edit not found",
    "message can't be edited",
    "there is no text in the message to edit",
    "message_id_invalid",
)


class FailureKind(Enum):
    UNREACHABLE = "unreachable"  # 403: the bot was blocked, the user deactivated, the bot was kicked
    REJECTED = "rejected"  # Telegram refused the request; sending it again would not help
    GAVE_UP = "gave_up"  # flood control or a transient error lasted for all attempts


@dataclass(frozen=True)
class DeliveryFailure:
    kind: FailureKind
    method: str
    chat_id: int | str | None
    error: str
    attempts: int

    @property
    def cannot_edit(self) -> bool:
        """The message to edit is gone or too old: show the screen as a new message instead."""
        text = self.error.lower()
        return self.kind is FailureKind.REJECTED and any(reason in text for reason in CANNOT_EDIT)


class Delivery:
    def __init__(
        self,
        bot: Bot,
        rate_per_second: float = 25,
        max_attempts: int = 4,
        on_unreachable: UnreachableHandler | None = None,
        backoff_base_seconds: float = 0.5,
    ) -> None:
        if rate_per_second <= 0 or max_attempts < 1:
            raise ValueError("rate_per_second must be positive and max_attempts at least 1")
        self._bot = bot
        # One send per 1/rate seconds, without a burst allowance: AsyncLimiter(rate, 1) would let a
        # full second's worth out at once and then keep the rate, doubling it in the first second.
        self._limiter = AsyncLimiter(1, 1 / rate_per_second)
        self._max_attempts = max_attempts
        self._on_unreachable = on_unreachable
        self._backoff_base_seconds = backoff_base_seconds

    async def call(self, method: TelegramMethod[Result]) -> Result | None | DeliveryFailure:
        """Send `method`; its result, None when Telegram says "message is not modified", or a
        `DeliveryFailure` (already logged)."""
        outcome = await self._deliver(method)
        if isinstance(outcome, DeliveryFailure):
            self._log(outcome)
        return outcome

    async def send_screen(
        self, chat_id: int, text: str, reply_markup: ReplyMarkup | None = None
    ) -> Message | None:
        """The sent message, or None when it could not be sent."""
        outcome = await self.call(SendMessage(chat_id=chat_id, text=text, reply_markup=reply_markup))
        return outcome if isinstance(outcome, Message) else None

    async def edit_screen(
        self, chat_id: int, message_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
    ) -> int | None:
        """Show the screen in place of message `message_id`, or as a new message when that one can
        no longer be edited. Returns the id of the message now showing the screen, None if none does."""
        edit = EditScreenText(chat_id=chat_id, message_id=message_id, text=text, reply_markup=reply_markup)
        outcome = await self._deliver(edit)
        if isinstance(outcome, DeliveryFailure):
            if not outcome.cannot_edit:
                self._log(outcome)
                return None
            logger.debug("Message %s in chat %s cannot be edited (%s); sending a new one",
                         message_id, chat_id, outcome.error)
            sent = await self.send_screen(chat_id, text, reply_markup)
            return sent.message_id if sent else None
        return message_id

    async def _deliver(self, method: TelegramMethod[Result]) -> Result | None | DeliveryFailure:
        chat_id = getattr(method, "chat_id", None)
        attempt = 0
        while True:
            attempt += 1
            await self._limiter.acquire()
            try:
                return await self._bot(method)
            except TelegramRetryAfter as flood:
                error: AiogramError = flood
                wait_seconds = float(flood.retry_after)
            except TelegramForbiddenError as forbidden:
                if self._on_unreachable is not None and isinstance(chat_id, int):
                    await self._on_unreachable(chat_id)
                return self._failure(FailureKind.UNREACHABLE, method, forbidden, attempt)
            except TelegramBadRequest as bad_request:
                if NOT_MODIFIED in bad_request.message.lower():
                    return None
                return self._failure(FailureKind.REJECTED, method, bad_request, attempt)
            except TelegramEntityTooLarge as too_large:
                return self._failure(FailureKind.REJECTED, method, too_large, attempt)
            except (TelegramNetworkError, TelegramServerError, ClientDecodeError) as transient:
                error = transient
                wait_seconds = self._backoff_base_seconds * 2 ** (attempt - 1)
            except TelegramAPIError as refused:
                return self._failure(FailureKind.REJECTED, method, refused, attempt)
            if attempt >= self._max_attempts:
                return self._failure(FailureKind.GAVE_UP, method, error, attempt)
            logger.debug("Telegram %s to chat %s: attempt %d failed (%s), retrying in %.1f s",
                         method.__api_method__, chat_id, attempt, self._describe(error), wait_seconds)
            await asyncio.sleep(wait_seconds)

    def _failure(
        self, kind: FailureKind, method: TelegramMethod[Result], error: AiogramError, attempts: int
    ) -> DeliveryFailure:
        return DeliveryFailure(kind=kind, method=method.__api_method__,
                               chat_id=getattr(method, "chat_id", None),
                               error=self._describe(error), attempts=attempts)

    def _describe(self, error: AiogramError) -> str:
        if isinstance(error, ClientDecodeError):
            text = f"{error.message} ({type(error.original).__name__})"
        else:
            text = error.message if isinstance(error, TelegramAPIError) else str(error)
        one_line = " ".join(f"{type(error).__name__}: {text}".split())
        return one_line.replace(self._bot.token, "<token>")

    @staticmethod
    def _log(failure: DeliveryFailure) -> None:
        logger.warning("Telegram %s to chat %s failed (%s after %d attempt(s)): %s", failure.method,
                       failure.chat_id, failure.kind.value, failure.attempts, failure.error)
