"""Changing a survey's dates or target, from Telegram or the command line, with one audit entry per
change ("dates changed" and "target changed", each old -> new). Dates follow conversations.survey_dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.adapters import storage
from bot.adapters.storage import Sessions, SurveyRecord
from bot.services import audit


async def change_dates_and_target(sessions: Sessions, survey: SurveyRecord, who: int | str, now: dt.datetime, *,
                                  opens_at: dt.datetime, closes_at: dt.datetime | None,
                                  target: int | None) -> SurveyRecord:
    """Store the new values and log what really changed; the survey as it is now."""
    changed = await storage.change_dates_and_target(sessions, survey.id, opens_at=opens_at, closes_at=closes_at,
                                                    target=target)
    if changed is None:
        raise LookupError(f"survey {survey.code} no longer exists")
    before, after = changed
    if (before.opens_at, before.closes_at) != (after.opens_at, after.closes_at):
        await audit.record(sessions, survey.id, who, audit.DATES_CHANGED, dates_change(before, after), now)
    if before.target != after.target:
        await audit.record(sessions, survey.id, who, audit.TARGET_CHANGED,
                           {"old": before.target, "new": after.target}, now)
    return after


def dates_change(before: SurveyRecord, after: SurveyRecord) -> dict[str, Any]:
    """Old and new opening and closing moments (ISO, UTC; closing null for none)."""
    def moment(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value else None
    return {"opens_at": {"old": moment(before.opens_at), "new": moment(after.opens_at)},
            "closes_at": {"old": moment(before.closes_at), "new": moment(after.closes_at)}}
