"""The workbook an audit lead files: Appendix 1 score sheet, raw answers, comments, management maturity,
the survey report (the survey section of an audit report, with signature lines), the log with the seal,
and a glossary as the last sheet.

The workbook is written in openpyxl's write-only mode, row after row: `WorkbookWriter` writes every
sheet but the raw answers and the comments at once, takes those one respondent at a time, and saves;
the raw answers of 100,000 respondents stream through without being held. Every row goes through
`safe_text.append_row`, so a text from a person is never stored as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook

from bot.adapters.reports.data import Comment, RawAnswerRow, ScoreSheet, SurveyReport
from bot.adapters.reports.safe_text import xml_text
from bot.adapters.reports.xlsx_answer_sheets import CommentsSheet, RawAnswersSheet
from bot.adapters.reports.xlsx_glossary_sheet import fill_glossary_sheet
from bot.adapters.reports.xlsx_log_sheet import fill_log_sheet
from bot.adapters.reports.xlsx_management_sheet import fill_management_sheet
from bot.adapters.reports.xlsx_score_sheet import fill_score_sheet
from bot.adapters.reports.xlsx_survey_report import fill_survey_report_sheet
from locales import translator


class WorkbookWriter:
    """One survey's workbook: `add_response` and `add_comment` in respondent order, then `save` once."""

    def __init__(self, sheet: ScoreSheet, language: str, report: SurveyReport | None = None) -> None:
        _ = translator(language).gettext
        report = report or SurveyReport()
        self._workbook = workbook = Workbook(write_only=True)
        fill_score_sheet(workbook.create_sheet(_("Appendix 1 score sheet")), sheet, language)
        self._raw = RawAnswersSheet(workbook.create_sheet(_("Raw answers")), sheet.spec, sheet.quality, language)
        self._comments = CommentsSheet(workbook.create_sheet(_("Comments")), language)
        fill_management_sheet(workbook.create_sheet(_("Management maturity")), sheet.spec, sheet.management,
                              language)
        fill_survey_report_sheet(workbook.create_sheet(_("Survey report")), sheet, report, language)
        fill_log_sheet(workbook.create_sheet(_("Log")), sheet.survey_code, report, language)
        fill_glossary_sheet(workbook.create_sheet(_("Glossary")), language)
        workbook.properties.title = xml_text(f"{sheet.spec.id} {sheet.organization} {sheet.survey_code}")
        workbook.properties.creator = "surveybot"

    def add_response(self, row: RawAnswerRow) -> None:
        self._raw.add(row)

    def add_comment(self, comment: Comment) -> None:
        self._comments.add(comment)

    def save(self, file: BinaryIO | Path) -> None:
        """Finish the streamed sheets and write the .xlsx file (the writer cannot be used after)."""
        self._raw.finish()
        self._comments.finish()
        self._workbook.save(file)


def write_workbook(sheet: ScoreSheet, raw: Iterable[RawAnswerRow], comments: Iterable[Comment],
                   language: str, path: Path | None = None, report: SurveyReport | None = None) -> bytes:
    """The .xlsx file as bytes (also written to `path` when one is given); `raw` and `comments`, in
    respondent order, are read once."""
    writer = WorkbookWriter(sheet, language, report)
    for row in raw:
        writer.add_response(row)
    for comment in comments:
        writer.add_comment(comment)
    buffer = io.BytesIO()
    writer.save(buffer)
    content = buffer.getvalue()
    if path is not None:
        path.write_bytes(content)
    return content
