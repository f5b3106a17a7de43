"""The one log line per update that an operator reads, from either Telegram shell (the aiogram
middleware bot/telegram_aiogram/update_log.py, the PTB handler bot/telegram_ptb/handlers.py, both
writing bot/adapters/logging_setup.py's `log_update`): its id, kind, user, outcome and latency; an
update of a kind the framework does not know included; and, as the process prints it, nothing else
per update and never the bot token.

Each update goes through the shell's own handlers to a stand-in for the use-cases (the engine), which
replies through the shell's messenger to the fake Bot API server.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from fakebot import FakeTelegramServer
from telegram import Update

from bot.adapters.logging_setup import setup_logging
from bot.adapters.settings import Settings
from bot.services.context import Press, Sender
from bot.services.delivery import Delivery
from bot.services.ports import Messenger
from bot.telegram_aiogram.client import create_bot
from bot.telegram_aiogram.messenger import AiogramMessenger
from bot.telegram_aiogram.runner import create_dispatcher
from bot.telegram_ptb.client import create_ptb_bot
from bot.telegram_ptb.handlers import ENGINE, take_update
from bot.telegram_ptb.messenger import PtbMessenger
from conversations.message_kinds import MessageKind

# aiogram warns of an update kind it does not know; the operator's line is what these tests read.
pytestmark = pytest.mark.filterwarnings("ignore:Detected unknown update type:RuntimeWarning")

TOKEN = "123456789:AAE-fake_FAKEfakeFAKEfakeFAKEfake12"  # shaped like a real token
ALICE = 700001
PERSON = {"id": ALICE, "is_bot": False, "first_name": "Alice", "language_code": "en"}
CHAT = {"id": ALICE, "type": "private", "first_name": "Alice"}
MESSAGE = {"update_id": 11, "message": {"message_id": 1, "date": 1746410400, "chat": CHAT, "from": PERSON,
                                        "text": "hello"}}
PRESS = {"update_id": 12, "callback_query": {
    "id": "7000010001", "from": PERSON, "chat_instance": "ci700001", "data": "a|7|q:1|r:5",
    "message": {"message_id": 2, "date": 1746410400, "chat": CHAT, "text": "Question 1 of 19"}}}
FROM_THE_FUTURE = {"update_id": 13, "kind_from_the_future": {"id": 1}}
LINE = r"update={update} kind={kind} user={user} outcome={outcome} latency_ms=\d+\.\d"


class Engine:
    """Stands in for bot/services/engine.py: remembers what it was given, replies through `reply`, and
    raises on every message when `broken`."""

    def __init__(self, reply: Callable[[int, str], Awaitable[object]], broken: bool = False) -> None:
        self.reply = reply
        self.broken = broken
        self.seen: list[tuple[str, int, str | None]] = []

    async def message(self, sender: Sender, text: str | None, kind: MessageKind = MessageKind.OTHER) -> None:
        self.seen.append(("message", sender.user_id, text))
        if self.broken:
            raise RuntimeError("the database went away")
        await self.reply(sender.chat_id, f"you said {text}")

    async def press(self, sender: Sender, press: Press, data: str) -> None:
        self.seen.append(("press", sender.user_id, data))
        await self.reply(sender.chat_id, "Question 2 of 19")

    async def apologize(self, sender: Sender, press: Press | None) -> None:
        self.seen.append(("apology", sender.user_id, None))


@dataclass
class Shell:
    name: str
    messenger: Messenger
    feed: Callable[[dict[str, Any], Engine], Awaitable[None]]


@functools.cache
def aiogram_dispatcher() -> Dispatcher:
    """The aiogram shell's dispatcher, made once: its router is a module's and joins one dispatcher."""
    return create_dispatcher(SimpleNamespace(engine=None))  # type: ignore[arg-type]


@pytest.fixture(params=["aiogram", "ptb"])
async def shell(request: pytest.FixtureRequest, telegram: FakeTelegramServer) -> AsyncIterator[Shell]:
    """Each shell as the bot runs it, its messenger pointed at the fake Bot API."""
    if request.param == "aiogram":
        bot: Bot = create_bot(Settings(bot_token=TOKEN, telegram_api_url=telegram.url))

        async def feed_aiogram(data: dict[str, Any], engine: Engine) -> None:
            dispatcher = aiogram_dispatcher()
            dispatcher["engine"] = engine
            await dispatcher.feed_raw_update(bot, data)

        yield Shell("aiogram", AiogramMessenger(bot), feed_aiogram)
        await bot.session.close()
    else:
        async with create_ptb_bot(TOKEN, telegram.url) as ptb_bot:
            async def feed_ptb(data: dict[str, Any], engine: Engine) -> None:
                await take_update(Update.de_json(data, ptb_bot),
                                  SimpleNamespace(bot_data={ENGINE: engine}))  # type: ignore[arg-type]

            yield Shell("ptb", PtbMessenger(ptb_bot), feed_ptb)


def update_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "surveybot.updates"]


CASES = {
    "a message": (MESSAGE, False, LINE.format(update=11, kind="message", user=ALICE, outcome="ok"),
                  [("message", ALICE, "hello")]),
    "a tap": (PRESS, False, LINE.format(update=12, kind="callback_query", user=ALICE, outcome="ok"),
              [("press", ALICE, "a|7|q:1|r:5")]),
    "a failed message": (MESSAGE, True, LINE.format(update=11, kind="message", user=ALICE, outcome="error"),
                         [("message", ALICE, "hello"), ("apology", ALICE, None)]),
    "a kind from the future": (FROM_THE_FUTURE, False,
                               LINE.format(update=13, kind="unknown", user=None, outcome="unhandled"), []),
}


@pytest.mark.parametrize("case", CASES)
async def test_each_update_is_one_line_with_its_kind_user_and_outcome(
        shell: Shell, caplog: pytest.LogCaptureFixture, case: str) -> None:
    update, broken, line, seen = CASES[case]
    engine = Engine(shell.messenger.send_text, broken=broken)
    caplog.set_level(logging.INFO)

    await shell.feed(update, engine)

    assert len(update_lines(caplog)) == 1
    assert re.fullmatch(line, update_lines(caplog)[0])
    assert engine.seen == seen


async def test_a_failed_update_is_logged_with_its_cause(shell: Shell, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)

    await shell.feed(MESSAGE, Engine(shell.messenger.send_text, broken=True))

    [failure] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert failure.getMessage() == f"update 11 failed for user {ALICE}"
    assert failure.exc_info is not None and "the database went away" in str(failure.exc_info[1])


@contextmanager
def operator_log(capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[[], list[str]]]:
    """The bot process's logging (`setup_logging`, as `surveybot run` sets it up), printing to the
    captured stderr; yields a function returning the lines printed since it was last called. The test's
    logging is restored afterwards."""
    root, events = logging.getLogger(), logging.getLogger("aiogram.event")
    kept, level, events_level = root.handlers[:], root.level, events.level
    root.handlers.clear()  # setup_logging replaces the root's handlers and closes them: not pytest's
    setup_logging(TOKEN)
    printing = root.handlers[:]
    root.handlers[:] = kept + printing
    capsys.readouterr()
    try:
        yield lambda: capsys.readouterr().err.splitlines()
    finally:
        for handler in printing:
            root.removeHandler(handler)
        root.setLevel(level)
        events.setLevel(events_level)


PRINTED = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ INFO surveybot\.updates "
                     + LINE.format(update=11, kind="message", user=ALICE, outcome="ok"))


@pytest.mark.parametrize("shell", ["aiogram", "ptb"], indirect=True)
async def test_the_operator_reads_one_line_per_update_and_nothing_else(
        shell: Shell, telegram: FakeTelegramServer, capsys: pytest.CaptureFixture[str]) -> None:
    with operator_log(capsys) as printed_since:
        await shell.feed(MESSAGE, Engine(shell.messenger.send_text))
        printed = printed_since()

    assert [message.text for message in telegram.bot_messages(ALICE)] == ["you said hello"]
    assert len(printed) == 1, "\n".join(printed)
    assert PRINTED.fullmatch(printed[0])


async def test_nothing_the_operator_reads_carries_the_token(shell: Shell, telegram: FakeTelegramServer,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    telegram.fail_next("sendMessage", status=400, description=f"Bad Request: chat not found for {TOKEN}")
    delivery = Delivery(shell.messenger)

    with operator_log(capsys) as printed_since:
        await shell.feed(MESSAGE, Engine(delivery.send))  # the reply is refused, naming the token
        await shell.feed(MESSAGE, Engine(shell.messenger.send_text, broken=True))  # a traceback is printed
        logging.getLogger("bot").warning("a stray mention of %s", TOKEN)
        printed = printed_since()

    assert any(f"send_text to chat {ALICE} failed (Rejected)" in line for line in printed)
    assert any("outcome=error" in line for line in printed)
    assert any("a stray mention of <token>" in line for line in printed)
    assert not any(TOKEN in line or TOKEN.split(":")[1] in line for line in printed)
