"""Service-characteristic scores (§5.1, Appendix 1): rating → α, item, characteristic and service score.

Input is aggregated data, as the database returns it with GROUP BY item, rating: for each item a
histogram {rating: number of submitted respondents who gave it}.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from specs.model import CertificationRow, Spec, Text

Histogram = Mapping[int, int]
"""rating (1-5) → number of respondents who gave that rating to one item."""


@dataclass(frozen=True)
class ItemScore:
    """One filled row of Appendix 1.

    An item nobody answered has `alpha` None and `score` 0: it earns nothing, like a blank line on
    the paper sheet, and the service score shows it. Submitted responses answer every item, so this
    only happens before the first response arrives.
    """

    code: str
    weight: int
    alpha: float | None
    score: float
    n: int


@dataclass(frozen=True)
class CharacteristicScore:
    code: str
    name: Text
    max: int
    score: float


def alpha_of(spec: Spec, rating: int) -> float:
    """The α the spec gives to Likert choice `rating` (1 远低于预期 … 5 远高于预期)."""
    if rating not in range(1, len(spec.alphas) + 1):
        raise ValueError(f"rating {rating!r} is not on the 1-5 scale")
    return spec.alphas[rating - 1]


def item_scores(spec: Spec, histograms: Mapping[str, Histogram]) -> list[ItemScore]:
    """Every Appendix 1 item in spec order: mean α over its answers and weight × mean α."""
    unknown = set(histograms) - {item.code for item in spec.items}
    if unknown:
        raise ValueError(f"items not in {spec.id}: {', '.join(sorted(unknown))}")
    scores = []
    for item in spec.items:
        histogram = histograms.get(item.code, {})
        n = sum(histogram.values())
        if n == 0:
            scores.append(ItemScore(item.code, item.weight, None, 0.0, 0))
            continue
        alpha = sum(count * alpha_of(spec, rating) for rating, count in histogram.items()) / n
        scores.append(ItemScore(item.code, item.weight, alpha, item.weight * alpha, n))
    return scores


def characteristic_scores(spec: Spec, items: list[ItemScore]) -> list[CharacteristicScore]:
    """Sum of the item scores of each characteristic (its max is the sum of its weights)."""
    by_code = {item.code: item.score for item in items}
    return [
        CharacteristicScore(c.code, c.name, c.max, sum(by_code.get(i.code, 0.0) for i in c.items))
        for c in spec.characteristics
    ]


def service_score(items: list[ItemScore]) -> float:
    """The service score (0-100): the sum of all item scores. Show it with `rounding.display`."""
    return sum(item.score for item in items)


def respondent_total(spec: Spec, ratings: Mapping[str, int]) -> float:
    """One respondent's own total, Σ weight × α over the items they rated (§5.1.2 averages these)."""
    return sum(spec.item(code).weight * alpha_of(spec, rating) for code, rating in ratings.items())


def service_grade(spec: Spec, displayed_score: Decimal) -> Text | None:
    """The highest §5.3 grade the service score alone reaches, management aside; None below all."""
    row = graded_row_reached(spec, displayed_score)
    return row.grade if row is not None else None


def graded_row_reached(spec: Spec, displayed_score: Decimal) -> CertificationRow | None:
    """The highest §5.3 row with a grade whose service condition `displayed_score` meets."""
    return next(
        (row for row in spec.certification
         if row.grade is not None and displayed_score >= Decimal(repr(row.min_service))),
        None,
    )
