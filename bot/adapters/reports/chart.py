"""The summary chart as a PNG (matplotlib): what conversations.summary_chart says it shows.

Top panel: each characteristic's score as a bar over a light bar of its maximum, labelled "score / max".
Bottom panel: the service score on its 0–100 scale with the 95 % interval as an error bar and a dashed
line at each grade threshold, labelled with the spec's grade (e.g. 三星级 at 80). Title: organization,
service, n and the result line (provisional / settled), and what capped the result when management did.
"""

from __future__ import annotations

import io

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.adapters.reports.fonts import cjk_font
from conversations.summary_chart import SummaryChart

_SCORE_COLOR = "#4472C4"
_MAX_COLOR = "#D9E1F2"
_LINE_COLOR = "#7F7F7F"
_DPI = 150


def render_chart(chart: SummaryChart) -> bytes:
    """The PNG; raises MissingCJKFontError (fonts.py) when no font can draw Chinese."""
    with matplotlib.rc_context(_font_rc()):
        figure = chart_figure(chart)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_figure(chart: SummaryChart) -> Figure:
    """The drawn figure, before it is saved: its axes, bars, lines and texts can be inspected."""
    with matplotlib.rc_context(_font_rc()):
        figure = Figure(figsize=(8, 3.2 + 0.45 * len(chart.bars)), dpi=_DPI, layout="constrained")
        FigureCanvasAgg(figure)
        bars_axes, service_axes = figure.subplots(2, 1, height_ratios=[max(len(chart.bars), 1), 2.2])
        _draw_bars(bars_axes, chart)
        _draw_service(service_axes, chart)
        figure.suptitle(chart.heading, fontsize=11)
    return figure


def _font_rc() -> dict[str, object]:
    return {"font.family": [cjk_font().family, "DejaVu Sans"], "axes.unicode_minus": False}


def _draw_bars(axes, chart: SummaryChart) -> None:  # noqa: ANN001 - matplotlib Axes
    positions = range(len(chart.bars))
    axes.barh(positions, [bar.maximum for bar in chart.bars], color=_MAX_COLOR, height=0.7)
    axes.barh(positions, [bar.score or 0.0 for bar in chart.bars], color=_SCORE_COLOR, height=0.7)
    widest = max((bar.maximum for bar in chart.bars), default=1.0)
    for position, bar in zip(positions, chart.bars, strict=True):
        axes.text(bar.maximum + widest * 0.02, position, bar.text, va="center", fontsize=9)
    axes.set_yticks(list(positions), labels=[bar.label for bar in chart.bars])
    axes.invert_yaxis()
    axes.set_xlim(0, widest * 1.3)
    axes.set_xticks([])
    axes.set_title(chart.bars_heading, fontsize=10, loc="left")
    axes.spines[["top", "right", "bottom"]].set_visible(False)


def _draw_service(axes, chart: SummaryChart) -> None:  # noqa: ANN001 - matplotlib Axes
    if chart.service_score is not None:
        error = None
        if chart.interval is not None:
            low, high = chart.interval
            error = [[chart.service_score - low], [high - chart.service_score]]
        axes.barh([0], [chart.service_score], color=_SCORE_COLOR, height=0.5, xerr=error, capsize=6,
                  error_kw={"elinewidth": 1.5, "ecolor": "black"})
        axes.text(1, 0, f"{chart.service_score:.1f}", va="center", color="white", fontsize=10)
    for line in chart.grade_lines:
        axes.axvline(line.points, color=_LINE_COLOR, linestyle="--", linewidth=1)
        axes.text(line.points, 0.62, f"{line.label}\n{line.points:g}", ha="center", va="bottom", fontsize=8,
                  color=_LINE_COLOR, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    axes.set_xlim(0, 100)
    axes.set_ylim(-0.6, 1.25)
    axes.set_yticks([])
    axes.set_xlabel(chart.service_text, fontsize=9)
    axes.set_title(chart.service_heading, fontsize=10, loc="left")
    axes.spines[["top", "right", "left"]].set_visible(False)
