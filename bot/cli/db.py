"""`surveybot db upgrade|downgrade|current|backup`: the schema migrations and backups of the database at
DATABASE_URL."""

from __future__ import annotations

import shlex
import sqlite3
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from alembic.util import CommandError

from bot.adapters.backup import (
    BackupError,
    PostgresCommands,
    SqliteBackup,
    backup_sqlite,
    database_kind,
    postgres_commands,
    require_tool,
    sqlite_path,
)
from bot.adapters.settings import Settings
from bot.adapters.storage.migrate import current_revision, downgrade_database, head_revision, upgrade_database
from bot.cli.survey_commands import BAD_INPUT, DATABASE_PROBLEM, fail, run_with_database
from bot.services.ports import utc_now

db_app = typer.Typer(help="Migrate the database schema; back the database up.", no_args_is_help=True)
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


@db_app.command("backup")
def backup(
    path: Annotated[Path, typer.Argument(help="The file to write (or a directory to put a dated file in).")],
    force: Annotated[bool, typer.Option("--force", help="Replace PATH if it exists.")] = False,
) -> None:
    """SQLite: copy the live database consistently while the bot runs. PostgreSQL: print the pg_dump and
    pg_restore commands for DATABASE_URL."""
    url = Settings().database_url
    kind = database_kind(url)
    try:
        if kind == "sqlite":
            made = backup_sqlite(sqlite_path(url), path, utc_now(), overwrite=force)
        elif kind == "postgresql":
            commands = postgres_commands(url, path, utc_now())
            require_tool("pg_dump")
        else:
            raise BackupError(f"Cannot back up a {kind} database: DATABASE_URL must be SQLite or PostgreSQL.")
    except BackupError as exc:
        raise fail(str(exc), code=BAD_INPUT) from None
    except (sqlite3.Error, OSError) as exc:
        raise fail(f"The backup failed: {exc}", code=DATABASE_PROBLEM) from None
    if kind == "sqlite":
        _print_sqlite_backup(made)
    else:
        _print_postgres_commands(commands)


def _print_sqlite_backup(made: SqliteBackup) -> None:
    counts = ", ".join(f"{count} {table}{'s' if count != 1 else ''}" for table, count in made.counts.items())
    typer.echo(f"Backed up {made.source} to {made.target} ({_size(made.size_bytes)}; "
               f"schema revision {_describe(made.revision)}{'; ' + counts if counts else ''}); "
               "integrity check: ok.")
    database, copy = shlex.quote(str(made.source)), shlex.quote(str(made.target))
    aside = f"{made.source}.before-restore"
    typer.echo("To restore it:")
    typer.echo(f"  1. Stop the bot: every process that uses {made.source} (e.g. systemctl stop surveybot).")
    typer.echo("  2. Move the current database aside with its -wal and -shm files, if they are there "
               "(a -wal file left beside the restored copy would be applied to it and corrupt it):")
    typer.echo(f"       mv {database} {shlex.quote(aside)}")
    for suffix in ("-wal", "-shm"):
        present, moved = shlex.quote(f"{made.source}{suffix}"), shlex.quote(f"{aside}{suffix}")
        typer.echo(f"       [ ! -e {present} ] || mv {present} {moved}")
    typer.echo(f"  3. Copy the backup back: cp {copy} {database}")
    typer.echo("  4. Start the bot again; `surveybot db current` shows the schema revision (the bot migrates "
               "an older copy on start unless MIGRATE_ON_START=false).")


def _size(size_bytes: int) -> str:
    return f"{size_bytes / 1e6:.1f} MB" if size_bytes >= 1e6 else f"{size_bytes / 1e3:.0f} kB"


def _print_postgres_commands(commands: PostgresCommands) -> None:
    typer.echo("PostgreSQL: back up with pg_dump (nothing was copied yet). The password is not shown: "
               "pg_dump and pg_restore ask for it, or read PGPASSWORD or ~/.pgpass.")
    typer.echo("Back up (while the bot runs; pg_dump sees one consistent snapshot):")
    typer.echo(f"  {shlex.join(commands.dump)}")
    typer.echo("Restore (stop the bot first; --clean replaces the tables and their data):")
    typer.echo(f"  {shlex.join(commands.restore)}")
    typer.echo("pg_dump must be of the server's major version or newer (pg_dump --version).")
    if commands.dropped_parameters:
        typer.echo("Left out of the commands (not libpq connection parameters): "
                   + ", ".join(commands.dropped_parameters) + ".")


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
