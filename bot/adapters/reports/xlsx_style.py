"""Cell looks and layout helpers shared by the workbook's sheets.

Sheets are written row by row (openpyxl's write-only mode): column widths, frozen panes and row heights
are set before the rows they concern are appended; no cell is visited again and nothing is merged.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from bot.adapters.reports.safe_text import append_row, text_cell
from scoring.rounding import display

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WRAP = Alignment(wrap_text=True, vertical="center")
LEFT = Alignment(horizontal="left", vertical="center")  # a long value runs on into empty cells
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
SCORE_FORMAT = "0.0"  # scores: one decimal, as displayed (rule 4)
ALPHA_FORMAT = "0.00"  # experience coefficients α: two decimals
COUNT_FORMAT = "0"
MAX_LISTED = 100  # respondent numbers listed in one cell; the raw answers sheet flags every one
_LINE_HEIGHT = 15.0
_CJK_WIDTH = 2  # a Chinese character takes about two width units of an Excel column


@dataclass(frozen=True)
class Look:
    """How a cell looks: font, fill, alignment, border and number format (None: the default)."""

    font: Font | None = None
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    border: Border | None = None
    number_format: str | None = None


HEADER = Look(font=BOLD, fill=HEADER_FILL, alignment=CENTER, border=BORDER)
LABEL = Look(font=BOLD, alignment=WRAP)
TEXT = Look(alignment=WRAP)
FRAMED_TEXT = Look(alignment=WRAP, border=BORDER)
FRAMED_CENTER = Look(alignment=CENTER, border=BORDER)


def styled(sheet: WriteOnlyWorksheet, value: Any, look: Look) -> Cell:
    """A cell of `sheet` holding `value` (texts made safe) with `look`."""
    cell = text_cell(sheet, value)
    for name in ("font", "fill", "alignment", "border", "number_format"):
        if (setting := getattr(look, name)) is not None:
            setattr(cell, name, setting)
    return cell


def rounded(value: float | None, places: int = 1) -> float | None:
    """`value` as displayed (half up: 0.8600000000000001 → 0.86 with two places), still a number."""
    return None if value is None else float(display(value, places))


def respondent_list(numbers: Sequence[int], limit: int = MAX_LISTED) -> str:
    """'#2, #9' in order, at most `limit` numbers and then '…'; '—' for none."""
    shown = ", ".join(f"#{number}" for number in sorted(numbers)[:limit])
    return (shown + (", …" if len(numbers) > limit else "")) or "—"


def set_column_widths(sheet: WriteOnlyWorksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


class RowWriter:
    """Appends the rows of a write-only sheet and counts them, so that a row gets its height before it is
    written (Excel does not grow the rows a program writes)."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.rows = 0

    def add(self, values: Sequence[Any] = (), wrapped: Sequence[tuple[str, float]] = (),
            height: float | None = None) -> int:
        """Append a row; `wrapped` lists its (wrapped text, column width) pairs to fit. Its number."""
        self.rows += 1
        lines = max((_lines(text, width) for text, width in wrapped), default=1)
        if height is not None or lines > 1:
            self.sheet.row_dimensions[self.rows].height = max(height or 0, lines * _LINE_HEIGHT)
        append_row(self.sheet, values)
        return self.rows

    def header(self, labels: Sequence[str]) -> int:
        return self.add([styled(self.sheet, label, HEADER) for label in labels])


def _lines(text: str, column_width: float) -> int:
    units = sum(_CJK_WIDTH if ord(char) > 0x2E80 else 1 for char in text)
    return max(1, math.ceil(units / max(column_width - 2, 1)) + text.count("\n"))


def prepare_for_print(sheet: WriteOnlyWorksheet, title_rows: str | None, landscape: bool = False) -> None:
    """A4, fitted to the page width, header rows (if any) repeated on every page."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: keep the wall-clock time the caller chose."""
    return None if value is None else value.replace(tzinfo=None)
