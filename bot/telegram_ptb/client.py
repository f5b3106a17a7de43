"""The python-telegram-bot Bot, pointed at Telegram or at a self-hosted Bot API server, calling it
through aiohttp (bot/telegram_ptb/aiohttp_request.py)."""

from __future__ import annotations

from telegram import Bot

from bot.telegram_ptb.aiohttp_request import AiohttpRequest

CONCURRENT_UPDATES = 256  # updates of different chats handled at once (PTB's own default)


def create_ptb_bot(token: str, api_url: str | None) -> Bot:
    """A Bot for `token`, calling the Bot API server at `api_url` (None: Telegram's)."""
    requests = {"request": AiohttpRequest(), "get_updates_request": AiohttpRequest()}
    if not api_url:
        return Bot(token, **requests)
    base = api_url.rstrip("/")
    # PTB appends the token to both: <base>/bot<token>/<method> and <base>/file/bot<token>/<path>
    return Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot", **requests)
