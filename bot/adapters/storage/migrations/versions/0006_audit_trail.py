"""Audit trail and seal: an append-only, hash-chained log per survey (audit_entry), a hash chain over
each survey's submitted responses (respondent.seal, respondent.seal_sequence) and both chains' heads
(survey_seal). See bot/adapters/storage/audit.py.

Responses submitted before this revision are chained here, in the order they were submitted (then by
number), with the same canonical form as the bot uses (a frozen copy below); the trail of an existing
survey starts empty.

Downgrade drops the trail, the heads and the seals.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("details", sa.String(length=4000), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("survey_id", "sequence", name="audit_entry_once"),
    )
    op.create_table(
        "survey_seal",
        sa.Column("survey_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("response_head", sa.String(length=64), nullable=True),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("log_head", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("survey_id"),
    )
    with op.batch_alter_table("respondent") as batch:
        batch.add_column(sa.Column("seal", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("seal_sequence", sa.Integer(), nullable=True))
    _seal_submitted_responses(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("respondent") as batch:
        batch.drop_column("seal_sequence")
        batch.drop_column("seal")
    op.drop_table("survey_seal")
    op.drop_table("audit_entry")


def _seal_submitted_responses(connection: sa.Connection) -> None:
    """Chain every survey's submitted responses (and give every survey its heads row)."""
    surveys = [row.id for row in connection.execute(sa.text("SELECT id FROM survey ORDER BY id"))]
    for survey_id in surveys:
        respondents = connection.execute(sa.text(
            "SELECT id, number, submitted_at, comment FROM respondent "
            "WHERE survey_id = :survey AND submitted_at IS NOT NULL ORDER BY submitted_at, number"
        ), {"survey": survey_id}).all()
        head, sequence = None, 0
        for respondent in respondents:
            answers = connection.execute(sa.text(
                "SELECT item_code, rating FROM answer WHERE respondent_id = :respondent"
            ), {"respondent": respondent.id}).all()
            sequence += 1
            head = _response_hash(survey_id, respondent.number, _utc(respondent.submitted_at),
                                  [(code, rating) for code, rating in answers], respondent.comment, head)
            connection.execute(sa.text("UPDATE respondent SET seal = :seal, seal_sequence = :sequence "
                                       "WHERE id = :respondent"),
                               {"seal": head, "sequence": sequence, "respondent": respondent.id})
        connection.execute(sa.text("INSERT INTO survey_seal (survey_id, responses, response_head, entries) "
                                   "VALUES (:survey, :responses, :head, 0)"),
                           {"survey": survey_id, "responses": sequence, "head": head})


def _utc(value: Any) -> dt.datetime:
    """SQLite hands back text or a naive datetime (stored in UTC); PostgreSQL an aware one."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _response_hash(survey_id: int, number: int, submitted_at: dt.datetime, answers: list[tuple[str, Any]],
                   comment: str | None, previous: str | None) -> str:
    """A frozen copy of bot.adapters.storage.audit.response_hash (revision 0006)."""
    value = {
        "survey": survey_id, "respondent": number,
        "submitted_at": submitted_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "answers": [[code, rating] for code, rating in sorted(answers)], "comment": comment,
        "previous": previous or "",
    }
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
