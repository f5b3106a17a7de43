"""/remind: a round of reminders now; /reminders: the survey's reminder policy and the lead's digest
(conversations/reminder_settings.py)."""

from __future__ import annotations

from dataclasses import replace

from bot.adapters import storage
from bot.adapters.storage import SurveyRecord
from bot.services import buttons
from bot.services.context import Deps, Press, Sender
from bot.services.leads import survey_named, survey_pressed
from bot.services.reminders import ReminderSweeper
from conversations.reminder_screens import round_report_text
from conversations.reminder_settings import (
    CLOSE_ACTION,
    ReminderSettings,
    apply_action,
    closed_screen,
    settings_screen,
)
from conversations.screens import Screen


async def remind_now(deps: Deps, reminders: ReminderSweeper, sender: Sender, reference: str | None) -> None:
    survey = await survey_named(deps, sender, reference, "remind")
    if survey is not None:
        report = await reminders.remind_now(survey)
        text = round_report_text(deps.language_of(sender), survey.organization, report)
        await deps.delivery.send(sender.chat_id, text)


async def settings_command(deps: Deps, sender: Sender, reference: str | None) -> None:
    survey = await survey_named(deps, sender, reference, "reminders")
    if survey is not None:
        await show_settings(deps, sender, survey)


async def show_settings(deps: Deps, sender: Sender, survey: SurveyRecord) -> None:
    current = await _settings(deps, survey, sender.user_id)
    screen = settings_screen(deps.language_of(sender), survey.organization, current)
    await deps.delivery.send(sender.chat_id, screen.text, _keyboard(screen, survey.id))


async def settings_pressed(deps: Deps, sender: Sender, press: Press, fields: list[str]) -> None:
    survey = await survey_pressed(deps, sender, press, fields[0] if len(fields) == 2 else "")
    if survey is None:
        return
    await deps.answer(press)
    language, choice = deps.language_of(sender), fields[1]
    if choice == CLOSE_ACTION:
        screen = closed_screen(language, survey.organization)
    else:
        current = await _settings(deps, survey, sender.user_id)
        changed = apply_action(current, choice) or current
        await _store(deps, survey, sender.user_id, current, changed)
        screen = settings_screen(language, survey.organization, changed)
    await deps.delivery.show(sender.chat_id, screen.text, _keyboard(screen, survey.id), press.message_id)


def _keyboard(screen: Screen, survey_id: int):  # noqa: ANN202 - a Keyboard or None
    return buttons.keyboard_of(screen, lambda action: buttons.pack(buttons.REMINDER_SETTINGS, survey_id, action))


async def _settings(deps: Deps, survey: SurveyRecord, user_id: int) -> ReminderSettings:
    policy = survey.reminders
    return ReminderSettings(
        first_after_hours=round(policy.first_after_hours), every_hours=round(policy.every_hours),
        max_reminders=policy.max_reminders, window_start_hour=policy.window_start_hour,
        window_end_hour=policy.window_end_hour,
        digest=await storage.lead_digest_enabled(deps.sessions, survey.id, user_id),
    )


async def _store(deps: Deps, survey: SurveyRecord, user_id: int, before: ReminderSettings,
                 after: ReminderSettings) -> None:
    if replace(after, digest=before.digest) != before:
        await storage.set_reminder_policy(deps.sessions, survey.id, replace(
            survey.reminders, first_after_hours=after.first_after_hours, every_hours=after.every_hours,
            max_reminders=after.max_reminders))
    if after.digest is not None and after.digest != before.digest:
        await storage.set_lead_digest(deps.sessions, survey.id, user_id, after.digest)
