"""The bot's Bot API session: calls go to the Bot API server as JSON bodies (files as multipart
forms), and Telegram's refusals and network failures still reach the bot as aiogram's errors."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError, TelegramRetryAfter
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendDocument, SendMessage
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup, Message
from fakebot import TEST_BOT_TOKEN, FakeTelegramServer

from bot.adapters.settings import Settings
from bot.telegram_aiogram.client import create_bot

CHAT = 700_001
RATINGS = InlineKeyboardMarkup(inline_keyboard=[
    [InlineKeyboardButton(text="远高于预期", callback_data="a|1|q:1|r:5")],
    [InlineKeyboardButton(text="« 上一题", callback_data="a|1|q:1|back")],
])


@pytest.fixture
def chat(telegram: FakeTelegramServer) -> int:
    telegram.register_person({"id": CHAT, "is_bot": False, "first_name": "Alice"})
    return CHAT


async def test_a_screen_goes_as_one_json_body_and_shows_as_sent(
        bot: Bot, telegram: FakeTelegramServer, chat: int) -> None:
    sent = await bot(SendMessage(chat_id=chat, text="问题 1 / 19：服务功能齐全", reply_markup=RATINGS))
    edited = await bot(EditMessageText(chat_id=chat, message_id=sent.message_id, text="问题 2 / 19",
                                       reply_markup=RATINGS))

    assert isinstance(edited, Message) and edited.message_id == sent.message_id
    requests = telegram.requests()
    assert [request.content_type for request in requests] == ["application/json"] * 2
    shown = telegram.message(chat, sent.message_id)
    assert shown is not None and shown.text == "问题 2 / 19"
    assert shown.reply_markup == {"inline_keyboard": [
        [{"text": "远高于预期", "callback_data": "a|1|q:1|r:5"}],
        [{"text": "« 上一题", "callback_data": "a|1|q:1|back"}],
    ]}


async def test_a_file_still_goes_as_a_multipart_upload(bot: Bot, telegram: FakeTelegramServer,
                                                       chat: int) -> None:
    workbook = b"PK\x03\x04 not really a workbook"
    await bot(SendDocument(chat_id=chat, document=BufferedInputFile(workbook, "appendix1.xlsx"),
                           caption="附录1"))

    [request] = telegram.requests("sendDocument")
    assert request.content_type == "multipart/form-data"
    [upload] = telegram.uploaded_files(chat)
    assert (upload.file_name, upload.data) == ("appendix1.xlsx", workbook)


async def test_telegram_refusals_reach_the_bot_as_aiograms_errors(
        bot: Bot, telegram: FakeTelegramServer, chat: int) -> None:
    telegram.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as flood:
        await bot(SendMessage(chat_id=chat, text="hello"))
    assert flood.value.retry_after == 7

    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot(AnswerCallbackQuery(callback_query_id="no-such-query"))


async def test_an_unreachable_server_is_a_network_error_without_the_token() -> None:
    async with FakeTelegramServer() as telegram:
        url = telegram.url
    bot = create_bot(Settings(bot_token=TEST_BOT_TOKEN, telegram_api_url=url))
    try:
        with pytest.raises(TelegramNetworkError) as failure:
            await bot(SendMessage(chat_id=CHAT, text="hello"))
        assert TEST_BOT_TOKEN not in str(failure.value)
    finally:
        await bot.session.close()
