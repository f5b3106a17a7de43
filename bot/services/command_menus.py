"""The command menus Telegram shows: customer commands for everyone, lead commands in leads' chats.

At start-up `register_at_startup` sets the default menu (in zh, en and the default language) and the
lead menu for every admin and every co-lead already known. Making someone a co-lead calls
`register_lead_menu` for their chat (a private chat's id is the user's id). A chat the messenger
refuses (e.g. an admin who never opened the bot) is logged and skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.adapters import storage
from bot.services.context import Deps
from bot.services.ports import MenuCommand
from locales import LANGUAGES, N_, translator

RESPONDENT_COMMANDS = (
    ("start", N_("Start or continue the survey")),
    ("help", N_("How this bot works")),
    ("language", N_("Change the language")),
    ("cancel", N_("Stop what you are doing")),
)
LEAD_COMMANDS = (
    ("newsurvey", N_("Create a survey")),
    ("surveys", N_("My surveys and their progress")),
    ("summary", N_("Live score summary with chart")),
    ("export", N_("Score sheet (.xlsx) and raw answers (.csv)")),
    ("maturity", N_("Rate management maturity")),
    ("close", N_("Close a survey")),
    ("reopen", N_("Reopen a survey")),
    ("addlead", N_("Invite a co-lead")),
    ("remind", N_("Remind respondents who have not finished")),
    ("reminders", N_("Reminder settings")),
)
Menu = Callable[[str], list[MenuCommand]]


def respondent_menu(language: str) -> list[MenuCommand]:
    _ = translator(language).gettext
    return [MenuCommand(name, _(description)) for name, description in RESPONDENT_COMMANDS]


def lead_commands(language: str) -> list[MenuCommand]:
    """The lead's own commands."""
    _ = translator(language).gettext
    return [MenuCommand(name, _(description)) for name, description in LEAD_COMMANDS]


def lead_menu(language: str) -> list[MenuCommand]:
    """The lead's menu: their own commands first, then the customer ones."""
    return lead_commands(language) + respondent_menu(language)


async def register_lead_menu(deps: Deps, chat_id: int) -> bool:
    """Show the lead menu in one chat, in zh, en and (for other languages) the default language."""
    return await _set(deps, lead_menu, chat_id)


async def register_at_startup(deps: Deps) -> None:
    await _set(deps, respondent_menu, None)
    for chat_id in sorted(await deps.admin_ids() | await _co_lead_ids(deps)):
        await register_lead_menu(deps, chat_id)


async def _co_lead_ids(deps: Deps) -> set[int]:
    ids: set[int] = set()
    for row in await storage.list_surveys(deps.sessions):
        ids.update(lead.telegram_user_id for lead in await storage.leads_of(deps.sessions, row.survey.id))
    return ids


async def _set(deps: Deps, menu: Menu, chat_id: int | None) -> bool:
    delivery, default = deps.delivery, deps.settings.default_language
    if not await delivery.set_menu(menu(default), chat_id, None):
        return False
    for language in LANGUAGES:
        if not await delivery.set_menu(menu(language), chat_id, language):
            return False
    return True
