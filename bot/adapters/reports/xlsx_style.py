"""Cell styles and layout helpers shared by the workbook's sheets."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.adapters.reports.safe_text import put

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WRAP = Alignment(wrap_text=True, vertical="center")
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_LINE_HEIGHT = 15.0
_CJK_WIDTH = 2  # a Chinese character takes about two width units of an Excel column


def set_column_widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def write_header(sheet: Worksheet, row: int, labels: Sequence[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = put(sheet, row, column, label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER


def border_rows(sheet: Worksheet, first_row: int, last_row: int, columns: int) -> None:
    for row in sheet.iter_rows(min_row=first_row, max_row=last_row, max_col=columns):
        for cell in row:
            cell.border = BORDER


def fit_row_height(sheet: Worksheet, row: int, text: str, column_width: float) -> None:
    """Make a wrapped row tall enough for `text` (Excel does not grow rows written by a program)."""
    units = sum(_CJK_WIDTH if ord(char) > 0x2E80 else 1 for char in text)
    lines = max(1, math.ceil(units / max(column_width - 2, 1)) + text.count("\n"))
    current = sheet.row_dimensions[row].height or _LINE_HEIGHT
    sheet.row_dimensions[row].height = max(current, lines * _LINE_HEIGHT)


def prepare_for_print(sheet: Worksheet, title_rows: str, landscape: bool = False) -> None:
    """A4, fitted to the page width, header rows repeated on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: keep the wall-clock time the caller chose."""
    return None if value is None else value.replace(tzinfo=None)
