"""`surveybot web`: serve the survey page on WEB_LISTEN until Ctrl+C or SIGTERM."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.adapters.lifecycle import until_stop_signal
from bot.adapters.settings import Settings
from bot.adapters.storage import open_database
from bot.adapters.storage.migrate import SchemaNotCurrent
from bot.web.app import create_web_app
from specs import load_catalog

log = logging.getLogger(__name__)


def listen_address(listen: str) -> tuple[str, int]:
    """("host", port) of "host:port" (IPv6 as "[::1]:8000")."""
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"WEB_LISTEN {listen!r} is not host:port, e.g. 0.0.0.0:8000")
    return host.strip("[]"), int(port)


async def serve(settings: Settings) -> None:
    host, port = listen_address(settings.web_listen)
    catalog = load_catalog(settings.specs_dir)
    for problem in catalog.refused:
        log.error("spec file refused: %s", problem)
    try:
        database = await open_database(settings.database_url, migrate=settings.migrate_on_start)
    except SchemaNotCurrent as outdated:
        raise SystemExit(str(outdated)) from None
    runner = web.AppRunner(create_web_app(settings, database, catalog), access_log=None)
    try:
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        log.info("the survey page listens on http://%s:%s (links: %s/s/<code>)", host, port,
                 settings.web_base_url or "WEB_BASE_URL unset")
        await until_stop_signal()
    finally:
        await runner.cleanup()
        await database.close()
