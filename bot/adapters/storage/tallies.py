"""Tallies that spare a lead's summary from reading every answer of a survey.

- At submission, in the transaction that marks the response submitted (so exactly once, whichever bot
  process handles it), its answers are added to the survey's item × rating counts ("not applicable"
  counted under rating 0) and its ratings to the item-pair counts (for each two items it rated, the
  two ratings; scoring/confidence.py needs them once anyone answers "not applicable"). Submitted
  answers are final, so the counts never need correcting.
- Before a summary, every submitted respondent not tallied yet gets the number of items it rated, its
  total (Σ weight × α; None when it answered any item "not applicable": such a total covers fewer
  items and is not comparable, and N/A is never counted as 0), its straight-lining flag and its
  completion time written on its row. The total needs the spec's weights, which storage does not know
  at submission; writing these columns is idempotent, so two summaries running at once do no harm.

Straight-lining: at least `scoring.quality.straight_lining_minimum(items)` items rated (half the spec's
items, rounded up: 10 of 19) and every rated item given the same rating; "not applicable" answers are
left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import aliased

from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.tables import Answer, Channel, ItemPairCount, ItemRatingCount, Respondent
from bot.adapters.storage.upsert import Executor, dialect_insert, dialect_name
from scoring.quality import straight_lining_minimum

_SECONDS_PER_DAY = 86400.0
NOT_APPLICABLE_COUNTED_AS = 0
"""The rating under which item_rating_count keeps the "not applicable" answers (its key cannot be NULL)."""


@dataclass(frozen=True)
class Weighting:
    """A spec's scoring weights: α of each rating (1–5) and the points of each item."""

    alphas_by_rating: Mapping[int, float]
    weights_by_item: Mapping[str, float]


def count_answers(connection: Connection, respondent_id: int) -> None:
    """Add one respondent's answers to its survey's item × rating counts ("not applicable" under rating
    0) and item-pair counts; call it once, on submission (synchronous: it runs inside the step that
    submits, `engine.in_one_go`)."""
    rating = func.coalesce(Answer.rating, literal_column(str(NOT_APPLICABLE_COUNTED_AS)))
    per_rating = (
        select(Respondent.survey_id, Answer.item_code, rating, func.count())
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Answer.respondent_id == respondent_id)
        .group_by(Respondent.survey_id, Answer.item_code, rating)
        .order_by(Answer.item_code, rating)  # one lock order for submissions running side by side
    )
    insert = dialect_insert(connection, ItemRatingCount).from_select(
        ["survey_id", "item_code", "rating", "respondents"], per_rating)
    connection.execute(insert.on_conflict_do_update(
        index_elements=["survey_id", "item_code", "rating"],
        set_={"respondents": ItemRatingCount.respondents + insert.excluded.respondents},
    ))
    first, second = aliased(Answer), aliased(Answer)
    per_pair = (
        select(Respondent.survey_id, first.item_code, second.item_code, first.rating, second.rating, func.count())
        .select_from(first)
        .join(second, and_(second.respondent_id == first.respondent_id, first.item_code < second.item_code))
        .join(Respondent, Respondent.id == first.respondent_id)
        .where(first.respondent_id == respondent_id, first.rating.is_not(None), second.rating.is_not(None))
        .group_by(Respondent.survey_id, first.item_code, second.item_code, first.rating, second.rating)
        .order_by(first.item_code, second.item_code, first.rating, second.rating)
    )
    pair_insert = dialect_insert(connection, ItemPairCount).from_select(
        ["survey_id", "item_a", "item_b", "rating_a", "rating_b", "respondents"], per_pair)
    connection.execute(pair_insert.on_conflict_do_update(
        index_elements=["survey_id", "item_a", "item_b", "rating_a", "rating_b"],
        set_={"respondents": ItemPairCount.respondents + pair_insert.excluded.respondents},
    ))


async def tally_submitted(sessions: Sessions, survey_id: int, weighting: Weighting) -> int:
    """Write rated items, total, straight-lining flag and completion time on each submitted respondent of
    the survey that has none yet; the number of respondents tallied."""
    minimum = straight_lining_minimum(len(weighting.weights_by_item))
    of_this_respondent = Answer.respondent_id == Respondent.id
    rated = select(func.count(Answer.rating)).where(of_this_respondent)
    total = select(case(
        (func.count() == func.count(Answer.rating), func.coalesce(func.sum(_points(weighting)), 0.0)),
        else_=None,
    )).where(of_this_respondent)
    straight = select(case(
        (and_(func.count(Answer.rating) >= minimum, func.min(Answer.rating) == func.max(Answer.rating)), True),
        else_=False,
    )).where(of_this_respondent)
    async with sessions.begin() as session:
        completion = case(
            (Respondent.channel == Channel.TELEGRAM,
             _seconds_between(session, Respondent.submitted_at, Respondent.joined_at)),
            else_=None,
        )
        result = await session.execute(
            update(Respondent)
            .where(Respondent.survey_id == survey_id, Respondent.submitted_at.is_not(None),
                   Respondent.rated_items.is_(None))
            .values(rated_items=rated.scalar_subquery(), total_score=total.scalar_subquery(),
                    straight_lined=straight.scalar_subquery(), completion_seconds=completion)
        )
        return result.rowcount


def _points(weighting: Weighting) -> ColumnElement[float]:
    """weight(item) × α(rating) of an answer; items or ratings outside the spec count 0."""
    weight = case(
        {code: literal(w, Float) for code, w in weighting.weights_by_item.items()},
        value=Answer.item_code, else_=literal(0.0, Float),
    )
    alpha = case(
        {rating: literal(a, Float) for rating, a in weighting.alphas_by_rating.items()},
        value=Answer.rating, else_=literal(0.0, Float),
    )
    return weight * alpha


def _seconds_between(session: Executor, later: Any, earlier: Any) -> ColumnElement[float]:
    """later - earlier in seconds, in the SQL of the session's database (SQLite or PostgreSQL)."""
    if dialect_name(session) == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * _SECONDS_PER_DAY
    return cast(func.extract("epoch", later - earlier), Float)
