"""A sticker and a photo from a customer, as Telegram delivers them, through the real bot (aiogram and
PTB): each gets its own reply above the question, and the earlier question loses its buttons."""

from __future__ import annotations

from typing import Any

from fakebot import FakeTelegramServer, FakeUser

from e2e.conftest import at_first_question
from e2e.surveys import create_survey

STICKER = {"file_id": "CAACAgIAAxk", "file_unique_id": "AgADx", "type": "regular", "width": 512, "height": 512,
           "is_animated": False, "is_video": False, "emoji": "👍"}
PHOTO = [{"file_id": "AgACAgIAAxk", "file_unique_id": "AQADx", "width": 800, "height": 600}]


def _send_without_text(telegram: FakeTelegramServer, customer: FakeUser, field: str, value: Any) -> None:
    """What Telegram delivers for a sticker or a photo: a message with that field and no text."""
    message = telegram.message_json(telegram.store_user_message(customer.chat_id, ""))
    message.pop("text", None)
    telegram.push_update({"message": {**message, field: value}})


async def test_a_sticker_and_a_photo_get_their_own_reply(telegram, bot_process, bot_env):
    survey = await create_survey(bot_env["DATABASE_URL"])
    await bot_process()
    customer = await at_first_question(telegram, 700101, "Fay", survey.code)
    question = customer.screen().message_id
    _send_without_text(telegram, customer, "sticker", STICKER)
    reply = await customer.wait_reply(predicate=lambda text: not text.startswith("↓"))
    assert reply.startswith("We cannot read stickers. Please tap a button below to answer, or type a number 1–5.")
    assert "1/19" in reply
    _send_without_text(telegram, customer, "photo", PHOTO)
    assert (await customer.wait_reply(predicate=lambda text: not text.startswith("↓"))).startswith(
        "We cannot read photos. ")
    await customer.wait_quiet()
    retired = telegram.message(customer.chat_id, question)
    assert retired is not None and retired.text == "↓ Continued in the message below." and not retired.inline_keyboard
    assert [m.message_id for m in customer.messages() if m.inline_keyboard] == [customer.screen().message_id]
