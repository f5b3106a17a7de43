"""Data-quality flags of a survey, for the lead's summary and export.

Flags are read from the tallies of each submitted response (bot/adapters/storage/tallies.py). The first two
only point at respondents for a closer look; nobody is left out of a score because of them:
- straight-lining: a submitted respondent rated at least half the items (10 of 19; "not applicable"
  answers are not ratings) and gave every rated item the same rating
  (scoring.quality.straight_lining_minimum);
- speeding: a Telegram respondent submitted in under a third of the median completion time
  (submitted_at - joined_at) of the survey's submitted Telegram respondents. Paper responses have no
  completion time and are never flagged.
- all not applicable: a submitted respondent answered every item "not applicable". Such a response
  rates nothing, so it moves no item's α; it is not counted among the scored respondents either.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.tables import Respondent

SPEEDING_SHARE_OF_MEDIAN = 1 / 3


@dataclass(frozen=True)
class QualityFlags:
    """Respondent numbers (ascending) flagged for a closer look, and the median completion time."""

    straight_liners: tuple[int, ...]
    speeders: tuple[int, ...]
    median_seconds: float | None
    all_not_applicable: tuple[int, ...] = ()


async def quality_flags(sessions: Sessions, survey_id: int) -> QualityFlags:
    """Straight-liners, speeders and all-"not applicable" responses among the tallied respondents (see
    `tally_submitted`)."""
    completion = Respondent.completion_seconds
    timed = (Respondent.survey_id == survey_id, completion.is_not(None))
    async with sessions() as session:
        straight = list((await session.execute(
            select(Respondent.number)
            .where(Respondent.survey_id == survey_id, Respondent.straight_lined.is_(True))
            .order_by(Respondent.number)
        )).scalars())
        all_not_applicable = list((await session.execute(
            select(Respondent.number)
            .where(Respondent.survey_id == survey_id, Respondent.rated_items == 0)
            .order_by(Respondent.number)
        )).scalars())
        median = await _median(session, completion, timed)
        speeders: list[int] = []
        if median is not None and median > 0:
            query = (select(Respondent.number)
                     .where(*timed, completion < median * SPEEDING_SHARE_OF_MEDIAN)
                     .order_by(Respondent.number))
            speeders = list((await session.execute(query)).scalars())
    return QualityFlags(tuple(straight), tuple(speeders), median, tuple(all_not_applicable))


async def _median(session: AsyncSession, value: ColumnElement[float],
                  where: tuple[ColumnElement[bool], ...]) -> float | None:
    """The median of `value` over the rows matching `where` (mean of the middle two if even)."""
    n = (await session.execute(select(func.count()).select_from(Respondent).where(*where))).scalar_one()
    if n == 0:
        return None
    middle = select(value).where(*where).order_by(value).offset((n - 1) // 2).limit(2 - n % 2)
    values = [float(v) for v in (await session.execute(middle)).scalars()]
    return sum(values) / len(values)
