"""The one entrance every chat shell uses: a message (command or text), a button press, start-up and
an unexpected error. It routes each to its use-case and runs one chat's updates one at a time (a
double tap is handled after the first tap); updates of different chats run concurrently.

    engine = Engine(deps, customers, reminders)
    await engine.message(Sender(user_id, chat_id, "en"), "/start abc123")
    await engine.message(sender, None, MessageKind.STICKER)
    await engine.press(sender, Press(query_id, message_id), "a|7|q3|4")
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from weakref import WeakValueDictionary

from bot.services import admins, buttons, lead_help, lead_maturity, lead_reminders, lead_reports, lead_setup, new_survey
from bot.services.command_menus import register_at_startup
from bot.services.context import Deps, Press, Sender
from bot.services.customers import Customers
from bot.services.flood import COMMAND_BURST, ChatFloodGuard
from bot.services.leads import survey_pressed
from bot.services.reminders import ReminderSweeper
from conversations.message_kinds import MessageKind, unreadable_for_a_lead
from locales import translator

log = logging.getLogger(__name__)
CUSTOMER_COMMANDS = frozenset({"start", "help", "cancel", "language"})
LeadCommand = Callable[[Sender, str | None], Awaitable[None]]
PressHandler = Callable[[Deps, Sender, Press, list[str]], Awaitable[None]]


def parse_command(text: str) -> tuple[str, str | None] | None:
    """("name", args or None) of "/name@bot args"; None when the text is no command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, args = text[1:].partition(" ")
    name = head.partition("@")[0].lower()
    return (name, args.strip() or None) if name.isascii() and name.replace("_", "").isalnum() else None


class Engine:
    def __init__(self, deps: Deps, customers: Customers, reminders: ReminderSweeper) -> None:
        self.deps = deps
        self._customers = customers
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()
        self.flood = ChatFloodGuard()
        self.command_flood = ChatFloodGuard(burst=COMMAND_BURST)
        self._lead_commands: dict[str, LeadCommand] = {
            "newsurvey": lambda sender, _args: new_survey.start(deps, sender),
            "surveys": lambda sender, _args: lead_reports.list_surveys(deps, sender),
            "summary": lambda sender, args: lead_reports.summary_command(deps, sender, args),
            "export": lambda sender, args: lead_reports.export_command(deps, sender, args),
            "maturity": lambda sender, args: lead_maturity.maturity_command(deps, sender, args),
            "close": lambda sender, args: lead_setup.close_or_reopen(deps, sender, args, closing=True),
            "reopen": lambda sender, args: lead_setup.close_or_reopen(deps, sender, args, closing=False),
            "addlead": lambda sender, args: lead_setup.add_lead(deps, sender, args),
            "remind": lambda sender, args: lead_reminders.remind_now(deps, reminders, sender, args),
            "reminders": lambda sender, args: lead_reminders.settings_command(deps, sender, args),
        }
        self._presses: dict[str, PressHandler] = {
            buttons.LEAD_REPORT: lead_reports.report_pressed,
            buttons.NEW_SURVEY: new_survey.pressed,
            buttons.SURVEY_STATUS: lead_setup.status_pressed,
            buttons.SURVEY_DATES: lead_setup.dates_pressed,
            buttons.MATURITY: lead_maturity.maturity_pressed,
            buttons.REMINDER_SETTINGS: lead_reminders.settings_pressed,
        }

    async def startup(self) -> None:
        """The command menus: the customer's for everyone, the lead's in leads' chats."""
        await register_at_startup(self.deps)
        await admins.announce_claim_link_if_nobody_administers(self.deps)

    async def message(self, sender: Sender, text: str | None, kind: MessageKind = MessageKind.OTHER) -> None:
        """A message: a command, text, or anything else (text None: `kind` says what, a photo, a
        sticker, a voice message...). A chat flooding the bot is answered about once a second
        (bot/services/flood.py)."""
        guard = self.command_flood if text is not None and parse_command(text) else self.flood
        if not guard.admit(sender.chat_id):
            return
        async with self._chat_lock(sender.chat_id):
            if text is None:
                await self._unreadable(sender, kind)
            else:
                await self._route_message(sender, text)

    async def press(self, sender: Sender, press: Press, data: str) -> None:
        async with self._chat_lock(sender.chat_id):
            prefix, fields = buttons.unpack(data)
            if prefix == buttons.RESPONDENT:
                await self._customers.press(sender, press, fields)
            elif prefix == buttons.PICKED:
                await self._picked(sender, press, fields)
            elif prefix in self._presses:
                await self._presses[prefix](self.deps, sender, press, fields)
            else:
                await self._customers.void_press(sender, press)
            await self.deps.answer(press)

    async def apologize(self, sender: Sender | None, press: Press | None) -> None:
        """After an unexpected error (already logged by the shell): a polite word, never a traceback."""
        if sender is None:
            return
        text = translator(self.deps.language_of(sender)).gettext(
            "Sorry, something went wrong on our side. Your answers are saved; please try again in a moment.")
        if press is not None:
            await self.deps.answer(press, text, alert=True)
        else:
            await self.deps.delivery.send(sender.chat_id, text)

    async def _route_message(self, sender: Sender, text: str) -> None:
        command = parse_command(text)
        if command is None:
            if not sender.private_chat:
                return  # the survey is answered in a private chat only
            if await new_survey.has_draft(self.deps, sender):
                await new_survey.on_text(self.deps, sender, text)
            else:
                await self._customers.message(sender, text)
            return
        name, args = command
        if name in self._lead_commands:
            await self._lead_commands[name](sender, args)
        elif name == "start" and args is not None:
            await self._start_with(sender, args)
        elif name == "cancel" and await new_survey.has_draft(self.deps, sender):
            await new_survey.cancel(self.deps, sender)
        elif name in CUSTOMER_COMMANDS:
            if not await lead_help.answered_for_a_lead(self.deps, sender, name):
                await self._customers.message(sender, None, name)
        elif sender.private_chat:
            await self._customers.message(sender, text)

    async def _unreadable(self, sender: Sender, kind: MessageKind) -> None:
        """A message the bot cannot read, in a private chat: said what it was and what to do instead,
        to a lead in their words (in /newsurvey, or leading and answering no survey)."""
        if not sender.private_chat:
            return
        drafting = await new_survey.has_draft(self.deps, sender)
        if drafting or await lead_help.leads_and_answers_no_survey(self.deps, sender):
            text = unreadable_for_a_lead(self.deps.language_of(sender), kind, drafting)
            await self.deps.delivery.send(sender.chat_id, text)
        else:
            await self._customers.message(sender, None, kind=kind)

    async def _picked(self, sender: Sender, press: Press, fields: list[str]) -> None:
        """A survey picked for a lead command: the command runs as if typed with the survey's code."""
        command = self._lead_commands.get(fields[0]) if len(fields) == 2 else None
        survey = await survey_pressed(self.deps, sender, press, fields[1] if command else "")
        if command is not None and survey is not None:
            await self.deps.answer(press)
            await command(sender, survey.code)

    async def _start_with(self, sender: Sender, payload: str) -> None:
        if payload.startswith(admins.CLAIM_PREFIX):
            await admins.redeem_claim(self.deps, sender, payload)
            return
        if payload.startswith(lead_setup.LEAD_INVITE_PREFIX) and await lead_setup.redeem_lead_invite(
                self.deps, sender, payload):
            return
        await self._customers.open_invite(sender, payload)

    def _chat_lock(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        return lock
