"""The command menus Telegram shows: respondent commands for everyone, lead commands in leads' chats.

At start-up `register_commands_at_startup` sets the default menu (in zh, en and the default language)
and the lead menu for every admin and every co-lead already known. Whoever makes someone a co-lead
calls `register_lead_commands(bot, chat_id)` (a private chat's id is the user's id).
A chat Telegram refuses (e.g. an admin who never opened the bot) is logged and skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot import storage
from bot.storage import Sessions
from locales import LANGUAGES, translator

log = logging.getLogger(__name__)

RESPONDENT_COMMANDS = (
    ("start", "Start or continue the survey"),
    ("help", "How this bot works"),
    ("language", "Change the language"),
    ("cancel", "Stop what you are doing"),
)
LEAD_COMMANDS = (
    ("newsurvey", "Create a survey"),
    ("surveys", "My surveys and their progress"),
    ("summary", "Live score summary with chart"),
    ("export", "Score sheet (.xlsx) and raw answers (.csv)"),
    ("maturity", "Rate management maturity"),
    ("close", "Close a survey"),
    ("reopen", "Reopen a survey"),
    ("addlead", "Invite a co-lead"),
    ("remind", "Remind respondents who have not finished"),
    ("reminders", "Reminder settings"),
)


def respondent_commands(language: str) -> list[BotCommand]:
    _ = translator(language).gettext
    return [BotCommand(command=name, description=_(description)) for name, description in RESPONDENT_COMMANDS]


def lead_commands(language: str) -> list[BotCommand]:
    """The lead's menu: their own commands first, then the respondent ones."""
    _ = translator(language).gettext
    lead = [BotCommand(command=name, description=_(description)) for name, description in LEAD_COMMANDS]
    return lead + respondent_commands(language)


async def register_lead_commands(bot: Bot, chat_id: int, default_language: str = "zh") -> bool:
    """Show the lead menu in one chat, in zh, en and (for other languages) `default_language`."""
    scope = BotCommandScopeChat(chat_id=chat_id)
    return await _set(bot, scope, lead_commands, default_language)


async def register_commands_at_startup(bot: Bot, sessions: Sessions, admin_ids: Collection[int],
                                       default_language: str = "zh") -> None:
    await _set(bot, BotCommandScopeDefault(), respondent_commands, default_language)
    for chat_id in sorted(set(admin_ids) | await _co_lead_ids(sessions)):
        await register_lead_commands(bot, chat_id, default_language)


async def _co_lead_ids(sessions: Sessions) -> set[int]:
    ids: set[int] = set()
    for row in await storage.list_surveys(sessions):
        ids.update(lead.telegram_user_id for lead in await storage.leads_of(sessions, row.survey.id))
    return ids


async def _set(bot: Bot, scope: BotCommandScopeChat | BotCommandScopeDefault,
               commands_in: Callable[[str], list[BotCommand]], default_language: str) -> bool:
    try:
        await bot.set_my_commands(commands_in(default_language), scope=scope)
        for language in LANGUAGES:
            await bot.set_my_commands(commands_in(language), scope=scope, language_code=language)
    except TelegramAPIError as error:
        log.warning("could not set the command menu for %s: %s", scope, error)
        return False
    return True
