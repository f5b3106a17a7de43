"""Whether an invite can be used now, and the notices a customer sees when it cannot.

Pure: the shell passes the survey's status and times and the current time.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from zoneinfo import ZoneInfo

from conversations.screens import Screen
from locales import translator

NOTICE_POSITION = "notice"


class Availability(Enum):
    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"


def availability(status: str, opens_at: dt.datetime, closes_at: dt.datetime | None,
                 now: dt.datetime) -> Availability:
    if status == "closed" or (closes_at is not None and now >= closes_at):
        return Availability.CLOSED
    if now < opens_at:
        return Availability.NOT_YET_OPEN
    return Availability.OPEN


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
        local = opens_at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
        return _notice(_("This survey opens on {when}. Please come back then: your link will work.")
                       .format(when=local))
    return _notice(_("This survey is closed and no longer takes answers. Thank you for your interest. "
                     "Answers you gave before it closed are kept."))


def invalid_button_text(language: str) -> str:
    return translator(language).gettext("This button is no longer valid.")


def _notice(text: str) -> Screen:
    return Screen(text=text, buttons=[], position=NOTICE_POSITION, edit=False)
