"""One reminder sweep over many due respondents, against a local fake Bot API with Telegram's flood limit.

    .venv/bin/python -m bench.reminders [--respondents 5000] [--rate 25] [--framework aiogram|ptb|both]

Run from the repository root (so that `tests.fakebot` imports). The fake server answers 429 beyond
30 sends per second, as Telegram does; the sweep sends through the bot's Delivery
(bot/services/delivery.py) at `--rate` per second, over the messenger of `--framework` (aiogram by
default; both: one sweep on each, each on a database and a fake server of its own).
Prints the messages per second achieved against the cap, the 429s received and the duplicates
(chats that got the reminder more than once: must be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.bot_api import FRAMEWORKS, messenger_of
from bot.adapters import storage
from bot.adapters.storage import Database
from bot.adapters.storage.tables import Respondent
from bot.services.delivery import Delivery
from bot.services.reminders import ReminderSweeper
from specs import load_catalog
from tests.fakebot import FakeTelegramServer

TELEGRAM_FLOOD_LIMIT = 30  # sends per second before Telegram answers 429
NOW = dt.datetime(2025, 5, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # inside the send window
FIRST_CHAT = 10_000_000


async def fill(database: Database, respondents: int) -> None:
    """One open survey whose `respondents` joined 30 hours ago and answered nothing since."""
    joined = NOW - dt.timedelta(hours=30)
    survey = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="Bench Ltd",
                                         timezone="Asia/Shanghai", now=NOW - dt.timedelta(days=3))
    async with database.sessions.begin() as session:
        session.add_all(
            Respondent(survey_id=survey.id, number=number, telegram_user_id=FIRST_CHAT + number,
                       chat_id=FIRST_CHAT + number, language="zh", position="q:5", joined_at=joined,
                       last_active_at=joined)
            for number in range(1, respondents + 1)
        )


async def run(respondents: int, rate: float, framework: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = await storage.open_database(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
        await fill(database, respondents)
        async with FakeTelegramServer() as telegram, messenger_of(framework, telegram.url) as messenger:
            telegram.set_flood_limits(per_second=TELEGRAM_FLOOD_LIMIT)
            sweeper = ReminderSweeper(database.sessions, load_catalog(),
                                      Delivery(messenger, rate_per_second=rate), clock=lambda: NOW)
            started = time.perf_counter()
            report = await sweeper.sweep()
            elapsed = time.perf_counter() - started
            delivered = Counter(request.chat_id for request in telegram.requests("sendMessage", status=200))
            floods = len(telegram.requests("sendMessage", status=429))
        await database.close()
    duplicates = sum(count - 1 for count in delivered.values())
    print(f"{framework}:")
    print(f"respondents due:      {respondents}")
    print(f"reminders sent:       {report.sent} (failed {report.failed}, skipped {dict(report.skipped)})")
    print(f"chats reached:        {len(delivered)}")
    print(f"time:                 {elapsed:.1f} s")
    print(f"messages per second:  {report.sent / elapsed:.2f} against a cap of {rate:g}/s "
          f"(Telegram's limit {TELEGRAM_FLOOD_LIMIT}/s)")
    print(f"429 answers received: {floods}")
    print(f"duplicates:           {duplicates}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=25, help="the Delivery cap, messages per second")
    parser.add_argument("--framework", choices=(*FRAMEWORKS, "both"), default="aiogram",
                        help="the messenger the Delivery sends through (both: a sweep on each in turn)")
    arguments = parser.parse_args()
    for framework in FRAMEWORKS if arguments.framework == "both" else (arguments.framework,):
        asyncio.run(run(arguments.respondents, arguments.rate, framework))


if __name__ == "__main__":
    main()
