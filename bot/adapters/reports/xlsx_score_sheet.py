"""Sheet 1: the spec's Appendix 1 score sheet (服务能力评价评分表), filled in.

A header names the spec document and its version, the organization, the survey code and dates, when
the file was made and how many responses were submitted of those started. Numbers are stored as they
are displayed: α with two decimals, scores with one (rule 4). When the item rows carry their counts (a
survey's export always does), two columns after the score give each item's number of ratings (评分人数)
and of "not applicable" answers (不适用人数). An item nobody rated shows "—" for α and score, and the
service score is then undetermined (未确定), never 0.
"""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.adapters.reports.data import ScoreSheet
from bot.adapters.reports.xlsx_style import (
    ALPHA_FORMAT,
    BOLD,
    BORDER,
    CENTER,
    COUNT_FORMAT,
    DATETIME_FORMAT,
    FRAMED_CENTER,
    FRAMED_TEXT,
    LABEL,
    LEFT,
    SCORE_FORMAT,
    TEXT,
    TITLE_FONT,
    Look,
    RowWriter,
    local_time,
    prepare_for_print,
    respondent_list,
    rounded,
    set_column_widths,
    styled,
)
from locales import normalize_language, translator
from specs.model import Characteristic, Item

COLUMNS = 6
COUNT_COLUMNS = 2  # ratings and "not applicable" answers per item, when the rows carry them
HEADER_ROW = 6
FIRST_ITEM_ROW = HEADER_ROW + 1
_WIDTHS = (18, 22, 60, 10, 12, 12)
_COUNT_WIDTHS = (10, 10)
_STATEMENT_WIDTH = _WIDTHS[2]
NOT_RATED = "—"

_FACT = Look(alignment=LEFT)
_TOTAL = Look(font=BOLD, alignment=CENTER, border=BORDER)


def fill_score_sheet(sheet: WriteOnlyWorksheet, score_sheet: ScoreSheet, language: str) -> None:
    _ = translator(language).gettext
    counts = score_sheet.has_counts
    columns = COLUMNS + (COUNT_COLUMNS if counts else 0)
    set_column_widths(sheet, _WIDTHS + (_COUNT_WIDTHS if counts else ()))
    sheet.freeze_panes = f"A{FIRST_ITEM_ROW}"
    prepare_for_print(sheet, f"{HEADER_ROW}:{HEADER_ROW}")
    rows = RowWriter(sheet)
    _write_title(rows, score_sheet, language)
    headers = [
        _bilingual("服务特性指标", _("Service characteristic"), language),
        _bilingual("服务过程质量指标", _("Service process quality indicator"), language),
        _bilingual("评价内容", _("Evaluation content"), language),
        _bilingual("单项分值", _("Item weight"), language),
        _bilingual("体验系数 α", _("Experience coefficient α"), language),
        _bilingual("实际得分", _("Actual score"), language),
    ]
    if counts:
        headers += [_bilingual("评分人数", _("Rated (n)"), language),
                    _bilingual("不适用人数", _("Not applicable (n)"), language)]
    rows.header(headers)
    for characteristic in score_sheet.spec.characteristics:
        for index, item in enumerate(characteristic.items):
            _write_item_row(rows, characteristic if index == 0 else None, item, score_sheet, language)
    _write_totals(rows, score_sheet, columns, language)
    rows.add()
    _write_quality_note(rows, score_sheet, language)


def _write_title(rows: RowWriter, score_sheet: ScoreSheet, language: str) -> None:
    _ = translator(language).gettext
    sheet, spec = rows.sheet, score_sheet.spec
    title = _("{service} requirements (service capability score sheet)").format(
        service=spec.service.in_language(language))
    rows.add([styled(sheet, title, Look(font=TITLE_FONT))], height=24)
    started = score_sheet.started if score_sheet.started is not None else NOT_RATED
    generated = Look(alignment=LEFT, number_format=DATETIME_FORMAT)
    facts: tuple[tuple[str, Any, str, Any, Look], ...] = (
        (_("Spec document"), spec.document, _("Version"), spec.version, _FACT),
        (_("Organization"), score_sheet.organization, _("Survey code"), score_sheet.survey_code, _FACT),
        (_("Survey period"), score_sheet.period or NOT_RATED, _("Generated"), local_time(score_sheet.generated_at),
         generated),
        (_("Submitted responses (n)"), score_sheet.respondents, _("Started (n, submitted included)"), started,
         _FACT),
    )
    for left_label, left_value, right_label, right_value, right_look in facts:
        rows.add([styled(sheet, left_label, LABEL), styled(sheet, left_value, _FACT), None,
                  styled(sheet, right_label, LABEL), styled(sheet, right_value, right_look)])


def _write_item_row(rows: RowWriter, characteristic: Characteristic | None, item: Item, score_sheet: ScoreSheet,
                    language: str) -> None:
    """One item; the first item of a characteristic also names the characteristic (column A)."""
    sheet = rows.sheet
    dimension = item.dimension.in_language(language)
    if characteristic is None or item.code != characteristic.code:
        dimension = f"{item.code}. {dimension}"
    statement = item.statement.in_language(language)
    item_score = score_sheet.item_row(item.code)
    unrated = item_score.rated == 0
    label = None
    if characteristic is not None:
        name = f"{characteristic.code}. {characteristic.name.in_language(language)}"
        label = _points_label(name, characteristic.max, language)
    values = [
        styled(sheet, label, FRAMED_CENTER),
        styled(sheet, _points_label(dimension, item.weight, language), FRAMED_CENTER),
        styled(sheet, statement, FRAMED_TEXT),
        _number(sheet, item.weight, COUNT_FORMAT),
        _number(sheet, NOT_RATED if unrated else rounded(item_score.alpha, 2), ALPHA_FORMAT),
        _number(sheet, NOT_RATED if unrated else rounded(item_score.score), SCORE_FORMAT),
    ]
    if score_sheet.has_counts:
        values += [_number(sheet, item_score.rated, COUNT_FORMAT),
                   _number(sheet, item_score.not_applicable, COUNT_FORMAT)]
    rows.add(values, wrapped=[(statement, _STATEMENT_WIDTH)])


def _number(sheet: WriteOnlyWorksheet, value: Any, number_format: str) -> Any:
    return styled(sheet, value, Look(alignment=CENTER, border=BORDER, number_format=number_format))


def _write_totals(rows: RowWriter, score_sheet: ScoreSheet, columns: int, language: str) -> None:
    _ = translator(language).gettext
    sheet = rows.sheet
    determined = score_sheet.service_score is not None
    total = rounded(sum(item.score for item in score_sheet.items)) if determined else NOT_RATED
    weights = sum(item.weight for item in score_sheet.spec.items)
    cells: list[Any] = [styled(sheet, None, _TOTAL) for _column in range(columns)]
    cells[0] = styled(sheet, _bilingual("总计", _("Total"), language), _TOTAL)
    cells[3] = styled(sheet, weights, Look(font=BOLD, alignment=CENTER, border=BORDER, number_format=COUNT_FORMAT))
    cells[5] = styled(sheet, total, Look(font=BOLD, alignment=CENTER, border=BORDER, number_format=SCORE_FORMAT))
    rows.add(cells)
    service = score_sheet.service_score if determined else _bilingual("未确定", _("undetermined"), language)
    grade = _grade_text(score_sheet, language)
    cells = [styled(sheet, None, _TOTAL) for _column in range(columns)]
    cells[0] = styled(sheet, _bilingual("服务特性测评得分", _("Service characteristic score"), language), _TOTAL)
    cells[2] = styled(sheet, grade, FRAMED_TEXT)
    cells[5] = styled(sheet, rounded(service) if determined else service,
                      Look(font=BOLD, alignment=CENTER, border=BORDER, number_format=SCORE_FORMAT))
    rows.add(cells, wrapped=[(grade, _STATEMENT_WIDTH)])


def _grade_text(score_sheet: ScoreSheet, language: str) -> str:
    _ = translator(language).gettext
    if score_sheet.service_score is None:
        return _("Service score undetermined: nobody has rated item(s) {codes} yet (every answer to them was "
                 "\"not applicable\").").format(codes=", ".join(score_sheet.unrated))
    if score_sheet.service_grade is None:
        text = _("Grade: none reached")
    else:
        text = _("Grade: {grade}").format(grade=score_sheet.service_grade)
    if score_sheet.ci95 is not None:
        low, high = score_sheet.ci95
        text += "; " + _("95% confidence interval: {low}–{high}").format(low=f"{low:.1f}", high=f"{high:.1f}")
    return text


def _write_quality_note(rows: RowWriter, score_sheet: ScoreSheet, language: str) -> None:
    _ = translator(language).gettext
    quality = score_sheet.quality
    note = _("Flagged for review: straight-lining {straight}; speeding {speeding}").format(
        straight=respondent_list(quality.straight_liners), speeding=respondent_list(quality.speeders))
    if quality.all_not_applicable:
        note += "; " + _("every item \"not applicable\" (not scored) {respondents}").format(
            respondents=respondent_list(quality.all_not_applicable))
    note += " " + _("(see the survey report)")
    rows.add([styled(rows.sheet, _("Data quality"), LABEL), None, styled(rows.sheet, note, TEXT)],
             wrapped=[(note, _STATEMENT_WIDTH)])


def _points_label(name: str, points: int, language: str) -> str:
    """'1. 功能性/17分' as in the spec document."""
    _ = translator(language).gettext
    return f"{name}/" + _("{points} points").format(points=points)


def _bilingual(chinese: str, english: str, language: str) -> str:
    """Auditors file the sheet in Chinese: the Chinese heading always, the English one added for 'en'."""
    return f"{chinese}\n{english}" if normalize_language(language) == "en" else chinese
