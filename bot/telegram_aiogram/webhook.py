"""Webhook mode: an aiohttp server that takes updates from Telegram (behind a reverse proxy).

A request without the right X-Telegram-Bot-Api-Secret-Token header is refused (aiogram's
SimpleRequestHandler checks it); GET /healthz answers 200 while the database is reachable.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy import text

from bot.app import App

log = logging.getLogger(__name__)


def webhook_application(app: App, public_url: str, secret: str) -> web.Application:
    """The aiohttp app serving the webhook at the path of `public_url` and /healthz."""
    server = web.Application()
    SimpleRequestHandler(app.dispatcher, app.bot, secret_token=secret).register(
        server, path=urlsplit(public_url).path or "/"
    )
    setup_application(server, app.dispatcher, bot=app.bot)

    async def healthz(_request: web.Request) -> web.Response:
        try:
            async with app.database.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - any database failure means "unhealthy"
            log.warning("health check failed: %s", error)
            return web.json_response({"status": "database unreachable"}, status=503)
        return web.json_response({"status": "ok"})

    server.router.add_get("/healthz", healthz)
    return server
