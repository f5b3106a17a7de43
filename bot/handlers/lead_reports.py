"""The audit lead's reports: /surveys, /summary [code], /export [code] and their buttons.

Thin handlers: access through bot.lead_access, figures from bot.survey_summary / bot.survey_export,
screens from conversations.lead_summary. Anybody who is not a lead gets one fixed polite text, the
same whether or not the survey they name exists.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import SendDocument, SendPhoto
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
)

from bot.delivery import Delivery
from bot.handlers.lead_context import bot_username, language_of, survey_from_command
from bot.handlers.lead_maturity import show_maturity
from bot.handlers.lead_reminders import show_reminder_settings
from bot.handlers.lead_setup import ask_status_change, send_co_lead_link, send_invite
from bot.keyboards import screen_keyboard
from bot.lead_access import is_any_lead, survey_for_lead, surveys_of_lead
from bot.lead_commands import register_commands_at_startup
from bot.reports import score_sheet_chart
from bot.screen_sender import show_screen
from bot.settings import Settings
from bot.storage import Sessions, SurveyRecord, SurveyStatus, SurveySummaryRow
from bot.survey_export import build_export, score_sheet
from bot.survey_summary import build_summary
from conversations.invite import invite_link
from conversations.lead_setup_screens import not_a_lead_text
from conversations.lead_summary import (
    CO_LEAD,
    EXPORT,
    INVITE,
    LIST,
    MATURITY,
    OPEN,
    REFRESH,
    REMINDERS,
    STATUS,
    SUMMARY,
    parse_action,
    summary_screen,
    survey_card_screen,
    survey_list_screen,
)
from conversations.screens import Screen
from conversations.summary_figures import SurveyListEntry
from locales import normalize_language, translator
from specs import SpecCatalog

router = Router(name="lead_reports")


class LeadReportButton(CallbackData, prefix="lr", sep="|"):
    """A lead report button: the verb (conversations.lead_summary.VERBS) and the survey id (0: none)."""

    a: str
    s: int


@router.startup()
async def show_command_menus(bot: Bot, settings: Settings, sessions: Sessions) -> None:
    """At start-up (polling or webhook): respondent menu for everyone, lead menu in leads' chats."""
    await register_commands_at_startup(bot, sessions, settings.admin_ids,
                                       normalize_language(settings.default_language))


@router.message(Command("surveys"))
async def list_command(message: Message, settings: Settings, sessions: Sessions, delivery: Delivery) -> None:
    user_id, language = message.from_user.id, language_of(message.from_user, settings)
    if not await is_any_lead(sessions, user_id, settings.admin_ids):
        await delivery.send_screen(message.chat.id, not_a_lead_text(language))
        return
    screen = survey_list_screen(await _entries(sessions, user_id, settings), language)
    await show_screen(delivery, message.chat.id, screen.text, _keyboard(screen), None)


@router.message(Command("summary", "export"))
async def report_command(message: Message, command: CommandObject, settings: Settings, catalog: SpecCatalog,
                         sessions: Sessions, delivery: Delivery, bot: Bot) -> None:
    language = language_of(message.from_user, settings)
    survey = await survey_from_command(message, command, sessions, settings, delivery)
    if survey is None:
        return
    if command.command == "summary":
        await _send_summary(message.chat.id, survey, language, catalog, sessions, delivery, bot, settings)
    else:
        await _send_export(message.chat.id, survey, language, catalog, sessions, delivery)


@router.callback_query(LeadReportButton.filter())
async def report_button(query: CallbackQuery, callback_data: LeadReportButton, settings: Settings,
                        catalog: SpecCatalog, sessions: Sessions, delivery: Delivery, bot: Bot) -> None:
    user_id, language = query.from_user.id, language_of(query.from_user, settings)
    survey = None
    if callback_data.a != LIST:
        survey = await survey_for_lead(sessions, user_id, settings.admin_ids, callback_data.s)
    allowed = survey is not None or (callback_data.a == LIST and await is_any_lead(
        sessions, user_id, settings.admin_ids))
    if not allowed or query.message is None:
        await query.answer(not_a_lead_text(language), show_alert=True)
        return
    await query.answer()
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if callback_data.a == LIST:
        screen = survey_list_screen(await _entries(sessions, user_id, settings), language)
        await show_screen(delivery, chat_id, screen.text, _keyboard(screen), message_id)
    elif callback_data.a == OPEN:
        entry = next(e for e in await _entries(sessions, user_id, settings) if e.survey_id == survey.id)
        screen = survey_card_screen(entry, language)
        await show_screen(delivery, chat_id, screen.text, _keyboard(screen), message_id)
    elif callback_data.a == REFRESH:
        summary = await build_summary(sessions, catalog, survey)
        link = invite_link(await bot_username(bot, settings), survey.code)
        screen = summary_screen(summary, language, link)
        await show_screen(delivery, chat_id, screen.text, _keyboard(screen), message_id)
    elif callback_data.a == SUMMARY:
        await _send_summary(chat_id, survey, language, catalog, sessions, delivery, bot, settings)
    elif callback_data.a == EXPORT:
        await _send_export(chat_id, survey, language, catalog, sessions, delivery)
    elif callback_data.a == INVITE:
        await send_invite(chat_id, survey, language, catalog, settings, delivery, bot)
    elif callback_data.a == REMINDERS:
        await show_reminder_settings(chat_id, user_id, survey, language, sessions, delivery)
    elif callback_data.a == MATURITY:
        await show_maturity(chat_id, survey, language, sessions, catalog, delivery)
    elif callback_data.a == STATUS:
        await ask_status_change(chat_id, survey, language, delivery,
                                closing=survey.status is not SurveyStatus.CLOSED)
    elif callback_data.a == CO_LEAD:
        await send_co_lead_link(chat_id, query.from_user, survey, sessions, settings, delivery, bot)


async def _send_summary(chat_id: int, survey: SurveyRecord, language: str, catalog: SpecCatalog,
                        sessions: Sessions, delivery: Delivery, bot: Bot, settings: Settings) -> None:
    """The chart (once someone has submitted), then the summary text with its buttons under it."""
    summary = await build_summary(sessions, catalog, survey)
    if summary.scores is not None:
        sheet = score_sheet(summary, language, dt.datetime.now(dt.UTC))
        chart = await asyncio.to_thread(score_sheet_chart, sheet, language)
        photo = BufferedInputFile(chart, f"{summary.spec.id}_{survey.code}.png")
        await delivery.call(SendPhoto(chat_id=chat_id, photo=photo))
    screen = summary_screen(summary, language, invite_link(await bot_username(bot, settings), survey.code))
    await show_screen(delivery, chat_id, screen.text, _keyboard(screen), None)


async def _send_export(chat_id: int, survey: SurveyRecord, language: str, catalog: SpecCatalog,
                       sessions: Sessions, delivery: Delivery) -> None:
    _ = translator(language).gettext
    files = await build_export(sessions, catalog, survey, language, dt.datetime.now(dt.UTC))
    documents = ((files.workbook, files.workbook_name, _("Score sheet, raw answers, comments, maturity")),
                 (files.answers_csv, files.csv_name, _("Raw answers (CSV, readable by surveybot score)")))
    for content, name, caption in documents:
        await delivery.call(SendDocument(chat_id=chat_id, document=BufferedInputFile(content, name),
                                         caption=caption))


async def _entries(sessions: Sessions, user_id: int, settings: Settings) -> list[SurveyListEntry]:
    return [_entry(row) for row in await surveys_of_lead(sessions, user_id, settings.admin_ids)]


def _entry(row: SurveySummaryRow) -> SurveyListEntry:
    survey, progress = row.survey, row.progress
    return SurveyListEntry(
        survey_id=survey.id, code=survey.code, organization=survey.organization, spec_id=survey.spec_id,
        status=str(survey.status), started=progress.started, submitted=progress.submitted,
        target=survey.target, closes_at=survey.closes_at, timezone=survey.timezone)


def _keyboard(screen: Screen) -> InlineKeyboardMarkup | None:
    def pack(action: str) -> str:
        verb, survey_id = parse_action(action)
        return LeadReportButton(a=verb, s=survey_id).pack()

    return screen_keyboard(screen, pack)
