"""The python-telegram-bot shell: every update goes to the engine (bot/services/engine.py), which runs
the use-case; each update is logged in one line, and an unexpected error gets the user a polite word."""

from __future__ import annotations

import logging
import time

from telegram import Chat, Update, User
from telegram.ext import ContextTypes

from bot.adapters.logging_setup import log_update
from bot.services.context import Press, Sender, message_kind
from bot.services.engine import Engine

log = logging.getLogger(__name__)
ENGINE = "engine"  # the key of the engine in Application.bot_data


def sender_of(user: User, chat: Chat | None) -> Sender:
    chat_id = chat.id if chat is not None else user.id
    return Sender(user.id, chat_id, user.language_code, chat is None or chat.type == Chat.PRIVATE)


async def take_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    started, outcome = time.perf_counter(), "error"
    user = update.effective_user
    try:
        outcome = await _dispatch(update, context.bot_data[ENGINE], user)
    except Exception:
        log.exception("update %s failed for user %s", update.update_id, getattr(user, "id", None))
        await _apologize(update, context.bot_data[ENGINE], user)
    finally:
        log_update(update.update_id, _kind(update), getattr(user, "id", None), outcome, started)


async def _dispatch(update: Update, engine: Engine, user: User | None) -> str:
    query, message = update.callback_query, update.message
    if user is None or (query is None and message is None):
        return "unhandled"
    if query is not None:
        carrier = query.message
        sender = sender_of(user, carrier.chat if carrier is not None else None)
        await engine.press(sender, Press(query.id, carrier.message_id if carrier is not None else None),
                           query.data or "")
    else:
        await engine.message(sender_of(user, message.chat), message.text, message_kind(message))
    return "ok"


async def _apologize(update: Update, engine: Engine, user: User | None) -> None:
    if user is not None:
        query = update.callback_query
        await engine.apologize(sender_of(user, update.effective_chat), Press(query.id, None) if query else None)


def _kind(update: Update) -> str:
    """The update's kind ("message", "callback_query" …), as the Bot API names its field."""
    for kind in ("message", "callback_query", "edited_message", "my_chat_member", "inline_query"):
        if getattr(update, kind, None) is not None:
            return kind
    return "unknown"
