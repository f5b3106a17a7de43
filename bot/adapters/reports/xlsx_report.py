"""The workbook an audit lead files: Appendix 1 score sheet, raw answers, comments, management maturity.

Every cell is written by `safe_text.put`, so a text from a person is never stored as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from bot.adapters.reports.data import Comment, RawAnswerRow, ScoreSheet
from bot.adapters.reports.safe_text import xml_text
from bot.adapters.reports.xlsx_answer_sheets import fill_comments_sheet, fill_raw_answers_sheet
from bot.adapters.reports.xlsx_management_sheet import fill_management_sheet
from bot.adapters.reports.xlsx_score_sheet import fill_score_sheet
from locales import translator


def build_workbook(sheet: ScoreSheet, raw: Sequence[RawAnswerRow], comments: Sequence[Comment],
                   language: str) -> Workbook:
    _ = translator(language).gettext
    workbook = Workbook()
    score_sheet = workbook.active
    score_sheet.title = _("Appendix 1 score sheet")
    fill_score_sheet(score_sheet, sheet, language)
    fill_raw_answers_sheet(workbook.create_sheet(_("Raw answers")), sheet.spec, raw, sheet.quality, language)
    fill_comments_sheet(workbook.create_sheet(_("Comments")), comments, language)
    fill_management_sheet(workbook.create_sheet(_("Management maturity")), sheet.spec, sheet.management,
                          language)
    workbook.properties.title = xml_text(f"{sheet.spec.id} {sheet.organization} {sheet.survey_code}")
    workbook.properties.creator = "surveybot"
    return workbook


def write_workbook(sheet: ScoreSheet, raw: Sequence[RawAnswerRow], comments: Sequence[Comment],
                   language: str, path: Path | None = None) -> bytes:
    """The .xlsx file as bytes; also written to `path` when one is given."""
    buffer = io.BytesIO()
    build_workbook(sheet, raw, comments, language).save(buffer)
    content = buffer.getvalue()
    if path is not None:
        path.write_bytes(content)
    return content
