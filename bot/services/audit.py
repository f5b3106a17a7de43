"""The audit trail of a survey: what was done to it, by whom ("cli" or a Telegram id) and when, in an
append-only, hash-chained log; verifying the response and trail chains; the survey's seal
(bot/adapters/storage/audit.py keeps and hashes them).

Actions: created, opened, closed, dates changed, target changed, lead added, maturity rated, purged,
exported, personal links issued (bot/services/personal_links.py) (paper import: see docs/audit.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bot.adapters.storage import Sessions, SurveyRecord
from bot.adapters.storage.audit import EntryRecord, Verification, entries, verify
from bot.adapters.storage.audit import record as record_entry
from bot.services.context import Deps

CLI = "cli"
CREATED, OPENED, CLOSED, LEAD_ADDED, MATURITY_RATED = "created", "opened", "closed", "lead added", "maturity rated"
PAPER_IMPORT, PURGED, EXPORTED = "paper import", "purged", "exported"
DATES_CHANGED, TARGET_CHANGED = "dates changed", "target changed"

__all__ = ["CLI", "EntryRecord", "created_details", "Verification", "record", "trail", "verify_survey"]


async def record(deps_or_sessions: Deps | Sessions, survey_id: int, who: int | str, action: str,
                 details: Mapping[str, Any], now: dt.datetime) -> int:
    """Append an entry to the survey's trail: `who` a Telegram id or "cli"; `details` small and JSON-able."""
    sessions = deps_or_sessions.sessions if isinstance(deps_or_sessions, Deps) else deps_or_sessions
    return await record_entry(sessions, survey_id, str(who), action, details, now)


async def trail(sessions: Sessions, survey_id: int) -> list[EntryRecord]:
    return await entries(sessions, survey_id)


async def verify_survey(sessions: Sessions, survey_id: int) -> Verification:
    """Both chains recomputed: `.problems` names each response or entry altered, removed or inserted."""
    return await verify(sessions, survey_id)


def created_details(survey: SurveyRecord) -> dict[str, Any]:
    """What the trail keeps about a new survey."""
    return {"code": survey.code, "spec": survey.spec_id, "organization": survey.organization,
            "opens_at": survey.opens_at.isoformat(),
            "closes_at": survey.closes_at.isoformat() if survey.closes_at else None, "target": survey.target}
