"""Web links of a survey: its public page, and single-use personal links issued in batches.

A personal link admits one response: the first browser that starts the survey with it takes it, and
it shows anyone else a clear "already used" page. Only the hash of a link's token is stored, so the
CSV handed out is the one place the links exist. Each batch is written to the survey's audit trail
(how many, by whom), from the CLI and from the lead's button alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from bot.adapters import storage
from bot.adapters.storage import Sessions
from bot.adapters.storage import web as web_storage
from bot.services import audit
from bot.services.web_survey import new_token, token_hash

MAX_LINKS_AT_ONCE = 10_000
LINKS_ISSUED = "personal links issued"  # the audit trail's action


class UnknownSurvey(LookupError):
    """No survey has this invite code."""


def survey_url(base_url: str, code: str) -> str:
    """The survey's public web page."""
    return f"{base_url.rstrip('/')}/s/{code}"


def personal_link_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/p/{token}"


async def issue_links(sessions: Sessions, code: str, count: int, base_url: str, now: dt.datetime,
                      who: int | str = audit.CLI) -> list[str]:
    """`count` new personal links of the survey with invite code `code` (UnknownSurvey if none), issued
    by `who` (a Telegram id, or "cli")."""
    if not 1 <= count <= MAX_LINKS_AT_ONCE:
        raise ValueError(f"count must be 1 to {MAX_LINKS_AT_ONCE}")
    survey = await storage.survey_by_code(sessions, code)
    if survey is None:
        raise UnknownSurvey(code)
    tokens = [new_token() for _ in range(count)]
    await web_storage.add_personal_links(sessions, survey.id, [token_hash(token) for token in tokens], now)
    await audit.record(sessions, survey.id, who, LINKS_ISSUED, {"count": count}, now)
    return [personal_link_url(base_url, token) for token in tokens]


def links_csv(links: list[str]) -> str:
    """A CSV of numbered links (`number,link`), for a mail merge or printed slips."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["number", "link"])
    writer.writerows((number, link) for number, link in enumerate(links, start=1))
    return out.getvalue()
