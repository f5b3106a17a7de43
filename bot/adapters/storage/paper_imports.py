"""Which CSV files of paper responses were imported into a survey, so that one file is not added twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.adapters.storage.engine import Sessions
from bot.adapters.storage.tables import PaperImport


async def claim_paper_import(sessions: Sessions, survey_id: int, sha256: str, file_name: str,
                             now: dt.datetime) -> dt.datetime | None:
    """Record that the file with this digest is being imported into the survey.

    None when it is new (the caller goes on and adds its responses); otherwise the time the same
    file was imported before, and nothing is recorded.
    """
    try:
        async with sessions.begin() as session:
            session.add(PaperImport(survey_id=survey_id, sha256=sha256, file_name=file_name[:300],
                                    imported_at=now))
    except IntegrityError:
        query = select(PaperImport.imported_at).where(
            PaperImport.survey_id == survey_id, PaperImport.sha256 == sha256)
        async with sessions() as session:
            return (await session.execute(query)).scalar_one()
    return None
