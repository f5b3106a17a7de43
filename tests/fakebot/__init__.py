'''A fake Telegram Bot API server and tools to act as people in end-to-end tests.

The real bot runs as its own process (`surveybot run`) and talks HTTP to `FakeTelegramServer`,
never to Telegram. Tests play the people with `FakeUser` and read what the bot shows them.

Example (fixtures from tests/e2e/conftest.py)::

    async def test_respondent_starts_the_survey(telegram, bot_process):
        bot = await bot_process()                      # started, polling the fake, log kept in tmp_path
        alice = FakeUser(telegram, 700001, "Alice", "en")
        await alice.send("/start CODE")                # a message update with a bot_command entity
        await alice.wait_reply()                       # text of the bot's next message or edit
        await alice.press("Start")                     # exact button label, else a unique substring
        question = await alice.wait_reply(predicate=lambda text: "Question 1" in text)
        screen = alice.screen()                        # latest bot message: .text, .buttons, .labels
        assert "Question 1 of 19" in screen.text and len(screen.labels) == 5
        await bot.restart()                            # SIGTERM, start again, wait until it polls

FakeTelegramServer (server.py)
    ``async with FakeTelegramServer(bot_username="audit_survey_bot") as telegram`` -> ``telegram.url``.
    Bot API: getMe, getUpdates (long polling, offset, timeout), set/delete/getWebhook(Info) (a set
    webhook receives the updates by POST), set/delete/getMyCommands (per scope and language),
    sendMessage, sendPhoto, sendDocument (multipart files kept), editMessageText/Caption/ReplyMarkup,
    deleteMessage, answerCallbackQuery, sendChatAction, getChat; other methods answer ``true``.
    Like Telegram it refuses: an edit that changes nothing ("message is not modified"), an edit or
    delete of an unknown message, texts over 4096 characters, bad HTML, callback_data over 64 bytes,
    a second answer to the same callback query.
    Reading: ``messages(chat_id)``, ``bot_messages(chat_id)``, ``latest_bot_message(chat_id)``,
    ``requests(method, chat_id=, status=)`` (each with params, files, time, content_type, status, response),
    ``uploaded_files(chat_id)``, ``callback_answers(user_id)``, ``callback_answer(query_id)``,
    ``my_commands(scope, language_code)``, ``webhook``, ``activity`` (every send, edit and delete in
    order), ``chat_activity(chat_id)``, ``chat_activity_since(chat_id, seq)``,
    ``wait_until(check, timeout, chat_id=)``.
    Faults: ``fail_next(method, status=429, retry_after=1, times=1)`` (also 500, 502, ...),
    ``block_chat(chat_id)`` (403 "Forbidden: bot was blocked by the user"), ``unblock_chat``,
    ``set_flood_limits(per_second=30, per_chat_per_second=1)``, and ``latency`` seconds per request.

FakeUser (harness.py)
    ``send(text)``, ``press(label)``, ``press_data(message_id, data)``, ``wait_reply(timeout, predicate)``,
    ``wait_quiet(quiet=0.3)``, ``wait_callback_answer()``, ``screen()``, ``texts()``, ``messages()``,
    ``callback_answers()``.

BotProcess (harness.py)
    ``BotProcess(env, args=("run",), command=None, log_path=..., server=telegram)``: ``start()``,
    ``await wait_ready()``, ``await stop()`` (SIGTERM), ``await kill()`` (SIGKILL), ``await restart()``,
    ``await wait_exit(timeout)``,
    ``log_text()``, ``log_tail()``. The e2e fixtures attach the log of every bot to a failing test's report.
    ``free_port()``: a free port on 127.0.0.1 for a bot's webhook server.
'''

from .harness import TEST_BOT_TOKEN, BotFactory, BotProcess, FakeUser, Screen, free_port, surveybot_command
from .records import BotActivity, CallbackAnswer, ChatMessage, RecordedRequest, UploadedFile
from .server import BotApiError, FakeTelegramServer

__all__ = [
    "TEST_BOT_TOKEN", "BotActivity", "BotApiError", "BotFactory", "BotProcess", "CallbackAnswer",
    "ChatMessage", "FakeTelegramServer", "FakeUser", "RecordedRequest", "Screen", "UploadedFile",
    "free_port", "surveybot_command",
]
