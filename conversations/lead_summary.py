"""The audit lead's report screens: the survey list, a survey's card and its live summary.

Pure: the shell passes plain figures (conversations.summary_figures) and the current language. Button
actions are "<verb>:<survey id>" (VERBS below); the shell turns them into typed callback data.

    /surveys ──> survey list ──[survey]──> survey card ──[Summary]──> summary (+ chart)
                     ^                        │  ├──[Export]──> .xlsx + .csv
                     └──────[My surveys]──────┘  └──[Invite link · Reminders · Maturity · Close/Reopen
                                                     · Dates and target · Add a co-lead]──> what the command
                                                     of that name shows (dates: lead_setup.show_dates)
    /summary [code] ──> summary ──[Refresh]──> the same message, updated
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from conversations.result_wording import result_lines
from conversations.screens import Button, Screen
from conversations.summary_figures import Scores, SurveyListEntry, SurveySummary
from conversations.survey_dates import closing_text, opening_text, state_word
from locales import translator
from scoring.certification import Certification
from scoring.quality import straight_lining_minimum
from scoring.rounding import display

OPEN, SUMMARY, REFRESH, EXPORT, LIST = "open", "sum", "ref", "exp", "list"
INVITE, REMINDERS, MATURITY, STATUS, CO_LEAD, DATES = "inv", "rem", "mat", "stat", "colead", "dates"
VERBS = (OPEN, SUMMARY, REFRESH, EXPORT, LIST, INVITE, REMINDERS, MATURITY, STATUS, CO_LEAD, DATES)
LINKS = "links"  # personal links: ask how many; LINKS + a count ("links20") issues that many
LINK_COUNTS = (20, 50, 100, 200)
VERBS += (LINKS, *(f"{LINKS}{count}" for count in LINK_COUNTS))
LIST_POSITION = "lead-surveys"
CARD_POSITION = "lead-survey"
SUMMARY_POSITION = "lead-summary"
MAX_NUMBERS_LISTED = 20

Gettext = Callable[[str], str]


def action(verb: str, survey_id: int = 0) -> str:
    return f"{verb}:{survey_id}"


def parse_action(text: str) -> tuple[str, int]:
    """(verb, survey id) of an action made by `action`."""
    verb, _, number = text.partition(":")
    if verb not in VERBS or not number.isdigit():
        raise ValueError(f"not a lead report action: {text!r}")
    return verb, int(number)


def survey_list_screen(entries: Sequence[SurveyListEntry], language: str) -> Screen:
    _ = translator(language).gettext
    if not entries:
        return Screen(_("You have no surveys yet. Create one with /newsurvey."), [], LIST_POSITION)
    lines = [_("Your surveys (newest first). Tap one to open it."), ""]
    buttons = []
    for index, entry in enumerate(entries, start=1):
        lines.append(f"{index}. {entry.organization} · {entry.spec_id} · {state_word(entry.status, language)}")
        lines.append("   " + _progress_line(entry.submitted, entry.started, entry.target, _))
        lines += ["   " + line for line in _dates_lines(entry, _)]
        buttons.append([Button(f"{index}. {entry.organization}", action(OPEN, entry.survey_id))])
    return Screen("\n".join(lines), buttons, LIST_POSITION)


def survey_card_screen(entry: SurveyListEntry, language: str) -> Screen:
    _ = translator(language).gettext
    lines = [f"{entry.organization} · {entry.spec_id}",
             _("Survey code: {code}").format(code=entry.code),
             _("Status: {status}").format(status=state_word(entry.status, language)),
             _progress_line(entry.submitted, entry.started, entry.target, _)]
    lines += _dates_lines(entry, _)
    survey_id = entry.survey_id
    status_label = _("Reopen the survey") if entry.status == "closed" else _("Close the survey")
    buttons = [[Button(_("Summary"), action(SUMMARY, survey_id)),
                Button(_("Export"), action(EXPORT, survey_id))],
               [Button(_("Invite link and QR code"), action(INVITE, survey_id)),
                Button(_("Reminders"), action(REMINDERS, survey_id))],
               [Button(_("Management maturity"), action(MATURITY, survey_id)),
                Button(_("Dates and target"), action(DATES, survey_id))],
               [Button(status_label, action(STATUS, survey_id)),
                Button(_("Add a co-lead"), action(CO_LEAD, survey_id))],
               [Button(_("Personal links"), action(LINKS, survey_id))],
               [Button(_("My surveys"), action(LIST))]]
    return Screen("\n".join(lines), buttons, CARD_POSITION)


def summary_screen(summary: SurveySummary, language: str, invite_link: str | None,
                   certification: Certification | None = None) -> Screen:
    """The live summary; with no submitted response yet, a friendly note and the invite link.
    `certification` is the §5.3 result once management maturity is rated in full."""
    _ = translator(language).gettext
    spec = summary.spec
    lines = [f"{summary.organization} · {spec.service.in_language(language)} ({spec.id})",
             _("Survey {code} · {status}").format(code=summary.code, status=state_word(summary.status, language))]
    if summary.closes_at is not None:
        lines.append(_("Closes {date}").format(date=closing_text(summary.closes_at, summary.timezone)))
    progress = _("Joined {joined} · in progress {started} · submitted {submitted} / target {target}")
    lines.append(progress.format(joined=summary.joined, started=summary.started, submitted=summary.submitted,
                                 target=summary.target if summary.target is not None else "—"))
    if len(summary.submitted_by_channel) > 1 or any(name != "telegram" for name, _n in summary.submitted_by_channel):
        lines.append(_channels_line(summary, _))
    lines.append("")
    if summary.scores is None:
        lines.append(_("No responses submitted yet, so there is no score to show."))
        if invite_link:
            lines.append(_("Share the invite link with the organization's customers: {link}").format(
                link=invite_link))
    else:
        lines += _score_lines(summary, summary.scores, language, certification)
        lines += ["", *_quality_lines(summary, _), "", _("What these figures mean: /help")]
    buttons = [[Button(_("Refresh"), action(REFRESH, summary.survey_id)),
                Button(_("Export"), action(EXPORT, summary.survey_id))],
               [Button(_("My surveys"), action(LIST))]]
    return Screen("\n".join(lines), buttons, SUMMARY_POSITION)


def _score_lines(summary: SurveySummary, scores: Scores, language: str,
                 certification: Certification | None) -> list[str]:
    _ = translator(language).gettext
    lines = result_lines(summary.spec, scores.result_figures(certification), language)
    lines += ["", _("Service characteristics:")]
    maxima = {c.code: c.max for c in summary.spec.characteristics}
    for characteristic in scores.characteristics:
        maximum = maxima[characteristic.code]
        if characteristic.unrated:
            lines.append(_("{code}. {name}: undetermined / {max} (not rated yet: {items})").format(
                code=characteristic.code, name=characteristic.name.in_language(language), max=maximum,
                items=", ".join(characteristic.unrated)))
            continue
        lines.append(_("{code}. {name}: {score} / {max} ({percent}%)").format(
            code=characteristic.code, name=characteristic.name.in_language(language),
            score=display(characteristic.score), max=maximum,
            percent=display(100 * characteristic.score / maximum)))
    not_applicable = [item for item in scores.items if item.not_applicable]
    if not_applicable:
        lines += ["", _("\"Not applicable\" answers (left out of the item's score): {items}").format(
            items=", ".join(_("{code} ×{count}").format(code=item.code, count=item.not_applicable)
                            for item in not_applicable))]
    lines += ["", _("Lowest-scoring items (share of the item's points):")]
    for item in scores.lowest:
        lines.append(_("{code} {dimension}: {percent}%").format(
            code=item.code, dimension=item.dimension.in_language(language), percent=display(100 * item.alpha)))
    return lines


def _quality_lines(summary: SurveySummary, _: Gettext) -> list[str]:
    items = len(summary.spec.items)
    if summary.scores is not None and any(item.not_applicable for item in summary.scores.items):
        straight = _("Straight-lining (one rating for every rated item, at least {minimum} of {items} rated): "
                     "{count} {numbers}").format(minimum=straight_lining_minimum(items), items=items,
                                                 count=len(summary.straight_liners),
                                                 numbers=_numbers(summary.straight_liners))
    else:
        straight = _("Straight-lining (same rating for all {items} items): {count} {numbers}").format(
            items=items, count=len(summary.straight_liners), numbers=_numbers(summary.straight_liners))
    lines = [
        _("Data quality (flagged responses still count in the scores):"),
        straight,
        _("Speeding (submitted in under a third of the median time): {count} {numbers}").format(
            count=len(summary.speeders), numbers=_numbers(summary.speeders)),
    ]
    if summary.all_not_applicable:
        lines.append(_("Every item \"not applicable\" (rates nothing, not scored): {count} {numbers}").format(
            count=len(summary.all_not_applicable), numbers=_numbers(summary.all_not_applicable)))
    return lines


def _numbers(respondents: tuple[int, ...]) -> str:
    """'(#3, #9)'; at most MAX_NUMBERS_LISTED numbers, then '…'."""
    if not respondents:
        return ""
    shown = ", ".join(f"#{number}" for number in respondents[:MAX_NUMBERS_LISTED])
    return f"({shown}{', …' if len(respondents) > MAX_NUMBERS_LISTED else ''})"


def _progress_line(submitted: int, started: int, target: int | None, _: Gettext) -> str:
    if target is None:
        return _("{submitted} submitted, {started} in progress").format(submitted=submitted, started=started)
    return _("{submitted} of {target} submitted, {started} in progress").format(
        submitted=submitted, target=target, started=started)


def _channels_line(summary: SurveySummary, _: Gettext) -> str:
    """Submitted responses per channel and, once two channels have some, each channel's own score."""
    names = {"telegram": _("Telegram"), "web": _("web page"), "paper": _("paper")}
    scores = dict(summary.score_by_channel)
    parts = []
    for name, count in summary.submitted_by_channel:
        part = f"{names.get(name, name)} {count}"
        if name in scores:
            score = scores[name]
            part = _("{channel} (score {score})").format(
                channel=part, score=_("undetermined") if score is None else display(score))
        parts.append(part)
    return _("Submitted by channel: {counts}").format(counts=" · ".join(parts))


def _dates_lines(entry: SurveyListEntry, _: Gettext) -> list[str]:
    """"Opens …" while the survey is not yet open; "Closes …" (the last day it takes answers)."""
    lines = []
    if entry.status == "not_yet_open" and entry.opens_at is not None:
        lines.append(_("Opens {date}").format(date=opening_text(entry.opens_at, entry.timezone)))
    if entry.closes_at is not None:
        lines.append(_("Closes {date}").format(date=closing_text(entry.closes_at, entry.timezone)))
    return lines
