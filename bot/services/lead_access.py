"""Who may steer which survey: admins (ADMIN_IDS) lead every survey; co-leads lead theirs.

Lead commands name a survey by its invite code, or by nothing when the lead has one survey (or
then the newest). A non-lead gets the same answer whether or not the survey exists.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.adapters import storage
from bot.adapters.storage import Sessions, SurveyRecord, SurveySummaryRow


async def surveys_of_lead(
    sessions: Sessions, user_id: int, admin_ids: Collection[int]
) -> list[SurveySummaryRow]:
    """The surveys `user_id` leads, newest first (all of them for an admin)."""
    return await storage.list_surveys(sessions, None if user_id in admin_ids else user_id)


async def is_any_lead(sessions: Sessions, user_id: int, admin_ids: Collection[int]) -> bool:
    return user_id in admin_ids or bool(await storage.list_surveys(sessions, user_id))


async def survey_for_lead(sessions: Sessions, user_id: int, admin_ids: Collection[int],
                          reference: str | int | None) -> SurveyRecord | None:
    """The survey a lead means: by id (buttons), by invite code (commands), or their newest one.

    None when the survey does not exist or the user does not lead it (callers say the same thing
    in both cases).
    """
    if reference is None or reference == "":
        surveys = await surveys_of_lead(sessions, user_id, admin_ids)
        return surveys[0].survey if surveys else None
    if isinstance(reference, int):
        survey = await storage.survey_by_id(sessions, reference)
    else:
        survey = await storage.survey_by_code(sessions, reference.strip())
    if survey is None or not await storage.is_lead(sessions, survey.id, user_id, admin_ids):
        return None
    return survey
