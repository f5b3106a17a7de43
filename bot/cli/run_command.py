"""`surveybot run`: start the bot on the chosen Telegram framework, with long polling or (`--webhook
URL`) as a webhook server."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Coroutine
from importlib import import_module
from typing import Any

import typer
import uvloop

from bot.adapters.logging_setup import setup_logging
from bot.adapters.settings import Settings
from bot.services.ports import TokenRefused

log = logging.getLogger(__name__)
SHELLS = {"aiogram": "bot.telegram_aiogram.runner", "ptb": "bot.telegram_ptb.runner"}


def token_refused(description: str) -> str:
    """The operator's one line when Telegram refuses BOT_TOKEN as the bot starts."""
    return (f"Telegram refused BOT_TOKEN ({description}): check the token with @BotFather, set BOT_TOKEN, "
            "then start the bot again.")


def run(
    webhook: str | None = typer.Option(
        None, help="Public HTTPS URL Telegram should post updates to (webhook mode); "
        "the server listens on WEBHOOK_LISTEN and answers GET /healthz."),
    with_web: bool = typer.Option(
        False, "--web", help="Also serve the survey page for customers without Telegram (WEB_LISTEN), "
        "in the same process; for small installations."),
    framework: str | None = typer.Option(
        None, help="The Telegram framework: aiogram (default) or ptb (python-telegram-bot); "
        "TELEGRAM_FRAMEWORK sets it too."),
) -> None:
    """Run the bot until Ctrl+C or SIGTERM: long polling, or a webhook server with --webhook."""
    settings = Settings() if framework is None else Settings(telegram_framework=framework)
    if settings.bot_token is None:
        typer.echo("BOT_TOKEN is not set: ask @BotFather on Telegram for a token, then set BOT_TOKEN.",
                   err=True)
        raise typer.Exit(2)
    setup_logging(settings.bot_token.get_secret_value())
    shell = import_module(SHELLS[settings.telegram_framework])
    try:
        if webhook:
            secret = (settings.webhook_secret.get_secret_value() if settings.webhook_secret
                      else secrets.token_urlsafe(32))
            telegram = shell.serve_webhook(settings, webhook, secret)
        else:
            telegram = shell.poll(settings)
        uvloop.run(_beside_the_web_page(telegram, settings) if with_web else telegram)
    except TokenRefused as refused:
        log.error(token_refused(str(refused)))
        raise typer.Exit(2) from None


async def _beside_the_web_page(telegram: Coroutine[Any, Any, None], settings: Settings) -> None:
    from bot.web.server import serve

    await asyncio.gather(telegram, serve(settings))


def register(app: typer.Typer) -> None:
    app.command("run")(run)
