"""The audit lead's daily summary of a survey, and the one-off notice that the target was reached."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from locales import translator


@dataclass(frozen=True)
class DigestFigures:
    """`score` is the displayed service score (None before the first submitted response, and while an
    item has no rating because every answer to it was "not applicable"); `grade` the grade label it
    reaches in the reader's language (None below every grade)."""

    organization: str
    submitted_last_day: int
    submitted: int
    started: int
    target: int | None
    score: Decimal | None
    grade: str | None


def digest_text(language: str, figures: DigestFigures) -> str:
    _ = translator(language).gettext
    lines = [
        _("Daily summary: {organization}").format(organization=figures.organization),
        _("New responses in the last 24 hours: {count}").format(count=figures.submitted_last_day),
    ]
    if figures.target is not None:
        lines.append(_("Responses in total: {count} of {target} wanted").format(
            count=figures.submitted, target=figures.target))
    else:
        lines.append(_("Responses in total: {count}").format(count=figures.submitted))
    lines.append(_("Started but not finished: {count}").format(count=figures.started))
    if figures.score is None and figures.submitted:
        lines.append(_("No score yet: some item has no rating so far (every answer to it was \"not applicable\")."))
    elif figures.score is None:
        lines.append(_("No score yet: nobody has submitted."))
    else:
        lines.append(_("Service score so far: {score}").format(score=figures.score))
        lines.append(_("Grade it reaches: {grade}").format(grade=figures.grade) if figures.grade
                     else _("The score reaches no grade yet."))
    lines.append(_("Send /reminders to change reminders or turn this summary off."))
    return "\n".join(lines)


def target_reached_text(language: str, organization: str, submitted: int, target: int) -> str:
    _ = translator(language).gettext
    return _("The survey for {organization} reached its target: {submitted} responses (target {target}). "
             "You can close it when you are ready.").format(
        organization=organization, submitted=submitted, target=target)
