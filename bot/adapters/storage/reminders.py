"""Reminders and daily digests in SQL: who may be due, the atomic claims, and the lead's settings.

A reminder is claimed before it is sent: `claim_reminder` raises the respondent's reminder count
from the count the sweep saw, only while the respondent is still due. Exactly one caller gets True
(one row updated), so two sweeps, two processes or two replicas never send the same reminder, and a
crash between claim and send can miss a reminder but never repeat one. `claim_digest` does the same
for a lead's daily digest with the time of the previous digest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update

from bot.adapters.storage.aggregates import progress_by_survey
from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.surveys import SurveyRecord, survey_record
from bot.adapters.storage.tables import Answer, Respondent, Survey, SurveyLead, SurveyStatus
from conversations.reminder_policy import ReminderPolicy, SweepCutoffs


@dataclass(frozen=True)
class ReminderCandidate:
    """An unsubmitted Telegram respondent, with what a reminder needs to decide and to say."""

    id: int
    survey_id: int
    chat_id: int
    language: str
    position: str
    answered: int
    joined_at: dt.datetime
    last_active_at: dt.datetime
    submitted_at: dt.datetime | None
    reminder_count: int
    last_reminded_at: dt.datetime | None
    unreachable: bool
    screen_message_id: int | None  # the message showing their screen, retired when a reminder is sent


@dataclass(frozen=True)
class DigestRecipient:
    """A lead of an open survey who wants the daily digest, when they last got one, and the survey's
    send window (its quiet hours are outside it)."""

    survey_id: int
    timezone: str
    telegram_user_id: int
    last_digest_at: dt.datetime | None
    window_start_hour: int
    window_end_hour: int


def _timing_allows(cutoffs: SweepCutoffs) -> ColumnElement[bool]:
    """The SQL form of `SweepCutoffs`: the respondent may be due by the intervals alone."""
    activity = Respondent.last_active_at
    reminded = func.coalesce(Respondent.last_reminded_at, Respondent.last_active_at)
    return and_(
        Respondent.reminder_count < cutoffs.max_reminders,
        or_(
            and_(Respondent.reminder_count == 0, activity <= cutoffs.first_active_before),
            and_(Respondent.reminder_count > 0, activity <= cutoffs.repeat_active_before,
                 reminded <= cutoffs.repeat_reminded_before),
        ),
    )


def _survey_open(now: dt.datetime) -> ColumnElement[bool]:
    return and_(Survey.status == SurveyStatus.OPEN, Survey.opens_at <= now,
                or_(Survey.closes_at.is_(None), Survey.closes_at > now))


async def surveys_open_for_reminders(sessions: Sessions, now: dt.datetime) -> list[SurveyRecord]:
    """Open surveys (by status and times) whose policy allows at least one reminder."""
    query = select(Survey).where(_survey_open(now), Survey.max_reminders > 0).order_by(Survey.id)
    async with sessions() as session:
        return [survey_record(row) for row in (await session.execute(query)).scalars()]


async def reminder_candidates(
    sessions: Sessions, survey_id: int, cutoffs: SweepCutoffs | None
) -> list[ReminderCandidate]:
    """Unsubmitted Telegram respondents of the survey, pre-filtered by `cutoffs` (reachable and due
    by the intervals); every unsubmitted one when `cutoffs` is None (to explain who is skipped)."""
    answered = (
        select(func.count(Answer.id)).where(Answer.respondent_id == Respondent.id).scalar_subquery()
    )
    conditions: list[ColumnElement[bool]] = [
        Respondent.survey_id == survey_id, Respondent.submitted_at.is_(None), Respondent.chat_id.is_not(None),
    ]
    if cutoffs is not None:
        conditions += [Respondent.unreachable.is_(False), _timing_allows(cutoffs)]
    query = select(Respondent, answered).where(*conditions).order_by(Respondent.id)
    async with sessions() as session:
        rows = (await session.execute(query)).all()
    return [_candidate(row, count) for row, count in rows]


def _candidate(row: Respondent, answered: int) -> ReminderCandidate:
    assert row.id is not None and row.chat_id is not None
    return ReminderCandidate(
        id=row.id, survey_id=row.survey_id, chat_id=row.chat_id, language=row.language,
        position=row.position, answered=answered, joined_at=row.joined_at,
        last_active_at=row.last_active_at, submitted_at=row.submitted_at,
        reminder_count=row.reminder_count, last_reminded_at=row.last_reminded_at,
        unreachable=row.unreachable, screen_message_id=row.screen_message_id,
    )


async def claim_reminder(
    sessions: Sessions, respondent_id: int, seen_count: int, cutoffs: SweepCutoffs, now: dt.datetime
) -> bool:
    """Count the reminder as sent, if nobody else did and the respondent is still due: True means
    the caller owns this reminder and sends it; False means skip it."""
    survey_still_open = exists().where(Survey.id == Respondent.survey_id, _survey_open(now))
    statement = (
        update(Respondent)
        .where(
            Respondent.id == respondent_id,
            Respondent.reminder_count == seen_count,
            Respondent.submitted_at.is_(None),
            Respondent.unreachable.is_(False),
            _timing_allows(cutoffs),
            survey_still_open,
        )
        .values(reminder_count=Respondent.reminder_count + 1, last_reminded_at=now)
    )
    async with sessions.begin() as session:
        return (await session.execute(statement)).rowcount == 1


async def set_reminder_policy(sessions: Sessions, survey_id: int, policy: ReminderPolicy) -> None:
    async with sessions.begin() as session:
        await session.execute(update(Survey).where(Survey.id == survey_id).values(
            first_reminder_after_hours=round(policy.first_after_hours),
            reminder_every_hours=round(policy.every_hours),
            max_reminders=policy.max_reminders,
            reminder_window_start_hour=policy.window_start_hour,
            reminder_window_end_hour=policy.window_end_hour,
        ))


async def lead_digest_enabled(sessions: Sessions, survey_id: int, telegram_user_id: int) -> bool | None:
    """Whether this lead gets the survey's daily digest; None when they have no lead row (an admin)."""
    query = select(SurveyLead.digest_enabled).where(
        SurveyLead.survey_id == survey_id, SurveyLead.telegram_user_id == telegram_user_id)
    async with sessions() as session:
        return (await session.execute(query)).scalar_one_or_none()


async def set_lead_digest(sessions: Sessions, survey_id: int, telegram_user_id: int, enabled: bool) -> bool:
    """Turn the lead's daily digest on or off; False when they have no lead row for the survey."""
    async with sessions.begin() as session:
        result = await session.execute(
            update(SurveyLead)
            .where(SurveyLead.survey_id == survey_id, SurveyLead.telegram_user_id == telegram_user_id)
            .values(digest_enabled=enabled)
        )
        return result.rowcount == 1


async def digest_recipients(sessions: Sessions, now: dt.datetime) -> list[DigestRecipient]:
    """Leads of open surveys with the digest on (for the survey and for the lead)."""
    query = (
        select(Survey.id, Survey.timezone, SurveyLead.telegram_user_id, SurveyLead.last_digest_at,
               Survey.reminder_window_start_hour, Survey.reminder_window_end_hour)
        .join(SurveyLead, SurveyLead.survey_id == Survey.id)
        .where(_survey_open(now), Survey.digest_enabled.is_(True), SurveyLead.digest_enabled.is_(True))
        .order_by(Survey.id, SurveyLead.id)
    )
    async with sessions() as session:
        return [DigestRecipient(*row) for row in await session.execute(query)]


async def claim_digest(
    sessions: Sessions, survey_id: int, telegram_user_id: int, seen_last_digest_at: dt.datetime | None,
    now: dt.datetime,
) -> bool:
    """Record today's digest for this lead if nobody did since `seen_last_digest_at` was read: True
    means the caller owns this digest and sends it."""
    unchanged: Any = (SurveyLead.last_digest_at.is_(None) if seen_last_digest_at is None
                      else SurveyLead.last_digest_at == seen_last_digest_at)
    async with sessions.begin() as session:
        result = await session.execute(
            update(SurveyLead)
            .where(SurveyLead.survey_id == survey_id, SurveyLead.telegram_user_id == telegram_user_id,
                   SurveyLead.digest_enabled.is_(True), unchanged)
            .values(last_digest_at=now)
        )
        return result.rowcount == 1


async def submitted_since(sessions: Sessions, survey_id: int, since: dt.datetime) -> int:
    """How many respondents of the survey submitted at or after `since`."""
    query = select(func.count(Respondent.id)).where(
        Respondent.survey_id == survey_id, Respondent.submitted_at >= since)
    async with sessions() as session:
        return int((await session.execute(query)).scalar_one())


async def surveys_at_target(sessions: Sessions, now: dt.datetime) -> list[SurveyRecord]:
    """Open surveys whose submitted responses reached the target and whose leads were not told yet."""
    progress = progress_by_survey().subquery()
    query = (
        select(Survey)
        .join(progress, progress.c.survey_id == Survey.id)
        .where(_survey_open(now), Survey.target.is_not(None), Survey.target_reached_notified.is_(False),
               progress.c.submitted >= Survey.target)
        .order_by(Survey.id)
    )
    async with sessions() as session:
        return [survey_record(row) for row in (await session.execute(query)).scalars()]
