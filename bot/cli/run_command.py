"""`surveybot run`: start the bot, with long polling or (`--webhook URL`) as a webhook server."""

from __future__ import annotations

import asyncio
import gc
import logging
import secrets
import signal
import sys

import typer

from bot.app import create_app
from bot.logging_setup import setup_logging
from bot.settings import Settings

log = logging.getLogger(__name__)
GIL_SWITCH_INTERVAL_SECONDS = 0.001


def run(
    webhook: str | None = typer.Option(
        None, help="Public HTTPS URL Telegram should post updates to (webhook mode); "
        "the server listens on WEBHOOK_LISTEN and answers GET /healthz."),
) -> None:
    """Run the bot until Ctrl+C or SIGTERM: long polling, or a webhook server with --webhook."""
    settings = Settings()
    if settings.bot_token is None:
        typer.echo("BOT_TOKEN is not set: ask @BotFather on Telegram for a token, then set BOT_TOKEN.",
                   err=True)
        raise typer.Exit(2)
    setup_logging(settings.bot_token.get_secret_value())
    asyncio.run(_serve_webhook(settings, webhook) if webhook else _poll(settings))


async def _poll(settings: Settings) -> None:
    app = await create_app(settings)
    _tune_runtime_for_load()
    try:
        await app.bot.delete_webhook(drop_pending_updates=False)
        app.scheduler.start()
        log.info("polling for updates")
        await app.dispatcher.start_polling(app.bot, close_bot_session=False)
    finally:
        if app.scheduler.running:
            app.scheduler.shutdown(wait=False)
        await app.close()


async def _serve_webhook(settings: Settings, public_url: str) -> None:
    from aiohttp import web

    from bot.webhook import webhook_application

    app = await create_app(settings)
    _tune_runtime_for_load()
    secret = (settings.webhook_secret.get_secret_value() if settings.webhook_secret
              else secrets.token_urlsafe(32))
    host, _, port = settings.webhook_listen.rpartition(":")
    runner = web.AppRunner(webhook_application(app, public_url, secret))
    try:
        await runner.setup()
        await web.TCPSite(runner, host or "0.0.0.0", int(port)).start()
        await app.bot.set_webhook(public_url, secret_token=secret, drop_pending_updates=False)
        app.scheduler.start()
        log.info("webhook server listening on %s for %s", settings.webhook_listen, public_url)
        stop = asyncio.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(signal_number, stop.set)
        await stop.wait()
    finally:
        if app.scheduler.running:
            app.scheduler.shutdown(wait=False)
        await runner.cleanup()
        await app.close()


def _tune_runtime_for_load() -> None:
    """Two settings of the Python runtime that bench/load.py showed to matter under load.

    - What start-up built (modules, specs, the app) is set aside from the garbage collector: it lives
      as long as the process, and Python's full collections walked it all, pausing every update for
      100-300 ms a few times a minute (the p99).
    - SQLite runs in aiosqlite's thread, which needs the GIL back from the event loop for each
      statement; by default a thread asks for it only after waiting 5 ms. With 1 ms, 500 customers
      tapping without pause got 8 % more updates per second through.
    """
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_SECONDS)


def register(app: typer.Typer) -> None:
    app.command("run")(run)
