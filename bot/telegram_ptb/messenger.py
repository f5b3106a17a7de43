"""`Messenger` (bot/services/ports.py) on python-telegram-bot: each call made with the bot, PTB's errors
raised as the port's errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
)
from telegram import error as ptb

from bot.services.ports import (
    Blocked,
    Keyboard,
    KeyButton,
    MenuCommand,
    MessengerError,
    Rejected,
    RetryAfter,
    Transient,
    one_line_without_token,
    refusal,
)

KEYBOARDS_KEPT = 4096  # about 25 screens x 2 languages x 80 surveys


class PtbMessenger:
    """The chat messenger of a python-telegram-bot `Bot`; every method raises only `MessengerError`s."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        self._username: str | None = None

    async def send_text(self, chat_id: int, text: str, keyboard: Keyboard | None = None) -> int:
        with self._errors_translated():
            sent = await self._bot.send_message(chat_id, text, reply_markup=inline_keyboard(keyboard))
        return sent.message_id

    async def edit_text(self, chat_id: int, message_id: int, text: str,
                        keyboard: Keyboard | None = None) -> None:
        with self._errors_translated():
            await self._bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                              reply_markup=inline_keyboard(keyboard))

    async def send_document(self, chat_id: int, content: bytes, filename: str, caption: str | None) -> None:
        with self._errors_translated():
            await self._bot.send_document(chat_id, content, filename=filename, caption=caption)

    async def send_photo(self, chat_id: int, content: bytes, filename: str, caption: str | None) -> int:
        with self._errors_translated():
            sent = await self._bot.send_photo(chat_id, content, filename=filename, caption=caption)
        return sent.message_id

    async def edit_photo(self, chat_id: int, message_id: int, content: bytes, filename: str,
                         caption: str | None) -> None:
        with self._errors_translated():
            await self._bot.edit_message_media(InputMediaPhoto(content, caption=caption, filename=filename),
                                               chat_id=chat_id, message_id=message_id)

    async def answer_press(self, press_id: str, text: str | None = None, alert: bool = False) -> None:
        with self._errors_translated():
            await self._bot.answer_callback_query(press_id, text=text, show_alert=alert)

    async def set_menu(self, commands: Sequence[MenuCommand], chat_id: int | None,
                       language: str | None) -> None:
        scope = BotCommandScopeDefault() if chat_id is None else BotCommandScopeChat(chat_id)
        with self._errors_translated():
            await self._bot.set_my_commands([BotCommand(command.name, command.description) for command in commands],
                                            scope=scope, language_code=language)

    async def username(self) -> str:
        """The bot's username without "@", asked of Telegram once."""
        if self._username is None:
            with self._errors_translated():
                me = await self._bot.get_me()
            self._username = (me.username or "").removeprefix("@")
        return self._username

    @contextmanager
    def _errors_translated(self) -> Iterator[None]:
        try:
            yield
        except ptb.TelegramError as error:
            raise messenger_error(error, self._bot.token) from None


def messenger_error(error: ptb.TelegramError, token: str) -> MessengerError:
    """The port's error for a PTB error, described in one line without the token."""
    message = describe(error, token)
    # BadRequest and TimedOut are NetworkErrors in PTB: the refusals are told apart first.
    if isinstance(error, ptb.RetryAfter):
        return RetryAfter(message, seconds=retry_seconds(error))
    if isinstance(error, ptb.Forbidden):
        return Blocked(message)
    if isinstance(error, ptb.BadRequest):
        return refusal(error.message, message)
    if isinstance(error, ptb.NetworkError):  # TimedOut included
        return Transient(message)
    return Rejected(message)


def retry_seconds(error: ptb.RetryAfter) -> float:
    """The seconds flood control asks to wait: PTB gives an int, or a timedelta with PTB_TIMEDELTA set."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)


def describe(error: ptb.TelegramError, token: str) -> str:
    """"ExceptionName: text" on one line, the bot token replaced by "<token>" (in any case: PTB lowercases
    the text of a Bad Request after its first letter)."""
    return one_line_without_token(type(error).__name__, error.message, token)


def inline_keyboard(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """The inline keyboard showing these rows of buttons; None without buttons."""
    if not keyboard:
        return None
    return _inline_keyboard(tuple(tuple(row) for row in keyboard))


@lru_cache(maxsize=KEYBOARDS_KEPT)
def _inline_keyboard(rows: tuple[tuple[KeyButton, ...], ...]) -> InlineKeyboardMarkup:
    """Built once per distinct keyboard (a question shows the same one to every respondent); PTB's
    objects are immutable, so the markup is shared."""
    return InlineKeyboardMarkup(tuple(
        tuple(InlineKeyboardButton(button.text, callback_data=button.data) for button in row) for row in rows
    ))
