"""`surveybot run`: start the bot (long polling)."""

from __future__ import annotations

import typer

from bot.settings import Settings


def run() -> None:
    """Run the bot with long polling."""
    settings = Settings()
    if settings.bot_token is None:
        typer.echo("BOT_TOKEN is not set: ask @BotFather on Telegram for a token, then set BOT_TOKEN.",
                   err=True)
        raise typer.Exit(2)
    raise typer.Exit(1)  # the bot itself is wired in bot/app.py (in progress)


def register(app: typer.Typer) -> None:
    app.command("run")(run)
