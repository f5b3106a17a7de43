"""`surveybot run --workers N`: which worker an update goes to (its chat), what of it the poller leaves
out, and the one combination the command refuses. The workers themselves run in
tests/e2e/test_workers_e2e.py."""

from __future__ import annotations

import copy

import pytest
from aiogram.types import Update
from typer.testing import CliRunner

from bot.cli import app
from bot.polling_workers import chat_of, without_tapped_keyboard

PRIVATE_CHAT = {"id": 42, "type": "private"}
PERSON = {"id": 42, "is_bot": False, "first_name": "A"}
OTHER_PERSON = {"id": 7, "is_bot": False, "first_name": "B"}


@pytest.mark.parametrize(("update", "chat"), [
    ({"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": PRIVATE_CHAT, "from": PERSON,
                                  "text": "/start abc"}}, 42),
    # a button goes with the chat of the message it is under, whoever taps it
    ({"update_id": 2, "callback_query": {"id": "q", "from": OTHER_PERSON, "chat_instance": "c", "data": "a|1",
                                         "message": {"message_id": 5, "date": 0, "chat": PRIVATE_CHAT}}}, 42),
    # a button under an inline message has no chat: its presser's private chat
    ({"update_id": 3, "callback_query": {"id": "q", "from": OTHER_PERSON, "chat_instance": "c",
                                         "inline_message_id": "m", "data": "a|1"}}, 7),
    ({"update_id": 4, "my_chat_member": {"chat": PRIVATE_CHAT, "from": PERSON, "date": 0}}, 42),
    ({"update_id": 5, "something_new": {"no": "ids"}}, 5),  # nothing to go by: its update id
])
def test_an_update_belongs_to_its_chat(update: dict, chat: int) -> None:
    assert chat_of(update) == chat


def test_a_tap_reaches_its_worker_without_the_keyboard_it_was_on_and_with_all_a_handler_reads() -> None:
    ratings = [{"text": f"{rating}", "callback_data": f"a|{rating}"} for rating in range(1, 6)]
    keyboard = {"inline_keyboard": [ratings]}
    tap = {"update_id": 9, "callback_query": {
        "id": "q", "from": PERSON, "chat_instance": "c", "data": "a|4",
        "message": {"message_id": 5, "date": 0, "chat": PRIVATE_CHAT, "text": "Q 3/19",
                    "reply_markup": keyboard}}}

    handed_out = Update.model_validate(without_tapped_keyboard(copy.deepcopy(tap)))

    callback = handed_out.callback_query
    assert callback is not None and callback.message is not None
    assert callback.message.reply_markup is None
    assert (callback.data, callback.from_user.id, callback.message.message_id, callback.message.chat.id,
            callback.message.text) == ("a|4", 42, 5, 42, "Q 3/19")
    message = {"update_id": 10, "message": {"message_id": 1, "date": 0, "chat": PRIVATE_CHAT, "text": "hi",
                                            "reply_markup": keyboard}}
    assert without_tapped_keyboard(copy.deepcopy(message)) == message  # only a tap's message loses it


def test_webhook_mode_refuses_workers_and_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456:TEST-token-for-the-cli-only")
    result = CliRunner().invoke(app, ["run", "--webhook", "https://bot.example.org/hook", "--workers", "2"])
    assert result.exit_code == 2
    assert "--workers is for long polling" in result.output
    assert "Traceback" not in result.output
