"""`surveybot score`: score paper questionnaires offline from CSV files (answers, and maturity if rated)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.adapters.answer_files import AnswerFileError, read_answers, read_maturity
from bot.cli.specs_commands import LanguageOption, fail, output_language, spec_or_exit
from bot.services.score_report import build_score_report, report_json, report_table
from locales import translator
from scoring.confidence import TotalsSummary
from scoring.service import respondent_total


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


def score(
    spec_id: Annotated[str, typer.Option("--spec", help="Spec id, e.g. TBSC120 (any case).")],
    answers: Annotated[Path, typer.Option(
        "--answers", help="CSV with columns respondent,item,rating (rating 1-5, or NA: not applicable).")],
    maturity: Annotated[Path | None, typer.Option(
        "--maturity", help="CSV with columns requirement,level: adds the management level and certification.")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
    lang: LanguageOption = None,
) -> None:
    """Score a batch of paper questionnaires: Appendix 1 filled in, service score, grade, certification."""
    language = output_language(lang)
    _ = translator(language).gettext
    spec = spec_or_exit(spec_id, language)
    try:
        sheet = read_answers(answers, spec, _)
        levels = read_maturity(maturity, spec, _) if maturity is not None else None
    except AnswerFileError as exc:
        fail(str(exc))
    for respondent in sheet.incomplete:
        typer.echo(_("{file}: respondent {respondent} left out: no answer to item(s) {codes}").format(
            file=answers, respondent=respondent, codes=", ".join(sheet.missing_items(respondent))), err=True)
    complete = sheet.complete
    if not complete:
        fail(_("{file}: no respondent answered every item").format(file=answers))
    if levels is not None and len(levels) < len(spec.requirements):
        unrated = [r.code for r in spec.requirements if r.code not in levels]
        typer.echo(_("{file}: requirement(s) not rated, counted as 0: {codes}").format(
            file=maturity, codes=", ".join(unrated)), err=True)
    for respondent in sheet.all_not_applicable:
        typer.echo(_("{file}: respondent {respondent} not scored: every item \"not applicable\"").format(
            file=answers, respondent=respondent), err=True)
    # Per-respondent totals only of those who rated every item: with an NA a total is not comparable, and
    # the interval then comes from the pair histograms instead (scoring.confidence).
    totals = TotalsSummary.of(total for total in (respondent_total(spec, ratings) for ratings in complete.values())
                              if total is not None)
    report = build_score_report(spec, sheet.histograms(), totals, sheet.incomplete, levels,
                                respondents=sheet.scored, pairs=sheet.pair_histograms(),
                                not_scored=sheet.all_not_applicable)
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(report_json(report, language), ensure_ascii=False, indent=2))
    else:
        typer.echo(report_table(report, language))


def register(app: typer.Typer) -> None:
    app.command("score")(score)
