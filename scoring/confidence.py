"""How sure the service score is: a 95 % confidence interval and whether more responses could move the grade.

Input is three aggregates of the per-respondent totals (n, Σ total, Σ total²), which SQL computes in
one query. The interval uses Student's t with n − 1 degrees of freedom and is clipped to the 0-100
scale the score lives on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from scoring.rounding import display
from scoring.student_t import t_quantile
from specs.model import Spec

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
