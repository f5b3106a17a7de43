"""What every lead handler needs first: the lead's language, the survey a command names, the bot's
username for links. Lead commands answer a non-lead, an unknown code and a lead without surveys alike
through `survey_from_command`."""

from __future__ import annotations

from aiogram import Bot
from aiogram.filters import CommandObject
from aiogram.types import Message, User

from bot.delivery import Delivery
from bot.lead_access import is_any_lead, survey_for_lead
from bot.settings import Settings
from bot.storage import Sessions, SurveyRecord
from conversations.lead_setup_screens import no_such_survey_text, no_surveys_yet_text, not_a_lead_text
from locales import normalize_language


def language_of(user: User, settings: Settings) -> str:
    return normalize_language(user.language_code, settings.default_language)


async def survey_from_command(message: Message, command: CommandObject, sessions: Sessions,
                              settings: Settings, delivery: Delivery) -> SurveyRecord | None:
    """The survey a lead command names (or the lead's newest); otherwise the user is told and None."""
    user = message.from_user
    reference = (command.args or "").strip() or None
    survey = await survey_for_lead(sessions, user.id, settings.admin_ids, reference)
    if survey is None:
        language = language_of(user, settings)
        lead = await is_any_lead(sessions, user.id, settings.admin_ids)
        if not lead:
            text = not_a_lead_text(language)
        else:
            text = no_such_survey_text(language) if reference else no_surveys_yet_text(language)
        await delivery.send_screen(message.chat.id, text)
    return survey


async def bot_username(bot: Bot, settings: Settings) -> str:
    return (settings.bot_username or (await bot.me()).username or "").lstrip("@")
