"""`surveybot survey create|list`: open a survey for an organization and see how surveys are going."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Coroutine
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.adapters.storage.admins import admin_ids
from bot.adapters.storage.migrate import SchemaNotCurrent
from bot.services import audit
from bot.services.personal_links import survey_url
from bot.services.pinned_specs import SpecFileChanged, register_specs
from bot.services.ports import utc_now
from bot.services.score_report import Column, render_table
from conversations.invite import invite_link
from conversations.new_survey import parse_date
from conversations.survey_dates import (
    closes_at_end_of_day,
    closing_text,
    display_period,
    opening_moment,
    state_word,
    survey_state,
)
from locales import translator
from specs import load_catalog

survey_app = typer.Typer(help="Create and list surveys.", no_args_is_help=True)

BAD_INPUT = 2
DATABASE_PROBLEM = 1
GET_ME_TIMEOUT_SECONDS = 10
Result = TypeVar("Result")


def fail(message: str, code: int = BAD_INPUT) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def parse_day(text: str, option: str) -> dt.date:
    """A calendar day, YYYY-MM-DD (the same forms /newsurvey accepts)."""
    day = parse_date(text)
    if day is None:
        raise fail(f"{option}: '{text}' is not a date; write it like 2026-05-01 (a whole day in TIMEZONE).")
    return day


def survey_period(opens: str | None, closes: str | None, timezone: str,
                  now: dt.datetime) -> tuple[dt.datetime, dt.datetime | None]:
    """(opens_at, closes_at) for --opens/--closes days: from the start of the opening day (default: now)
    to the end of the closing day, in the survey's time zone (conversations.survey_dates)."""
    opens_at = opening_moment(parse_day(opens, "--opens"), timezone) if opens else now
    closes_at = closes_at_end_of_day(parse_day(closes, "--closes"), timezone) if closes else None
    if closes_at is not None and closes_at <= max(opens_at, now):
        raise fail("--closes must not be before --opens, nor in the past.")
    return opens_at, closes_at


@survey_app.command("create")
def create(
    spec: Annotated[str, typer.Option("--spec", help="Spec id, e.g. TBSC120.")],
    org: Annotated[str, typer.Option("--org", help="The audited organization.")],
    target: Annotated[int | None, typer.Option("--target", min=1, help="Target number of responses.")] = None,
    opens: Annotated[str | None, typer.Option("--opens", help="First day (YYYY-MM-DD, from 00:00 in "
                                              "TIMEZONE); default now.")] = None,
    closes: Annotated[str | None, typer.Option("--closes", help="Last day (YYYY-MM-DD, until the end of "
                                               "that day in TIMEZONE); default none.")] = None,
    lead: Annotated[int | None, typer.Option("--lead", help="The lead's Telegram user id (gets the target "
                                             "notice and the digest); default the first administrator.")] = None,
) -> None:
    """Create a survey and print its invite link."""
    settings = Settings()
    catalog = load_catalog(settings.specs_dir)
    found = catalog.get(spec)
    if found is None:
        known = ", ".join(known_spec.id for known_spec in catalog) or "none"
        raise fail(f"Unknown spec '{spec}'. Known specs: {known}.")
    if not org.strip():
        raise fail("--org must name the audited organization.")
    try:
        ZoneInfo(settings.timezone)  # an unknown zone is refused here, before anything is stored
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(f"TIMEZONE '{settings.timezone}' is not a known time zone, e.g. Asia/Shanghai.") from None
    now = utc_now()
    opens_at, closes_at = survey_period(opens, closes, settings.timezone, now)

    async def create_and_name_bot() -> tuple[storage.SurveyRecord, int | None, str | None]:
        database = await open_configured_database(settings)
        try:
            owner = lead if lead is not None else min(settings.admin_ids | await admin_ids(database.sessions),
                                                      default=None)
            await register_specs(database.sessions, catalog, now)
            survey = await storage.create_survey(
                database.sessions, spec_id=found.id, organization=org, timezone=settings.timezone,
                now=now, opens_at=opens_at, closes_at=closes_at, target=target, created_by=owner, spec=found,
            )
            await audit.record(database.sessions, survey.id, audit.CLI, audit.CREATED,
                               {**audit.created_details(survey), "lead": owner}, now)
        finally:
            await database.close()
        return survey, owner, settings.bot_username or await _username_from_telegram(settings)

    survey, owner, username = run_with_database(create_and_name_bot())
    typer.echo(f"Survey created: {found.id} for {survey.organization}.")
    typer.echo(f"Lead: {owner} (gets the target notice and the daily digest)." if owner is not None else
               "No lead: nobody gets its target notice or digest. Pass --lead <telegram id>, or add an "
               "administrator first (surveybot admin add).")
    typer.echo(f"Open {display_period(survey.opens_at, survey.closes_at, survey.timezone, 'en')}"
               + (f", target {survey.target} responses." if survey.target else "."))
    if username:
        typer.echo(f"Invite link: {invite_link(username, survey.code)}")
    else:
        typer.echo(f"Invite code: {survey.code}")
        typer.echo("The bot's username is unknown: set BOT_USERNAME (or BOT_TOKEN) to print the invite link.")
    if settings.web_base_url:
        typer.echo(f"Web page: {survey_url(settings.web_base_url, survey.code)}")


@survey_app.command("list")
def list_() -> None:
    """List all surveys with their progress."""
    settings = Settings()

    async def load() -> list[storage.SurveySummaryRow]:
        database = await open_configured_database(settings)
        try:
            return await storage.list_surveys(database.sessions)
        finally:
            await database.close()

    rows = run_with_database(load())
    if not rows:
        typer.echo('No surveys yet. Create one with: surveybot survey create --spec ID --org "NAME"')
        return
    columns = [Column(name) for name in
               ("code", "spec", "organization", "status", "submitted/started/joined", "target", "closes")]
    now = utc_now()
    lines = [
        (survey.code, survey.spec_id, survey.organization,
         state_word(survey_state(survey.status, survey.opens_at, survey.closes_at, now), "en"),
         f"{progress.submitted}/{progress.started}/{progress.joined}", str(survey.target or "-"),
         closing_text(survey.closes_at, survey.timezone) if survey.closes_at else "-")
        for survey, progress in ((row.survey, row.progress) for row in rows)
    ]
    typer.echo(render_table(columns, lines))


async def open_configured_database(settings: Settings) -> storage.Database:
    """The database at DATABASE_URL, migrated to the newest revision unless MIGRATE_ON_START=false."""
    return await storage.open_database(settings.database_url, migrate=settings.migrate_on_start)


def run_with_database(work: Coroutine[Any, Any, Result], language: str = "en") -> Result:
    """Run `work`; a database that cannot be reached or is not migrated ends in one line, exit code 1."""
    _ = translator(language).gettext
    try:
        return asyncio.run(work)
    except (SchemaNotCurrent, SpecFileChanged) as exc:
        raise fail(str(exc), code=DATABASE_PROBLEM) from None
    except (SQLAlchemyError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise fail(_("Cannot use the database at DATABASE_URL: {reason}").format(reason=reason),
                   code=DATABASE_PROBLEM) from None


async def _username_from_telegram(settings: Settings) -> str | None:
    """The bot's username from getMe, or None without a token or when Telegram does not answer."""
    if settings.bot_token is None:
        return None
    # imported here: every `surveybot` command loads this module, and aiogram takes seconds to import
    from aiogram.exceptions import TelegramAPIError

    from bot.telegram_aiogram.client import create_bot

    bot = create_bot(settings)
    try:
        me = await asyncio.wait_for(bot.get_me(), GET_ME_TIMEOUT_SECONDS)
    except (TelegramAPIError, aiohttp.ClientError, TimeoutError):
        return None
    finally:
        await bot.session.close()
    return me.username


def register(app: typer.Typer) -> None:
    app.add_typer(survey_app, name="survey")
