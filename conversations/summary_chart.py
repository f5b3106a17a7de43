"""What the summary's chart shows, as plain data in the reader's language: each characteristic's score
against its maximum, the service score with its 95 % interval, the spec's grade lines, n and the
result in the one wording (conversations.result_wording). bot/adapters/reports/chart.py draws it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from conversations.result_wording import grade_lines, result_headline
from conversations.summary_figures import Scores, SurveySummary
from locales import translator
from scoring.certification import Certification
from scoring.explain import explain_certification
from scoring.rounding import display
from scoring.service import CharacteristicScore


@dataclass(frozen=True)
class Bar:
    """One characteristic: its score (None while undetermined), its maximum and the label beside it."""

    label: str
    score: float | None
    maximum: float
    text: str


@dataclass(frozen=True)
class GradeLine:
    """A vertical line on the service score's 0–100 axis, e.g. 80 '三星级'."""

    points: float
    label: str


@dataclass(frozen=True)
class SummaryChart:
    title: str
    subtitle: str
    bars_heading: str
    bars: tuple[Bar, ...]
    service_heading: str
    service_score: float | None
    interval: tuple[float, float] | None
    service_text: str
    grade_lines: tuple[GradeLine, ...]
    note: str = ""  # when management caps a higher service grade: what capped it

    @property
    def heading(self) -> str:
        """The lines above the picture, also the photo's caption: title, n and the result, and the note."""
        return "\n".join(line for line in (self.title, self.subtitle, self.note) if line)


def summary_chart(summary: SurveySummary, scores: Scores, language: str,
                  certification: Certification | None = None) -> SummaryChart:
    """The chart of a summary that has scores; grade lines are the spec's graded §5.3 rows."""
    _ = translator(language).gettext
    spec = summary.spec
    maxima = {c.code: c.max for c in spec.characteristics}
    bars = tuple(_bar(characteristic.name.in_language(language), characteristic, maxima[characteristic.code], _)
                 for characteristic in scores.characteristics)
    interval = scores.interval
    figures = scores.result_figures(certification)
    if scores.service_score is None:
        service_text = _("Service score undetermined")
    elif interval is None:
        service_text = _("Service score {score}").format(score=scores.service_score)
    else:
        service_text = _("Service score {score}, 95% confidence interval {low}–{high}").format(
            score=scores.service_score, low=display(interval.low), high=display(interval.high))
    counted = _("submitted responses: n = {submitted}").format(submitted=summary.submitted)
    if scores.respondents != summary.submitted:
        counted = _("submitted responses: n = {submitted}, {scored} of them scored").format(
            submitted=summary.submitted, scored=scores.respondents)
    return SummaryChart(
        title=f"{summary.organization} · {spec.service.in_language(language)}",
        subtitle=f"{counted} · {result_headline(spec, figures, language)}",
        bars_heading=_("Service characteristics: score and maximum points"),
        bars=bars,
        service_heading=_("Service score (0–100) and the grade lines"),
        service_score=float(scores.service_score) if scores.service_score is not None else None,
        interval=(float(display(interval.low)), float(display(interval.high))) if interval else None,
        service_text=service_text,
        grade_lines=tuple(GradeLine(points, row.grade.in_language(language))
                          for points, row in grade_lines(spec) if row.grade is not None),
        note=explain_certification(spec, certification, language)
        if certification is not None and certification.capped_by_management else "",
    )


def _bar(label: str, characteristic: CharacteristicScore, maximum: int, _: Callable[[str], str]) -> Bar:
    if characteristic.unrated:
        return Bar(label, None, float(maximum), _("undetermined / {max}").format(max=maximum))
    score = display(characteristic.score)
    return Bar(label, float(score), float(maximum), f"{score} / {maximum}")
