"""Spec revisions: the exact spec each survey was created with (specs/revisions.py), stored once per spec
id and version and never changed; which revisions there are and how many surveys use each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.tables import SpecRevision, Survey
from bot.adapters.storage.upsert import upsert
from specs.revisions import Revision


class RevisionConflict(Exception):
    """A spec whose id and version are stored with other content: a changed spec that kept its version."""

    def __init__(self, revision: Revision, stored_sha256: str) -> None:
        super().__init__(f"spec {revision.spec.id} version {revision.spec.version}: stored with sha256 "
                         f"{stored_sha256}, loaded with {revision.sha256}")
        self.revision = revision
        self.stored_sha256 = stored_sha256


@dataclass(frozen=True)
class RevisionUse:
    """A stored revision and how many surveys are pinned to it."""

    spec_id: str
    version: str
    document: str
    sha256: str
    stored_at: dt.datetime
    surveys: int


async def store_revision(session: AsyncSession, revision: Revision, now: dt.datetime) -> None:
    """Store `revision` unless it is stored; RevisionConflict if its id and version are stored with
    other content (then nothing is written)."""
    spec = revision.spec
    written = await upsert(session, SpecRevision, {
        "spec_id": spec.id, "version": spec.version, "document": spec.document, "sha256": revision.sha256,
        "content": revision.content, "stored_at": now,
    }, ["spec_id", "version"])
    if written:
        return
    stored = (await session.execute(select(SpecRevision.sha256).where(
        SpecRevision.spec_id == spec.id, SpecRevision.version == spec.version))).scalar_one()
    if stored != revision.sha256:
        raise RevisionConflict(revision, stored)


async def register_revisions(sessions: Sessions, revisions: Iterable[Revision],
                             now: dt.datetime) -> list[RevisionConflict]:
    """Store every revision not stored yet and pin to it the surveys of its spec id that have no revision
    (made before migration 0007 while their spec file was missing); the conflicts, each left unwritten."""
    conflicts = []
    for revision in revisions:
        try:
            async with sessions.begin() as session:
                await store_revision(session, revision, now)
                await session.execute(update(Survey).where(
                    Survey.spec_id == revision.spec.id, Survey.spec_sha256.is_(None),
                ).values(spec_sha256=revision.sha256))
        except RevisionConflict as conflict:
            conflicts.append(conflict)
    return conflicts


async def revision_content(sessions: Sessions, sha256: str) -> str | None:
    async with sessions() as session:
        return (await session.execute(select(SpecRevision.content).where(SpecRevision.sha256 == sha256))
                ).scalar_one_or_none()


async def surveys_pinned_to(sessions: Sessions, sha256: str) -> int:
    async with sessions() as session:
        return (await session.execute(select(func.count()).where(Survey.spec_sha256 == sha256))).scalar_one()


async def revisions_in_use(sessions: Sessions) -> list[RevisionUse]:
    """Every stored revision with its number of surveys, by spec id, then in the order they were stored."""
    surveys = (select(Survey.spec_sha256, func.count().label("surveys"))
               .group_by(Survey.spec_sha256).subquery())
    query = (select(SpecRevision.spec_id, SpecRevision.version, SpecRevision.document, SpecRevision.sha256,
                    SpecRevision.stored_at, func.coalesce(surveys.c.surveys, 0))
             .outerjoin(surveys, surveys.c.spec_sha256 == SpecRevision.sha256)
             .order_by(SpecRevision.spec_id, SpecRevision.stored_at, SpecRevision.id))
    async with sessions() as session:
        rows = (await session.execute(query)).all()
    return [RevisionUse(*row) for row in rows]
