"""Reminder and digest timing. Times are written in the survey's local time where that is what a
person would check, and in UTC where the rule is about elapsed hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from conversations.reminder_policy import (
    DecisionReason,
    ReminderPolicy,
    RespondentSnapshot,
    SurveySnapshot,
    decide,
    digest_due,
    in_send_window,
    next_due_at,
    sweep_cutoffs,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
POLICY = ReminderPolicy()
OPEN_SURVEY = SurveySnapshot(status="open", closes_at=None, timezone="Asia/Shanghai")


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in May 2025, Shanghai local time."""
    return datetime(2025, 5, day, hour, minute, tzinfo=SHANGHAI)


# Joined on 1 May 10:00 Shanghai, did nothing since.
IDLE = RespondentSnapshot(joined_at=shanghai(1, 10))


def reason_at(now: datetime, respondent: RespondentSnapshot = IDLE, survey: SurveySnapshot = OPEN_SURVEY,
              policy: ReminderPolicy = POLICY) -> DecisionReason:
    return decide(policy, survey, respondent, now).reason


# --- one test per reason ---------------------------------------------------------------------

def test_idle_for_a_day_inside_the_window_is_due() -> None:
    decision = decide(POLICY, OPEN_SURVEY, IDLE, shanghai(2, 10))
    assert decision.due
    assert decision.reason is DecisionReason.DUE


def test_submitted_respondent_is_never_reminded() -> None:
    done = replace(IDLE, submitted_at=shanghai(1, 11))
    decision = decide(POLICY, OPEN_SURVEY, done, shanghai(3, 10))
    assert not decision.due
    assert decision.reason is DecisionReason.SUBMITTED


def test_closed_status_stops_reminders() -> None:
    closed = replace(OPEN_SURVEY, status="closed")
    assert reason_at(shanghai(3, 10), survey=closed) is DecisionReason.CLOSED


def test_passed_closing_time_stops_reminders_even_while_status_is_open() -> None:
    closing = replace(OPEN_SURVEY, closes_at=shanghai(3, 10))
    assert reason_at(shanghai(3, 9, 59), survey=closing) is DecisionReason.DUE
    assert reason_at(shanghai(3, 10), survey=closing) is DecisionReason.CLOSED


def test_unreachable_respondent_is_skipped() -> None:
    blocked = replace(IDLE, unreachable=True)
    assert reason_at(shanghai(3, 10), respondent=blocked) is DecisionReason.UNREACHABLE


def test_activity_in_the_last_hour_blocks_a_reminder() -> None:
    reminded_once = replace(IDLE, reminder_count=1, last_reminded_at=shanghai(2, 10),
                            last_active_at=shanghai(4, 10, 30))
    assert reason_at(shanghai(4, 11, 29), respondent=reminded_once) is DecisionReason.RECENTLY_ACTIVE
    assert reason_at(shanghai(4, 11, 30), respondent=reminded_once) is DecisionReason.DUE


def test_first_reminder_waits_24_hours_after_last_activity() -> None:
    active_later = replace(IDLE, last_active_at=shanghai(1, 15))
    assert reason_at(shanghai(2, 14, 59), respondent=active_later) is DecisionReason.TOO_EARLY
    assert reason_at(shanghai(2, 15), respondent=active_later) is DecisionReason.DUE


def test_no_more_than_max_reminders() -> None:
    twice = replace(IDLE, reminder_count=2, last_reminded_at=shanghai(4, 10))
    assert reason_at(shanghai(20, 10), respondent=twice) is DecisionReason.MAX_REACHED
    three_allowed = ReminderPolicy(max_reminders=3)
    assert reason_at(shanghai(20, 10), respondent=twice, policy=three_allowed) is DecisionReason.DUE


def test_zero_max_reminders_switches_reminders_off() -> None:
    assert reason_at(shanghai(3, 10), policy=ReminderPolicy(max_reminders=0)) is DecisionReason.MAX_REACHED


def test_outside_the_window_the_reminder_waits() -> None:
    assert reason_at(shanghai(2, 21)) is DecisionReason.OUTSIDE_WINDOW


# --- repeat reminder -------------------------------------------------------------------------

def test_second_reminder_comes_48_hours_after_the_first() -> None:
    reminded = replace(IDLE, reminder_count=1, last_reminded_at=shanghai(2, 10))
    assert reason_at(shanghai(4, 9, 59), respondent=reminded) is DecisionReason.TOO_EARLY
    assert reason_at(shanghai(4, 10), respondent=reminded) is DecisionReason.DUE


def test_repeat_is_measured_from_the_reminder_not_from_activity() -> None:
    # Active 30 h after the first reminder: the second one is still due 48 h after the first,
    # not 24 h after the activity.
    reminded = replace(IDLE, reminder_count=1, last_reminded_at=shanghai(2, 10),
                       last_active_at=shanghai(3, 16))
    assert reason_at(shanghai(4, 9), respondent=reminded) is DecisionReason.TOO_EARLY
    assert reason_at(shanghai(4, 10), respondent=reminded) is DecisionReason.DUE


# --- send window in the survey's time zone ---------------------------------------------------

@pytest.mark.parametrize(("hour", "minute", "inside"), [
    (8, 59, False), (9, 0, True), (19, 59, True), (20, 0, False), (0, 30, False),
])
def test_window_edges_in_local_time(hour: int, minute: int, inside: bool) -> None:
    assert in_send_window(POLICY, "Asia/Shanghai", shanghai(5, hour, minute)) is inside
    expected = DecisionReason.DUE if inside else DecisionReason.OUTSIDE_WINDOW
    assert reason_at(shanghai(5, hour, minute)) is expected


def test_utc_now_is_judged_in_the_survey_time_zone() -> None:
    # 01:30 UTC is 09:30 in Shanghai (inside) and 03:30 in Berlin (outside).
    now = datetime(2025, 5, 5, 1, 30, tzinfo=UTC)
    assert reason_at(now) is DecisionReason.DUE
    berlin_survey = replace(OPEN_SURVEY, timezone="Europe/Berlin")
    assert reason_at(now, survey=berlin_survey) is DecisionReason.OUTSIDE_WINDOW


def test_naive_datetimes_are_read_as_utc() -> None:
    naive_idle = RespondentSnapshot(joined_at=datetime(2025, 5, 1, 2, 0))  # 10:00 Shanghai
    assert reason_at(datetime(2025, 5, 2, 1, 59), respondent=naive_idle) is DecisionReason.TOO_EARLY
    assert reason_at(datetime(2025, 5, 2, 2, 0), respondent=naive_idle) is DecisionReason.DUE


@pytest.mark.parametrize(("utc_hour", "inside"), [(7, False), (8, True), (18, True), (19, False)])
def test_berlin_window_in_utc_before_the_dst_switch(utc_hour: int, inside: bool) -> None:
    # 29 March 2025, Berlin on CET (UTC+1): the window is 08:00-19:00 UTC.
    assert in_send_window(POLICY, "Europe/Berlin", datetime(2025, 3, 29, utc_hour, 0, tzinfo=UTC)) is inside


@pytest.mark.parametrize(("utc_hour", "inside"), [(6, False), (7, True), (17, True), (18, False)])
def test_berlin_window_in_utc_after_the_dst_switch(utc_hour: int, inside: bool) -> None:
    # 31 March 2025, Berlin on CEST (UTC+2): the window is 07:00-18:00 UTC.
    assert in_send_window(POLICY, "Europe/Berlin", datetime(2025, 3, 31, utc_hour, 0, tzinfo=UTC)) is inside


def test_elapsed_hours_across_the_dst_switch_are_real_hours() -> None:
    berlin_survey = SurveySnapshot(status="open", closes_at=None, timezone="Europe/Berlin")
    joined = RespondentSnapshot(joined_at=datetime(2025, 3, 29, 10, 0, tzinfo=BERLIN))
    # Only 23 real hours separate 29 March 10:00 and 30 March 10:00 local time.
    next_day_ten = datetime(2025, 3, 30, 10, 0, tzinfo=BERLIN)
    assert reason_at(next_day_ten, joined, berlin_survey) is DecisionReason.TOO_EARLY
    assert reason_at(next_day_ten + timedelta(hours=1), joined, berlin_survey) is DecisionReason.DUE


def test_invalid_window_or_zone_is_rejected() -> None:
    with pytest.raises(ValueError):
        ReminderPolicy(window_start_hour=20, window_end_hour=9)
    with pytest.raises(ZoneInfoNotFoundError):
        SurveySnapshot(status="open", closes_at=None, timezone="Mars/Olympus")


# --- next_due_at -----------------------------------------------------------------------------

def test_next_due_at_is_the_timing_moment_when_inside_the_window() -> None:
    assert next_due_at(POLICY, OPEN_SURVEY, IDLE, shanghai(1, 12)) == shanghai(2, 10)


def test_next_due_at_moves_to_the_next_window_opening() -> None:
    evening = RespondentSnapshot(joined_at=shanghai(1, 21))
    assert next_due_at(POLICY, OPEN_SURVEY, evening, shanghai(1, 22)) == shanghai(3, 9)
    early = RespondentSnapshot(joined_at=shanghai(1, 6))
    assert next_due_at(POLICY, OPEN_SURVEY, early, shanghai(1, 7)) == shanghai(2, 9)


def test_next_due_at_is_now_when_overdue_inside_the_window() -> None:
    assert next_due_at(POLICY, OPEN_SURVEY, IDLE, shanghai(5, 12)) == shanghai(5, 12)


def test_next_due_at_agrees_with_decide() -> None:
    evening = RespondentSnapshot(joined_at=shanghai(1, 21))
    due = next_due_at(POLICY, OPEN_SURVEY, evening, shanghai(1, 22))
    assert due is not None
    assert not decide(POLICY, OPEN_SURVEY, evening, due - timedelta(minutes=1)).due
    assert decide(POLICY, OPEN_SURVEY, evening, due).due


def test_next_due_at_is_none_when_nothing_more_will_be_sent() -> None:
    submitted = replace(IDLE, submitted_at=shanghai(1, 11))
    assert next_due_at(POLICY, OPEN_SURVEY, submitted, shanghai(1, 12)) is None
    assert next_due_at(POLICY, OPEN_SURVEY, replace(IDLE, reminder_count=2), shanghai(1, 12)) is None
    closes_before_due = replace(OPEN_SURVEY, closes_at=shanghai(2, 9))
    assert next_due_at(POLICY, closes_before_due, IDLE, shanghai(1, 12)) is None


# --- SQL pre-filter cut-offs -----------------------------------------------------------------

def test_sweep_cutoffs() -> None:
    now = datetime(2025, 5, 5, 2, 0, tzinfo=UTC)
    cutoffs = sweep_cutoffs(POLICY, now)
    assert cutoffs.max_reminders == 2
    assert cutoffs.first_active_before == datetime(2025, 5, 4, 2, 0, tzinfo=UTC)
    assert cutoffs.repeat_active_before == datetime(2025, 5, 5, 1, 0, tzinfo=UTC)
    assert cutoffs.repeat_reminded_before == datetime(2025, 5, 3, 2, 0, tzinfo=UTC)


def test_cutoffs_never_exclude_a_due_respondent() -> None:
    now = shanghai(4, 10)
    cutoffs = sweep_cutoffs(POLICY, now)
    first = RespondentSnapshot(joined_at=cutoffs.first_active_before)
    repeat = RespondentSnapshot(joined_at=shanghai(1, 10), last_active_at=cutoffs.repeat_active_before,
                                reminder_count=1, last_reminded_at=cutoffs.repeat_reminded_before)
    assert decide(POLICY, OPEN_SURVEY, first, now).due
    assert decide(POLICY, OPEN_SURVEY, repeat, now).due


# --- daily digest ----------------------------------------------------------------------------

def test_digest_not_before_six_pm_local() -> None:
    assert not digest_due(shanghai(5, 17, 59), "Asia/Shanghai", None)
    assert digest_due(shanghai(5, 18), "Asia/Shanghai", None)


def test_digest_once_per_local_day() -> None:
    sent_today = shanghai(5, 18, 1)
    assert not digest_due(shanghai(5, 23, 59), "Asia/Shanghai", sent_today)
    assert not digest_due(shanghai(6, 17), "Asia/Shanghai", sent_today)
    assert digest_due(shanghai(6, 18), "Asia/Shanghai", sent_today)


def test_digest_sent_yesterday_late_evening_does_not_block_today() -> None:
    assert digest_due(shanghai(6, 18, 30), "Asia/Shanghai", shanghai(5, 23, 50))


def test_digest_hour_is_in_the_survey_time_zone() -> None:
    # 10:00 UTC is 18:00 in Shanghai but 12:00 in Berlin (CEST).
    now = datetime(2025, 5, 5, 10, 0, tzinfo=UTC)
    assert digest_due(now, "Asia/Shanghai", None)
    assert not digest_due(now, "Europe/Berlin", None)
    assert digest_due(now, "Europe/Berlin", None, hour=12)
