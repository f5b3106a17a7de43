"""Respondents of a survey: joining, dialogue state, answers, submission, paper responses.

Each respondent gets a pseudonymous number (1, 2, 3 … per survey) for exports; Telegram ids never
leave the database. A Telegram account answers a survey at most once. A rating is 1-5, or None for
"not applicable / did not experience it" (stored as NULL, one row per respondent and item all the same).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    Row,
    Select,
    String,
    Table,
    bindparam,
    cast,
    func,
    insert,
    literal,
    literal_column,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from bot.adapters.storage.audit import seal_response
from bot.adapters.storage.engine import Sessions, first_row, in_one_go
from bot.adapters.storage.surveys import SurveyRecord, survey_record
from bot.adapters.storage.tables import Answer, Channel, Respondent, Survey
from bot.adapters.storage.tallies import count_answers
from bot.adapters.storage.upsert import dialect_name, upsert_statement

COMMENT_MAX_CHARS = 1000
JOIN_ATTEMPTS = 5  # one user tapping the link twice at once: the second insert fails, then finds the row


@dataclass(frozen=True)
class RespondentRecord:
    id: int
    survey_id: int
    number: int
    telegram_user_id: int | None
    chat_id: int | None
    channel: Channel
    language: str
    position: str
    reviewing: bool
    comment: str | None
    screen_message_id: int | None
    joined_at: dt.datetime
    last_active_at: dt.datetime
    submitted_at: dt.datetime | None
    reminder_count: int
    last_reminded_at: dt.datetime | None
    unreachable: bool


async def join(
    sessions: Sessions, survey_id: int, telegram_user_id: int, chat_id: int, language: str, now: dt.datetime
) -> RespondentRecord:
    """The user's respondent row for the survey, created on first join with the next free number.

    Joining again returns the same row (chat and activity time refreshed, no longer unreachable).
    """
    return await _numbered(sessions, survey_id, _join, telegram_user_id, chat_id, language, now)


def _join(connection: Connection, survey_id: int, telegram_user_id: int, chat_id: int, language: str,
          now: dt.datetime) -> RespondentRecord:
    rejoined = connection.execute(
        update(_RESPONDENTS)
        .where(_RESPONDENTS.c.survey_id == survey_id, _RESPONDENTS.c.telegram_user_id == telegram_user_id)
        .values(chat_id=chat_id, last_active_at=now, unreachable=False)
        .returning(*_RESPONDENTS.columns)
    ).first()
    if rejoined is not None:
        return respondent_record(rejoined)
    return _insert_numbered(connection, survey_id, now, telegram_user_id=telegram_user_id, chat_id=chat_id,
                            channel=Channel.TELEGRAM, language=language, position="welcome")


async def add_paper_respondent(
    sessions: Sessions, survey_id: int, answers: Mapping[str, int | None], now: dt.datetime,
    language: str = "zh",
) -> RespondentRecord:
    """Record a paper questionnaire as a respondent who submitted at `now` with these answers (None:
    "not applicable")."""
    _check_ratings(answers)
    return await _numbered(sessions, survey_id, _add_paper, answers, language, now)


def _add_paper(connection: Connection, survey_id: int, answers: Mapping[str, int | None], language: str,
               now: dt.datetime) -> RespondentRecord:
    respondent = _insert_numbered(connection, survey_id, now, telegram_user_id=None, chat_id=None,
                                  channel=Channel.PAPER, language=language, position="done", submitted_at=now)
    if answers:
        connection.execute(insert(Answer.__table__), [
            {"respondent_id": respondent.id, "item_code": code, "rating": rating, "answered_at": now}
            for code, rating in answers.items()
        ])
    count_answers(connection, respondent.id)
    seal_response(connection, respondent.id)
    return respondent


async def _numbered(sessions: Sessions, survey_id: int,
                    add: Callable[..., RespondentRecord], *args: Any) -> RespondentRecord:
    """`add(connection, survey_id, *args)` in one go, which inserts a respondent numbered max + 1 (or
    finds the one it is after); again when a transaction running beside it took the number or the
    account first."""
    for _ in range(JOIN_ATTEMPTS):
        try:
            return await in_one_go(sessions, add, survey_id, *args)
        except IntegrityError:
            continue  # the same user joined at the same moment, or the number was taken: look again
    raise RuntimeError(f"could not add a respondent to survey {survey_id} after {JOIN_ATTEMPTS} attempts")


def _insert_numbered(connection: Connection, survey_id: int, now: dt.datetime,
                     **values: Any) -> RespondentRecord:
    """Insert a respondent numbered max + 1.

    Locking the survey row (PostgreSQL; SQLite writes one at a time anyway) makes concurrent joins
    of one survey take turns; the unique (survey, number) constraint still guards any race.
    """
    connection.execute(select(_SURVEYS.c.id).where(_SURVEYS.c.id == survey_id).with_for_update())
    columns = {"survey_id": survey_id, **values, "reviewing": False, "joined_at": now,
               "last_active_at": now, "reminder_count": 0, "unreachable": False}
    next_number = (
        select(func.coalesce(func.max(_RESPONDENTS.c.number), 0) + 1)
        .where(_RESPONDENTS.c.survey_id == survey_id)
        .scalar_subquery()
    )
    statement = (
        insert(_RESPONDENTS)
        .from_select(
            ["number", *columns],
            select(next_number, *(literal(value, _RESPONDENTS.c[name].type)
                                  for name, value in columns.items())),
        )
        .returning(*_RESPONDENTS.columns)
    )
    return respondent_record(connection.execute(statement).one())


async def respondent_for(
    sessions: Sessions, survey_id: int, telegram_user_id: int
) -> RespondentRecord | None:
    query = select(Respondent).where(
        Respondent.survey_id == survey_id, Respondent.telegram_user_id == telegram_user_id
    )
    return await _one_respondent(sessions, query)


async def respondent_by_id(sessions: Sessions, respondent_id: int) -> RespondentRecord | None:
    return await _one_respondent(sessions, select(Respondent).where(Respondent.id == respondent_id))


async def latest_respondent_for_user(sessions: Sessions, telegram_user_id: int) -> RespondentRecord | None:
    """The user's most recently active respondent row in any survey (for messages without a payload)."""
    query = (
        select(Respondent)
        .where(Respondent.telegram_user_id == telegram_user_id)
        .order_by(Respondent.last_active_at.desc(), Respondent.id.desc())
        .limit(1)
    )
    return await _one_respondent(sessions, query)


async def _one_respondent(sessions: Sessions, query: Select[Any]) -> RespondentRecord | None:
    """Read on a bare connection: a customer's every /start and message asks (bench/load.py)."""
    row = await first_row(sessions, query)
    return respondent_record(row) if row else None


@dataclass(frozen=True)
class RespondentInSurvey:
    """What a dialogue step starts from: the respondent, its survey and its answers {item: rating}
    (None: "not applicable")."""

    respondent: RespondentRecord
    survey: SurveyRecord
    answers: dict[str, int | None]


# Core tables, and statements built once: every tap runs one of these, and building a statement
# costs more than running it.
_RESPONDENTS: Table = Respondent.__table__  # type: ignore[assignment]
_SURVEYS: Table = Survey.__table__  # type: ignore[assignment]
_JOINED = (_RESPONDENTS, _SURVEYS)  # the tables of a step's row, in the order of its columns


def _in_survey_query() -> Select[Any]:
    """The respondent, its survey and its answers on one row, the answers as "1.1=4 1.2=NA …" (item codes
    hold no spaces or "="; NA: "not applicable"): one row to read instead of one per answer."""
    answers = Answer.__table__
    rating = func.coalesce(cast(answers.c.rating, String), literal(NOT_APPLICABLE_TEXT, String))
    answer_list = (
        select(func.aggregate_strings(answers.c.item_code + ANSWER_SEPARATOR + rating,
                                      literal_column(f"'{ANSWERS_SEPARATOR}'")))
        .where(answers.c.respondent_id == _RESPONDENTS.c.id)
        .scalar_subquery()
    )
    return select(*_JOINED, answer_list.label("answers")).join(
        _SURVEYS, _SURVEYS.c.id == _RESPONDENTS.c.survey_id)


ANSWER_SEPARATOR, ANSWERS_SEPARATOR, NOT_APPLICABLE_TEXT = "=", " ", "NA"
_IN_SURVEY_BY_USER = _in_survey_query().where(
    _RESPONDENTS.c.survey_id == bindparam("survey_id"),
    _RESPONDENTS.c.telegram_user_id == bindparam("user_id"),
)
_IN_SURVEY_BY_ID = _in_survey_query().where(_RESPONDENTS.c.id == bindparam("respondent_id"))


@dataclass(frozen=True)
class UserInSurvey:
    """A respondent found by its survey and Telegram account (the other way is by its id)."""

    survey_id: int
    telegram_user_id: int


@dataclass(frozen=True)
class DialogueState:
    """Where a respondent is in the dialogue: stored after every step, so a restart loses nothing."""

    position: str
    reviewing: bool
    language: str
    comment: str | None
    screen_message_id: int | None


@dataclass(frozen=True)
class StepChange:
    """What one dialogue step stores: an answer (item code, rating; None: "not applicable"), the
    submission, the new dialogue state; any of them."""

    answer: tuple[str, int | None] | None = None
    submit: bool = False
    state: DialogueState | None = None


class StepOvertaken(Exception):
    """The respondent moved on (another bot process handled a later tap) since the step was read."""


Outcome = TypeVar("Outcome")
Decide = Callable[[RespondentInSurvey], tuple[StepChange | None, Outcome]]
STEP_ATTEMPTS = 2


async def take_step(sessions: Sessions, who: UserInSurvey | int, now: dt.datetime,
                    decide: Decide[Outcome]) -> Outcome | None:
    """One dialogue step in one transaction: read the respondent `who` with its survey and answers,
    let `decide` work out the change to store and the outcome, store the change, return the outcome.

    A step is kept whole or not at all, so after a crash the respondent resumes where the last
    acknowledged step left them. If another process moved the respondent on between the read and the
    write (a double tap delivered to two replicas), the step is worked out again on the fresh state;
    StepOvertaken if that happens twice in a row. None when there is no such respondent.
    """
    for attempt in range(1, STEP_ATTEMPTS + 1):
        try:
            return await in_one_go(sessions, _take_step, who, now, decide)
        except StepOvertaken:
            if attempt == STEP_ATTEMPTS:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _take_step(connection: Connection, who: UserInSurvey | int, now: dt.datetime,
               decide: Decide[Outcome]) -> Outcome | None:
    found = _read_in_survey(connection, who)
    if found is None:
        return None
    change, outcome = decide(found)
    if change is not None:
        _store_step(connection, found.respondent, change, now)
    return outcome


def _read_in_survey(connection: Connection, who: UserInSurvey | int) -> RespondentInSurvey | None:
    if isinstance(who, UserInSurvey):
        query = _IN_SURVEY_BY_USER
        parameters = {"survey_id": who.survey_id, "user_id": who.telegram_user_id}
    else:
        query, parameters = _IN_SURVEY_BY_ID, {"respondent_id": who}
    row = connection.execute(query, parameters).first()
    if row is None:
        return None
    respondent, survey = _by_table(row, _JOINED)
    return RespondentInSurvey(respondent=respondent_record(respondent), survey=survey_record(survey),
                              answers=_parse_answers(row.answers))


def _parse_answers(answer_list: str | None) -> dict[str, int | None]:
    """{item code: rating} from "1.1=4 1.2=NA …" (None: no answers yet; NA: "not applicable")."""
    answers = (answer_list or "").split(ANSWERS_SEPARATOR)
    pairs = (answer.split(ANSWER_SEPARATOR) for answer in answers if answer)
    return {code: None if rating == NOT_APPLICABLE_TEXT else int(rating) for code, rating in pairs}


def _by_table(row: Row[Any], tables: tuple[Table, ...]) -> list[Any]:
    """A row of `select(*tables, …)` split into each table's values by column name (as an ORM row
    reads); by position, which is a sixth of a step cheaper than looking each column up."""
    split, start = [], 0
    for table in tables:
        values = row[start:start + len(table.columns)]
        split.append(SimpleNamespace(**dict(zip(table.columns.keys(), values, strict=True))))
        start += len(table.columns)
    return split


def _store_step(connection: Connection, respondent: RespondentRecord, change: StepChange,
                now: dt.datetime) -> None:
    """Store `change`, worked out on `respondent` as read; StepOvertaken if it has moved on since or,
    for an answer, has submitted."""
    if change.state is not None:
        _save_state(connection, respondent.id, change.state, now, respondent.position,
                    unsubmitted=change.answer is not None)
        if change.answer is not None:
            _upsert_answer(connection, respondent.id, *change.answer, now)
    elif change.answer is not None and not _save_answer(connection, respondent.id, *change.answer, now):
        raise StepOvertaken(f"respondent {respondent.id} has submitted")
    if change.submit:
        _submit(connection, respondent.id, now)


def _save_answer(connection: Connection, respondent_id: int, item_code: str, rating: int | None,
                 now: dt.datetime) -> bool:
    touched = connection.execute(
        update(Respondent)
        .where(Respondent.id == respondent_id, Respondent.submitted_at.is_(None))
        .values(last_active_at=now, unreachable=False)
    )
    if touched.rowcount != 1:
        return False
    _upsert_answer(connection, respondent_id, item_code, rating, now)
    return True


def _upsert_answer(connection: Connection, respondent_id: int, item_code: str, rating: int | None,
                   now: dt.datetime) -> None:
    _check_ratings({item_code: rating})
    statement = upsert_statement(dialect_name(connection), Answer, ("respondent_id", "item_code"),
                                 ("rating", "answered_at"))
    connection.execute(statement, {"respondent_id": respondent_id, "item_code": item_code, "rating": rating,
                                   "answered_at": now})


def _submit(connection: Connection, respondent_id: int, now: dt.datetime) -> bool:
    result = connection.execute(
        update(Respondent)
        .where(Respondent.id == respondent_id, Respondent.submitted_at.is_(None))
        .values(submitted_at=now, last_active_at=now)
    )
    if result.rowcount != 1:
        return False
    count_answers(connection, respondent_id)
    seal_response(connection, respondent_id)  # chained to the survey's previous response (storage/audit.py)
    return True


# A step is the customer acting in the chat, so the chat takes messages again: one who blocked the
# bot (marked unreachable by a refused reminder) and unblocked it is reminded again.
_SAVE_STATE = (
    update(_RESPONDENTS)
    .where(_RESPONDENTS.c.id == bindparam("respondent_id"),
           _RESPONDENTS.c.position == bindparam("from_position"))
    .values(position=bindparam("new_position"), reviewing=bindparam("new_reviewing"),
            language=bindparam("new_language"), comment=bindparam("new_comment"),
            screen_message_id=bindparam("new_screen_message_id"), last_active_at=bindparam("now"),
            unreachable=False)
)
_SAVE_STATE_UNSUBMITTED = _SAVE_STATE.where(_RESPONDENTS.c.submitted_at.is_(None))


def _save_state(connection: Connection, respondent_id: int, state: DialogueState,
                now: dt.datetime, from_position: str, *, unsubmitted: bool) -> None:
    """Store the state if the respondent is still at `from_position` (and, with `unsubmitted`, has
    not submitted); otherwise StepOvertaken."""
    if state.comment is not None and len(state.comment) > COMMENT_MAX_CHARS:
        raise ValueError(f"comment longer than {COMMENT_MAX_CHARS} characters")
    result = connection.execute(_SAVE_STATE_UNSUBMITTED if unsubmitted else _SAVE_STATE, {
        "respondent_id": respondent_id, "from_position": from_position, "new_position": state.position,
        "new_reviewing": state.reviewing, "new_language": state.language, "new_comment": state.comment,
        "new_screen_message_id": state.screen_message_id, "now": now,
    })
    if result.rowcount != 1:
        raise StepOvertaken(f"respondent {respondent_id} is no longer at {from_position}"
                            + (" or has submitted" if unsubmitted else ""))


async def mark_unreachable(sessions: Sessions, respondent_id: int) -> None:
    """The user blocked the bot or deleted the chat: stop writing to them (their next step in the chat, or
    joining again, undoes it)."""
    async with sessions.begin() as session:
        await session.execute(
            update(Respondent).where(Respondent.id == respondent_id).values(unreachable=True)
        )


def _check_ratings(answers: Mapping[str, int | None]) -> None:
    for code, rating in answers.items():
        if rating is not None and rating not in range(1, 6):
            raise ValueError(f"rating {rating!r} for item {code} is neither on the 1-5 scale nor None "
                             "(not applicable)")


def respondent_record(row: Respondent | Row[Any]) -> RespondentRecord:
    """From the ORM object or a row of its columns."""
    return RespondentRecord(
        id=row.id, survey_id=row.survey_id, number=row.number, telegram_user_id=row.telegram_user_id,
        chat_id=row.chat_id, channel=Channel(row.channel), language=row.language, position=row.position,
        reviewing=row.reviewing, comment=row.comment, screen_message_id=row.screen_message_id,
        joined_at=row.joined_at, last_active_at=row.last_active_at, submitted_at=row.submitted_at,
        reminder_count=row.reminder_count, last_reminded_at=row.last_reminded_at,
        unreachable=row.unreachable,
    )


async def set_screen_message(sessions: Sessions, respondent_id: int, message_id: int) -> None:
    """Remember the message that shows the respondent's current screen (it is edited in place): after
    every /start, so on a bare connection."""
    statement = update(_RESPONDENTS).where(_RESPONDENTS.c.id == respondent_id).values(
        screen_message_id=message_id)
    await in_one_go(sessions, lambda connection: connection.execute(statement))


async def mark_chat_unreachable(sessions: Sessions, chat_id: int) -> None:
    """Telegram refused every message to this chat (403): no more reminders to its respondents."""
    async with sessions.begin() as session:
        await session.execute(
            update(Respondent).where(Respondent.chat_id == chat_id).values(unreachable=True)
        )
