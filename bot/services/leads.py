"""Access control for every lead use-case, written once: which survey a lead means, and the one
polite answer for everyone else (the same whether or not the survey exists)."""

from __future__ import annotations

import datetime as dt

from bot.adapters.storage import SurveyRecord, SurveySummaryRow
from bot.services import buttons
from bot.services.context import Deps, Press, Sender
from bot.services.lead_access import is_any_lead, survey_for_lead, surveys_of_lead
from conversations.lead_setup_screens import no_such_survey_text, no_surveys_yet_text, not_a_lead_text
from conversations.summary_figures import SurveyListEntry
from conversations.survey_dates import survey_state
from conversations.survey_picker import survey_picker_screen


async def survey_named(deps: Deps, sender: Sender, reference: str | None, command: str) -> SurveyRecord | None:
    """The survey a lead `command` names by invite code, or the lead's only survey. A lead with several
    who typed no code is shown them as buttons (pressing one runs the command for it); otherwise the
    user is told why not. None unless the survey is known now."""
    reference = (reference or "").strip() or None
    if reference is None:
        entries = await lead_entries(deps, sender)
        if len(entries) > 1:
            screen = survey_picker_screen(entries, deps.language_of(sender))
            keyboard = buttons.keyboard_of(screen, lambda survey_id: buttons.pack(buttons.PICKED, command, survey_id))
            await deps.delivery.send(sender.chat_id, screen.text, keyboard)
            return None
    survey = await survey_for_lead(deps.sessions, sender.user_id, await deps.admin_ids(), reference)
    if survey is None:
        language = deps.language_of(sender)
        if not await is_any_lead(deps.sessions, sender.user_id, await deps.admin_ids()):
            text = not_a_lead_text(language)
        else:
            text = no_such_survey_text(language) if reference else no_surveys_yet_text(language)
        await deps.delivery.send(sender.chat_id, text)
    return survey


async def survey_pressed(deps: Deps, sender: Sender, press: Press, survey_field: str) -> SurveyRecord | None:
    """The survey a lead button names, when the user leads it; otherwise the press is answered with
    the not-a-lead notice and None is returned."""
    survey_id = buttons.survey_id_field(survey_field)
    survey = None
    if survey_id is not None and press.message_id is not None:
        survey = await survey_for_lead(deps.sessions, sender.user_id, await deps.admin_ids(), survey_id)
    if survey is None:
        await deps.answer(press, not_a_lead_text(deps.language_of(sender)), alert=True)
    return survey


async def is_lead(deps: Deps, sender: Sender) -> bool:
    return await is_any_lead(deps.sessions, sender.user_id, await deps.admin_ids())


async def tell_not_a_lead(deps: Deps, sender: Sender) -> None:
    await deps.delivery.send(sender.chat_id, not_a_lead_text(deps.language_of(sender)))


async def lead_entries(deps: Deps, sender: Sender) -> list[SurveyListEntry]:
    """The surveys the user leads, newest first, as the list screens show them."""
    rows = await surveys_of_lead(deps.sessions, sender.user_id, await deps.admin_ids())
    now = deps.clock()
    return [_entry(row, now) for row in rows]


def _entry(row: SurveySummaryRow, now: dt.datetime) -> SurveyListEntry:
    """`status` is the state at `now`: not yet open, open or closed (conversations.survey_dates)."""
    survey, progress = row.survey, row.progress
    return SurveyListEntry(
        survey_id=survey.id, code=survey.code, organization=survey.organization, spec_id=survey.spec_id,
        status=survey_state(survey.status, survey.opens_at, survey.closes_at, now).value,
        started=progress.started, submitted=progress.submitted,
        target=survey.target, closes_at=survey.closes_at, timezone=survey.timezone, opens_at=survey.opens_at)
