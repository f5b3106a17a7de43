"""Audit leads of a survey, and one-time links that make someone a co-lead."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import case, exists, select, update

from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.tables import LeadInvite, LeadRole, SurveyLead
from bot.adapters.storage.upsert import upsert

LEAD_INVITE_CODE_BYTES = 18  # 24 characters of A-Z a-z 0-9 _ -


@dataclass(frozen=True)
class LeadRecord:
    survey_id: int
    telegram_user_id: int
    role: LeadRole
    digest_enabled: bool


async def add_lead(
    sessions: Sessions, survey_id: int, telegram_user_id: int, role: LeadRole, now: dt.datetime
) -> bool:
    """Make a user a lead of the survey; False if they already were one (their role is kept)."""
    async with sessions.begin() as session:
        written = await upsert(
            session, SurveyLead,
            {"survey_id": survey_id, "telegram_user_id": telegram_user_id, "role": role, "added_at": now},
            conflict_columns=("survey_id", "telegram_user_id"),
        )
        return written == 1


async def is_lead(sessions: Sessions, survey_id: int, user_id: int, admin_ids: Collection[int]) -> bool:
    """Admins lead every survey; anyone else needs a lead row for this survey."""
    if user_id in admin_ids:
        return True
    query = select(
        exists().where(SurveyLead.survey_id == survey_id, SurveyLead.telegram_user_id == user_id)
    )
    async with sessions() as session:
        return bool((await session.execute(query)).scalar())


async def leads_of(sessions: Sessions, survey_id: int) -> list[LeadRecord]:
    """The survey's leads, owners first."""
    query = (
        select(SurveyLead)
        .where(SurveyLead.survey_id == survey_id)
        .order_by(case((SurveyLead.role == LeadRole.OWNER, 0), else_=1), SurveyLead.added_at, SurveyLead.id)
    )
    async with sessions() as session:
        rows = (await session.execute(query)).scalars().all()
    return [
        LeadRecord(row.survey_id, row.telegram_user_id, LeadRole(row.role), row.digest_enabled)
        for row in rows
    ]


async def create_lead_invite(
    sessions: Sessions, survey_id: int, created_by: int | None, now: dt.datetime
) -> str:
    """A fresh one-time code; whoever redeems it first becomes a co-lead of the survey."""
    code = secrets.token_urlsafe(LEAD_INVITE_CODE_BYTES)
    async with sessions.begin() as session:
        session.add(LeadInvite(code=code, survey_id=survey_id, created_by=created_by, created_at=now))
    return code


async def redeem_lead_invite(sessions: Sessions, code: str, user_id: int, now: dt.datetime) -> int | None:
    """Use the invite once: the survey id it was for, or None if it is unknown or already used."""
    async with sessions.begin() as session:
        survey_id = (
            await session.execute(
                update(LeadInvite)
                .where(LeadInvite.code == code, LeadInvite.used_by.is_(None))
                .values(used_by=user_id, used_at=now)
                .returning(LeadInvite.survey_id)
            )
        ).scalar_one_or_none()
        if survey_id is None:
            return None
        await upsert(
            session, SurveyLead,
            {"survey_id": survey_id, "telegram_user_id": user_id, "role": LeadRole.CO_LEAD, "added_at": now},
            conflict_columns=("survey_id", "telegram_user_id"),
        )
        return survey_id
