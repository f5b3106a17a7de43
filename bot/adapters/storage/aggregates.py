"""Survey figures computed by the database: histograms, per-respondent totals, progress counts.

Only submitted respondents count in histograms and totals, which are read from the tallies
(bot/adapters/storage/tallies.py). Nothing here reads every answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, case, exists, func, select

from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.tables import Answer, ItemRatingCount, Respondent


class TotalStats(NamedTuple):
    """Count, sum and sum of squares of the per-respondent totals (Σ weight × α over items)."""

    n: int
    total: float
    total_of_squares: float


@dataclass(frozen=True)
class ProgressCounts:
    """Respondents who joined; who answered something but have not submitted; who submitted."""

    joined: int
    started: int
    submitted: int


def progress_by_survey() -> Select[Any]:
    """A query of (survey_id, joined, started, submitted) per survey that has respondents."""
    has_answer = exists().where(Answer.respondent_id == Respondent.id)
    started = case((and_(Respondent.submitted_at.is_(None), has_answer), 1), else_=0)
    return select(
        Respondent.survey_id.label("survey_id"),
        func.count(Respondent.id).label("joined"),
        func.coalesce(func.sum(started), 0).label("started"),
        func.count(Respondent.submitted_at).label("submitted"),
    ).group_by(Respondent.survey_id)


async def progress_counts(sessions: Sessions, survey_id: int) -> ProgressCounts:
    query = progress_by_survey().where(Respondent.survey_id == survey_id)
    async with sessions() as session:
        row = (await session.execute(query)).one_or_none()
    if row is None:
        return ProgressCounts(0, 0, 0)
    return ProgressCounts(joined=row.joined, started=int(row.started), submitted=row.submitted)


async def item_histograms(sessions: Sessions, survey_id: int) -> dict[str, dict[int, int]]:
    """{item code: {rating: number of submitted respondents who chose it}}; unchosen ratings absent."""
    query = (
        select(ItemRatingCount.item_code, ItemRatingCount.rating, ItemRatingCount.respondents)
        .where(ItemRatingCount.survey_id == survey_id, ItemRatingCount.respondents > 0)
        .order_by(ItemRatingCount.item_code, ItemRatingCount.rating)
    )
    histograms: dict[str, dict[int, int]] = {}
    async with sessions() as session:
        for item_code, rating, count in await session.execute(query):
            histograms.setdefault(item_code, {})[rating] = count
    return histograms


async def total_stats(sessions: Sessions, survey_id: int) -> TotalStats:
    """n, Σ total and Σ total² over the tallied respondents (see `tally_submitted`), where a respondent's
    total is Σ weight(item) × α(rating) over their answers."""
    total = Respondent.total_score
    query = select(
        func.count(total), func.coalesce(func.sum(total), 0.0), func.coalesce(func.sum(total * total), 0.0),
    ).where(Respondent.survey_id == survey_id, total.is_not(None))
    async with sessions() as session:
        n, total_sum, total_of_squares = (await session.execute(query)).one()
    return TotalStats(n, float(total_sum), float(total_of_squares))
