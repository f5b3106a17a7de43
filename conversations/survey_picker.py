"""Which survey a lead command is for, when the lead has several and typed no code: one button per
survey (newest first, with organization, spec and status), so that a lead never has to type a code."""

from __future__ import annotations

from collections.abc import Sequence

from conversations.screens import Button, Screen
from conversations.summary_figures import SurveyListEntry
from conversations.survey_dates import state_word
from locales import translator

PICKER_POSITION = "lead-pick"
MAX_SURVEYS_SHOWN = 10


def survey_picker_screen(entries: Sequence[SurveyListEntry], language: str) -> Screen:
    """Buttons carry the survey id as their action; the shell adds the command they are for."""
    _ = translator(language).gettext
    shown = entries[:MAX_SURVEYS_SHOWN]
    lines = [_("Which survey? Tap one (newest first).")]
    if len(entries) > len(shown):
        lines.append(_("The {count} newest are shown; /surveys lists them all.").format(count=len(shown)))
    buttons = [[Button(f"{entry.organization} · {entry.spec_id} · {state_word(entry.status, language)}",
                       str(entry.survey_id))] for entry in shown]
    return Screen("\n".join(lines), buttons, PICKER_POSITION)
