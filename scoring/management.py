"""Management maturity (Appendices 2-3): the total of the requirement scores and the level it reaches."""

from __future__ import annotations

from collections.abc import Mapping

from specs.model import Spec

LEVELS = 5
"""Maturity levels 1-5; level L of a requirement scores weight × L / 5 (Appendix 3)."""


def management_total(spec: Spec, levels: Mapping[str, int]) -> float:
    """Σ weight × level / 5 over the rated requirements (`levels`: requirement code → level 1-5)."""
    weights = {r.code: r.weight for r in spec.requirements}
    unknown = set(levels) - set(weights)
    if unknown:
        raise ValueError(f"requirements not in {spec.id}: {', '.join(sorted(unknown))}")
    for code, level in levels.items():
        if level not in range(1, LEVELS + 1):
            raise ValueError(f"requirement {code}: level {level!r} is not 1-5")
    # Whole-number products summed first and divided once, so 45 stays exactly 45.0.
    return sum(weights[code] * level for code, level in levels.items()) / LEVELS


def management_level(spec: Spec, total: float) -> int | None:
    """The highest level whose minimum total is reached (TBSC120: 45 → 2, 44.8 → 1); None below level 1."""
    reached = [lv.level for lv in spec.management_levels if total >= lv.min_total]
    return max(reached, default=None)
