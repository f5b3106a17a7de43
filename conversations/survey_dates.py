"""Survey dates and the survey's state, as a person reads them: inclusive calendar days in the survey's
time zone.

The one storage rule (Telegram, the CLI and every screen agree on it):
- `opens_at` is the start (00:00) of the opening day in the survey's time zone, or the moment of
  creation for a survey that opens at once;
- `closes_at` is the END of the closing day, stored as the next local midnight, exclusive: a survey
  that closes on 2026-12-31 in Asia/Shanghai stores 2027-01-01 00:00 +08:00 (2026-12-31T16:00Z),
  takes an answer at 2026-12-31 23:59 local and refuses one at 2027-01-01 00:00 local.
Screens show the closing DAY (the day before that midnight). A stored closing time that is not a
local midnight (a survey made before this rule) is shown with its time, so no screen is ever wrong.

Pure: the clock is passed in (`now`); datetimes are timezone-aware (naive ones are read as UTC).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from zoneinfo import ZoneInfo

from conversations.reminder_policy import CLOSED_STATUS, as_utc
from locales import translator

_ONE_TICK = dt.timedelta(microseconds=1)


class SurveyState(Enum):
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"


def opening_moment(day: dt.date, timezone: str) -> dt.datetime:
    """The start (00:00) of `day` in `timezone`, in UTC."""
    return as_utc(dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(timezone)))


def closes_at_end_of_day(day: dt.date, timezone: str) -> dt.datetime:
    """The stored closing moment of a survey that closes on `day`: the next midnight in `timezone`
    (exclusive end), in UTC."""
    return opening_moment(day + dt.timedelta(days=1), timezone)


def opening_day(opens_at: dt.datetime, timezone: str) -> dt.date:
    return as_utc(opens_at).astimezone(ZoneInfo(timezone)).date()


def closing_day(closes_at: dt.datetime, timezone: str) -> dt.date:
    """The last local day on which the survey takes answers."""
    return (as_utc(closes_at) - _ONE_TICK).astimezone(ZoneInfo(timezone)).date()


def closing_text(closes_at: dt.datetime, timezone: str) -> str:
    """"2026-12-31" for the closing day; with the time when the stored moment is not a local midnight."""
    local = as_utc(closes_at).astimezone(ZoneInfo(timezone))
    if local.time() == dt.time():
        return closing_day(closes_at, timezone).isoformat()
    return local.strftime("%Y-%m-%d %H:%M")


def opening_text(opens_at: dt.datetime, timezone: str) -> str:
    """When a survey opens, in local time ("2026-12-01" at a local midnight, else with the time)."""
    local = as_utc(opens_at).astimezone(ZoneInfo(timezone))
    return local.date().isoformat() if local.time() == dt.time() else local.strftime("%Y-%m-%d %H:%M")


def display_period(opens_at: dt.datetime, closes_at: dt.datetime | None, timezone: str, language: str) -> str:
    """The survey period for a header or a report: "2026-12-01 – 2026-12-31 (Asia/Shanghai)", both days
    included; without a closing date "from 2026-12-01, no closing date (Asia/Shanghai)"."""
    _ = translator(language).gettext
    first = opening_day(opens_at, timezone).isoformat()
    if closes_at is None:
        return _("from {first}, no closing date ({timezone})").format(first=first, timezone=timezone)
    return _("{first} – {last} ({timezone})").format(first=first, last=closing_text(closes_at, timezone),
                                                     timezone=timezone)


def survey_state(status: str, opens_at: dt.datetime, closes_at: dt.datetime | None,
                 now: dt.datetime) -> SurveyState:
    """Not yet open before `opens_at`; closed once a lead closed it or from `closes_at` on; else open.
    (conversations.invite re-exports it as `availability`, the customer's view of the same rule.)"""
    now = as_utc(now)
    if status == CLOSED_STATUS or (closes_at is not None and now >= as_utc(closes_at)):
        return SurveyState.CLOSED
    if now < as_utc(opens_at):
        return SurveyState.NOT_YET_OPEN
    return SurveyState.OPEN


def state_word(state: SurveyState | str, language: str) -> str:
    """未开始 / 开放中 / 已关闭 (not yet open / open / closed): the one word for each state."""
    _ = translator(language).gettext
    words = {SurveyState.NOT_YET_OPEN: _("not yet open"), SurveyState.OPEN: _("open"),
             SurveyState.CLOSED: _("closed")}
    return words[SurveyState(state)]
