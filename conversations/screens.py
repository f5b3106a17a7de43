"""Screens as data: the text a person reads and the buttons under it.

A dialogue returns a `Screen`; a shell (aiogram, python-telegram-bot, the terminal preview) shows it.
Texts are already translated and plain (no HTML or Markdown), so a shell sends them without a
parse mode. A button's `action` is short (at most `MAX_ACTION_LENGTH` characters: ids and indexes,
never labels) so that it fits Telegram's 64-byte callback data together with the shell's prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_ACTION_LENGTH = 20


@dataclass(frozen=True)
class Button:
    text: str
    action: str


@dataclass(frozen=True)
class Screen:
    """What to show. `position` is where the dialogue stood when the screen was made: the shell
    passes it back with a tapped button's action, so that a button of an older screen is recognized.
    `edit` True: the shell may replace the message the event came from; False: send a new message."""

    text: str
    buttons: list[list[Button]]
    position: str
    edit: bool = True

    @property
    def flat_buttons(self) -> list[Button]:
        """All buttons, row by row, left to right."""
        return [button for row in self.buttons for button in row]
