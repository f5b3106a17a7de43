"""The aiogram shell: every message and every button press goes to the engine (bot/services/engine.py),
which runs the use-case; an unexpected error is logged and the user gets a polite word."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import CallbackQuery, Chat, ErrorEvent, Message, User

from bot.services.context import Press, Sender, message_kind
from bot.services.engine import Engine

log = logging.getLogger(__name__)
router = Router(name="surveybot")


def sender_of(user: User, chat: Chat | None) -> Sender:
    chat_id = chat.id if chat is not None else user.id
    return Sender(user.id, chat_id, user.language_code, chat is None or chat.type == "private")


@router.message()
async def message(message: Message, engine: Engine) -> None:
    if message.from_user is not None:
        await engine.message(sender_of(message.from_user, message.chat), message.text, message_kind(message))


@router.callback_query()
async def button(query: CallbackQuery, engine: Engine) -> None:
    carrier = query.message
    sender = sender_of(query.from_user, carrier.chat if carrier is not None else None)
    press = Press(query.id, carrier.message_id if carrier is not None else None)
    await engine.press(sender, press, query.data or "")


@router.error()
async def unexpected_error(event: ErrorEvent, engine: Engine) -> None:
    update = event.update
    source = update.message or update.callback_query
    user = source.from_user if source is not None else None
    log.exception("update %s failed for user %s", update.update_id, getattr(user, "id", None),
                  exc_info=event.exception)
    if user is not None:
        chat = update.message.chat if update.message is not None else None
        press = Press(update.callback_query.id, None) if update.callback_query is not None else None
        await engine.apologize(sender_of(user, chat), press)
