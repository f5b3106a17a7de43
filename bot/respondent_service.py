"""The customer's side between Telegram and the database: load the state, run the dialogue, store.

Every answer is committed before the caller replies. Nothing lives in memory between updates: the
respondent's step, language and answers are read from the database for each event.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot import storage
from bot.storage import RespondentInSurvey, RespondentRecord, Sessions, SurveyRecord
from conversations import invite
from conversations.respondent import (
    Outcome,
    RespondentState,
    SurveyInfo,
    handle_action,
    handle_command,
    handle_text,
    resume,
    start,
)
from conversations.screens import Screen
from locales import normalize_language
from specs import SpecCatalog

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Reply:
    """What to show: `screen`, for `survey_id` (None for a notice), on behalf of `respondent_id`."""

    screen: Screen
    survey_id: int | None = None
    respondent_id: int | None = None
    invalid: bool = False


class RespondentService:
    def __init__(self, sessions: Sessions, catalog: SpecCatalog, default_language: str,
                 clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._default_language = default_language
        self._clock = clock

    async def open_invite(self, code: str, user_id: int, chat_id: int, language_code: str | None) -> Reply:
        """/start CODE: join the survey (once per account) and show the welcome or resume."""
        language = normalize_language(language_code, self._default_language)
        survey = await storage.survey_by_code(self._sessions, code) if _plausible_code(code) else None
        if survey is None or self._catalog.get(survey.spec_id) is None:
            return Reply(invite.unknown_invite_screen(language))
        existing = await storage.respondent_for(self._sessions, survey.id, user_id)
        blocked = self._unavailable(survey, existing.language if existing else language)
        if blocked is not None and (existing is None or existing.submitted_at is None):
            return blocked
        respondent = existing or await storage.join(self._sessions, survey.id, user_id, chat_id, language,
                                                    self._clock())
        return await self._run(await self._in_survey(respondent.id), lambda info, state: start(info, state))

    async def on_message_without_invite(self, user_id: int, language_code: str | None,
                                        text: str | None, command: str | None) -> Reply:
        """Any message or command outside an invite: continue the user's latest survey."""
        latest = await storage.latest_respondent_for_user(self._sessions, user_id)
        if latest is None:
            return Reply(invite.no_survey_screen(normalize_language(language_code, self._default_language)))
        found = await self._in_survey(latest.id)
        blocked = self._unavailable_to(found)
        if blocked is not None:
            return blocked
        if command is not None:
            return await self._run(found, lambda info, state: handle_command(info, state, command))
        if text is not None:
            return await self._run(found, lambda info, state: handle_text(info, state, text))
        return await self._run(found, lambda info, state: resume(info, state))

    async def on_button(self, user_id: int, survey_id: int, shown_position: str, action: str) -> Reply | None:
        """A tapped button; None when the button is not this user's (forged or foreign)."""
        found = await storage.respondent_in_survey(self._sessions, survey_id, user_id)
        if found is None:
            return None
        blocked = self._unavailable_to(found)
        if blocked is not None:
            return blocked
        return await self._run(found, lambda info, state: handle_action(info, state, shown_position, action))

    async def remember_screen(self, respondent_id: int, message_id: int) -> None:
        await storage.set_screen_message(self._sessions, respondent_id, message_id)

    async def mark_chat_unreachable(self, chat_id: int) -> None:
        await storage.mark_chat_unreachable(self._sessions, chat_id)

    def _unavailable_to(self, found: RespondentInSurvey) -> Reply | None:
        """Why a respondent who has not submitted cannot answer now (a submitted one may still look)."""
        if found.respondent.submitted_at is not None:
            return None
        return self._unavailable(found.survey, found.respondent.language)

    def _unavailable(self, survey: SurveyRecord, language: str) -> Reply | None:
        state = invite.availability(survey.status, survey.opens_at, survey.closes_at, self._clock())
        if state is invite.Availability.OPEN:
            return None
        return Reply(invite.unavailable_screen(language, state, survey.opens_at, survey.timezone))

    async def _in_survey(self, respondent_id: int) -> RespondentInSurvey:
        found = await storage.respondent_in_survey_by_id(self._sessions, respondent_id)
        assert found is not None  # respondents are never deleted
        return found

    async def _run(self, found: RespondentInSurvey,
                   step: Callable[[SurveyInfo, RespondentState], Outcome]) -> Reply:
        try:
            return await self._run_once(found, step)
        except storage.StepOvertaken:  # another bot process moved this respondent on meanwhile: redo
            return await self._run_once(await self._in_survey(found.respondent.id), step)

    async def _run_once(self, found: RespondentInSurvey,
                        step: Callable[[SurveyInfo, RespondentState], Outcome]) -> Reply:
        survey, respondent = found.survey, found.respondent
        spec = self._catalog.get(survey.spec_id)
        assert spec is not None  # surveys are only created for known specs
        info = SurveyInfo(organization=survey.organization, spec=spec)
        state = RespondentState(
            language=respondent.language, position=respondent.position, answers=found.answers,
            comment=respondent.comment, submitted=respondent.submitted_at is not None,
            reviewing=respondent.reviewing,
        )
        outcome = step(info, state)
        await self._store(respondent, outcome)
        if outcome.invalid:
            log.warning("invalid input from respondent %s of survey %s at %s", respondent.id, survey.id,
                        respondent.position)
        return Reply(outcome.screen, survey.id, respondent.id, outcome.invalid)

    async def _store(self, respondent: RespondentRecord, outcome: Outcome) -> None:
        new = outcome.state
        state = storage.DialogueState(
            position=new.position, reviewing=new.reviewing, language=new.language, comment=new.comment,
            screen_message_id=respondent.screen_message_id,
        ) if outcome.changed else None
        await storage.save_step(self._sessions, respondent.id, self._clock(),
                                from_position=respondent.position, answer=outcome.saved,
                                submit=outcome.submitted, state=state)


def _plausible_code(code: str) -> bool:
    return 0 < len(code) <= 64 and all(c.isascii() and (c.isalnum() or c in "_-") for c in code)
