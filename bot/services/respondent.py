"""The customer's side between Telegram and the database: read the state, run the dialogue, store.

Each event is one transaction (storage.take_step): the respondent's step, language and answers are
read, the dialogue works out the change and the reply, the change is committed before the caller
replies. Nothing lives in memory between updates.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.adapters import storage
from bot.adapters.storage import RespondentInSurvey, Sessions, SurveyRecord
from bot.services.pinned_specs import SpecNotLoaded, loaded_spec, pinned_spec
from bot.services.ports import Clock, utc_now
from conversations import invite
from conversations.message_kinds import MessageKind, unreadable_for_a_visitor
from conversations.respondent import (
    Outcome,
    RespondentState,
    SurveyInfo,
    handle_action,
    handle_command,
    handle_text,
    handle_unreadable,
    start,
)
from conversations.screens import Screen
from locales import normalize_language
from specs import SpecCatalog

log = logging.getLogger(__name__)
DialogueStep = Callable[[SurveyInfo, RespondentState], Outcome]


@dataclass(frozen=True)
class Reply:
    """What to show: `screen`, for `survey_id` (None for a notice), on behalf of `respondent_id`, in
    `language`; `screen_message_id` is the message that showed the respondent's screen until now,
    `returned` a refused comment to give back to them."""

    screen: Screen
    survey_id: int | None = None
    respondent_id: int | None = None
    invalid: bool = False
    language: str | None = None
    screen_message_id: int | None = None
    returned: str | None = None


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
        if survey is None or await pinned_spec(self._sessions, self._catalog, survey) is None:
            return Reply(invite.unknown_invite_screen(language))
        existing = await storage.respondent_for(self._sessions, survey.id, user_id)
        blocked = self._unavailable(survey, existing.language if existing else language)
        if blocked is not None and (existing is None or existing.submitted_at is None):
            return blocked
        respondent = existing or await storage.join(self._sessions, survey.id, user_id, chat_id, language,
                                                    self._clock())
        return await self._step_of(respondent.id, lambda info, state: start(info, state))

    async def on_message_without_invite(self, user_id: int, language_code: str | None, text: str | None,
                                        command: str | None, kind: MessageKind = MessageKind.OTHER) -> Reply:
        """Any message or command outside an invite: continue the user's latest survey. Without text
        or command, `kind` says what was sent instead (a sticker, a photo, a voice message…)."""
        latest = await storage.latest_respondent_for_user(self._sessions, user_id)
        if latest is None:
            language = normalize_language(language_code, self._default_language)
            if text is None and command is None:
                return Reply(Screen(unreadable_for_a_visitor(language, kind), [], invite.NOTICE_POSITION, edit=False))
            return Reply(invite.no_survey_screen(language))
        if command is not None:
            return await self._step_of(latest.id, lambda info, state: handle_command(info, state, command))
        if text is not None:
            return await self._step_of(latest.id, lambda info, state: handle_text(info, state, text))
        return await self._step_of(latest.id, lambda info, state: handle_unreadable(info, state, kind))

    async def on_button(self, user_id: int, survey_id: int, shown_position: str, action: str) -> Reply | None:
        """A tapped button; None when the button is not this user's (forged or foreign)."""
        return await self._step(storage.UserInSurvey(survey_id, user_id),
                                lambda info, state: handle_action(info, state, shown_position, action))

    async def step_by_id(self, respondent_id: int, dialogue: DialogueStep) -> Reply:
        """One dialogue step of the respondent with this id (the web page finds it by its cookie): the
        same transaction, notices and storing as a tap in Telegram."""
        return await self._step_of(respondent_id, dialogue)

    def availability_notice(self, survey: SurveyRecord, language: str) -> Reply | None:
        """The notice for a survey that takes no answers now (closed or not yet open); None when open."""
        return self._unavailable(survey, language)

    async def remember_screen(self, respondent_id: int, message_id: int) -> None:
        await storage.set_screen_message(self._sessions, respondent_id, message_id)

    async def mark_chat_unreachable(self, chat_id: int) -> None:
        await storage.mark_chat_unreachable(self._sessions, chat_id)

    def _unavailable(self, survey: SurveyRecord, language: str) -> Reply | None:
        state = invite.availability(survey.status, survey.opens_at, survey.closes_at, self._clock())
        if state is invite.Availability.OPEN:
            return None
        return Reply(invite.unavailable_screen(language, state, survey.opens_at, survey.timezone))

    async def _step_of(self, respondent_id: int, dialogue: DialogueStep) -> Reply:
        reply = await self._step(respondent_id, dialogue)
        assert reply is not None  # respondents are never deleted
        return reply

    async def _step(self, who: storage.UserInSurvey | int, dialogue: DialogueStep) -> Reply | None:
        def take() -> Awaitable[Reply | None]:
            return storage.take_step(self._sessions, who, self._clock(), lambda found: self._decide(found, dialogue))

        try:
            return await take()
        except SpecNotLoaded as missing:  # a revision stored since this process started: read it, step again
            await pinned_spec(self._sessions, self._catalog, missing.survey)
            return await take()

    def _decide(self, found: RespondentInSurvey,
                dialogue: DialogueStep) -> tuple[storage.StepChange | None, Reply]:
        """What the dialogue makes of the respondent's state: the change to store and the reply. A
        respondent who has not submitted gets the survey's notice while it is not open."""
        survey, respondent = found.survey, found.respondent
        if respondent.submitted_at is None:
            blocked = self._unavailable(survey, respondent.language)
            if blocked is not None:
                return None, blocked
        spec = loaded_spec(self._catalog, survey)
        assert spec is not None  # a survey without a stored spec is never joined (open_invite)
        state = RespondentState(
            language=respondent.language, position=respondent.position, answers=found.answers,
            comment=respondent.comment, submitted=respondent.submitted_at is not None,
            reviewing=respondent.reviewing,
        )
        outcome = dialogue(SurveyInfo(organization=survey.organization, spec=spec), state)
        if outcome.invalid:
            log.warning("invalid input from respondent %s of survey %s at %s", respondent.id, survey.id,
                        respondent.position)
        new = outcome.state
        change = storage.StepChange(
            answer=outcome.saved, submit=outcome.submitted,
            state=storage.DialogueState(
                position=new.position, reviewing=new.reviewing, language=new.language, comment=new.comment,
                screen_message_id=respondent.screen_message_id,
            ) if outcome.changed else None,
        )
        return change, Reply(outcome.screen, survey.id, respondent.id, outcome.invalid, new.language,
                             respondent.screen_message_id, outcome.returned)


def _plausible_code(code: str) -> bool:
    return 0 < len(code) <= 64 and all(c.isascii() and (c.isalnum() or c in "_-") for c in code)
