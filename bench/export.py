"""How an export fares on a big survey: `surveybot export` alone, and customers answering while the bot
builds the lead's /export.

    .venv/bin/python bench/export.py [--respondents 100000] [--customers 20] [--think 0.2] [--alone 10]
    DATABASE_URL=postgresql+asyncpg://… .venv/bin/python bench/export.py --respondents 10000

Seeds one survey (TBSC120) with N submitted respondents (19 answers each; every 20th from the web page,
every 50th on paper, every 10th with a comment) by bulk inserts through the storage tables, on a SQLite
file in a temporary directory or, with DATABASE_URL, on that PostgreSQL database (its tables are emptied
first), and tallies them as the bot would have done at submission. Then:

1. `surveybot export CODE -o … --csv …` runs as a child process: its wall time (start-up and imports
   included) and its peak resident memory (the child's ru_maxrss: the whole process, imports included,
   not a delta).
2. In this process, the services engine as `surveybot run` assembles it (bot.app.assemble; a messenger
   that only remembers each chat's last screen) serves customers who answer the survey by tapping ratings
   (`--think` seconds between taps, ±50 %). A tap's latency is the time of `engine.press`: the step stored
   and the next screen sent. Printed: the p50/p99 of taps for `--alone` seconds with nothing else running,
   then while the lead's /export runs (the progress message, both files built and sent), and how long that took.
Goals: export < 15 s and < 200 MB; customers' p99 < 100 ms while the bot builds the export.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import uvloop
from sqlalchemy import Table, delete, func, insert, select

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.adapters.storage.tables import Answer, ItemRatingCount, Respondent, Survey
from bot.app import assemble
from bot.services.context import Press, Sender
from bot.services.engine import Engine
from bot.services.ports import Keyboard, MenuCommand
from bot.services.survey_summary import weighting
from specs import load_catalog

SPEC_ID = "TBSC120"
LEAD_ID = 4242
FIRST_CUSTOMER = 5_000_001
BATCH = 20_000  # rows per INSERT executemany
REPOSITORY = Path(__file__).resolve().parent.parent
GOAL_SECONDS, GOAL_MEGABYTES, GOAL_P99_MS = 15, 200, 100
START = dt.datetime(2026, 5, 1, 0, 0, tzinfo=dt.UTC)
_RESPONDENTS: Table = Respondent.__table__  # type: ignore[assignment]
_ANSWERS: Table = Answer.__table__  # type: ignore[assignment]


async def seed(database: storage.Database, survey_id: int, respondents: int, item_codes: Sequence[str]) -> None:
    """Respondents 1..n, submitted 5-15 minutes after joining, every item rated 1-5 (mostly 4 and 5)."""
    engine, rng = database.engine, random.Random(7)
    for first in range(1, respondents + 1, BATCH):
        numbers = range(first, min(first + BATCH, respondents + 1))
        async with engine.begin() as connection:
            await connection.execute(insert(_RESPONDENTS), [_respondent(survey_id, n) for n in numbers])
            ids = (await connection.execute(
                select(_RESPONDENTS.c.id).where(_RESPONDENTS.c.survey_id == survey_id,
                                                _RESPONDENTS.c.number.between(first, numbers[-1])))).scalars()
            answered = START + dt.timedelta(days=1)
            await connection.execute(insert(_ANSWERS), [
                {"respondent_id": respondent_id, "item_code": code, "answered_at": answered,
                 "rating": min(5, 2 + rng.randrange(4) + rng.randrange(2))}
                for respondent_id in ids for code in item_codes])
    async with engine.begin() as connection:  # what submitting adds to the survey's counts
        counted = (select(Respondent.survey_id, Answer.item_code, Answer.rating, func.count())
                   .join(Respondent, Respondent.id == Answer.respondent_id)
                   .where(Respondent.survey_id == survey_id)
                   .group_by(Respondent.survey_id, Answer.item_code, Answer.rating))
        await connection.execute(insert(ItemRatingCount).from_select(
            ["survey_id", "item_code", "rating", "respondents"], counted))


def _respondent(survey_id: int, number: int) -> dict[str, object]:
    joined = START + dt.timedelta(seconds=26 * number)
    channel = "paper" if number % 50 == 0 else "web" if number % 20 == 0 else "telegram"
    telegram = channel == "telegram"
    return {
        "survey_id": survey_id, "number": number, "telegram_user_id": 1_000_000 + number if telegram else None,
        "chat_id": 1_000_000 + number if telegram else None, "channel": channel, "language": "zh",
        "position": "done", "reviewing": False, "joined_at": joined, "last_active_at": joined,
        "submitted_at": joined + dt.timedelta(seconds=300 + number % 600), "reminder_count": 0,
        "unreachable": False, "comment": f"第 {number} 位的意见：服务很及时" if number % 10 == 0 else None,
    }


# Runs its arguments as a child and prints the child's peak RSS. The export is started from this small
# launcher, not from the bench: Linux counts the RSS of the process an exec replaces in ru_maxrss, and a
# child forked from the bench would carry the bench's own memory into the figure.
LAUNCHER = ("import resource, subprocess, sys; finished = subprocess.run(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(finished.returncode)")


def cli_export(database_url: str, code: str, folder: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of `surveybot export` in a child process."""
    environment = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-c", LAUNCHER, sys.executable, "-c", "from bot.cli import app; app()", "export",
               code, "-o", str(folder / "export.xlsx"), "--csv", str(folder / "export.csv")]
    started = time.perf_counter()
    finished = subprocess.run(command, cwd=REPOSITORY, env=environment, capture_output=True, text=True,
                              check=False)
    seconds = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"surveybot export failed: {finished.stderr}")
    peak_kilobytes = int(finished.stdout.split()[-1])  # Linux: kilobytes
    return seconds, peak_kilobytes / 1024


@dataclass
class LastScreens:
    """A `Messenger` that keeps each chat's last screen and the names and sizes of the files sent."""

    screens: dict[int, tuple[int, Keyboard | None]] = field(default_factory=dict)
    files: list[tuple[str, int]] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def send_text(self, chat_id: int, text: str, keyboard: Keyboard | None = None) -> int:
        message_id = next(self._ids)
        self.screens[chat_id] = (message_id, keyboard)
        self.texts[chat_id] = text
        return message_id

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Keyboard | None = None) -> None:
        self.screens[chat_id] = (message_id, keyboard)
        self.texts[chat_id] = text

    async def send_document(self, chat_id: int, content: bytes, filename: str, caption: str | None) -> None:
        self.files.append((filename, len(content)))

    async def send_photo(self, chat_id: int, content: bytes, filename: str, caption: str | None) -> None:
        return None

    async def answer_press(self, press_id: str, text: str | None = None, alert: bool = False) -> None:
        return None

    async def set_menu(self, commands: Sequence[MenuCommand], chat_id: int | None, language: str | None) -> None:
        return None

    async def username(self) -> str:
        return "bench_bot"


@dataclass
class Customers:
    """Customers who answer the survey tap by tap; each starts over as a new customer after submitting."""

    engine: Engine
    messenger: LastScreens
    code: str
    think: float
    taps: list[float] = field(default_factory=list)  # seconds each rating tap took
    _users: itertools.count = field(default_factory=lambda: itertools.count(FIRST_CUSTOMER))
    _presses: itertools.count = field(default_factory=itertools.count)

    async def run(self, stop: asyncio.Event) -> None:
        rng = random.Random()
        while not stop.is_set():
            user = next(self._users)
            sender = Sender(user, user, "en")
            await self.engine.message(sender, f"/start {self.code}")
            await self._press(sender, "Start")
            for _ in range(19):
                if stop.is_set():
                    return
                await asyncio.sleep(self.think * rng.uniform(0.5, 1.5))
                started = time.perf_counter()
                await self._press(sender, None, rng.randrange(5))
                self.taps.append(time.perf_counter() - started)
            await self._press(sender, "Submit")

    async def _press(self, sender: Sender, label: str | None, index: int = 0) -> None:
        message_id, keyboard = self.messenger.screens[sender.chat_id]
        buttons = [button for row in keyboard or () for button in row]
        button = next(b for b in buttons if label in b.text) if label else buttons[index]
        await self.engine.press(sender, Press(f"p{next(self._presses)}", message_id), button.data)


async def customers_while(customers: Customers, count: int, work: asyncio.Future | float) -> list[float]:
    """The rating taps' latencies of `count` customers during `work` (or for that many seconds)."""
    customers.taps = []
    stop = asyncio.Event()
    tasks = [asyncio.create_task(customers.run(stop)) for _ in range(count)]
    if isinstance(work, float):
        await asyncio.sleep(work)
    else:
        await work
    stop.set()
    await asyncio.gather(*tasks)
    return customers.taps


def percentiles(taps: list[float]) -> str:
    if len(taps) < 2:
        return f"{len(taps)} taps"
    cuts = statistics.quantiles(taps, n=100)
    return f"p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms over {len(taps):,} taps"


async def main(respondents: int, customer_count: int, think: float, alone_seconds: float) -> None:
    catalog = load_catalog()
    spec = catalog.get(SPEC_ID)
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{Path(folder) / 'export.sqlite3'}"
        url = Settings(database_url=url).database_url
        database = await storage.open_database(url)
        try:
            if database.engine.dialect.name != "sqlite":
                async with database.engine.begin() as connection:
                    await connection.execute(delete(Survey))
            survey = await storage.create_survey(database.sessions, spec_id=SPEC_ID, organization="Bench",
                                                 timezone="Asia/Shanghai", now=START, created_by=LEAD_ID)
            started = time.perf_counter()
            await seed(database, survey.id, respondents, [item.code for item in spec.items])
            await storage.tally_submitted(database.sessions, survey.id, weighting(spec))
            print(f"seeded and tallied {respondents:,} respondents, {respondents * len(spec.items):,} answers "
                  f"on {database.engine.dialect.name} in {time.perf_counter() - started:.1f} s")
            seconds, megabytes = await asyncio.to_thread(cli_export, url, survey.code, Path(folder))
            sizes = {path.suffix: path.stat().st_size / 2**20 for path in Path(folder).glob("export.*")}
            print(f"surveybot export: {seconds:.1f} s (goal < {GOAL_SECONDS} s), peak RSS {megabytes:.0f} MB "
                  f"(goal < {GOAL_MEGABYTES} MB); workbook {sizes['.xlsx']:.1f} MB, CSV {sizes['.csv']:.1f} MB")
            await customers_and_export(database, catalog, survey.code, customer_count, think, alone_seconds)
        finally:
            await database.close()


async def customers_and_export(database: storage.Database, catalog, code: str, count: int,  # noqa: ANN001
                               think: float, alone_seconds: float) -> None:
    settings = Settings(admin_ids=frozenset(), bot_username="bench_bot", send_rate_per_second=10_000)
    messenger = LastScreens()
    engine = assemble(settings, catalog, database, messenger).engine
    customers = Customers(engine, messenger, code, think)
    alone = await customers_while(customers, count, alone_seconds)
    print(f"{count} customers, nothing else running: {percentiles(alone)}")
    lead = Sender(LEAD_ID, LEAD_ID, "en")
    started = time.perf_counter()
    export = asyncio.ensure_future(engine.message(lead, f"/export {code}"))
    during = await customers_while(customers, count, export)
    seconds = time.perf_counter() - started
    print(f"{count} customers while the bot's /export runs: {percentiles(during)} (goal p99 < {GOAL_P99_MS} ms)")
    files = ", ".join(f"{name.rsplit('.', 1)[-1]} {size / 2**20:.1f} MB" for name, size in messenger.files)
    print(f"the bot's /export: {seconds:.1f} s to the last file sent ({files}); "
          f"last progress text: {messenger.texts.get(LEAD_ID)!r}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--think", type=float, default=0.2, help="seconds between a customer's taps (±50 %%)")
    parser.add_argument("--alone", type=float, default=10.0, help="seconds the customers answer before the export")
    arguments = parser.parse_args()
    uvloop.run(main(arguments.respondents, arguments.customers, arguments.think, arguments.alone))
