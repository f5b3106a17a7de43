"""Both shells tell what a message carries the same way (bot/services/context.py `message_kind`), on
aiogram's and python-telegram-bot's own message objects."""

from __future__ import annotations

from typing import Any

import pytest
import telegram
from aiogram import types

from bot.services.context import message_kind
from conversations.message_kinds import MessageKind, unreadable_text

FILE = {"file_id": "f1", "file_unique_id": "u1"}
FIELDS: dict[str, dict[str, Any]] = {
    "text": {"text": "hello"},
    "voice": {"voice": {**FILE, "duration": 3}},
    "sticker": {"sticker": {**FILE, "type": "regular", "width": 512, "height": 512, "is_animated": False,
                            "is_video": False}},
    "photo": {"photo": [{**FILE, "width": 80, "height": 60}]},
    # Telegram fills `document` beside `animation` (a GIF), and `location` beside `venue`
    "animation": {"animation": {**FILE, "width": 1, "height": 1, "duration": 1}, "document": FILE},
    "location": {"venue": {"location": {"latitude": 1.0, "longitude": 2.0}, "title": "t", "address": "a"},
                 "location": {"latitude": 1.0, "longitude": 2.0}},
    "other": {"dice": {"emoji": "🎲", "value": 3}},
}
MESSAGE = {"message_id": 1, "date": 1_780_000_000, "chat": {"id": 5, "type": "private"}}


@pytest.mark.parametrize("kind", FIELDS)
def test_aiogram_and_ptb_messages_are_told_apart_alike(kind: str) -> None:
    payload = {**MESSAGE, **FIELDS[kind]}
    assert message_kind(types.Message.model_validate(payload)) is MessageKind(kind)
    assert message_kind(telegram.Message.de_json(payload, None)) is MessageKind(kind)


def test_every_kind_but_text_has_a_sentence_in_both_languages() -> None:
    for kind in MessageKind:
        english, chinese = unreadable_text("en", kind), unreadable_text("zh", kind)
        assert english.startswith("We cannot ") and english.endswith(".")
        assert chinese.startswith("我们") and chinese.endswith("。")
    assert unreadable_text("zh", MessageKind.VOICE) == "我们无法收听语音消息。"
