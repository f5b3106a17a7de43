"""/newsurvey: an admin creates a survey in a guided dialogue (conversations/new_survey.py).

Only administrators (ADMIN_IDS) create surveys: a co-lead was invited to steer one survey, not to open
new ones. The dialogue's progress is kept in the lead_draft table, so a restart loses nothing; a draft
untouched for DRAFT_MAX_AGE is abandoned.
"""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from bot.adapters import storage
from bot.adapters.storage.drafts import delete_draft, load_draft, save_draft
from bot.services import audit, buttons
from bot.services.context import Deps, Press, Sender
from bot.services.lead_setup import send_qr, service_name
from bot.services.leads import is_lead
from conversations import new_survey
from conversations.invite import invite_link
from conversations.lead_setup_screens import admins_only_text, not_a_lead_text
from conversations.survey_dates import closes_at_end_of_day

DRAFT_KIND = "newsurvey"
DRAFT_MAX_AGE = dt.timedelta(hours=24)


async def has_draft(deps: Deps, sender: Sender) -> bool:
    """The user is in the middle of /newsurvey."""
    return await _draft(deps, sender) is not None


async def start(deps: Deps, sender: Sender) -> None:
    language = deps.language_of(sender)
    if sender.user_id not in await deps.admin_ids():
        lead = await is_lead(deps, sender)
        await deps.delivery.send(sender.chat_id, admins_only_text(language) if lead else not_a_lead_text(language))
        return
    outcome = new_survey.start(language, secrets.token_hex(3), _context(deps))
    await _apply(deps, sender, outcome, None)


async def cancel(deps: Deps, sender: Sender) -> None:
    state = await _draft(deps, sender)
    if state is not None:
        await _apply(deps, sender, new_survey.cancel(state), None)


async def on_text(deps: Deps, sender: Sender, typed: str) -> None:
    state = await _draft(deps, sender)
    if state is not None:
        await _apply(deps, sender, new_survey.handle_text(state, _context(deps), typed), None)


async def pressed(deps: Deps, sender: Sender, press: Press, fields: list[str]) -> None:
    language = deps.language_of(sender)
    if sender.user_id not in await deps.admin_ids() or press.message_id is None or len(fields) != 2:
        await deps.answer(press, not_a_lead_text(language))
        return
    state = await _draft(deps, sender)
    if state is None:
        await deps.answer(press, new_survey.ended_text(language))
        return
    outcome = new_survey.handle_action(state, _context(deps), fields[0], fields[1])
    await deps.answer(press)
    await _apply(deps, sender, outcome, press.message_id if outcome.screen.edit else None)


def _context(deps: Deps) -> new_survey.Context:
    timezone = deps.settings.timezone
    today = deps.clock().astimezone(ZoneInfo(timezone)).date()
    return new_survey.Context(specs=list(deps.catalog), today=today, timezone=timezone)


async def _draft(deps: Deps, sender: Sender) -> new_survey.NewSurveyState | None:
    data = await load_draft(deps.sessions, sender.user_id, DRAFT_KIND, deps.clock(), DRAFT_MAX_AGE)
    return new_survey.NewSurveyState.from_json(data) if data is not None else None


async def _apply(deps: Deps, sender: Sender, outcome: new_survey.Outcome, edit_id: int | None) -> None:
    """Store the dialogue's new state, create the survey when asked, and show the screen."""
    if outcome.state is None:
        await delete_draft(deps.sessions, sender.user_id, DRAFT_KIND)
    else:
        await save_draft(deps.sessions, sender.user_id, DRAFT_KIND, outcome.state.to_json(), deps.clock())
    if outcome.create is not None:
        await _create(deps, sender, outcome.create, edit_id)
        return
    screen = outcome.screen
    keyboard = buttons.keyboard_of(screen, lambda action: buttons.pack(buttons.NEW_SURVEY, screen.position, action))
    await deps.delivery.show(sender.chat_id, screen.text, keyboard, edit_id)


async def _create(deps: Deps, sender: Sender, request: new_survey.SurveyRequest, edit_id: int | None) -> None:
    """Create the survey (the lead becomes its owner), then send the invite link and its QR code."""
    timezone, language = deps.settings.timezone, deps.language_of(sender)
    closes_at = closes_at_end_of_day(request.closes_on, timezone) if request.closes_on else None
    survey = await storage.create_survey(
        deps.sessions, spec_id=request.spec_id, organization=request.organization, timezone=timezone,
        now=deps.clock(), closes_at=closes_at, target=request.target, created_by=sender.user_id,
        spec=deps.catalog.get(request.spec_id))
    await audit.record(deps, survey.id, sender.user_id, audit.CREATED, audit.created_details(survey), deps.clock())
    service = await service_name(deps, survey, language)
    link = invite_link(await deps.bot_username(), survey.code)
    text = new_survey.created_text(language, survey.organization, service, link, survey.code)
    await deps.delivery.show(sender.chat_id, text, None, edit_id)
    await send_qr(deps, sender.chat_id, link, new_survey.qr_caption(survey.organization, service))

