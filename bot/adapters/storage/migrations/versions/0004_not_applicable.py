""""Not applicable / did not experience it" (不适用 / 没有经历) as an answer: rating NULL.

- answer.rating may be NULL ("not applicable"); still one row per respondent and item.
- item_rating_count counts the "not applicable" answers under rating 0 (a key column cannot be NULL).
- item_pair_count: for each two items, how many submitted respondents rated both and how; filled here
  from the responses submitted before this revision, then at every submission.
- respondent.rated_items: how many items a tallied response rated (the "all not applicable" flag and
  the count of scored responses). Responses tallied before this revision are tallied again by the
  next summary (bot/adapters/storage/tallies.py), which writes it.

Downgrade: the old schema has no "not applicable", so those answers are deleted (each such item then
reads as not answered by that respondent, which leaves every item's α as it was: the old code averages
an item over its answers) and their counts with them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ANSWER_CHECK = "answer_rating_on_scale"
COUNT_CHECK = "item_rating_count_on_scale"
RATED_INDEX = "respondent_tally_rated"


def upgrade() -> None:
    with op.batch_alter_table("answer") as batch:
        batch.drop_constraint(ANSWER_CHECK, type_="check")
        batch.alter_column("rating", existing_type=sa.Integer(), nullable=True)
        batch.create_check_constraint(ANSWER_CHECK, "rating IS NULL OR rating BETWEEN 1 AND 5")
    with op.batch_alter_table("item_rating_count") as batch:
        batch.drop_constraint(COUNT_CHECK, type_="check")
        batch.create_check_constraint(COUNT_CHECK, "rating BETWEEN 0 AND 5")
    op.create_table(
        "item_pair_count",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("item_a", sa.String(length=32), nullable=False),
        sa.Column("item_b", sa.String(length=32), nullable=False),
        sa.Column("rating_a", sa.Integer(), nullable=False),
        sa.Column("rating_b", sa.Integer(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.CheckConstraint("rating_a BETWEEN 1 AND 5 AND rating_b BETWEEN 1 AND 5", name="item_pair_count_on_scale"),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("survey_id", "item_a", "item_b", "rating_a", "rating_b"),
    )
    with op.batch_alter_table("respondent") as batch:
        batch.add_column(sa.Column("rated_items", sa.Integer(), nullable=True))
    op.create_index(RATED_INDEX, "respondent", ["survey_id", "rated_items", "number"])
    op.execute(
        """
        INSERT INTO item_pair_count (survey_id, item_a, item_b, rating_a, rating_b, respondents)
        SELECT respondent.survey_id, first.item_code, second.item_code, first.rating, second.rating, count(*)
        FROM answer AS first
        JOIN answer AS second ON second.respondent_id = first.respondent_id AND first.item_code < second.item_code
        JOIN respondent ON respondent.id = first.respondent_id
        WHERE respondent.submitted_at IS NOT NULL
          AND first.rating IS NOT NULL AND second.rating IS NOT NULL
        GROUP BY respondent.survey_id, first.item_code, second.item_code, first.rating, second.rating
        """
    )


def downgrade() -> None:
    op.drop_index(RATED_INDEX, table_name="respondent")
    with op.batch_alter_table("respondent") as batch:
        batch.drop_column("rated_items")
    op.drop_table("item_pair_count")
    op.execute("DELETE FROM item_rating_count WHERE rating = 0")
    with op.batch_alter_table("item_rating_count") as batch:
        batch.drop_constraint(COUNT_CHECK, type_="check")
        batch.create_check_constraint(COUNT_CHECK, "rating BETWEEN 1 AND 5")
    op.execute("DELETE FROM answer WHERE rating IS NULL")
    with op.batch_alter_table("answer") as batch:
        batch.drop_constraint(ANSWER_CHECK, type_="check")
        batch.alter_column("rating", existing_type=sa.Integer(), nullable=False)
        batch.create_check_constraint(ANSWER_CHECK, "rating BETWEEN 1 AND 5")
