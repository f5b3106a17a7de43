"""`surveybot run`: start the bot (long polling)."""

from __future__ import annotations

import asyncio
import logging

import typer

from bot.app import create_app
from bot.logging_setup import setup_logging
from bot.settings import Settings

log = logging.getLogger(__name__)


def run() -> None:
    """Run the bot with long polling until Ctrl+C or SIGTERM."""
    settings = Settings()
    if settings.bot_token is None:
        typer.echo("BOT_TOKEN is not set: ask @BotFather on Telegram for a token, then set BOT_TOKEN.",
                   err=True)
        raise typer.Exit(2)
    setup_logging(settings.bot_token.get_secret_value())
    asyncio.run(_poll(settings))


async def _poll(settings: Settings) -> None:
    app = await create_app(settings)
    try:
        await app.bot.delete_webhook(drop_pending_updates=False)
        log.info("polling for updates")
        await app.dispatcher.start_polling(app.bot, close_bot_session=False)
    finally:
        await app.close()


def register(app: typer.Typer) -> None:
    app.command("run")(run)
