"""Audit leads set surveys up: /newsurvey (guided), /close, /reopen, /addlead, and co-lead links.

Only administrators (ADMIN_IDS) create surveys: a co-lead was invited to steer one survey, not to
open new ones. Any lead of a survey may close, reopen it and invite further co-leads to it.
The /newsurvey dialogue (conversations/new_survey.py) keeps its progress in the lead_draft table,
so a restart loses nothing; a draft untouched for DRAFT_MAX_AGE is abandoned.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import SendPhoto
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    Message,
    User,
)

from bot import storage
from bot.delivery import Delivery
from bot.handlers.lead_context import bot_username, language_of, survey_from_command
from bot.keyboards import screen_keyboard
from bot.lead_access import is_any_lead, survey_for_lead
from bot.lead_commands import register_lead_commands
from bot.reports import invite_qr_png
from bot.screen_sender import show_screen
from bot.settings import Settings
from bot.storage import Sessions, SurveyRecord, SurveyStatus
from bot.storage.drafts import delete_draft, load_draft, save_draft
from conversations import new_survey
from conversations.invite import invalid_button_text, invite_link
from conversations.lead_setup_screens import (
    CLOSE,
    KEEP,
    OPEN,
    admins_only_text,
    lead_invite_redeemed_text,
    lead_invite_text,
    lead_invite_unusable_text,
    not_a_lead_text,
    status_changed_text,
    status_confirm_screen,
    status_kept_text,
)
from specs import SpecCatalog

router = Router(name="lead_setup")
DRAFT_KIND = "newsurvey"
DRAFT_MAX_AGE = dt.timedelta(hours=24)
LEAD_INVITE_PREFIX = "lead_"


class NewSurveyButton(CallbackData, prefix="ns", sep="|"):
    p: str
    a: str


class StatusButton(CallbackData, prefix="st", sep="|"):
    s: int
    a: str


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class _NewSurveyShell:
    """What the /newsurvey handlers hand on to `_apply`."""

    sessions: Sessions
    settings: Settings
    catalog: SpecCatalog
    delivery: Delivery
    bot: Bot


# --- co-lead links ---------------------------------------------------------------------------

@router.message(CommandStart(deep_link=True, magic=F.args.startswith(LEAD_INVITE_PREFIX)))
async def redeem_lead_invite(message: Message, command: CommandObject, sessions: Sessions, settings: Settings,
                             delivery: Delivery, bot: Bot) -> None:
    payload = command.args or ""
    language = language_of(message.from_user, settings)
    survey_id = await storage.redeem_lead_invite(
        sessions, payload.removeprefix(LEAD_INVITE_PREFIX), message.from_user.id, _utc_now())
    survey = await storage.survey_by_id(sessions, survey_id) if survey_id is not None else None
    if survey is None:
        if await storage.survey_by_code(sessions, payload) is not None:
            raise SkipHandler  # a customer invite code that happens to start with "lead_"
        await delivery.send_screen(message.chat.id, lead_invite_unusable_text(language))
        return
    text = lead_invite_redeemed_text(language, survey.organization, survey.code)
    await delivery.send_screen(message.chat.id, text)
    await register_lead_commands(bot, message.chat.id, settings.default_language)


@router.message(Command("addlead"))
async def add_lead(message: Message, command: CommandObject, sessions: Sessions, settings: Settings,
                   delivery: Delivery, bot: Bot) -> None:
    survey = await survey_from_command(message, command, sessions, settings, delivery)
    if survey is not None:
        await send_co_lead_link(message.chat.id, message.from_user, survey, sessions, settings, delivery, bot)


async def send_co_lead_link(chat_id: int, user: User, survey: SurveyRecord, sessions: Sessions,
                            settings: Settings, delivery: Delivery, bot: Bot) -> None:
    """A new one-time link that makes whoever opens it a co-lead of `survey`."""
    code = await storage.create_lead_invite(sessions, survey.id, user.id, _utc_now())
    link = invite_link(await bot_username(bot, settings), LEAD_INVITE_PREFIX + code)
    text = lead_invite_text(language_of(user, settings), survey.organization, link)
    await delivery.send_screen(chat_id, text)


# --- /close and /reopen ----------------------------------------------------------------------

@router.message(Command("close", "reopen"))
async def close_or_reopen(message: Message, command: CommandObject, sessions: Sessions, settings: Settings,
                          delivery: Delivery) -> None:
    survey = await survey_from_command(message, command, sessions, settings, delivery)
    if survey is not None:
        await ask_status_change(message.chat.id, survey, language_of(message.from_user, settings), delivery,
                                closing=command.command == "close")


async def ask_status_change(chat_id: int, survey: SurveyRecord, language: str, delivery: Delivery, *,
                            closing: bool) -> None:
    """Ask the lead to confirm closing (or reopening) the survey."""
    screen = status_confirm_screen(language, survey.organization, survey.code,
                                   closed_now=survey.status is SurveyStatus.CLOSED, closing=closing)
    keyboard = screen_keyboard(screen, lambda action: StatusButton(s=survey.id, a=action).pack())
    await delivery.send_screen(chat_id, screen.text, keyboard)


@router.callback_query(StatusButton.filter())
async def status_button(query: CallbackQuery, callback_data: StatusButton, sessions: Sessions,
                        settings: Settings, delivery: Delivery) -> None:
    language = language_of(query.from_user, settings)
    survey = await survey_for_lead(sessions, query.from_user.id, settings.admin_ids, callback_data.s)
    if survey is None or query.message is None:
        await query.answer(not_a_lead_text(language))
        return
    if callback_data.a not in (CLOSE, OPEN, KEEP):
        await query.answer(invalid_button_text(language))
        return
    if callback_data.a == KEEP:
        closed = survey.status is SurveyStatus.CLOSED
        text = status_kept_text(language, survey.organization, survey.code, closed)
    else:
        status = SurveyStatus.CLOSED if callback_data.a == CLOSE else SurveyStatus.OPEN
        await storage.set_status(sessions, survey.id, status)
        text = status_changed_text(language, survey.organization, survey.code, status is SurveyStatus.CLOSED)
    await query.answer()
    await show_screen(delivery, query.message.chat.id, text, None, query.message.message_id)


# --- /newsurvey ------------------------------------------------------------------------------

async def has_new_survey_draft(message: Message, sessions: Sessions) -> bool:
    """Filter: the user is in the middle of /newsurvey."""
    user = message.from_user
    return user is not None and await load_draft(
        sessions, user.id, DRAFT_KIND, _utc_now(), DRAFT_MAX_AGE) is not None


def _context(catalog: SpecCatalog, settings: Settings, now: dt.datetime) -> new_survey.Context:
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    return new_survey.Context(specs=list(catalog), today=today, timezone=settings.timezone)


@router.message(Command("newsurvey"))
async def start_new_survey(message: Message, sessions: Sessions, settings: Settings, catalog: SpecCatalog,
                           delivery: Delivery, bot: Bot) -> None:
    user = message.from_user
    language = language_of(user, settings)
    if user.id not in settings.admin_ids:
        lead = await is_any_lead(sessions, user.id, settings.admin_ids)
        await delivery.send_screen(message.chat.id, admins_only_text(language) if lead
                                   else not_a_lead_text(language))
        return
    now = _utc_now()
    outcome = new_survey.start(language, secrets.token_hex(3), _context(catalog, settings, now))
    shell = _NewSurveyShell(sessions, settings, catalog, delivery, bot)
    await _apply(outcome, message.chat.id, None, user, shell, now)


@router.message(Command("cancel"), has_new_survey_draft)
async def cancel_new_survey(message: Message, sessions: Sessions, settings: Settings, catalog: SpecCatalog,
                            delivery: Delivery, bot: Bot) -> None:
    state = await _draft(message.from_user.id, sessions)
    if state is not None:
        shell = _NewSurveyShell(sessions, settings, catalog, delivery, bot)
        await _apply(new_survey.cancel(state), message.chat.id, None, message.from_user, shell, _utc_now())


@router.message(F.text, ~F.text.startswith("/"), has_new_survey_draft)
async def new_survey_text(message: Message, sessions: Sessions, settings: Settings, catalog: SpecCatalog,
                          delivery: Delivery, bot: Bot) -> None:
    state = await _draft(message.from_user.id, sessions)
    if state is None:
        return
    now = _utc_now()
    outcome = new_survey.handle_text(state, _context(catalog, settings, now), message.text or "")
    shell = _NewSurveyShell(sessions, settings, catalog, delivery, bot)
    await _apply(outcome, message.chat.id, None, message.from_user, shell, now)


@router.callback_query(NewSurveyButton.filter())
async def new_survey_button(query: CallbackQuery, callback_data: NewSurveyButton, sessions: Sessions,
                            settings: Settings, catalog: SpecCatalog, delivery: Delivery, bot: Bot) -> None:
    user = query.from_user
    language = language_of(user, settings)
    if user.id not in settings.admin_ids or query.message is None:
        await query.answer(not_a_lead_text(language))
        return
    state = await _draft(user.id, sessions)
    if state is None:
        await query.answer(new_survey.ended_text(language))
        return
    now = _utc_now()
    context = _context(catalog, settings, now)
    outcome = new_survey.handle_action(state, context, callback_data.p, callback_data.a)
    await query.answer()
    edit_id = query.message.message_id if outcome.screen.edit else None
    shell = _NewSurveyShell(sessions, settings, catalog, delivery, bot)
    await _apply(outcome, query.message.chat.id, edit_id, user, shell, now)


async def _draft(user_id: int, sessions: Sessions) -> new_survey.NewSurveyState | None:
    data = await load_draft(sessions, user_id, DRAFT_KIND, _utc_now(), DRAFT_MAX_AGE)
    return new_survey.NewSurveyState.from_json(data) if data is not None else None


async def _apply(outcome: new_survey.Outcome, chat_id: int, edit_id: int | None, user: User,
                 shell: _NewSurveyShell, now: dt.datetime) -> None:
    """Store the dialogue's new state, create the survey when asked, and show the screen."""
    if outcome.state is None:
        await delete_draft(shell.sessions, user.id, DRAFT_KIND)
    else:
        await save_draft(shell.sessions, user.id, DRAFT_KIND, outcome.state.to_json(), now)
    if outcome.create is not None:
        await _create_survey(outcome.create, chat_id, edit_id, user, shell, now)
        return
    screen = outcome.screen
    keyboard = screen_keyboard(screen, lambda action: NewSurveyButton(p=screen.position, a=action).pack())
    await show_screen(shell.delivery, chat_id, screen.text, keyboard, edit_id)


async def _create_survey(request: new_survey.SurveyRequest, chat_id: int, edit_id: int | None, user: User,
                         shell: _NewSurveyShell, now: dt.datetime) -> None:
    """Create the survey (the lead becomes its owner), then send the invite link and its QR code."""
    settings = shell.settings
    language = language_of(user, settings)
    spec = shell.catalog.get(request.spec_id)
    closes_at = new_survey.closing_moment(request.closes_on, settings.timezone) if request.closes_on else None
    survey = await storage.create_survey(
        shell.sessions, spec_id=request.spec_id, organization=request.organization,
        timezone=settings.timezone, now=now, closes_at=closes_at, target=request.target, created_by=user.id)
    service = spec.service.in_language(language) if spec else request.spec_id
    link = invite_link(await bot_username(shell.bot, settings), survey.code)
    text = new_survey.created_text(language, survey.organization, service, link, survey.code)
    await show_screen(shell.delivery, chat_id, text, None, edit_id)
    await _send_qr(chat_id, link, new_survey.qr_caption(survey.organization, service), shell.delivery)


async def send_invite(chat_id: int, survey: SurveyRecord, language: str, catalog: SpecCatalog,
                      settings: Settings, delivery: Delivery, bot: Bot) -> None:
    """The survey's invite link for customers, then its QR code, ready to print."""
    spec = catalog.get(survey.spec_id)
    service = spec.service.in_language(language) if spec else survey.spec_id
    link = invite_link(await bot_username(bot, settings), survey.code)
    await delivery.send_screen(chat_id, new_survey.invite_text(language, survey.organization, link))
    await _send_qr(chat_id, link, new_survey.qr_caption(survey.organization, service), delivery)


async def _send_qr(chat_id: int, link: str, caption: str, delivery: Delivery) -> None:
    png = await asyncio.to_thread(invite_qr_png, link, caption)
    photo = BufferedInputFile(png, "invite-qr.png")
    await delivery.call(SendPhoto(chat_id=chat_id, photo=photo, caption=caption))
