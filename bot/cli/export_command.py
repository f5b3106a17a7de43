"""`surveybot export SURVEY_CODE -o FILE.xlsx`: a survey's workbook (and raw answers CSV) from the shell."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.cli.specs_commands import LanguageOption, catalog, fail, output_language
from bot.cli.survey_commands import open_configured_database, run_with_database
from bot.services import audit
from bot.services.ports import utc_now
from bot.services.survey_export import record_export, write_export
from bot.services.survey_summary import SpecNotInstalledError
from locales import translator


def export(
    survey_code: Annotated[str, typer.Argument(help="The survey's invite code (`surveybot survey list`).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Workbook to write, e.g. report.xlsx.")],
    csv: Annotated[Path | None, typer.Option(
        "--csv", help="Also write the raw answers as CSV here (readable by `surveybot score`).")] = None,
    lang: LanguageOption = None,
) -> None:
    """Write a survey's workbook (score sheet, raw answers, comments, management maturity, survey report, log,
    glossary); with --csv also its raw answers as CSV."""
    language = output_language(lang)
    _ = translator(language).gettext
    try:
        written = run_with_database(_export(Settings(), survey_code.strip(), language, output, csv), language)
    except SpecNotInstalledError as error:
        fail(str(error))
    if not written:
        fail(_("unknown survey code \"{code}\" (`surveybot survey list` shows the codes)").format(
            code=survey_code))
    for path in written:
        typer.echo(_("wrote {file}").format(file=path))


async def _export(settings: Settings, code: str, language: str, output: Path, csv: Path | None) -> list[Path]:
    """The files written (none for an unknown code): the CSV streams to its file as the workbook is built."""
    database = await open_configured_database(settings)
    try:
        survey = await storage.survey_by_code(database.sessions, code)
        if survey is None:
            return []
        with ExitStack() as files:
            workbook = files.enter_context(_opened(output, language))
            answers = None if csv is None else files.enter_context(_opened(csv, language))
            written = await write_export(database.sessions, catalog(), survey, language, utc_now(), answers)
            workbook.write(written.workbook)
        formats = ("xlsx",) if csv is None else ("xlsx", "csv")
        await record_export(database.sessions, survey, audit.CLI, formats, written.respondents, utc_now())
        return [output] if csv is None else [output, csv]
    finally:
        await database.close()


@contextmanager
def _opened(path: Path, language: str) -> Iterator[BinaryIO]:
    """`path` open for writing; one line and exit code 2 when it cannot be."""
    _ = translator(language).gettext
    try:
        file = path.open("wb")
    except OSError as error:
        fail(_("cannot write {file}: {reason}").format(file=path, reason=error.strerror or error))
    with file:
        yield file


def register(app: typer.Typer) -> None:
    app.command("export")(export)
