"""Sheet 4: the management maturity rating (Appendix 3) and the certification result (§5.3)."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from bot.adapters.reports.data import CertificationResult, ManagementSummary
from bot.adapters.reports.safe_text import put
from bot.adapters.reports.xlsx_style import (
    BOLD,
    CENTER,
    WRAP,
    border_rows,
    fit_row_height,
    prepare_for_print,
    set_column_widths,
    write_header,
)
from locales import translator
from specs.model import Spec

COLUMNS = 6
_WIDTHS = (18, 8, 36, 10, 12, 10)
_SUMMARY_WIDTH = sum(_WIDTHS[2:])


def fill_management_sheet(sheet: Worksheet, spec: Spec, management: ManagementSummary | None,
                          language: str) -> None:
    _ = translator(language).gettext
    set_column_widths(sheet, _WIDTHS)
    write_header(sheet, 1, [_("Chapter"), _("Code"), _("Management requirement"), _("Weight"),
                            _("Maturity level"), _("Score")])
    levels = management.levels if management is not None else {}
    row = 2
    for group in spec.management:
        first_row = row
        for requirement in group.requirements:
            level = levels.get(requirement.code)
            score = None if level is None else requirement.weight * level / 5
            values = ((2, requirement.code, CENTER), (3, requirement.name.in_language(language), WRAP),
                      (4, requirement.weight, CENTER), (5, level, CENTER), (6, score, CENTER))
            for column, value, alignment in values:
                put(sheet, row, column, value).alignment = alignment
            sheet.cell(row=row, column=6).number_format = "0.0"
            row += 1
        put(sheet, first_row, 1, f"{group.code}. {group.name.in_language(language)}").alignment = CENTER
        if row - 1 > first_row:
            sheet.merge_cells(start_row=first_row, start_column=1, end_row=row - 1, end_column=1)
    total_row = row
    put(sheet, total_row, 1, _("Total")).font = BOLD
    put(sheet, total_row, 4, spec.management_max).alignment = CENTER
    if management is not None:
        total = put(sheet, total_row, 6, management.total)
        total.number_format = "0.0"
        total.font = BOLD
        total.alignment = CENTER
    border_rows(sheet, 2, total_row, COLUMNS)
    _write_summary(sheet, total_row + 2, management, language)
    sheet.freeze_panes = "A2"
    prepare_for_print(sheet, "1:1")


def _write_summary(sheet: Worksheet, row: int, management: ManagementSummary | None, language: str) -> None:
    _ = translator(language).gettext
    if management is None:
        lines = [(_("Management level"), _("Management maturity is not rated yet."))]
    else:
        lines = [(_("Management level"), management.level_label or _("below the lowest level"))]
        if management.certification is None:
            lines.append((_("Certification result"), _("Not decided yet: some requirements are not rated.")))
        else:
            lines.append((_("Certification result"), _certification_text(management.certification, language)))
            lines.append((_("Explanation"), management.certification.explanation))
    for offset, (label, text) in enumerate(lines):
        put(sheet, row + offset, 1, label).font = BOLD
        put(sheet, row + offset, 2, text).alignment = WRAP
        sheet.merge_cells(start_row=row + offset, start_column=2, end_row=row + offset, end_column=COLUMNS)
        fit_row_height(sheet, row + offset, text, _SUMMARY_WIDTH)


def _certification_text(certification: CertificationResult, language: str) -> str:
    _ = translator(language).gettext
    if not certification.certified:
        return _("Not certified")
    grade = certification.grade or _("Certified without a grade")
    if certification.capped:
        return _("{grade} (limited by the management level)").format(grade=grade)
    return grade
