"""The last sheet: the glossary (术语说明), the words of the result in plain language for a reader who
is not a statistician; the same list as a lead's /help (conversations/glossary.py)."""

from __future__ import annotations

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.adapters.reports.xlsx_style import FRAMED_TEXT, LABEL, RowWriter, prepare_for_print, set_column_widths, styled
from conversations.glossary import glossary
from locales import translator

_WIDTHS = (30, 90)


def fill_glossary_sheet(sheet: WriteOnlyWorksheet, language: str) -> None:
    _ = translator(language).gettext
    set_column_widths(sheet, _WIDTHS)
    sheet.freeze_panes = "A2"
    prepare_for_print(sheet, "1:1")
    rows = RowWriter(sheet)
    rows.header([_("Term"), _("What it means")])
    for term, explanation in glossary(language):
        rows.add([styled(sheet, term, LABEL), styled(sheet, explanation, FRAMED_TEXT)],
                 wrapped=[(explanation, _WIDTHS[1]), (term, _WIDTHS[0])])
