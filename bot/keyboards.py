"""Screens (conversations.screens) to Telegram inline keyboards, with typed, short callback data."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from conversations.screens import Screen


class RespondentButton(CallbackData, prefix="a", sep="|"):
    """A respondent's button: the survey, the step the screen was shown at, and the action."""

    s: int
    p: str
    a: str


def screen_keyboard(screen: Screen, pack: Callable[[str], str]) -> InlineKeyboardMarkup | None:
    """The screen's buttons, each carrying `pack(action)` as callback data; None without buttons."""
    if not screen.buttons:
        return None
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=button.text, callback_data=pack(button.action)) for button in row]
        for row in screen.buttons
    ])


def respondent_keyboard(screen: Screen, survey_id: int | None) -> InlineKeyboardMarkup | None:
    if survey_id is None:
        return None
    position = screen.position
    return screen_keyboard(screen, lambda action: RespondentButton(s=survey_id, p=position, a=action).pack())
