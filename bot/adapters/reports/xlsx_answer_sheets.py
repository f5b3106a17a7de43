"""Sheets 2 and 3: every respondent's ratings (with data-quality flags) and the comments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl.worksheet.worksheet import Worksheet

from bot.adapters.reports.data import Channel, Comment, DataQuality, RawAnswerRow
from bot.adapters.reports.safe_text import put
from bot.adapters.reports.xlsx_style import (
    CENTER,
    DATETIME_FORMAT,
    WRAP,
    border_rows,
    fit_row_height,
    local_time,
    prepare_for_print,
    set_column_widths,
    write_header,
)
from locales import translator
from specs.model import Spec

_COMMENT_WIDTH = 80


def fill_raw_answers_sheet(sheet: Worksheet, spec: Spec, rows: Sequence[RawAnswerRow],
                           quality: DataQuality, language: str) -> None:
    _ = translator(language).gettext
    item_codes = [item.code for item in spec.items]
    write_header(sheet, 1, [_("Respondent"), _("Channel"), _("Joined"), _("Submitted"), _("Duration (min)"),
                            *item_codes, _("Flags")])
    set_column_widths(sheet, [10, 10, 17, 17, 10, *(6 for _code in item_codes), 24])
    for row_number, row in enumerate(sorted(rows, key=lambda r: r.respondent), start=2):
        minutes = None if row.duration is None else round(row.duration.total_seconds() / 60, 1)
        values = [row.respondent, _channel_label(row.channel, language), local_time(row.joined_at),
                  local_time(row.submitted_at), minutes, *(_rating_cell(row.ratings, code) for code in item_codes),
                  _flags(row.respondent, quality, language)]
        for column, value in enumerate(values, start=1):
            put(sheet, row_number, column, value).alignment = CENTER
        for column in (3, 4):
            sheet.cell(row=row_number, column=column).number_format = DATETIME_FORMAT
        sheet.cell(row=row_number, column=5).number_format = "0.0"
    last_row = len(rows) + 1
    border_rows(sheet, 2, last_row, len(item_codes) + 6)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    prepare_for_print(sheet, "1:1", landscape=True)


def fill_comments_sheet(sheet: Worksheet, comments: Sequence[Comment], language: str) -> None:
    _ = translator(language).gettext
    write_header(sheet, 1, [_("Respondent"), _("Comment")])
    set_column_widths(sheet, [10, _COMMENT_WIDTH])
    if not comments:
        put(sheet, 2, 2, _("No comments."))
    for row_number, comment in enumerate(sorted(comments, key=lambda c: c.respondent), start=2):
        put(sheet, row_number, 1, comment.respondent).alignment = CENTER
        put(sheet, row_number, 2, comment.text).alignment = WRAP
        fit_row_height(sheet, row_number, comment.text, _COMMENT_WIDTH)
    border_rows(sheet, 2, max(len(comments), 1) + 1, 2)
    sheet.freeze_panes = "A2"
    prepare_for_print(sheet, "1:1")


def _channel_label(channel: Channel, language: str) -> str:
    _ = translator(language).gettext
    return _("Telegram") if channel == "telegram" else _("Paper")


def _flags(respondent: int, quality: DataQuality, language: str) -> str | None:
    _ = translator(language).gettext
    flags = []
    if respondent in quality.straight_liners:
        flags.append(_("straight-lining"))
    if respondent in quality.speeders:
        flags.append(_("speeding"))
    if respondent in quality.all_not_applicable:
        flags.append(_("every item not applicable (not scored)"))
    return "; ".join(flags) or None


def _rating_cell(ratings: Mapping[str, int | None], code: str) -> int | str | None:
    """The rating, "N/A" for "not applicable", empty when the item was left unanswered."""
    if code not in ratings:
        return None
    rating = ratings[code]
    return "N/A" if rating is None else rating
