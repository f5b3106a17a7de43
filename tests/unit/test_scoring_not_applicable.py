""""Not applicable" (不适用 / 没有经历) in the scoring rules, worked out by hand on TBSC120.

TBSC120 weights: item 1.2 is 7, item 7 is 8, the other 17 items are 5 (100 in all); α = rating / 5.
NA below is scoring.service.NOT_APPLICABLE (None): the respondent answered "not applicable".
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.confidence import (
    TotalsSummary,
    confidence_interval,
    delta_method_interval,
    grade_settled,
    pair_histograms_of,
    responses_to_settle,
    service_interval,
)
from scoring.rounding import display
from scoring.service import (
    NOT_APPLICABLE,
    characteristic_scores,
    histograms_of,
    item_scores,
    rated_count,
    respondent_total,
    responses_to_determine,
    service_result,
    service_score,
)
from specs import load_catalog

SPEC = load_catalog().get("TBSC120")
CODES = [item.code for item in SPEC.items]
NA = NOT_APPLICABLE


def everything(rating: int, **overrides: int | None) -> dict[str, int | None]:
    """One respondent: `rating` for every item, except items given as i1_1=5 for 1.1 (i7 for 7)."""
    changed = {name[1:].replace("_", "."): value for name, value in overrides.items()}
    return {code: changed.get(code, rating) for code in CODES}


def scored(responses: list[dict[str, int | None]]):
    histograms = histograms_of(responses, CODES)
    items = item_scores(SPEC, histograms)
    return histograms, {item.code: item for item in items}, items


def test_a_not_applicable_answer_is_left_out_of_the_item_mean():
    # (a) Two respondents rate every item 4, except item 1.1: A answers "not applicable", B rates it 3.
    #   1.1: α = mean over its one rater B = 3 / 5 = 0.6 (not (0 + 0.6) / 2 = 0.3: N/A is not a zero);
    #        score 5 × 0.6 = 3.0; n rated 1, n N/A 1.
    #   every other item: α (0.8 + 0.8) / 2 = 0.8; their weights sum to 100 − 5 = 95 → 95 × 0.8 = 76.0.
    #   功能性 (1.1 + 1.2 + 1.3, max 17) = 3.0 + 7 × 0.8 + 5 × 0.8 = 3.0 + 5.6 + 4.0 = 12.6.
    #   service = 3.0 + 76.0 = 79.0 (N/A counted as 0 would give 1.5 + 76.0 = 77.5).
    a, b = everything(4, i1_1=NA), everything(4, i1_1=3)
    histograms, items, all_items = scored([a, b])
    assert histograms["1.1"] == {NA: 1, 3: 1}
    first = items["1.1"]
    assert (first.alpha, first.n, first.not_applicable) == (pytest.approx(0.6), 1, 1)
    assert first.score == pytest.approx(3.0)
    assert (items["1.2"].alpha, items["1.2"].n, items["1.2"].not_applicable) == (pytest.approx(0.8), 2, 0)
    characteristics = characteristic_scores(SPEC, all_items)
    assert characteristics[0].score == pytest.approx(12.6) and characteristics[0].determined
    result = service_result(all_items)
    assert result.determined and result.unrated == ()
    assert result.score == pytest.approx(79.0)
    assert display(result.score) == Decimal("79.0")
    assert responses_to_determine(all_items) == 0
    # A's own total leaves 1.1 out, so it is not comparable with B's: None, never a total with a 0 in it.
    assert respondent_total(SPEC, a) is None
    assert respondent_total(SPEC, b) == pytest.approx(3.0 + 76.0)
    assert (rated_count(a), rated_count(b)) == (18, 19)


def test_an_item_nobody_rated_leaves_the_service_score_undetermined_and_is_named():
    # (b) Two respondents rate every item 5, but both answer 3.2 "not applicable":
    #   3.2 has no rating at all: α None, n 0, n N/A 2. The other 18 items sum to 95 × 1.0 = 95.0,
    #   but that is not the service score: 3.2's score is unknown, not 0. The service score is
    #   undetermined, naming 3.2; so is characteristic 3 (3.1 + 3.2 + 3.3); one more response that
    #   rates 3.2 would determine it. No interval while undetermined.
    responses = [everything(5, i3_2=NA), everything(5, i3_2=NA)]
    histograms, items, all_items = scored(responses)
    assert (items["3.2"].alpha, items["3.2"].n, items["3.2"].not_applicable) == (None, 0, 2)
    result = service_result(all_items)
    assert result.score is None and not result.determined
    assert result.unrated == ("3.2",)
    characteristics = {c.code: c for c in characteristic_scores(SPEC, all_items)}
    assert characteristics["3"].unrated == ("3.2",) and not characteristics["3"].determined
    assert characteristics["2"].determined and characteristics["2"].score == pytest.approx(15.0)
    assert responses_to_determine(all_items) == 1
    totals = TotalsSummary.of([])
    assert service_interval(SPEC, histograms, totals, 2, pair_histograms_of(responses, CODES)) is None


def test_without_not_applicable_the_figures_are_those_of_before():
    # (c) The sample of tests/test_survey_summary.py, no N/A: A rates 1.1/1.2/1.3 as 5/5/2, B as 5/4/3,
    #   C as 4/3/4, all three rate every other item 4. As before: 1.1 α (1 + 1 + 0.8) / 3 = 0.933333,
    #   1.2 α 0.8, 1.3 α 0.6, service 79.666667 → 79.7. Totals: A = 5 + 7 + 2 + 66.4 = 80.4,
    #   B = 5 + 5.6 + 3 + 66.4 = 80.0, C = 4 + 4.2 + 4 + 66.4 = 78.6: the same t-interval as before
    #   (mean 79.666667, sd 0.9452, t(2) 4.3027 → [77.32, 82.01]).
    responses = [everything(4, i1_1=5, i1_2=5, i1_3=2), everything(4, i1_1=5, i1_2=4, i1_3=3),
                 everything(4, i1_1=4, i1_2=3, i1_3=4)]
    histograms, items, all_items = scored(responses)
    assert items["1.1"].alpha == pytest.approx(0.933333, abs=1e-6)
    assert all(item.not_applicable == 0 for item in all_items)
    result = service_result(all_items)
    assert result.score == service_score(all_items) == pytest.approx(79.666667, abs=1e-6)
    totals = TotalsSummary.of(respondent_total(SPEC, ratings) for ratings in responses)
    assert totals.total == pytest.approx(80.4 + 80.0 + 78.6)
    interval = service_interval(SPEC, histograms, totals, 3, pair_histograms_of(responses, CODES))
    assert interval == confidence_interval(totals)  # the old formula itself, to the last digit
    assert (interval.low, interval.high) == (pytest.approx(77.32, abs=0.01), pytest.approx(82.01, abs=0.01))
    # The delta method gives the same interval without N/A (module docstring of scoring.confidence):
    delta = delta_method_interval(SPEC, histograms, pair_histograms_of(responses, CODES), 3)
    assert (delta.mean, delta.sd, delta.low, delta.high) == pytest.approx(
        (interval.mean, interval.sd, interval.low, interval.high), abs=1e-9)


def test_the_interval_with_not_applicable_by_the_delta_method_by_hand():
    # Three respondents rate every item 4, except:  1.1: A 5, B 3, C N/A;  1.2: A 5, B 3, C 4.
    #   n = 3 scored. Every item mean is 0.8 (1.1: (1.0 + 0.6) / 2; 1.2: (1.0 + 0.6 + 0.8) / 3), S = 80.0.
    #   Deviations from the item means: 1.1: A +0.2, B −0.2;  1.2: A +0.2, B −0.2, C 0; others 0.
    #   C_11 = 0.04 + 0.04 = 0.08 (its 2 raters); C_22 = 0.08; C_12 over A and B (both rated both)
    #   = 0.2 × 0.2 + (−0.2) × (−0.2) = 0.08. Shares w_i / n_i: 1.1 5 / 2 = 2.5, 1.2 7 / 3.
    #   Σ = 2.5² × 0.08 + (7/3)² × 0.08 + 2 × 2.5 × 7/3 × 0.08 = 0.5 + 0.435556 + 0.933333 = 1.868889
    #   V = 3 / 2 × 1.868889 = 2.803333; sd = √(3 V) = √8.41 = 2.9; se = √V = 1.674316;
    #   t(0.975, 2) = 4.302653 → half-width 7.2040 → [72.796, 87.204].
    #   (Per respondent: z_A = 3 × (2.5 × 0.2 + 7/3 × 0.2) = 2.9, z_B = −2.9, z_C = 0;
    #   Σ z² / (n (n − 1)) = 16.82 / 6 = 2.803333, the same V.)
    responses = [everything(4, i1_1=5, i1_2=5), everything(4, i1_1=3, i1_2=3), everything(4, i1_1=NA)]
    histograms, items, all_items = scored(responses)
    assert service_result(all_items).score == pytest.approx(80.0)
    pairs = pair_histograms_of(responses, CODES)
    assert pairs["1.1", "1.2"] == {(5, 5): 1, (3, 3): 1}
    assert pairs["1.2", "1.3"] == {(5, 4): 1, (3, 4): 1, (4, 4): 1}
    totals = TotalsSummary.of(total for total in (respondent_total(SPEC, r) for r in responses) if total is not None)
    interval = service_interval(SPEC, histograms, totals, 3, pairs)
    assert (interval.n, interval.mean, interval.sd) == (3, pytest.approx(80.0), pytest.approx(2.9))
    assert interval.low == pytest.approx(72.796, abs=1e-3)
    assert interval.high == pytest.approx(87.204, abs=1e-3)
    # Pairs may come keyed in either order (the database orders item codes as text):
    swapped = {(second, first): {(b, a): count for (a, b), count in pair.items()}
               for (first, second), pair in pairs.items()}
    assert service_interval(SPEC, histograms, totals, 3, swapped) == interval
    with pytest.raises(ValueError, match="pair histograms"):
        service_interval(SPEC, histograms, totals, 3)
    # The settled/provisional logic works on it: 80.0 sits 0.05 above the edge of [79.95, 89.95).
    assert not grade_settled(SPEC, interval)
    assert responses_to_settle(SPEC, interval) > 10_000


def test_a_respondent_with_everything_not_applicable_rates_nothing():
    nothing = everything(4) | dict.fromkeys(CODES, NA)
    assert rated_count(nothing) == 0 and respondent_total(SPEC, nothing) is None
    # Beside one respondent who rated everything 4, the all-N/A one changes no item's α:
    _, items, all_items = scored([nothing, everything(4)])
    assert all(item.alpha == pytest.approx(0.8) and item.not_applicable == 1 for item in all_items)
    assert service_result(all_items).score == pytest.approx(80.0)
