"""The survey report sheet (测评报告): the survey section of an audit report, ready to file.

1. Scope: organization, service, spec document and version, survey period, survey code.
2. Method: what customers answered, how they were invited, submitted responses per channel, sample
   size against the target.
3. Data exclusions: the flagged responses (straight-lining, speeding, every item "not applicable")
   with their counts and numbers, and an empty column for the audit lead's decision.
4. Result: the service score, its interval and the management level as numbers and words, then the
   result in the project's one wording (provisional / settled / capped), as the caller gives it.
5. Signature lines with dates for the audit lead and the reviewer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Border, Font, Side
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.adapters.reports.data import ScoreSheet, SurveyReport
from bot.adapters.reports.xlsx_answer_sheets import channel_labels
from bot.adapters.reports.xlsx_management_sheet import certification_text
from bot.adapters.reports.xlsx_style import (
    FRAMED_CENTER,
    FRAMED_TEXT,
    HEADER_FILL,
    LABEL,
    LEFT,
    SCORE_FORMAT,
    TEXT,
    TITLE_FONT,
    Look,
    RowWriter,
    prepare_for_print,
    respondent_list,
    rounded,
    set_column_widths,
    styled,
)
from locales import translator

_WIDTHS = (26, 50, 12, 30)
_TEXT_WIDTH = _WIDTHS[1]
_SECTION = Look(font=Font(bold=True, size=12), fill=HEADER_FILL)
_SIGNATURE_LINE = Look(border=Border(bottom=Side(style="thin", color="000000")))
_VALUE = Look(alignment=LEFT)
SIGNATURE_ROW_HEIGHT = 36
NONE_YET = "—"


def fill_survey_report_sheet(sheet: WriteOnlyWorksheet, score_sheet: ScoreSheet, report: SurveyReport,
                             language: str) -> None:
    _ = translator(language).gettext
    set_column_widths(sheet, _WIDTHS)
    prepare_for_print(sheet, None)
    rows = RowWriter(sheet)
    rows.add([styled(sheet, _("Survey report"), Look(font=TITLE_FONT))], height=24)
    rows.add([styled(sheet, _("The customer survey section of the audit report."), TEXT)])
    _scope(rows, score_sheet, language)
    _method(rows, score_sheet, report, language)
    _exclusions(rows, score_sheet, language)
    _result(rows, score_sheet, report, language)
    _signatures(rows, language)


def _section(rows: RowWriter, title: str) -> None:
    rows.add()
    rows.add([styled(rows.sheet, title, _SECTION), *(styled(rows.sheet, None, _SECTION) for _c in _WIDTHS[1:])])


def _fact(rows: RowWriter, label: str, value: Any, look: Look = _VALUE) -> None:
    wrapped = [(value, _TEXT_WIDTH)] if isinstance(value, str) and look is TEXT else []
    rows.add([styled(rows.sheet, label, LABEL), styled(rows.sheet, value, look)], wrapped=wrapped)


def _scope(rows: RowWriter, score_sheet: ScoreSheet, language: str) -> None:
    _ = translator(language).gettext
    spec = score_sheet.spec
    _section(rows, _("1. Scope"))
    _fact(rows, _("Organization"), score_sheet.organization)
    _fact(rows, _("Service"), spec.service.in_language(language))
    _fact(rows, _("Spec document"), _("{document}, version {version}").format(document=spec.document,
                                                                               version=spec.version))
    _fact(rows, _("Survey period"), score_sheet.period or NONE_YET)
    _fact(rows, _("Survey code"), score_sheet.survey_code)


def _method(rows: RowWriter, score_sheet: ScoreSheet, report: SurveyReport, language: str) -> None:
    _ = translator(language).gettext
    _section(rows, _("2. Method"))
    _fact(rows, _("Questionnaire"), _(
        "Customers rated the {items} items of the spec's Appendix 1 against their expectations on a five-point "
        "scale (far below … far above expectations), or answered \"not applicable\".").format(
            items=len(score_sheet.spec.items)), TEXT)
    for index, line in enumerate(report.invitation):
        _fact(rows, _("Invitation") if index == 0 else "", line, TEXT)
    labels = channel_labels(language)
    for index, (channel, count) in enumerate(report.channels):
        rows.add([styled(rows.sheet, _("Submitted by channel") if index == 0 else None, LABEL),
                  styled(rows.sheet, labels.get(channel, channel), _VALUE), styled(rows.sheet, count, FRAMED_CENTER)])
    _fact(rows, _("Sample size"), _sample_size(score_sheet, report.target, language), TEXT)


def _sample_size(score_sheet: ScoreSheet, target: int | None, language: str) -> str:
    _ = translator(language).gettext
    started = score_sheet.started if score_sheet.started is not None else NONE_YET
    if target is None:
        return _("{submitted} responses submitted (no target set); {started} customers started").format(
            submitted=score_sheet.respondents, started=started)
    return _("{submitted} responses submitted of a target of {target} ({percent}%); {started} customers "
             "started").format(submitted=score_sheet.respondents, target=target, started=started,
                               percent=f"{rounded(100 * score_sheet.respondents / target, 0):g}" if target else "—")


def _exclusions(rows: RowWriter, score_sheet: ScoreSheet, language: str) -> None:
    _ = translator(language).gettext
    sheet, quality = rows.sheet, score_sheet.quality
    _section(rows, _("3. Data exclusions (the audit lead decides)"))
    note = _("The scores in this workbook count every flagged response except one that rates nothing. Where the "
             "audit lead excludes a response, write the decision and the reason here, and recompute the scores "
             "without it from the answers CSV (surveybot score).")
    rows.add([None, styled(sheet, note, TEXT)], wrapped=[(note, _TEXT_WIDTH)])
    rows.header([_("Flag"), _("Respondent numbers"), _("Responses (n)"), _("Decision of the audit lead")])
    flags: Sequence[tuple[str, tuple[int, ...], str | None]] = (
        (_("straight-lining"), quality.straight_liners, None),
        (_("speeding"), quality.speeders, None),
        (_("every item not applicable (not scored)"), quality.all_not_applicable,
         _("Not scored: it rates nothing.") if quality.all_not_applicable else None),
    )
    for label, numbers, decision in flags:
        listed = respondent_list(numbers)
        rows.add([styled(sheet, label, FRAMED_TEXT), styled(sheet, listed, FRAMED_TEXT),
                  styled(sheet, len(numbers), FRAMED_CENTER), styled(sheet, decision, FRAMED_TEXT)],
                 wrapped=[(listed, _TEXT_WIDTH)])


def _result(rows: RowWriter, score_sheet: ScoreSheet, report: SurveyReport, language: str) -> None:
    _ = translator(language).gettext
    _section(rows, _("4. Result"))
    score: Any = score_sheet.service_score if score_sheet.service_score is not None else _("undetermined")
    _fact(rows, _("Service score"), score, Look(alignment=LEFT, number_format=SCORE_FORMAT))
    interval = NONE_YET
    if score_sheet.ci95 is not None:
        interval = f"{score_sheet.ci95[0]:.1f}–{score_sheet.ci95[1]:.1f}"
    _fact(rows, _("95% confidence interval"), interval)
    _fact(rows, _("Grade of the service score"), score_sheet.service_grade or NONE_YET)
    management = score_sheet.management
    if management is None:
        level, certification = _("Management maturity is not rated yet."), _("Not decided yet.")
    else:
        level = _("total {total} of {max}, {level}").format(
            total=f"{rounded(management.total):.1f}", max=f"{score_sheet.spec.management_max:g}",
            level=management.level_label or _("below the lowest level"))
        certification = (certification_text(management.certification, language) if management.certification
                         else _("Not decided yet: some requirements are not rated."))
    _fact(rows, _("Management level"), level, TEXT)
    _fact(rows, _("Certification result"), certification, TEXT)
    for index, line in enumerate(report.result):
        _fact(rows, _("Conclusion") if index == 0 else "", line, TEXT)


def _signatures(rows: RowWriter, language: str) -> None:
    _ = translator(language).gettext
    sheet = rows.sheet
    _section(rows, _("5. Signatures"))
    for role in (_("Audit lead (signature)"), _("Reviewer (signature)")):
        rows.add([styled(sheet, role, LABEL), styled(sheet, None, _SIGNATURE_LINE), styled(sheet, _("Date"), LABEL),
                  styled(sheet, None, _SIGNATURE_LINE)], height=SIGNATURE_ROW_HEIGHT)
