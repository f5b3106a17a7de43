"""What one Bot API call costs the bot in CPU on each Telegram framework: the calls of a customer's tap
(answering the press, then editing the screen to the next question with its keyboard) next to the echo
bot's reply (a sent text), each made through the bot's own messenger: AiogramMessenger on the Bot of
`create_bot` (its JsonSession), PtbMessenger on the Bot of `create_ptb_bot` (httpx).

    .venv/bin/python -m bench.bot_api [--calls 3000] [--framework aiogram|ptb|both]

Run from the repository root (so that `tests.fakebot` imports). The fake Bot API server runs in a
thread of its own, so the figures are the CPU time of the calling thread only: building the request,
the HTTP client, and reading the answer into the framework's objects. This is the floor of a tap's
cost that no change to the database or the dialogue can lower. With `--framework both` (the default)
each framework is timed in turn and the last column is PTB's cost over aiogram's.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import Future
from contextlib import asynccontextmanager

from bot.adapters.settings import Settings
from bot.services.buttons import respondent_keyboard
from bot.services.ports import Messenger
from bot.telegram_aiogram.client import create_bot
from bot.telegram_aiogram.messenger import AiogramMessenger
from bot.telegram_ptb.client import create_ptb_bot
from bot.telegram_ptb.messenger import PtbMessenger
from conversations.respondent import current_screen
from conversations.respondent_state import RespondentState, SurveyInfo, question_position
from specs import load_catalog
from tests.fakebot import TEST_BOT_TOKEN, FakeTelegramServer

USER = 900_001
SPEC_ID = "TBSC120"
WARM_UP_CALLS = 50
FRAMEWORKS = ("aiogram", "ptb")
Call = Callable[[Messenger, int], Awaitable[object]]


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


@asynccontextmanager
async def messenger_of(framework: str, api_url: str) -> AsyncIterator[Messenger]:
    """The messenger the bot runs on `framework`, made by the bot's own factory."""
    if framework == "aiogram":
        bot = create_bot(Settings(bot_token=TEST_BOT_TOKEN, telegram_api_url=api_url))
        try:
            yield AiogramMessenger(bot)
        finally:
            await bot.session.close()
    else:
        async with create_ptb_bot(TEST_BOT_TOKEN, api_url) as ptb_bot:
            yield PtbMessenger(ptb_bot)


def calls_to_time(telegram: FakeTelegramServer, screen_id: int) -> dict[str, Call]:
    """The calls to time, each made anew for call number n; the edits show questions 1 and 2 in turn in
    message `screen_id` (so no edit leaves the screen unchanged)."""
    spec = load_catalog().get(SPEC_ID)
    assert spec is not None
    survey = SurveyInfo(organization="Bench Ltd", spec=spec)
    screens = [current_screen(survey, RespondentState(language="zh", position=question_position(index)))
               for index in (1, 2)]
    keyboards = [respondent_keyboard(screen, survey_id=1) for screen in screens]
    return {
        "sendMessage (the echo bot's reply)": lambda messenger, n: messenger.send_text(USER, f"message {n}"),
        "answerCallbackQuery": lambda messenger, n: messenger.answer_press(telegram.new_callback_query_id(USER)),
        "editMessageText with the question keyboard": lambda messenger, n: messenger.edit_text(
            USER, screen_id, screens[n % 2].text, keyboards[n % 2]),
    }


async def cpu_per_call(messenger: Messenger, call: Call, calls: int) -> float:
    """Milliseconds of this thread's CPU per call, after a warm-up."""
    for number in range(WARM_UP_CALLS):
        await call(messenger, number)
    started = time.thread_time()
    for number in range(calls):
        await call(messenger, number)
    return (time.thread_time() - started) / calls * 1000


async def time_framework(framework: str, telegram: FakeTelegramServer, calls: int) -> dict[str, float]:
    """Milliseconds of CPU per call of each call to time, on one framework."""
    async with messenger_of(framework, telegram.url) as messenger:
        screen_id = await messenger.send_text(USER, "-")  # the message its edits show the questions in
        return {label: await cpu_per_call(messenger, call, calls)
                for label, call in calls_to_time(telegram, screen_id).items()}


async def main(calls: int, frameworks: tuple[str, ...]) -> None:
    telegram, stop = serve_in_thread()
    try:
        telegram.register_person({"id": USER, "is_bot": False, "first_name": "Bench"})
        figures = {framework: await time_framework(framework, telegram, calls) for framework in frameworks}
    finally:
        stop()
    both = len(frameworks) == 2
    tap = ("answerCallbackQuery", "editMessageText with the question keyboard")
    for framework in frameworks:
        figures[framework]["a tap (both calls above)"] = sum(figures[framework][label] for label in tap)
    print(f"CPU of the calling thread per call, {calls:,} calls each (ms):")
    print(f"  {'':45} " + "  ".join(f"{framework:>10}" for framework in frameworks)
          + (f"  {'ptb / aiogram':>13}" if both else ""))
    for label in figures[frameworks[0]]:
        row = [figures[framework][label] for framework in frameworks]
        ratio = f"  {row[1] / row[0]:13.2f}" if both else ""
        print(f"  {label:45} " + "  ".join(f"{figure:10.3f}" for figure in row) + ratio)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--framework", choices=(*FRAMEWORKS, "both"), default="both",
                        help="the messenger(s) to time (both: each in turn, and PTB's cost over aiogram's)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.calls, FRAMEWORKS if arguments.framework == "both" else (arguments.framework,)))
