"""Surveys, leads and maturity ratings on a real database."""

from __future__ import annotations

import datetime as dt
import re

from answering import answer, submit

from bot.adapters import storage
from bot.adapters.storage import Database, LeadRole, SurveyStatus

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
INVITE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ADMIN, LEAD, STRANGER = 1, 2, 3


async def new_survey(database: Database, **changes: object) -> storage.SurveyRecord:
    arguments: dict[str, object] = {"spec_id": "tbsc120", "organization": " 城市管家公司 ",
                                    "timezone": "Asia/Shanghai", "now": T0}
    return await storage.create_survey(database.sessions, **(arguments | changes))


async def test_a_new_survey_is_open_and_found_by_its_invite_code(database: Database) -> None:
    closes = T0 + dt.timedelta(days=14)
    survey = await new_survey(database, target=30, closes_at=closes)

    assert INVITE_CODE.match(survey.code)
    assert len(survey.code) >= 16
    found = await storage.survey_by_code(database.sessions, survey.code)
    assert found == survey
    assert (found.spec_id, found.organization, found.status) == ("TBSC120", "城市管家公司", SurveyStatus.OPEN)
    assert (found.opens_at, found.closes_at, found.target) == (T0, closes, 30)
    assert found.reminders == storage.ReminderPolicy(24, 48, 2, 9, 20)
    assert await storage.survey_by_code(database.sessions, "no-such-code") is None
    assert await storage.survey_by_id(database.sessions, survey.id) == survey


async def test_invite_codes_differ_between_surveys(database: Database) -> None:
    codes = {(await new_survey(database)).code for _ in range(5)}
    assert len(codes) == 5
    assert all(INVITE_CODE.match(storage.new_invite_code()) for _ in range(200))


async def test_closing_and_reopening_a_survey(database: Database) -> None:
    survey = await new_survey(database)
    assert await storage.set_status(database.sessions, survey.id, SurveyStatus.CLOSED) is True
    assert await storage.set_status(database.sessions, survey.id, SurveyStatus.CLOSED) is False
    assert (await storage.survey_by_id(database.sessions, survey.id)).status is SurveyStatus.CLOSED
    assert await storage.set_status(database.sessions, survey.id, SurveyStatus.OPEN) is True


async def test_the_target_notice_is_claimed_once(database: Database) -> None:
    survey = await new_survey(database, target=2)
    assert await storage.claim_target_notice(database.sessions, survey.id) is True
    assert await storage.claim_target_notice(database.sessions, survey.id) is False


async def test_list_counts_joined_started_and_submitted(database: Database) -> None:
    survey = await new_survey(database)
    quiet = await new_survey(database, organization="Quiet Ltd", now=T0 + dt.timedelta(hours=1))
    idle = await storage.join(database.sessions, survey.id, 10, 10, "zh", T0)
    answering = await storage.join(database.sessions, survey.id, 11, 11, "zh", T0)
    done = await storage.join(database.sessions, survey.id, 12, 12, "zh", T0)
    await answer(database.sessions, answering.id, "1.1", 4, T0)
    await answer(database.sessions, done.id, "1.1", 5, T0)
    await submit(database.sessions, done.id, T0)
    assert idle.number == 1

    rows = await storage.list_surveys(database.sessions)

    assert [row.survey.code for row in rows] == [quiet.code, survey.code]  # newest first
    busy = rows[1].progress
    assert (busy.joined, busy.started, busy.submitted) == (3, 1, 1)
    assert (rows[0].progress.joined, rows[0].progress.started, rows[0].progress.submitted) == (0, 0, 0)
    assert await storage.progress_counts(database.sessions, survey.id) == storage.ProgressCounts(3, 1, 1)


async def test_a_lead_sees_only_their_surveys_and_admins_lead_all(database: Database) -> None:
    own = await new_survey(database, created_by=LEAD)
    other = await new_survey(database, organization="Other Ltd")

    assert [row.survey.id for row in await storage.list_surveys(database.sessions, LEAD)] == [own.id]
    assert await storage.is_lead(database.sessions, own.id, LEAD, admin_ids={ADMIN})
    assert not await storage.is_lead(database.sessions, other.id, LEAD, admin_ids={ADMIN})
    assert await storage.is_lead(database.sessions, other.id, ADMIN, admin_ids={ADMIN})
    assert not await storage.is_lead(database.sessions, own.id, STRANGER, admin_ids={ADMIN})


async def test_adding_a_lead_twice_keeps_the_first_role(database: Database) -> None:
    survey = await new_survey(database, created_by=LEAD)
    assert await storage.add_lead(database.sessions, survey.id, LEAD, LeadRole.CO_LEAD, T0) is False
    assert await storage.add_lead(database.sessions, survey.id, STRANGER, LeadRole.CO_LEAD, T0) is True

    leads = await storage.leads_of(database.sessions, survey.id)
    assert [(lead.telegram_user_id, lead.role) for lead in leads] == [
        (LEAD, LeadRole.OWNER), (STRANGER, LeadRole.CO_LEAD)
    ]


async def test_a_lead_invite_works_once(database: Database) -> None:
    survey = await new_survey(database, created_by=LEAD)
    code = await storage.create_lead_invite(database.sessions, survey.id, LEAD, T0)

    assert INVITE_CODE.match(code)
    assert await storage.redeem_lead_invite(database.sessions, code, STRANGER, T0) == survey.id
    assert await storage.redeem_lead_invite(database.sessions, code, 99, T0) is None
    assert await storage.redeem_lead_invite(database.sessions, "unknown", 99, T0) is None
    assert await storage.is_lead(database.sessions, survey.id, STRANGER, admin_ids=())
    assert not await storage.is_lead(database.sessions, survey.id, 99, admin_ids=())


async def test_maturity_levels_are_rated_and_re_rated(database: Database) -> None:
    survey = await new_survey(database)
    other = await new_survey(database)
    await storage.set_level(database.sessions, survey.id, "4.1", 3, LEAD, T0)
    await storage.set_level(database.sessions, survey.id, "4.2", 5, LEAD, T0)
    await storage.set_level(database.sessions, survey.id, "4.1", 4, ADMIN, T0 + dt.timedelta(hours=1))
    await storage.set_level(database.sessions, other.id, "4.1", 1, LEAD, T0)

    assert await storage.levels(database.sessions, survey.id) == {"4.1": 4, "4.2": 5}
    assert await storage.levels(database.sessions, other.id) == {"4.1": 1}


def test_invite_codes_start_with_a_letter_or_digit_so_the_cli_takes_them() -> None:
    assert all(storage.new_invite_code()[0].isalnum() for _ in range(2000))
