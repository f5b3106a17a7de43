"""The python-telegram-bot Bot, pointed at Telegram or at a self-hosted Bot API server."""

from __future__ import annotations

from telegram import Bot
from telegram.request import HTTPXRequest

# Connections kept to the Bot API: calls made at once for many updates share them, and a call that
# finds none free within the pool timeout fails. PTB's Application uses the same default.
CONNECTION_POOL_SIZE = 256


def create_ptb_bot(token: str, api_url: str | None) -> Bot:
    """A Bot for `token`, calling the Bot API server at `api_url` (None: Telegram's)."""
    request = HTTPXRequest(connection_pool_size=CONNECTION_POOL_SIZE)
    if not api_url:
        return Bot(token, request=request)
    base = api_url.rstrip("/")
    # PTB appends the token to both: <base>/bot<token>/<method> and <base>/file/bot<token>/<path>
    return Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot", request=request)
