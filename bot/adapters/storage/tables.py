"""Every table of the schema, in one module (Alembic migrations will start from here).

Telegram ids are BIGINT: user ids exceed 2**31. Times are stored in UTC and come back as
timezone-aware UTC datetimes on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel


class SurveyStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class LeadRole(StrEnum):
    OWNER = "owner"
    CO_LEAD = "co-lead"


class Channel(StrEnum):
    TELEGRAM = "telegram"
    PAPER = "paper"
    WEB = "web"


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that must be timezone-aware going in and is aware UTC coming out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: storage takes timezone-aware datetimes")
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _telegram_id(*, nullable: bool, index: bool = False) -> Any:
    return Field(default=None, sa_type=BigInteger, nullable=nullable, index=index)


def _timestamp(*, nullable: bool) -> Any:
    return Field(default=None, sa_type=UtcDateTime, nullable=nullable)


class SpecRevision(SQLModel, table=True):
    """The exact content of a spec a survey was created with (specs/revisions.py: canonical JSON and its
    SHA-256): one row per spec id and version, written once and never changed."""

    __tablename__ = "spec_revision"
    __table_args__ = (UniqueConstraint("spec_id", "version", name="spec_revision_once"),)

    id: int | None = Field(default=None, primary_key=True)
    spec_id: str = Field(sa_type=String(32))
    version: str = Field(sa_type=String(64))
    document: str = Field(sa_type=String(200))
    sha256: str = Field(sa_type=String(64), unique=True)
    content: str = Field(sa_type=Text)
    stored_at: dt.datetime = _timestamp(nullable=False)


class Survey(SQLModel, table=True):
    __tablename__ = "survey"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="survey_status_known"),
        CheckConstraint("target IS NULL OR target > 0", name="survey_target_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(64), unique=True, index=True)
    spec_id: str = Field(sa_type=String(32))
    # The revision it is pinned to; NULL only for a survey whose spec was not installed at migration 0007.
    spec_sha256: str | None = Field(default=None, sa_type=String(64), foreign_key="spec_revision.sha256")
    organization: str = Field(sa_type=String(300))
    status: str = Field(default=SurveyStatus.OPEN, sa_type=String(16))
    opens_at: dt.datetime = _timestamp(nullable=False)
    closes_at: dt.datetime | None = _timestamp(nullable=True)
    target: int | None = None
    timezone: str = Field(sa_type=String(64))
    created_at: dt.datetime = _timestamp(nullable=False)
    created_by: int | None = _telegram_id(nullable=True)
    first_reminder_after_hours: int = 24
    reminder_every_hours: int = 48
    max_reminders: int = 2
    reminder_window_start_hour: int = 9
    reminder_window_end_hour: int = 20
    digest_enabled: bool = True
    target_reached_notified: bool = False


class SurveyLead(SQLModel, table=True):
    __tablename__ = "survey_lead"
    __table_args__ = (UniqueConstraint("survey_id", "telegram_user_id", name="survey_lead_once"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE", index=True)
    telegram_user_id: int = _telegram_id(nullable=False, index=True)
    role: str = Field(default=LeadRole.CO_LEAD, sa_type=String(16))
    digest_enabled: bool = True
    added_at: dt.datetime = _timestamp(nullable=False)
    last_digest_at: dt.datetime | None = _timestamp(nullable=True)  # claimed once per local day


class Respondent(SQLModel, table=True):
    __tablename__ = "respondent"
    __table_args__ = (
        UniqueConstraint("survey_id", "telegram_user_id", name="respondent_one_per_account"),
        UniqueConstraint("survey_id", "number", name="respondent_number_once"),
        CheckConstraint("channel IN ('telegram', 'paper', 'web')", name="respondent_channel_known"),
        # The summary reads its sums and flags from the tally columns through these, never the answers.
        Index("respondent_tally_total", "survey_id", "total_score"),
        Index("respondent_tally_completion", "survey_id", "completion_seconds"),
        Index("respondent_tally_straight", "survey_id", "straight_lined", "number"),
        Index("respondent_tally_rated", "survey_id", "rated_items", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE", index=True)
    number: int
    telegram_user_id: int | None = _telegram_id(nullable=True, index=True)
    chat_id: int | None = _telegram_id(nullable=True)
    channel: str = Field(default=Channel.TELEGRAM, sa_type=String(16))
    language: str = Field(sa_type=String(16))
    position: str = Field(default="welcome", sa_type=String(32))
    reviewing: bool = False
    comment: str | None = Field(default=None, sa_type=String(1000))
    screen_message_id: int | None = _telegram_id(nullable=True)
    joined_at: dt.datetime = _timestamp(nullable=False)
    last_active_at: dt.datetime = _timestamp(nullable=False)
    submitted_at: dt.datetime | None = _timestamp(nullable=True)
    reminder_count: int = 0
    last_reminded_at: dt.datetime | None = _timestamp(nullable=True)
    unreachable: bool = False
    # The tally of a submitted response (see bot/adapters/storage/tallies.py); None until the first
    # summary after it.
    total_score: float | None = None  # Σ weight × α over its answers; None with a "not applicable"
    straight_lined: bool | None = None  # at least half the items rated, every rating the same
    completion_seconds: float | None = None  # submitted_at - joined_at; None for paper responses
    rated_items: int | None = None  # answers other than "not applicable"; None: not tallied yet
    # The response's link in its survey's hash chain (bot/adapters/storage/audit.py), set at submission.
    seal: str | None = Field(default=None, sa_type=String(64))
    seal_sequence: int | None = None  # 1, 2, 3 … in the order the survey's responses were sealed


class Answer(SQLModel, table=True):
    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("respondent_id", "item_code", name="answer_once_per_item"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="answer_rating_on_scale"),
        # Covers the per-respondent aggregates (totals, histograms, straight-lining): no table lookups.
        Index("answer_respondent_item_rating", "respondent_id", "item_code", "rating"),
    )

    id: int | None = Field(default=None, primary_key=True)
    respondent_id: int = Field(foreign_key="respondent.id", ondelete="CASCADE", index=True)
    item_code: str = Field(sa_type=String(32), index=True)
    rating: int | None = Field(default=None, nullable=True)  # NULL: "not applicable / did not experience it"
    answered_at: dt.datetime = _timestamp(nullable=False)


class ItemRatingCount(SQLModel, table=True):
    """How many submitted respondents of a survey gave an item a rating: kept up to date at submission
    (answers are final then), so a summary reads 19 × 6 rows instead of every answer. Rating 0 counts
    the "not applicable" answers (a key column cannot be NULL)."""

    __tablename__ = "item_rating_count"
    __table_args__ = (CheckConstraint("rating BETWEEN 0 AND 5", name="item_rating_count_on_scale"),)

    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE", primary_key=True)
    item_code: str = Field(sa_type=String(32), primary_key=True)
    rating: int = Field(primary_key=True)
    respondents: int


class ItemPairCount(SQLModel, table=True):
    """How many submitted respondents of a survey rated both items of a pair, and how (item_a < item_b
    as text): kept up to date at submission like ItemRatingCount. With "not applicable" answers the
    confidence interval needs the covariances over the respondents who rated both items
    (scoring/confidence.py); at most 171 pairs × 25 rating pairs per survey."""

    __tablename__ = "item_pair_count"
    __table_args__ = (
        CheckConstraint("rating_a BETWEEN 1 AND 5 AND rating_b BETWEEN 1 AND 5", name="item_pair_count_on_scale"),
    )

    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE", primary_key=True)
    item_a: str = Field(sa_type=String(32), primary_key=True)
    item_b: str = Field(sa_type=String(32), primary_key=True)
    rating_a: int = Field(primary_key=True)
    rating_b: int = Field(primary_key=True)
    respondents: int


class MaturityRating(SQLModel, table=True):
    __tablename__ = "maturity_rating"
    __table_args__ = (
        UniqueConstraint("survey_id", "requirement_code", name="maturity_once_per_requirement"),
        CheckConstraint("level BETWEEN 1 AND 5", name="maturity_level_known"),
    )

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE", index=True)
    requirement_code: str = Field(sa_type=String(32))
    level: int
    rated_by: int | None = _telegram_id(nullable=True)
    rated_at: dt.datetime = _timestamp(nullable=False)


class LeadInvite(SQLModel, table=True):
    """A one-time link that makes whoever opens it first a co-lead of the survey."""

    __tablename__ = "lead_invite"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(64), unique=True, index=True)
    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE", index=True)
    created_by: int | None = _telegram_id(nullable=True)
    created_at: dt.datetime = _timestamp(nullable=False)
    used_by: int | None = _telegram_id(nullable=True)
    used_at: dt.datetime | None = _timestamp(nullable=True)


class LeadDraft(SQLModel, table=True):
    """An audit lead's unfinished guided dialogue (e.g. /newsurvey): one per user and kind, as JSON."""

    __tablename__ = "lead_draft"
    __table_args__ = (UniqueConstraint("telegram_user_id", "kind", name="lead_draft_once"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = _telegram_id(nullable=False)
    kind: str = Field(sa_type=String(32))
    data: str = Field(sa_type=String(4000))
    updated_at: dt.datetime = _timestamp(nullable=False)


class PaperImport(SQLModel, table=True):
    """A CSV file of paper responses imported into a survey, remembered by its SHA-256 digest."""

    __tablename__ = "paper_import"
    __table_args__ = (UniqueConstraint("survey_id", "sha256", name="paper_import_once"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE", index=True)
    sha256: str = Field(sa_type=String(64))
    file_name: str = Field(sa_type=String(300))
    imported_at: dt.datetime = _timestamp(nullable=False)


class WebRespondent(SQLModel, table=True):
    """A respondent who answers on the web page: found by the SHA-256 of the random token in their
    browser's cookie (the token itself is never stored). One response per browser and survey."""

    __tablename__ = "web_respondent"
    __table_args__ = (UniqueConstraint("survey_id", "token_hash", name="web_respondent_once"),)

    respondent_id: int = Field(foreign_key="respondent.id", ondelete="CASCADE", primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(sa_type=String(64))


class PersonalLink(SQLModel, table=True):
    """A single-use web link of a survey, remembered by the SHA-256 of its token: the first browser
    that starts with it takes it (`respondent_id`); anyone else is turned away."""

    __tablename__ = "personal_link"

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(sa_type=String(64), unique=True, index=True)
    created_at: dt.datetime = _timestamp(nullable=False)
    respondent_id: int | None = Field(default=None, foreign_key="respondent.id", ondelete="SET NULL")
    used_at: dt.datetime | None = _timestamp(nullable=True)


class Admin(SQLModel, table=True):
    """An administrator added by the one-time claim link or `surveybot admin add` (ADMIN_IDS are the
    others): may create surveys and steer every survey."""

    __tablename__ = "admin"

    telegram_user_id: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    added_at: dt.datetime = _timestamp(nullable=False)
    added_by: str = Field(sa_type=String(32))  # "claim link", "cli" or the Telegram id of an admin


class AdminClaim(SQLModel, table=True):
    """The one-time link that makes its first opener the administrator, while there is none: only the
    SHA-256 of its token is kept."""

    __tablename__ = "admin_claim"

    token_hash: str = Field(sa_type=String(64), primary_key=True)
    created_at: dt.datetime = _timestamp(nullable=False)


class AuditEntry(SQLModel, table=True):
    """An append-only trail of what was done to a survey (created, opened/closed, co-lead added,
    maturity rated, purged, exported …): who ("cli" or a Telegram id), when, what (JSON). Each entry's
    hash covers its content and the previous entry's hash (bot/adapters/storage/audit.py)."""

    __tablename__ = "audit_entry"
    __table_args__ = (UniqueConstraint("survey_id", "sequence", name="audit_entry_once"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE")
    sequence: int  # 1, 2, 3 … per survey
    at: dt.datetime = _timestamp(nullable=False)
    who: str = Field(sa_type=String(32))
    action: str = Field(sa_type=String(32))
    details: str = Field(sa_type=String(4000))  # canonical JSON, hashed as stored
    hash: str = Field(sa_type=String(64))


class SurveySeal(SQLModel, table=True):
    """The heads of a survey's two hash chains (responses, trail) and their lengths: the row that
    concurrent submissions and trail entries lock, one at a time."""

    __tablename__ = "survey_seal"

    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE", primary_key=True,
                           sa_column_kwargs={"autoincrement": False})
    responses: int = 0
    response_head: str | None = Field(default=None, sa_type=String(64))
    entries: int = 0
    log_head: str | None = Field(default=None, sa_type=String(64))
