"""/maturity: the audit lead rates the management requirements of a survey with buttons.

Thin shell over conversations/maturity_dialogue.py: levels are stored (storage.set_level) as they
are tapped, so the rating resumes at the first unrated requirement after any pause or restart.
"""

from __future__ import annotations

import datetime as dt

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message

from bot import storage
from bot.delivery import Delivery
from bot.handlers.lead_context import language_of, survey_from_command
from bot.keyboards import screen_keyboard
from bot.lead_access import survey_for_lead
from bot.screen_sender import show_screen
from bot.settings import Settings
from bot.storage import Sessions, SurveyRecord
from bot.survey_summary import build_summary, spec_of
from conversations.lead_setup_screens import not_a_lead_text
from conversations.maturity_dialogue import SUMMARY, ServiceFigures, handle_action, opening_position, render
from specs import Spec, SpecCatalog

router = Router(name="lead_maturity")


class MaturityButton(CallbackData, prefix="mt", sep="|"):
    s: int
    p: str
    a: str


@router.message(Command("maturity"))
async def maturity(message: Message, command: CommandObject, sessions: Sessions, settings: Settings,
                   catalog: SpecCatalog, delivery: Delivery) -> None:
    survey = await survey_from_command(message, command, sessions, settings, delivery)
    if survey is not None:
        await show_maturity(message.chat.id, survey, language_of(message.from_user, settings), sessions,
                            catalog, delivery)


async def show_maturity(chat_id: int, survey: SurveyRecord, language: str, sessions: Sessions,
                        catalog: SpecCatalog, delivery: Delivery) -> None:
    """Open the rating at the first unrated requirement (or the result, when all are rated)."""
    spec = spec_of(catalog, survey)
    levels = await storage.levels(sessions, survey.id)
    await _show(survey, spec, levels, opening_position(spec, levels), language, chat_id, None, sessions,
                catalog, delivery)


@router.callback_query(MaturityButton.filter())
async def maturity_button(query: CallbackQuery, callback_data: MaturityButton, sessions: Sessions,
                          settings: Settings, catalog: SpecCatalog, delivery: Delivery) -> None:
    language = language_of(query.from_user, settings)
    survey = await survey_for_lead(sessions, query.from_user.id, settings.admin_ids, callback_data.s)
    if survey is None or query.message is None:
        await query.answer(not_a_lead_text(language))
        return
    spec = spec_of(catalog, survey)
    levels = await storage.levels(sessions, survey.id)
    step = handle_action(spec, levels, callback_data.p, callback_data.a)
    if step.rate is not None:
        code, level = step.rate
        await storage.set_level(sessions, survey.id, code, level, query.from_user.id, dt.datetime.now(dt.UTC))
        levels = {**levels, code: level}
    await query.answer()
    message = query.message
    await _show(survey, spec, levels, step.position, language, message.chat.id, message.message_id,
                sessions, catalog, delivery)


async def _show(survey: SurveyRecord, spec: Spec, levels: dict[str, int], position: str, language: str,
                chat_id: int, edit_id: int | None, sessions: Sessions, catalog: SpecCatalog,
                delivery: Delivery) -> None:
    service = await _service_figures(sessions, catalog, survey) if position == SUMMARY else None
    screen = render(spec, levels, position, language, survey.organization, service)
    def pack(action: str) -> str:
        return MaturityButton(s=survey.id, p=screen.position, a=action).pack()

    keyboard = screen_keyboard(screen, pack)
    await show_screen(delivery, chat_id, screen.text, keyboard, edit_id)


async def _service_figures(sessions: Sessions, catalog: SpecCatalog,
                           survey: SurveyRecord) -> ServiceFigures | None:
    """The service score exactly as /summary shows it; None before the first submission."""
    summary = await build_summary(sessions, catalog, survey)
    if summary.scores is None:
        return None
    return ServiceFigures(summary.scores.service_score, summary.submitted)
