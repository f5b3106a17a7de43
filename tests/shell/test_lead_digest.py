"""The leads' daily digest at 18:00 survey time and the one-off target notice, on a real database,
sent through Delivery and a real messenger (aiogram's and python-telegram-bot's, each test once per
framework) to the fake Bot API; and the /reminders settings dialogue."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from fakebot import FakeTelegramServer

from bot.adapters import storage
from bot.adapters.storage import Database, LeadRole
from bot.services.delivery import Delivery
from bot.services.digest import DigestSender
from bot.services.ports import Messenger
from conversations.reminder_settings import ReminderSettings, apply_action, settings_screen
from specs import load_catalog

SHANGHAI = ZoneInfo("Asia/Shanghai")
CATALOG = load_catalog()
ALL_FIVES = {item.code: 5 for item in CATALOG.get("TBSC120").items}  # type: ignore[union-attr]
OWNER, CO_LEAD, QUIET_LEAD = 111, 222, 333


def shanghai(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 5, day, hour, minute, tzinfo=SHANGHAI)


def digests_at(database: Database, messenger: Messenger, now: dt.datetime) -> DigestSender:
    delivery = Delivery(messenger, rate_per_second=200)
    return DigestSender(database.sessions, CATALOG, delivery, "en", clock=lambda: now)


async def survey_with_two_responses(database: Database) -> storage.SurveyRecord:
    """Target 3; one response on 4 May 12:00, one on 5 May 16:00 (Shanghai), all rated 5."""
    survey = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="城市管家公司",
                                         timezone="Asia/Shanghai", now=shanghai(1, 9), target=3,
                                         created_by=OWNER)
    await storage.add_lead(database.sessions, survey.id, CO_LEAD, LeadRole.CO_LEAD, shanghai(1, 9))
    await storage.add_lead(database.sessions, survey.id, QUIET_LEAD, LeadRole.CO_LEAD, shanghai(1, 9))
    assert await storage.set_lead_digest(database.sessions, survey.id, QUIET_LEAD, False)
    await storage.add_paper_respondent(database.sessions, survey.id, ALL_FIVES, shanghai(4, 12))
    await storage.add_paper_respondent(database.sessions, survey.id, ALL_FIVES, shanghai(5, 16))
    return survey


def texts_to(telegram: FakeTelegramServer, chat_id: int) -> list[str]:
    sent = telegram.requests("sendMessage", chat_id=chat_id, status=200)
    return [request.params["text"] for request in sent]


async def test_the_digest_comes_once_a_day_from_six_pm_to_each_lead_who_wants_it(database: Database,
                                                                                 telegram, messenger) -> None:
    await survey_with_two_responses(database)

    assert await digests_at(database, messenger, shanghai(5, 17, 59)).run() == 0
    assert await digests_at(database, messenger, shanghai(5, 18, 5)).run() == 2
    assert await digests_at(database, messenger, shanghai(5, 23, 0)).run() == 0  # once per local day
    assert await digests_at(database, messenger, shanghai(6, 18, 0)).run() == 2  # and again the next day

    owner = texts_to(telegram, OWNER)
    assert len(owner) == 2 and len(texts_to(telegram, CO_LEAD)) == 2
    assert texts_to(telegram, QUIET_LEAD) == []
    first = owner[0]
    assert "New responses in the last 24 hours: 1" in first  # 4 May 12:00 is 30 hours before
    assert "Responses in total: 2 of 3 wanted" in first
    assert "Service score 100.0: 5-star, settled" in first  # two perfect responses: sd 0, interval 100–100


async def test_two_processes_send_each_digest_once(database: Database, database_url: str, telegram,
                                                   messenger) -> None:
    await survey_with_two_responses(database)
    other_engine = storage.make_engine(database_url)
    other = Database(other_engine, storage.make_sessions(other_engine))
    try:
        sent = await asyncio.gather(digests_at(database, messenger, shanghai(5, 18, 5)).run(),
                                    digests_at(other, messenger, shanghai(5, 18, 5)).run())
    finally:
        await other.close()
    assert sum(sent) == 2
    assert len(texts_to(telegram, OWNER)) == 1 and len(texts_to(telegram, CO_LEAD)) == 1


async def test_the_leads_hear_once_that_the_target_is_reached(database: Database, telegram, messenger) -> None:
    survey = await survey_with_two_responses(database)
    await digests_at(database, messenger, shanghai(5, 17, 0)).run()
    assert texts_to(telegram, OWNER) == []

    await storage.add_paper_respondent(database.sessions, survey.id, ALL_FIVES, shanghai(5, 17, 10))
    await digests_at(database, messenger, shanghai(5, 17, 20)).run()
    await digests_at(database, messenger, shanghai(5, 17, 30)).run()

    for lead in (OWNER, CO_LEAD, QUIET_LEAD):
        notices = [text for text in texts_to(telegram, lead) if "reached its target" in text]
        assert len(notices) == 1 and "3 responses (target 3)" in notices[0]


# --- the /reminders settings dialogue --------------------------------------------------------

SETTINGS = ReminderSettings(first_after_hours=24, every_hours=48, max_reminders=2, window_start_hour=9,
                            window_end_hour=20, digest=True)


def test_each_button_changes_its_setting() -> None:
    assert apply_action(SETTINGS, "first:12").first_after_hours == 12  # type: ignore[union-attr]
    assert apply_action(SETTINGS, "every:72").every_hours == 72  # type: ignore[union-attr]
    assert apply_action(SETTINGS, "max:3").max_reminders == 3  # type: ignore[union-attr]
    off = apply_action(SETTINGS, "off")
    assert off is not None and off.max_reminders == 0
    assert apply_action(off, "on").max_reminders == 2  # type: ignore[union-attr]
    assert apply_action(SETTINGS, "digest:off").digest is False  # type: ignore[union-attr]


@pytest.mark.parametrize("action", ["first:13", "every:1", "max:9", "digest:maybe", "first:", "x", "max:-1"])
def test_unknown_choices_change_nothing(action: str) -> None:
    assert apply_action(SETTINGS, action) is None


def test_without_a_lead_row_there_is_no_digest_switch() -> None:
    admin = ReminderSettings(24, 48, 2, 9, 20, digest=None)
    assert apply_action(admin, "digest:on") is None
    actions = [button.action for button in settings_screen("en", "Org", admin).flat_buttons]
    assert "digest:on" not in actions and "digest:off" not in actions


def test_the_screen_marks_the_current_choices_and_reads_in_chinese() -> None:
    screen = settings_screen("en", "Org", SETTINGS)
    marked = [button.action for button in screen.flat_buttons if button.text.startswith("✓")]
    assert marked == ["first:24", "every:48", "max:2"]
    assert "24 hours" in screen.text and "at most 2 times" in screen.text
    assert "提醒" in settings_screen("zh", "Org", SETTINGS).text

