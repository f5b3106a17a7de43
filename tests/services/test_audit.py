"""The audit trail and the seal (bot/services/audit.py, bot/adapters/storage/audit.py): each hooked
action lands in the trail with who, when and what; `verify` passes on an untouched survey and names a
response or log entry altered, removed or inserted by raw SQL; `surveybot survey verify|log`.
On SQLite, and on PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from answering import answer, submit
from sqlalchemy import text
from typer.testing import CliRunner

from bot.adapters import storage
from bot.adapters.storage.tables import SurveyStatus
from bot.cli import app as cli_app
from bot.services import audit, new_survey
from bot.services.buttons import MATURITY, SURVEY_STATUS, pack
from conversations.new_survey import SurveyRequest

from .conftest import ADMIN_ID

T0 = dt.datetime(2026, 5, 1, 2, 0, tzinfo=dt.UTC)
ITEMS = ("1.1", "1.2", "2.1")


async def _survey(sessions: storage.Sessions) -> storage.SurveyRecord:
    return await storage.create_survey(sessions, spec_id="TBSC120", organization="Harbour Services",
                                       timezone="Asia/Shanghai", now=T0, created_by=ADMIN_ID)


async def _respond(sessions: storage.Sessions, survey_id: int, user_id: int, ratings: tuple[int | None, ...],
                   minutes: int) -> storage.RespondentRecord:
    now = T0 + dt.timedelta(minutes=minutes)
    respondent = await storage.join(sessions, survey_id, user_id, user_id, "en", now)
    for code, rating in zip(ITEMS, ratings, strict=True):
        assert await answer(sessions, respondent.id, code, rating, now)  # type: ignore[arg-type]
    assert await submit(sessions, respondent.id, now + dt.timedelta(seconds=30))
    return respondent


async def _sql(sessions: storage.Sessions, statement: str, **parameters: object) -> None:
    async with sessions.begin() as session:
        await session.execute(text(statement), parameters)


async def _three_responses(sessions: storage.Sessions) -> tuple[storage.SurveyRecord, list[storage.RespondentRecord]]:
    survey = await _survey(sessions)
    await audit.record(sessions, survey.id, audit.CLI, audit.CREATED, {"code": survey.code}, T0)
    respondents = [await _respond(sessions, survey.id, 100 + n, (4, None, 5 - n), n) for n in range(3)]
    await audit.record(sessions, survey.id, ADMIN_ID, audit.CLOSED, {"status": "closed"}, T0)
    return survey, respondents


async def test_the_bot_records_create_close_reopen_co_lead_and_maturity_with_who_when_what(app, chat, messenger):
    sessions, deps = app.database.sessions, app.engine.deps
    deps.clock = lambda: T0
    lead = chat(ADMIN_ID)
    await new_survey._create(deps, lead.sender, SurveyRequest("TBSC120", "Harbour Services", 20, None), None)
    survey = (await storage.list_surveys(sessions))[0].survey

    await lead.press_data(pack(SURVEY_STATUS, survey.id, "close"), 1)
    await lead.press_data(pack(SURVEY_STATUS, survey.id, "close"), 1)  # already closed: nothing to record
    await lead.press_data(pack(SURVEY_STATUS, survey.id, "open"), 1)
    await lead.say(f"/addlead {survey.code}")
    link_code = re.search(r"start=(lead_\S+)", lead.screen.text).group(1)
    co_lead = chat(5151)
    await co_lead.say(f"/start {link_code}")
    await co_lead.press_data(pack(MATURITY, survey.id, "r0", "l:3"), 1)
    await co_lead.press_data(pack(MATURITY, survey.id, "r0", "l:3"), 1)  # the same level again: no change
    await lead.press_data(pack(MATURITY, survey.id, "r0", "l:5"), 1)

    trail = await audit.trail(sessions, survey.id)
    requirement = trail[4].details["requirement"]
    assert [(entry.who, entry.action, entry.details) for entry in trail] == [
        (str(ADMIN_ID), "created", {"code": survey.code, "spec": "TBSC120", "organization": "Harbour Services",
                                    "opens_at": T0.isoformat(), "closes_at": None, "target": 20}),
        (str(ADMIN_ID), "closed", {"status": "closed"}),
        (str(ADMIN_ID), "opened", {"status": "open"}),
        ("5151", "lead added", {"lead": 5151, "role": "co-lead"}),
        ("5151", "maturity rated", {"requirement": requirement, "old": None, "new": 3}),
        (str(ADMIN_ID), "maturity rated", {"requirement": requirement, "old": 3, "new": 5}),
    ]
    assert all(entry.at == T0 for entry in trail)
    assert [entry.sequence for entry in trail] == [1, 2, 3, 4, 5, 6]
    assert (await audit.verify_survey(sessions, survey.id)).intact


async def test_an_untouched_survey_verifies_and_its_seal_depends_on_both_chains(database):
    sessions = database.sessions
    survey, _ = await _three_responses(sessions)
    paper = await storage.add_paper_respondent(sessions, survey.id, {"1.1": 2, "1.2": 3, "2.1": None}, T0)
    found = await audit.verify_survey(sessions, survey.id)
    assert found.problems == [] and found.responses == 4 and found.entries == 2
    sealed = await _scalar(sessions, "SELECT seal_sequence FROM respondent WHERE id = :id", id=paper.id)
    assert sealed == 4  # paper responses join the chain too
    await audit.record(sessions, survey.id, audit.CLI, audit.PURGED, {"respondents": 3}, T0)
    later = await audit.verify_survey(sessions, survey.id)
    assert later.intact and later.seal != found.seal and re.fullmatch(r"[0-9a-f]{64}", later.seal)


async def _scalar(sessions: storage.Sessions, statement: str, **parameters: object) -> object:
    async with sessions() as session:
        return (await session.execute(text(statement), parameters)).scalar()


async def test_an_edited_answer_is_named_by_its_respondent_number(database):
    sessions = database.sessions
    survey, respondents = await _three_responses(sessions)
    await _sql(sessions, "UPDATE answer SET rating = 1 WHERE respondent_id = :id AND item_code = '1.1'",
               id=respondents[1].id)
    found = await audit.verify_survey(sessions, survey.id)
    assert found.problems == [f"respondent {respondents[1].number}: its answers, comment or submission time were "
                              "altered (hash differs)"]


async def test_an_edited_comment_or_submission_time_is_caught_too(database):
    sessions = database.sessions
    survey, respondents = await _three_responses(sessions)
    await _sql(sessions, "UPDATE respondent SET comment = 'great' WHERE id = :id", id=respondents[0].id)
    problems = (await audit.verify_survey(sessions, survey.id)).problems
    assert len(problems) == 1 and problems[0].startswith("respondent 1: ")


async def test_a_deleted_response_is_reported_as_removed(database):
    sessions = database.sessions
    survey, respondents = await _three_responses(sessions)
    await _sql(sessions, "DELETE FROM respondent WHERE id = :id", id=respondents[1].id)
    found = await audit.verify_survey(sessions, survey.id)
    assert found.problems == ["response 2 of the chain is missing after respondent 1 (removed)"]


async def test_a_deleted_last_response_is_reported_as_removed(database):
    sessions = database.sessions
    survey, respondents = await _three_responses(sessions)
    await _sql(sessions, "DELETE FROM respondent WHERE id = :id", id=respondents[2].id)
    assert (await audit.verify_survey(sessions, survey.id)).problems == [
        "response 3 of the chain is missing after respondent 2 (removed)"]


async def test_an_inserted_fake_response_is_named(database):
    sessions = database.sessions
    survey, _ = await _three_responses(sessions)
    await _sql(sessions, "INSERT INTO respondent (survey_id, number, channel, language, position, reviewing, "
               "joined_at, last_active_at, submitted_at, reminder_count, unreachable) VALUES (:survey, 9, 'paper', "
               "'zh', 'done', false, :at, :at, :at, 0, false)", survey=survey.id, at=T0.replace(tzinfo=None))
    assert (await audit.verify_survey(sessions, survey.id)).problems == [
        "respondent 9: not in the chain (inserted)"]
    # a forger who also fills in a seal and a place in the chain is caught all the same
    await _sql(sessions, "UPDATE respondent SET seal = :seal, seal_sequence = 4 WHERE number = 9", seal="0" * 64)
    assert (await audit.verify_survey(sessions, survey.id)).problems == [
        "respondent 9: at chain position 4, beyond the chain's 3 responses (inserted)"]
    await _sql(sessions, "UPDATE respondent SET seal_sequence = 2 WHERE number = 9")
    problems = (await audit.verify_survey(sessions, survey.id)).problems
    assert len(problems) == 1 and "respondent 9" in problems[0] and "(inserted)" in problems[0]


async def test_an_edited_log_entry_is_named_by_its_id(database):
    sessions = database.sessions
    survey, _ = await _three_responses(sessions)
    closed = (await audit.trail(sessions, survey.id))[1]
    await _sql(sessions, "UPDATE audit_entry SET who = 'cli' WHERE id = :id", id=closed.id)
    assert (await audit.verify_survey(sessions, survey.id)).problems == [
        f"log entry {closed.id} (closed): its time, who, action or details were altered (hash differs)"]


async def test_a_deleted_or_inserted_log_entry_is_named(database):
    sessions = database.sessions
    survey, _ = await _three_responses(sessions)
    created, closed = await audit.trail(sessions, survey.id)
    await _sql(sessions, "DELETE FROM audit_entry WHERE id = :id", id=closed.id)
    await _sql(sessions, "INSERT INTO audit_entry (survey_id, sequence, at, who, action, details, hash) "
               "VALUES (:survey, 7, :at, 'cli', 'opened', '{}', :hash)", survey=survey.id,
               at=T0.replace(tzinfo=None), hash="f" * 64)
    problems = (await audit.verify_survey(sessions, survey.id)).problems
    assert problems[0].startswith("log entry ") and "(opened): at chain position 7" in problems[0]
    assert problems[1] == f"log entry 2 of the chain is missing after log entry {created.id} (created) (removed)"


async def test_concurrent_submissions_chain_one_after_another(database):
    import asyncio

    sessions = database.sessions
    survey = await _survey(sessions)
    await asyncio.gather(*(_respond(sessions, survey.id, 300 + n, (3, 3, 3), 0) for n in range(8)))
    found = await audit.verify_survey(sessions, survey.id)
    assert found.intact and found.responses == 8


@pytest.fixture
def cli_env(database_url: str, database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "TELEGRAM_API_URL", "SPECS_DIR", "ADMIN_IDS"):
        monkeypatch.delenv(name, raising=False)
    return {"DATABASE_URL": database_url, "BOT_USERNAME": "audit_bot", "ADMIN_IDS": "111"}


async def test_survey_verify_and_log_on_the_command_line(cli_env, database):
    sessions = database.sessions
    survey, respondents = await _three_responses(sessions)
    await storage.set_status(sessions, survey.id, SurveyStatus.CLOSED)
    runner = CliRunner()

    import asyncio

    def run(*args: str):  # noqa: ANN202 - typer's Result
        return runner.invoke(cli_app, list(args), env=cli_env)

    result = await asyncio.to_thread(run, "survey", "purge", survey.code)
    assert result.exit_code == 0, result.output
    result = await asyncio.to_thread(run, "survey", "verify", survey.code)
    assert result.exit_code == 0 and "intact (3 sealed responses, 3 log entries)" in result.output
    result = await asyncio.to_thread(run, "survey", "log", survey.code)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Audit trail of survey {survey.code} (Harbour Services), times in Asia/Shanghai:"
    assert lines[1].endswith(f"2026-05-01 10:00:00 cli created: code={survey.code}")
    assert lines[3].endswith("cli purged: respondents=3")
    assert lines[-1].startswith("Seal: ") and lines[-1].endswith("intact)")

    await _sql(sessions, "UPDATE answer SET rating = 2 WHERE respondent_id = :id AND item_code = '2.1'",
               id=respondents[2].id)
    result = await asyncio.to_thread(run, "survey", "verify", survey.code)
    assert result.exit_code == 1 and "respondent 3: its answers" in result.output
    assert (await asyncio.to_thread(run, "survey", "verify", "nosuch")).exit_code == 2


async def test_survey_create_on_the_command_line_is_recorded(cli_env, database):
    import asyncio

    result = await asyncio.to_thread(CliRunner().invoke, cli_app,
                                     ["survey", "create", "--spec", "TBSC120", "--org", "Org A", "--target", "5"],
                                     env=cli_env)
    assert result.exit_code == 0, result.output
    survey = (await storage.list_surveys(database.sessions))[0].survey
    (entry,) = await audit.trail(database.sessions, survey.id)
    assert (entry.who, entry.action, entry.details["lead"], entry.details["target"]) == ("cli", "created", 111, 5)


async def test_responses_submitted_before_the_migration_are_sealed_by_it(database_url):
    from bot.adapters.storage import Database, drop_schema, make_engine, make_sessions
    from bot.adapters.storage.migrate import upgrade_database

    engine = make_engine(database_url)
    await drop_schema(engine)
    await upgrade_database(engine, "0005")
    at = T0.replace(tzinfo=None) if engine.dialect.name == "sqlite" else T0
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO survey (id, code, spec_id, organization, status, opens_at, timezone, created_at, "
            "first_reminder_after_hours, reminder_every_hours, max_reminders, reminder_window_start_hour, "
            "reminder_window_end_hour, digest_enabled, target_reached_notified) VALUES (1, 'old', 'TBSC120', "
            "'Old Org', 'open', :at, 'Asia/Shanghai', :at, 24, 48, 2, 9, 20, true, false)"), {"at": at})
        for number in (1, 2):
            await connection.execute(text(
                "INSERT INTO respondent (id, survey_id, number, channel, language, position, reviewing, comment, "
                "joined_at, last_active_at, submitted_at, reminder_count, unreachable) VALUES (:n, 1, :n, "
                "'paper', 'zh', 'done', false, :comment, :at, :at, :at, 0, false)"),
                {"n": number, "at": at, "comment": "好" if number == 2 else None})
            for code, rating in (("1.1", number), ("1.2", None)):
                await connection.execute(text(
                    "INSERT INTO answer (respondent_id, item_code, rating, answered_at) VALUES (:n, :code, "
                    ":rating, :at)"), {"n": number, "code": code, "rating": rating, "at": at})
    await upgrade_database(engine)
    database = Database(engine, make_sessions(engine))
    try:
        found = await audit.verify_survey(database.sessions, 1)
        assert found.intact and found.responses == 2
        await _respond(database.sessions, 1, 777, (5, 5, 5), 1)  # the chain goes on from there
        assert (await audit.verify_survey(database.sessions, 1)).responses == 3
        assert (await audit.verify_survey(database.sessions, 1)).intact
    finally:
        await database.close()
