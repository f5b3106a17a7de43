"""Callback data of every button the bot shows: a short prefix naming the use-case, then its fields,
joined by "|" (at most 64 bytes, as Telegram allows). Both Telegram shells send it back unchanged,
so a button shown by one framework works after a switch to the other.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.services.ports import Keyboard, KeyButton
from conversations.screens import Screen

SEPARATOR = "|"
MAX_BYTES = 64

RESPONDENT = "a"  # survey id, position shown, action
LEAD_REPORT = "lr"  # verb, survey id
NEW_SURVEY = "ns"  # position shown, action
SURVEY_STATUS = "st"  # survey id, action
MATURITY = "mt"  # survey id, position shown, action
REMINDER_SETTINGS = "rm"  # survey id, action
SURVEY_DATES = "sd"  # survey id, action
PICKED = "pk"  # lead command, survey id: the survey a lead picked for a command typed without a code


def pack(prefix: str, *fields: object) -> str:
    data = SEPARATOR.join((prefix, *map(str, fields)))
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def unpack(data: str) -> tuple[str, list[str]]:
    """(prefix, fields) of callback data made by `pack`."""
    prefix, *fields = data.split(SEPARATOR)
    return prefix, fields


def survey_id_field(text: str) -> int | None:
    """A survey id sent back in callback data; None when it is not one (forged data)."""
    return int(text) if text.isdigit() and len(text) <= 18 else None


def keyboard_of(screen: Screen, pack: Callable[[str], str]) -> Keyboard | None:
    """The screen's buttons, each sending `pack(action)` back when tapped; None without buttons."""
    if not screen.buttons:
        return None
    return tuple(tuple(KeyButton(button.text, pack(button.action)) for button in row) for row in screen.buttons)


def respondent_keyboard(screen: Screen, survey_id: int) -> Keyboard | None:
    """A customer's screen: each button names the survey and the step the screen was shown at."""
    return keyboard_of(screen, lambda action: pack(RESPONDENT, survey_id, screen.position, action))
