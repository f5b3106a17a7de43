"""Create surveys in the database a bot process under test will use."""

from __future__ import annotations

import datetime as dt

from bot.adapters import storage
from bot.adapters.storage import SurveyRecord


async def create_survey(database_url: str, *, spec_id: str = "TBSC120", organization: str = "Test Org",
                        status: str = "open", opens_in: dt.timedelta = dt.timedelta(0),
                        created_by: int | None = None) -> SurveyRecord:
    now = dt.datetime.now(dt.UTC)
    database = await storage.open_database(database_url)
    try:
        survey = await storage.create_survey(
            database.sessions, spec_id=spec_id, organization=organization, timezone="Asia/Shanghai",
            now=now, opens_at=now + opens_in, created_by=created_by,
        )
        if status == "closed":
            await storage.set_status(database.sessions, survey.id, storage.SurveyStatus.CLOSED)
        return survey
    finally:
        await database.close()
