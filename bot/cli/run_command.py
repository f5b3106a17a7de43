"""`surveybot run`: start the bot, with long polling or (`--webhook URL`) as a webhook server."""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal

import typer
import uvloop
from aiogram.exceptions import TelegramNotFound, TelegramUnauthorizedError

from bot.app import create_app, tune_runtime_for_load
from bot.logging_setup import setup_logging
from bot.polling_workers import run_with_workers
from bot.settings import Settings
from bot.telegram_client import token_refused

log = logging.getLogger(__name__)


def run(
    webhook: str | None = typer.Option(
        None, help="Public HTTPS URL Telegram should post updates to (webhook mode); "
        "the server listens on WEBHOOK_LISTEN and answers GET /healthz."),
    workers: int = typer.Option(
        1, min=1, help="Long polling: handle updates in this many processes (one per CPU core); "
        "each chat stays with one of them."),
) -> None:
    """Run the bot until Ctrl+C or SIGTERM: long polling, or a webhook server with --webhook."""
    settings = Settings()
    if settings.bot_token is None:
        typer.echo("BOT_TOKEN is not set: ask @BotFather on Telegram for a token, then set BOT_TOKEN.",
                   err=True)
        raise typer.Exit(2)
    if webhook and workers > 1:
        typer.echo("--workers is for long polling; in webhook mode run one process per core behind "
                   "the reverse proxy (see the README).", err=True)
        raise typer.Exit(2)
    setup_logging(settings.bot_token.get_secret_value())
    try:
        if webhook:
            uvloop.run(_serve_webhook(settings, webhook))
        elif workers > 1:
            raise typer.Exit(run_with_workers(settings, workers))
        else:
            uvloop.run(_poll(settings))
    except (TelegramUnauthorizedError, TelegramNotFound) as refused:  # the first call, before any update
        log.error(token_refused(refused.message))
        raise typer.Exit(2) from None


async def _poll(settings: Settings) -> None:
    app = await create_app(settings)
    tune_runtime_for_load()
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
    tune_runtime_for_load()
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


def register(app: typer.Typer) -> None:
    app.command("run")(run)
