"""Reminder rounds: who is due is read from the database each time, each reminder is claimed in the
database before it is sent, and every message goes through the rate-limited `Delivery`.

    sweeper = ReminderSweeper(sessions, catalog, delivery)
    report = await sweeper.sweep()                  # every open survey (the scheduler's job)
    report = await sweeper.remind_now(survey)       # one survey, with every skip explained (/remind)

Nothing is kept in memory between rounds, so a restart loses nothing, and because the claim
(`storage.claim_reminder`) comes first, a crash between claim and send can miss one reminder but
never sends one twice; two processes on one database never send the same reminder.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from typing import Protocol

from bot.adapters import storage
from bot.adapters.storage import ReminderCandidate, Sessions, SurveyRecord
from bot.services import buttons
from bot.services.pinned_specs import pinned_spec
from bot.services.ports import Clock, Keyboard, utc_now
from conversations.reminder_policy import (
    RespondentSnapshot,
    SurveySnapshot,
    SweepCutoffs,
    decide,
    in_send_window,
    sweep_cutoffs,
)
from conversations.reminder_screens import TAKEN_ELSEWHERE, RoundReport, reminder_screen
from conversations.respondent_screens import moved_on_text
from specs import SpecCatalog
from specs.model import Spec

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 8  # sends in flight at once; the rate itself is Delivery's limiter


class ScreenSender(Protocol):
    """What a round needs from `bot.services.delivery.Delivery`."""

    async def send(self, chat_id: int, text: str, keyboard: Keyboard | None = None) -> int | None: ...

    async def edit(self, chat_id: int, message_id: int, text: str, keyboard: Keyboard | None = None) -> bool: ...


def combine(first: RoundReport, second: RoundReport) -> RoundReport:
    return RoundReport(sent=first.sent + second.sent, failed=first.failed + second.failed,
                       skipped=dict(Counter(first.skipped) + Counter(second.skipped)))


class ReminderSweeper:
    def __init__(self, sessions: Sessions, catalog: SpecCatalog, sender: ScreenSender,
                 clock: Clock = utc_now, concurrency: int = DEFAULT_CONCURRENCY) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._sessions = sessions
        self._catalog = catalog
        self._sender = sender
        self._clock = clock
        self._concurrency = concurrency

    async def sweep(self) -> RoundReport:
        """Remind every due respondent of every open survey whose send window is open now."""
        now = self._clock()
        report = RoundReport()
        for survey in await storage.surveys_open_for_reminders(self._sessions, now):
            if in_send_window(survey.reminders, survey.timezone, now):
                report = combine(report, await self._round(survey, now, explain=False))
        if report.sent or report.failed:
            log.info("reminder sweep: %d sent, %d failed, skipped %s", report.sent, report.failed,
                     dict(report.skipped))
        return report

    async def remind_now(self, survey: SurveyRecord) -> RoundReport:
        """One round for one survey now; every unsubmitted respondent is counted as sent, failed or
        skipped with its reason."""
        report = await self._round(survey, self._clock(), explain=True)
        log.info("reminders for survey %s on request: %d sent, %d failed, skipped %s", survey.id,
                 report.sent, report.failed, dict(report.skipped))
        return report

    async def _round(self, survey: SurveyRecord, now: dt.datetime, explain: bool) -> RoundReport:
        spec = await pinned_spec(self._sessions, self._catalog, survey)
        if spec is None:
            log.error("survey %s: spec %s is not stored; no reminders", survey.id, survey.spec_id)
            return RoundReport()
        policy = survey.reminders
        cutoffs = sweep_cutoffs(policy, now)
        snapshot = SurveySnapshot(status=str(survey.status), closes_at=survey.closes_at,
                                  timezone=survey.timezone)
        prefilter = None if explain else cutoffs
        candidates = await storage.reminder_candidates(self._sessions, survey.id, prefilter)
        tally = _Tally()
        due: list[ReminderCandidate] = []
        for candidate in candidates:
            decision = decide(policy, snapshot, _snapshot(candidate), now)
            if decision.due:
                due.append(candidate)
            else:
                tally.skipped[decision.reason.value] += 1
        queue = iter(due)
        async with asyncio.TaskGroup() as workers:
            for _ in range(min(self._concurrency, len(due))):
                workers.create_task(self._work(queue, survey, spec, cutoffs, now, tally))
        return tally.report()

    async def _work(self, queue: Iterator[ReminderCandidate], survey: SurveyRecord, spec: Spec,
                    cutoffs: SweepCutoffs, now: dt.datetime, tally: _Tally) -> None:
        for candidate in queue:
            claimed = await storage.claim_reminder(self._sessions, candidate.id, candidate.reminder_count,
                                                   cutoffs, now)
            if not claimed:
                tally.skipped[TAKEN_ELSEWHERE] += 1
                continue
            screen = reminder_screen(candidate.language, survey.organization, candidate.answered,
                                     len(spec.items), candidate.position)
            sent = await self._sender.send(candidate.chat_id, screen.text,
                                           buttons.respondent_keyboard(screen, survey.id))
            if sent is None:
                tally.failed += 1
            else:
                tally.sent += 1
                await self._screen_moved_to(sent, candidate)

    async def _screen_moved_to(self, message_id: int, candidate: ReminderCandidate) -> None:
        """The reminder, with its Continue button, is now the customer's one live screen: the message
        that showed their screen before loses its buttons."""
        await storage.set_screen_message(self._sessions, candidate.id, message_id)
        if candidate.screen_message_id is not None:
            await self._sender.edit(candidate.chat_id, candidate.screen_message_id,
                                    moved_on_text(candidate.language, below=True))


@dataclasses.dataclass
class _Tally:
    sent: int = 0
    failed: int = 0
    skipped: Counter[str] = dataclasses.field(default_factory=Counter)

    def report(self) -> RoundReport:
        return RoundReport(sent=self.sent, failed=self.failed, skipped=dict(self.skipped))


def _snapshot(candidate: ReminderCandidate) -> RespondentSnapshot:
    return RespondentSnapshot(
        joined_at=candidate.joined_at, last_active_at=candidate.last_active_at,
        submitted_at=candidate.submitted_at, reminder_count=candidate.reminder_count,
        last_reminded_at=candidate.last_reminded_at, unreachable=candidate.unreachable,
    )
