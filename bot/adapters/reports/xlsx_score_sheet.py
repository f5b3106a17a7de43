"""Sheet 1: the spec's Appendix 1 score sheet (服务能力评价评分表), filled in.

When the item rows carry their counts (a survey's export always does), two columns after the score
give each item's number of ratings (评分人数) and of "not applicable" answers (不适用人数). An item
nobody rated shows "—" for α and score, and the service score is then undetermined (未确定), never 0.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from bot.adapters.reports.data import ScoreSheet
from bot.adapters.reports.safe_text import put
from bot.adapters.reports.xlsx_style import (
    BOLD,
    CENTER,
    DATETIME_FORMAT,
    LEFT,
    TITLE_FONT,
    WRAP,
    border_rows,
    fit_row_height,
    local_time,
    prepare_for_print,
    set_column_widths,
    write_header,
)
from locales import normalize_language, translator
from specs.model import Characteristic, Item

COLUMNS = 6
COUNT_COLUMNS = 2  # ratings and "not applicable" answers per item, when the rows carry them
HEADER_ROW = 4
FIRST_ITEM_ROW = HEADER_ROW + 1
_WIDTHS = (18, 22, 60, 10, 12, 12)
_COUNT_WIDTHS = (10, 10)
_STATEMENT_WIDTH = _WIDTHS[2]
NOT_RATED = "—"


def fill_score_sheet(sheet: Worksheet, score_sheet: ScoreSheet, language: str) -> None:
    _ = translator(language).gettext
    spec = score_sheet.spec
    counts = score_sheet.has_counts
    set_column_widths(sheet, _WIDTHS + (_COUNT_WIDTHS if counts else ()))
    _write_title(sheet, score_sheet, language)
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
    write_header(sheet, HEADER_ROW, headers)
    row = FIRST_ITEM_ROW
    for characteristic in spec.characteristics:
        first_row = row
        for item in characteristic.items:
            _write_item_row(sheet, row, characteristic, item, score_sheet, language)
            row += 1
        name = f"{characteristic.code}. {characteristic.name.in_language(language)}"
        label = put(sheet, first_row, 1, _points_label(name, characteristic.max, language))
        label.alignment = CENTER
        if row - 1 > first_row:
            sheet.merge_cells(start_row=first_row, start_column=1, end_row=row - 1, end_column=1)
    _write_totals(sheet, row, score_sheet, language)
    border_rows(sheet, HEADER_ROW, row + 1, COLUMNS + (COUNT_COLUMNS if counts else 0))
    _write_quality_note(sheet, row + 3, score_sheet, language)
    sheet.freeze_panes = sheet.cell(row=FIRST_ITEM_ROW, column=1)
    prepare_for_print(sheet, f"{HEADER_ROW}:{HEADER_ROW}")


def _write_title(sheet: Worksheet, score_sheet: ScoreSheet, language: str) -> None:
    _ = translator(language).gettext
    service = score_sheet.spec.service.in_language(language)
    title = put(sheet, 1, 1, _("{service} requirements (service capability score sheet)").format(service=service))
    title.font = TITLE_FONT
    title.alignment = CENTER
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=COLUMNS)
    sheet.row_dimensions[1].height = 24
    generated = local_time(score_sheet.generated_at)
    facts = (
        (2, _("Organization"), score_sheet.organization, _("Survey code"), score_sheet.survey_code),
        (3, _("Generated"), generated, _("Respondents (n)"), score_sheet.respondents),
    )
    for row, left_label, left_value, right_label, right_value in facts:
        for column, label, value in ((1, left_label, left_value), (4, right_label, right_value)):
            put(sheet, row, column, label).font = BOLD
            cell = put(sheet, row, column + 1, value)
            cell.alignment = LEFT
            sheet.merge_cells(start_row=row, start_column=column + 1, end_row=row, end_column=column + 2)
    sheet.cell(row=3, column=2).number_format = DATETIME_FORMAT


def _write_item_row(sheet: Worksheet, row: int, characteristic: Characteristic, item: Item,
                    score_sheet: ScoreSheet, language: str) -> None:
    dimension = item.dimension.in_language(language)
    if item.code != characteristic.code:
        dimension = f"{item.code}. {dimension}"
    statement = item.statement.in_language(language)
    item_score = score_sheet.item_row(item.code)
    unrated = item_score.rated == 0
    values = [
        (2, _points_label(dimension, item.weight, language), CENTER, None),
        (3, statement, WRAP, None),
        (4, item.weight, CENTER, "0"),
        (5, NOT_RATED if unrated else item_score.alpha, CENTER, "0.000"),
        (6, NOT_RATED if unrated else item_score.score, CENTER, "0.00"),
    ]
    if score_sheet.has_counts:
        values += [(7, item_score.rated, CENTER, "0"), (8, item_score.not_applicable, CENTER, "0")]
    for column, value, alignment, number_format in values:
        cell = put(sheet, row, column, value)
        cell.alignment = alignment
        if number_format:
            cell.number_format = number_format
    fit_row_height(sheet, row, statement, _STATEMENT_WIDTH)


def _write_totals(sheet: Worksheet, row: int, score_sheet: ScoreSheet, language: str) -> None:
    _ = translator(language).gettext
    score_row = row + 1
    score_heading = _bilingual("服务特性测评得分", _("Service characteristic score"), language)
    determined = score_sheet.service_score is not None
    cells = (
        (row, 1, _bilingual("总计", _("Total"), language), None),
        (row, 4, sum(item.weight for item in score_sheet.spec.items), "0"),
        (row, 6, sum(item.score for item in score_sheet.items) if determined else NOT_RATED, "0.00"),
        (score_row, 1, score_heading, None),
        (score_row, 6, score_sheet.service_score if determined else _bilingual("未确定", _("undetermined"), language),
         "0.0"),
    )
    for cell_row, column, value, number_format in cells:
        cell = put(sheet, cell_row, column, value)
        cell.font = BOLD
        cell.alignment = CENTER
        if number_format:
            cell.number_format = number_format
    sheet.merge_cells(start_row=score_row, start_column=1, end_row=score_row, end_column=2)
    put(sheet, score_row, 3, _grade_text(score_sheet, language)).alignment = WRAP


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


def _write_quality_note(sheet: Worksheet, row: int, score_sheet: ScoreSheet, language: str) -> None:
    _ = translator(language).gettext
    quality = score_sheet.quality
    note = _("Flagged for review: straight-lining {straight}; speeding {speeding}").format(
        straight=_respondent_list(quality.straight_liners), speeding=_respondent_list(quality.speeders))
    if quality.all_not_applicable:
        note += "; " + _("every item \"not applicable\" (not scored) {respondents}").format(
            respondents=_respondent_list(quality.all_not_applicable))
    cell = put(sheet, row, 1, note)
    cell.alignment = WRAP
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=COLUMNS)


def _respondent_list(numbers: tuple[int, ...]) -> str:
    return ", ".join(f"#{number}" for number in sorted(numbers)) or "—"


def _points_label(name: str, points: int, language: str) -> str:
    """'1. 功能性/17分' as in the spec document."""
    _ = translator(language).gettext
    return f"{name}/" + _("{points} points").format(points=points)


def _bilingual(chinese: str, english: str, language: str) -> str:
    """Auditors file the sheet in Chinese: the Chinese heading always, the English one added for 'en'."""
    return f"{chinese}\n{english}" if normalize_language(language) == "en" else chinese
