"""Displayed precision (rule 4): scores are shown to one decimal, rounded half up.

Grades are decided on the displayed value, so the number a person reads and the grade never
disagree: 89.95 displays as 90.0 and earns the grade of 90.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

# Float sums leave noise such as 89.94999999999999 where the exact score is 89.95. Scores are
# ratios with small denominators (5 × respondents), so two different scores differ by far more
# than 1e-9: snapping to nine decimals first removes the noise and nothing else.
_NOISE = Decimal("1e-9")


def display(value: float, places: int = 1) -> Decimal:
    """`value` rounded half up to `places` decimals: display(89.95) == Decimal("90.0")."""
    snapped = Decimal(repr(float(value))).quantize(_NOISE, rounding=ROUND_HALF_EVEN)
    return snapped.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
