"""Screens (conversations.screens) to Telegram inline keyboards, with typed, short callback data."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from conversations.screens import Screen


class RespondentButton(CallbackData, prefix="a", sep="|"):
    """A respondent's button: the survey, the step the screen was shown at, and the action."""

    s: int
    p: str
    a: str


def respondent_keyboard(screen: Screen, survey_id: int | None) -> InlineKeyboardMarkup | None:
    if not screen.buttons or survey_id is None:
        return None
    def data(action: str) -> str:
        return RespondentButton(s=survey_id, p=screen.position, a=action).pack()

    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=button.text, callback_data=data(button.action)) for button in row]
        for row in screen.buttons
    ])
