"""Confidence of the service score: t quantiles against printed tables, intervals worked out by hand."""

from __future__ import annotations

import pytest

from scoring.confidence import (
    TotalsSummary,
    confidence_interval,
    grade_band,
    grade_settled,
    responses_to_settle,
)
from scoring.student_t import t_cdf, t_quantile
from specs import load_catalog

SPEC = load_catalog().get("TBSC120")


@pytest.mark.parametrize(("df", "table"), [(1, 12.706), (2, 4.303), (4, 2.776), (9, 2.262), (29, 2.045),
                                           (120, 1.980)])
def test_t_quantile_matches_the_printed_table(df, table):
    assert t_quantile(0.975, df) == pytest.approx(table, abs=5e-4)


def test_t_distribution_is_symmetric_and_consistent():
    assert t_quantile(0.025, 4) == pytest.approx(-2.776, abs=5e-4)
    assert t_cdf(t_quantile(0.9, 7), 7) == pytest.approx(0.9, abs=1e-9)
    assert t_cdf(0.0, 3) == pytest.approx(0.5)


def test_interval_by_hand():
    # totals 91, 92, 93: mean 92, sd 1, se 1/√3 = 0.57735, t(0.975, 2) = 4.3027 → half-width 2.4841
    interval = confidence_interval(TotalsSummary.of([91, 92, 93]))
    assert (interval.n, interval.mean, interval.sd) == (3, pytest.approx(92), pytest.approx(1))
    assert interval.low == pytest.approx(89.5159, abs=1e-4)
    assert interval.high == pytest.approx(94.4841, abs=1e-4)


def test_interval_from_sql_style_aggregates():
    # n = 3, Σ = 276, Σ² = 91² + 92² + 93² = 25394: the same interval as above
    assert confidence_interval(TotalsSummary(3, 276, 25394)) == confidence_interval(
        TotalsSummary.of([91, 92, 93]))


def test_interval_is_clipped_to_the_score_scale():
    # totals 80, 100: mean 90, sd 14.142, t(0.975, 1) = 12.706 → ±127: clipped to [0, 100]
    interval = confidence_interval(TotalsSummary.of([80, 100]))
    assert (interval.low, interval.high) == (0.0, 100.0)


def test_fewer_than_two_respondents_give_no_interval():
    assert confidence_interval(TotalsSummary.of([])) is None
    assert confidence_interval(TotalsSummary.of([88.0])) is None


@pytest.mark.parametrize(("score", "band"), [(0, 0), (59.94, 0), (59.95, 1), (79.9, 1), (80, 2), (89.95, 3),
                                             (94.94, 3), (95, 4), (100, 4)])
def test_grade_bands_follow_the_displayed_score(score, band):
    assert grade_band(SPEC, score) == band


def test_interval_across_a_threshold_is_unsettled_and_needs_more_responses():
    # [89.52, 94.48] straddles 90. The mean 92 sits in [89.95, 94.95): room 92 − 89.95 = 2.05.
    # n = 3: t(2) × 1/√3 = 2.484 (too wide); n = 4: t(3) × 1/√4 = 3.182 / 2 = 1.591 < 2.05 → 1 more.
    interval = confidence_interval(TotalsSummary.of([91, 92, 93]))
    assert not grade_settled(SPEC, interval)
    assert responses_to_settle(SPEC, interval) == 1


def test_narrow_interval_inside_one_band_is_settled():
    # ten totals alternating 91 and 93: mean 92, sd √(10/9) = 1.0541, se 0.33333, t(9) = 2.2622
    # → half-width 0.7541 → [91.25, 92.75], all inside [90, 95)
    interval = confidence_interval(TotalsSummary.of([91, 93] * 5))
    assert interval.low == pytest.approx(91.2459, abs=1e-4)
    assert grade_settled(SPEC, interval)
    assert responses_to_settle(SPEC, interval) is None


def test_wide_spread_needs_many_responses():
    # totals 70, 90, 70, 90: mean 80 sits in [79.95, 89.95), only 0.05 above its lower edge;
    # sd = √(4 × 100 / 3) = 11.547 → about (1.96 × 11.547 / 0.05)² = 204 886 responses in all,
    # the t value (barely above 1.96 at that size) adds a handful.
    interval = confidence_interval(TotalsSummary.of([70, 90, 70, 90]))
    more = responses_to_settle(SPEC, interval)
    assert 204_886 - 4 <= more <= 204_886 + 10
