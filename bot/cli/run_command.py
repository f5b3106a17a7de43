"""`surveybot run`: start the bot on the chosen Telegram framework, with long polling or (`--webhook
URL`) as a webhook server."""

from __future__ import annotations

import logging
import secrets
from importlib import import_module

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
            uvloop.run(shell.serve_webhook(settings, webhook, secret))
        else:
            uvloop.run(shell.poll(settings))
    except TokenRefused as refused:
        log.error(token_refused(str(refused)))
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    app.command("run")(run)
