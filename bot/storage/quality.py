"""Data-quality flags and the raw responses of a survey, for the lead's summary and export.

Flags are computed by the database and only point at respondents for a closer look; nobody is left out
of a score because of them:
- straight-lining: a submitted respondent gave one and the same rating to every item;
- speeding: a Telegram respondent submitted in under a third of the median completion time
  (submitted_at - joined_at) of the survey's submitted Telegram respondents. Paper responses have no
  completion time and are never flagged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.engine import Sessions
from bot.storage.tables import Answer, Channel, Respondent

SPEEDING_SHARE_OF_MEDIAN = 1 / 3
_SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class QualityFlags:
    """Respondent numbers (ascending) flagged for a closer look, and the median completion time."""

    straight_liners: tuple[int, ...]
    speeders: tuple[int, ...]
    median_seconds: float | None


@dataclass(frozen=True)
class RawResponse:
    """One submitted response as exported: pseudonymous number, channel, times, ratings and comment."""

    number: int
    channel: Channel
    joined_at: dt.datetime
    submitted_at: dt.datetime
    ratings: dict[str, int]
    comment: str | None


async def quality_flags(sessions: Sessions, survey_id: int, item_count: int) -> QualityFlags:
    """Straight-liners (all `item_count` items rated alike) and speeders among submitted respondents."""
    async with sessions() as session:
        straight = await _straight_liners(session, survey_id, item_count)
        duration = _seconds_between(session, Respondent.submitted_at, Respondent.joined_at)
        median = await _median_duration(session, survey_id, duration)
        speeders: list[int] = []
        if median is not None and median > 0:
            query = (select(Respondent.number)
                     .where(*_submitted_on_telegram(survey_id), duration < median * SPEEDING_SHARE_OF_MEDIAN)
                     .order_by(Respondent.number))
            speeders = list((await session.execute(query)).scalars())
    return QualityFlags(tuple(straight), tuple(speeders), median)


async def raw_responses(sessions: Sessions, survey_id: int) -> list[RawResponse]:
    """Every submitted response with its ratings, by respondent number (reads one row per answer)."""
    respondents = (
        select(Respondent.id, Respondent.number, Respondent.channel, Respondent.joined_at,
               Respondent.submitted_at, Respondent.comment)
        .where(Respondent.survey_id == survey_id, Respondent.submitted_at.is_not(None))
        .order_by(Respondent.number)
    )
    answers = (
        select(Answer.respondent_id, Answer.item_code, Answer.rating)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Respondent.survey_id == survey_id, Respondent.submitted_at.is_not(None))
    )
    ratings: dict[int, dict[str, int]] = {}
    async with sessions() as session:
        rows = (await session.execute(respondents)).all()
        for respondent_id, item_code, rating in await session.execute(answers):
            ratings.setdefault(respondent_id, {})[item_code] = rating
    return [
        RawResponse(row.number, Channel(row.channel), row.joined_at, row.submitted_at,
                    ratings.get(row.id, {}), row.comment)
        for row in rows
    ]


async def _straight_liners(session: AsyncSession, survey_id: int, item_count: int) -> list[int]:
    query = (
        select(Respondent.number)
        .join(Answer, Answer.respondent_id == Respondent.id)
        .where(Respondent.survey_id == survey_id, Respondent.submitted_at.is_not(None))
        .group_by(Respondent.id, Respondent.number)
        .having(func.count() == item_count, func.min(Answer.rating) == func.max(Answer.rating))
        .order_by(Respondent.number)
    )
    return list((await session.execute(query)).scalars())


async def _median_duration(session: AsyncSession, survey_id: int,
                           duration: ColumnElement[float]) -> float | None:
    """The median of `duration` over submitted Telegram respondents (mean of the middle two if even)."""
    count_query = select(func.count()).select_from(Respondent).where(*_submitted_on_telegram(survey_id))
    n = (await session.execute(count_query)).scalar_one()
    if n == 0:
        return None
    middle = (
        select(duration).where(*_submitted_on_telegram(survey_id))
        .order_by(duration).offset((n - 1) // 2).limit(2 - n % 2)
    )
    values = [float(value) for value in (await session.execute(middle)).scalars()]
    return sum(values) / len(values)


def _submitted_on_telegram(survey_id: int) -> tuple[ColumnElement[bool], ...]:
    return (Respondent.survey_id == survey_id, Respondent.submitted_at.is_not(None),
            Respondent.channel == Channel.TELEGRAM)


def _seconds_between(session: AsyncSession, later: Any, earlier: Any) -> ColumnElement[float]:
    """later - earlier in seconds, in the SQL of the session's database (SQLite or PostgreSQL)."""
    if session.bind.dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * _SECONDS_PER_DAY
    return cast(func.extract("epoch", later - earlier), Float)
