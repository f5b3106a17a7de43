"""The customer's Telegram side: thin handlers over bot.respondent_service (the dialogue itself is
in conversations/respondent.py)."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.delivery import Delivery
from bot.keyboards import RespondentButton, respondent_keyboard
from bot.respondent_service import Reply, RespondentService
from bot.screen_sender import show_screen
from conversations.invite import invalid_button_text
from locales import normalize_language

router = Router(name="respondent")
# A customer's tap is most of the bot's traffic: its router goes first, so that a tap is not tried
# against every lead button's filter before it (a lead's callback data never has its prefix).
buttons_router = Router(name="respondent buttons")
log = logging.getLogger(__name__)


@router.message(CommandStart(deep_link=True))
async def start_with_invite(message: Message, command: CommandObject, respondents: RespondentService,
                            delivery: Delivery) -> None:
    user = message.from_user
    reply = await respondents.open_invite(command.args or "", user.id, message.chat.id, user.language_code)
    await _show(reply, message.chat.id, None, respondents, delivery)


@router.message(Command("start", "help", "cancel", "language"))
async def dialogue_command(message: Message, command: CommandObject, respondents: RespondentService,
                           delivery: Delivery) -> None:
    user = message.from_user
    reply = await respondents.on_message_without_invite(user.id, user.language_code, None, command.command)
    await _show(reply, message.chat.id, None, respondents, delivery)


@buttons_router.callback_query(RespondentButton.filter())
async def button(query: CallbackQuery, callback_data: RespondentButton, respondents: RespondentService,
                 delivery: Delivery) -> None:
    reply = await respondents.on_button(query.from_user.id, callback_data.s, callback_data.p, callback_data.a)
    if reply is None or query.message is None:
        await foreign_button(query)
        return
    await query.answer()
    edit_id = query.message.message_id if reply.screen.edit else None
    await _show(reply, query.message.chat.id, edit_id, respondents, delivery)


@router.callback_query()
async def foreign_button(query: CallbackQuery) -> None:
    """Forged, malformed or foreign callback data: logged, and the user told the button is void."""
    log.warning("ignored callback data %r from user %s", (query.data or "")[:80], query.from_user.id)
    await query.answer(invalid_button_text(normalize_language(query.from_user.language_code)))


@router.message(F.chat.type == "private")
async def any_message(message: Message, respondents: RespondentService, delivery: Delivery) -> None:
    user = message.from_user
    reply = await respondents.on_message_without_invite(user.id, user.language_code, message.text, None)
    await _show(reply, message.chat.id, None, respondents, delivery)


async def _show(reply: Reply, chat_id: int, edit_message_id: int | None, respondents: RespondentService,
                delivery: Delivery) -> None:
    keyboard = respondent_keyboard(reply.screen, reply.survey_id)
    shown = await show_screen(delivery, chat_id, reply.screen.text, keyboard, edit_message_id)
    if shown is not None and reply.respondent_id is not None and shown != edit_message_id:
        await respondents.remember_screen(reply.respondent_id, shown)
