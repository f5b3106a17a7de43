"""The files an audit lead files for a survey: the Appendix 1 workbook and the raw answers as CSV.

Shared by /export, `surveybot export` and the chart of /summary (`score_sheet`). Figures come from
`build_summary`; the management sheet from the stored maturity levels, with the §5.3 certification
only once every requirement is rated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.adapters import storage
from bot.adapters.reports import (
    CertificationResult,
    CharacteristicRow,
    Comment,
    DataQuality,
    ItemRow,
    ManagementSummary,
    RawAnswerRow,
    ScoreSheet,
    write_answers_csv,
    write_workbook,
)
from bot.adapters.storage import RawResponse, Sessions, SurveyRecord
from bot.services.survey_filing import survey_report, with_filing_header
from bot.services.survey_summary import build_summary
from conversations.summary_figures import SurveySummary
from scoring.certification import certify
from scoring.explain import explain_certification
from scoring.management import management_level, management_total
from scoring.rounding import display
from specs import SpecCatalog
from specs.model import Spec


@dataclass(frozen=True)
class ExportFiles:
    workbook: bytes
    workbook_name: str
    answers_csv: bytes
    csv_name: str


async def build_export(sessions: Sessions, catalog: SpecCatalog, survey: SurveyRecord, language: str,
                       now: dt.datetime) -> ExportFiles:
    summary = await build_summary(sessions, catalog, survey)
    levels = await storage.levels(sessions, survey.id)
    sheet = with_filing_header(score_sheet(summary, language, now, management_summary(summary, levels, language)),
                               survey, summary, language)
    report = await survey_report(sessions, survey, summary, levels, language)
    zone = ZoneInfo(survey.timezone)
    responses = await storage.raw_responses(sessions, survey.id)
    raw = [_raw_row(response, zone) for response in responses]
    comments = [Comment(response.number, response.comment) for response in responses if response.comment]
    stem = f"{summary.spec.id}_{survey.code}_{now.astimezone(zone):%Y-%m-%d}"
    return ExportFiles(
        workbook=write_workbook(sheet, raw, comments, language, report=report), workbook_name=f"{stem}.xlsx",
        answers_csv=write_answers_csv(summary.spec, raw), csv_name=f"{stem}.csv",
    )


def score_sheet(summary: SurveySummary, language: str, now: dt.datetime,
                management: ManagementSummary | None = None) -> ScoreSheet:
    """The Appendix 1 figures of a summary (all zero before the first response)."""
    spec, scores = summary.spec, summary.scores
    zone = ZoneInfo(summary.timezone)
    unrated: tuple[str, ...] = ()
    if scores is None:
        items = tuple(ItemRow(item.code, None, 0.0) for item in spec.items)
        characteristics = tuple(CharacteristicRow(c.code, 0.0) for c in spec.characteristics)
        service, grade, ci95 = 0.0, None, None
    else:
        items = tuple(ItemRow(item.code, item.alpha, item.score, item.n, item.not_applicable)
                      for item in scores.items)
        characteristics = tuple(CharacteristicRow(c.code, c.score, c.unrated) for c in scores.characteristics)
        service = float(scores.service_score) if scores.service_score is not None else None
        unrated = scores.unrated
        grade = scores.grade.in_language(language) if scores.grade else None
        interval = scores.interval
        ci95 = (float(display(interval.low)), float(display(interval.high))) if interval else None
    return ScoreSheet(
        spec=spec, organization=summary.organization, survey_code=summary.code,
        generated_at=now.astimezone(zone), respondents=summary.submitted, items=items,
        characteristics=characteristics, service_score=service, service_grade=grade, ci95=ci95,
        management=management, unrated=unrated,
        quality=DataQuality(straight_liners=summary.straight_liners, speeders=summary.speeders,
                            all_not_applicable=summary.all_not_applicable),
    )


def management_summary(summary: SurveySummary, levels: dict[str, int],
                       language: str) -> ManagementSummary | None:
    """Sheet 4: None while nothing is rated; the certification once all requirements are rated."""
    if not levels:
        return None
    spec = summary.spec
    total = management_total(spec, levels)
    level = management_level(spec, total)
    label = spec.management_levels[level - 1].label.in_language(language) if level else None
    certification = None
    undetermined = summary.scores is not None and summary.scores.service_score is None
    if all(requirement.code in levels for requirement in spec.requirements) and not undetermined:
        certification = _certification(spec, summary, level, language)
    return ManagementSummary(levels={r.code: levels.get(r.code) for r in spec.requirements}, total=total,
                             level_label=label, certification=certification)


def _certification(spec: Spec, summary: SurveySummary, level: int | None,
                   language: str) -> CertificationResult:
    service = summary.scores.service_score if summary.scores else display(0.0)
    result = certify(spec, service, level)
    return CertificationResult(
        grade=result.grade.in_language(language) if result.grade else None, certified=result.certified,
        capped=result.capped_by_management, explanation=explain_certification(spec, result, language))


def _raw_row(response: RawResponse, zone: ZoneInfo) -> RawAnswerRow:
    telegram = response.channel == storage.Channel.TELEGRAM
    return RawAnswerRow(
        respondent=response.number, channel=str(response.channel),
        joined_at=response.joined_at.astimezone(zone) if telegram else None,
        submitted_at=response.submitted_at.astimezone(zone),
        duration=response.submitted_at - response.joined_at if telegram else None,
        ratings=response.ratings,
    )
