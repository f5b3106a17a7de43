"""`surveybot admin add|remove|list`: the administrators kept in the database (ADMIN_IDS are listed
too; they are changed in the environment)."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.adapters.settings import Settings
from bot.adapters.storage import admins
from bot.cli.survey_commands import fail, open_configured_database, run_with_database
from bot.services.ports import utc_now

admin_app = typer.Typer(help="Administrators: who may create surveys and steer every survey.",
                        no_args_is_help=True)
UserId = Annotated[int, typer.Argument(help="The person's Telegram user id (a number).", min=1)]


@admin_app.command("add")
def add(user_id: UserId) -> None:
    """Make a Telegram user an administrator."""
    added = _with_database(lambda database: admins.add_admin(database.sessions, user_id, "cli", utc_now()))
    typer.echo(f"{user_id} is now an administrator." if added else f"{user_id} is an administrator already.")


@admin_app.command("remove")
def remove(user_id: UserId) -> None:
    """Take the administrator role from a Telegram user (not one in ADMIN_IDS)."""
    if user_id in Settings().admin_ids:
        raise fail(f"{user_id} is in ADMIN_IDS: remove it there and restart the bot.")
    if not _with_database(lambda database: admins.remove_admin(database.sessions, user_id)):
        raise fail(f"{user_id} is not an administrator.")
    typer.echo(f"{user_id} is no longer an administrator.")


@admin_app.command("list")
def list_admins() -> None:
    """Every administrator: ADMIN_IDS and those kept in the database."""
    settings = Settings()
    kept = _with_database(lambda database: admins.admin_ids(database.sessions))
    if not kept and not settings.admin_ids:
        typer.echo("No administrator yet: start the bot and open the one-time link it prints, "
                   "or run `surveybot admin add <telegram id>`.")
    for user_id in sorted(settings.admin_ids):
        typer.echo(f"{user_id}  (ADMIN_IDS)")
    for user_id in sorted(kept - settings.admin_ids):
        typer.echo(f"{user_id}")


def _with_database(work):  # noqa: ANN001, ANN202 - a function of the open database, its result
    async def run():  # noqa: ANN202
        database = await open_configured_database(Settings())
        try:
            return await work(database)
        finally:
            await database.close()

    return run_with_database(run())


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin")
