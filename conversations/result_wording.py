"""The survey's result in words, one wording for every screen and file: the summary, the chart, the
notices, `surveybot score` and the workbook.

A result is **provisional** while the 95 % confidence interval of the service score still crosses a
grade line (the §5.3 thresholds, e.g. 60 / 80 / 90 / 95): more responses could move the grade, and the
text says about how many more would settle it (scoring.confidence.responses_to_settle). It is
**settled** once the whole interval lies between two lines. With one response there is no interval
yet, so the result is provisional too. When management maturity is rated, the certification result
follows (§5.3), and when the management level keeps a higher service grade out of reach the text says
so (scoring.explain). Pure: figures and a language in, translated lines out.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from locales import translator
from scoring.certification import Certification, certify
from scoring.confidence import ConfidenceInterval, grade_band, responses_to_settle
from scoring.explain import explain_certification
from scoring.management import management_level, management_total
from scoring.rounding import display
from scoring.service import service_grade
from specs.model import CertificationRow, Spec

Gettext = Callable[[str], str]


class Standing(enum.Enum):
    """How far the service score's grade can be trusted."""

    UNDETERMINED = "undetermined"  # an item has no rating yet: no score at all
    PROVISIONAL = "provisional"  # the interval crosses a grade line, or there is no interval yet
    SETTLED = "settled"  # the whole interval lies between two grade lines


@dataclass(frozen=True)
class ResultFigures:
    """What the wording is made from.

    `service_score` is the displayed score (one decimal), None while `unrated` names items nobody has
    rated (then at least `responses_to_determine` more responses are needed). `interval` is None with
    fewer than two scored responses. `certification` is the §5.3 result once management is rated.
    """

    service_score: Decimal | None
    interval: ConfidenceInterval | None
    certification: Certification | None = None
    unrated: tuple[str, ...] = ()
    responses_to_determine: int = 0


def standing(spec: Spec, figures: ResultFigures) -> Standing:
    if figures.service_score is None:
        return Standing.UNDETERMINED
    interval = figures.interval
    if interval is None or grade_band(spec, interval.low) != grade_band(spec, interval.high):
        return Standing.PROVISIONAL
    return Standing.SETTLED


def more_to_settle(spec: Spec, figures: ResultFigures) -> int | None:
    """About how many more responses would settle a provisional grade; None when settled, undetermined,
    without an interval, or when the score sits right on a grade line (no number can be estimated)."""
    if standing(spec, figures) is not Standing.PROVISIONAL or figures.interval is None:
        return None
    return responses_to_settle(spec, figures.interval)


def standing_label(result: Standing, language: str) -> str:
    """'provisional' / 'settled' / 'undetermined' (暂定 / 已确定 / 未确定)."""
    _ = translator(language).gettext
    return {Standing.UNDETERMINED: _("undetermined"), Standing.PROVISIONAL: _("provisional"),
            Standing.SETTLED: _("settled")}[result]


def result_headline(spec: Spec, figures: ResultFigures, language: str) -> str:
    """One line: 'Service score 89.6: 3-star, provisional' (or the certification result once management
    is rated: 'Certification result: 3-star, provisional')."""
    _ = translator(language).gettext
    result = standing(spec, figures)
    if result is Standing.UNDETERMINED:
        return _("Service score undetermined: some items have no rating yet")
    label = standing_label(result, language)
    if figures.certification is not None:
        return _("Certification result: {result}, {standing}").format(
            result=certification_outcome(figures.certification, language), standing=label)
    return _("Service score {score}: {grade}, {standing}").format(
        score=figures.service_score, grade=_grade_name(spec, figures.service_score, language), standing=label)


def result_lines(spec: Spec, figures: ResultFigures, language: str) -> list[str]:
    """The result as a lead reads it: score and grade, the interval, provisional (with about how many
    more responses would settle it) or settled, and the certification result with what capped it."""
    _ = translator(language).gettext
    if figures.service_score is None:
        return undetermined_lines(figures.unrated, figures.responses_to_determine, language)
    lines = [_("Service score: {score} ({grade})").format(
        score=figures.service_score, grade=_grade_name(spec, figures.service_score, language))]
    interval = figures.interval
    if interval is None:
        lines.append(_("Provisional: one response gives no confidence interval yet, so nobody can say how "
                       "sure this grade is. At least one more response is needed."))
    else:
        lines.append(_("95% confidence interval: {low}–{high}").format(
            low=display(interval.low), high=display(interval.high)))
        lines.append(_standing_line(spec, figures, interval, language))
    if figures.certification is not None:
        label = standing_label(standing(spec, figures), language)
        lines.append(_("Certification result: {result} ({standing})").format(
            result=certification_outcome(figures.certification, language), standing=label))
        lines.append(explain_certification(spec, figures.certification, language))
    return lines


def rated_certification(spec: Spec, service_score: Decimal | None, levels: Mapping[str, int]) -> Certification | None:
    """The §5.3 result once every management requirement is rated and the service score is determined;
    None before."""
    if service_score is None or any(requirement.code not in levels for requirement in spec.requirements):
        return None
    return certify(spec, service_score, management_level(spec, management_total(spec, levels)))


def certification_outcome(result: Certification, language: str) -> str:
    """The grade label (e.g. 三星级), 'certified without a grade' or 'not certified'."""
    _ = translator(language).gettext
    if result.grade is not None:
        return result.grade.in_language(language)
    return _("certified without a grade") if result.certified else _("not certified")


def undetermined_lines(unrated: Sequence[str], more: int, language: str) -> list[str]:
    """Why there is no service score: the items nobody has rated, and how many more responses are needed."""
    _ = translator(language).gettext
    return [
        _("Service score undetermined: nobody has rated item(s) {codes} yet (every answer to them was "
          "\"not applicable\").").format(codes=", ".join(unrated)),
        _("At least {more} more submitted response(s) rating each of them would determine it.").format(more=more),
    ]


def grade_lines(spec: Spec) -> list[tuple[float, CertificationRow]]:
    """The grade lines of the spec, lowest first: (points, the §5.3 row that starts there)."""
    rows: dict[float, CertificationRow] = {}
    for row in spec.certification:
        if row.min_service not in rows or (rows[row.min_service].grade is None and row.grade is not None):
            rows[row.min_service] = row
    return sorted(rows.items())


def line_name(points: float, row: CertificationRow, language: str) -> str:
    """'4-star (90 points)', or '60 points' for the line of certification without a grade."""
    _ = translator(language).gettext
    figure = _("{points} points").format(points=f"{points:g}")
    if row.grade is None:
        return figure
    return _("{grade} ({points})").format(grade=row.grade.in_language(language), points=figure)


def _standing_line(spec: Spec, figures: ResultFigures, interval: ConfidenceInterval, language: str) -> str:
    _ = translator(language).gettext
    if standing(spec, figures) is Standing.SETTLED:
        return _("Settled: the whole interval lies in {band}, so more responses would hardly change the "
                 "grade.").format(band=_band_name(spec, grade_band(spec, interval.low), language))
    low, high = display(interval.low), display(interval.high)
    crossed = [line_name(points, row, language) for points, row in grade_lines(spec)
               if low < display(points) <= high]
    lines = " / ".join(crossed)
    more = more_to_settle(spec, figures)
    if more is None:
        return _("Provisional: the score sits right on the line of {lines}, so the grade may still go either "
                 "way; more responses will decide it.").format(lines=lines)
    return _("Provisional: the interval crosses the line of {lines}, so the grade may still change. About "
             "{more} more responses would settle it.").format(lines=lines, more=more)


def _grade_name(spec: Spec, score: Decimal, language: str) -> str:
    grade = service_grade(spec, score)
    return grade.in_language(language) if grade is not None else translator(language).gettext("no grade reached")


def _band_name(spec: Spec, band: int, language: str) -> str:
    """Band 0 is below the lowest line; band k starts at the k-th line ('3-star', or '60–80 points')."""
    _ = translator(language).gettext
    lines = grade_lines(spec)
    if band == 0:
        return _("the range below {points} points").format(points=f"{lines[0][0]:g}")
    points, row = lines[band - 1]
    if row.grade is not None:
        return row.grade.in_language(language)
    upper = lines[band][0] if band < len(lines) else 100
    return _("the range {low}–{high} points").format(low=f"{points:g}", high=f"{upper:g}")
