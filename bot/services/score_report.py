"""The score of a survey as a person reads it: the filled-in Appendix 1 table, or JSON for programs.

`build_score_report` turns aggregates (item histograms with their "not applicable" counts, item-pair
histograms, per-respondent total sums, maturity levels) into a `ScoreReport` through `scoring/`; the
render functions lay it out and never compute a rule. While an item has no rating at all (everyone
answered it "not applicable") the service score is undetermined: the report names those items and
gives no score, grade, interval or certification, never a score with a silent zero in it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from conversations.result_wording import ResultFigures, result_lines, standing
from locales import translator
from scoring.certification import Certification, certify
from scoring.confidence import (
    ConfidenceInterval,
    PairHistograms,
    TotalsSummary,
    grade_settled,
    responses_to_settle,
    service_interval,
)
from scoring.explain import explain_certification, level_label
from scoring.management import management_level, management_total
from scoring.rounding import display
from scoring.service import (
    CharacteristicScore,
    Histogram,
    ItemScore,
    characteristic_scores,
    item_scores,
    responses_to_determine,
    service_result,
)
from scoring.service import service_grade as grade_of_service
from specs.model import Spec, Text

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class ManagementResult:
    """Σ weight × level / 5 over the rated requirements, the level it reaches and the §5.3 result (None
    while the service score is undetermined)."""

    total: float
    level: int | None
    unrated: list[str]
    certification: Certification | None


@dataclass(frozen=True)
class ScoreReport:
    """One survey's figures. `service_score` is the displayed value (one decimal, half up) that the grade
    was decided on, None while `unrated` names items nobody has rated (then `responses_to_determine`
    more responses at the least are needed); `respondents` counts the submitted (complete) responses
    that rated at least one item, `not_scored` names those that rated none (all "not applicable")."""

    spec: Spec
    respondents: int
    incomplete_respondents: list[str]
    items: list[ItemScore]
    characteristics: list[CharacteristicScore]
    service_score: Decimal | None
    service_grade: Text | None
    interval: ConfidenceInterval | None
    management: ManagementResult | None
    unrated: tuple[str, ...] = ()
    responses_to_determine: int = 0
    not_scored: tuple[str, ...] = ()

    @property
    def determined(self) -> bool:
        return self.service_score is not None

    @property
    def has_not_applicable(self) -> bool:
        return any(item.not_applicable for item in self.items)


def build_score_report(spec: Spec, histograms: Mapping[str, Histogram], totals: TotalsSummary,
                       incomplete_respondents: Sequence[str] = (),
                       maturity: Mapping[str, int] | None = None, *, respondents: int | None = None,
                       pairs: PairHistograms | None = None, not_scored: Sequence[str] = ()) -> ScoreReport:
    """Everything the report shows, from the aggregates of the submitted responses.

    `respondents` counts the scored responses (default `totals.n`, right when nobody answered "not
    applicable"); `pairs` are the item-pair histograms the interval needs once someone did.
    """
    items = item_scores(spec, histograms)
    result = service_result(items)
    shown = display(result.score) if result.score is not None else None
    management = None
    if maturity is not None:
        total = management_total(spec, maturity)
        level = management_level(spec, total)
        unrated = [r.code for r in spec.requirements if r.code not in maturity]
        certification = certify(spec, shown, level) if shown is not None else None
        management = ManagementResult(total, level, unrated, certification)
    n = totals.n if respondents is None else respondents
    return ScoreReport(
        spec, n, list(incomplete_respondents), items, characteristic_scores(spec, items),
        shown, grade_of_service(spec, shown) if shown is not None else None,
        service_interval(spec, histograms, totals, n, pairs), management,
        unrated=result.unrated, responses_to_determine=responses_to_determine(items), not_scored=tuple(not_scored))


# JSON ------------------------------------------------------------------------------------------------

def report_json(report: ScoreReport, language: str) -> dict[str, Any]:
    """A JSON-ready dict; labels in `language`, service score and interval to one decimal.

    An item's `n` counts its ratings; `not_applicable` maps every item to its "not applicable"
    answers. While `unrated_items` is not empty the service score, grade and interval are null, and so
    are the scores of those items and of their characteristics.
    """
    interval = report.interval
    data: dict[str, Any] = {
        "spec": report.spec.id,
        "respondents": report.respondents,
        "incomplete_respondents": report.incomplete_respondents,
        "not_scored_respondents": list(report.not_scored),
        "items": [{"code": i.code, "weight": i.weight, "alpha": _figure(i.alpha),
                   "score": _figure(i.score) if i.rated else None, "n": i.n} for i in report.items],
        "not_applicable": {i.code: i.not_applicable for i in report.items},
        "characteristics": [
            {"code": c.code, "name": c.name.in_language(language), "max": c.max,
             "score": _figure(c.score) if c.determined else None}
            for c in report.characteristics],
        "service_score": float(report.service_score) if report.service_score is not None else None,
        "unrated_items": list(report.unrated),
        "responses_to_determine": report.responses_to_determine,
        "service_grade": _label(report.service_grade, language),
        "ci95": [float(display(interval.low)), float(display(interval.high))] if interval else None,
        "grade_settled": grade_settled(report.spec, interval) if interval else None,
        "responses_to_settle": responses_to_settle(report.spec, interval) if interval else None,
        "standing": standing(report.spec, result_figures(report)).value,
    }
    if report.management is not None:
        management = report.management
        result = management.certification
        data["management"] = {
            "total": management.total,
            "level": management.level,
            "level_label": level_label(report.spec, management.level, language),
            "unrated_requirements": management.unrated,
        }
        data["certification"] = None if result is None else {
            "grade": _label(result.grade, language),
            "certified": result.certified,
            "service_grade": _label(result.service_grade, language),
            "capped_by_management": result.capped_by_management,
            "explanation": explain_certification(report.spec, result, language),
        }
    return data


def _figure(value: float | None) -> float | None:
    """Six decimals: exact enough to add up, free of float noise such as 0.7999999999999999."""
    return float(display(value, 6)) if value is not None else None


def _label(text: Text | None, language: str) -> str | None:
    return text.in_language(language) if text is not None else None


# Text tables -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A text table column. Cells wider than `width` are wrapped (`wrap`) or shortened with '...'."""

    header: str
    align: Literal["<", ">"] = "<"
    width: int | None = None
    wrap: bool = False


def text_width(text: str) -> int:
    """Terminal columns `text` takes: CJK characters are two wide, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def render_table(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> str:
    """Rows under a header and a dashed rule, columns two spaces apart, aligned by display width."""
    fitted = [[_fit(cell, column) for cell, column in zip(row, columns, strict=True)] for row in rows]
    widths = [
        max([text_width(column.header)] + [text_width(line) for row in fitted for line in row[index]])
        for index, column in enumerate(columns)
    ]
    lines = [_join([column.header for column in columns], columns, widths),
             _join(["-" * width for width in widths], columns, widths)]
    for row in fitted:
        for depth in range(max(len(cell) for cell in row)):
            lines.append(_join([cell[depth] if depth < len(cell) else "" for cell in row], columns, widths))
    return "\n".join(lines)


def _join(cells: Sequence[str], columns: Sequence[Column], widths: Sequence[int]) -> str:
    padded = []
    for cell, column, width in zip(cells, columns, widths, strict=True):
        padding = " " * (width - text_width(cell))
        padded.append(padding + cell if column.align == ">" else cell + padding)
    return "  ".join(padded).rstrip()


def _fit(text: str, column: Column) -> list[str]:
    if column.width is None or text_width(text) <= column.width:
        return [text]
    return _wrap(text, column.width) if column.wrap else [_shorten(text, column.width)]


def _shorten(text: str, width: int) -> str:
    kept = ""
    for ch in text:
        if text_width(kept + ch) > width - 3:
            break
        kept += ch
    return kept + "..."


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by display width; breaks at the last space when there is one (Latin text)."""
    lines, line = [], ""
    for ch in text:
        if text_width(line + ch) > width:
            head, space, tail = line.rpartition(" ")
            if space and head:
                lines.append(head)
                line = tail
            else:
                lines.append(line)
                line = ""
        line += ch
    return lines + [line.strip()] if line.strip() else lines


# The Appendix 1 table --------------------------------------------------------------------------------

def appendix1_table(spec: Spec, language: str, report: ScoreReport | None = None) -> str:
    """Appendix 1 (characteristic / dimension / statement / points), with α and scores from `report`.

    Without a report the statements are wrapped in full (the blank sheet); with one they are shortened
    so that each item keeps one line. When anyone answered "not applicable", two more columns count
    each item's ratings and "not applicable" answers; an item nobody rated shows "-" for α and score.
    """
    _ = translator(language).gettext
    blank = report is None
    counts = not blank and report.has_not_applicable
    columns = [Column(_("Service characteristic")), Column(_("Service process quality indicator")),
               Column(_("Evaluation content"), width=60 if blank else 36, wrap=blank),
               Column(_("Item weight"), ">")]
    if not blank:
        columns += [Column(_("Experience coefficient α"), ">"), Column(_("Actual score"), ">")]
    if counts:
        columns += [Column(_("Rated (n)"), ">"), Column(_("Not applicable (n)"), ">")]
    scores = {} if blank else {item.code: item for item in report.items}
    rows = []
    for characteristic in spec.characteristics:
        name = f"{characteristic.code}. {characteristic.name.in_language(language)}"
        for index, item in enumerate(characteristic.items):
            dimension = item.dimension.in_language(language)
            if item.code != characteristic.code:
                dimension = f"{item.code}. {dimension}"
            row = [_points(name, characteristic.max, _) if index == 0 else "",
                   _points(dimension, item.weight, _), item.statement.in_language(language), str(item.weight)]
            if not blank:
                score = scores[item.code]
                alpha = "-" if score.alpha is None else str(display(score.alpha, 3))
                row += [alpha, str(display(score.score, 2)) if score.rated else "-"]
            if counts:
                row += [str(score.n), str(score.not_applicable)]
            rows.append(row)
    rows.append([_("Total"), "", "", str(sum(item.weight for item in spec.items))])
    if not blank:
        total = str(display(sum(item.score for item in report.items), 2)) if report.determined else "-"
        shown = str(report.service_score) if report.service_score is not None else _("undetermined")
        rows[-1] += ["", total]
        rows.append([_("Service characteristic score"), "", "", "", "", shown])
    if counts:
        for row in rows[-2:]:
            row += ["", ""]
    return render_table(columns, rows)


def _points(name: str, points: int, _: Gettext) -> str:
    """'1. 功能性/17分' as in the spec document."""
    return f"{name}/" + _("{points} points").format(points=points)


# The score report as text ----------------------------------------------------------------------------

def report_table(report: ScoreReport, language: str) -> str:
    """The filled-in Appendix 1 table, who was counted, the management rating when given, and the result
    in the one wording of conversations.result_wording (provisional or settled, capped by management)."""
    _ = translator(language).gettext
    spec = report.spec
    lines = [f"{spec.document}  {spec.service.in_language(language)}", "",
             appendix1_table(spec, language, report), "",
             _("Respondents counted: {n}").format(n=report.respondents)]
    if report.incomplete_respondents:
        lines.append(_("Left out, answers incomplete: {respondents}").format(
            respondents=", ".join(report.incomplete_respondents)))
    if report.not_scored:
        lines.append(_("Not scored, every item \"not applicable\": {respondents}").format(
            respondents=", ".join(report.not_scored)))
    lines.append("")
    if report.management is not None:
        lines += _management_lines(report, report.management, language)
    lines += result_lines(spec, result_figures(report), language)
    return "\n".join(lines)


def result_figures(report: ScoreReport) -> ResultFigures:
    """What the result wording needs from a score report."""
    certification = report.management.certification if report.management is not None else None
    return ResultFigures(report.service_score, report.interval, certification, report.unrated,
                         report.responses_to_determine)


def _management_lines(report: ScoreReport, management: ManagementResult, language: str) -> list[str]:
    _ = translator(language).gettext
    spec = report.spec
    lines = [_("Management total: {total} of {max}; level: {level}").format(
        total=f"{management.total:g}", max=f"{spec.management_max:g}",
        level=level_label(spec, management.level, language))]
    if management.unrated:
        lines.append(_("Requirements not rated (they count 0): {codes}").format(
            codes=", ".join(management.unrated)))
    return lines
