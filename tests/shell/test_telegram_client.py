"""The aiogram Bot the bot makes (bot/telegram_aiogram/client.py: `create_bot`, its `JsonSession` and
`EditScreenText`), used as the bot uses it, through `AiogramMessenger`: a screen goes to the Bot API
server as one JSON body (files as multipart forms) and shows the person what was sent; Telegram's
refusals and an unreachable server still reach the delivery policy, and the operator reads them as one
line each, without the token."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from fakebot import TEST_BOT_TOKEN, FakeTelegramServer, FakeUser

from bot.adapters.settings import Settings
from bot.services.delivery import Delivery
from bot.services.ports import KeyButton
from bot.telegram_aiogram.client import create_bot
from bot.telegram_aiogram.messenger import AiogramMessenger

CHAT = 700_001
RATINGS = ((KeyButton("远高于预期", "a|1|q:1|r:5"),), (KeyButton("« 上一题", "a|1|q:1|back"),))
SHOWN_RATINGS = {"inline_keyboard": [
    [{"text": "远高于预期", "callback_data": "a|1|q:1|r:5"}],
    [{"text": "« 上一题", "callback_data": "a|1|q:1|back"}],
]}


@pytest.fixture
def alice(telegram: FakeTelegramServer) -> FakeUser:
    return FakeUser(telegram, CHAT, "Alice", "zh-hans")


@pytest.fixture
async def messenger(telegram: FakeTelegramServer) -> AsyncIterator[AiogramMessenger]:
    bot = create_bot(Settings(bot_token=TEST_BOT_TOKEN, telegram_api_url=telegram.url))
    yield AiogramMessenger(bot)
    await bot.session.close()


def warnings_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]


async def test_a_screen_goes_as_one_json_body_and_shows_as_sent(
        telegram: FakeTelegramServer, messenger: AiogramMessenger, alice: FakeUser) -> None:
    message_id = await messenger.send_text(CHAT, "问题 1 / 19：服务功能齐全", RATINGS)
    await messenger.edit_text(CHAT, message_id, "问题 2 / 19", RATINGS)

    requests = telegram.requests()
    assert [request.method for request in requests] == ["sendMessage", "editMessageText"]
    assert [request.content_type for request in requests] == ["application/json"] * 2
    assert alice.texts() == ["问题 2 / 19"]
    shown = telegram.message(CHAT, message_id)
    assert shown is not None and shown.edit_count == 1
    assert shown.reply_markup == SHOWN_RATINGS


async def test_a_file_still_goes_as_a_multipart_upload(telegram: FakeTelegramServer, messenger: AiogramMessenger,
                                                       alice: FakeUser) -> None:
    workbook = b"PK\x03\x04 not really a workbook"

    await messenger.send_document(CHAT, workbook, "appendix1.xlsx", "附录1")

    [request] = telegram.requests("sendDocument")
    assert request.content_type == "multipart/form-data"
    [upload] = telegram.uploaded_files(CHAT)
    assert (upload.file_name, upload.data) == ("appendix1.xlsx", workbook)
    assert [(message.kind, message.text) for message in alice.messages()] == [("document", "附录1")]


async def test_a_trailing_slash_in_the_api_url_still_reaches_the_server(telegram: FakeTelegramServer,
                                                                        alice: FakeUser) -> None:
    bot = create_bot(Settings(bot_token=TEST_BOT_TOKEN, telegram_api_url=telegram.url + "/"))
    try:
        await AiogramMessenger(bot).send_text(CHAT, "你好")
    finally:
        await bot.session.close()

    assert alice.texts() == ["你好"]


def test_without_a_token_there_is_no_bot() -> None:
    with pytest.raises(ValueError, match="BOT_TOKEN is not set"):
        create_bot(Settings(bot_token=None))


async def test_telegrams_refusals_reach_the_operator_as_one_line_each(
        telegram: FakeTelegramServer, messenger: AiogramMessenger, alice: FakeUser,
        caplog: pytest.LogCaptureFixture) -> None:
    delivery = Delivery(messenger, max_attempts=1)
    telegram.fail_next("sendMessage", status=429, retry_after=7)

    with caplog.at_level(logging.WARNING):
        assert await delivery.send(CHAT, "hello") is None
        await delivery.answer_press("no-such-query", None, alert=False)

    flood, stale_press = warnings_logged(caplog)
    assert f"send_text to chat {CHAT} failed (RetryAfter)" in flood and "Retry in 7 seconds" in flood
    assert "answering button press no-such-query failed" in stale_press and "query is too old" in stale_press
    assert alice.texts() == []


async def test_an_unreachable_server_is_a_network_error_without_the_token(
        caplog: pytest.LogCaptureFixture) -> None:
    async with FakeTelegramServer() as telegram:
        url = telegram.url
    bot = create_bot(Settings(bot_token=TEST_BOT_TOKEN, telegram_api_url=url))
    try:
        with caplog.at_level(logging.WARNING):
            assert await Delivery(AiogramMessenger(bot), max_attempts=1).send(CHAT, "hello") is None
    finally:
        await bot.session.close()

    [line] = warnings_logged(caplog)
    assert f"send_text to chat {CHAT} failed (Transient): TelegramNetworkError" in line
    assert TEST_BOT_TOKEN not in line
