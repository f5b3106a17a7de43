"""The web channel's storage: a browser's respondent (by the hash of its cookie token), joining on the
web page, single-use personal links, and respondents counted per channel.

Only hashes of tokens are stored: a cookie's or a link's token never reaches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, Table, and_, bindparam, func, insert, select, update

from bot.adapters.storage.engine import Sessions, first_row, in_one_go
from bot.adapters.storage.respondents import _insert_numbered, _numbered
from bot.adapters.storage.surveys import SurveyRecord, survey_record
from bot.adapters.storage.tables import Channel, PersonalLink, Respondent, Survey, WebRespondent

_SURVEYS: Table = Survey.__table__  # type: ignore[assignment]
_WEB: Table = WebRespondent.__table__  # type: ignore[assignment]
_LINKS: Table = PersonalLink.__table__  # type: ignore[assignment]
_RESPONDENTS: Table = Respondent.__table__  # type: ignore[assignment]


class LinkTaken(Exception):
    """The personal link was taken by another browser a moment before this one."""


@dataclass(frozen=True)
class WebVisit:
    """A survey as a browser finds it: `respondent_id` is that browser's respondent in it, if any."""

    survey: SurveyRecord
    respondent_id: int | None


@dataclass(frozen=True)
class LinkVisit(WebVisit):
    """A personal link's survey, with the link's id and the respondent who took it (None: unused)."""

    link_id: int = 0
    taken_by: int | None = None


@dataclass(frozen=True)
class ChannelCount:
    joined: int
    submitted: int


def _visit_query() -> Any:
    browser = and_(_WEB.c.survey_id == _SURVEYS.c.id, _WEB.c.token_hash == bindparam("token_hash"))
    return select(_SURVEYS, _WEB.c.respondent_id.label("web_respondent_id")).outerjoin(_WEB, browser)


_VISIT_BY_CODE = _visit_query().where(_SURVEYS.c.code == bindparam("code"))
_VISIT_BY_LINK = (
    _visit_query().add_columns(_LINKS.c.id.label("link_id"), _LINKS.c.respondent_id.label("taken_by"))
    .join(_LINKS, _LINKS.c.survey_id == _SURVEYS.c.id)
    .where(_LINKS.c.token_hash == bindparam("link_hash"))
)


async def visit(sessions: Sessions, code: str, token_hash: str) -> WebVisit | None:
    """The survey with invite code `code` and this browser's respondent in it; None: no such survey."""
    row = await _first(sessions, _VISIT_BY_CODE, {"code": code, "token_hash": token_hash})
    return WebVisit(survey_record(row), row.web_respondent_id) if row else None


async def link_visit(sessions: Sessions, link_hash: str, token_hash: str) -> LinkVisit | None:
    """The personal link with this token hash, its survey and this browser's respondent in it."""
    row = await _first(sessions, _VISIT_BY_LINK, {"link_hash": link_hash, "token_hash": token_hash})
    if row is None:
        return None
    return LinkVisit(survey_record(row), row.web_respondent_id, link_id=row.link_id, taken_by=row.taken_by)


async def _first(sessions: Sessions, query: Any, parameters: dict[str, str]) -> Row[Any] | None:
    """The first row of a module-level query with these parameters (`.params()` would copy the query,
    whose cache key SQLAlchemy then works out again on every page)."""
    return await in_one_go(sessions, lambda connection: connection.execute(query, parameters).first())


async def join_web(sessions: Sessions, survey_id: int, token_hash: str, language: str, now: dt.datetime,
                   link_id: int | None = None) -> int:
    """The id of this browser's respondent in the survey, made (numbered like every respondent) on its
    first step; with `link_id`, the personal link is taken in the same transaction (LinkTaken if
    another browser took it first: then nothing is stored)."""
    return await _numbered(sessions, survey_id, _join_web, token_hash, language, now, link_id)


def _join_web(connection: Connection, survey_id: int, token_hash: str, language: str, now: dt.datetime,
              link_id: int | None) -> Any:
    existing = connection.execute(select(_WEB.c.respondent_id).where(
        _WEB.c.survey_id == survey_id, _WEB.c.token_hash == token_hash)).scalar()
    if existing is not None:
        return existing
    respondent = _insert_numbered(connection, survey_id, now, telegram_user_id=None, chat_id=None,
                                  channel=Channel.WEB, language=language, position="welcome")
    connection.execute(insert(_WEB).values(respondent_id=respondent.id, survey_id=survey_id,
                                           token_hash=token_hash))
    if link_id is not None:
        taken = connection.execute(
            update(_LINKS).where(_LINKS.c.id == link_id, _LINKS.c.respondent_id.is_(None))
            .values(respondent_id=respondent.id, used_at=now))
        if taken.rowcount != 1:
            raise LinkTaken(f"personal link {link_id} is taken")
    return respondent.id


async def add_personal_links(sessions: Sessions, survey_id: int, link_hashes: Sequence[str],
                             now: dt.datetime) -> None:
    """Store new personal links of a survey (by their tokens' hashes), all or none."""
    rows = [{"survey_id": survey_id, "token_hash": link_hash, "created_at": now} for link_hash in link_hashes]
    if rows:
        await in_one_go(sessions, lambda connection: connection.execute(insert(_LINKS), rows))


async def personal_link_counts(sessions: Sessions, survey_id: int) -> tuple[int, int]:
    """(links issued, links used) of a survey."""
    query = select(func.count(_LINKS.c.id), func.count(_LINKS.c.respondent_id)).where(
        _LINKS.c.survey_id == survey_id)
    row = await first_row(sessions, query)
    return (row[0], row[1]) if row else (0, 0)


async def channel_counts(sessions: Sessions, survey_id: int) -> dict[Channel, ChannelCount]:
    """Respondents who joined and who submitted, per channel (channels without any are left out)."""
    query = (
        select(_RESPONDENTS.c.channel, func.count(_RESPONDENTS.c.id), func.count(_RESPONDENTS.c.submitted_at))
        .where(_RESPONDENTS.c.survey_id == survey_id).group_by(_RESPONDENTS.c.channel)
    )
    rows = await in_one_go(sessions, lambda connection: connection.execute(query).all())
    return {Channel(channel): ChannelCount(joined, submitted) for channel, joined, submitted in rows}
