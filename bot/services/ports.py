"""The ports the use-cases talk through. Each Telegram shell implements `Messenger`; storage, reports
and the clock are plain functions and callables handed in by the bootstrap (bot/app.py).

A `Messenger` raises only the errors below, whatever its framework raises, so that the delivery
policy (bot/services/delivery.py) is written once for every shell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class KeyButton:
    """A button as a messenger shows it: its label and the callback data it sends back (≤ 64 bytes)."""

    text: str
    data: str


Keyboard = Sequence[Sequence[KeyButton]]


@dataclass(frozen=True)
class MenuCommand:
    name: str
    description: str


class MessengerError(Exception):
    """A call the messenger could not carry out; `str(error)` is one line without secrets."""


class Blocked(MessengerError):
    """The chat cannot be reached: the user blocked the bot, deactivated, or the bot was removed."""


class RetryAfter(MessengerError):
    """Flood control: try again after `seconds`."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


class Gone(MessengerError):
    """The message to edit no longer exists or can no longer be edited."""


class NotModified(MessengerError):
    """The edit would not change the message (the screen is already shown)."""


class Transient(MessengerError):
    """A network error or a server error: the same call may work later."""


class Rejected(MessengerError):
    """The messenger refused the call; sending it again would not help."""


NOT_MODIFIED = "message is not modified"
CANNOT_EDIT = (
    "message to edit not found",
    "message can't be edited",
    "there is no text in the message to edit",
    "there is no media in the message to edit",
    "message_id_invalid",
)


def refusal(reason: str, message: str) -> MessengerError:
    """The port's error for a Bad Request whose Bot API description is `reason`."""
    reason = reason.lower()
    if NOT_MODIFIED in reason:
        return NotModified(message)
    if any(phrase in reason for phrase in CANNOT_EDIT):
        return Gone(message)
    return Rejected(message)


def one_line_without_token(kind: str, text: str, token: str) -> str:
    """"Kind: text" on one line, the bot token replaced by "<token>" in any letter case."""
    return re.sub(re.escape(token), "<token>", " ".join(f"{kind}: {text}".split()), flags=re.IGNORECASE)


class Messenger(Protocol):
    """What a use-case may ask of a chat messenger. Every method raises only `MessengerError`s."""

    async def send_text(self, chat_id: int, text: str, keyboard: Keyboard | None = None) -> int:
        """Send a message; the id of the sent message."""

    async def edit_text(self, chat_id: int, message_id: int, text: str,
                        keyboard: Keyboard | None = None) -> None:
        """Replace the text and buttons of message `message_id`."""

    async def send_document(self, chat_id: int, content: bytes, filename: str, caption: str | None) -> None: ...

    async def send_photo(self, chat_id: int, content: bytes, filename: str, caption: str | None) -> int:
        """Send a picture; the id of the sent message."""

    async def edit_photo(self, chat_id: int, message_id: int, content: bytes, filename: str,
                         caption: str | None) -> None:
        """Replace the picture and caption of message `message_id`, which shows a picture."""

    async def answer_press(self, press_id: str, text: str | None = None, alert: bool = False) -> None:
        """Answer a button press (Telegram's callback query), with an optional notice."""

    async def set_menu(self, commands: Sequence[MenuCommand], chat_id: int | None,
                       language: str | None) -> None:
        """The command menu of one chat (None: everyone's default), in one language (None: any)."""

    async def username(self) -> str:
        """The bot's username, for invite links."""


class TokenRefused(MessengerError):
    """Telegram refused the bot token as the bot started (401 revoked or mistyped, 404 malformed)."""
