"""`surveybot survey edit CODE`: change a survey's first or last day or its target, logged in its audit
trail ("dates changed", "target changed")."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.cli.survey_commands import fail, open_configured_database, parse_day, run_with_database, survey_app
from bot.services import audit
from bot.services.ports import utc_now
from bot.services.survey_changes import change_dates_and_target
from conversations.survey_dates import closes_at_end_of_day, display_period, opening_moment

NONE = "none"


def edit(
    code: Annotated[str, typer.Argument(help="The survey's invite code.")],
    opens: Annotated[str | None, typer.Option("--opens", help="New first day (YYYY-MM-DD).")] = None,
    closes: Annotated[str | None, typer.Option("--closes", help="New last day (YYYY-MM-DD, until the end of "
                                               "that day), or 'none' for no closing date.")] = None,
    target: Annotated[str | None, typer.Option("--target", help="New target number of responses, or "
                                               "'none'.")] = None,
) -> None:
    """Change the dates or the target of a survey; days are whole days in the survey's time zone."""
    if opens is None and closes is None and target is None:
        raise fail("Nothing to change: give --opens, --closes or --target.")
    new_target = _target(target)
    settings = Settings()

    async def work() -> storage.SurveyRecord | None:
        database = await open_configured_database(settings)
        try:
            survey = await storage.survey_by_code(database.sessions, code)
            if survey is None:
                return None
            now = utc_now()
            opens_at = opening_moment(parse_day(opens, "--opens"), survey.timezone) if opens else survey.opens_at
            closes_at = survey.closes_at if closes is None else new_closes(closes, survey.timezone)
            if closes_at is not None and closes_at <= (max(opens_at, now) if closes else opens_at):
                raise fail("--closes must not be before --opens, nor in the past.")
            return await change_dates_and_target(
                database.sessions, survey, audit.CLI, now, opens_at=opens_at, closes_at=closes_at,
                target=survey.target if target is None else new_target)
        finally:
            await database.close()

    survey = run_with_database(work())
    if survey is None:
        raise fail(f"No survey has the code {code!r} (see: surveybot survey list).")
    typer.echo(f"Survey {code}: open {display_period(survey.opens_at, survey.closes_at, survey.timezone, 'en')}, "
               + (f"target {survey.target} responses." if survey.target else "no target."))


def new_closes(text: str, timezone: str) -> dt.datetime | None:
    return None if text == NONE else closes_at_end_of_day(parse_day(text, "--closes"), timezone)


def _target(text: str | None) -> int | None:
    if text is None or text == NONE:
        return None
    if not text.isdigit() or int(text) < 1:
        raise fail(f"--target: '{text}' is not a whole number of responses (1 or more), nor 'none'.")
    return int(text)


def register(app: typer.Typer) -> None:
    survey_app.command("edit")(edit)
