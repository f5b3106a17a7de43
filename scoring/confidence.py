"""How sure the service score is: a 95 % confidence interval and whether more responses could move the grade.

Without "not applicable" answers the input is three aggregates of the per-respondent totals (n,
Σ total, Σ total²), which SQL computes in one query, and the interval is Student's t over those
totals (`confidence_interval`).

With "not applicable" answers the per-respondent totals cover different items and are not comparable.
`service_interval` then uses the delta method (Taylor linearization) for the sum of item means, each
mean over its own raters: with n scored respondents, n_i raters of item i, mean α ᾱ_i and

    C_ij = Σ over the respondents who rated both i and j of (α_ri − ᾱ_i)(α_rj − ᾱ_j)

the variance of the service score S = Σ w_i ᾱ_i is

    V = n / (n − 1) × Σ_i Σ_j w_i w_j C_ij / (n_i n_j).

C_ii comes from item i's histogram, C_ij from the pair histogram of items i and j (how many respondents
rated i with k and j with l), both tallied by the database at submission. Without "not applicable"
n_i = n and V = Σ_r (T_r − S)² / (n (n − 1)) = sd² / n, the square of the t-interval's standard error:
the two methods agree, and `service_interval` then uses the old formula itself so that the figures
stay identical to the digit. The interval is S ± t(0.975, n − 1) √V with sd = √(n V), so
`responses_to_settle` (which assumes new responses spread like these, N/A answers included) works
on either. Every interval is clipped to the 0-100 scale the score lives on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scoring.rounding import display
from scoring.service import Histogram, Rating, alpha_of, item_scores, service_score
from scoring.student_t import t_quantile
from specs.model import Spec

PairHistogram = Mapping[tuple[int, int], int]
"""(rating of the first item, rating of the second) → respondents who rated both items so."""
PairHistograms = Mapping[tuple[str, str], PairHistogram]
"""(item code, item code) → the pair histogram of those two items; either order of a pair may be given
(the first rating belongs to the first code of the key). Pairs nobody rated both of may be absent."""

CONFIDENCE = 0.95
HALF_DISPLAY_UNIT = 0.05
"""A raw score displays as threshold T (and earns its grade) from T − 0.05 up, see scoring.rounding."""


@dataclass(frozen=True)
class TotalsSummary:
    """Aggregates of the per-respondent totals of the submitted responses."""

    n: int
    total: float
    total_of_squares: float

    @classmethod
    def of(cls, totals: Iterable[float]) -> TotalsSummary:
        values = list(totals)
        return cls(len(values), sum(values), sum(v * v for v in values))


@dataclass(frozen=True)
class ConfidenceInterval:
    mean: float
    sd: float
    n: int
    low: float
    high: float


def confidence_interval(summary: TotalsSummary) -> ConfidenceInterval | None:
    """The 95 % interval of the mean per-respondent total; None with fewer than two respondents."""
    n = summary.n
    if n < 2:
        return None
    mean = summary.total / n
    variance = max(0.0, (summary.total_of_squares - summary.total * mean) / (n - 1))
    sd = math.sqrt(variance)
    half_width = _half_width(sd, n)
    return ConfidenceInterval(mean, sd, n, max(0.0, mean - half_width), min(100.0, mean + half_width))


def service_interval(spec: Spec, histograms: Mapping[str, Histogram], totals: TotalsSummary,
                     respondents: int | None = None,
                     pairs: PairHistograms | None = None) -> ConfidenceInterval | None:
    """The 95 % interval of the service score of the submitted responses.

    `respondents` counts the scored respondents (those who rated at least one item; default
    `totals.n`). None with fewer than two, and while an item has no rating (the score is undetermined).
    When every scored respondent rated every item this is `confidence_interval(totals)`; otherwise the
    delta method over `histograms` and `pairs` (see the module docstring), which needs `pairs`.
    """
    n = totals.n if respondents is None else respondents
    items = item_scores(spec, histograms)
    if n < 2 or any(item.n == 0 for item in items):
        return None
    if all(item.n == n for item in items):
        return confidence_interval(totals)
    if pairs is None:
        raise ValueError("some respondents answered \"not applicable\": the interval needs the pair histograms")
    return delta_method_interval(spec, histograms, pairs, n)


def needs_pair_histograms(spec: Spec, histograms: Mapping[str, Histogram], respondents: int) -> bool:
    """Whether `service_interval` will use the delta method (and so the pair histograms): some scored
    respondent left an item unrated, every item has a rating, and there are at least two respondents."""
    items = item_scores(spec, histograms)
    return respondents >= 2 and all(item.n > 0 for item in items) and any(item.n != respondents for item in items)


def delta_method_interval(spec: Spec, histograms: Mapping[str, Histogram], pairs: PairHistograms,
                          n: int) -> ConfidenceInterval | None:
    """The 95 % interval S ± t(n − 1) √V of the service score by the delta method (module docstring):
    item means over their own raters, covariances over the respondents who rated both items."""
    items = item_scores(spec, histograms)
    if n < 2 or any(item.n == 0 for item in items):
        return None
    alpha = {item.code: item.alpha for item in items}
    # a_i = w_i / n_i: item i's share of S per unit of α of one of its raters
    share = {item.code: item.weight / item.n for item in items}
    variance_sum = 0.0
    for item in items:
        deviations = sum(count * (alpha_of(spec, rating) - alpha[item.code]) ** 2
                         for rating, count in histograms[item.code].items() if rating is not None)
        variance_sum += share[item.code] ** 2 * deviations
    for index, first in enumerate(items):
        for second in items[index + 1:]:
            co = _co_deviation(spec, _pair(pairs, first.code, second.code), alpha[first.code], alpha[second.code])
            variance_sum += 2 * share[first.code] * share[second.code] * co
    variance = max(0.0, variance_sum * n / (n - 1))
    sd = math.sqrt(variance * n)
    mean = service_score(items)
    half_width = _half_width(sd, n)
    return ConfidenceInterval(mean, sd, n, max(0.0, mean - half_width), min(100.0, mean + half_width))


def pair_histograms_of(responses: Iterable[Mapping[str, Rating]],
                       item_codes: Iterable[str]) -> dict[tuple[str, str], dict[tuple[int, int], int]]:
    """The pair histograms of per-respondent answers (for offline scoring; the database keeps them for the
    bot): for each two items, in the order of `item_codes`, how many respondents rated both and how."""
    codes = list(item_codes)
    pairs: dict[tuple[str, str], dict[tuple[int, int], int]] = {}
    for ratings in responses:
        rated = [(code, ratings[code]) for code in codes if ratings.get(code) is not None]
        for index, (first, a) in enumerate(rated):
            for second, b in rated[index + 1:]:
                pair = pairs.setdefault((first, second), {})
                pair[a, b] = pair.get((a, b), 0) + 1
    return pairs


def _pair(pairs: PairHistograms, first: str, second: str) -> PairHistogram:
    """The pair histogram of (first, second), whichever order the key was given in."""
    if (first, second) in pairs:
        return pairs[first, second]
    return {(b, a): count for (a, b), count in pairs.get((second, first), {}).items()}


def _co_deviation(spec: Spec, pair: PairHistogram, mean_first: float, mean_second: float) -> float:
    """Σ over the respondents who rated both items of (α_first − mean_first)(α_second − mean_second)."""
    return sum(count * (alpha_of(spec, a) - mean_first) * (alpha_of(spec, b) - mean_second)
               for (a, b), count in pair.items())


def grade_band(spec: Spec, score: float) -> int:
    """Which band of the §5.3 service thresholds the displayed `score` is in (0 = below the lowest).

    With TBSC120's thresholds 60, 80, 90, 95 the bands are [0,60), [60,80), [80,90), [90,95), [95,100].
    """
    shown = display(score)
    return sum(1 for threshold in _thresholds(spec) if shown >= display(threshold))


def grade_settled(spec: Spec, interval: ConfidenceInterval) -> bool:
    """True when the whole interval lies in one band, so more responses would hardly change the grade."""
    return grade_band(spec, interval.low) == grade_band(spec, interval.high)


def responses_to_settle(spec: Spec, interval: ConfidenceInterval) -> int | None:
    """About how many further responses would shrink the interval into the band the mean is in.

    Assumes the new responses spread like the ones so far (same standard deviation, same mean). None when
    the interval is settled already, and also when the mean sits exactly on a band edge: then no number
    of responses of this spread fits it into one band.
    """
    if grade_settled(spec, interval):
        return None
    room = _room_in_band(spec, interval.mean)
    if room <= 0:
        return None
    # The normal approximation is a lower bound (t > z); step up from it until the t interval fits.
    needed = max(interval.n + 1, math.ceil((1.96 * interval.sd / room) ** 2))
    while _half_width(interval.sd, needed) >= room:
        needed += 1
    return needed - interval.n


def _half_width(sd: float, n: int) -> float:
    return t_quantile(0.5 + CONFIDENCE / 2, n - 1) * sd / math.sqrt(n)


def _thresholds(spec: Spec) -> list[float]:
    return sorted({row.min_service for row in spec.certification})


def _room_in_band(spec: Spec, mean: float) -> float:
    """Distance from `mean` to the nearer inner edge of its band, in raw score points."""
    edges = [threshold - HALF_DISPLAY_UNIT for threshold in _thresholds(spec)]
    below = [edge for edge in edges if edge <= mean]
    above = [edge for edge in edges if edge > mean]
    distances = ([mean - max(below)] if below else []) + ([min(above) - mean] if above else [])
    return min(distances)
