"""Reminders through the real bot process: a customer who left gets a reminder from /remind, and its
Continue button brings them back to the first unanswered question."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from fakebot import FakeUser
from sqlalchemy import update

from bot.adapters import storage
from bot.adapters.storage import Database
from bot.adapters.storage.tables import Respondent
from conversations.reminder_policy import ReminderPolicy
from e2e.conftest import ADMIN_ID, at_first_question, fetch

SAFE_LOCAL_HOURS = range(10, 18)  # well inside the 09:00-20:00 window, whatever the test's duration


def zone_in_daytime_now() -> str:
    """A time zone where it is now between 10:00 and 18:00, so the send window is open."""
    now = dt.datetime.now(dt.UTC)
    for offset in range(-12, 15):
        name = f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"  # Etc/GMT-8 is UTC+8
        if now.astimezone(ZoneInfo(name)).hour in SAFE_LOCAL_HOURS:
            return name
    raise AssertionError("some UTC offset always has daytime")


async def create_survey_due_after_an_hour(database_url: str) -> storage.SurveyRecord:
    database = await storage.open_database(database_url)
    try:
        return await storage.create_survey(
            database.sessions, spec_id="TBSC120", organization="南昌城管", timezone=zone_in_daytime_now(),
            now=dt.datetime.now(dt.UTC), reminders=ReminderPolicy(first_after_hours=1),
        )
    finally:
        await database.close()


async def set_last_active_hours_ago(bot_database: Database, user_id: int, hours: float) -> None:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)
    async with bot_database.sessions.begin() as session:
        await session.execute(update(Respondent).where(Respondent.telegram_user_id == user_id)
                              .values(joined_at=moment, last_active_at=moment))


async def reminder_count(bot_database: Database, user_id: int) -> int:
    query = "SELECT reminder_count FROM respondent WHERE telegram_user_id = :id"
    [(count,)] = await fetch(bot_database, query, id=user_id)
    return count


async def test_a_customer_who_left_is_reminded_and_continues_where_they_stopped(
        telegram, bot_process, bot_env, bot_database) -> None:
    survey = await create_survey_due_after_an_hour(bot_env["DATABASE_URL"])
    await bot_process()
    erin = await at_first_question(telegram, 700010, "Erin", survey.code)
    for _ in range(3):
        await erin.press("4 ")
        await erin.wait_reply()
    assert "4/19" in erin.screen().text
    await set_last_active_hours_ago(bot_database, erin.user_id, 2)  # she left two hours ago

    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    await lead.send(f"/remind {survey.code}")
    report = await lead.wait_reply()
    assert "Sent: 1" in report and "Failed: 0" in report

    reminder = await erin.wait_reply()
    assert "16 of 19 questions left" in reminder
    assert erin.screen().labels == ["Continue"]
    await erin.press("Continue")
    resumed = await erin.wait_reply()
    assert "3 of 19 answered" in resumed and "4/19" in resumed  # back at the first unanswered question
    assert await reminder_count(bot_database, erin.user_id) == 1

    await lead.send(f"/remind {survey.code}")
    again = await lead.wait_reply()
    assert "Sent: 0" in again and "Skipped: 1" in again  # reminded once already
    sends = telegram.requests("sendMessage", chat_id=erin.user_id, status=200)
    assert sum("questions left" in request.params["text"] for request in sends) == 1


async def test_a_customer_cannot_use_remind(telegram, bot_process, bot_env) -> None:
    survey = await create_survey_due_after_an_hour(bot_env["DATABASE_URL"])
    await bot_process()
    mallory = FakeUser(telegram, 700011, "Mallory", "en")
    await mallory.send(f"/remind {survey.code}")
    answer = await mallory.wait_reply()
    assert "for audit leads" in answer
    await mallory.send(f"/reminders {survey.code}")
    assert "for audit leads" in await mallory.wait_reply()


# Unblocking a bot in Telegram sends a bare /start; the invite link sends /start with its code.
COMING_BACK = {"unblock button": "/start", "invite link": "/start {code}"}


@pytest.mark.parametrize("coming_back", COMING_BACK.values(), ids=COMING_BACK.keys())
async def test_a_customer_who_blocked_the_bot_is_reminded_again_once_they_come_back(
        telegram, bot_process, bot_env, bot_database, coming_back) -> None:
    survey = await create_survey_due_after_an_hour(bot_env["DATABASE_URL"])
    await bot_process()
    finn = await at_first_question(telegram, 700012, "Finn", survey.code)
    await set_last_active_hours_ago(bot_database, finn.user_id, 2)
    telegram.block_chat(finn.user_id)  # he blocked the bot: the reminder is refused (403)
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    await lead.send(f"/remind {survey.code}")
    assert "Failed: 1" in await lead.wait_reply()

    telegram.unblock_chat(finn.user_id)
    await finn.send(coming_back.format(code=survey.code))
    assert await finn.wait_reply()  # back where he left off
    await finn.wait_quiet()  # (the screen he had before loses its buttons just after)
    await set_last_active_hours_ago(bot_database, finn.user_id, 100)  # and gone again, days later
    async with bot_database.sessions.begin() as session:  # long after the refused reminder
        await session.execute(update(Respondent).where(Respondent.telegram_user_id == finn.user_id)
                              .values(last_reminded_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=99)))
    await lead.send(f"/remind {survey.code}")

    assert "Sent: 1" in await lead.wait_reply()
    assert "19 of 19 questions left" in await finn.wait_reply()
