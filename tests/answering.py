"""Answer, submit and read a respondent's answers in tests, the way the bot stores a tap: one
`storage.take_step` each (the dialogue's own decisions are tested in test_respondent_dialogue.py)."""

from __future__ import annotations

import datetime as dt

from bot.adapters.storage import RespondentInSurvey, Sessions, StepChange, StepOvertaken, take_step


async def answer(sessions: Sessions, respondent_id: int, item_code: str, rating: int,
                 now: dt.datetime) -> bool:
    """Store (or change) one rating; False, and nothing stored, once the respondent has submitted."""
    try:
        stored = await take_step(sessions, respondent_id, now,
                                 lambda _: (StepChange(answer=(item_code, rating)), True))
    except StepOvertaken:
        return False
    return stored is True


async def submit(sessions: Sessions, respondent_id: int, now: dt.datetime) -> bool:
    """Submit the response; True the first time, False (and nothing counted again) after that."""
    def decide(found: RespondentInSurvey) -> tuple[StepChange | None, bool]:
        first = found.respondent.submitted_at is None
        return (StepChange(submit=True) if first else None), first

    return await take_step(sessions, respondent_id, now, decide) is True


async def answers_of(sessions: Sessions, respondent_id: int) -> dict[str, int]:
    """{item code: rating} of one respondent, as a step reads them."""
    return await take_step(sessions, respondent_id, dt.datetime.now(dt.UTC),
                           lambda found: (None, dict(found.answers))) or {}
