"""Sheets 2 and 3: every respondent's ratings (with data-quality flags) and the comments.

Both take their rows one at a time as they come, in respondent order: the raw answers of 100,000
respondents stream through. Data rows carry no borders or alignment, only the date
formats, which keeps a large sheet quick to write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.adapters.reports.data import Channel, Comment, DataQuality, RawAnswerRow
from bot.adapters.reports.xlsx_style import (
    CENTER,
    DATETIME_FORMAT,
    TEXT,
    Look,
    RowWriter,
    local_time,
    prepare_for_print,
    set_column_widths,
    styled,
)
from locales import translator
from specs.model import Spec

_COMMENT_WIDTH = 80
_DATETIME = Look(number_format=DATETIME_FORMAT)
NOT_APPLICABLE = "N/A"


class RawAnswersSheet:
    """Sheet 2: a header, then one row per respondent as `add` is called (in respondent order)."""

    def __init__(self, sheet: WriteOnlyWorksheet, spec: Spec, quality: DataQuality, language: str) -> None:
        _ = translator(language).gettext
        self._codes = [item.code for item in spec.items]
        set_column_widths(sheet, [10, 10, 17, 17, 10, *(6 for _code in self._codes), 24])
        sheet.freeze_panes = "B2"
        prepare_for_print(sheet, "1:1", landscape=True)
        self._rows = RowWriter(sheet)
        self._rows.header([_("Respondent"), _("Channel"), _("Joined"), _("Submitted"), _("Duration (min)"),
                           *self._codes, _("Flags")])
        self._labels = channel_labels(language)
        self._flags = _Flags(quality, language)

    def add(self, row: RawAnswerRow) -> None:
        sheet = self._rows.sheet
        minutes = None if row.duration is None else round(row.duration.total_seconds() / 60, 1)
        self._rows.add([row.respondent, self._labels[row.channel], _date_cell(sheet, row.joined_at),
                        _date_cell(sheet, row.submitted_at), minutes,
                        *(_rating_cell(row.ratings, code) for code in self._codes), self._flags.of(row.respondent)])

    def finish(self) -> None:
        """Let the reader filter every column of the rows written."""
        self._rows.sheet.auto_filter.ref = f"A1:{get_column_letter(len(self._codes) + 6)}{self._rows.rows}"


class CommentsSheet:
    """Sheet 3: a header, then one row per comment as `add` is called (in respondent order)."""

    def __init__(self, sheet: WriteOnlyWorksheet, language: str) -> None:
        self._language = language
        set_column_widths(sheet, [10, _COMMENT_WIDTH])
        sheet.freeze_panes = "A2"
        prepare_for_print(sheet, "1:1")
        _ = translator(language).gettext
        self._rows = RowWriter(sheet)
        self._rows.header([_("Respondent"), _("Comment")])

    def add(self, comment: Comment) -> None:
        sheet = self._rows.sheet
        self._rows.add([styled(sheet, comment.respondent, Look(alignment=CENTER)), styled(sheet, comment.text, TEXT)],
                       wrapped=[(comment.text, _COMMENT_WIDTH)])

    def finish(self) -> None:
        """Say so when there was no comment."""
        if self._rows.rows == 1:
            self._rows.add([None, translator(self._language).gettext("No comments.")])


def channel_labels(language: str) -> dict[Channel, str]:
    """Each channel's name in `language`."""
    _ = translator(language).gettext
    return {"telegram": _("Telegram"), "web": _("web page"), "paper": _("Paper")}


class _Flags:
    """A respondent's data-quality flags as words (sets: one look-up per row, however many are flagged)."""

    def __init__(self, quality: DataQuality, language: str) -> None:
        _ = translator(language).gettext
        self._groups = ((frozenset(quality.straight_liners), _("straight-lining")),
                        (frozenset(quality.speeders), _("speeding")),
                        (frozenset(quality.all_not_applicable), _("every item not applicable (not scored)")))

    def of(self, respondent: int) -> str | None:
        return "; ".join(word for numbers, word in self._groups if respondent in numbers) or None


def _date_cell(sheet: WriteOnlyWorksheet, value: dt.datetime | None) -> Cell | None:
    return None if value is None else styled(sheet, local_time(value), _DATETIME)


def _rating_cell(ratings: Mapping[str, int | None], code: str) -> int | str | None:
    """The rating, "N/A" for "not applicable", empty when the item was left unanswered."""
    if code not in ratings:
        return None
    rating = ratings[code]
    return NOT_APPLICABLE if rating is None else rating
