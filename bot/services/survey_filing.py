"""What the workbook adds for filing a survey: the score sheet's header (survey period, responses
started), and the survey report and log sheets' figures (channels, target, invitation, the result in
the project's one wording, the audit trail and the seal).

Read with a handful of small queries, whatever the number of responses: the seal comes from the stored
chain heads (`surveybot survey verify` is what recomputes them).
"""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

from bot.adapters.reports import LogEntry, ScoreSheet, Seal, SurveyReport
from bot.adapters.storage import Sessions, SurveyRecord
from bot.adapters.storage.audit import current_seal
from bot.services import audit
from conversations.result_wording import ResultFigures, result_lines
from conversations.summary_figures import SurveySummary
from conversations.survey_dates import display_period
from locales import N_, translator
from scoring.certification import Certification, certify
from scoring.management import management_level, management_total

_ACTIONS = {
    audit.CREATED: N_("survey created"), audit.OPENED: N_("survey reopened"), audit.CLOSED: N_("survey closed"),
    audit.LEAD_ADDED: N_("co-lead added"), audit.MATURITY_RATED: N_("maturity rated"),
    audit.PAPER_IMPORT: N_("paper responses imported"), audit.PURGED: N_("personal data purged"),
    audit.EXPORTED: N_("exported"), audit.DATES_CHANGED: N_("survey dates changed"),
    audit.TARGET_CHANGED: N_("target changed"),
}


def with_filing_header(sheet: ScoreSheet, survey: SurveyRecord, summary: SurveySummary, language: str) -> ScoreSheet:
    """`sheet` with the survey period (inclusive local days) and the number of customers who started."""
    return dataclasses.replace(
        sheet, started=summary.started + summary.submitted,
        period=display_period(survey.opens_at, survey.closes_at, survey.timezone, language))


async def survey_report(sessions: Sessions, survey: SurveyRecord, summary: SurveySummary, levels: dict[str, int],
                        language: str) -> SurveyReport:
    """The survey report and log sheets' figures."""
    entries = await audit.trail(sessions, survey.id)
    seal = await current_seal(sessions, survey.id)
    zone = ZoneInfo(survey.timezone)
    trail = tuple(LogEntry(entry.sequence, entry.at.astimezone(zone), _who(entry.who, language),
                           _action(entry.action, language),
                           ", ".join(f"{key}={value}" for key, value in entry.details.items()))
                  for entry in entries)
    return SurveyReport(
        channels=summary.submitted_by_channel, target=survey.target, invitation=_invitation(survey, language),
        result=_result(summary, levels, language),
        trail=trail, seal=Seal(seal.seal, seal.responses, seal.entries))


def certification_of(summary: SurveySummary, levels: dict[str, int]) -> Certification | None:
    """The §5.3 result once the service score is determined and every requirement is rated."""
    spec, scores = summary.spec, summary.scores
    if scores is None or scores.service_score is None or any(r.code not in levels for r in spec.requirements):
        return None
    return certify(spec, scores.service_score, management_level(spec, management_total(spec, levels)))


def _result(summary: SurveySummary, levels: dict[str, int], language: str) -> tuple[str, ...]:
    scores = summary.scores
    if scores is None:
        return (translator(language).gettext("No responses submitted yet, so there is no score to show."),)
    figures = ResultFigures(service_score=scores.service_score, interval=scores.interval,
                            certification=certification_of(summary, levels), unrated=scores.unrated,
                            responses_to_determine=scores.responses_to_determine)
    return tuple(result_lines(summary.spec, figures, language))


def _invitation(survey: SurveyRecord, language: str) -> tuple[str, ...]:
    _ = translator(language).gettext
    lines = [_("The survey's invite link and QR code (survey code {code}), handed to the organization's "
               "customers.").format(code=survey.code)]
    policy = survey.reminders
    if policy.max_reminders:
        lines.append(_("Reminders: up to {count} to customers who started but did not submit, sent between "
                       "{start}:00 and {end}:00 ({timezone}).").format(
            count=policy.max_reminders, start=policy.window_start_hour, end=policy.window_end_hour,
            timezone=survey.timezone))
    else:
        lines.append(_("Reminders: none."))
    return tuple(lines)


def _who(who: str, language: str) -> str:
    _ = translator(language).gettext
    return _("command line") if who == audit.CLI else _("Telegram user {id}").format(id=who)


def _action(action: str, language: str) -> str:
    label = _ACTIONS.get(action)
    return translator(language).gettext(label) if label else action
