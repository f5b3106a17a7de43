"""Report files for an audit lead: Appendix 1 workbook, raw-answer CSV, characteristic chart, invite QR."""

from bot.adapters.reports.chart import chart_figure, render_chart
from bot.adapters.reports.csv_report import CSV_COLUMNS, write_answers_csv
from bot.adapters.reports.data import (
    CertificationResult,
    CharacteristicRow,
    Comment,
    DataQuality,
    ItemRow,
    LogEntry,
    ManagementSummary,
    RawAnswerRow,
    ScoreSheet,
    Seal,
    SurveyReport,
)
from bot.adapters.reports.fonts import CJK_FONT_PACKAGE, MissingCJKFontError
from bot.adapters.reports.qr import invite_qr_png
from bot.adapters.reports.xlsx_report import WorkbookWriter, write_workbook

__all__ = [
    "CJK_FONT_PACKAGE",
    "CSV_COLUMNS",
    "CertificationResult",
    "CharacteristicRow",
    "Comment",
    "DataQuality",
    "ItemRow",
    "LogEntry",
    "ManagementSummary",
    "MissingCJKFontError",
    "RawAnswerRow",
    "ScoreSheet",
    "Seal",
    "SurveyReport",
    "WorkbookWriter",
    "chart_figure",
    "invite_qr_png",
    "render_chart",
    "write_answers_csv",
    "write_workbook",
]
