"""Replacing a picture in place (the summary's chart on Refresh), by both frameworks against the fake
Bot API: the same message shows the new picture and caption; a lost message or a text raises Gone."""

from __future__ import annotations

import pytest
from fakebot import FakeTelegramServer

from bot.services.delivery import Delivery
from bot.services.ports import Gone, Messenger

ALICE = 700001
OLD, NEW = b"\x89PNG\r\n\x1a\n chart n=25 \x00", b"\x89PNG\r\n\x1a\n chart n=26 \x01"


async def test_a_photo_is_replaced_in_place_with_its_caption(telegram: FakeTelegramServer,
                                                             messenger: Messenger) -> None:
    message_id = await messenger.send_photo(ALICE, OLD, "chart.png", "n = 25")

    await messenger.edit_photo(ALICE, message_id, NEW, "chart.png", "n = 26")

    (photo,) = telegram.bot_messages(ALICE)
    assert (photo.message_id, photo.kind, photo.text, photo.edit_count) == (message_id, "photo", "n = 26", 1)
    assert photo.file is not None and (photo.file.file_name, photo.file.data) == ("chart.png", NEW)
    assert [request.method for request in telegram.requests("editMessageMedia")] == ["editMessageMedia"]


async def test_a_lost_message_or_a_text_cannot_take_a_photo(telegram: FakeTelegramServer,
                                                            messenger: Messenger) -> None:
    text_id = await messenger.send_text(ALICE, "Summary")
    with pytest.raises(Gone, match="(?i)message to edit not found"):
        await messenger.edit_photo(ALICE, 99, NEW, "chart.png", None)
    with pytest.raises(Gone, match="(?i)there is no media in the message to edit"):
        await messenger.edit_photo(ALICE, text_id, NEW, "chart.png", None)


async def test_delivery_sends_a_new_photo_when_the_old_one_is_gone(telegram: FakeTelegramServer,
                                                                   messenger: Messenger) -> None:
    delivery = Delivery(messenger, rate_per_second=1000)
    first = await delivery.show_photo(ALICE, OLD, "chart.png", "n = 25")
    assert await delivery.show_photo(ALICE, NEW, "chart.png", "n = 26", first) == first
    telegram.message(ALICE, first).deleted = True
    again = await delivery.show_photo(ALICE, NEW, "chart.png", "n = 27", first)
    assert again is not None and again != first
    assert telegram.message(ALICE, again).text == "n = 27"
