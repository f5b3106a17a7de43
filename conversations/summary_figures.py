"""A survey's live figures as plain data: what the lead's summary, the export and the digest show.

The shell fills these from the database (bot/services/survey_summary.py); the screens in
conversations/lead_summary.py lay them out. Scores come from scoring/, nothing here computes a rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from conversations.result_wording import ResultFigures
from scoring.certification import Certification
from scoring.confidence import ConfidenceInterval
from scoring.service import CharacteristicScore, ItemScore
from specs.model import Spec, Text

LOWEST_ITEMS_SHOWN = 3


@dataclass(frozen=True)
class LowItem:
    """One of the lowest-scoring items: its code, dimension and mean α."""

    code: str
    dimension: Text
    alpha: float


@dataclass(frozen=True)
class Scores:
    """The scores of the submitted responses (at least one).

    `service_score` is None while `unrated` names items nobody has rated yet (every answer to them was
    "not applicable"); then at least `responses_to_determine` more responses are needed, and there is
    no grade or interval. `respondents` counts the scored responses (at least one item rated).
    """

    respondents: int
    items: tuple[ItemScore, ...]
    characteristics: tuple[CharacteristicScore, ...]
    service_score: Decimal | None
    grade: Text | None
    interval: ConfidenceInterval | None
    lowest: tuple[LowItem, ...]
    unrated: tuple[str, ...] = ()
    responses_to_determine: int = 0

    def result_figures(self, certification: Certification | None = None) -> ResultFigures:
        """What conversations.result_wording words: these scores and the §5.3 result when rated."""
        return ResultFigures(self.service_score, self.interval, certification, self.unrated,
                             self.responses_to_determine)


@dataclass(frozen=True)
class SurveySummary:
    """Progress, scores (None until someone submits) and data-quality flags of one survey."""

    survey_id: int
    code: str
    organization: str
    spec: Spec
    status: str
    target: int | None
    closes_at: dt.datetime | None
    timezone: str
    joined: int
    started: int
    submitted: int
    scores: Scores | None
    straight_liners: tuple[int, ...]
    speeders: tuple[int, ...]
    all_not_applicable: tuple[int, ...] = ()
    submitted_by_channel: tuple[tuple[str, int], ...] = ()  # ("telegram", 12), ("web", 5), ("paper", 3)
    score_by_channel: tuple[tuple[str, float | None], ...] = ()  # ("telegram", 100.0), ("web", 60.0); 2+ channels


@dataclass(frozen=True)
class SurveyListEntry:
    """One line of the lead's survey list."""

    survey_id: int
    code: str
    organization: str
    spec_id: str
    status: str
    started: int
    submitted: int
    target: int | None
    closes_at: dt.datetime | None
    timezone: str
    opens_at: dt.datetime | None = None  # shown while the survey is not yet open


def lowest_items(spec: Spec, items: tuple[ItemScore, ...] | list[ItemScore],
                 count: int = LOWEST_ITEMS_SHOWN) -> tuple[LowItem, ...]:
    """The `count` answered items with the lowest mean α, lowest first (spec order breaks ties)."""
    answered = [item for item in items if item.alpha is not None]
    ranked = sorted(answered, key=lambda item: item.alpha)[:count]
    return tuple(LowItem(item.code, spec.item(item.code).dimension, item.alpha) for item in ranked)
