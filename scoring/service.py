"""Service-characteristic scores (§5.1, Appendix 1): rating → α, item, characteristic and service score.

Input is aggregated data, as the database returns it with GROUP BY item, rating: for each item a
histogram {rating: number of submitted respondents who gave it}, where the key None counts the
respondents who answered "not applicable" (不适用 / 没有经历).

Rule 2 of docs/DESIGN.md: an item's α is the mean over the respondents who RATED it ("not applicable"
is left out of that item's mean); item score = weight × α; characteristic score = sum of its items;
service score = sum of all item scores. An item nobody rated leaves the service score undetermined
(`service_result`), never zero. Without "not applicable" answers every figure is what it was before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from specs.model import CertificationRow, Spec, Text

NOT_APPLICABLE = None
"""The rating of a "not applicable" answer (NULL in the answer table, "NA" in answer files)."""

Rating = int | None
"""A Likert choice 1-5, or NOT_APPLICABLE."""

Histogram = Mapping[Rating, int]
"""rating (1-5) → number of respondents who gave that rating to one item; NOT_APPLICABLE → how many
answered "not applicable"."""


@dataclass(frozen=True)
class ItemScore:
    """One filled row of Appendix 1.

    `n` counts the respondents who rated the item, `not_applicable` those who answered "not
    applicable". An item nobody rated has `alpha` None and `score` 0 and is named by
    `service_result`, which then gives no service score: its score is unknown, not zero.
    """

    code: str
    weight: int
    alpha: float | None
    score: float
    n: int
    not_applicable: int = 0

    @property
    def rated(self) -> bool:
        return self.n > 0


@dataclass(frozen=True)
class CharacteristicScore:
    """The sum of a characteristic's item scores; `unrated` names its items nobody rated (then the
    sum is incomplete and the characteristic score undetermined)."""

    code: str
    name: Text
    max: int
    score: float
    unrated: tuple[str, ...] = ()

    @property
    def determined(self) -> bool:
        return not self.unrated


@dataclass(frozen=True)
class ServiceResult:
    """The service score (0-100) or, when an item has no rating at all, why there is none.

    `score` is the raw sum of the item scores (show it with `rounding.display`), None while
    `unrated` names items that nobody has rated yet.
    """

    score: float | None
    unrated: tuple[str, ...] = ()

    @property
    def determined(self) -> bool:
        return self.score is not None


def alpha_of(spec: Spec, rating: int) -> float:
    """The α the spec gives to Likert choice `rating` (1 远低于预期 … 5 远高于预期)."""
    if rating not in range(1, len(spec.alphas) + 1):
        raise ValueError(f"rating {rating!r} is not on the 1-5 scale")
    return spec.alphas[rating - 1]


def item_scores(spec: Spec, histograms: Mapping[str, Histogram]) -> list[ItemScore]:
    """Every Appendix 1 item in spec order: mean α over its ratings ("not applicable" left out) and
    weight × mean α."""
    unknown = set(histograms) - {item.code for item in spec.items}
    if unknown:
        raise ValueError(f"items not in {spec.id}: {', '.join(sorted(unknown))}")
    scores = []
    for item in spec.items:
        histogram = histograms.get(item.code, {})
        not_applicable = histogram.get(NOT_APPLICABLE, 0)
        ratings = {rating: count for rating, count in histogram.items() if rating is not NOT_APPLICABLE}
        n = sum(ratings.values())
        if n == 0:
            scores.append(ItemScore(item.code, item.weight, None, 0.0, 0, not_applicable))
            continue
        alpha = sum(count * alpha_of(spec, rating) for rating, count in ratings.items()) / n
        scores.append(ItemScore(item.code, item.weight, alpha, item.weight * alpha, n, not_applicable))
    return scores


def histograms_of(responses: Iterable[Mapping[str, Rating]], item_codes: Iterable[str]) -> dict[str, dict[Rating, int]]:
    """item → rating → count over per-respondent answers, as the database's GROUP BY returns it (for
    offline scoring; the bot reads the counts the database keeps)."""
    counts: dict[str, dict[Rating, int]] = {code: {} for code in item_codes}
    for ratings in responses:
        for code, rating in ratings.items():
            counts[code][rating] = counts[code].get(rating, 0) + 1
    return counts


def unrated_items(items: Iterable[ItemScore]) -> tuple[str, ...]:
    """The codes of the items nobody rated, in the order given."""
    return tuple(item.code for item in items if not item.rated)


def characteristic_scores(spec: Spec, items: list[ItemScore]) -> list[CharacteristicScore]:
    """Sum of the item scores of each characteristic (its max is the sum of its weights)."""
    by_code = {item.code: item for item in items}
    scores = []
    for c in spec.characteristics:
        mine = [by_code[i.code] for i in c.items if i.code in by_code]
        scores.append(CharacteristicScore(c.code, c.name, c.max, sum(item.score for item in mine),
                                          unrated_items(mine)))
    return scores


def service_score(items: list[ItemScore]) -> float:
    """The plain sum of all item scores (an unrated item adds 0). The service score is
    `service_result`, which refuses to give one while an item has no rating."""
    return sum(item.score for item in items)


def service_result(items: list[ItemScore]) -> ServiceResult:
    """The service score (0-100), the sum of all item scores; undetermined (score None, the unrated
    items named) while any item has no rating at all."""
    unrated = unrated_items(items)
    return ServiceResult(None if unrated else service_score(items), unrated)


def responses_to_determine(items: list[ItemScore]) -> int:
    """How many more submitted responses an undetermined score needs at the least: one that rates every
    unrated item is enough (0 when the score is determined)."""
    return 1 if unrated_items(items) else 0


def respondent_total(spec: Spec, ratings: Mapping[str, Rating]) -> float | None:
    """One respondent's own total, Σ weight × α over the items they rated (§5.1.2 averages these).

    None when they answered any item "not applicable": their total then covers fewer items than
    another's and the two are not comparable (see scoring.confidence for what replaces them).
    """
    if any(rating is NOT_APPLICABLE for rating in ratings.values()):
        return None
    return sum(spec.item(code).weight * alpha_of(spec, rating) for code, rating in ratings.items())


def rated_count(ratings: Mapping[str, Rating]) -> int:
    """How many items a respondent rated (answers other than "not applicable")."""
    return sum(1 for rating in ratings.values() if rating is not NOT_APPLICABLE)


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
