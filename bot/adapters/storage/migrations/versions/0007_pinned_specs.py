"""Pinned spec revisions: spec_revision keeps the exact spec each survey was created with (canonical
JSON and its SHA-256, specs/revisions.py); survey.spec_sha256 points at it.

Every existing survey is pinned to the spec installed now (the bundled specs and SPECS_DIR), the one
that scored it until this revision. The live `revision_of` is used, not a frozen copy: the hash must be
the one the bot computes when it starts, or the stored revision would read as a changed file. A survey
whose spec is not installed keeps NULL (the bot already could not use it); the bot pins it when its
spec is installed and the bot starts.

Downgrade drops the stored revisions: surveys then follow their spec file again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

from bot.adapters.settings import Settings
from specs import load_catalog
from specs.revisions import revision_of

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SPEC_REVISION = sa.table(
    "spec_revision", sa.column("spec_id", sa.String()), sa.column("version", sa.String()),
    sa.column("document", sa.String()), sa.column("sha256", sa.String()), sa.column("content", sa.Text()),
    sa.column("stored_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table(
        "spec_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spec_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
        sa.UniqueConstraint("spec_id", "version", name="spec_revision_once"),
    )
    with op.batch_alter_table("survey") as batch:
        batch.add_column(sa.Column("spec_sha256", sa.String(length=64), nullable=True))
        batch.create_foreign_key("survey_spec_revision", "spec_revision", ["spec_sha256"], ["sha256"])
    _pin_existing_surveys(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("survey") as batch:
        batch.drop_constraint("survey_spec_revision", type_="foreignkey")
        batch.drop_column("spec_sha256")
    op.drop_table("spec_revision")


def _pin_existing_surveys(connection: sa.Connection) -> None:
    spec_ids = [row.spec_id for row in connection.execute(sa.text("SELECT DISTINCT spec_id FROM survey"))]
    if not spec_ids:
        return
    catalog = load_catalog(Settings().specs_dir)
    now = dt.datetime.now(dt.UTC)
    stored_at = now if connection.dialect.name == "postgresql" else now.replace(tzinfo=None)
    for spec_id in sorted(spec_ids):
        spec = catalog.get(spec_id)
        if spec is None:
            continue
        pinned = revision_of(spec)
        connection.execute(SPEC_REVISION.insert().values(
            spec_id=spec.id, version=spec.version, document=spec.document, sha256=pinned.sha256,
            content=pinned.content, stored_at=stored_at))
        connection.execute(sa.text("UPDATE survey SET spec_sha256 = :sha256 WHERE spec_id = :spec_id"),
                           {"sha256": pinned.sha256, "spec_id": spec_id})
