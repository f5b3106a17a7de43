"""When a respondent who started a survey but has not submitted gets a reminder, and when the
audit lead's daily digest is due.

Pure functions: the clock is passed in (`now`), nothing is read from a database. The reminder sweep
pre-filters candidates in SQL with `sweep_cutoffs()` and then asks `decide()` about each one.

All datetimes should be timezone-aware. Naive datetimes are read as UTC, which is how SQLite hands
stored UTC timestamps back.

A respondent's *last activity* is `last_active_at`, or `joined_at` when they never did anything
after joining. Timing rules, per survey `ReminderPolicy`:

- first reminder `first_after_hours` after the last activity;
- each further reminder `every_hours` after the previous reminder, and never within
  `QUIET_AFTER_ACTIVITY` of the last activity;
- at most `max_reminders`, only from `window_start_hour`:00 up to (not including)
  `window_end_hour`:00 in the survey's local time;
- never once the survey is closed, after submission, or to an unreachable respondent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

CLOSED_STATUS = "closed"
QUIET_AFTER_ACTIVITY = timedelta(hours=1)
DEFAULT_DIGEST_HOUR = 18


@dataclass(frozen=True)
class ReminderPolicy:
    first_after_hours: float = 24
    every_hours: float = 48
    max_reminders: int = 2
    window_start_hour: int = 9
    window_end_hour: int = 20

    def __post_init__(self) -> None:
        if self.first_after_hours <= 0 or self.every_hours <= 0:
            raise ValueError("reminder intervals must be positive")
        if self.max_reminders < 0:
            raise ValueError("max_reminders must not be negative")
        if not 0 <= self.window_start_hour < self.window_end_hour <= 24:
            raise ValueError("the send window must satisfy 0 <= start hour < end hour <= 24")

    @property
    def first_after(self) -> timedelta:
        return timedelta(hours=self.first_after_hours)

    @property
    def every(self) -> timedelta:
        return timedelta(hours=self.every_hours)


@dataclass(frozen=True)
class SurveySnapshot:
    status: str
    closes_at: datetime | None
    timezone: str

    def __post_init__(self) -> None:
        ZoneInfo(self.timezone)  # an unknown zone name fails here, not in the middle of a sweep

    def is_closed(self, now: datetime) -> bool:
        return self.status == CLOSED_STATUS or (
            self.closes_at is not None and as_utc(now) >= as_utc(self.closes_at)
        )


@dataclass(frozen=True)
class RespondentSnapshot:
    joined_at: datetime
    last_active_at: datetime | None = None
    submitted_at: datetime | None = None
    reminder_count: int = 0
    last_reminded_at: datetime | None = None
    unreachable: bool = False

    @property
    def last_activity(self) -> datetime:
        return as_utc(self.last_active_at or self.joined_at)


class DecisionReason(Enum):
    DUE = "due"
    SUBMITTED = "submitted"
    CLOSED = "closed"
    UNREACHABLE = "unreachable"
    MAX_REACHED = "max_reached"
    RECENTLY_ACTIVE = "recently_active"
    TOO_EARLY = "too_early"
    OUTSIDE_WINDOW = "outside_window"


@dataclass(frozen=True)
class Decision:
    reason: DecisionReason

    @property
    def due(self) -> bool:
        return self.reason is DecisionReason.DUE


@dataclass(frozen=True)
class SweepCutoffs:
    """Bounds for the SQL pre-filter. With `activity = coalesce(last_active_at, joined_at)` and
    `reminded = coalesce(last_reminded_at, activity)`, a respondent can only be due if

        submitted_at IS NULL AND NOT unreachable AND reminder_count < max_reminders AND (
            (reminder_count = 0 AND activity <= first_active_before)
         OR (reminder_count > 0 AND activity <= repeat_active_before
                                AND reminded <= repeat_reminded_before))

    `decide()` still has the last word (survey closed, send window)."""

    max_reminders: int
    first_active_before: datetime
    repeat_active_before: datetime
    repeat_reminded_before: datetime


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def decide(
    policy: ReminderPolicy, survey: SurveySnapshot, respondent: RespondentSnapshot, now: datetime
) -> Decision:
    """Whether `respondent` should get a reminder at `now`, and if not, why not."""
    now = as_utc(now)
    if respondent.submitted_at is not None:
        return Decision(DecisionReason.SUBMITTED)
    if survey.is_closed(now):
        return Decision(DecisionReason.CLOSED)
    if respondent.unreachable:
        return Decision(DecisionReason.UNREACHABLE)
    if respondent.reminder_count >= policy.max_reminders:
        return Decision(DecisionReason.MAX_REACHED)
    if now - respondent.last_activity < QUIET_AFTER_ACTIVITY:
        return Decision(DecisionReason.RECENTLY_ACTIVE)
    if now < _timing_due_at(policy, respondent):
        return Decision(DecisionReason.TOO_EARLY)
    if not in_send_window(policy, survey.timezone, now):
        return Decision(DecisionReason.OUTSIDE_WINDOW)
    return Decision(DecisionReason.DUE)


def next_due_at(
    policy: ReminderPolicy, survey: SurveySnapshot, respondent: RespondentSnapshot, now: datetime
) -> datetime | None:
    """The earliest moment (UTC, not before `now`) at which `decide()` would say DUE if nothing
    changes in between; None when no further reminder will ever be sent."""
    now = as_utc(now)
    if (
        respondent.submitted_at is not None
        or survey.is_closed(now)
        or respondent.unreachable
        or respondent.reminder_count >= policy.max_reminders
    ):
        return None
    candidate = next_window_moment(policy, survey.timezone, max(now, _timing_due_at(policy, respondent)))
    if survey.closes_at is not None and candidate >= as_utc(survey.closes_at):
        return None
    return candidate


def sweep_cutoffs(policy: ReminderPolicy, now: datetime) -> SweepCutoffs:
    now = as_utc(now)
    return SweepCutoffs(
        max_reminders=policy.max_reminders,
        first_active_before=now - max(policy.first_after, QUIET_AFTER_ACTIVITY),
        repeat_active_before=now - QUIET_AFTER_ACTIVITY,
        repeat_reminded_before=now - policy.every,
    )


def in_send_window(policy: ReminderPolicy, timezone: str, now: datetime) -> bool:
    local_hour = as_utc(now).astimezone(ZoneInfo(timezone)).hour
    return policy.window_start_hour <= local_hour < policy.window_end_hour


def digest_due(
    now: datetime, survey_timezone: str, last_digest_sent_at: datetime | None, hour: int = DEFAULT_DIGEST_HOUR,
    window: ReminderPolicy | None = None,
) -> bool:
    """True once per local day, from the day's digest moment on, until a digest has been sent at or
    after it; never outside the survey's send `window` (its quiet hours; default the standard window).
    The digest moment is `hour`:00 local time, or the next opening of the window when that hour is
    quiet (so a 21:00 digest with a 09-20 window comes at 09:00 the next day)."""
    if not 0 <= hour <= 23:
        raise ValueError("the digest hour must be between 0 and 23")
    window = window or ReminderPolicy()
    now = as_utc(now)
    if not in_send_window(window, survey_timezone, now):
        return False
    zone = ZoneInfo(survey_timezone)
    today = now.astimezone(zone).date()
    for day in (today, today - timedelta(days=1)):
        due_at = next_window_moment(window, survey_timezone, as_utc(datetime.combine(day, time(hour), tzinfo=zone)))
        if due_at.astimezone(zone).date() == today and due_at <= now:
            return last_digest_sent_at is None or as_utc(last_digest_sent_at) < due_at
    return False


def _timing_due_at(policy: ReminderPolicy, respondent: RespondentSnapshot) -> datetime:
    """When the intervals alone allow the next reminder (send window not considered)."""
    activity = respondent.last_activity
    if respondent.reminder_count == 0:
        return activity + max(policy.first_after, QUIET_AFTER_ACTIVITY)
    reminded = as_utc(respondent.last_reminded_at) if respondent.last_reminded_at else activity
    return max(reminded + policy.every, activity + QUIET_AFTER_ACTIVITY)


def next_window_moment(policy: ReminderPolicy, timezone: str, moment: datetime) -> datetime:
    """`moment` itself if it lies in the send window, otherwise the next opening of the window (the end
    of the survey's quiet hours): reminders, the digest and the target notice all wait for it."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    if policy.window_start_hour <= local.hour < policy.window_end_hour:
        return moment
    opening_day = local.date() if local.hour < policy.window_start_hour else local.date() + timedelta(days=1)
    return as_utc(datetime.combine(opening_day, time(policy.window_start_hour), tzinfo=zone))
