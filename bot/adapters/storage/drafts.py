"""An audit lead's unfinished guided dialogue (e.g. /newsurvey), kept in the database between updates.

One draft per user and kind; its `data` is whatever text the dialogue serializes itself to (JSON).
A draft older than `max_age` counts as abandoned: `load_draft` ignores it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select

from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.tables import LeadDraft
from bot.adapters.storage.upsert import upsert


async def save_draft(sessions: Sessions, user_id: int, kind: str, data: str, now: dt.datetime) -> None:
    async with sessions.begin() as session:
        await upsert(
            session, LeadDraft,
            {"telegram_user_id": user_id, "kind": kind, "data": data, "updated_at": now},
            conflict_columns=("telegram_user_id", "kind"), update_columns=("data", "updated_at"),
        )


async def load_draft(sessions: Sessions, user_id: int, kind: str, now: dt.datetime,
                     max_age: dt.timedelta) -> str | None:
    """The draft's data, or None when there is none or it was last touched more than `max_age` ago."""
    query = select(LeadDraft.data).where(
        LeadDraft.telegram_user_id == user_id, LeadDraft.kind == kind, LeadDraft.updated_at > now - max_age
    )
    async with sessions() as session:
        return (await session.execute(query)).scalar_one_or_none()


async def delete_draft(sessions: Sessions, user_id: int, kind: str) -> None:
    async with sessions.begin() as session:
        await session.execute(
            delete(LeadDraft).where(LeadDraft.telegram_user_id == user_id, LeadDraft.kind == kind)
        )
