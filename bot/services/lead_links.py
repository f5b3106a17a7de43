"""The survey card's "Personal links" button: ask the lead how many, then issue them
(bot/services/personal_links.py, the same use-case as `surveybot survey links`) and send the CSV of the
links and a printable PDF sheet of their QR codes."""

from __future__ import annotations

import asyncio
import logging

from bot.adapters.reports import MissingCJKFontError
from bot.adapters.reports.link_sheet import link_sheet_pdf
from bot.adapters.storage import SurveyRecord
from bot.services.context import Deps, Sender
from bot.services.personal_links import issue_links, links_csv
from conversations import personal_links_screens as screens
from conversations.screens import Screen

log = logging.getLogger(__name__)


async def link_count_question(deps: Deps, sender: Sender, survey: SurveyRecord) -> Screen | None:
    """The question how many links; None when the web page is not set up (the lead is told why)."""
    language = deps.language_of(sender)
    if not deps.settings.web_base_url:
        await deps.delivery.send(sender.chat_id, screens.no_web_page_text(language))
        return None
    return screens.link_count_screen(survey.id, survey.organization, language)


async def send_personal_links(deps: Deps, sender: Sender, survey: SurveyRecord, count: int) -> None:
    """Issue `count` personal links by this lead (audit trail) and send them as a CSV and a QR sheet."""
    language = deps.language_of(sender)
    base_url = deps.settings.web_base_url
    if not base_url:
        await deps.delivery.send(sender.chat_id, screens.no_web_page_text(language))
        return
    links = await issue_links(deps.sessions, survey.code, count, base_url, deps.clock(), who=sender.user_id)
    name = f"personal-links_{survey.code}"
    await deps.delivery.send_document(sender.chat_id, links_csv(links).encode(), f"{name}.csv",
                                      screens.links_csv_caption(count, language))
    try:
        sheet = await asyncio.to_thread(link_sheet_pdf, links, screens.sheet_title(survey.organization, language))
    except MissingCJKFontError as missing:
        log.error("no QR sheet of personal links for survey %s: %s", survey.id, missing)
        await deps.delivery.send(sender.chat_id, screens.sheet_needs_font_text(language))
        return
    await deps.delivery.send_document(sender.chat_id, sheet, f"{name}.pdf", screens.sheet_caption(language))
