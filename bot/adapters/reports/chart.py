"""The characteristic chart: each service characteristic's score as a percentage of its maximum."""

from __future__ import annotations

import io
import math

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.adapters.reports.data import ScoreSheet
from bot.adapters.reports.fonts import cjk_font
from locales import translator

_BAR_COLOR = "#4472C4"
_DPI = 150


def render_characteristic_chart(labels: list[str], percents: list[float], title: str) -> bytes:
    """A PNG of horizontal bars, first label on top, each bar labelled with its percentage (a NaN
    percentage, an undetermined characteristic, gets no bar and the label "—")."""
    if len(labels) != len(percents):
        raise ValueError(f"{len(labels)} labels but {len(percents)} percentages")
    font = cjk_font()
    rc = {"font.family": [font.family, "DejaVu Sans"], "axes.unicode_minus": False}
    with matplotlib.rc_context(rc):
        figure = Figure(figsize=(8, 1.5 + 0.5 * len(labels)), dpi=_DPI, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        positions = range(len(labels))
        bars = axes.barh(positions, [0.0 if math.isnan(p) else p for p in percents], color=_BAR_COLOR)
        axes.set_yticks(positions, labels=labels)
        axes.invert_yaxis()
        axes.bar_label(bars, labels=["—" if math.isnan(p) else f"{p:.1f}%" for p in percents], padding=3)
        axes.set_xlim(0, 110)
        axes.set_xticks(range(0, 101, 20))
        axes.xaxis.set_major_formatter("{x:.0f}%")
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_title(title)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def characteristic_percents(sheet: ScoreSheet, language: str) -> tuple[list[str], list[float]]:
    """Each characteristic's name and its score as a percentage of its maximum, in spec order; NaN for a
    characteristic with an item nobody rated (its score is undetermined)."""
    labels, percents = [], []
    for characteristic in sheet.spec.characteristics:
        labels.append(characteristic.name.in_language(language))
        row = sheet.characteristic_row(characteristic.code)
        percents.append(math.nan if row.unrated else 100 * row.score / characteristic.max)
    return labels, percents


def score_sheet_chart(sheet: ScoreSheet, language: str) -> bytes:
    """The chart for a score sheet, titled with the service and its score and grade."""
    _ = translator(language).gettext
    service = sheet.spec.service.in_language(language)
    if sheet.service_score is None:
        title = _("{service}: service score undetermined").format(service=service)
        return render_characteristic_chart(*characteristic_percents(sheet, language), title)
    score = f"{sheet.service_score:.1f}"
    if sheet.service_grade is None:
        title = _("{service}: service score {score}").format(service=service, score=score)
    else:
        title = _("{service}: service score {score} ({grade})").format(
            service=service, score=score, grade=sheet.service_grade)
    return render_characteristic_chart(*characteristic_percents(sheet, language), title)
