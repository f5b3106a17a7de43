"""Both messengers (aiogram and python-telegram-bot) talk real HTTP to the fake Bot API and show the
person the same chat; each framework's errors come out as the port's errors."""

from __future__ import annotations

import pytest
from fakebot import TEST_BOT_TOKEN, FakeTelegramServer, FakeUser

from bot.services.ports import (
    Blocked,
    Gone,
    KeyButton,
    MenuCommand,
    Messenger,
    NotModified,
    Rejected,
    RetryAfter,
    Transient,
)

ALICE = 700001
PNG = b"\x89PNG\r\n\x1a\n fake chart \x00\xff"
KEYBOARD = ((KeyButton("Low", "a|7|q1|low"), KeyButton("High", "a|7|q1|high")), (KeyButton("Later", "later"),))


def buttons(telegram: FakeTelegramServer, chat_id: int) -> list[list[tuple[str, str]]]:
    message = telegram.latest_bot_message(chat_id)
    assert message is not None
    return [[(button["text"], button["callback_data"]) for button in row] for row in message.inline_keyboard]


async def test_a_sent_text_shows_with_its_buttons_and_an_edit_replaces_it(
        telegram: FakeTelegramServer, messenger: Messenger) -> None:
    alice = FakeUser(telegram, ALICE, "Alice", "en")

    message_id = await messenger.send_text(ALICE, "Question 1 of 2", KEYBOARD)

    assert alice.screen().text == "Question 1 of 2" and alice.screen().message_id == message_id
    assert buttons(telegram, ALICE) == [[("Low", "a|7|q1|low"), ("High", "a|7|q1|high")], [("Later", "later")]]

    await messenger.edit_text(ALICE, message_id, "Question 2 of 2", [[KeyButton("No", "no")]])

    assert alice.texts() == ["Question 2 of 2"]
    assert buttons(telegram, ALICE) == [[("No", "no")]]
    await messenger.edit_text(ALICE, message_id, "Thank you")
    assert alice.screen().text == "Thank you" and alice.screen().buttons == []
    assert await messenger.send_text(ALICE, "plain") == message_id + 1


async def test_a_document_and_a_photo_arrive_with_name_and_caption(telegram: FakeTelegramServer,
                                                                   messenger: Messenger) -> None:
    sheet = b"PK\x03\x04 score sheet \x00\xff"

    await messenger.send_document(ALICE, sheet, "score-sheet.xlsx", "Score sheet")
    await messenger.send_photo(ALICE, PNG, "chart.png", None)

    document, photo = telegram.bot_messages(ALICE)
    assert (document.kind, document.text) == ("document", "Score sheet")
    assert (photo.kind, photo.text) == ("photo", "")
    assert [(upload.file_name, upload.data) for upload in telegram.uploaded_files(ALICE)] == [
        ("score-sheet.xlsx", sheet), ("chart.png", PNG)]


async def test_a_press_is_answered_once(telegram: FakeTelegramServer, messenger: Messenger) -> None:
    alice = FakeUser(telegram, ALICE, "Alice", "en")
    await messenger.send_text(ALICE, "Question 1 of 2", KEYBOARD)
    press_id = await alice.press("High")

    await messenger.answer_press(press_id, "Saved", alert=True)

    answer = telegram.callback_answer(press_id)
    assert answer is not None and (answer.user_id, answer.text, answer.show_alert) == (ALICE, "Saved", True)
    with pytest.raises(Rejected, match="(?i)query is too old"):
        await messenger.answer_press(press_id)


async def test_menus_are_set_per_chat_and_language(telegram: FakeTelegramServer, messenger: Messenger) -> None:
    await messenger.set_menu([MenuCommand("start", "开始")], None, "zh")
    await messenger.set_menu([MenuCommand("surveys", "Surveys"), MenuCommand("help", "Help")], 900001, None)

    assert telegram.my_commands(language_code="zh") == [{"command": "start", "description": "开始"}]
    assert telegram.my_commands({"type": "chat", "chat_id": 900001}) == [
        {"command": "surveys", "description": "Surveys"}, {"command": "help", "description": "Help"}]
    assert telegram.my_commands() == []


async def test_the_username_is_asked_once(telegram: FakeTelegramServer, messenger: Messenger) -> None:
    asked_before = len(telegram.requests("getMe"))

    assert await messenger.username() == "audit_survey_bot"
    assert await messenger.username() == "audit_survey_bot"

    assert len(telegram.requests("getMe")) == asked_before + 1


async def test_a_blocked_chat_raises_blocked(telegram: FakeTelegramServer, messenger: Messenger) -> None:
    telegram.block_chat(ALICE)

    with pytest.raises(Blocked, match="bot was blocked by the user"):
        await messenger.send_text(ALICE, "reminder")
    with pytest.raises(Blocked):
        await messenger.send_document(ALICE, b"report", "report.csv", None)
    assert telegram.bot_messages(ALICE) == []


async def test_edits_of_a_lost_or_unchanged_message(telegram: FakeTelegramServer, messenger: Messenger) -> None:
    message_id = await messenger.send_text(ALICE, "Question 1 of 2", KEYBOARD)

    with pytest.raises(NotModified):
        await messenger.edit_text(ALICE, message_id, "Question 1 of 2", KEYBOARD)
    with pytest.raises(Gone, match="(?i)message to edit not found"):
        await messenger.edit_text(ALICE, 99, "Question 2 of 2")
    await messenger.send_photo(ALICE, PNG, "chart.png", "Chart")
    with pytest.raises(Gone, match="(?i)there is no text in the message to edit"):
        await messenger.edit_text(ALICE, message_id + 1, "Question 2 of 2")


# PTB warns, as it builds its RetryAfter, that retry_after will become a timedelta.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_control_raises_retry_after_with_its_seconds(telegram: FakeTelegramServer,
                                                                 messenger: Messenger) -> None:
    telegram.fail_next("sendMessage", status=429, retry_after=7)

    with pytest.raises(RetryAfter) as raised:
        await messenger.send_text(ALICE, "hi")

    assert raised.value.seconds == 7
    assert await messenger.send_text(ALICE, "hi") == 1


@pytest.mark.parametrize("status", [500, 502])
async def test_a_server_error_is_transient(telegram: FakeTelegramServer, messenger: Messenger,
                                           status: int) -> None:
    telegram.fail_next("editMessageText", status=status)
    message_id = await messenger.send_text(ALICE, "Question 1 of 2")

    with pytest.raises(Transient):
        await messenger.edit_text(ALICE, message_id, "Question 2 of 2")


async def test_an_unreachable_server_is_transient(telegram: FakeTelegramServer, messenger: Messenger) -> None:
    await messenger.send_text(ALICE, "before")
    await telegram.stop()

    with pytest.raises(Transient):
        await messenger.send_text(ALICE, "after")


async def test_a_refusal_is_one_line_without_the_token(telegram: FakeTelegramServer, messenger: Messenger) -> None:
    telegram.fail_next("sendMessage", status=400, description=f"Bad Request: chat not found\nfor {TEST_BOT_TOKEN}")

    with pytest.raises(Rejected) as raised:
        await messenger.send_text(ALICE, "hi")

    assert str(raised.value) in {"TelegramBadRequest: Bad Request: chat not found for <token>",  # aiogram
                                 "BadRequest: Chat not found for <token>"}  # PTB
