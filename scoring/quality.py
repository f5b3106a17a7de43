"""Data-quality rules: which submitted responses the lead should look at more closely. Flags never
change a score, except that a response rating nothing (every item "not applicable") is not scored."""

from __future__ import annotations

import math


def straight_lining_minimum(item_count: int) -> int:
    """How many rated items straight-lining needs: half the items, rounded up (10 of 19), at least 2.

    A response straight-lines when it rated at least this many items and gave every rated item the
    same rating; "not applicable" answers are left out. Without "not applicable" answers that is the
    old rule: the same rating for every item.
    """
    return max(2, math.ceil(item_count / 2))
