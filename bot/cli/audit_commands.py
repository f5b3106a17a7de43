"""`surveybot survey verify CODE` and `surveybot survey log CODE`: check a survey's hash chains (its
responses and its audit trail) and print the trail with the survey's seal (docs/audit.md)."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.cli.survey_commands import fail, open_configured_database, run_with_database, survey_app
from bot.services import audit

NOT_INTACT = 1
CodeArgument = Annotated[str, typer.Argument(help="The survey's invite code (`surveybot survey list`).")]


def _unknown(code: str) -> typer.Exit:
    return fail(f"No survey has the code {code!r} (see: surveybot survey list).")


def verify(code: CodeArgument) -> None:
    """Recompute the survey's response chain and audit-trail chain; exit code 0 when intact, 1 when not."""
    settings = Settings()

    async def work() -> audit.Verification | None:
        database = await open_configured_database(settings)
        try:
            survey = await storage.survey_by_code(database.sessions, code.strip())
            return None if survey is None else await audit.verify_survey(database.sessions, survey.id)
        finally:
            await database.close()

    found = run_with_database(work())
    if found is None:
        raise _unknown(code)
    if found.intact:
        typer.echo(f"Survey {code}: intact ({found.responses} sealed responses, {found.entries} log entries).")
        typer.echo(f"Seal: {found.seal}")
        return
    typer.echo(f"Survey {code}: NOT intact ({len(found.problems)} problems).")
    for problem in found.problems:
        typer.echo(f"  - {problem}")
    raise typer.Exit(NOT_INTACT)


def log(code: CodeArgument) -> None:
    """Print the survey's audit trail (times in its time zone, who, action, details) and its seal."""
    settings = Settings()

    async def work() -> tuple[storage.SurveyRecord, list[audit.EntryRecord], audit.Verification] | None:
        database = await open_configured_database(settings)
        try:
            survey = await storage.survey_by_code(database.sessions, code.strip())
            if survey is None:
                return None
            return (survey, await audit.trail(database.sessions, survey.id),
                    await audit.verify_survey(database.sessions, survey.id))
        finally:
            await database.close()

    found = run_with_database(work())
    if found is None:
        raise _unknown(code)
    survey, entries, verification = found
    zone = ZoneInfo(survey.timezone)
    typer.echo(f"Audit trail of survey {survey.code} ({survey.organization}), times in {survey.timezone}:")
    if not entries:
        typer.echo("  (no entries)")
    for entry in entries:
        details = ", ".join(f"{key}={value}" for key, value in entry.details.items())
        typer.echo(f"  #{entry.id} {entry.at.astimezone(zone):%Y-%m-%d %H:%M:%S} {entry.who} {entry.action}"
                   + (f": {details}" if details else ""))
    typer.echo(f"Seal: {verification.seal} ({verification.responses} sealed responses, "
               f"{verification.entries} log entries; "
               + ("intact)" if verification.intact else "NOT intact: run surveybot survey verify)"))


def register(app: typer.Typer) -> None:
    survey_app.command("verify")(verify)
    survey_app.command("log")(log)
