"""The audit lead's daily summary of a survey, and the one-off notice that the target was reached."""

from __future__ import annotations

from dataclasses import dataclass

from locales import translator


@dataclass(frozen=True)
class DigestFigures:
    """`result` is the result line in the reader's language (conversations.result_wording.result_headline:
    score, grade, provisional or settled, or undetermined); None before the first submitted response."""

    organization: str
    submitted_last_day: int
    submitted: int
    started: int
    target: int | None
    result: str | None


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
    lines.append(figures.result if figures.result is not None else _("No score yet: nobody has submitted."))
    lines.append(_("Send /reminders to change reminders or turn this summary off."))
    return "\n".join(lines)


def target_reached_text(language: str, organization: str, submitted: int, target: int, result: str | None,
                        more_to_settle: int | None) -> str:
    """The notice; `result` as in DigestFigures, `more_to_settle` how many more responses would settle a
    provisional grade (then the lead may keep the survey open for them)."""
    _ = translator(language).gettext
    lines = [_("The survey for {organization} reached its target: {submitted} responses (target {target}).").format(
        organization=organization, submitted=submitted, target=target)]
    if result is not None:
        lines.append(result)
    if more_to_settle is not None:
        lines.append(_("About {more} more responses would settle the grade: you may keep the survey open for "
                       "them, or close it when you are ready.").format(more=more_to_settle))
    else:
        lines.append(_("You can close it when you are ready."))
    return "\n".join(lines)
