"""The summary chart: characteristic scores against their maxima, n, the service score with its 95 %
interval and the spec's grade lines, as data (conversations.summary_chart), as a drawn figure and as a PNG."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import warnings
from collections.abc import Iterator
from decimal import Decimal

import pytest
from matplotlib import font_manager
from matplotlib.lines import Line2D
from PIL import Image

from bot.adapters.reports import CJK_FONT_PACKAGE, MissingCJKFontError, chart_figure, render_chart
from bot.adapters.reports.fonts import cjk_font
from conversations.summary_chart import GradeLine, summary_chart
from conversations.summary_figures import Scores, SurveySummary, lowest_items
from scoring.certification import certify
from scoring.confidence import ConfidenceInterval
from scoring.service import characteristic_scores, item_scores
from specs import load_catalog

SPEC = load_catalog().get("TBSC120")


def scores() -> Scores:
    """25 respondents rate everything 4 (α 0.8) except 1.3, rated 2 (α 0.4): 功能性 = 4 + 5.6 + 2 = 11.6 of
    17; service = 83 × 0.8 + 11.6 = 78.0, interval 75.5–80.5 (across the 80 line: provisional)."""
    items = item_scores(SPEC, {item.code: {4: 25} for item in SPEC.items} | {"1.3": {2: 25}})
    return Scores(respondents=25, items=tuple(items), characteristics=tuple(characteristic_scores(SPEC, items)),
                  service_score=Decimal("78.0"), grade=None,
                  interval=ConfidenceInterval(78.0, 6.0, 25, 75.52, 80.48),
                  lowest=lowest_items(SPEC, items))


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    cjk_font.cache_clear()
    yield
    cjk_font.cache_clear()


def summary(submitted: int = 25) -> SurveySummary:
    return SurveySummary(
        survey_id=7, code="GZ2026A", organization="南昌城管", spec=SPEC, status="open", target=40,
        closes_at=dt.datetime(2026, 6, 30, 16, tzinfo=dt.UTC), timezone="Asia/Shanghai", joined=30, started=4,
        submitted=submitted, scores=scores(), straight_liners=(), speeders=())


def test_the_chart_data_has_maxima_n_interval_and_the_specs_grade_lines() -> None:
    chart = summary_chart(summary(), scores(), "zh")
    assert chart.grade_lines == (GradeLine(80, "三星级"), GradeLine(90, "四星级"), GradeLine(95, "五星级"))
    first = chart.bars[0]
    assert (first.label, first.score, first.maximum, first.text) == ("功能性", 11.6, 17.0, "11.6 / 17")
    assert chart.service_score == 78.0 and chart.interval == (75.5, 80.5)
    assert chart.subtitle == "已提交答卷：n = 25 · 服务特性测评得分 78.0：未达到任何等级，暂定"
    assert "75.5–80.5" in chart.service_text
    english = summary_chart(summary(), scores(), "en")
    assert [line.label for line in english.grade_lines] == ["3-star", "4-star", "5-star"]
    assert english.heading.startswith("南昌城管 · ") and "provisional" in english.heading and english.note == ""


def test_a_result_capped_by_management_says_so_on_the_chart() -> None:
    # 96.0 ± 0.4 reaches 五星级; management level 三级 limits the certification to 三星级 (settled)
    capped = dataclasses.replace(scores(), service_score=Decimal("96.0"),
                                 interval=ConfidenceInterval(96.0, 2.0, 100, 95.6, 96.4))
    chart = summary_chart(summary(), capped, "zh", certify(SPEC, Decimal("96.0"), 3))
    assert chart.subtitle.endswith("认证结果：三星级，已确定")
    assert chart.note == "服务特性测评得分 96.0 达到五星级，管理等级三级将认证结果限制为三星级。"
    assert chart.heading.splitlines()[2] == chart.note
    assert chart_figure(chart).get_suptitle() == chart.heading


def test_the_figure_draws_a_dashed_labelled_line_at_each_grade_threshold_and_the_interval() -> None:
    figure = chart_figure(summary_chart(summary(), scores(), "zh"))
    bars_axes, service_axes = figure.axes
    vertical = sorted(line.get_xdata()[0] for line in service_axes.lines
                      if isinstance(line, Line2D) and line.get_linestyle() == "--")
    assert vertical == [80, 90, 95]
    assert {"三星级\n80", "四星级\n90", "五星级\n95"} <= {text.get_text() for text in service_axes.texts}
    widths = sorted(round(patch.get_width(), 1) for patch in service_axes.patches)
    assert widths == [78.0]
    caps = [line for line in service_axes.lines if line.get_linestyle() != "--"]
    assert caps, "the 95% interval is drawn as an error bar"
    maxima_and_scores = [round(patch.get_width(), 1) for patch in bars_axes.patches]
    assert maxima_and_scores[0] == 17 and maxima_and_scores[len(SPEC.characteristics)] == 11.6
    assert "11.6 / 17" in {text.get_text() for text in bars_axes.texts}


def test_the_png_draws_chinese_without_missing_glyphs_and_changes_with_n() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = render_chart(summary_chart(summary(25), scores(), "zh"))
    image = Image.open(io.BytesIO(first))
    image.load()
    assert image.format == "PNG" and 1000 <= image.width <= 1400 and 700 <= image.height <= 1400
    assert render_chart(summary_chart(summary(26), scores(), "zh")) != first


def test_an_undetermined_characteristic_gets_no_score_bar() -> None:
    undetermined = dataclasses.replace(scores(), service_score=None, interval=None, unrated=("3.2",),
                                       responses_to_determine=1, characteristics=tuple(
                                           dataclasses.replace(c, unrated=("3.2",)) if c.code == "3" else c
                                           for c in scores().characteristics))
    chart = summary_chart(summary(), undetermined, "en")
    assert chart.bars[2].score is None and chart.bars[2].text == "undetermined / 15"
    assert chart.service_score is None and chart.interval is None and "undetermined" in chart.subtitle
    figure = chart_figure(chart)
    assert [round(patch.get_width(), 1) for patch in figure.axes[1].patches] == []


@pytest.mark.parametrize("language", ["zh", "en"])
def test_scored_fewer_than_submitted_says_both(language: str) -> None:
    chart = summary_chart(summary(27), scores(), language)
    assert ("27" in chart.subtitle) and ("25" in chart.subtitle)


def test_without_a_cjk_font_the_error_names_the_package(no_cjk_font: None) -> None:
    with pytest.raises(MissingCJKFontError, match=CJK_FONT_PACKAGE):
        render_chart(summary_chart(summary(), scores(), "zh"))
