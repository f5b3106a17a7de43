"""Survey dates are inclusive local days in the survey's time zone; the three states and their words.
Every instant below is worked out by hand (Shanghai is UTC+8 all year; Berlin is UTC+1 in winter and
UTC+2 in summer, switching on 2026-03-29 and 2026-10-25)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from conversations.survey_dates import (
    SurveyState,
    closes_at_end_of_day,
    closing_day,
    closing_text,
    display_period,
    opening_moment,
    opening_text,
    state_word,
    survey_state,
)

SHANGHAI, BERLIN = "Asia/Shanghai", "Europe/Berlin"
UTC = dt.UTC


def local(zone: str, *parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=ZoneInfo(zone))


def test_closing_on_new_years_eve_in_shanghai_ends_at_the_local_midnight() -> None:
    closes_at = closes_at_end_of_day(dt.date(2026, 12, 31), SHANGHAI)
    assert closes_at == dt.datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    opens_at = opening_moment(dt.date(2026, 12, 1), SHANGHAI)
    assert opens_at == dt.datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert survey_state("open", opens_at, closes_at, local(SHANGHAI, 2026, 12, 31, 23, 30)) is SurveyState.OPEN
    assert survey_state("open", opens_at, closes_at, local(SHANGHAI, 2027, 1, 1, 0, 1)) is SurveyState.CLOSED
    assert survey_state("open", opens_at, closes_at, local(SHANGHAI, 2026, 11, 30, 23, 59)) \
        is SurveyState.NOT_YET_OPEN
    assert survey_state("open", opens_at, closes_at, local(SHANGHAI, 2026, 12, 1, 0, 0)) is SurveyState.OPEN


def test_the_card_shows_the_closing_day_itself_not_the_day_after() -> None:
    closes_at = dt.datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert closing_day(closes_at, SHANGHAI) == dt.date(2026, 12, 31)
    assert closing_text(closes_at, SHANGHAI) == "2026-12-31"
    assert display_period(dt.datetime(2026, 11, 30, 16, 0, tzinfo=UTC), closes_at, SHANGHAI, "zh_CN") \
        == "2026-12-01 至 2026-12-31（Asia/Shanghai）"
    assert display_period(dt.datetime(2026, 11, 30, 16, 0, tzinfo=UTC), closes_at, SHANGHAI, "en") \
        == "2026-12-01 – 2026-12-31 (Asia/Shanghai)"
    assert display_period(dt.datetime(2026, 11, 30, 16, 0, tzinfo=UTC), None, SHANGHAI, "en") \
        == "from 2026-12-01, no closing date (Asia/Shanghai)"


def test_berlin_days_across_both_clock_changes() -> None:
    # 2026-03-28 ends at 2026-03-29 00:00 CET (UTC+1), before the switch at 02:00
    assert closes_at_end_of_day(dt.date(2026, 3, 28), BERLIN) == dt.datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    # 2026-03-29 ends at 2026-03-30 00:00 CEST (UTC+2): that day had 23 hours
    assert closes_at_end_of_day(dt.date(2026, 3, 29), BERLIN) == dt.datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    # 2026-10-25 (25 hours) ends at 2026-10-26 00:00 CET (UTC+1)
    closes_at = closes_at_end_of_day(dt.date(2026, 10, 25), BERLIN)
    assert closes_at == dt.datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    assert closing_text(closes_at, BERLIN) == "2026-10-25"
    assert survey_state("open", dt.datetime(2026, 10, 1, tzinfo=UTC), closes_at,
                        local(BERLIN, 2026, 10, 25, 23, 59)) is SurveyState.OPEN
    assert survey_state("open", dt.datetime(2026, 10, 1, tzinfo=UTC), closes_at,
                        local(BERLIN, 2026, 10, 26, 0, 0)) is SurveyState.CLOSED


def test_a_stored_closing_time_that_is_not_a_midnight_is_shown_with_its_time() -> None:
    # a survey made before the rule by `--closes 2026-03-16T18:00` (Shanghai)
    closes_at = dt.datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
    assert closing_text(closes_at, SHANGHAI) == "2026-03-16 18:00"
    # one made by `--closes 2026-12-31`, which meant 00:00 of that day: its last day was the 30th
    assert closing_text(dt.datetime(2026, 12, 30, 16, 0, tzinfo=UTC), SHANGHAI) == "2026-12-30"
    assert opening_text(dt.datetime(2026, 3, 2, 1, 30, tzinfo=UTC), SHANGHAI) == "2026-03-02 09:30"
    assert opening_text(dt.datetime(2026, 3, 1, 16, 0, tzinfo=UTC), SHANGHAI) == "2026-03-02"


def test_a_survey_a_lead_closed_is_closed_whatever_its_dates() -> None:
    assert survey_state("closed", dt.datetime(2027, 1, 1, tzinfo=UTC), None,
                        dt.datetime(2026, 6, 1, tzinfo=UTC)) is SurveyState.CLOSED


@pytest.mark.parametrize(("state", "zh", "en"), [
    (SurveyState.NOT_YET_OPEN, "未开始", "not yet open"),
    (SurveyState.OPEN, "开放中", "open"),
    (SurveyState.CLOSED, "已关闭", "closed"),
])
def test_one_word_for_each_state(state: SurveyState, zh: str, en: str) -> None:
    assert state_word(state, "zh_CN") == zh
    assert state_word(state.value, "en") == en
