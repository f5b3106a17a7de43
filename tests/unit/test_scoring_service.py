"""Item, characteristic and service scores of TBSC120 worked out by hand.

TBSC120 weights: item 1.2 is 7, item 7 is 8, the other 17 items are 5.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.rounding import display
from scoring.service import (
    alpha_of,
    characteristic_scores,
    item_scores,
    respondent_total,
    service_grade,
    service_score,
)
from specs import load_catalog

SPEC = load_catalog().get("TBSC120")
ALL_CODES = [item.code for item in SPEC.items]


def all_items(histogram: dict[int, int], overrides: dict[str, dict[int, int]] | None = None
              ) -> dict[str, dict[int, int]]:
    """The same histogram for every item of TBSC120, except the items in `overrides`."""
    return {code: dict(histogram) for code in ALL_CODES} | (overrides or {})


def test_rating_maps_to_the_upper_bound_of_its_alpha_band():
    assert [alpha_of(SPEC, k) for k in (1, 2, 3, 4, 5)] == [0.2, 0.4, 0.6, 0.8, 1.0]
    with pytest.raises(ValueError):
        alpha_of(SPEC, 6)


def test_small_sample_by_hand():
    # Three respondents. 1.1 rated 5,5,4: α = (1 + 1 + 0.8) / 3 = 0.9333, score 5 × 0.9333 = 4.6667.
    # 1.2 (weight 7) rated 5,4,3: α = 0.8, score 5.6.  1.3 rated 2,3,4: α = 0.6, score 3.0.
    # Every other item rated 4 by all three: α 0.8; their weights sum to 100 - 17 = 83 → 66.4.
    histograms = all_items(
        {4: 3}, {"1.1": {5: 2, 4: 1}, "1.2": {5: 1, 4: 1, 3: 1}, "1.3": {2: 1, 3: 1, 4: 1}})
    items = {item.code: item for item in item_scores(SPEC, histograms)}
    assert items["1.1"].alpha == pytest.approx(0.93333, abs=1e-5)
    assert items["1.1"].score == pytest.approx(4.66667, abs=1e-5)
    assert (items["1.2"].weight, items["1.2"].alpha, items["1.2"].n) == (7, pytest.approx(0.8), 3)
    assert items["1.2"].score == pytest.approx(5.6)
    assert items["1.3"].score == pytest.approx(3.0)
    assert items["7"].score == pytest.approx(8 * 0.8)
    characteristics = characteristic_scores(SPEC, list(items.values()))
    # 功能性: 4.6667 + 5.6 + 3.0 = 13.2667 of 17; 安全性: 15 × 0.8 = 12.
    assert (characteristics[0].code, characteristics[0].max) == ("1", 17)
    assert characteristics[0].score == pytest.approx(13.26667, abs=1e-5)
    assert characteristics[1].score == pytest.approx(12.0)
    # Service: 13.2667 + 66.4 = 79.6667 → displayed 79.7, below 80: no grade.
    total = service_score(list(items.values()))
    assert total == pytest.approx(79.66667, abs=1e-5)
    assert display(total) == Decimal("79.7")
    assert service_grade(SPEC, display(total)) is None


def test_perfect_survey_scores_100_and_the_top_grade():
    items = item_scores(SPEC, all_items({5: 12}))
    assert display(service_score(items)) == Decimal("100.0")
    assert service_grade(SPEC, Decimal("100.0")).zh == "五星级"


def test_item_nobody_answered_has_no_alpha_and_earns_nothing():
    histograms = all_items({5: 1})
    del histograms["2.1"]
    items = {item.code: item for item in item_scores(SPEC, histograms)}
    assert (items["2.1"].alpha, items["2.1"].score, items["2.1"].n) == (None, 0.0, 0)
    assert service_score(list(items.values())) == pytest.approx(95.0)


def test_unknown_item_is_refused():
    with pytest.raises(ValueError, match="8.1"):
        item_scores(SPEC, {"8.1": {5: 1}})


def test_score_of_exactly_89_95_displays_90_0_and_grades_four_stars():
    # Four respondents. Each weight-5 item (17 of them) rated 5,5,4,4: α 0.9, score 4.5 → 76.5.
    # 1.2 (weight 7) rated 5,5,5,4: α 0.95, score 6.65.  7 (weight 8) rated 5,4,4,4: α 0.85, score 6.8.
    # 76.5 + 6.65 + 6.8 = 89.95 exactly; half up → 90.0 → 四星级 (90 and up).
    histograms = all_items({5: 2, 4: 2}, {"1.2": {5: 3, 4: 1}, "7": {5: 1, 4: 3}})
    total = service_score(item_scores(SPEC, histograms))
    assert total == pytest.approx(89.95)
    assert display(total) == Decimal("90.0")
    assert service_grade(SPEC, display(total)).zh == "四星级"


@pytest.mark.parametrize(("raw", "shown"), [(89.95, "90.0"), (89.94999, "89.9"), (94.95, "95.0"),
                                            (79.65, "79.7"), (0.05, "0.1"), (100, "100.0")])
def test_display_rounds_half_up_to_one_decimal(raw, shown):
    assert display(raw) == Decimal(shown)


def test_float_noise_does_not_round_down():
    noisy = 0.35 + 89.6  # 89.94999999999999 in binary floating point
    assert repr(noisy) != "89.95"
    assert display(noisy) == Decimal("90.0")


def test_respondent_total_is_sum_of_weight_times_alpha():
    # All 4 except 1.2 rated 5: 93 × 0.8 + 7 × 1.0 = 81.4
    ratings = {code: 4 for code in ALL_CODES} | {"1.2": 5}
    assert respondent_total(SPEC, ratings) == pytest.approx(81.4)
