"""The log sheet: the survey's seal with how to verify it, then its audit trail (who did what, when).

The seal is the hash over the heads of the survey's two chains (its submitted responses and its trail):
`surveybot survey verify CODE` recomputes both and names anything altered, removed or inserted since.
"""

from __future__ import annotations

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.adapters.reports.data import SurveyReport
from bot.adapters.reports.xlsx_style import (
    BOLD,
    DATETIME_FORMAT,
    FRAMED_CENTER,
    FRAMED_TEXT,
    LEFT,
    TEXT,
    TITLE_FONT,
    Look,
    RowWriter,
    local_time,
    prepare_for_print,
    set_column_widths,
    styled,
)
from locales import translator

_WIDTHS = (8, 18, 16, 22, 70)
_DETAILS_WIDTH = _WIDTHS[4]
_NOTE_WIDTH = sum(_WIDTHS[1:])
_LABEL = Look(font=BOLD)  # no wrap: a label runs on into the empty column B
_TIME = Look(alignment=FRAMED_CENTER.alignment, border=FRAMED_CENTER.border, number_format=DATETIME_FORMAT)


def verify_command(survey_code: str) -> str:
    return f"surveybot survey verify {survey_code}"


def fill_log_sheet(sheet: WriteOnlyWorksheet, survey_code: str, report: SurveyReport, language: str) -> None:
    _ = translator(language).gettext
    set_column_widths(sheet, _WIDTHS)
    prepare_for_print(sheet, None, landscape=True)
    rows = RowWriter(sheet)
    rows.add([styled(sheet, _("Audit trail and seal of survey {code}").format(code=survey_code),
                     Look(font=TITLE_FONT))], height=24)
    seal = report.seal
    if seal is None:
        rows.add([styled(sheet, _("Seal"), _LABEL), None, styled(sheet, _("No seal yet."), TEXT)])
    else:
        covers = _("It covers {responses} submitted responses and {entries} log entries.").format(
            responses=seal.responses, entries=seal.entries)
        rows.add([styled(sheet, _("Seal"), _LABEL), None, styled(sheet, seal.value, Look(alignment=LEFT))])
        rows.add([None, None, styled(sheet, covers, TEXT)])
    how = _("To check that no response or log entry was altered, removed or inserted since this file was made, "
            "run {command} on the bot's server: it recomputes the chains and shows the same seal when "
            "nothing changed.").format(command=verify_command(survey_code))
    rows.add([styled(sheet, _("How to verify"), _LABEL), None, styled(sheet, how, TEXT)],
             wrapped=[(how, _NOTE_WIDTH - _WIDTHS[1])])
    rows.add()
    rows.header([_("No."), _("Time"), _("Who"), _("Action"), _("Details")])
    for entry in report.trail:
        rows.add([styled(sheet, entry.sequence, FRAMED_CENTER), styled(sheet, local_time(entry.at), _TIME),
                  styled(sheet, entry.who, FRAMED_CENTER), styled(sheet, entry.action, FRAMED_TEXT),
                  styled(sheet, entry.details, FRAMED_TEXT)], wrapped=[(entry.details, _DETAILS_WIDTH)])
    if not report.trail:
        rows.add([None, styled(sheet, _("No entries."), TEXT)])
