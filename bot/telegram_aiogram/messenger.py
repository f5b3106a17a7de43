"""`Messenger` (bot/services/ports.py) on aiogram: each call made with the bot, aiogram's errors raised
as the port's errors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
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
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageMedia,
    SendDocument,
    SendMessage,
    SendPhoto,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
)

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
from bot.telegram_aiogram.client import EditScreenText

Result = TypeVar("Result")

KEYBOARDS_KEPT = 4096  # about 25 screens x 2 languages x 80 surveys


class AiogramMessenger:
    """The chat messenger of an aiogram `Bot`; every method raises only `MessengerError`s."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        self._username: str | None = None

    async def send_text(self, chat_id: int, text: str, keyboard: Keyboard | None = None) -> int:
        sent = await self._call(SendMessage(chat_id=chat_id, text=text, reply_markup=inline_keyboard(keyboard)))
        return sent.message_id

    async def edit_text(self, chat_id: int, message_id: int, text: str,
                        keyboard: Keyboard | None = None) -> None:
        await self._call(EditScreenText(chat_id=chat_id, message_id=message_id, text=text,
                                        reply_markup=inline_keyboard(keyboard)))

    async def send_document(self, chat_id: int, content: bytes, filename: str, caption: str | None) -> None:
        await self._call(SendDocument(chat_id=chat_id, document=BufferedInputFile(content, filename=filename),
                                      caption=caption))

    async def send_photo(self, chat_id: int, content: bytes, filename: str, caption: str | None) -> int:
        sent = await self._call(SendPhoto(chat_id=chat_id, photo=BufferedInputFile(content, filename=filename),
                                          caption=caption))
        return sent.message_id

    async def edit_photo(self, chat_id: int, message_id: int, content: bytes, filename: str,
                         caption: str | None) -> None:
        photo = InputMediaPhoto(media=BufferedInputFile(content, filename=filename), caption=caption)
        await self._call(EditMessageMedia(chat_id=chat_id, message_id=message_id, media=photo))

    async def answer_press(self, press_id: str, text: str | None = None, alert: bool = False) -> None:
        await self._call(AnswerCallbackQuery(callback_query_id=press_id, text=text, show_alert=alert))

    async def set_menu(self, commands: Sequence[MenuCommand], chat_id: int | None,
                       language: str | None) -> None:
        scope = BotCommandScopeDefault() if chat_id is None else BotCommandScopeChat(chat_id=chat_id)
        await self._call(SetMyCommands(
            commands=[BotCommand(command=command.name, description=command.description) for command in commands],
            scope=scope, language_code=language))

    async def username(self) -> str:
        """The bot's username without "@", asked of Telegram once."""
        if self._username is None:
            with self._errors_translated():
                me = await self._bot.me()
            self._username = (me.username or "").removeprefix("@")
        return self._username

    async def _call(self, method: TelegramMethod[Result]) -> Result:
        with self._errors_translated():
            return await self._bot(method)

    @contextmanager
    def _errors_translated(self) -> Iterator[None]:
        try:
            yield
        except AiogramError as error:
            raise messenger_error(error, self._bot.token) from None


def messenger_error(error: AiogramError, token: str) -> MessengerError:
    """The port's error for an aiogram error, described in one line without the token."""
    message = describe(error, token)
    if isinstance(error, TelegramRetryAfter):
        return RetryAfter(message, seconds=float(error.retry_after))
    if isinstance(error, TelegramForbiddenError):
        return Blocked(message)
    if isinstance(error, TelegramBadRequest):
        return refusal(error.message, message)
    if isinstance(error, TelegramEntityTooLarge):  # a TelegramNetworkError, but sending again would not help
        return Rejected(message)
    if isinstance(error, TelegramNetworkError | TelegramServerError | ClientDecodeError):
        return Transient(message)
    return Rejected(message)


def describe(error: AiogramError, token: str) -> str:
    """"ExceptionName: text" on one line, the bot token replaced by "<token>"."""
    if isinstance(error, ClientDecodeError):
        text = f"{error.message} ({type(error.original).__name__})"
    else:
        text = error.message if isinstance(error, TelegramAPIError) else str(error)
    return one_line_without_token(type(error).__name__, text, token)


def inline_keyboard(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """The inline keyboard showing these rows of buttons; None without buttons."""
    if not keyboard:
        return None
    return _inline_keyboard(tuple(tuple(row) for row in keyboard))


@lru_cache(maxsize=KEYBOARDS_KEPT)
def _inline_keyboard(rows: tuple[tuple[KeyButton, ...], ...]) -> InlineKeyboardMarkup:
    """Built once per distinct keyboard (a question shows the same one to every respondent); the markup
    is shared by every call that shows it, so nothing may change it."""
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=button.text, callback_data=button.data) for button in row] for row in rows
    ])
