"""The audit lead's reports: the survey list, a survey's card, the live summary with its chart, the
export; and the card's buttons, each of which opens what the command of that name shows."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.adapters import storage
from bot.adapters.reports import MissingCJKFontError, render_chart
from bot.adapters.reports.csv_report import zipped
from bot.adapters.storage import SurveyRecord
from bot.services import buttons
from bot.services.context import Deps, Press, Sender
from bot.services.export_progress import ExportProgress
from bot.services.lead_links import link_count_question, send_personal_links
from bot.services.lead_maturity import show_maturity
from bot.services.lead_reminders import show_settings
from bot.services.lead_setup import ask_status_change, send_co_lead_link, send_invite, show_dates
from bot.services.leads import is_lead, lead_entries, survey_named, survey_pressed, tell_not_a_lead
from bot.services.survey_export import ExportFiles, build_export, record_export
from bot.services.survey_summary import build_summary
from conversations import lead_summary as screens
from conversations.invite import invite_link
from conversations.lead_setup_screens import chart_needs_font_text
from conversations.result_wording import rated_certification
from conversations.screens import Screen
from conversations.summary_chart import summary_chart
from conversations.summary_figures import SurveySummary
from conversations.survey_dates import SurveyState, survey_state
from locales import translator
from scoring.certification import Certification

log = logging.getLogger(__name__)
TELEGRAM_UPLOAD_LIMIT = 50_000_000  # bytes: the largest file a bot may send through api.telegram.org
CardAction = Callable[[Deps, Sender, Press, SurveyRecord], Awaitable[None]]


async def list_surveys(deps: Deps, sender: Sender) -> None:
    if not await is_lead(deps, sender):
        await tell_not_a_lead(deps, sender)
        return
    screen = screens.survey_list_screen(await lead_entries(deps, sender), deps.language_of(sender))
    await deps.delivery.send(sender.chat_id, screen.text, _keyboard(screen))


async def summary_command(deps: Deps, sender: Sender, reference: str | None) -> None:
    survey = await survey_named(deps, sender, reference, "summary")
    if survey is not None:
        await send_summary(deps, sender, survey)


async def export_command(deps: Deps, sender: Sender, reference: str | None) -> None:
    survey = await survey_named(deps, sender, reference, "export")
    if survey is not None:
        await send_export(deps, sender, survey)


async def send_summary(deps: Deps, sender: Sender, survey: SurveyRecord) -> None:
    """The chart (once someone has submitted), then the summary text with its buttons under it; its Refresh
    button names the chart's message, so that Refresh redraws the chart in place."""
    summary, certification = await _figures(deps, survey)
    chart_id = await _show_chart(deps, sender, summary, certification, None, tell_missing_font=True)
    screen = await _summary_screen(deps, sender, summary, certification)
    await deps.delivery.send(sender.chat_id, screen.text, _keyboard(screen, chart_id))


async def send_export(deps: Deps, sender: Sender, survey: SurveyRecord) -> None:
    """A progress message edited as the files are built (off the event loop), then the two files."""
    language = deps.language_of(sender)
    _ = translator(language).gettext
    progress = ExportProgress(deps.delivery, sender.chat_id, language)
    await progress.start()
    files = await build_export(deps.sessions, deps.catalog, survey, language, deps.clock(), progress)
    await record_export(deps.sessions, survey, sender.user_id, ("xlsx", "csv"), files.respondents, deps.clock())
    workbook_caption = _("Score sheet, raw answers, comments, maturity, survey report with signature lines, log "
                         "with the seal, glossary")
    documents = ((files.workbook, files.workbook_name, workbook_caption),
                 await _answers_document(files, language))
    for content, name, caption in documents:
        await deps.delivery.send_document(sender.chat_id, content, name, caption)


async def _answers_document(files: ExportFiles, language: str) -> tuple[bytes, str, str]:
    """The answers CSV, zipped when Telegram would refuse it as it is (100,000 responses make 86 MB)."""
    _ = translator(language).gettext
    if len(files.answers_csv) <= TELEGRAM_UPLOAD_LIMIT:
        return files.answers_csv, files.csv_name, _("Raw answers (CSV, readable by surveybot score)")
    return (await asyncio.to_thread(zipped, files.answers_csv, files.csv_name), f"{files.csv_name}.zip",
            _("Raw answers (CSV, readable by surveybot score once unzipped: too large for Telegram as it is)"))


async def report_pressed(deps: Deps, sender: Sender, press: Press, fields: list[str]) -> None:
    """Fields: verb, survey id; a Refresh button adds the id of its chart's message."""
    chart_id = _chart_id(fields)
    verb = fields[0] if len(fields) == 2 or chart_id is not None else ""
    if verb == screens.LIST:
        await _list_pressed(deps, sender, press)
        return
    action = CARD_ACTIONS.get(verb)
    survey = await survey_pressed(deps, sender, press, fields[1] if action else "")
    if action is not None and survey is not None:
        await deps.answer(press)
        if chart_id is not None:
            await _refresh(deps, sender, press, survey, chart_id)
        else:
            await action(deps, sender, press, survey)


def _chart_id(fields: list[str]) -> int | None:
    """The chart's message id a Refresh button carries; None for other buttons and forged data."""
    if len(fields) != 3 or fields[0] != screens.REFRESH or not fields[2].isdigit() or len(fields[2]) > 12:
        return None
    return int(fields[2])


async def _list_pressed(deps: Deps, sender: Sender, press: Press) -> None:
    if not await is_lead(deps, sender) or press.message_id is None:
        await survey_pressed(deps, sender, press, "")  # answers with the not-a-lead notice
        return
    await deps.answer(press)
    screen = screens.survey_list_screen(await lead_entries(deps, sender), deps.language_of(sender))
    await deps.delivery.show(sender.chat_id, screen.text, _keyboard(screen), press.message_id)


async def _open_card(deps: Deps, sender: Sender, press: Press, survey: SurveyRecord) -> None:
    entry = next(e for e in await lead_entries(deps, sender) if e.survey_id == survey.id)
    screen = screens.survey_card_screen(entry, deps.language_of(sender))
    await deps.delivery.show(sender.chat_id, screen.text, _keyboard(screen), press.message_id)


async def _refresh(deps: Deps, sender: Sender, press: Press, survey: SurveyRecord,
                   chart_id: int | None = None) -> None:
    """The summary text updated in place, and its chart redrawn in place (sent anew when it is gone, or
    when the summary had none yet)."""
    summary, certification = await _figures(deps, survey)
    chart_id = await _show_chart(deps, sender, summary, certification, chart_id, tell_missing_font=False)
    screen = await _summary_screen(deps, sender, summary, certification)
    await deps.delivery.show(sender.chat_id, screen.text, _keyboard(screen, chart_id), press.message_id)


async def _figures(deps: Deps, survey: SurveyRecord) -> tuple[SurveySummary, Certification | None]:
    """The live summary, and the certification result once management maturity is rated in full."""
    summary = await build_summary(deps.sessions, deps.catalog, survey, deps.clock())
    service_score = summary.scores.service_score if summary.scores else None
    levels = await storage.levels(deps.sessions, survey.id) if service_score is not None else {}
    return summary, rated_certification(summary.spec, service_score, levels)


async def _show_chart(deps: Deps, sender: Sender, summary: SurveySummary, certification: Certification | None,
                      chart_id: int | None, *, tell_missing_font: bool) -> int | None:
    """Draw the chart (off the event loop) and show it in place of message `chart_id`; the id of the
    message showing it. No chart before the first response; without a CJK font, one line says why."""
    if summary.scores is None:
        return chart_id
    language = deps.language_of(sender)
    chart = summary_chart(summary, summary.scores, language, certification)
    try:
        png = await asyncio.to_thread(render_chart, chart)
    except MissingCJKFontError as missing:
        log.error("no chart for survey %s: %s", summary.survey_id, missing)
        if tell_missing_font:
            await deps.delivery.send(sender.chat_id, chart_needs_font_text(language))
        return chart_id
    name = f"{summary.spec.id}_{summary.code}.png"
    return await deps.delivery.show_photo(sender.chat_id, png, name, chart.heading, chart_id)


async def _summary_screen(deps: Deps, sender: Sender, summary: SurveySummary,
                          certification: Certification | None) -> Screen:
    link = invite_link(await deps.bot_username(), summary.code)
    return screens.summary_screen(summary, deps.language_of(sender), link, certification)


def _without_press(use_case: Callable[[Deps, Sender, SurveyRecord], Awaitable[None]]) -> CardAction:
    return lambda deps, sender, press, survey: use_case(deps, sender, survey)


async def _status(deps: Deps, sender: Sender, survey: SurveyRecord) -> None:
    state = survey_state(survey.status, survey.opens_at, survey.closes_at, deps.clock())
    await ask_status_change(deps, sender, survey, closing=state is not SurveyState.CLOSED)


async def _ask_link_count(deps: Deps, sender: Sender, survey: SurveyRecord) -> None:
    screen = await link_count_question(deps, sender, survey)
    if screen is not None:
        await deps.delivery.send(sender.chat_id, screen.text, _keyboard(screen))


def _issuing_links(count: int) -> CardAction:
    return lambda deps, sender, press, survey: send_personal_links(deps, sender, survey, count)


CARD_ACTIONS: dict[str, CardAction] = {
    screens.OPEN: _open_card,
    screens.REFRESH: _refresh,
    screens.SUMMARY: _without_press(send_summary),
    screens.EXPORT: _without_press(send_export),
    screens.INVITE: _without_press(send_invite),
    screens.REMINDERS: _without_press(show_settings),
    screens.MATURITY: _without_press(show_maturity),
    screens.DATES: _without_press(show_dates),
    screens.STATUS: _without_press(_status),
    screens.CO_LEAD: _without_press(send_co_lead_link),
    screens.LINKS: _without_press(_ask_link_count),
    **{f"{screens.LINKS}{count}": _issuing_links(count) for count in screens.LINK_COUNTS},
}


def _keyboard(screen: Screen, chart_id: int | None = None):  # noqa: ANN202 - a Keyboard or None
    """The screen's buttons; Refresh also carries the id of the chart's message when there is one."""
    def pack(action: str) -> str:
        verb, survey_id = screens.parse_action(action)
        if verb == screens.REFRESH and chart_id is not None:
            return buttons.pack(buttons.LEAD_REPORT, verb, survey_id, chart_id)
        return buttons.pack(buttons.LEAD_REPORT, verb, survey_id)

    return buttons.keyboard_of(screen, pack)
