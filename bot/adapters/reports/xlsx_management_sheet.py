"""Sheet 4: the management maturity rating (Appendix 3) and the certification result (§5.3).

Scores are stored as displayed, with one decimal.
"""

from __future__ import annotations

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.adapters.reports.data import CertificationResult, ManagementSummary
from bot.adapters.reports.xlsx_style import (
    BOLD,
    BORDER,
    CENTER,
    FRAMED_CENTER,
    FRAMED_TEXT,
    LABEL,
    SCORE_FORMAT,
    TEXT,
    Look,
    RowWriter,
    prepare_for_print,
    rounded,
    set_column_widths,
    styled,
)
from locales import translator
from specs.model import Spec

COLUMNS = 6
_WIDTHS = (18, 8, 36, 10, 12, 10)
_REQUIREMENT_WIDTH = _WIDTHS[2]
_SCORE = Look(alignment=CENTER, border=BORDER, number_format=SCORE_FORMAT)


def fill_management_sheet(sheet: WriteOnlyWorksheet, spec: Spec, management: ManagementSummary | None,
                          language: str) -> None:
    _ = translator(language).gettext
    set_column_widths(sheet, _WIDTHS)
    sheet.freeze_panes = "A2"
    prepare_for_print(sheet, "1:1")
    rows = RowWriter(sheet)
    rows.header([_("Chapter"), _("Code"), _("Management requirement"), _("Weight"), _("Maturity level"),
                 _("Score")])
    levels = management.levels if management is not None else {}
    for group in spec.management:
        for index, requirement in enumerate(group.requirements):
            level = levels.get(requirement.code)
            score = None if level is None else rounded(requirement.weight * level / 5)
            chapter = f"{group.code}. {group.name.in_language(language)}" if index == 0 else None
            name = requirement.name.in_language(language)
            rows.add([styled(sheet, chapter, FRAMED_CENTER), styled(sheet, requirement.code, FRAMED_CENTER),
                      styled(sheet, name, FRAMED_TEXT), styled(sheet, requirement.weight, FRAMED_CENTER),
                      styled(sheet, level, FRAMED_CENTER), styled(sheet, score, _SCORE)],
                     wrapped=[(name, _REQUIREMENT_WIDTH)])
    total = rounded(management.total) if management is not None else None
    bold = Look(font=BOLD, alignment=CENTER, border=BORDER)
    rows.add([styled(sheet, _("Total"), bold), styled(sheet, None, bold), styled(sheet, None, bold),
              styled(sheet, spec.management_max, bold), styled(sheet, None, bold),
              styled(sheet, total, Look(font=BOLD, alignment=CENTER, border=BORDER, number_format=SCORE_FORMAT))])
    rows.add()
    for label, text in _summary_lines(management, language):
        rows.add([styled(sheet, label, LABEL), None, styled(sheet, text, TEXT)],
                 wrapped=[(text, _REQUIREMENT_WIDTH)])


def _summary_lines(management: ManagementSummary | None, language: str) -> list[tuple[str, str]]:
    _ = translator(language).gettext
    if management is None:
        return [(_("Management level"), _("Management maturity is not rated yet."))]
    lines = [(_("Management level"), management.level_label or _("below the lowest level"))]
    if management.certification is None:
        lines.append((_("Certification result"), _("Not decided yet: some requirements are not rated.")))
    else:
        lines.append((_("Certification result"), certification_text(management.certification, language)))
        lines.append((_("Explanation"), management.certification.explanation))
    return lines


def certification_text(certification: CertificationResult, language: str) -> str:
    """'三星级', '三星级（受管理成熟度等级限制）', 'Certified without a grade' or 'Not certified'."""
    _ = translator(language).gettext
    if not certification.certified:
        return _("Not certified")
    grade = certification.grade or _("Certified without a grade")
    if certification.capped:
        return _("{grade} (limited by the management level)").format(grade=grade)
    return grade
