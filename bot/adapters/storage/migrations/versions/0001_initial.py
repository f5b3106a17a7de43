"""The initial schema: surveys, leads, respondents, answers, maturity ratings, invites, drafts, imports.

The schema `create_all` made from bot/adapters/storage/tables.py up to commit d1d4271; databases made that
way before migrations existed are stamped at this revision (see bot/adapters/storage/migrate.py).

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("spec_id", sa.String(length=32), nullable=False),
        sa.Column("organization", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("target", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("first_reminder_after_hours", sa.Integer(), nullable=False),
        sa.Column("reminder_every_hours", sa.Integer(), nullable=False),
        sa.Column("max_reminders", sa.Integer(), nullable=False),
        sa.Column("reminder_window_start_hour", sa.Integer(), nullable=False),
        sa.Column("reminder_window_end_hour", sa.Integer(), nullable=False),
        sa.Column("digest_enabled", sa.Boolean(), nullable=False),
        sa.Column("target_reached_notified", sa.Boolean(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'closed')", name="survey_status_known"),
        sa.CheckConstraint("target IS NULL OR target > 0", name="survey_target_positive"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_survey_code", "survey", ["code"], unique=True)

    op.create_table(
        "survey_lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("digest_enabled", sa.Boolean(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("survey_id", "telegram_user_id", name="survey_lead_once"),
    )
    op.create_index("ix_survey_lead_survey_id", "survey_lead", ["survey_id"])
    op.create_index("ix_survey_lead_telegram_user_id", "survey_lead", ["telegram_user_id"])

    op.create_table(
        "respondent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("position", sa.String(length=32), nullable=False),
        sa.Column("reviewing", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("screen_message_id", sa.BigInteger(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_active_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_count", sa.Integer(), nullable=False),
        sa.Column("last_reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unreachable", sa.Boolean(), nullable=False),
        sa.CheckConstraint("channel IN ('telegram', 'paper')", name="respondent_channel_known"),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("survey_id", "number", name="respondent_number_once"),
        sa.UniqueConstraint("survey_id", "telegram_user_id", name="respondent_one_per_account"),
    )
    op.create_index("ix_respondent_survey_id", "respondent", ["survey_id"])
    op.create_index("ix_respondent_telegram_user_id", "respondent", ["telegram_user_id"])

    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=32), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="answer_rating_on_scale"),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondent.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("respondent_id", "item_code", name="answer_once_per_item"),
    )
    op.create_index("ix_answer_respondent_id", "answer", ["respondent_id"])
    op.create_index("ix_answer_item_code", "answer", ["item_code"])
    op.create_index("answer_respondent_item_rating", "answer", ["respondent_id", "item_code", "rating"])

    op.create_table(
        "maturity_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("requirement_code", sa.String(length=32), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("rated_by", sa.BigInteger(), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="maturity_level_known"),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("survey_id", "requirement_code", name="maturity_once_per_requirement"),
    )
    op.create_index("ix_maturity_rating_survey_id", "maturity_rating", ["survey_id"])

    op.create_table(
        "lead_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_by", sa.BigInteger(), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_lead_invite_code", "lead_invite", ["code"], unique=True)
    op.create_index("ix_lead_invite_survey_id", "lead_invite", ["survey_id"])

    op.create_table(
        "lead_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("data", sa.String(length=4000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("telegram_user_id", "kind", name="lead_draft_once"),
    )

    op.create_table(
        "paper_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("survey_id", "sha256", name="paper_import_once"),
    )
    op.create_index("ix_paper_import_survey_id", "paper_import", ["survey_id"])


def downgrade() -> None:
    # Children before the tables they point at; a table's indexes go with it.
    for table in ("paper_import", "lead_draft", "lead_invite", "maturity_rating", "answer", "respondent",
                  "survey_lead", "survey"):
        op.drop_table(table)
