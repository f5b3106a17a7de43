"""The web channel: respondents may answer on the web page (channel 'web'), found by the hash of their
browser's cookie token (web_respondent); single-use personal links of a survey (personal_link).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CHANNEL_CHECK = "respondent_channel_known"


def _channels(*names: str) -> str:
    return "channel IN (" + ", ".join(f"'{name}'" for name in names) + ")"


def upgrade() -> None:
    with op.batch_alter_table("respondent") as batch:
        batch.drop_constraint(CHANNEL_CHECK, type_="check")
        batch.create_check_constraint(CHANNEL_CHECK, _channels("telegram", "paper", "web"))
    op.create_table(
        "web_respondent",
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondent.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("respondent_id"),
        sa.UniqueConstraint("survey_id", "token_hash", name="web_respondent_once"),
    )
    op.create_index("ix_web_respondent_survey_id", "web_respondent", ["survey_id"])
    op.create_table(
        "personal_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondent.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_personal_link_survey_id", "personal_link", ["survey_id"])
    op.create_index("ix_personal_link_token_hash", "personal_link", ["token_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_personal_link_token_hash", table_name="personal_link")
    op.drop_index("ix_personal_link_survey_id", table_name="personal_link")
    op.drop_table("personal_link")
    op.drop_index("ix_web_respondent_survey_id", table_name="web_respondent")
    op.drop_table("web_respondent")
    # The old rule knows no 'web': web respondents are kept (their answers count in the scores) as
    # respondents without a chat, which is what a Telegram respondent whose id was purged looks like.
    op.execute("UPDATE respondent SET channel = 'telegram' WHERE channel = 'web'")
    with op.batch_alter_table("respondent") as batch:
        batch.drop_constraint(CHANNEL_CHECK, type_="check")
        batch.create_check_constraint(CHANNEL_CHECK, _channels("telegram", "paper"))
