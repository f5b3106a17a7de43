"""Retention: forget who answered a closed survey (Telegram ids, web browsers' token hashes), keep what
they answered."""

from __future__ import annotations

from sqlalchemy import delete, update

from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.tables import Respondent, Survey, SurveyStatus, WebRespondent


async def purge_telegram_ids(sessions: Sessions, survey_id: int) -> int | None:
    """Remove the Telegram user and chat ids of a closed survey's respondents, and the token hashes that
    tie web respondents to their browsers.

    The anonymous answers, comments, times and pseudonymous numbers stay, so scores and exports
    are unchanged. Returns how many respondents were purged, or None if the survey is not closed.
    """
    async with sessions.begin() as session:
        survey = await session.get(Survey, survey_id)
        if survey is None or survey.status != SurveyStatus.CLOSED:
            return None
        result = await session.execute(
            update(Respondent)
            .where(Respondent.survey_id == survey_id, Respondent.telegram_user_id.is_not(None))
            .values(telegram_user_id=None, chat_id=None, screen_message_id=None)
        )
        browsers = await session.execute(delete(WebRespondent).where(WebRespondent.survey_id == survey_id))
        return result.rowcount + browsers.rowcount
