"""Dates and hours through the real services on a real database: the target notice and the digest wait
for the end of the survey's quiet hours (across a restart, once across two processes); a lead sees
未开始 / not yet open, and a survey past its closing day as closed, on the list, the card and the
picker; /newsurvey and `surveybot survey create` store the same closing instant; reopening a survey
whose closing day is over removes that date and logs it."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from bot.adapters import storage
from bot.adapters.storage import Database, LeadRole
from bot.services import audit
from bot.services.delivery import Delivery
from bot.services.digest import DigestSender
from conversations.reminder_policy import ReminderPolicy
from conversations.survey_dates import closes_at_end_of_day, opening_moment
from specs import load_catalog

from .conftest import ADMIN_ID, RecordingMessenger

SHANGHAI = ZoneInfo("Asia/Shanghai")
CATALOG = load_catalog()
ALL_FIVES = {item.code: 5 for item in CATALOG.get("TBSC120").items}  # type: ignore[union-attr]
OWNER, CO_LEAD = 111, 222
STANDARD_WINDOW = ReminderPolicy()  # 09:00-20:00


def shanghai(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 5, day, hour, minute, tzinfo=SHANGHAI)


def sender_at(database: Database, messenger: RecordingMessenger, now: dt.datetime) -> DigestSender:
    """A DigestSender as a freshly started process would make it."""
    return DigestSender(database.sessions, CATALOG, Delivery(messenger, rate_per_second=200), "en",
                        clock=lambda: now)


def texts_to(messenger: RecordingMessenger, chat_id: int, part: str) -> list[str]:
    return [shown.text for shown in messenger.messages.values() if shown.chat_id == chat_id and part in shown.text]


async def two_lead_survey(database: Database, target: int | None,
                          reminders: ReminderPolicy = STANDARD_WINDOW) -> storage.SurveyRecord:
    survey = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="城市管家公司",
                                         timezone="Asia/Shanghai", now=shanghai(1, 9), target=target,
                                         created_by=OWNER, reminders=reminders)
    await storage.add_lead(database.sessions, survey.id, CO_LEAD, LeadRole.CO_LEAD, shanghai(1, 9))
    return survey


async def test_a_target_reached_at_night_is_announced_when_the_window_opens_once(
        database: Database, database_url: str, messenger: RecordingMessenger) -> None:
    survey = await two_lead_survey(database, target=1)  # send window 09:00-20:00 Shanghai
    await storage.add_paper_respondent(database.sessions, survey.id, ALL_FIVES, shanghai(5, 1, 50))

    await sender_at(database, messenger, shanghai(5, 2, 12)).run()
    assert texts_to(messenger, OWNER, "reached its target") == []
    stored = await storage.survey_by_id(database.sessions, survey.id)
    assert stored is not None and stored.target_reached_notified is False  # not claimed in quiet hours

    await sender_at(database, messenger, shanghai(5, 8, 59)).run()  # a restarted process, still quiet
    assert texts_to(messenger, OWNER, "reached its target") == []

    other_engine = storage.make_engine(database_url)
    other = Database(other_engine, storage.make_sessions(other_engine))
    try:
        await asyncio.gather(sender_at(database, messenger, shanghai(5, 9, 0)).run(),
                             sender_at(other, messenger, shanghai(5, 9, 0)).run())
    finally:
        await other.close()
    await sender_at(database, messenger, shanghai(5, 9, 10)).run()
    for lead in (OWNER, CO_LEAD):
        notices = texts_to(messenger, lead, "reached its target")
        assert len(notices) == 1 and "1 responses (target 1)" in notices[0]


async def test_a_digest_due_in_quiet_hours_comes_at_the_next_window_start(
        database: Database, messenger: RecordingMessenger) -> None:
    # the window closes at 17:00, so the 18:00 digest is quiet: it comes at 09:00 the next day
    await two_lead_survey(database, target=None, reminders=ReminderPolicy(window_start_hour=9, window_end_hour=17))

    for now in (shanghai(5, 18, 5), shanghai(5, 23, 0), shanghai(6, 2, 12), shanghai(6, 8, 59)):
        assert await sender_at(database, messenger, now).run() == 0
    assert await sender_at(database, messenger, shanghai(6, 9, 0)).run() == 2  # one to each lead
    for now in (shanghai(6, 9, 30), shanghai(6, 16, 59), shanghai(6, 18, 5)):
        assert await sender_at(database, messenger, now).run() == 0
    assert await sender_at(database, messenger, shanghai(7, 9, 0)).run() == 2
    assert len(texts_to(messenger, OWNER, "Daily summary")) == 2


def today_in_shanghai() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()


async def test_a_lead_sees_a_future_survey_as_not_yet_open_and_its_customer_when_it_opens(app, chat) -> None:
    opens_on = today_in_shanghai() + dt.timedelta(days=10)
    survey = await storage.create_survey(
        app.database.sessions, spec_id="TBSC120", organization="Future Org", timezone="Asia/Shanghai",
        now=dt.datetime.now(dt.UTC), opens_at=opening_moment(opens_on, "Asia/Shanghai"),
        closes_at=closes_at_end_of_day(opens_on + dt.timedelta(days=20), "Asia/Shanghai"), created_by=ADMIN_ID)
    lead = chat(ADMIN_ID, "zh")
    await lead.say("/surveys")
    assert "Future Org · TBSC120 · 未开始" in lead.screen.text
    assert f"开始日期 {opens_on.isoformat()}" in lead.screen.text
    assert f"截止日期 {(opens_on + dt.timedelta(days=20)).isoformat()}" in lead.screen.text
    await lead.press("Future Org")
    assert "状态：未开始" in lead.screen.text

    await storage.create_survey(app.database.sessions, spec_id="TBSC120", organization="Open Org",
                                timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC), created_by=ADMIN_ID)
    await lead.say("/summary")  # two surveys: the picker
    assert {b.text for row in lead.screen.keyboard for b in row} == {"Open Org · TBSC120 · 开放中",
                                                                    "Future Org · TBSC120 · 未开始"}

    customer = chat(7001, "en")
    await customer.say(f"/start {survey.code}")
    assert f"This survey opens on {opens_on.isoformat()}. Please come back then" in customer.screen.text


async def test_a_survey_past_its_closing_day_is_closed_and_reopening_removes_that_day(app, chat) -> None:
    closed_on = today_in_shanghai() - dt.timedelta(days=2)
    survey = await storage.create_survey(
        app.database.sessions, spec_id="TBSC120", organization="Past Org", timezone="Asia/Shanghai",
        now=dt.datetime.now(dt.UTC) - dt.timedelta(days=30),
        closes_at=closes_at_end_of_day(closed_on, "Asia/Shanghai"), created_by=ADMIN_ID)
    lead = chat(ADMIN_ID, "en")
    await lead.say("/surveys")
    await lead.press("Past Org")
    assert "Status: closed" in lead.screen.text and f"Closes {closed_on.isoformat()}" in lead.screen.text
    await lead.press("Reopen the survey")
    assert f"closed at the end of its closing day, {closed_on.isoformat()}" in lead.screen.text
    await lead.press("Reopen the survey")
    assert "open again" in lead.screen.text

    reopened = await storage.survey_by_id(app.database.sessions, survey.id)
    assert reopened is not None and reopened.closes_at is None
    changes = [entry for entry in await audit.trail(app.database.sessions, survey.id)
               if entry.action == audit.DATES_CHANGED]
    assert len(changes) == 1 and changes[0].who == str(ADMIN_ID)
    assert changes[0].details["closes_at"] == {"old": survey.closes_at.isoformat(), "new": None}


async def test_newsurvey_stores_the_same_closing_instant_as_the_command_line(app, chat) -> None:
    lead = chat(ADMIN_ID, "en")
    await lead.say("/newsurvey")
    await lead.press("TBSC120")
    await lead.say("Same Instant Org")
    await lead.press("30")
    await lead.say("2099-12-31")
    await lead.press("Create")
    created = next(row.survey for row in await storage.list_surveys(app.database.sessions)
                   if row.survey.organization == "Same Instant Org")
    # `surveybot survey create --closes 2099-12-31` stores this instant too (tests/services/test_cli_survey.py)
    assert created.closes_at == dt.datetime(2099, 12, 31, 16, 0, tzinfo=dt.UTC)


async def test_a_lead_changes_the_closing_day_and_the_target_by_buttons_and_each_change_is_logged(app, chat) -> None:
    survey = await storage.create_survey(app.database.sessions, spec_id="TBSC120", organization="Button Org",
                                         timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC), target=30,
                                         created_by=ADMIN_ID)
    lead = chat(ADMIN_ID, "en")
    await lead.say("/surveys")
    await lead.press("Button Org")
    await lead.press("Dates and target")
    today = today_in_shanghai()
    assert "Status: open" in lead.screen.text and "Target: 30 responses" in lead.screen.text
    assert f"Open: from {today.isoformat()}, no closing date (Asia/Shanghai)" in lead.screen.text

    await lead.press("In 2 weeks")
    closes_on = today + dt.timedelta(days=14)
    assert lead.screen.text.startswith("Saved.")
    assert f"Open: {today.isoformat()} – {closes_on.isoformat()} (Asia/Shanghai)" in lead.screen.text
    await lead.press("No target")
    assert "Target: no target" in lead.screen.text

    changed = await storage.survey_by_id(app.database.sessions, survey.id)
    assert changed is not None and changed.target is None
    assert changed.closes_at == closes_at_end_of_day(closes_on, "Asia/Shanghai")
    trail = [(entry.who, entry.action, entry.details) for entry in await audit.trail(app.database.sessions, survey.id)
             if entry.action in (audit.DATES_CHANGED, audit.TARGET_CHANGED)]
    assert trail == [
        (str(ADMIN_ID), "dates changed", {"opens_at": {"old": survey.opens_at.isoformat(),
                                                       "new": survey.opens_at.isoformat()},
                                          "closes_at": {"old": None, "new": changed.closes_at.isoformat()}}),
        (str(ADMIN_ID), "target changed", {"old": 30, "new": None})]

    stranger = chat(7002, "en")  # a forged press on someone else's survey changes nothing
    await stranger.press_data(f"sd|{survey.id}|c:7")
    assert stranger.last_press_answer == "This command is for audit leads."
    assert (await storage.survey_by_id(app.database.sessions, survey.id)) == changed


async def test_a_closing_day_before_the_first_day_is_not_saved(app, chat) -> None:
    opens_on = today_in_shanghai() + dt.timedelta(days=10)
    survey = await storage.create_survey(
        app.database.sessions, spec_id="TBSC120", organization="Later Org", timezone="Asia/Shanghai",
        now=dt.datetime.now(dt.UTC), opens_at=opening_moment(opens_on, "Asia/Shanghai"), created_by=ADMIN_ID)
    lead = chat(ADMIN_ID, "zh")
    await lead.say("/surveys")
    await lead.press("Later Org")
    await lead.press("日期和目标")
    await lead.press("1 周后")
    assert lead.screen.text.startswith(f"未保存：截止日期不能早于开始日期 {opens_on.isoformat()}。")
    assert (await storage.survey_by_id(app.database.sessions, survey.id)).closes_at is None  # type: ignore[union-attr]
