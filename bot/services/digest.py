"""The audit leads' daily summary at 18:00 survey time, and the one-off "target reached" notice.

`DigestSender.run()` is the scheduler's job: it reads from the database who is due, claims each
digest (`storage.claim_digest`, once per lead and local day, across restarts and replicas) before
sending it, and tells the leads once (`storage.claim_target_notice`) when a survey reaches its target.
Both wait for the survey's send window (the reminder policy's; outside it are the quiet hours): a
notice or digest that falls in quiet hours is not claimed then, so a later run (after a restart too)
sends it when the window opens.
Leads read them in the bot's default language: the lead's own language is only known while they
write to the bot.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.adapters import storage
from bot.adapters.storage import Sessions, SurveyRecord
from bot.services.delivery import Delivery
from bot.services.ports import Clock, utc_now
from bot.services.survey_summary import build_summary
from conversations.digest_text import DigestFigures, digest_text, target_reached_text
from conversations.reminder_policy import ReminderPolicy, digest_due, in_send_window
from conversations.result_wording import more_to_settle, rated_certification, result_headline
from conversations.summary_figures import SurveySummary
from specs import SpecCatalog

log = logging.getLogger(__name__)

DAY = dt.timedelta(hours=24)


class DigestSender:
    def __init__(self, sessions: Sessions, catalog: SpecCatalog, delivery: Delivery, language: str,
                 clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._delivery = delivery
        self._language = language
        self._clock = clock

    async def run(self) -> int:
        """Send the target notices and every digest due now; the number of digests sent."""
        now = self._clock()
        await self._target_notices(now)
        sent = 0
        texts: dict[int, str] = {}
        for lead in await storage.digest_recipients(self._sessions, now):
            window = ReminderPolicy(window_start_hour=lead.window_start_hour, window_end_hour=lead.window_end_hour)
            if not digest_due(now, lead.timezone, lead.last_digest_at, window=window):
                continue
            if not await storage.claim_digest(self._sessions, lead.survey_id, lead.telegram_user_id,
                                              lead.last_digest_at, now):
                continue  # another process sent it
            if lead.survey_id not in texts:
                texts[lead.survey_id] = await self._digest_text(lead.survey_id, now)
            if await self._delivery.send(lead.telegram_user_id, texts[lead.survey_id]) is not None:
                sent += 1
        if sent:
            log.info("sent %d daily digest(s)", sent)
        return sent

    async def digest_figures(self, survey: SurveyRecord, now: dt.datetime) -> DigestFigures:
        summary = await build_summary(self._sessions, self._catalog, survey)
        return DigestFigures(
            organization=survey.organization,
            submitted_last_day=await storage.submitted_since(self._sessions, survey.id, now - DAY),
            submitted=summary.submitted, started=summary.started, target=survey.target,
            result=(await self._result(summary))[0],
        )

    async def _result(self, summary: SurveySummary) -> tuple[str | None, int | None]:
        """The result line (None before the first response) and how many more responses would settle a
        provisional grade, with the certification result once maturity is rated in full."""
        if summary.scores is None:
            return None, None
        levels = await storage.levels(self._sessions, summary.survey_id)
        figures = summary.scores.result_figures(
            rated_certification(summary.spec, summary.scores.service_score, levels))
        return result_headline(summary.spec, figures, self._language), more_to_settle(summary.spec, figures)

    async def _digest_text(self, survey_id: int, now: dt.datetime) -> str:
        survey = await storage.survey_by_id(self._sessions, survey_id)
        assert survey is not None  # a lead row always has its survey (foreign key)
        return digest_text(self._language, await self.digest_figures(survey, now))

    async def _target_notices(self, now: dt.datetime) -> None:
        for survey in await storage.surveys_at_target(self._sessions, now):
            if not in_send_window(survey.reminders, survey.timezone, now):
                continue  # quiet hours: a run once the window opens claims and sends it
            if survey.target is None or not await storage.claim_target_notice(self._sessions, survey.id):
                continue
            summary = await build_summary(self._sessions, self._catalog, survey)
            text = target_reached_text(self._language, survey.organization, summary.submitted, survey.target,
                                       *await self._result(summary))
            for lead in await storage.leads_of(self._sessions, survey.id):
                await self._delivery.send(lead.telegram_user_id, text)
