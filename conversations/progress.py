"""A text progress bar that reads well on a phone: ▰▰▰▱▱▱."""

from __future__ import annotations

FILLED = "▰"
EMPTY = "▱"


def progress_bar(done: int, total: int, width: int = 10) -> str:
    """`width` cells, the share `done / total` of them filled (rounded; clamped to 0..width)."""
    filled = round(width * done / total) if total > 0 else 0
    filled = max(0, min(width, filled))
    return FILLED * filled + EMPTY * (width - filled)
