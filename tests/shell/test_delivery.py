"""The delivery policy (bot/services/delivery.py) over a real messenger of each framework (aiogram and
python-telegram-bot), which talks HTTP to the fake Bot API server (tests/fakebot): what reaches the
chat, how often Telegram was asked and when, and what the operator reads in the log.

The fake server's faults (`fail_next`, `block_chat`) play Telegram's refusals; its request records
carry the time each call arrived, so waits are measured where Telegram would see them. The exact
spacing of the rate limit is checked once more against an in-memory messenger that answers at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest
from fakebot import TEST_BOT_TOKEN, FakeTelegramServer, FakeUser

from bot.services.delivery import Delivery
from bot.services.ports import KeyButton, MenuCommand, Messenger, Transient

# PTB warns, as it builds its RetryAfter, that retry_after will become a timedelta.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

ALICE = 700001
DELIVERY_LOG = "bot.services.delivery"
KEYBOARD = ((KeyButton("Far above", "a|7|q:1|r:5"), KeyButton("Far below", "a|7|q:1|r:1")),
            (KeyButton("« Back", "a|7|q:1|back"),))
SHOWN_KEYBOARD = [[("Far above", "a|7|q:1|r:5"), ("Far below", "a|7|q:1|r:1")], [("« Back", "a|7|q:1|back")]]
PNG = b"\x89PNG\r\n\x1a\n fake chart \x00\xff"


@pytest.fixture
def alice(telegram: FakeTelegramServer) -> FakeUser:
    return FakeUser(telegram, ALICE, "Alice", "en")


def fast_delivery(messenger: Messenger, **options: Any) -> Delivery:
    """A delivery whose limiter and backoff do not slow the tests down."""
    options.setdefault("rate_per_second", 1000)
    options.setdefault("backoff_base_seconds", 0.01)
    return Delivery(messenger, **options)


def statuses(telegram: FakeTelegramServer, method: str, chat_id: int = ALICE) -> list[int]:
    return [request.status for request in telegram.requests(method, chat_id=chat_id)]


def gaps(telegram: FakeTelegramServer, method: str, chat_id: int = ALICE) -> list[float]:
    """Seconds between the calls of `method` as they reached the server."""
    times = [request.time for request in telegram.requests(method, chat_id=chat_id)]
    return [later - earlier for earlier, later in zip(times, times[1:], strict=False)]


def shown_keyboard(telegram: FakeTelegramServer, chat_id: int = ALICE) -> list[list[tuple[str, str]]]:
    message = telegram.latest_bot_message(chat_id)
    assert message is not None
    return [[(button["text"], button["callback_data"]) for button in row] for row in message.inline_keyboard]


def warnings_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]


class Unreachable:
    """An `on_unreachable` that remembers the chats it was told of."""

    def __init__(self) -> None:
        self.chats: list[int] = []

    async def __call__(self, chat_id: int) -> None:
        self.chats.append(chat_id)


# --- sending ---------------------------------------------------------------------------------

async def test_a_sent_screen_shows_its_text_and_buttons(telegram: FakeTelegramServer, messenger: Messenger,
                                                        alice: FakeUser) -> None:
    message_id = await fast_delivery(messenger).send(ALICE, "Question 1 of 19", KEYBOARD)

    assert alice.screen().text == "Question 1 of 19" and alice.screen().message_id == message_id
    assert shown_keyboard(telegram) == SHOWN_KEYBOARD
    assert statuses(telegram, "sendMessage") == [200]


async def test_flood_control_is_waited_out_then_the_message_arrives_once(
        telegram: FakeTelegramServer, messenger: Messenger, alice: FakeUser) -> None:
    telegram.fail_next("sendMessage", status=429, retry_after=1)

    message_id = await fast_delivery(messenger).send(ALICE, "hello")

    assert message_id is not None and alice.texts() == ["hello"]
    assert statuses(telegram, "sendMessage") == [429, 200]
    assert gaps(telegram, "sendMessage")[0] >= 1.0


async def test_lasting_flood_control_gives_up_after_max_attempts(telegram: FakeTelegramServer,
                                                                 messenger: Messenger, alice: FakeUser) -> None:
    telegram.fail_next("sendMessage", status=429, retry_after=1, times=5)

    assert await fast_delivery(messenger, max_attempts=2).send(ALICE, "x") is None

    assert statuses(telegram, "sendMessage") == [429, 429]
    assert alice.texts() == []


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_tried_max_attempts_times(telegram: FakeTelegramServer, messenger: Messenger,
                                                          status: int) -> None:
    telegram.fail_next("sendMessage", status=status, times=10)

    assert await fast_delivery(messenger, max_attempts=4).send(ALICE, "x") is None

    assert statuses(telegram, "sendMessage") == [status] * 4


async def test_a_passing_server_error_is_overcome_by_trying_again(telegram: FakeTelegramServer,
                                                                  messenger: Messenger, alice: FakeUser) -> None:
    telegram.fail_next("sendMessage", status=500, times=2)

    assert await fast_delivery(messenger).send(ALICE, "hello") is not None

    assert statuses(telegram, "sendMessage") == [500, 500, 200]
    assert alice.texts() == ["hello"]


async def test_the_wait_between_attempts_doubles(telegram: FakeTelegramServer, messenger: Messenger) -> None:
    telegram.fail_next("sendMessage", status=500, times=10)
    delivery = Delivery(messenger, rate_per_second=1000, max_attempts=4, backoff_base_seconds=0.1)

    await delivery.send(ALICE, "x")

    waits = gaps(telegram, "sendMessage")
    assert len(waits) == 3
    assert waits[0] >= 0.1 and waits[1] >= 0.2 and waits[2] >= 0.4
    assert waits[0] < waits[1] < waits[2]


async def test_an_unreachable_server_is_tried_again_then_reported_without_the_token(
        telegram: FakeTelegramServer, messenger: Messenger, caplog: pytest.LogCaptureFixture) -> None:
    await telegram.stop()

    with caplog.at_level(logging.DEBUG, logger=DELIVERY_LOG):
        assert await fast_delivery(messenger, max_attempts=3).send(ALICE, "x") is None

    retries = [record.getMessage() for record in caplog.records
               if record.name == DELIVERY_LOG and record.levelno == logging.DEBUG]
    assert len(retries) == 2  # the first two attempts were tried again, the third gave up
    assert "attempt 1 failed" in retries[0] and "attempt 2 failed" in retries[1]
    [warning] = warnings_logged(caplog)
    assert f"send_text to chat {ALICE} failed (Transient)" in warning
    assert "NetworkError" in warning  # aiogram's TelegramNetworkError, PTB's NetworkError
    assert all(TEST_BOT_TOKEN not in record.getMessage() for record in caplog.records)


async def test_a_blocked_chat_is_reported_unreachable_once_and_not_tried_again(
        telegram: FakeTelegramServer, messenger: Messenger) -> None:
    telegram.block_chat(ALICE)
    unreachable = Unreachable()

    assert await fast_delivery(messenger, on_unreachable=unreachable).send(ALICE, "reminder") is None

    assert unreachable.chats == [ALICE]
    assert statuses(telegram, "sendMessage") == [403]


async def test_any_other_refusal_is_not_tried_again_and_does_not_raise(
        telegram: FakeTelegramServer, messenger: Messenger, caplog: pytest.LogCaptureFixture) -> None:
    telegram.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    unreachable = Unreachable()

    with caplog.at_level(logging.WARNING, logger=DELIVERY_LOG):
        assert await fast_delivery(messenger, on_unreachable=unreachable).send(ALICE, "x") is None

    assert statuses(telegram, "sendMessage") == [400]
    assert unreachable.chats == []
    [warning] = warnings_logged(caplog)
    assert "chat not found" in warning.lower()


FAILURES: dict[str, Callable[[FakeTelegramServer], None]] = {
    "blocked": lambda telegram: telegram.block_chat(ALICE),
    "refused": lambda telegram: telegram.fail_next(
        "sendMessage", status=400, description=f"Bad Request: chat not found\nfor {TEST_BOT_TOKEN}"),
    "flooded": lambda telegram: telegram.fail_next("sendMessage", status=429, retry_after=1, times=2),
    "server down": lambda telegram: telegram.fail_next(
        "sendMessage", status=500, description=f"Internal Server Error at /bot{TEST_BOT_TOKEN}/sendMessage",
        times=2),
}
REASONS = {"blocked": "(Blocked): ", "refused": "(Rejected): ", "flooded": "(RetryAfter): ",
           "server down": "(Transient): "}


@pytest.mark.parametrize("failure", FAILURES)
async def test_a_failure_is_one_log_line_with_call_chat_and_reason_but_never_the_token(
        telegram: FakeTelegramServer, messenger: Messenger, caplog: pytest.LogCaptureFixture,
        failure: str) -> None:
    FAILURES[failure](telegram)

    with caplog.at_level(logging.DEBUG, logger=DELIVERY_LOG):
        await fast_delivery(messenger, max_attempts=2).send(ALICE, "x")

    [warning] = warnings_logged(caplog)
    assert f"Telegram send_text to chat {ALICE} failed {REASONS[failure]}" in warning
    assert "\n" not in warning
    if failure == "blocked":
        assert "blocked by the user" in warning
    assert all(TEST_BOT_TOKEN not in record.getMessage() for record in caplog.records)


async def test_the_rate_limit_spaces_the_calls_telegram_receives(telegram: FakeTelegramServer,
                                                                 messenger: Messenger) -> None:
    delivery = Delivery(messenger, rate_per_second=20)
    started = time.monotonic()

    sent = await asyncio.gather(*(delivery.send(ALICE, f"n{index}") for index in range(20)))

    elapsed = time.monotonic() - started
    assert None not in sent and len(set(sent)) == 20
    arrived = [request.time for request in telegram.requests("sendMessage", chat_id=ALICE)]
    assert len(arrived) == 20
    assert arrived[-1] - arrived[0] >= 19 / 20 * 0.9  # no burst: nineteen gaps of 1/20 s
    assert elapsed < 3


class InstantMessenger:
    """Sends at once, remembering when; raises the errors queued in `failures` first."""

    def __init__(self, *failures: Exception) -> None:
        self.calls: list[float] = []
        self.failures = list(failures)

    async def send_text(self, chat_id: int, text: str, keyboard: Any = None) -> int:
        self.calls.append(time.monotonic())
        if self.failures:
            raise self.failures.pop(0)
        return len(self.calls)


@pytest.mark.parametrize("rate", [20, 50])
async def test_no_two_sends_are_closer_than_one_over_the_rate(rate: float) -> None:
    instant = InstantMessenger()
    delivery = Delivery(instant, rate_per_second=rate)  # type: ignore[arg-type]

    await asyncio.gather(*(delivery.send(ALICE, "x") for _ in range(16)))

    spacing = [later - earlier for earlier, later in zip(instant.calls, instant.calls[1:], strict=False)]
    assert len(instant.calls) == 16
    assert min(spacing) >= 0.9 / rate
    assert instant.calls[-1] - instant.calls[0] < 15 / rate + 0.5


async def test_retries_wait_for_the_rate_limit_too() -> None:
    instant = InstantMessenger(Transient("ServerError: Bad Gateway"))
    delivery = Delivery(instant, rate_per_second=5, backoff_base_seconds=0)  # type: ignore[arg-type]

    assert await delivery.send(ALICE, "x") == 2

    assert instant.calls[1] - instant.calls[0] >= 0.9 / 5


# --- showing a screen in place -----------------------------------------------------------------

async def test_a_screen_is_shown_by_editing_its_message(telegram: FakeTelegramServer, messenger: Messenger,
                                                        alice: FakeUser) -> None:
    delivery = fast_delivery(messenger)
    first = await delivery.send(ALICE, "Question 1 of 19")

    shown_in = await delivery.show(ALICE, "Question 2 of 19", KEYBOARD, edit_message_id=first)

    assert shown_in == first
    assert alice.texts() == ["Question 2 of 19"]
    assert shown_keyboard(telegram) == SHOWN_KEYBOARD
    assert statuses(telegram, "editMessageText") == [200]


async def test_show_without_a_message_to_edit_sends_one(telegram: FakeTelegramServer, messenger: Messenger,
                                                        alice: FakeUser) -> None:
    shown_in = await fast_delivery(messenger).show(ALICE, "Welcome", KEYBOARD)

    assert shown_in == alice.screen().message_id and alice.texts() == ["Welcome"]
    assert statuses(telegram, "editMessageText") == []


async def test_an_unchanged_screen_counts_as_shown(telegram: FakeTelegramServer, messenger: Messenger,
                                                   alice: FakeUser, caplog: pytest.LogCaptureFixture) -> None:
    delivery = fast_delivery(messenger)
    first = await delivery.send(ALICE, "Question 2 of 19", KEYBOARD)

    with caplog.at_level(logging.WARNING, logger=DELIVERY_LOG):
        shown_in = await delivery.show(ALICE, "Question 2 of 19", KEYBOARD, edit_message_id=first)

    assert shown_in == first
    assert statuses(telegram, "editMessageText") == [400]  # "message is not modified", not tried again
    assert statuses(telegram, "sendMessage") == [200]
    assert alice.texts() == ["Question 2 of 19"]
    assert warnings_logged(caplog) == []


async def message_to_edit(kind: str, telegram: FakeTelegramServer, messenger: Messenger) -> int:
    """The id of a message Telegram will not edit: gone, the customer's own, or a photo."""
    if kind == "gone":
        return 99
    if kind == "the customer's":
        return telegram.store_user_message(ALICE, "/start").message_id
    await messenger.send_photo(ALICE, PNG, "chart.png", "Chart")
    photo = telegram.latest_bot_message(ALICE)
    assert photo is not None
    return photo.message_id


@pytest.mark.parametrize("kind", ["gone", "the customer's", "a photo"])
async def test_a_screen_that_cannot_be_edited_is_sent_anew(telegram: FakeTelegramServer, messenger: Messenger,
                                                           alice: FakeUser, caplog: pytest.LogCaptureFixture,
                                                           kind: str) -> None:
    old = await message_to_edit(kind, telegram, messenger)

    with caplog.at_level(logging.WARNING, logger=DELIVERY_LOG):
        shown_in = await fast_delivery(messenger).show(ALICE, "Question 2 of 19", KEYBOARD, edit_message_id=old)

    assert statuses(telegram, "editMessageText") == [400]
    assert statuses(telegram, "sendMessage") == [200]
    assert alice.screen().text == "Question 2 of 19"
    assert shown_keyboard(telegram) == SHOWN_KEYBOARD
    assert shown_in == alice.screen().message_id != old
    assert warnings_logged(caplog) == []


async def test_a_screen_in_an_unknown_chat_is_not_shown_and_not_sent(telegram: FakeTelegramServer,
                                                                     messenger: Messenger) -> None:
    telegram.fail_next("editMessageText", status=400, description="Bad Request: chat not found")

    assert await fast_delivery(messenger).show(ALICE, "Question 2 of 19", edit_message_id=55) is None

    assert statuses(telegram, "editMessageText") == [400]
    assert statuses(telegram, "sendMessage") == []


async def test_a_screen_for_a_blocked_chat_marks_it_unreachable_without_sending(
        telegram: FakeTelegramServer, messenger: Messenger) -> None:
    unreachable = Unreachable()
    delivery = fast_delivery(messenger, on_unreachable=unreachable)
    first = await delivery.send(ALICE, "Question 1 of 19")
    telegram.block_chat(ALICE)

    assert await delivery.show(ALICE, "Question 2 of 19", edit_message_id=first) is None

    assert unreachable.chats == [ALICE]
    assert statuses(telegram, "editMessageText") == [403]
    assert statuses(telegram, "sendMessage") == [200]


# --- files, button presses, menus ---------------------------------------------------------------

async def test_a_report_and_a_chart_arrive_once_despite_flood_control(telegram: FakeTelegramServer,
                                                                      messenger: Messenger) -> None:
    sheet = b"PK\x03\x04 score sheet \x00\xff"
    telegram.fail_next("sendDocument", status=429, retry_after=1)
    delivery = fast_delivery(messenger)

    assert await delivery.send_document(ALICE, sheet, "score-sheet.xlsx", "Score sheet")
    assert await delivery.send_photo(ALICE, PNG, "chart.png")

    assert statuses(telegram, "sendDocument") == [429, 200] and statuses(telegram, "sendPhoto") == [200]
    assert [(upload.file_name, upload.data) for upload in telegram.uploaded_files(ALICE)] == [
        ("score-sheet.xlsx", sheet), ("chart.png", PNG)]
    assert [message.text for message in telegram.bot_messages(ALICE)] == ["Score sheet", ""]


async def test_a_report_for_a_blocked_chat_is_not_sent(telegram: FakeTelegramServer, messenger: Messenger) -> None:
    telegram.block_chat(ALICE)
    unreachable = Unreachable()
    delivery = fast_delivery(messenger, on_unreachable=unreachable)

    assert not await delivery.send_document(ALICE, b"report", "report.csv", None)
    assert not await delivery.send_photo(ALICE, PNG, "chart.png")

    assert unreachable.chats == [ALICE, ALICE]
    assert telegram.bot_messages(ALICE) == []


async def test_a_press_is_answered_and_a_second_answer_is_only_logged(
        telegram: FakeTelegramServer, messenger: Messenger, alice: FakeUser,
        caplog: pytest.LogCaptureFixture) -> None:
    delivery = fast_delivery(messenger)
    await delivery.send(ALICE, "Question 1 of 19", KEYBOARD)
    press_id = await alice.press("Far above")

    await delivery.answer_press(press_id, "Saved", alert=False)
    with caplog.at_level(logging.WARNING, logger=DELIVERY_LOG):
        await delivery.answer_press(press_id, "Saved", alert=False)

    answer = telegram.callback_answer(press_id)
    assert answer is not None and (answer.text, answer.show_alert) == ("Saved", False)
    assert len(telegram.callback_answers(ALICE)) == 1
    [warning] = warnings_logged(caplog)
    assert press_id in warning and "query is too old" in warning.lower()


async def test_a_menu_is_set_and_a_refused_one_is_only_logged(telegram: FakeTelegramServer, messenger: Messenger,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    delivery = fast_delivery(messenger)

    assert await delivery.set_menu([MenuCommand("surveys", "Surveys")], ALICE, "en")
    telegram.fail_next("setMyCommands", status=400, description="Bad Request: BOT_COMMAND_INVALID")
    with caplog.at_level(logging.WARNING, logger=DELIVERY_LOG):
        assert not await delivery.set_menu([MenuCommand("Bad Name", "?")], None, None)

    assert telegram.my_commands({"type": "chat", "chat_id": ALICE}, "en") == [
        {"command": "surveys", "description": "Surveys"}]
    assert telegram.my_commands() == []
    [warning] = warnings_logged(caplog)
    assert "command menu of chat default" in warning and "bot_command_invalid" in warning.lower()


def test_a_delivery_needs_a_positive_rate_and_at_least_one_attempt() -> None:
    for options in ({"rate_per_second": 0}, {"max_attempts": 0}):
        with pytest.raises(ValueError, match="rate_per_second must be positive"):
            Delivery(InstantMessenger(), **options)  # type: ignore[arg-type]

