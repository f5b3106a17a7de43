"""`surveybot survey import-responses CODE FILE.csv`: add paper questionnaires to a survey.

The CSV is the `surveybot score` answers format (respondent,item,rating; rating 1-5 or NA for "not
applicable"), read and checked by bot/adapters/answer_files.py: a bad file is refused with one line and
exit code 2, nothing added. Each respondent who answered every item (a rating or NA) becomes a
submitted "paper" respondent; incomplete ones are named and left out. One who answered every item NA
is added too: the summary flags it "all not applicable" and does not score it. The same file (same
bytes, by SHA-256) is imported into a survey only once: a second import is refused, so a repeated
command cannot double the data. Closed surveys accept imports (paper questionnaires are often typed
in after the survey closed). The file is read against the spec the survey is pinned to, and the import
is written to the survey's audit trail (`paper import`: file name, SHA-256, rows, responses added and
left out).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

import typer

from bot.adapters import storage
from bot.adapters.answer_files import AnswerFileError, AnswerSheet, Gettext, read_answers
from bot.adapters.settings import Settings
from bot.adapters.storage.paper_imports import claim_paper_import
from bot.cli.specs_commands import LanguageOption, catalog, fail, output_language
from bot.cli.survey_commands import open_configured_database, run_with_database, survey_app
from bot.services import audit
from bot.services.pinned_specs import pinned_spec
from bot.services.ports import utc_now
from locales import translator


def import_responses(
    survey_code: Annotated[str, typer.Argument(help="The survey's code (the end of its invite link).")],
    file: Annotated[Path, typer.Argument(
        help="CSV with columns respondent,item,rating (rating 1-5, or NA: not applicable).")],
    lang: LanguageOption = None,
) -> None:
    """Add paper questionnaires (CSV, the format of `surveybot score`) to a survey as submitted responses."""
    language = output_language(lang)
    _ = translator(language).gettext
    settings = Settings()
    outcome = run_with_database(_import(settings, survey_code.strip(), file, _), language)
    if isinstance(outcome, str):
        fail(outcome)
    for respondent in outcome.incomplete:
        typer.echo(_("{file}: respondent {respondent} left out: no answer to item(s) {codes}").format(
            file=file, respondent=respondent, codes=", ".join(outcome.missing_items(respondent))), err=True)
    typer.echo(_("Added {count} paper response(s) to survey {code}.").format(
        count=len(outcome.complete), code=survey_code.strip()))


async def _import(settings: Settings, code: str, file: Path, _: Gettext) -> AnswerSheet | str:
    """The sheet whose complete respondents were added, or the one-line reason nothing was added."""
    database = await open_configured_database(settings)
    try:
        survey = await storage.survey_by_code(database.sessions, code)
        if survey is None:
            return _("unknown survey code \"{code}\"").format(code=code)
        spec = await pinned_spec(database.sessions, catalog(), survey)
        if spec is None:
            return _("survey {code}: its spec {spec} is not installed").format(code=code, spec=survey.spec_id)
        try:
            sheet = read_answers(file, spec, _)
        except AnswerFileError as exc:
            return str(exc)
        if not sheet.complete:
            return _("{file}: no respondent answered every item").format(file=file)
        now = utc_now()
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        earlier = await claim_paper_import(database.sessions, survey.id, digest, file.name, now)
        if earlier is not None:
            return _("{file} was already imported into survey {code} on {when}; nothing added.").format(
                file=file, code=code, when=earlier.strftime("%Y-%m-%d %H:%M UTC"))
        for ratings in sheet.complete.values():
            await storage.add_paper_respondent(database.sessions, survey.id, ratings, now)
        await audit.record(database.sessions, survey.id, audit.CLI, audit.PAPER_IMPORT, {
            "file": file.name, "sha256": digest, "rows": sum(map(len, sheet.ratings.values())),
            "responses": len(sheet.complete), "left_out": len(sheet.incomplete)}, now)
        return sheet
    finally:
        await database.close()


def register(app: typer.Typer) -> None:
    """Adds `import-responses` to the `survey` group (registered by bot.cli.survey_commands)."""
    survey_app.command("import-responses")(import_responses)
