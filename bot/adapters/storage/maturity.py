"""Management maturity levels (1-5) that the audit lead gives each requirement of a survey's spec."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.tables import MaturityRating
from bot.adapters.storage.upsert import upsert


async def set_level(
    sessions: Sessions, survey_id: int, requirement_code: str, level: int, rated_by: int | None,
    now: dt.datetime,
) -> None:
    """Rate (or re-rate) one requirement."""
    if level not in range(1, 6):
        raise ValueError(f"maturity level {level!r} is not 1-5")
    async with sessions.begin() as session:
        await upsert(
            session, MaturityRating,
            {"survey_id": survey_id, "requirement_code": requirement_code, "level": level,
             "rated_by": rated_by, "rated_at": now},
            conflict_columns=("survey_id", "requirement_code"),
            update_columns=("level", "rated_by", "rated_at"),
        )


async def levels(sessions: Sessions, survey_id: int) -> dict[str, int]:
    """{requirement code: level} of the requirements rated so far."""
    query = select(MaturityRating.requirement_code, MaturityRating.level).where(
        MaturityRating.survey_id == survey_id
    )
    async with sessions() as session:
        return {code: level for code, level in await session.execute(query)}
