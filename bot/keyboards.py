"""Screens (conversations.screens) to Telegram inline keyboards, with typed, short callback data."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from conversations.screens import Button, Screen

RESPONDENT_KEYBOARDS_KEPT = 4096  # about 25 screens x 2 languages x 80 surveys


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
    return _respondent_keyboard(survey_id, screen.position, tuple(tuple(row) for row in screen.buttons))


@lru_cache(maxsize=RESPONDENT_KEYBOARDS_KEPT)
def _respondent_keyboard(survey_id: int, position: str,
                         rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """Built once per survey, position and labels (a question has one keyboard per language): building
    aiogram's keyboard objects was 4 % of the bot's CPU under load (bench/load.py). They are frozen."""
    screen = Screen(text="", buttons=[list(row) for row in rows], position=position)
    return screen_keyboard(screen, lambda action: RespondentButton(s=survey_id, p=position, a=action).pack())
