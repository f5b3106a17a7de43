"""A survey's audit trail and its seal: two hash chains per survey.

- Every submitted response gets `respondent.seal` = SHA-256 over the canonical JSON of (survey id,
  respondent number, submitted_at in UTC, its answers sorted by item code with rating or null, its
  comment, the previous response's seal) and its place in the chain (`seal_sequence`), in the
  transaction that submits it.
- Every trail entry (`audit_entry`) gets a hash over (survey id, sequence, time, who, action, details
  as stored, the previous entry's hash).
- `survey_seal` holds both chains' heads and lengths. Writers lock that row (SELECT … FOR UPDATE on
  PostgreSQL; SQLite writes one transaction at a time anyway), so concurrent submissions take turns.
- The survey's seal is the hash over (survey id, response chain head, trail chain head).

`verify` recomputes both chains and names what was altered, removed or inserted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update

from bot.adapters.storage.engine import Sessions, in_one_go
from bot.adapters.storage.tables import Answer, AuditEntry, Respondent, SurveySeal
from bot.adapters.storage.upsert import dialect_name, upsert_statement

_RESPONDENTS: Table = Respondent.__table__  # type: ignore[assignment]
_ANSWERS: Table = Answer.__table__  # type: ignore[assignment]
_ENTRIES: Table = AuditEntry.__table__  # type: ignore[assignment]
_SEALS: Table = SurveySeal.__table__  # type: ignore[assignment]
GENESIS = ""  # the "previous hash" of a chain's first link


def canonical(value: Any) -> str:
    """JSON with sorted keys, no spaces, UTF-8 text as is: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha256(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def response_hash(survey_id: int, number: int, submitted_at: dt.datetime,
                  answers: Iterable[tuple[str, int | None]], comment: str | None, previous: str | None) -> str:
    return _sha256({
        "survey": survey_id, "respondent": number, "submitted_at": utc_text(submitted_at),
        "answers": [[code, rating] for code, rating in sorted(answers)], "comment": comment,
        "previous": previous or GENESIS,
    })


def entry_hash(survey_id: int, sequence: int, at: dt.datetime, who: str, action: str, details: str,
               previous: str | None) -> str:
    return _sha256({"survey": survey_id, "sequence": sequence, "at": utc_text(at), "who": who,
                    "action": action, "details": details, "previous": previous or GENESIS})


def survey_seal(survey_id: int, response_head: str | None, log_head: str | None) -> str:
    return _sha256({"survey": survey_id, "responses": response_head or GENESIS, "log": log_head or GENESIS})


def _locked_heads(connection: Connection, survey_id: int) -> Any:
    """The survey's chain heads, locked until the transaction ends (created when missing)."""
    connection.execute(upsert_statement(dialect_name(connection), SurveySeal, ("survey_id",), ()),
                       {"survey_id": survey_id, "responses": 0, "entries": 0})
    return connection.execute(select(_SEALS).where(_SEALS.c.survey_id == survey_id).with_for_update()).one()


def seal_response(connection: Connection, respondent_id: int) -> str:
    """Chain a just-submitted response to its survey's previous one (call in the submitting
    transaction, after its answers, comment and submitted_at are final); its seal."""
    respondent = connection.execute(
        select(_RESPONDENTS.c.survey_id, _RESPONDENTS.c.number, _RESPONDENTS.c.submitted_at,
               _RESPONDENTS.c.comment).where(_RESPONDENTS.c.id == respondent_id)
    ).one()
    heads = _locked_heads(connection, respondent.survey_id)
    answers = connection.execute(
        select(_ANSWERS.c.item_code, _ANSWERS.c.rating).where(_ANSWERS.c.respondent_id == respondent_id)
    ).all()
    seal = response_hash(respondent.survey_id, respondent.number, respondent.submitted_at,
                         [(code, rating) for code, rating in answers], respondent.comment, heads.response_head)
    sequence = heads.responses + 1
    connection.execute(update(_RESPONDENTS).where(_RESPONDENTS.c.id == respondent_id)
                       .values(seal=seal, seal_sequence=sequence))
    connection.execute(update(_SEALS).where(_SEALS.c.survey_id == respondent.survey_id)
                       .values(responses=sequence, response_head=seal))
    return seal


def append_entry(connection: Connection, survey_id: int, who: str, action: str, details: Mapping[str, Any],
                 now: dt.datetime) -> int:
    """Append one trail entry to the survey's log (in the caller's transaction); its id."""
    heads = _locked_heads(connection, survey_id)
    sequence, text = heads.entries + 1, canonical(dict(details))
    digest = entry_hash(survey_id, sequence, now, who, action, text, heads.log_head)
    entry_id = connection.execute(
        insert(_ENTRIES).values(survey_id=survey_id, sequence=sequence, at=now, who=who, action=action,
                                details=text, hash=digest).returning(_ENTRIES.c.id)
    ).scalar_one()
    connection.execute(update(_SEALS).where(_SEALS.c.survey_id == survey_id)
                       .values(entries=sequence, log_head=digest))
    return entry_id


async def record(sessions: Sessions, survey_id: int, who: str, action: str, details: Mapping[str, Any],
                 now: dt.datetime) -> int:
    """Append one trail entry in a transaction of its own; its id."""
    return await in_one_go(sessions, append_entry, survey_id, who, action, details, now)


@dataclass(frozen=True)
class EntryRecord:
    id: int
    sequence: int
    at: dt.datetime
    who: str
    action: str
    details: dict[str, Any]


async def entries(sessions: Sessions, survey_id: int) -> list[EntryRecord]:
    """The survey's trail, oldest first."""
    def read(connection: Connection) -> list[EntryRecord]:
        rows = connection.execute(select(_ENTRIES).where(_ENTRIES.c.survey_id == survey_id)
                                  .order_by(_ENTRIES.c.sequence, _ENTRIES.c.id)).all()
        return [EntryRecord(row.id, row.sequence, row.at, row.who, row.action, _details(row.details))
                for row in rows]
    return await in_one_go(sessions, read)


def _details(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {"unreadable": text}
    return value if isinstance(value, dict) else {"value": value}


@dataclass(frozen=True)
class Verification:
    """What `verify` found: the problems (empty when both chains are intact) and the seal as stored."""

    problems: list[str]
    responses: int
    entries: int
    seal: str

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class SealRecord:
    """The survey's seal from its stored chain heads (not recomputed: see `verify`), and the lengths of
    its response chain and trail chain."""

    seal: str
    responses: int
    entries: int


async def current_seal(sessions: Sessions, survey_id: int) -> SealRecord:
    """One row read, however many responses: what a file made now records as the survey's seal."""
    def read(connection: Connection) -> SealRecord:
        heads = connection.execute(select(_SEALS).where(_SEALS.c.survey_id == survey_id)).first()
        if heads is None:
            return SealRecord(survey_seal(survey_id, None, None), 0, 0)
        return SealRecord(survey_seal(survey_id, heads.response_head, heads.log_head), heads.responses,
                          heads.entries)
    return await in_one_go(sessions, read)


async def verify(sessions: Sessions, survey_id: int) -> Verification:
    """Recompute the survey's response chain and trail chain from the rows as they are now."""
    return await in_one_go(sessions, _verify, survey_id)


def _verify(connection: Connection, survey_id: int) -> Verification:
    heads = connection.execute(select(_SEALS).where(_SEALS.c.survey_id == survey_id)).first()
    responses, response_head = (heads.responses, heads.response_head) if heads else (0, None)
    entry_count, log_head = (heads.entries, heads.log_head) if heads else (0, None)
    problems = _verify_responses(connection, survey_id, responses, response_head)
    problems += _verify_entries(connection, survey_id, entry_count, log_head)
    return Verification(problems, responses, entry_count, survey_seal(survey_id, response_head, log_head))


@dataclass(frozen=True)
class _Link:
    name: str  # how a report names it: "respondent 4", "log entry 17"
    sequence: int | None
    stored: str | None
    content: Any  # what the hash is recomputed from, but the previous hash


def _verify_responses(connection: Connection, survey_id: int, length: int, head: str | None) -> list[str]:
    rows = connection.execute(
        select(_RESPONDENTS.c.id, _RESPONDENTS.c.number, _RESPONDENTS.c.submitted_at, _RESPONDENTS.c.comment,
               _RESPONDENTS.c.seal, _RESPONDENTS.c.seal_sequence)
        .where(_RESPONDENTS.c.survey_id == survey_id,
               (_RESPONDENTS.c.submitted_at.is_not(None)) | (_RESPONDENTS.c.seal.is_not(None)))
    ).all()
    answers: dict[int, list[tuple[str, int | None]]] = {}
    for respondent_id, code, rating in connection.execute(
        select(_ANSWERS.c.respondent_id, _ANSWERS.c.item_code, _ANSWERS.c.rating)
        .join(_RESPONDENTS, _RESPONDENTS.c.id == _ANSWERS.c.respondent_id)
        .where(_RESPONDENTS.c.survey_id == survey_id, _RESPONDENTS.c.submitted_at.is_not(None))
    ):
        answers.setdefault(respondent_id, []).append((code, rating))
    problems, links = [], []
    for row in rows:
        name = f"respondent {row.number}"
        if row.submitted_at is None:
            problems.append(f"{name}: sealed as submitted, but its submission time was removed (altered)")
            continue
        links.append(_Link(name, row.seal_sequence, row.seal,
                           (row.number, row.submitted_at, answers.get(row.id, []), row.comment)))

    def recompute(link: _Link, previous: str | None) -> str:
        number, submitted_at, rated, comment = link.content
        return response_hash(survey_id, number, submitted_at, rated, comment, previous)

    return problems + _verify_chain(links, length, head, "response", recompute,
                                    "its answers, comment or submission time were altered")


def _verify_entries(connection: Connection, survey_id: int, length: int, head: str | None) -> list[str]:
    rows = connection.execute(select(_ENTRIES).where(_ENTRIES.c.survey_id == survey_id)).all()
    links = [_Link(f"log entry {row.id} ({row.action})", row.sequence, row.hash,
                   (row.sequence, row.at, row.who, row.action, row.details)) for row in rows]

    def recompute(link: _Link, previous: str | None) -> str:
        sequence, at, who, action, details = link.content
        return entry_hash(survey_id, sequence, at, who, action, details, previous)

    return _verify_chain(links, length, head, "log entry", recompute, "its time, who, action or details were altered")


def _verify_chain(links: list[_Link], length: int, head: str | None, kind: str, recompute: Any,
                  altered: str) -> list[str]:
    """Walk a chain in sequence order: unsealed or out-of-range links were inserted, missing positions
    removed, a link whose recomputed hash differs from its stored one altered."""
    problems: list[str] = []
    by_position: dict[int, list[_Link]] = {}
    for link in links:
        if link.sequence is None or link.stored is None:
            problems.append(f"{link.name}: not in the chain (inserted)")
        elif not 1 <= link.sequence <= length:
            problems.append(f"{link.name}: at chain position {link.sequence}, beyond the chain's {length} "
                            f"{kind}s (inserted)")
        else:
            by_position.setdefault(link.sequence, []).append(link)
    previous: _Link | None = None
    for position in range(1, length + 1):
        found = by_position.get(position, [])
        if not found:
            after = f" after {previous.name}" if previous else " at the start"
            problems.append(f"{kind} {position} of the chain is missing{after} (removed)")
            previous = None
            continue
        for extra in found[1:]:
            problems.append(f"{extra.name}: shares chain position {position} with {found[0].name} (inserted)")
        link = found[0]
        if position > 1 and previous is None:
            previous = link  # its predecessor is gone: its own hash cannot be checked
            continue
        if recompute(link, previous.stored if previous else None) != link.stored:
            problems.append(f"{link.name}: {altered} (hash differs)")
        previous = link
    if length and previous is not None and previous.stored != head:
        problems.append(f"the last {kind} ({previous.name}) is not the chain head (altered)")
    return problems
