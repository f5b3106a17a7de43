"""`surveybot export SURVEY_CODE -o FILE.xlsx`: a survey's workbook (and raw answers CSV) from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.cli.specs_commands import LanguageOption, catalog, fail, output_language
from bot.cli.survey_commands import open_configured_database, run_with_database
from bot.services.ports import utc_now
from bot.services.survey_export import ExportFiles, build_export
from bot.services.survey_summary import SpecNotInstalledError
from locales import translator


def export(
    survey_code: Annotated[str, typer.Argument(help="The survey's invite code (`surveybot survey list`).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Workbook to write, e.g. report.xlsx.")],
    csv: Annotated[Path | None, typer.Option(
        "--csv", help="Also write the raw answers as CSV here (readable by `surveybot score`).")] = None,
    lang: LanguageOption = None,
) -> None:
    """Write a survey's Appendix 1 workbook: score sheet, raw answers, comments, management maturity."""
    language = output_language(lang)
    _ = translator(language).gettext
    try:
        files = run_with_database(_export(Settings(), survey_code.strip(), language), language)
    except SpecNotInstalledError as error:
        fail(str(error))
    if files is None:
        fail(_("unknown survey code \"{code}\" (`surveybot survey list` shows the codes)").format(
            code=survey_code))
    for path, content in ((output, files.workbook), (csv, files.answers_csv)):
        if path is None:
            continue
        try:
            path.write_bytes(content)
        except OSError as error:
            fail(_("cannot write {file}: {reason}").format(file=path, reason=error.strerror or error))
        typer.echo(_("wrote {file}").format(file=path))


async def _export(settings: Settings, code: str, language: str) -> ExportFiles | None:
    database = await open_configured_database(settings)
    try:
        survey = await storage.survey_by_code(database.sessions, code)
        if survey is None:
            return None
        return await build_export(database.sessions, catalog(), survey, language, utc_now())
    finally:
        await database.close()


def register(app: typer.Typer) -> None:
    app.command("export")(export)
