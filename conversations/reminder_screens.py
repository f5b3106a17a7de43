"""What a reminder says to a customer who has not finished, and what a round of reminders reports
to the audit lead.

The reminder's Continue button carries the action "resume" and the respondent's position at the
time of sending, so the respondent dialogue takes it like any of its own buttons: it continues at
the first unanswered question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from conversations.screens import Button, Screen
from locales import translator

RESUME_ACTION = "resume"
TAKEN_ELSEWHERE = "taken"  # another sweep (or process) claimed the reminder, or the person came back


@dataclass(frozen=True)
class RoundReport:
    """The outcome of one round of reminders: `skipped` maps a reason (a `DecisionReason` value or
    `TAKEN_ELSEWHERE`) to how many were skipped for it."""

    sent: int = 0
    failed: int = 0
    skipped: Mapping[str, int] = field(default_factory=dict)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def reminder_screen(language: str, organization: str, answered: int, total: int, position: str) -> Screen:
    """The reminder message with a Continue button; `position` is where the respondent stands."""
    _ = translator(language).gettext
    left = max(total - answered, 0)
    text = "\n\n".join((
        _("You have {left} of {total} questions left in the survey about {organization}.").format(
            left=left, total=total, organization=organization),
        _("It takes only a few minutes. Your answers so far are saved, and you continue where you left off."),
    ))
    return Screen(text=text, buttons=[[Button(_("Continue"), RESUME_ACTION)]], position=position, edit=False)


def round_report_text(language: str, organization: str, report: RoundReport) -> str:
    """/remind's answer: how many reminders went out, how many were skipped and why, how many failed."""
    _ = translator(language).gettext
    lines = [
        _("Reminders for {organization}:").format(organization=organization),
        _("Sent: {count}").format(count=report.sent),
        _("Skipped: {count}").format(count=report.skipped_total),
    ]
    labels = _skip_labels(language)
    for reason, count in sorted(report.skipped.items(), key=lambda entry: (-entry[1], entry[0])):
        if count:
            lines.append("  · " + labels.get(reason, reason) + f": {count}")
    lines.append(_("Failed: {count}").format(count=report.failed))
    return "\n".join(lines)


def _skip_labels(language: str) -> dict[str, str]:
    _ = translator(language).gettext
    return {
        "submitted": _("already submitted"),
        "closed": _("the survey is closed"),
        "unreachable": _("blocked the bot"),
        "max_reached": _("had the most reminders allowed"),
        "recently_active": _("active in the last hour"),
        "too_early": _("not due yet"),
        "outside_window": _("outside the sending hours"),
        TAKEN_ELSEWHERE: _("just reminded by another round"),
    }
