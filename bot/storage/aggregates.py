"""Survey figures computed by the database: histograms, per-respondent totals, progress counts.

Only submitted respondents count in histograms and totals. Nothing here loads every answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Float, Select, and_, case, exists, func, literal, select

from bot.storage.engine import Sessions
from bot.storage.tables import Answer, Respondent


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
        select(Answer.item_code, Answer.rating, func.count())
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Respondent.survey_id == survey_id, Respondent.submitted_at.is_not(None))
        .group_by(Answer.item_code, Answer.rating)
        .order_by(Answer.item_code, Answer.rating)
    )
    histograms: dict[str, dict[int, int]] = {}
    async with sessions() as session:
        for item_code, rating, count in await session.execute(query):
            histograms.setdefault(item_code, {})[rating] = count
    return histograms


async def total_stats(
    sessions: Sessions,
    survey_id: int,
    alphas_by_rating: Mapping[int, float],
    weights_by_item: Mapping[str, float],
) -> TotalStats:
    """n, Σ total and Σ total² over submitted respondents, where a respondent's total is
    Σ weight(item) × α(rating) over their answers; items missing from `weights_by_item` weigh 0."""
    weight = case(
        {code: literal(w, Float) for code, w in weights_by_item.items()},
        value=Answer.item_code, else_=literal(0.0, Float),
    )
    alpha = case(
        {rating: literal(a, Float) for rating, a in alphas_by_rating.items()},
        value=Answer.rating, else_=literal(0.0, Float),
    )
    per_respondent = (
        select(func.sum(weight * alpha).label("total"))
        .select_from(Respondent)
        .join(Answer, Answer.respondent_id == Respondent.id)
        .where(Respondent.survey_id == survey_id, Respondent.submitted_at.is_not(None))
        .group_by(Respondent.id)
        .subquery()
    )
    query = select(
        func.count(),
        func.coalesce(func.sum(per_respondent.c.total), 0.0),
        func.coalesce(func.sum(per_respondent.c.total * per_respondent.c.total), 0.0),
    ).select_from(per_respondent)
    async with sessions() as session:
        n, total, total_of_squares = (await session.execute(query)).one()
    return TotalStats(n, float(total), float(total_of_squares))
