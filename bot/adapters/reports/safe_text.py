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
  other than tab, line feed and carriage return) become U+FFFD instead of breaking the export.

Numbers, dates and empty cells are written as they are: a negative number stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

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


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write `value` to the cell at (row, column) of `sheet`: a text always as a string, never as a formula."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        text = xml_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl guesses "f" for a leading "=" and "e" for "#N/A" and the like
        if starts_like_a_formula(text):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell
