"""Survey figures computed by the database: histograms, per-respondent totals, progress counts.

Only submitted respondents count in histograms and totals, which are read from the tallies
(bot/adapters/storage/tallies.py). Nothing here reads every answer. In a histogram the key None
counts the "not applicable" answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, case, exists, func, select

from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.tables import Answer, ItemPairCount, ItemRatingCount, Respondent
from bot.adapters.storage.tallies import NOT_APPLICABLE_COUNTED_AS


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


async def item_histograms(sessions: Sessions, survey_id: int) -> dict[str, dict[int | None, int]]:
    """{item code: {rating: number of submitted respondents who chose it}}, the key None for "not
    applicable"; unchosen ratings absent."""
    query = (
        select(ItemRatingCount.item_code, ItemRatingCount.rating, ItemRatingCount.respondents)
        .where(ItemRatingCount.survey_id == survey_id, ItemRatingCount.respondents > 0)
        .order_by(ItemRatingCount.item_code, ItemRatingCount.rating)
    )
    histograms: dict[str, dict[int | None, int]] = {}
    async with sessions() as session:
        for item_code, rating, count in await session.execute(query):
            key = None if rating == NOT_APPLICABLE_COUNTED_AS else rating
            histograms.setdefault(item_code, {})[key] = count
    return histograms


async def item_histograms_by_channel(sessions: Sessions, survey_id: int) -> dict[str, dict[str, dict[int | None, int]]]:
    """{channel: {item code: {rating: submitted respondents of that channel who chose it}}}, None for
    "not applicable": one GROUP BY over the survey's submitted answers (the tallies are not per channel),
    at most channels × items × 6 rows."""
    query = (
        select(Respondent.channel, Answer.item_code, Answer.rating, func.count())
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Respondent.survey_id == survey_id, Respondent.submitted_at.is_not(None))
        .group_by(Respondent.channel, Answer.item_code, Answer.rating)
    )
    by_channel: dict[str, dict[str, dict[int | None, int]]] = {}
    async with sessions() as session:
        for channel, item_code, rating, count in await session.execute(query):
            by_channel.setdefault(str(channel), {}).setdefault(item_code, {})[rating] = count
    return by_channel


async def pair_histograms(sessions: Sessions, survey_id: int) -> dict[tuple[str, str], dict[tuple[int, int], int]]:
    """{(item, other item): {(its rating, the other's rating): submitted respondents who rated both so}},
    each pair once, its codes in Python's text order (at most 171 pairs × 25 rows for 19 items)."""
    query = (
        select(ItemPairCount.item_a, ItemPairCount.item_b, ItemPairCount.rating_a, ItemPairCount.rating_b,
               ItemPairCount.respondents)
        .where(ItemPairCount.survey_id == survey_id, ItemPairCount.respondents > 0)
    )
    pairs: dict[tuple[str, str], dict[tuple[int, int], int]] = {}
    async with sessions() as session:
        for item_a, item_b, rating_a, rating_b, count in await session.execute(query):
            if item_b < item_a:  # the database's collation may order codes otherwise than Python
                item_a, item_b, rating_a, rating_b = item_b, item_a, rating_b, rating_a
            pair = pairs.setdefault((item_a, item_b), {})
            pair[rating_a, rating_b] = pair.get((rating_a, rating_b), 0) + count
    return pairs


async def rated_respondents(sessions: Sessions, survey_id: int) -> int:
    """How many tallied respondents rated at least one item (the scored ones; "all not applicable"
    responses are not scored)."""
    query = select(func.count()).where(Respondent.survey_id == survey_id, Respondent.rated_items > 0)
    async with sessions() as session:
        return (await session.execute(query)).scalar_one()


async def total_stats(sessions: Sessions, survey_id: int) -> TotalStats:
    """n, Σ total and Σ total² over the tallied respondents (see `tally_submitted`), where a respondent's
    total is Σ weight(item) × α(rating) over their answers. Respondents who answered any item "not
    applicable" have no total and are not among them."""
    total = Respondent.total_score
    query = select(
        func.count(total), func.coalesce(func.sum(total), 0.0), func.coalesce(func.sum(total * total), 0.0),
    ).where(Respondent.survey_id == survey_id, total.is_not(None))
    async with sessions() as session:
        n, total_sum, total_of_squares = (await session.execute(query)).one()
    return TotalStats(n, float(total_sum), float(total_of_squares))
