"""What one Bot API call costs the bot in CPU: the calls of a customer's tap (answerCallbackQuery and
editMessageText with the question's keyboard) next to the echo bot's sendMessage, sent through aiogram's
own session (a form, every field JSON text then URL-quoted) and through the bot's JsonSession.

    .venv/bin/python -m bench.bot_api [--calls 3000]

Run from the repository root (so that `tests.fakebot` imports). The fake Bot API server runs in a
thread of its own, so the figures are the CPU time of the calling thread only: building the request,
aiohttp, and reading the answer into aiogram's objects. This is the floor of a tap's cost that no
change to the database or the dialogue can lower.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import AnswerCallbackQuery, SendMessage, TelegramMethod

from bot.telegram_aiogram.client import EditScreenText, JsonSession
from bot.telegram_aiogram.keyboards import respondent_keyboard
from conversations.respondent import current_screen
from conversations.respondent_state import RespondentState, SurveyInfo, question_position
from specs import load_catalog
from tests.fakebot import TEST_BOT_TOKEN, FakeTelegramServer

USER = 900_001
SPEC_ID = "TBSC120"


def serve_in_thread() -> tuple[FakeTelegramServer, Callable[[], None]]:
    """The fake server on its own event loop in a daemon thread, and a function that stops it."""
    ready: Future[FakeTelegramServer] = Future()
    loop = asyncio.new_event_loop()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        ready.set_result(loop.run_until_complete(FakeTelegramServer().start()))
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    telegram = ready.result(timeout=10)

    def stop() -> None:
        asyncio.run_coroutine_threadsafe(telegram.stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)

    return telegram, stop


def calls_to_time(telegram: FakeTelegramServer, screen_id: int) -> dict[str, Callable[[int], TelegramMethod]]:
    """The calls to time, each made anew for call number n; the edits show questions 1 and 2 in turn
    in message `screen_id`."""
    spec = load_catalog().get(SPEC_ID)
    assert spec is not None
    survey = SurveyInfo(organization="Bench Ltd", spec=spec)
    screens = [current_screen(survey, RespondentState(language="zh", position=question_position(index)))
               for index in (1, 2)]
    keyboards = [respondent_keyboard(screen, survey_id=1) for screen in screens]
    return {
        "sendMessage (the echo bot's reply)": lambda n: SendMessage(chat_id=USER, text=f"message {n}"),
        "answerCallbackQuery": lambda n: AnswerCallbackQuery(
            callback_query_id=telegram.new_callback_query_id(USER)),
        "editMessageText with the question keyboard": lambda n: EditScreenText(
            chat_id=USER, message_id=screen_id, text=screens[n % 2].text, reply_markup=keyboards[n % 2]),
    }


async def cpu_per_call(bot: Bot, make: Callable[[int], TelegramMethod], calls: int) -> float:
    """Milliseconds of this thread's CPU per call, after a warm-up."""
    for number in range(50):
        await bot(make(number))
    started = time.thread_time()
    for number in range(calls):
        await bot(make(number))
    return (time.thread_time() - started) / calls * 1000


async def main(calls: int) -> None:
    telegram, stop = serve_in_thread()
    api = TelegramAPIServer.from_base(telegram.url)
    sessions = {"aiogram form": AiohttpSession(api=api), "JSON body": JsonSession(api=api)}
    try:
        telegram.register_person({"id": USER, "is_bot": False, "first_name": "Bench"})
        screen = await Bot(TEST_BOT_TOKEN, session=sessions["JSON body"])(SendMessage(chat_id=USER, text="-"))
        methods = calls_to_time(telegram, screen.message_id)
        print(f"CPU of the calling thread per call, {calls:,} calls each (ms):")
        print(f"  {'':45} " + "  ".join(f"{name:>12}" for name in sessions))
        for label, make in methods.items():
            figures = [await cpu_per_call(Bot(TEST_BOT_TOKEN, session=session), make, calls)
                       for session in sessions.values()]
            print(f"  {label:45} " + "  ".join(f"{figure:12.3f}" for figure in figures))
    finally:
        for session in sessions.values():
            await session.close()
        stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    asyncio.run(main(parser.parse_args().calls))
