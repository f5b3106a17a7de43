"""/maturity: the audit lead rates the management requirements of a survey with buttons
(conversations/maturity_dialogue.py). Levels are stored as they are tapped, so the rating resumes at
the first unrated requirement after any pause or restart."""

from __future__ import annotations

from bot.adapters import storage
from bot.adapters.storage import SurveyRecord
from bot.services import audit, buttons
from bot.services.context import Deps, Press, Sender
from bot.services.leads import survey_named, survey_pressed
from bot.services.survey_summary import build_summary, spec_of
from conversations.maturity_dialogue import SUMMARY, ServiceFigures, handle_action, opening_position, render


async def maturity_command(deps: Deps, sender: Sender, reference: str | None) -> None:
    survey = await survey_named(deps, sender, reference, "maturity")
    if survey is not None:
        await show_maturity(deps, sender, survey)


async def show_maturity(deps: Deps, sender: Sender, survey: SurveyRecord) -> None:
    """Open the rating at the first unrated requirement (or the result, when all are rated)."""
    levels = await storage.levels(deps.sessions, survey.id)
    spec = await spec_of(deps.sessions, deps.catalog, survey)
    await _show(deps, sender, survey, levels, opening_position(spec, levels), None)


async def maturity_pressed(deps: Deps, sender: Sender, press: Press, fields: list[str]) -> None:
    survey = await survey_pressed(deps, sender, press, fields[0] if len(fields) == 3 else "")
    if survey is None:
        return
    levels = await storage.levels(deps.sessions, survey.id)
    step = handle_action(await spec_of(deps.sessions, deps.catalog, survey), levels, fields[1], fields[2])
    if step.rate is not None:
        code, level = step.rate
        await storage.set_level(deps.sessions, survey.id, code, level, sender.user_id, deps.clock())
        if levels.get(code) != level:
            await audit.record(deps, survey.id, sender.user_id, audit.MATURITY_RATED,
                               {"requirement": code, "old": levels.get(code), "new": level}, deps.clock())
        levels = {**levels, code: level}
    await deps.answer(press)
    await _show(deps, sender, survey, levels, step.position, press.message_id)


async def _show(deps: Deps, sender: Sender, survey: SurveyRecord, levels: dict[str, int], position: str,
                edit_id: int | None) -> None:
    service = await _service_figures(deps, survey) if position == SUMMARY else None
    screen = render(await spec_of(deps.sessions, deps.catalog, survey), levels, position, deps.language_of(sender),
                    survey.organization, service)
    keyboard = buttons.keyboard_of(screen, lambda action: buttons.pack(buttons.MATURITY, survey.id, screen.position,
                                                               action))
    await deps.delivery.show(sender.chat_id, screen.text, keyboard, edit_id)


async def _service_figures(deps: Deps, survey: SurveyRecord) -> ServiceFigures | None:
    """The service score exactly as /summary shows it; None before the first submission."""
    summary = await build_summary(deps.sessions, deps.catalog, survey)
    if summary.scores is None:
        return None
    return ServiceFigures(summary.scores.service_score, summary.submitted, summary.scores.interval)
