"""/remind: a round of reminders now; /reminders: the survey's reminder policy and the lead's digest.

Thin shell over bot.reminders (the round) and conversations/reminder_settings.py (the settings
screen). Both name a survey by invite code, or take the lead's newest one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message

from bot import storage
from bot.delivery import Delivery
from bot.handlers.lead_context import language_of, survey_from_command
from bot.keyboards import screen_keyboard
from bot.lead_access import survey_for_lead
from bot.reminders import ReminderSweeper
from bot.screen_sender import show_screen
from bot.settings import Settings
from bot.storage import Sessions, SurveyRecord
from conversations.lead_setup_screens import not_a_lead_text
from conversations.reminder_screens import round_report_text
from conversations.reminder_settings import (
    CLOSE_ACTION,
    ReminderSettings,
    apply_action,
    closed_screen,
    settings_screen,
)

router = Router(name="lead_reminders")


class ReminderSettingsButton(CallbackData, prefix="rm", sep="|"):
    s: int
    a: str


@router.message(Command("remind"))
async def remind(message: Message, command: CommandObject, sessions: Sessions, settings: Settings,
                 delivery: Delivery, reminders: ReminderSweeper) -> None:
    survey = await survey_from_command(message, command, sessions, settings, delivery)
    if survey is None:
        return
    report = await reminders.remind_now(survey)
    text = round_report_text(language_of(message.from_user, settings), survey.organization, report)
    await delivery.send_screen(message.chat.id, text)


@router.message(Command("reminders"))
async def reminder_settings(message: Message, command: CommandObject, sessions: Sessions, settings: Settings,
                            delivery: Delivery) -> None:
    survey = await survey_from_command(message, command, sessions, settings, delivery)
    if survey is not None:
        await show_reminder_settings(message.chat.id, message.from_user.id, survey,
                                     language_of(message.from_user, settings), sessions, delivery)


async def show_reminder_settings(chat_id: int, user_id: int, survey: SurveyRecord, language: str,
                                 sessions: Sessions, delivery: Delivery) -> None:
    current = await _settings(sessions, survey, user_id)
    screen = settings_screen(language, survey.organization, current)
    await delivery.send_screen(chat_id, screen.text, screen_keyboard(screen, _packer(survey.id)))


@router.callback_query(ReminderSettingsButton.filter())
async def reminder_settings_button(query: CallbackQuery, callback_data: ReminderSettingsButton,
                                   sessions: Sessions, settings: Settings, delivery: Delivery) -> None:
    language = language_of(query.from_user, settings)
    survey = await survey_for_lead(sessions, query.from_user.id, settings.admin_ids, callback_data.s)
    if survey is None or query.message is None:
        await query.answer(not_a_lead_text(language))
        return
    await query.answer()
    if callback_data.a == CLOSE_ACTION:
        screen = closed_screen(language, survey.organization)
    else:
        current = await _settings(sessions, survey, query.from_user.id)
        changed = apply_action(current, callback_data.a) or current
        await _store(sessions, survey, query.from_user.id, current, changed)
        screen = settings_screen(language, survey.organization, changed)
    await show_screen(delivery, query.message.chat.id, screen.text,
                      screen_keyboard(screen, _packer(survey.id)), query.message.message_id)


async def _settings(sessions: Sessions, survey: SurveyRecord, user_id: int) -> ReminderSettings:
    policy = survey.reminders
    return ReminderSettings(
        first_after_hours=round(policy.first_after_hours), every_hours=round(policy.every_hours),
        max_reminders=policy.max_reminders, window_start_hour=policy.window_start_hour,
        window_end_hour=policy.window_end_hour,
        digest=await storage.lead_digest_enabled(sessions, survey.id, user_id),
    )


async def _store(sessions: Sessions, survey: SurveyRecord, user_id: int, before: ReminderSettings,
                 after: ReminderSettings) -> None:
    if replace(after, digest=before.digest) != before:
        await storage.set_reminder_policy(sessions, survey.id, replace(
            survey.reminders, first_after_hours=after.first_after_hours, every_hours=after.every_hours,
            max_reminders=after.max_reminders))
    if after.digest is not None and after.digest != before.digest:
        await storage.set_lead_digest(sessions, survey.id, user_id, after.digest)


def _packer(survey_id: int) -> Callable[[str], str]:
    return lambda action: ReminderSettingsButton(s=survey_id, a=action).pack()
