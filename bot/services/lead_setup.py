"""Audit leads set surveys up: co-lead links, closing and reopening, dates and target, the invite and its
QR code.

Any lead of a survey may close it, reopen it and invite further co-leads to it. Creating surveys is
bot/services/new_survey.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from bot.adapters import storage
from bot.adapters.reports import invite_qr_png
from bot.adapters.storage import SurveyRecord, SurveyStatus
from bot.services import audit, buttons
from bot.services.command_menus import register_lead_menu
from bot.services.context import Deps, Press, Sender
from bot.services.leads import survey_named, survey_pressed
from bot.services.personal_links import survey_url
from bot.services.pinned_specs import pinned_spec
from bot.services.ports import Keyboard
from bot.services.survey_changes import change_dates_and_target
from conversations import new_survey
from conversations.invite import invalid_button_text, invite_link
from conversations.lead_setup_screens import (
    CLOSE,
    KEEP,
    OPEN,
    closing_before_opening_text,
    dates_saved_text,
    dates_screen,
    lead_invite_redeemed_text,
    lead_invite_text,
    lead_invite_unusable_text,
    status_changed_text,
    status_confirm_screen,
    status_kept_text,
)
from conversations.screens import Screen
from conversations.survey_dates import (
    SurveyState,
    closes_at_end_of_day,
    closing_text,
    display_period,
    opening_day,
    state_word,
    survey_state,
)

LEAD_INVITE_PREFIX = "lead_"


async def redeem_lead_invite(deps: Deps, sender: Sender, payload: str) -> bool:
    """/start lead_…: make the user a co-lead. False when the payload is a customer invite code that
    happens to start with "lead_" (the caller treats it as one)."""
    survey_id = await storage.redeem_lead_invite(deps.sessions, payload.removeprefix(LEAD_INVITE_PREFIX),
                                                 sender.user_id, deps.clock())
    survey = await storage.survey_by_id(deps.sessions, survey_id) if survey_id is not None else None
    if survey is not None:
        await audit.record(deps, survey.id, sender.user_id, audit.LEAD_ADDED,
                           {"lead": sender.user_id, "role": "co-lead"}, deps.clock())
    language = deps.language_of(sender)
    if survey is None:
        if await storage.survey_by_code(deps.sessions, payload) is not None:
            return False
        await deps.delivery.send(sender.chat_id, lead_invite_unusable_text(language))
        return True
    await deps.delivery.send(sender.chat_id, lead_invite_redeemed_text(language, survey.organization, survey.code))
    await register_lead_menu(deps, sender.chat_id)
    return True


async def add_lead(deps: Deps, sender: Sender, reference: str | None) -> None:
    survey = await survey_named(deps, sender, reference, "addlead")
    if survey is not None:
        await send_co_lead_link(deps, sender, survey)


async def send_co_lead_link(deps: Deps, sender: Sender, survey: SurveyRecord) -> None:
    """A new one-time link that makes whoever opens it a co-lead of `survey`."""
    code = await storage.create_lead_invite(deps.sessions, survey.id, sender.user_id, deps.clock())
    link = invite_link(await deps.bot_username(), LEAD_INVITE_PREFIX + code)
    await deps.delivery.send(sender.chat_id, lead_invite_text(deps.language_of(sender), survey.organization, link))


async def close_or_reopen(deps: Deps, sender: Sender, reference: str | None, *, closing: bool) -> None:
    survey = await survey_named(deps, sender, reference, "close" if closing else "reopen")
    if survey is not None:
        await ask_status_change(deps, sender, survey, closing=closing)


async def ask_status_change(deps: Deps, sender: Sender, survey: SurveyRecord, *, closing: bool) -> None:
    """Ask the lead to confirm closing (or reopening) the survey; a survey past its closing day counts
    as closed, and reopening it removes that closing date."""
    now = deps.clock()
    screen = status_confirm_screen(deps.language_of(sender), survey.organization, survey.code,
                                   closed_now=survey_state(survey.status, survey.opens_at, survey.closes_at, now)
                                   is SurveyState.CLOSED, closing=closing,
                                   ended_on=closing_text(survey.closes_at, survey.timezone)
                                   if _past_closing(survey, now) else None)
    keyboard = buttons.keyboard_of(screen, lambda action: buttons.pack(buttons.SURVEY_STATUS, survey.id, action))
    await deps.delivery.send(sender.chat_id, screen.text, keyboard)


async def status_pressed(deps: Deps, sender: Sender, press: Press, fields: list[str]) -> None:
    survey = await survey_pressed(deps, sender, press, fields[0] if fields else "")
    if survey is None:
        return
    language, choice = deps.language_of(sender), fields[-1]
    if len(fields) != 2 or choice not in (CLOSE, OPEN, KEEP):
        await deps.answer(press, invalid_button_text(language))
        return
    if choice == KEEP:
        closed = survey_state(survey.status, survey.opens_at, survey.closes_at, deps.clock()) is SurveyState.CLOSED
        text = status_kept_text(language, survey.organization, survey.code, closed)
    else:
        status = SurveyStatus.CLOSED if choice == CLOSE else SurveyStatus.OPEN
        if status is SurveyStatus.OPEN and _past_closing(survey, deps.clock()):
            await change_dates_and_target(deps.sessions, survey, sender.user_id, deps.clock(),
                                          opens_at=survey.opens_at, closes_at=None, target=survey.target)
        if await storage.set_status(deps.sessions, survey.id, status):
            await audit.record(deps, survey.id, sender.user_id, audit.CLOSED if choice == CLOSE else audit.OPENED,
                               {"status": status.value}, deps.clock())
        text = status_changed_text(language, survey.organization, survey.code, status is SurveyStatus.CLOSED)
    await deps.answer(press)
    await deps.delivery.show(sender.chat_id, text, None, press.message_id)


def _past_closing(survey: SurveyRecord, now: dt.datetime) -> bool:
    return survey.closes_at is not None and now >= survey.closes_at


async def show_dates(deps: Deps, sender: Sender, survey: SurveyRecord) -> None:
    """The survey's dates and target, with buttons to change them."""
    screen = _dates_screen(deps.language_of(sender), survey, deps.clock())
    await deps.delivery.send(sender.chat_id, screen.text, _dates_keyboard(screen, survey))


async def dates_pressed(deps: Deps, sender: Sender, press: Press, fields: list[str]) -> None:
    """A new closing day (days from today in the survey's time zone) or target: saved and logged at once."""
    survey = await survey_pressed(deps, sender, press, fields[0] if fields else "")
    if survey is None:
        return
    language, now = deps.language_of(sender), deps.clock()
    choice = new_survey.dates_choice(fields[-1], now.astimezone(ZoneInfo(survey.timezone)).date()) \
        if len(fields) == 2 else None
    if choice is None:
        await deps.answer(press, invalid_button_text(language))
        return
    closes_at, target = survey.closes_at, survey.target
    if choice.kind == new_survey.CLOSING:
        closes_at = closes_at_end_of_day(choice.closes_on, survey.timezone) if choice.closes_on else None
    else:
        target = choice.target
    if closes_at is not None and closes_at <= survey.opens_at:
        note = closing_before_opening_text(language, opening_day(survey.opens_at, survey.timezone).isoformat())
    else:
        survey = await change_dates_and_target(deps.sessions, survey, sender.user_id, now,
                                               opens_at=survey.opens_at, closes_at=closes_at, target=target)
        note = dates_saved_text(language)
    await deps.answer(press)
    screen = _dates_screen(language, survey, now, note)
    await deps.delivery.show(sender.chat_id, screen.text, _dates_keyboard(screen, survey), press.message_id)


def _dates_screen(language: str, survey: SurveyRecord, now: dt.datetime, note: str | None = None) -> Screen:
    state = survey_state(survey.status, survey.opens_at, survey.closes_at, now)
    return dates_screen(language, survey.organization, survey.code, state_word(state, language),
                        display_period(survey.opens_at, survey.closes_at, survey.timezone, language), survey.target,
                        note)


def _dates_keyboard(screen: Screen, survey: SurveyRecord) -> Keyboard | None:
    return buttons.keyboard_of(screen, lambda action: buttons.pack(buttons.SURVEY_DATES, survey.id, action))


async def send_invite(deps: Deps, sender: Sender, survey: SurveyRecord) -> None:
    """The survey's invite link for customers, then its QR code, ready to print."""
    language = deps.language_of(sender)
    link = invite_link(await deps.bot_username(), survey.code)
    base = deps.settings.web_base_url
    web_page = survey_url(base, survey.code) if base else None
    await deps.delivery.send(sender.chat_id, new_survey.invite_text(language, survey.organization, link, web_page))
    await send_qr(deps, sender.chat_id, link, new_survey.qr_caption(survey.organization,
                                                                     await service_name(deps, survey, language)))


async def service_name(deps: Deps, survey: SurveyRecord, language: str) -> str:
    spec = await pinned_spec(deps.sessions, deps.catalog, survey)
    return spec.service.in_language(language) if spec else survey.spec_id


async def send_qr(deps: Deps, chat_id: int, link: str, caption: str) -> None:
    png = await asyncio.to_thread(invite_qr_png, link, caption)
    await deps.delivery.send_photo(chat_id, png, "invite-qr.png", caption)
