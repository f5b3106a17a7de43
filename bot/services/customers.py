"""The customer's use-cases as every channel calls them: open an invite, answer by button or by text,
a command, a message the bot cannot read; each shows its screen (editing the message that carried the
button where it can). One message at a time shows a customer's screen: when a newer one does, the
earlier one loses its buttons and points to it, so no question is on screen twice.
The dialogue itself is conversations/respondent.py; reading and storing it is RespondentService."""

from __future__ import annotations

import logging

from bot.services import buttons
from bot.services.context import Deps, Press, Sender
from bot.services.respondent import Reply, RespondentService
from conversations.invite import invalid_button_text
from conversations.message_kinds import MessageKind
from conversations.respondent_screens import moved_on_text

log = logging.getLogger(__name__)


class Customers:
    def __init__(self, deps: Deps, respondents: RespondentService) -> None:
        self._deps = deps
        self._respondents = respondents

    async def open_invite(self, sender: Sender, code: str) -> None:
        reply = await self._respondents.open_invite(code, sender.user_id, sender.chat_id, sender.language_code)
        await self._show(reply, sender.chat_id, None)

    async def message(self, sender: Sender, text: str | None, command: str | None = None,
                      kind: MessageKind = MessageKind.OTHER) -> None:
        """A message or command outside an invite: the customer's latest survey goes on. Without text
        or command, `kind` says what was sent instead (a sticker, a photo, a voice message…)."""
        reply = await self._respondents.on_message_without_invite(sender.user_id, sender.language_code, text,
                                                                   command, kind)
        await self._show(reply, sender.chat_id, None)

    async def press(self, sender: Sender, press: Press, fields: list[str]) -> None:
        survey_id = buttons.survey_id_field(fields[0]) if len(fields) == 3 else None
        reply = None
        if survey_id is not None:
            reply = await self._respondents.on_button(sender.user_id, survey_id, fields[1], fields[2])
        if reply is None or press.message_id is None:
            await self.void_press(sender, press)
            return
        await self._deps.answer(press)
        await self._show(reply, sender.chat_id, press.message_id if reply.screen.edit else None)

    async def void_press(self, sender: Sender, press: Press) -> None:
        """Forged, malformed, stale or foreign callback data: logged, and the user told it is void."""
        log.warning("ignored a button press from user %s", sender.user_id)
        await self._deps.answer(press, invalid_button_text(self._deps.language_of(sender)))

    async def _show(self, reply: Reply, chat_id: int, edit_message_id: int | None) -> None:
        """Show the reply's screen; a refused comment goes back first, as a message to copy. A message
        other than the one that showed the screen until now becomes the screen's; that one is retired."""
        delivery = self._deps.delivery
        if reply.returned is not None:
            await delivery.send(chat_id, reply.returned)
        survey_id = reply.survey_id
        keyboard = None if survey_id is None else buttons.respondent_keyboard(reply.screen, survey_id)
        shown = await delivery.show(chat_id, reply.screen.text, keyboard, edit_message_id)
        earlier = reply.screen_message_id
        if shown is None or reply.respondent_id is None or shown == earlier:
            return
        await self._respondents.remember_screen(reply.respondent_id, shown)
        if earlier is not None and reply.language is not None:
            await delivery.edit(chat_id, earlier, moved_on_text(reply.language, below=shown > earlier))
