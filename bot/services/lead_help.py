"""/start, /help, /language and /cancel from an audit lead who is not answering a survey: lead texts,
not the customer's greeting."""

from __future__ import annotations

from bot.adapters import storage
from bot.services.command_menus import lead_commands
from bot.services.context import Deps, Sender
from bot.services.leads import is_lead
from conversations.lead_help import lead_help_text, lead_language_text, lead_nothing_to_cancel_text


async def leads_and_answers_no_survey(deps: Deps, sender: Sender) -> bool:
    """The user is a lead and is not answering a survey: the lead's texts fit, not the customer's."""
    if await storage.latest_respondent_for_user(deps.sessions, sender.user_id) is not None:
        return False
    return await is_lead(deps, sender)


async def answered_for_a_lead(deps: Deps, sender: Sender, command: str) -> bool:
    """Answer `command` with the lead's text; False when the user is answering a survey or is no lead."""
    if not await leads_and_answers_no_survey(deps, sender):
        return False
    language = deps.language_of(sender)
    if command == "language":
        text = lead_language_text(language)
    elif command == "cancel":
        text = lead_nothing_to_cancel_text(language)
    else:
        text = lead_help_text(language, [(entry.name, entry.description) for entry in lead_commands(language)])
    await deps.delivery.send(sender.chat_id, text)
    return True
