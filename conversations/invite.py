"""Whether an invite can be used now, and the notices a customer sees when it cannot.

Pure: the shell passes the survey's status and times and the current time.
"""

from __future__ import annotations

import datetime as dt

from conversations.screens import Screen
from conversations.survey_dates import SurveyState as Availability
from conversations.survey_dates import opening_text
from conversations.survey_dates import survey_state as availability
from locales import translator

NOTICE_POSITION = "notice"
__all__ = ["Availability", "availability", "invalid_button_text", "invite_link", "no_survey_screen",
           "unavailable_screen", "unknown_invite_screen"]


def invite_link(bot_username: str, payload: str) -> str:
    """The t.me deep link that opens the bot with `/start <payload>`."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={payload}"


def unknown_invite_screen(language: str) -> Screen:
    _ = translator(language).gettext
    return _notice(_("This invite link is not valid. Please check that you opened the whole link "
                     "you received, or ask the organization for a new one."))


def no_survey_screen(language: str) -> Screen:
    _ = translator(language).gettext
    return _notice(_("Hello! This bot collects customer feedback for service certification audits. "
                     "To take part, please open the invite link or scan the QR code you received."))


def unavailable_screen(language: str, state: Availability, opens_at: dt.datetime,
                       timezone: str) -> Screen:
    _ = translator(language).gettext
    if state is Availability.NOT_YET_OPEN:
        return _notice(_("This survey opens on {when}. Please come back then: your link will work.")
                       .format(when=opening_text(opens_at, timezone)))
    return _notice(_("This survey is closed and no longer takes answers. Thank you for your interest. "
                     "Answers you gave before it closed are kept."))


def invalid_button_text(language: str) -> str:
    return translator(language).gettext("This button is no longer valid.")


def _notice(text: str) -> Screen:
    return Screen(text=text, buttons=[], position=NOTICE_POSITION, edit=False)
