"""Delivery against a real aiogram Bot that talks HTTP to a small fake Bot API server.

The fake server answers according to the chat id (see the constants below), so each test picks the
behaviour it needs by sending to the matching chat."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiohttp import web
from aiohttp.test_utils import TestServer as AiohttpTestServer

from bot.telegram_aiogram.delivery import Delivery, DeliveryFailure, FailureKind

TOKEN = "123456:SECRET-token-do-not-log"

HEALTHY_CHAT = 1
FLOODED_ONCE_CHAT = 2  # 429 retry_after=1 on the first request, then fine
ALWAYS_FLOODED_CHAT = 3  # 429 retry_after=1 every time
BROKEN_SERVER_CHAT = 5  # 500 every time
FLAKY_SERVER_CHAT = 6  # 500 twice, then fine
BLOCKED_CHAT = 403  # 403 bot was blocked by the user
UNKNOWN_CHAT = 400  # 400 chat not found

UNCHANGED_MESSAGE = 7  # editMessageText: 400 message is not modified
DELETED_MESSAGE = 8  # editMessageText: 400 message to edit not found
OLD_MESSAGE = 9  # editMessageText: 400 message can't be edited


def error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


class FakeBotApi:
    def __init__(self) -> None:
        self.url = ""
        self.calls: list[tuple[str, dict[str, str]]] = []
        self.last_message_id = 100

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        return app

    def calls_to(self, chat_id: int) -> list[str]:
        return [method for method, form in self.calls if form.get("chat_id") == str(chat_id)]

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = {key: str(value) for key, value in (await request.post()).items()}
        self.calls.append((method, form))
        chat_id = int(form["chat_id"])
        earlier_calls = len(self.calls_to(chat_id)) - 1
        if chat_id == BLOCKED_CHAT:
            return error(403, "Forbidden: bot was blocked by the user")
        if chat_id == UNKNOWN_CHAT:
            return error(400, "Bad Request: chat not found")
        if chat_id == ALWAYS_FLOODED_CHAT or (chat_id == FLOODED_ONCE_CHAT and earlier_calls == 0):
            return error(429, "Too Many Requests: retry after 1", retry_after=1)
        if chat_id == BROKEN_SERVER_CHAT or (chat_id == FLAKY_SERVER_CHAT and earlier_calls < 2):
            return error(500, "Internal Server Error")
        if method.lower() == "editmessagetext":
            return self._edit(form)
        return self._message(chat_id, form["text"], message_id=None)

    def _edit(self, form: dict[str, str]) -> web.Response:
        message_id = int(form["message_id"])
        if message_id == UNCHANGED_MESSAGE:
            return error(400, "Bad Request: message is not modified: specified new message content and "
                              "reply markup are exactly the same as a current content and reply markup")
        if message_id == DELETED_MESSAGE:
            return error(400, "Bad Request: message to edit not found")
        if message_id == OLD_MESSAGE:
            return error(400, "Bad Request: message can't be edited")
        return self._message(int(form["chat_id"]), form["text"], message_id=message_id)

    def _message(self, chat_id: int, text: str, message_id: int | None) -> web.Response:
        if message_id is None:
            self.last_message_id += 1
            message_id = self.last_message_id
        result = {"message_id": message_id, "date": int(time.time()), "text": text,
                  "chat": {"id": chat_id, "type": "private"}}
        return web.json_response({"ok": True, "result": result})


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi()
    server = AiohttpTestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    fake.url = str(server.make_url(""))
    yield fake
    await server.close()


def bot_for(url: str) -> Bot:
    return Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    telegram_bot = bot_for(api.url)
    yield telegram_bot
    await telegram_bot.session.close()


def fast_delivery(bot: Bot, **options: Any) -> Delivery:
    """A delivery whose limiter and backoff do not slow the tests down."""
    options.setdefault("rate_per_second", 1000)
    return Delivery(bot, backoff_base_seconds=0.01, **options)


# --- call() ----------------------------------------------------------------------------------

async def test_healthy_send_returns_the_message(bot: Bot, api: FakeBotApi) -> None:
    result = await fast_delivery(bot).call(SendMessage(chat_id=HEALTHY_CHAT, text="hello"))
    assert isinstance(result, Message)
    assert result.text == "hello"
    assert api.calls_to(HEALTHY_CHAT) == ["sendMessage"]


async def test_flood_control_waits_retry_after_then_succeeds(bot: Bot, api: FakeBotApi) -> None:
    started = time.monotonic()
    result = await fast_delivery(bot).call(SendMessage(chat_id=FLOODED_ONCE_CHAT, text="hello"))
    elapsed = time.monotonic() - started
    assert isinstance(result, Message)
    assert api.calls_to(FLOODED_ONCE_CHAT) == ["sendMessage", "sendMessage"]
    assert elapsed >= 1.0


async def test_lasting_flood_control_gives_up_after_max_attempts(bot: Bot, api: FakeBotApi) -> None:
    result = await fast_delivery(bot, max_attempts=2).call(SendMessage(chat_id=ALWAYS_FLOODED_CHAT, text="x"))
    assert isinstance(result, DeliveryFailure)
    assert result.kind is FailureKind.GAVE_UP
    assert result.attempts == 2
    assert len(api.calls_to(ALWAYS_FLOODED_CHAT)) == 2


async def test_server_errors_are_retried_max_attempts_times(bot: Bot, api: FakeBotApi) -> None:
    result = await fast_delivery(bot, max_attempts=4).call(SendMessage(chat_id=BROKEN_SERVER_CHAT, text="x"))
    assert isinstance(result, DeliveryFailure)
    assert result.kind is FailureKind.GAVE_UP
    assert result.attempts == 4
    assert len(api.calls_to(BROKEN_SERVER_CHAT)) == 4


async def test_transient_server_error_is_overcome_by_retrying(bot: Bot, api: FakeBotApi) -> None:
    result = await fast_delivery(bot).call(SendMessage(chat_id=FLAKY_SERVER_CHAT, text="hello"))
    assert isinstance(result, Message)
    assert len(api.calls_to(FLAKY_SERVER_CHAT)) == 3


async def test_backoff_doubles_between_attempts(bot: Bot, api: FakeBotApi) -> None:
    delivery = Delivery(bot, rate_per_second=1000, max_attempts=4, backoff_base_seconds=0.1)
    started = time.monotonic()
    await delivery.call(SendMessage(chat_id=BROKEN_SERVER_CHAT, text="x"))
    assert time.monotonic() - started >= 0.1 + 0.2 + 0.4


async def test_network_error_is_retried_then_reported() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    unreachable_server = bot_for(f"http://127.0.0.1:{closed_port}")
    try:
        result = await fast_delivery(unreachable_server, max_attempts=3).call(
            SendMessage(chat_id=HEALTHY_CHAT, text="x"))
    finally:
        await unreachable_server.session.close()
    assert isinstance(result, DeliveryFailure)
    assert result.kind is FailureKind.GAVE_UP
    assert result.attempts == 3
    assert "TelegramNetworkError" in result.error
    assert TOKEN not in result.error


async def test_blocked_chat_is_reported_unreachable_once_without_retry(bot: Bot, api: FakeBotApi) -> None:
    reported: list[int] = []

    async def mark_unreachable(chat_id: int) -> None:
        reported.append(chat_id)

    delivery = fast_delivery(bot, on_unreachable=mark_unreachable)
    result = await delivery.call(SendMessage(chat_id=BLOCKED_CHAT, text="reminder"))
    assert isinstance(result, DeliveryFailure)
    assert result.kind is FailureKind.UNREACHABLE
    assert reported == [BLOCKED_CHAT]
    assert api.calls_to(BLOCKED_CHAT) == ["sendMessage"]


async def test_other_bad_request_is_not_retried_and_does_not_raise(bot: Bot, api: FakeBotApi) -> None:
    result = await fast_delivery(bot).call(SendMessage(chat_id=UNKNOWN_CHAT, text="x"))
    assert isinstance(result, DeliveryFailure)
    assert result.kind is FailureKind.REJECTED
    assert "chat not found" in result.error
    assert api.calls_to(UNKNOWN_CHAT) == ["sendMessage"]


async def test_failure_is_logged_once_with_method_and_chat_but_without_token(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="bot.telegram_aiogram.delivery"):
        await fast_delivery(bot).call(SendMessage(chat_id=BLOCKED_CHAT, text="x"))
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "sendMessage" in warnings[0]
    assert str(BLOCKED_CHAT) in warnings[0]
    assert "blocked by the user" in warnings[0]
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


async def test_rate_limit_caps_throughput(bot: Bot, api: FakeBotApi) -> None:
    delivery = Delivery(bot, rate_per_second=10)
    started = time.monotonic()
    results = await asyncio.gather(
        *(delivery.call(SendMessage(chat_id=HEALTHY_CHAT, text=f"n{index}")) for index in range(20)))
    elapsed = time.monotonic() - started
    assert all(isinstance(result, Message) for result in results)
    assert len(api.calls_to(HEALTHY_CHAT)) == 20
    assert 1.5 <= elapsed < 5


# --- screens ---------------------------------------------------------------------------------

KEYBOARD = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Next", callback_data="n:1")]])


async def test_send_screen_sends_text_and_buttons(bot: Bot, api: FakeBotApi) -> None:
    message = await fast_delivery(bot).send_screen(HEALTHY_CHAT, "Question 1 of 19", KEYBOARD)
    assert message is not None
    assert message.text == "Question 1 of 19"
    _, form = api.calls[-1]
    assert json.loads(form["reply_markup"])["inline_keyboard"][0][0]["callback_data"] == "n:1"


async def test_send_screen_to_blocked_chat_returns_none(bot: Bot) -> None:
    assert await fast_delivery(bot).send_screen(BLOCKED_CHAT, "Question 1 of 19") is None


async def test_edit_screen_edits_in_place(bot: Bot, api: FakeBotApi) -> None:
    shown_in = await fast_delivery(bot).edit_screen(HEALTHY_CHAT, 55, "Question 2 of 19", KEYBOARD)
    assert shown_in == 55
    assert api.calls_to(HEALTHY_CHAT) == ["editMessageText"]


async def test_unchanged_screen_counts_as_shown(
    bot: Bot, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.telegram_aiogram.delivery"):
        shown_in = await fast_delivery(bot).edit_screen(HEALTHY_CHAT, UNCHANGED_MESSAGE, "Question 2 of 19")
    assert shown_in == UNCHANGED_MESSAGE
    assert api.calls_to(HEALTHY_CHAT) == ["editMessageText"]
    assert caplog.records == []


@pytest.mark.parametrize("message_id", [DELETED_MESSAGE, OLD_MESSAGE])
async def test_screen_that_cannot_be_edited_is_sent_anew(
    bot: Bot, api: FakeBotApi, caplog: pytest.LogCaptureFixture, message_id: int
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.telegram_aiogram.delivery"):
        shown_in = await fast_delivery(bot).edit_screen(
            HEALTHY_CHAT, message_id, "Question 2 of 19", KEYBOARD)
    assert api.calls_to(HEALTHY_CHAT) == ["editMessageText", "sendMessage"]
    _, form = api.calls[-1]
    assert form["text"] == "Question 2 of 19"
    assert "n:1" in form["reply_markup"]
    assert shown_in == api.last_message_id != message_id
    assert caplog.records == []


async def test_edit_screen_in_an_unknown_chat_returns_none_without_sending(bot: Bot, api: FakeBotApi) -> None:
    assert await fast_delivery(bot).edit_screen(UNKNOWN_CHAT, 55, "Question 2 of 19") is None
    assert api.calls_to(UNKNOWN_CHAT) == ["editMessageText"]
