"""Surveys: create one, find one by invite code or id, list them with their progress, open or close."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select, update

from bot.adapters.storage.aggregates import ProgressCounts, progress_by_survey
from bot.adapters.storage.engine import Sessions, first_row
from bot.adapters.storage.spec_revisions import store_revision
from bot.adapters.storage.tables import LeadRole, Survey, SurveyLead, SurveyStatus
from conversations.reminder_policy import ReminderPolicy
from specs import Spec, load_catalog
from specs.revisions import revision_of

DEFAULT_REMINDERS = ReminderPolicy()

INVITE_CODE_BYTES = 12  # 16 characters of A-Z a-z 0-9 _ - (Telegram allows 64 in a /start payload)


@dataclass(frozen=True)
class SurveyRecord:
    id: int
    code: str
    spec_id: str
    spec_sha256: str | None  # the revision it is pinned to (bot/services/pinned_specs.py)
    organization: str
    status: SurveyStatus
    opens_at: dt.datetime
    closes_at: dt.datetime | None
    target: int | None
    timezone: str
    created_at: dt.datetime
    created_by: int | None
    reminders: ReminderPolicy
    digest_enabled: bool
    target_reached_notified: bool


@dataclass(frozen=True)
class SurveySummaryRow:
    """A survey with its progress (joined, started, submitted)."""

    survey: SurveyRecord
    progress: ProgressCounts


def new_invite_code() -> str:
    """An unguessable code made of A-Z a-z 0-9 _ - only, starting with a letter or digit (a code
    starting with "-" would read as an option on the command line)."""
    while not (code := secrets.token_urlsafe(INVITE_CODE_BYTES))[0].isalnum():
        pass
    return code


async def create_survey(
    sessions: Sessions,
    *,
    spec_id: str,
    organization: str,
    timezone: str,
    now: dt.datetime,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    target: int | None = None,
    created_by: int | None = None,
    reminders: ReminderPolicy = DEFAULT_REMINDERS,
    spec: Spec | None = None,
) -> SurveyRecord:
    """Create an open survey with a fresh invite code, pinned to `spec` (the creator's spec with that id;
    the bundled one when not given: tests and benches), whose revision is stored unless it is;
    `created_by`, if given, becomes its owner. RevisionConflict: that id and version are stored with
    other content."""
    spec_id = spec_id.strip().upper()
    pinned = spec or load_catalog().get(spec_id)
    if pinned is None or pinned.id != spec_id:
        raise ValueError(f"no spec {spec_id} to pin the survey to")
    revision = revision_of(pinned)
    async with sessions.begin() as session:
        await store_revision(session, revision, now)
        survey = Survey(
            code=new_invite_code(),
            spec_id=spec_id,
            spec_sha256=revision.sha256,
            organization=organization.strip(),
            status=SurveyStatus.OPEN,
            opens_at=opens_at or now,
            closes_at=closes_at,
            target=target,
            timezone=timezone,
            created_at=now,
            created_by=created_by,
            first_reminder_after_hours=reminders.first_after_hours,
            reminder_every_hours=reminders.every_hours,
            max_reminders=reminders.max_reminders,
            reminder_window_start_hour=reminders.window_start_hour,
            reminder_window_end_hour=reminders.window_end_hour,
        )
        session.add(survey)
        await session.flush()
        if created_by is not None:
            session.add(SurveyLead(survey_id=survey.id, telegram_user_id=created_by,
                                   role=LeadRole.OWNER, added_at=now))
        return survey_record(survey)


async def survey_by_code(sessions: Sessions, code: str) -> SurveyRecord | None:
    """Read on a bare connection (every /start with an invite asks)."""
    survey = await first_row(sessions, select(Survey).where(Survey.code == code))
    return survey_record(survey) if survey else None


async def survey_by_id(sessions: Sessions, survey_id: int) -> SurveyRecord | None:
    async with sessions() as session:
        survey = await session.get(Survey, survey_id)
        return survey_record(survey) if survey else None


async def list_surveys(sessions: Sessions, lead_id: int | None = None) -> list[SurveySummaryRow]:
    """All surveys (`lead_id` None, for admins) or those `lead_id` leads; the newest first."""
    progress = progress_by_survey().subquery()
    query = (
        select(Survey, progress.c.joined, progress.c.started, progress.c.submitted)
        .outerjoin(progress, progress.c.survey_id == Survey.id)
        .order_by(Survey.created_at.desc(), Survey.id.desc())
    )
    if lead_id is not None:
        query = query.where(
            Survey.id.in_(select(SurveyLead.survey_id).where(SurveyLead.telegram_user_id == lead_id))
        )
    async with sessions() as session:
        rows = (await session.execute(query)).all()
    return [
        SurveySummaryRow(survey_record(survey),
                         ProgressCounts(joined or 0, int(started or 0), submitted or 0))
        for survey, joined, started, submitted in rows
    ]


async def set_status(sessions: Sessions, survey_id: int, status: SurveyStatus) -> bool:
    """Open or close a survey; False if it already had that status (or does not exist)."""
    async with sessions.begin() as session:
        result = await session.execute(
            update(Survey).where(Survey.id == survey_id, Survey.status != status).values(status=status)
        )
        return result.rowcount == 1


async def change_dates_and_target(sessions: Sessions, survey_id: int, *, opens_at: dt.datetime,
                                  closes_at: dt.datetime | None,
                                  target: int | None) -> tuple[SurveyRecord, SurveyRecord] | None:
    """Store a survey's new dates and target; (before, after), or None when there is no such survey. A
    changed target is announced again once reached (the notice is claimed anew)."""
    async with sessions.begin() as session:
        survey = await session.get(Survey, survey_id, with_for_update=True)
        if survey is None:
            return None
        before = survey_record(survey)
        survey.opens_at, survey.closes_at, survey.target = opens_at, closes_at, target
        if target != before.target:
            survey.target_reached_notified = False
        await session.flush()
        return before, survey_record(survey)


async def claim_target_notice(sessions: Sessions, survey_id: int) -> bool:
    """True exactly once per survey: whoever gets True announces that the target sample was reached."""
    async with sessions.begin() as session:
        result = await session.execute(
            update(Survey)
            .where(Survey.id == survey_id, Survey.target_reached_notified.is_(False))
            .values(target_reached_notified=True)
        )
        return result.rowcount == 1


def survey_record(survey: Survey | Row[Any]) -> SurveyRecord:
    """From the ORM object or a row of its columns."""
    return SurveyRecord(
        id=survey.id, code=survey.code, spec_id=survey.spec_id, spec_sha256=survey.spec_sha256,
        organization=survey.organization,
        status=SurveyStatus(survey.status), opens_at=survey.opens_at, closes_at=survey.closes_at,
        target=survey.target, timezone=survey.timezone, created_at=survey.created_at,
        created_by=survey.created_by,
        reminders=ReminderPolicy(
            first_after_hours=survey.first_reminder_after_hours,
            every_hours=survey.reminder_every_hours,
            max_reminders=survey.max_reminders,
            window_start_hour=survey.reminder_window_start_hour,
            window_end_hour=survey.reminder_window_end_hour,
        ),
        digest_enabled=survey.digest_enabled,
        target_reached_notified=survey.target_reached_notified,
    )
