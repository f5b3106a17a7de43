"""`surveybot db upgrade|downgrade|current`: the schema migrations of the database at DATABASE_URL."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Annotated, Any, TypeVar

import typer
from alembic.util import CommandError

from bot.adapters.settings import Settings
from bot.adapters.storage.migrate import current_revision, downgrade_database, head_revision, upgrade_database
from bot.cli.survey_commands import fail, run_with_database

db_app = typer.Typer(help="Migrate the database schema.", no_args_is_help=True)
Result = TypeVar("Result")


@db_app.command("upgrade")
def upgrade(
    revision: Annotated[str, typer.Option("--revision", help="Target revision, e.g. 0002.")] = "head",
) -> None:
    """Migrate the database up to the newest schema (or to --revision)."""
    url = Settings().database_url
    before = _run(current_revision(url))
    _run(upgrade_database(url, revision))
    after = _run(current_revision(url))
    if after == before:
        typer.echo(f"The database is already at revision {_describe(after)}.")
    else:
        typer.echo(f"Database upgraded from {_describe(before)} to {_describe(after)}.")


@db_app.command("downgrade")
def downgrade(
    revision: Annotated[str, typer.Argument(help='Target revision, e.g. 0001; "base" drops every table.')],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Migrate the database down to REVISION; what later revisions added is dropped, data included."""
    url = Settings().database_url
    before = _run(current_revision(url))
    if not yes:
        typer.confirm(f"Downgrade the database from {_describe(before)} to {revision}? "
                      "Tables and columns added after it are dropped with their data", abort=True)
    _run(downgrade_database(url, revision))
    typer.echo(f"Database downgraded from {_describe(before)} to {_describe(_run(current_revision(url)))}.")


@db_app.command("current")
def current() -> None:
    """Print the database's revision and whether it is the newest."""
    revision = _run(current_revision(Settings().database_url))
    typer.echo(_describe(revision))
    if revision != head_revision():
        raise fail(f"The newest revision is {head_revision()}: run `surveybot db upgrade`.", code=1)


def _describe(revision: str | None) -> str:
    if revision is None:
        return "none (no migrations applied)"
    return f"{revision} (newest)" if revision == head_revision() else revision


def _run(work: Coroutine[Any, Any, Result]) -> Result:
    try:
        return run_with_database(work)
    except CommandError as exc:
        raise fail(f"{exc} (the newest revision is {head_revision()}).") from None


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
