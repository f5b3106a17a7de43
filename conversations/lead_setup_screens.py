"""Texts and screens of the audit lead's survey set-up commands: /close, /reopen, /addlead, co-lead links,
and a survey's dates and target.

Pure: the shell passes the survey's organization, code and status and shows what comes back.
Button actions: "close", "open" (confirm the change), "keep" (leave the status as it is); on the dates
screen those of conversations.new_survey (`closing_rows`, `target_rows`).
"""

from __future__ import annotations

from conversations.new_survey import closing_rows, target_rows
from conversations.screens import Button, Screen
from locales import translator

CLOSE, OPEN, KEEP = "close", "open", "keep"
STATUS_POSITION = "status"
DATES_POSITION = "dates"


def not_a_lead_text(language: str) -> str:
    """The one answer a non-lead gets to any lead command or button, whether or not the survey exists."""
    return translator(language).gettext("This command is for audit leads.")


def no_such_survey_text(language: str) -> str:
    return translator(language).gettext(
        "I cannot find that survey among the surveys you lead. Send the command with the survey code, "
        "e.g. /close CODE (the code is the end of the invite link).")


def no_surveys_yet_text(language: str) -> str:
    return translator(language).gettext("You have no surveys yet. Create one with /newsurvey.")


def admins_only_text(language: str) -> str:
    return translator(language).gettext(
        "New surveys are created by the administrators of the certification body. "
        "Please ask one of them; you can steer the surveys they share with you.")


def status_confirm_screen(language: str, organization: str, code: str, closed_now: bool,
                          closing: bool, ended_on: str | None = None) -> Screen:
    """Ask before closing (`closing`) or reopening; or say that the survey already has that status.
    `ended_on`: the closing day, when the survey is closed because that day is over (reopening removes it)."""
    _ = translator(language).gettext
    if closing and closed_now:
        return _notice(_("The survey for {organization} ({code}) is already closed. "
                         "/reopen {code} opens it again.").format(organization=organization, code=code))
    if not closing and not closed_now:
        return _notice(_("The survey for {organization} ({code}) is already open.").format(
            organization=organization, code=code))
    if closing:
        text = _("Close the survey for {organization} ({code})? Customers will no longer be able to answer "
                 "and no reminders will be sent. Answers given so far are kept.")
        confirm = Button(_("Close the survey"), CLOSE)
    elif ended_on is not None:
        text = _("The survey for {organization} ({code}) closed at the end of its closing day, {date}. "
                 "Reopen it without a closing date? Customers can answer again.")
        confirm = Button(_("Reopen the survey"), OPEN)
    else:
        text = _("Reopen the survey for {organization} ({code})? Customers can answer again.")
        confirm = Button(_("Reopen the survey"), OPEN)
    return Screen(text=text.format(organization=organization, code=code, date=ended_on),
                  buttons=[[confirm, Button(_("Keep as it is"), KEEP)]], position=STATUS_POSITION)


def dates_screen(language: str, organization: str, code: str, state: str, period: str, target: int | None,
                 note: str | None = None) -> Screen:
    """A survey's state, period (conversations.survey_dates.display_period) and target, with buttons that
    set a new closing day (counted from today) or target; each tap is saved at once."""
    _ = translator(language).gettext
    lines = [_("Dates and target of the survey for {organization} ({code})").format(
                 organization=organization, code=code),
             _("Status: {status}").format(status=state),
             _("Open: {period}").format(period=period),
             _("Target: {target}").format(target=_("{count} responses").format(count=target) if target
                                          else _("no target")),
             "",
             _("Tap a new closing day (counted from today) or a new target; each tap is saved at once. "
               "The survey takes answers until 24:00 of its closing day.")]
    if note:
        lines[:0] = [note, ""]
    return Screen("\n".join(lines), [*closing_rows(language), *target_rows(language)], DATES_POSITION)


def dates_saved_text(language: str) -> str:
    return translator(language).gettext("Saved.")


def closing_before_opening_text(language: str, first_day: str) -> str:
    return translator(language).gettext(
        "Not saved: the closing day cannot be before the first day, {date}.").format(date=first_day)


def status_changed_text(language: str, organization: str, code: str, closed_now: bool) -> str:
    _ = translator(language).gettext
    if closed_now:
        return _("The survey for {organization} ({code}) is now closed: it takes no answers and sends no "
                 "reminders. /reopen {code} opens it again.").format(organization=organization, code=code)
    return _("The survey for {organization} ({code}) is open again: customers can answer.").format(
        organization=organization, code=code)


def status_kept_text(language: str, organization: str, code: str, closed_now: bool) -> str:
    _ = translator(language).gettext
    state = _("closed") if closed_now else _("open")
    return _("Nothing changed: the survey for {organization} ({code}) stays {state}.").format(
        organization=organization, code=code, state=state)


def lead_invite_text(language: str, organization: str, link: str) -> str:
    _ = translator(language).gettext
    return _("Send this link to the person who should co-lead the survey for {organization}:\n{link}\n\n"
             "It works once: whoever opens it first can then follow and steer this survey "
             "(progress, summary, close, maturity). Send /addlead again for another person.").format(
        organization=organization, link=link)


def lead_invite_redeemed_text(language: str, organization: str, code: str) -> str:
    _ = translator(language).gettext
    return _("Welcome! You are now a co-lead of the survey for {organization} (code {code}). "
             "Try /surveys, /summary {code} or /maturity {code}.").format(
        organization=organization, code=code)


def lead_invite_unusable_text(language: str) -> str:
    return translator(language).gettext(
        "This co-lead link has already been used or is not valid. Please ask the audit lead for a new one.")


def _notice(text: str) -> Screen:
    return Screen(text=text, buttons=[], position=STATUS_POSITION, edit=False)


def chart_needs_font_text(language: str) -> str:
    return translator(language).gettext(
        "The chart is not available: the server has no font with Chinese characters. Ask the operator to "
        "install one (e.g. fonts-wqy-microhei); the scores below are complete.")
