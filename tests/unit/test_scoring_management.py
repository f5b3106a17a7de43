"""Management totals and levels of TBSC120 (Appendix 3), worked out by hand.

TBSC120 has 13 requirements of weight 5 and 8 of weight 10 (max 13×5 + 8×10 = 145). Level L of a
requirement scores weight × L / 5, i.e. L for weight 5 and 2L for weight 10.
"""

from __future__ import annotations

import pytest

from scoring.management import management_level, management_total
from specs import load_catalog

SPEC = load_catalog().get("TBSC120")
WEIGHT_5 = [r.code for r in SPEC.requirements if r.weight == 5]
WEIGHT_10 = [r.code for r in SPEC.requirements if r.weight == 10]


def levels(weight_5: int, weight_10: int, overrides: dict[str, int] | None = None) -> dict[str, int]:
    return {code: weight_5 for code in WEIGHT_5} | {code: weight_10 for code in WEIGHT_10} | (overrides or {})


def test_tbsc120_requirement_weights_are_as_counted_above():
    assert (len(WEIGHT_5), len(WEIGHT_10)) == (13, 8)


@pytest.mark.parametrize(("rated", "total", "level"), [
    # 13×1 + 8×2 = 29, the least a fully rated sheet can score
    (levels(1, 1), 29, 1),
    # 13×2 + 8×2 = 42; 4.1 at level 2 adds 2 → 44 (一级); 1.1 at level 3 adds 1 more → 45 (二级)
    (levels(2, 1, {"4.1": 2}), 44, 1),
    (levels(2, 1, {"4.1": 2, "1.1": 3}), 45, 2),
    # 13×2 + 8×8 = 90; 1.1-1.4 at level 3 add 4 → 94 (三级); 2.1 at 3 adds 1 → 95 (四级)
    (levels(2, 4, {"1.1": 3, "1.2": 3, "1.3": 3, "1.4": 3}), 94, 3),
    (levels(2, 4, {"1.1": 3, "1.2": 3, "1.3": 3, "1.4": 3, "2.1": 3}), 95, 4),
    # 13×4 + 8×6 = 100; 1.1-1.4 at level 5 add 4 → 104 (四级); 2.1 at 5 adds 1 → 105 (五级)
    (levels(4, 3, {"1.1": 5, "1.2": 5, "1.3": 5, "1.4": 5}), 104, 4),
    (levels(4, 3, {"1.1": 5, "1.2": 5, "1.3": 5, "1.4": 5, "2.1": 5}), 105, 5),
    # every requirement at level 3: 145 × 3/5 = 87 (三级); at level 5: 145 (五级)
    (levels(3, 3), 87, 3),
    (levels(5, 5), 145, 5),
])
def test_total_and_level_at_the_boundaries(rated, total, level):
    assert management_total(SPEC, rated) == total
    assert management_level(SPEC, management_total(SPEC, rated)) == level


@pytest.mark.parametrize(("total", "level"), [(44.8, 1), (45, 2), (69.9, 2), (70, 3), (94.8, 3), (95, 4),
                                              (104.8, 4), (105, 5), (20, 1)])
def test_level_thresholds_on_fractional_totals(total, level):
    assert management_level(SPEC, total) == level


def test_total_below_the_first_threshold_has_no_level():
    # only 4.1 rated, at level 5: 10 × 5/5 = 10 < 20
    assert management_total(SPEC, {"4.1": 5}) == 10
    assert management_level(SPEC, 10) is None


def test_unknown_requirement_or_level_is_refused():
    with pytest.raises(ValueError, match="8.1"):
        management_total(SPEC, {"8.1": 3})
    with pytest.raises(ValueError, match="level 6"):
        management_total(SPEC, {"1.1": 6})
