"""Text from people goes into the report files as text, never as a formula (CSV / formula injection).

Comments, organization names and every other free text reach the workbook and the CSV. A spreadsheet
program runs a cell that starts with `=`, `+`, `-` or `@` (and, after a tab or carriage return, what
follows) as a formula: `=HYPERLINK("http://x","点击查看")` in a comment would become a link in the
auditor's copy. Every report writer puts its cells through this module, following the OWASP
guidance (https://owasp.org/www-community/attacks/CSV_Injection):

- CSV: a text starting with one of those characters gets a leading single quote, which the
  spreadsheet shows and which stops it evaluating the cell.
- xlsx: a text is stored with the cell type string (an inline string), never as a formula or an error
  value, so the reader sees the text as it was typed; risky ones also get Excel's quote prefix, which
  keeps them text when someone edits the cell. Characters XML cannot hold at all (control characters
  other than tab, line feed and carriage return) become U+FFFD instead of breaking the export. The
  workbook is written row by row (openpyxl's write-only mode): `append_row` is the one way a row is
  added, and `text_cell` the one way a cell is made.

Numbers, dates and empty cells are written as they are: a negative number stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT_CHARACTER = "\ufffd"


def starts_like_a_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def csv_value(value: Any) -> Any:
    """`value` for a CSV field: a text that a spreadsheet would run gets a leading `'`; others unchanged."""
    if isinstance(value, str) and starts_like_a_formula(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(value) for value in values]


def xml_text(text: str) -> str:
    """`text` with the characters an xlsx file cannot hold replaced by U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT_CHARACTER, text)


def text_cell(sheet: WriteOnlyWorksheet, value: Any) -> Cell:
    """A cell of `sheet` holding `value`: a text always as a string, never as a formula or an error value."""
    cell = WriteOnlyCell(sheet)
    if isinstance(value, str):
        text = xml_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl guesses "f" for a leading "=" and "e" for "#N/A" and the like
        if starts_like_a_formula(text):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def append_row(sheet: WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """Add the next row of `sheet`: cells as made, numbers and dates as they are, texts made safe (a text
    openpyxl would store as a string anyway stays a plain value: cheaper on a sheet of 100,000 rows)."""
    sheet.append([text_cell(sheet, value) if isinstance(value, str) and not _plain_text(value) else value
                  for value in values])


def _plain_text(text: str) -> bool:
    return not (starts_like_a_formula(text) or text in ERROR_CODES or ILLEGAL_CHARACTERS_RE.search(text))
