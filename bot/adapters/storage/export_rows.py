"""A survey's submitted responses for the export, read in chunks: one row per respondent, never all at once.

Each chunk is one short transaction (keyset pagination over the respondent number), so an export of
100,000 responses holds neither the database connection (SQLite has one per process) nor every row
between chunks: customers' steps run in between. The database joins each respondent's answers into one
text ("1.1:4,1.2:0,…"; 0 for "not applicable"), so Python reads one row per respondent instead of 19;
`ExportRow.ratings()` reads it back, in whichever process writes the files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, String, Table, cast, func, select

from bot.adapters.storage.engine import Sessions, in_one_go
from bot.adapters.storage.tables import Answer, Respondent

_RESPONDENTS: Table = Respondent.__table__  # type: ignore[assignment]
_ANSWERS: Table = Answer.__table__  # type: ignore[assignment]
_NOT_APPLICABLE_TEXT = "0"  # a "not applicable" answer in a row's answers (the database stores NULL)
CHUNK_RESPONDENTS = 500  # a chunk takes a few milliseconds on SQLite (docs/performance.md)


class ExportRow(NamedTuple):
    number: int
    channel: str
    joined_at: dt.datetime
    submitted_at: dt.datetime
    comment: str | None
    answers: str | None  # "item:rating" joined by commas, in no particular order; None without answers

    def ratings(self) -> dict[str, int | None]:
        """Rating per item code answered (None: "not applicable")."""
        if not self.answers:
            return {}
        pairs = (pair.rpartition(":") for pair in self.answers.split(","))
        return {code: None if rating == _NOT_APPLICABLE_TEXT else int(rating) for code, _, rating in pairs}


async def export_chunks(sessions: Sessions, survey_id: int,
                        chunk_respondents: int = CHUNK_RESPONDENTS) -> AsyncIterator[list[ExportRow]]:
    """The survey's submitted responses by ascending number, `chunk_respondents` at a time."""
    after = 0
    while True:
        chunk = await in_one_go(sessions, _read_chunk, _chunk_query(survey_id, after, chunk_respondents))
        if not chunk:
            return
        yield chunk
        after = chunk[-1].number


def _read_chunk(connection: Connection, query: Select[Any]) -> list[ExportRow]:
    return [ExportRow(*row) for row in connection.execute(query)]


def _chunk_query(survey_id: int, after: int, limit: int) -> Select[Any]:
    respondent, answer = _RESPONDENTS.c, _ANSWERS.c
    rating = cast(func.coalesce(answer.rating, int(_NOT_APPLICABLE_TEXT)), String)
    answers = (select(func.aggregate_strings(answer.item_code + ":" + rating, ","))
               .where(answer.respondent_id == respondent.id)
               .scalar_subquery())
    return (
        select(respondent.number, respondent.channel, respondent.joined_at, respondent.submitted_at,
               respondent.comment, answers)
        .where(respondent.survey_id == survey_id, respondent.submitted_at.is_not(None), respondent.number > after)
        .order_by(respondent.number)
        .limit(limit)
    )
