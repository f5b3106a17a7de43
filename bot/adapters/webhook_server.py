"""Webhook mode for either Telegram shell: an aiohttp server behind a reverse proxy that takes updates
at the path of the public URL and hands each to `feed`, and answers GET /healthz.

A request without the right X-Telegram-Bot-Api-Secret-Token header is refused with 401. An update is
acknowledged at once and handled in the background, as Telegram expects.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.adapters.lifecycle import until_stop_signal

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
Feed = Callable[[dict[str, Any]], Awaitable[None]]
HealthCheck = Callable[[], Awaitable[bool]]


def webhook_application(public_url: str, secret: str, feed: Feed, healthy: HealthCheck) -> web.Application:
    server = web.Application()
    handling: set[asyncio.Task[None]] = set()

    async def take_update(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
            return web.Response(status=401, text="wrong or missing secret token")
        try:
            update = await request.json()
        except ValueError:
            return web.Response(status=400, text="not JSON")
        task = asyncio.create_task(feed(update))
        handling.add(task)
        task.add_done_callback(handling.discard)
        return web.Response(text="ok")

    async def healthz(_request: web.Request) -> web.Response:
        if await healthy():
            return web.json_response({"status": "ok"})
        return web.json_response({"status": "database unreachable"}, status=503)

    server.router.add_post(urlsplit(public_url).path or "/", take_update)
    server.router.add_get("/healthz", healthz)
    return server


async def serve_until_stopped(server: web.Application, listen: str, started: Callable[[], Awaitable[None]]) -> None:
    """Listen on "host:port", await `started()` (e.g. setWebhook), then serve until SIGINT or SIGTERM."""
    host, _, port = listen.rpartition(":")
    runner = web.AppRunner(server)
    try:
        await runner.setup()
        await web.TCPSite(runner, host or "0.0.0.0", int(port)).start()
        await started()
        await until_stop_signal()
    finally:
        await runner.cleanup()
