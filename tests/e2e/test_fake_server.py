"""The fake Telegram behaves like Telegram towards aiogram, and the harness can act as people."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiohttp import web
from fakebot import TEST_BOT_TOKEN, BotFactory, BotProcess, FakeTelegramServer, FakeUser

ECHO_BOT = Path(__file__).with_name("echo_bot.py")


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=label, callback_data=f"pick:{index}") for index, label in enumerate(labels)
    ]])


@pytest.fixture
async def api_bot(telegram: FakeTelegramServer) -> AsyncIterator[Bot]:
    """An aiogram Bot in this process, pointed at the fake."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(telegram.url))
    bot = Bot(TEST_BOT_TOKEN, session=session)
    yield bot
    await session.close()


async def start_echo_bot(bot_process: BotFactory) -> BotProcess:
    return await bot_process(command=[sys.executable, str(ECHO_BOT)], args=("--polling-timeout", "2"))


async def test_concurrent_people_each_get_their_own_echo(telegram: FakeTelegramServer,
                                                         bot_process: BotFactory) -> None:
    await start_echo_bot(bot_process)
    people = [FakeUser(telegram, 700_000 + n, f"Person {n}", "en") for n in range(8)]

    async def talk(person: FakeUser) -> list[str]:
        replies = []
        for turn in range(3):
            await person.send(f"hello {person.user_id} #{turn}")
            replies.append(await person.wait_reply(timeout=10))
        return replies

    conversations = await asyncio.gather(*(talk(person) for person in people))

    for person, replies in zip(people, conversations, strict=True):
        assert replies == [f"hello {person.user_id} #{turn}" for turn in range(3)]
        assert person.texts() == replies
    assert [m.message_id for m in telegram.messages(people[0].chat_id)] == [1, 2, 3, 4, 5, 6]


async def test_the_bot_log_shows_why_a_bot_did_not_start(telegram: FakeTelegramServer,
                                                        bot_env: dict[str, str], tmp_path: Path) -> None:
    crashing = BotProcess(bot_env, args=("-c", "raise SystemExit('no database here')"),
                          command=[sys.executable], log_path=tmp_path / "crash.log", server=telegram)
    crashing.start()

    with pytest.raises(AssertionError, match="no database here"):
        await crashing.wait_ready(timeout=10)
    assert crashing.returncode == 1


async def test_rate_limit_answer_has_telegram_shape_and_aiogram_reads_retry_after(
        telegram: FakeTelegramServer, api_bot: Bot) -> None:
    telegram.fail_next("sendMessage", status=429, retry_after=7, times=2)

    url = f"{telegram.url}/bot{TEST_BOT_TOKEN}/sendMessage"
    async with aiohttp.ClientSession() as http, http.post(url, data={"chat_id": "5", "text": "hi"}) as reply:
        assert reply.status == 429
        assert await reply.json() == {"ok": False, "error_code": 429,
                                      "description": "Too Many Requests: retry after 7",
                                      "parameters": {"retry_after": 7}}
    with pytest.raises(TelegramRetryAfter) as raised:
        await api_bot.send_message(5, "hi")
    assert raised.value.retry_after == 7

    delivered = await api_bot.send_message(5, "hi")

    assert delivered.text == "hi" and delivered.chat.id == 5
    assert [r.status for r in telegram.requests("sendMessage")] == [429, 429, 200]


async def test_blocked_chats_and_server_errors(telegram: FakeTelegramServer, api_bot: Bot) -> None:
    telegram.block_chat(42)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await api_bot.send_message(42, "reminder")
    with pytest.raises(TelegramForbiddenError):
        await api_bot.send_chat_action(42, "typing")

    telegram.fail_next("sendMessage", status=502)
    with pytest.raises(TelegramServerError):
        await api_bot.send_message(43, "another person")
    assert (await api_bot.send_message(43, "another person")).message_id == 1

    telegram.unblock_chat(42)
    assert (await api_bot.send_message(42, "unblocked")).message_id == 1
    assert [r.status for r in telegram.requests("sendMessage")] == [403, 502, 200, 200]
    assert [m.text for m in telegram.bot_messages(42)] == ["unblocked"]


async def test_edits_change_the_screen_and_a_no_op_edit_is_refused(telegram: FakeTelegramServer,
                                                                  api_bot: Bot) -> None:
    alice = FakeUser(telegram, 700001, "Alice", "en")
    sent = await api_bot.send_message(alice.chat_id, "<b>Question 1</b> of 2", parse_mode="HTML",
                                      reply_markup=keyboard("Low", "High"))
    assert sent.reply_markup is not None and sent.text == "Question 1 of 2"

    await api_bot.edit_message_text("Question 2 of 2", chat_id=alice.chat_id, message_id=sent.message_id,
                                    reply_markup=keyboard("No", "Yes"))
    assert alice.screen().text == "Question 2 of 2"
    assert alice.screen().buttons == [["No", "Yes"]]

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await api_bot.edit_message_text("Question 2 of 2", chat_id=alice.chat_id, message_id=sent.message_id,
                                        reply_markup=keyboard("No", "Yes"))
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await api_bot.edit_message_text("lost", chat_id=alice.chat_id, message_id=99)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await api_bot.send_message(alice.chat_id, "Score <95", parse_mode="HTML")

    await api_bot.edit_message_reply_markup(chat_id=alice.chat_id, message_id=sent.message_id)
    assert alice.screen().buttons == []
    await api_bot.delete_message(alice.chat_id, sent.message_id)
    assert alice.texts() == []


async def test_send_document_keeps_file_name_and_bytes(telegram: FakeTelegramServer, api_bot: Bot) -> None:
    content = b"PK\x03\x04 score sheet \x00\xff"

    sent = await api_bot.send_document(900001, BufferedInputFile(content, filename="score-sheet.xlsx"),
                                       caption="Score sheet")

    assert sent.document is not None and sent.document.file_name == "score-sheet.xlsx"
    [upload] = telegram.uploaded_files(900001)
    assert (upload.field, upload.file_name, upload.data) == ("document", "score-sheet.xlsx", content)
    assert telegram.latest_bot_message(900001).text == "Score sheet"  # type: ignore[union-attr]


async def test_commands_are_recorded_per_scope_and_language(telegram: FakeTelegramServer,
                                                            api_bot: Bot) -> None:
    await api_bot.set_my_commands([BotCommand(command="start", description="开始")], language_code="zh")
    await api_bot.set_my_commands([BotCommand(command="surveys", description="Surveys")],
                                  scope=BotCommandScopeChat(chat_id=900001))

    assert telegram.my_commands(language_code="zh") == [{"command": "start", "description": "开始"}]
    assert telegram.my_commands({"type": "chat", "chat_id": 900001}) == [
        {"command": "surveys", "description": "Surveys"}]
    assert telegram.my_commands() == []
    assert [c.command for c in await api_bot.get_my_commands(language_code="zh")] == ["start"]


async def test_a_press_reaches_the_bot_as_a_callback_query(telegram: FakeTelegramServer,
                                                           api_bot: Bot) -> None:
    received: list[tuple[str | None, int]] = []
    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart(deep_link=True))
    async def start(message: Message, command: CommandObject) -> None:
        await message.answer(f"Survey {command.args}", reply_markup=keyboard("Start", "Later"))

    @dispatcher.callback_query(F.data.startswith("pick:"))
    async def pick(query: CallbackQuery) -> None:
        received.append((query.data, query.from_user.id))
        await query.answer("Saved")
        assert isinstance(query.message, Message)
        await query.message.edit_text("Question 1 of 19", reply_markup=keyboard("1", "2", "3", "4", "5"))

    polling = asyncio.create_task(dispatcher.start_polling(api_bot, polling_timeout=1, handle_signals=False,
                                                           close_bot_session=False))
    try:
        bob = FakeUser(telegram, 700002, "Bob", "en")
        await bob.send("/start ABC123")
        assert await bob.wait_reply() == "Survey ABC123"
        with pytest.raises(AssertionError, match=r"\['Start', 'Later'\]"):
            await bob.press("Begin")

        await bob.press("Start")

        assert await bob.wait_reply() == "Question 1 of 19"
        assert await bob.wait_callback_answer() == "Saved"
        assert received == [("pick:0", 700002)]
        assert bob.screen().labels == ["1", "2", "3", "4", "5"]
        assert bob.callback_answers() == ["Saved"]
    finally:
        await dispatcher.stop_polling()
        await polling


async def test_unconfirmed_updates_come_again_until_the_offset_confirms_them(
        telegram: FakeTelegramServer) -> None:
    carol = FakeUser(telegram, 700003, "Carol")
    await carol.send("one")
    await carol.send("two")
    url = f"{telegram.url}/bot{TEST_BOT_TOKEN}/getUpdates"

    async with aiohttp.ClientSession() as http:
        async with http.post(url, data={"timeout": "0"}) as first:
            first_ids = [u["update_id"] for u in (await first.json())["result"]]
        async with http.post(url, data={"timeout": "0"}) as again:
            again_ids = [u["update_id"] for u in (await again.json())["result"]]
        async with http.post(url, data={"timeout": "1", "offset": str(first_ids[-1] + 1)}) as confirmed:
            after_confirming = (await confirmed.json())["result"]

    assert first_ids == again_ids == [1, 2]
    assert after_confirming == []


async def test_flood_control_answers_429_per_chat_and_overall(telegram: FakeTelegramServer,
                                                               api_bot: Bot) -> None:
    telegram.set_flood_limits(per_second=3, per_chat_per_second=1)

    await api_bot.send_message(1, "first to 1")
    with pytest.raises(TelegramRetryAfter):
        await api_bot.send_message(1, "second to 1 within the second")
    await api_bot.send_message(2, "first to 2")
    await api_bot.send_message(3, "first to 3")
    with pytest.raises(TelegramRetryAfter):
        await api_bot.send_message(4, "fourth send within the second")

    assert len(telegram.requests("sendMessage", status=429)) == 2
    assert [len(telegram.bot_messages(chat)) for chat in (1, 2, 3, 4)] == [1, 1, 1, 0]


async def test_a_webhook_receives_updates_with_its_secret(telegram: FakeTelegramServer, api_bot: Bot) -> None:
    received: asyncio.Queue[tuple[str | None, dict[str, object]]] = asyncio.Queue()

    async def webhook(request: web.Request) -> web.Response:
        await received.put((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await api_bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        await FakeUser(telegram, 700004, "Dan").send("hello hook")

        secret, update = await asyncio.wait_for(received.get(), 5)

        assert secret == "s3cret"
        assert update["message"]["text"] == "hello hook"  # type: ignore[index]
        assert (await api_bot.get_webhook_info()).url == f"http://127.0.0.1:{port}/hook"
        with pytest.raises(TelegramConflictError):
            await api_bot.get_updates()
    finally:
        await api_bot.delete_webhook()
        await runner.cleanup()
