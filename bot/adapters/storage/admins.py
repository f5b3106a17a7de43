"""Administrators kept in the database (beside ADMIN_IDS) and the one-time claim link's token."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select

from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.tables import Admin, AdminClaim


async def admin_ids(sessions: Sessions) -> frozenset[int]:
    async with sessions() as session:
        return frozenset((await session.scalars(select(Admin.telegram_user_id))).all())


async def add_admin(sessions: Sessions, user_id: int, added_by: str, now: dt.datetime) -> bool:
    """False when the user is an administrator already."""
    async with sessions.begin() as session:
        if await session.get(Admin, user_id) is not None:
            return False
        session.add(Admin(telegram_user_id=user_id, added_at=now, added_by=added_by))
        return True


async def remove_admin(sessions: Sessions, user_id: int) -> bool:
    """False when the user was no administrator kept in the database."""
    async with sessions.begin() as session:
        return (await session.execute(delete(Admin).where(Admin.telegram_user_id == user_id))).rowcount > 0


async def replace_claim(sessions: Sessions, token_hash: str, now: dt.datetime) -> None:
    """The one claim link from now on (an older, unused one stops working)."""
    async with sessions.begin() as session:
        await session.execute(delete(AdminClaim))
        session.add(AdminClaim(token_hash=token_hash, created_at=now))


async def redeem_claim(sessions: Sessions, token_hash: str, user_id: int, now: dt.datetime) -> bool:
    """Make `user_id` the administrator if the token is the claim link's and nobody has an admin row
    yet; the link is used up either way. One transaction, so two openers cannot both win."""
    async with sessions.begin() as session:
        claimed = (await session.execute(delete(AdminClaim).where(AdminClaim.token_hash == token_hash))).rowcount
        if not claimed or (await session.scalars(select(Admin.telegram_user_id).limit(1))).first() is not None:
            return False
        session.add(Admin(telegram_user_id=user_id, added_at=now, added_by="claim link"))
        return True
