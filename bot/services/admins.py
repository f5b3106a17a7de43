"""Who administers the bot: ADMIN_IDS and the administrators kept in the database. A bot started
with neither prints a one-time claim link; the first person who opens it becomes the administrator,
so an operator never has to look up a Telegram id."""

from __future__ import annotations

import hashlib
import logging
import secrets

from bot.adapters.storage import admins as storage
from bot.services.command_menus import register_lead_menu
from bot.services.context import Deps, Sender
from conversations.admin_texts import admin_claim_unusable_text, admin_claimed_text
from conversations.invite import invite_link

log = logging.getLogger(__name__)
CLAIM_PREFIX = "admin_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def announce_claim_link_if_nobody_administers(deps: Deps) -> str | None:
    """With no administrator at all: a new claim link, printed for the operator; else None."""
    if await deps.admin_ids():
        return None
    token = secrets.token_urlsafe(18)
    await storage.replace_claim(deps.sessions, _hash(token), deps.clock())
    link = invite_link(await deps.bot_username(), CLAIM_PREFIX + token)
    log.warning("No administrator yet. Open this link in Telegram to become the administrator (it works "
                "once; a new one is printed at each start until someone has used one): %s", link)
    return link


async def redeem_claim(deps: Deps, sender: Sender, payload: str) -> None:
    """/start admin_…: the opener becomes the administrator, or is told the link is used up."""
    token = payload.removeprefix(CLAIM_PREFIX)
    language = deps.language_of(sender)
    if not await storage.redeem_claim(deps.sessions, _hash(token), sender.user_id, deps.clock()):
        await deps.delivery.send(sender.chat_id, admin_claim_unusable_text(language))
        return
    log.warning("user %s claimed the administrator link", sender.user_id)
    await deps.delivery.send(sender.chat_id, admin_claimed_text(language))
    await register_lead_menu(deps, sender.chat_id)
