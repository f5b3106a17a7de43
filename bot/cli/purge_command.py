"""`surveybot survey purge CODE`: remove the Telegram ids of a closed survey's respondents."""

from __future__ import annotations

import typer

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.adapters.storage.retention import purge_telegram_ids
from bot.cli.survey_commands import fail, open_configured_database, run_with_database, survey_app
from bot.services import audit
from bot.services.ports import utc_now


def purge(code: str = typer.Argument(..., help="The survey's invite code.")) -> None:
    """Remove the Telegram ids of a closed survey's respondents; answers and scores stay."""
    settings = Settings()

    async def work() -> int | None | str:
        database = await open_configured_database(settings)
        try:
            survey = await storage.survey_by_code(database.sessions, code)
            if survey is None:
                return "unknown"
            purged = await purge_telegram_ids(database.sessions, survey.id)
            if purged is not None:
                await audit.record(database.sessions, survey.id, audit.CLI, audit.PURGED,
                                   {"respondents": purged}, utc_now())
            return purged
        finally:
            await database.close()

    purged = run_with_database(work())
    if purged == "unknown":
        raise fail(f"No survey has the code {code!r} (see: surveybot survey list).")
    if purged is None:
        raise fail(f"Survey {code} is still open: close it first (/close in Telegram), then purge.")
    typer.echo(f"Survey {code}: the Telegram ids of {purged} respondents were removed; "
               "their anonymous answers and the scores are kept.")


def register(app: typer.Typer) -> None:
    survey_app.command("purge")(purge)
