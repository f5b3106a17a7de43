"""Reminder rounds on a real database (SQLite, or TEST_DATABASE_URL) with a fake clock, sending
through Delivery and a real messenger (aiogram's and python-telegram-bot's, each test once per
framework) to the fake Bot API server.

The clock stands at 5 May 2025 10:00 in Shanghai (inside the 09:00-20:00 window); the default
policy: first reminder 24 h after the last activity, then every 48 h, at most 2."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot
from answering import answer
from fakebot import TEST_BOT_TOKEN, FakeTelegramServer
from sqlalchemy import update

from bot.adapters import storage
from bot.adapters.scheduler import DIGEST_JOB_ID, SWEEP_JOB_ID, create_scheduler
from bot.adapters.storage import Database, SurveyRecord, make_engine, make_sessions
from bot.adapters.storage.tables import Respondent
from bot.services import buttons
from bot.services.delivery import Delivery
from bot.services.digest import DigestSender
from bot.services.ports import Keyboard, Messenger
from bot.services.reminders import ReminderSweeper
from bot.telegram_aiogram.messenger import AiogramMessenger
from specs import load_catalog

# PTB warns, as it builds its RetryAfter, that retry_after will become a timedelta.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 5, 5, 10, 0, tzinfo=SHANGHAI)
CATALOG = load_catalog()
ITEMS = CATALOG.get("TBSC120").items  # type: ignore[union-attr]


def hours_ago(hours: float) -> dt.datetime:
    return NOW - dt.timedelta(hours=hours)


def delivery_for(messenger: Messenger, database: Database, rate: float = 200) -> Delivery:
    async def unreachable(chat_id: int) -> None:
        await storage.mark_chat_unreachable(database.sessions, chat_id)

    return Delivery(messenger, rate_per_second=rate, on_unreachable=unreachable)


def sweeper(database: Database, sender: Any, concurrency: int = 4) -> ReminderSweeper:
    return ReminderSweeper(database.sessions, CATALOG, sender, clock=lambda: NOW, concurrency=concurrency)


async def new_survey(database: Database, timezone: str = "Asia/Shanghai", **extra: Any) -> SurveyRecord:
    return await storage.create_survey(database.sessions, spec_id="TBSC120", organization="城市管家公司",
                                       timezone=timezone, now=hours_ago(24 * 10), **extra)


async def respondent(database: Database, survey: SurveyRecord, user_id: int, joined: dt.datetime,
                     answered: int = 0, **columns: Any) -> int:
    """A respondent who joined at `joined`, answered the first `answered` items then, and has
    `columns` set directly (last_active_at, submitted_at, reminder_count, ...)."""
    record = await storage.join(database.sessions, survey.id, user_id, user_id, "en", joined)
    for item in ITEMS[:answered]:
        await answer(database.sessions, record.id, item.code, 4, joined)
    position = f"q:{answered}" if answered else "welcome"
    async with database.sessions.begin() as session:
        await session.execute(update(Respondent).where(Respondent.id == record.id)
                              .values(position=position, **columns))
    return record.id


def delivered(telegram: FakeTelegramServer, chat_id: int | None = None) -> list[Any]:
    return telegram.requests("sendMessage", chat_id=chat_id, status=200)


def delivered_chats(telegram: FakeTelegramServer) -> list[int]:
    return sorted(int(request.chat_id) for request in delivered(telegram))


async def reminder_counts(database: Database) -> dict[int, int]:
    async with database.sessions() as session:
        rows = (await session.execute(Respondent.__table__.select())).all()
    return {row.telegram_user_id: row.reminder_count for row in rows}


# --- who gets a reminder ---------------------------------------------------------------------

async def test_exactly_the_due_respondents_get_a_reminder(database: Database, telegram, messenger) -> None:
    survey = await new_survey(database)
    await respondent(database, survey, 1, hours_ago(25), answered=2)  # due: first reminder
    await respondent(database, survey, 2, hours_ago(24 * 4), reminder_count=1,
                     last_reminded_at=hours_ago(49))  # due: second reminder
    await respondent(database, survey, 3, hours_ago(30), answered=19, submitted_at=hours_ago(29))
    await respondent(database, survey, 4, hours_ago(30), unreachable=True)
    await respondent(database, survey, 5, hours_ago(30), last_active_at=hours_ago(0.5))
    await respondent(database, survey, 6, hours_ago(24 * 6), reminder_count=2,
                     last_reminded_at=hours_ago(24 * 3))  # had the maximum
    await respondent(database, survey, 7, hours_ago(22))  # not due yet
    await respondent(database, survey, 8, hours_ago(24 * 4), reminder_count=1,
                     last_reminded_at=hours_ago(47))  # repeat not due yet
    closed = await new_survey(database)
    await storage.set_status(database.sessions, closed.id, storage.SurveyStatus.CLOSED)
    await respondent(database, closed, 9, hours_ago(30))
    closing_passed = await new_survey(database, closes_at=hours_ago(1))
    await respondent(database, closing_passed, 10, hours_ago(30))
    new_york = await new_survey(database, timezone="America/New_York")  # 22:00 there: outside
    await respondent(database, new_york, 11, hours_ago(30))

    report = await sweeper(database, delivery_for(messenger, database)).sweep()

    assert delivered_chats(telegram) == [1, 2]
    assert (report.sent, report.failed) == (2, 0)
    counts = await reminder_counts(database)
    assert counts == {1: 1, 2: 2, 3: 0, 4: 0, 5: 0, 6: 2, 7: 0, 8: 1, 9: 0, 10: 0, 11: 0}
    first = delivered(telegram, 1)[0]
    assert "17 of 19 questions left" in first.params["text"]
    button = first.params["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "Continue"
    assert buttons.unpack(button["callback_data"]) == (buttons.RESPONDENT, [str(survey.id), "q:2", "resume"])


async def test_a_second_sweep_at_the_same_moment_sends_nothing(database: Database, telegram, messenger) -> None:
    survey = await new_survey(database)
    for user in (1, 2, 3):
        await respondent(database, survey, user, hours_ago(30))
    run = sweeper(database, delivery_for(messenger, database))
    assert (await run.sweep()).sent == 3
    again = await run.sweep()
    assert again.sent == 0
    assert delivered_chats(telegram) == [1, 2, 3]


async def test_remind_now_explains_every_skip_and_agrees_with_the_sweep(database: Database, telegram,
                                                                          messenger) -> None:
    survey = await new_survey(database)
    await respondent(database, survey, 1, hours_ago(25))
    await respondent(database, survey, 4, hours_ago(30), unreachable=True)
    await respondent(database, survey, 5, hours_ago(30), last_active_at=hours_ago(0.5))
    await respondent(database, survey, 6, hours_ago(24 * 6), reminder_count=2, last_reminded_at=hours_ago(72))
    await respondent(database, survey, 7, hours_ago(22))
    await respondent(database, survey, 3, hours_ago(30), answered=19, submitted_at=hours_ago(29))

    report = await sweeper(database, delivery_for(messenger, database)).remind_now(survey)

    assert (report.sent, report.failed) == (1, 0)
    assert report.skipped == {"unreachable": 1, "recently_active": 1, "max_reached": 1, "too_early": 1}
    assert delivered_chats(telegram) == [1]


async def test_outside_the_window_remind_now_sends_nothing(database: Database, telegram, messenger) -> None:
    survey = await new_survey(database, timezone="America/New_York")
    await respondent(database, survey, 1, hours_ago(30))
    report = await sweeper(database, delivery_for(messenger, database)).remind_now(survey)
    assert report.sent == 0 and report.skipped == {"outside_window": 1}
    assert delivered(telegram) == []


# --- restarts and concurrent sweepers ---------------------------------------------------------

class CrashingSender:
    """Sends through `delivery` until `crash_after` sends, then raises as a dying process would."""

    def __init__(self, delivery: Delivery, crash_after: int) -> None:
        self.delivery = delivery
        self.crash_after = crash_after
        self.calls = 0

    async def send(self, chat_id: int, text: str, keyboard: Keyboard | None = None) -> int | None:
        self.calls += 1
        if self.calls > self.crash_after:
            raise ConnectionResetError("the process died")
        return await self.delivery.send(chat_id, text, keyboard)


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_a_crash_mid_sweep_then_a_new_sweep_repeats_nobody(database: Database, telegram, messenger,
                                                                  concurrency: int) -> None:
    survey = await new_survey(database)
    users = list(range(1, 21))
    for user in users:
        await respondent(database, survey, user, hours_ago(30))
    crashing = CrashingSender(delivery_for(messenger, database), crash_after=6)

    with pytest.raises(ExceptionGroup):
        await sweeper(database, crashing, concurrency).sweep()
    before_restart = len(delivered(telegram))
    assert 1 <= before_restart <= 6  # sends in flight when the sweep died may not have arrived

    restarted = await sweeper(database, delivery_for(messenger, database), concurrency).sweep()

    chats = delivered_chats(telegram)
    assert len(chats) == len(set(chats)), "nobody gets the same reminder twice"
    missed = [user for user in users if user not in chats]
    assert 1 <= len(missed) <= concurrency  # claimed by the dying sweep, never sent: missed, not repeated
    assert restarted.sent == len(users) - before_restart - len(missed)
    counts = await reminder_counts(database)
    assert all(counts[user] == 1 for user in users)


async def test_a_cancelled_sweep_then_a_new_sweep_repeats_nobody(database: Database, telegram, messenger) -> None:
    survey = await new_survey(database)
    for user in range(1, 31):
        await respondent(database, survey, user, hours_ago(30))
    slow = delivery_for(messenger, database, rate=20)
    task = asyncio.create_task(sweeper(database, slow).sweep())
    await telegram.wait_until(lambda: True if len(delivered(telegram)) >= 5 else None, timeout=10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    await sweeper(database, delivery_for(messenger, database)).sweep()

    chats = delivered_chats(telegram)
    assert len(chats) == len(set(chats))
    assert len(chats) >= 30 - 4


async def test_two_sweepers_on_one_database_never_send_the_same_reminder(
        database: Database, database_url: str, telegram, messenger) -> None:
    survey = await new_survey(database)
    users = list(range(1, 61))
    for user in users:
        await respondent(database, survey, user, hours_ago(30))
    other_engine = make_engine(database_url)
    other = Database(other_engine, make_sessions(other_engine))
    try:
        first, second = await asyncio.gather(
            sweeper(database, delivery_for(messenger, database)).sweep(),
            sweeper(other, delivery_for(messenger, other)).sweep(),
        )
    finally:
        await other.close()

    chats = delivered_chats(telegram)
    assert chats == users  # each exactly once
    assert first.sent + second.sent == len(users)


# --- Telegram's answers -----------------------------------------------------------------------

async def test_flood_control_is_waited_out_and_the_reminder_arrives_once(database: Database, telegram,
                                                                        messenger) -> None:
    survey = await new_survey(database)
    await respondent(database, survey, 1, hours_ago(30))
    telegram.fail_next("sendMessage", status=429, retry_after=1)

    report = await sweeper(database, delivery_for(messenger, database)).sweep()

    attempts = telegram.requests("sendMessage", chat_id=1)
    assert [request.status for request in attempts] == [429, 200]
    assert attempts[1].time - attempts[0].time >= 1.0
    assert report.sent == 1


async def test_a_blocked_chat_is_marked_unreachable_and_not_retried(database: Database, telegram,
                                                                    messenger) -> None:
    survey = await new_survey(database)
    await respondent(database, survey, 1, hours_ago(30))
    await respondent(database, survey, 2, hours_ago(30))
    telegram.block_chat(2)

    report = await sweeper(database, delivery_for(messenger, database)).sweep()

    assert (report.sent, report.failed) == (1, 1)
    assert [request.status for request in telegram.requests("sendMessage", chat_id=2)] == [403]
    record = await storage.respondent_for(database.sessions, survey.id, 2)
    assert record is not None and record.unreachable
    later = ReminderSweeper(database.sessions, CATALOG, delivery_for(messenger, database),
                            clock=lambda: NOW + dt.timedelta(days=3))
    await later.sweep()
    assert len(telegram.requests("sendMessage", chat_id=2)) == 1


# --- the scheduler ----------------------------------------------------------------------------

def test_the_scheduler_runs_both_jobs_coalesced_one_at_a_time(database: Database) -> None:
    delivery = Delivery(AiogramMessenger(Bot(TEST_BOT_TOKEN)))
    sweeper_job = ReminderSweeper(database.sessions, CATALOG, delivery)
    digests = DigestSender(database.sessions, CATALOG, delivery, "zh")
    scheduler = create_scheduler(sweeper_job.sweep, digests.run, sweep_minutes=3)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {SWEEP_JOB_ID, DIGEST_JOB_ID}
    assert jobs[SWEEP_JOB_ID].trigger.interval == dt.timedelta(minutes=3)
    assert all(job.coalesce and job.max_instances == 1 for job in jobs.values())
