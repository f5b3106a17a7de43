"""What a report is made from: plain frozen records a caller fills from the spec, the scores and the database.

The report writers never compute a certification rule themselves; they lay out the figures they are given.
Respondents appear only by their pseudonymous survey number: Telegram ids never reach a report.
Datetimes should already be in the survey's local time; the workbook writes them without a zone
(Excel has none), the CSV writes them in ISO 8601 as given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from specs.model import Spec

Channel = Literal["telegram", "web", "paper"]


@dataclass(frozen=True)
class ItemRow:
    """One Appendix 1 row: mean experience coefficient α over the item's ratings (None with no rating)
    and the item score; `rated` and `not_applicable` count its ratings and "not applicable" answers
    (None when the caller does not give them: the sheet then leaves those columns out)."""

    code: str
    alpha: float | None
    score: float
    rated: int | None = None
    not_applicable: int | None = None


@dataclass(frozen=True)
class CharacteristicRow:
    """A characteristic's score (the sum of its item scores); its maximum comes from the spec. `unrated`
    names its items nobody rated: the score is then undetermined."""

    code: str
    score: float
    unrated: tuple[str, ...] = ()


@dataclass(frozen=True)
class CertificationResult:
    """The §5.3 result. `grade` is the spec's label (e.g. 三星级) or None when certified without a grade
    or not certified; `capped` is True when the management level keeps a higher service grade out of reach."""

    grade: str | None
    certified: bool
    capped: bool
    explanation: str


@dataclass(frozen=True)
class ManagementSummary:
    """The management maturity rating: the level (1-5) given to each requirement code, None where not
    rated yet; the total (Σ weight × level / 5); the level label, None below the lowest level; and the
    certification result, None until it can be decided."""

    levels: Mapping[str, int | None]
    total: float
    level_label: str | None
    certification: CertificationResult | None


@dataclass(frozen=True)
class DataQuality:
    """Respondent numbers flagged for a closer look; `all_not_applicable` rated nothing and is not scored."""

    straight_liners: tuple[int, ...] = ()
    speeders: tuple[int, ...] = ()
    all_not_applicable: tuple[int, ...] = ()


@dataclass(frozen=True)
class ScoreSheet:
    """The figures of the Appendix 1 score sheet and the management rating for one survey.

    `service_score` is the displayed value (one decimal, rounded half up) and `service_grade` the grade
    decided on it (None when the score reaches no grade). `service_score` is None while `unrated` names
    items nobody has rated (every answer "not applicable"): the score is undetermined, never 0.
    `management` is None while no maturity is rated. `respondents` counts the submitted responses and
    `started` everyone who answered at least one question (submitted or not); `period` is the survey's
    dates as a person reads them ("2026-03-01 – 2026-03-31 (Asia/Shanghai)", both days included).
    """

    spec: Spec
    organization: str
    survey_code: str
    generated_at: dt.datetime
    respondents: int
    items: tuple[ItemRow, ...]
    characteristics: tuple[CharacteristicRow, ...]
    service_score: float | None
    service_grade: str | None
    ci95: tuple[float, float] | None = None
    management: ManagementSummary | None = None
    quality: DataQuality = field(default_factory=DataQuality)
    unrated: tuple[str, ...] = ()
    started: int | None = None
    period: str | None = None

    @property
    def has_counts(self) -> bool:
        """Whether the item rows carry their numbers of ratings and "not applicable" answers."""
        return any(item.rated is not None for item in self.items)

    def item_row(self, code: str) -> ItemRow:
        return next(item for item in self.items if item.code == code)

    def characteristic_row(self, code: str) -> CharacteristicRow:
        return next(c for c in self.characteristics if c.code == code)


@dataclass(frozen=True)
class RawAnswerRow:
    """One respondent's answers: the rating (1-5, None for "not applicable") per item code; items left
    unanswered are absent."""

    respondent: int
    channel: Channel
    joined_at: dt.datetime | None
    submitted_at: dt.datetime | None
    duration: dt.timedelta | None
    ratings: Mapping[str, int | None]


@dataclass(frozen=True)
class Comment:
    respondent: int
    text: str


@dataclass(frozen=True)
class LogEntry:
    """One entry of the survey's audit trail: its place in the chain, when (local time), who (a Telegram
    id or "cli"), what was done and the details, all as words."""

    sequence: int
    at: dt.datetime
    who: str
    action: str
    details: str


@dataclass(frozen=True)
class Seal:
    """The survey's seal (the hash over the heads of its response chain and its trail chain) and how
    many responses and trail entries it covers."""

    value: str
    responses: int
    entries: int


@dataclass(frozen=True)
class SurveyReport:
    """What the survey report and log sheets add to the score sheet: how the survey was run (submitted
    responses per channel, the target, how customers were invited), the result in the project's one
    wording (provisional / settled / capped, interval included), and the audit trail with the seal."""

    channels: tuple[tuple[str, int], ...] = ()  # ("telegram", 12), ("web", 5), ("paper", 3)
    target: int | None = None
    invitation: tuple[str, ...] = ()
    result: tuple[str, ...] = ()
    trail: tuple[LogEntry, ...] = ()
    seal: Seal | None = None
