"""Summary tallies: item × rating counts per survey, and each submitted response's total and flags.

The counts of responses submitted before this revision are filled in here. The per-response columns
need the spec's weights and are filled by the first summary after the upgrade (see
bot/adapters/storage/tallies.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TALLY_INDEXES = {
    "respondent_tally_total": ["survey_id", "total_score"],
    "respondent_tally_completion": ["survey_id", "completion_seconds"],
    "respondent_tally_straight": ["survey_id", "straight_lined", "number"],
}


def upgrade() -> None:
    op.create_table(
        "item_rating_count",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=32), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="item_rating_count_on_scale"),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("survey_id", "item_code", "rating"),
    )
    with op.batch_alter_table("respondent") as batch:
        batch.add_column(sa.Column("total_score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("straight_lined", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("completion_seconds", sa.Float(), nullable=True))
    for name, columns in TALLY_INDEXES.items():
        op.create_index(name, "respondent", columns)
    op.execute(
        """
        INSERT INTO item_rating_count (survey_id, item_code, rating, respondents)
        SELECT respondent.survey_id, answer.item_code, answer.rating, count(*)
        FROM answer JOIN respondent ON respondent.id = answer.respondent_id
        WHERE respondent.submitted_at IS NOT NULL
        GROUP BY respondent.survey_id, answer.item_code, answer.rating
        """
    )


def downgrade() -> None:
    for name in TALLY_INDEXES:
        op.drop_index(name, table_name="respondent")
    with op.batch_alter_table("respondent") as batch:
        batch.drop_column("completion_seconds")
        batch.drop_column("straight_lined")
        batch.drop_column("total_score")
    op.drop_table("item_rating_count")
