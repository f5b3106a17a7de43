"""`surveybot web`: serve the survey page (`WEB_BASE_URL/s/<code>`) for customers without Telegram;
`surveybot survey links CODE --count N --csv FILE`: issue single-use personal links."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvloop

from bot.adapters.logging_setup import setup_logging
from bot.adapters.settings import Settings
from bot.cli.survey_commands import fail, open_configured_database, run_with_database, survey_app
from bot.services.personal_links import MAX_LINKS_AT_ONCE, UnknownSurvey, issue_links, links_csv
from bot.services.ports import utc_now


def web(listen: Annotated[str | None, typer.Option(help="host:port to listen on (default WEB_LISTEN).")] = None,
        ) -> None:
    """Serve the survey page for customers without Telegram until Ctrl+C or SIGTERM."""
    from bot.web.server import listen_address, serve

    settings = Settings() if listen is None else Settings(web_listen=listen)
    try:
        listen_address(settings.web_listen)
    except ValueError as error:
        raise fail(str(error)) from None
    setup_logging(None)
    uvloop.run(serve(settings))


def links(
    code: Annotated[str, typer.Argument(help="The survey's invite code.")],
    count: Annotated[int, typer.Option("--count", min=1, max=MAX_LINKS_AT_ONCE, help="How many links.")],
    csv_path: Annotated[Path, typer.Option("--csv", help="The CSV file to write (number,link).")],
) -> None:
    """Issue single-use personal web links of a survey into a CSV file."""
    settings = Settings()
    if not settings.web_base_url:
        raise fail("WEB_BASE_URL is not set: set it to the public address of `surveybot web`, "
                   "e.g. https://survey.example.org")

    async def issue() -> list[str]:
        database = await open_configured_database(settings)
        try:
            return await issue_links(database.sessions, code, count, settings.web_base_url or "", utc_now())
        finally:
            await database.close()

    try:
        issued = run_with_database(issue())
    except UnknownSurvey:
        raise fail(f"No survey has the code '{code}' (see `surveybot survey list`).") from None
    csv_path.write_text(links_csv(issued), encoding="utf-8")
    typer.echo(f"{len(issued)} personal links of survey {code} written to {csv_path}; each admits one response.")


def register(app: typer.Typer) -> None:
    app.command("web")(web)
    survey_app.command("links")(links)
