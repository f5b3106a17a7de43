"""The Alembic migrations, on a SQLite file or TEST_DATABASE_URL (emptied first): every revision up,
down to nothing and up again; the migrated schema is the models' schema; data survives; a database
made by `create_all` before migrations is adopted; `surveybot db`; MIGRATE_ON_START=false refuses."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from answering import answers_of
from sqlalchemy import CheckConstraint, MetaData, Table, func, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel
from typer.testing import CliRunner

from bot.adapters import storage
from bot.adapters.storage import make_engine, open_database
from bot.adapters.storage.migrate import (
    BASELINE_REVISION,
    MIGRATION_LOCK_KEY,
    MIGRATIONS_DIR,
    SchemaNotCurrent,
    current_revision,
    downgrade_database,
    head_revision,
    upgrade_database,
)
from bot.cli import app
from bot.services.pinned_specs import pinned_spec, register_specs
from bot.services.survey_summary import build_summary
from specs import SpecCatalog, load_catalog
from specs.revisions import revision_of

REVISIONS = [script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()][::-1]
MODEL_TABLES = set(SQLModel.metadata.tables)
NOT_UP_TO_DATE = "The database schema is not up to date: run `surveybot db upgrade`"
SURVEYBOT = [str(Path(sys.executable).with_name("surveybot"))]
MOMENT = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The test database with nothing in it (the SQLite file is new; PostgreSQL's schema is remade)."""
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            await connection.exec_driver_sql("CREATE SCHEMA public")
    try:
        yield engine
    finally:
        await engine.dispose()


async def table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


async def test_every_revision_goes_up_then_down_to_nothing_then_up_again(engine: AsyncEngine) -> None:
    assert REVISIONS[0] == "0001"
    for revision in REVISIONS:
        await upgrade_database(engine, revision)
        assert await current_revision(engine) == revision

    for below in reversed([None, *REVISIONS[:-1]]):
        await downgrade_database(engine, below or "base")
        assert await current_revision(engine) == below
    assert await table_names(engine) == {"alembic_version"}

    await upgrade_database(engine)
    assert await current_revision(engine) == head_revision() == REVISIONS[-1]
    assert await table_names(engine) == MODEL_TABLES | {"alembic_version"}


def differences_from_models(connection: Connection) -> list[object]:
    return compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)


def check_constraint_names(connection: Connection) -> dict[str, set[str | None]]:
    schema = inspect(connection)
    return {name: {check["name"] for check in schema.get_check_constraints(name)} for name in MODEL_TABLES}


async def test_the_migrated_schema_is_the_schema_of_the_models(engine: AsyncEngine) -> None:
    await upgrade_database(engine)
    async with engine.connect() as connection:
        differences = await connection.run_sync(differences_from_models)
        checks = await connection.run_sync(check_constraint_names)
    # Tables, columns, types, nullability, indexes, unique constraints and foreign keys:
    assert differences == []
    # ...and the CHECK constraints, which compare_metadata does not look at.
    assert checks == {
        table.name: {check.name for check in table.constraints if isinstance(check, CheckConstraint)}
        for table in SQLModel.metadata.sorted_tables
    }


def insert_survey_with_an_answer(connection: Connection) -> None:
    """A survey, a submitted respondent and one answer, in the columns of revision 0001."""
    tables = MetaData()
    survey, respondent, answer = (Table(name, tables, autoload_with=connection)
                                  for name in ("survey", "respondent", "answer"))
    survey_id = connection.execute(survey.insert().values(
        code="OLD-SURVEY", spec_id="TBSC120", organization="城市管家公司", status="open", opens_at=MOMENT,
        timezone="Asia/Shanghai", created_at=MOMENT, first_reminder_after_hours=24, reminder_every_hours=48,
        max_reminders=2, reminder_window_start_hour=9, reminder_window_end_hour=20, digest_enabled=True,
        target_reached_notified=False,
    )).inserted_primary_key[0]
    respondent_id = connection.execute(respondent.insert().values(
        survey_id=survey_id, number=1, telegram_user_id=5_000_000_001, chat_id=5_000_000_001,
        channel="telegram", language="zh", position="done", reviewing=False, joined_at=MOMENT,
        last_active_at=MOMENT, submitted_at=MOMENT, reminder_count=0, unreachable=False,
    )).inserted_primary_key[0]
    connection.execute(answer.insert().values(
        respondent_id=respondent_id, item_code="1.1", rating=4, answered_at=MOMENT))


def row_counts(connection: Connection) -> dict[str, int]:
    tables = MetaData()
    counts = {}
    for name in ("survey", "respondent", "answer"):
        table = Table(name, tables, autoload_with=connection)
        counts[name] = connection.scalar(select(func.count()).select_from(table))
    return counts


async def test_rows_written_at_the_first_revision_survive_every_upgrade_and_downgrade(
        engine: AsyncEngine) -> None:
    await upgrade_database(engine, BASELINE_REVISION)
    async with engine.begin() as connection:
        await connection.run_sync(insert_survey_with_an_answer)

    await upgrade_database(engine)
    await downgrade_database(engine, BASELINE_REVISION)  # e.g. SQLite batch mode copies tables
    await upgrade_database(engine)

    async with engine.connect() as connection:
        assert await connection.run_sync(row_counts) == {"survey": 1, "respondent": 1, "answer": 1}


async def test_a_database_made_before_migrations_is_stamped_at_0001_then_migrated_with_its_data(
        engine: AsyncEngine, database_url: str) -> None:
    # What `create_all` made before migrations existed: the 0001 tables and no alembic_version.
    await upgrade_database(engine, BASELINE_REVISION)
    async with engine.begin() as connection:
        await connection.run_sync(insert_survey_with_an_answer)
        await connection.exec_driver_sql("DROP TABLE alembic_version")

    database = await open_database(database_url)
    try:
        survey = await storage.survey_by_code(database.sessions, "OLD-SURVEY")
        assert survey is not None and survey.organization == "城市管家公司"
        respondent = await storage.respondent_for(database.sessions, survey.id, 5_000_000_001)
        assert respondent is not None
        assert await answers_of(database.sessions, respondent.id) == {"1.1": 4}
        # 0002 counted the response submitted before it; the first summary tallies its total:
        # item 1.1 weighs 5 in TBSC120, rating 4 → α 0.8 → 4.0. This one-answer response leaves the other
        # 18 items without a rating, so the service score is undetermined and names them (DESIGN.md rule 2:
        # an item nobody rated is never counted as 0; before 0004 this summary showed 4.0).
        assert await storage.item_histograms(database.sessions, survey.id) == {"1.1": {4: 1}}
        summary = await build_summary(database.sessions, load_catalog(), survey)
        assert summary.submitted == 1 and summary.scores.items[0].score == 4.0
        assert summary.scores.service_score is None and len(summary.scores.unrated) == 18
        assert await storage.total_stats(database.sessions, survey.id) == (1, 4.0, 16.0)
    finally:
        await database.close()
    assert await current_revision(engine) == head_revision()


async def test_without_migrating_on_start_a_database_behind_the_newest_revision_is_refused(
        engine: AsyncEngine, database_url: str) -> None:
    with pytest.raises(SchemaNotCurrent, match=NOT_UP_TO_DATE.replace("`", ".")):
        await open_database(database_url, migrate=False)
    assert await table_names(engine) <= {"alembic_version"}  # nothing was created

    await upgrade_database(engine)
    database = await open_database(database_url, migrate=False)
    await database.close()


async def test_a_replica_starting_while_another_one_migrates_waits_for_it(
        engine: AsyncEngine, database_url: str) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("replicas share a PostgreSQL database (TEST_DATABASE_URL)")
    async with engine.connect() as migrating_replica:
        await migrating_replica.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
        starting = asyncio.create_task(upgrade_database(database_url))
        await asyncio.sleep(1)
        assert not starting.done()
        assert await table_names(engine) == set()
        await migrating_replica.commit()  # the other replica is done: the lock goes with its transaction
    await asyncio.wait_for(starting, timeout=30)
    assert await current_revision(engine) == head_revision()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}


def surveybot(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output.strip()


def test_db_upgrade_on_a_fresh_file_then_db_current_prints_the_newest_revision(
        cli_env: dict[str, str]) -> None:
    head = head_revision()
    assert surveybot(cli_env, "db", "current") == (
        1, f"none (no migrations applied)\nThe newest revision is {head}: run `surveybot db upgrade`.")
    assert surveybot(cli_env, "db", "upgrade") == (
        0, f"Database upgraded from none (no migrations applied) to {head} (newest).")
    assert surveybot(cli_env, "db", "current") == (0, f"{head} (newest)")
    assert surveybot(cli_env, "db", "upgrade") == (0, f"The database is already at revision {head} (newest).")


def test_db_downgrade_and_upgrade_to_a_named_revision(cli_env: dict[str, str]) -> None:
    assert surveybot(cli_env, "db", "upgrade", "--revision", "0001")[0] == 0
    assert surveybot(cli_env, "db", "current")[1].startswith("0001")
    assert surveybot(cli_env, "db", "downgrade", "base", "--yes") == (
        0, "Database downgraded from 0001 to none (no migrations applied).")


def test_db_commands_answer_a_wrong_revision_in_one_line(cli_env: dict[str, str]) -> None:
    code, output = surveybot(cli_env, "db", "upgrade", "--revision", "9999")
    assert code == 2
    assert output == f"Can't locate revision identified by '9999' (the newest revision is {head_revision()})."


def test_the_bot_does_not_start_on_an_outdated_database_when_migrating_on_start_is_off(
        tmp_path: Path) -> None:
    env = {**os.environ, "BOT_TOKEN": "123456:" + "A" * 35, "MIGRATE_ON_START": "false",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}", "TELEGRAM_API_URL": "http://127.0.0.1:9"}
    finished = subprocess.run([*SURVEYBOT, "run"], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=60)
    assert finished.returncode == 1
    assert finished.stderr.strip().splitlines()[-1] == NOT_UP_TO_DATE  # after the log lines, if any
    assert "Traceback" not in finished.stderr
    assert surveybot({"DATABASE_URL": env["DATABASE_URL"]}, "db", "current")[1].startswith("none")


def test_other_commands_leave_an_outdated_database_alone_when_migrating_on_start_is_off(
        cli_env: dict[str, str]) -> None:
    assert surveybot(cli_env, "db", "upgrade", "--revision", "0001")[0] == 0
    held_back = {**cli_env, "MIGRATE_ON_START": "false"}
    for command in (("survey", "list"), ("export", "NOSUCHCODE", "-o", "x.xlsx")):
        assert surveybot(held_back, *command) == (1, NOT_UP_TO_DATE), command
    assert surveybot(cli_env, "db", "current")[1].startswith("0001")
    assert surveybot(cli_env, "survey", "list")[0] == 0  # migrating on start (the default) upgrades it
    assert surveybot(cli_env, "db", "current") == (0, f"{head_revision()} (newest)")


async def test_not_applicable_answers_go_with_a_downgrade_below_0004_and_the_rest_stays(
        engine: AsyncEngine, database_url: str) -> None:
    """0004 lets answer.rating be NULL ("not applicable"); 0003 has no such answer, so going down deletes
    them (each item's α stays: the old code averages an item over its answers) and keeps the rest."""
    database = await open_database(database_url)
    try:
        survey = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="N/A Co",
                                             timezone="Asia/Shanghai", now=MOMENT)
        answers = {item.code: 4 for item in load_catalog().get("TBSC120").items} | {"1.1": None, "2.1": None}
        await storage.add_paper_respondent(database.sessions, survey.id, answers, MOMENT)
        assert (await storage.item_histograms(database.sessions, survey.id))["1.1"] == {None: 1}
    finally:
        await database.close()

    await downgrade_database(engine, "0003")
    async with engine.connect() as connection:
        assert await connection.run_sync(row_counts) == {"survey": 1, "respondent": 1, "answer": 17}
        assert (await connection.exec_driver_sql("SELECT count(*) FROM item_rating_count WHERE rating = 0")
                ).scalar_one() == 0
    await upgrade_database(engine)
    async with engine.connect() as connection:
        # The pair counts are rebuilt from the 17 answers left: 17 × 16 / 2 = 136 pairs, each rated 4 and 4.
        assert (await connection.exec_driver_sql("SELECT count(*), sum(respondents) FROM item_pair_count")
                ).one() == (136, 136)


async def test_0007_pins_each_existing_survey_to_the_spec_installed_when_it_runs(
        engine: AsyncEngine, database_url: str) -> None:
    await upgrade_database(engine, "0006")
    async with engine.begin() as connection:
        await connection.run_sync(insert_survey_with_an_answer)
        await connection.exec_driver_sql(  # a survey of a spec that is no longer installed
            "INSERT INTO survey (code, spec_id, organization, status, opens_at, timezone, created_at, "
            "first_reminder_after_hours, reminder_every_hours, max_reminders, reminder_window_start_hour, "
            "reminder_window_end_hour, digest_enabled, target_reached_notified) "
            "SELECT 'GONE-SPEC', 'TBSC000', organization, status, opens_at, timezone, created_at, "
            "first_reminder_after_hours, reminder_every_hours, max_reminders, reminder_window_start_hour, "
            "reminder_window_end_hour, digest_enabled, target_reached_notified FROM survey")

    await upgrade_database(engine)
    bundled = load_catalog().get("TBSC120")
    database = await open_database(database_url)
    try:
        old = await storage.survey_by_code(database.sessions, "OLD-SURVEY")
        gone = await storage.survey_by_code(database.sessions, "GONE-SPEC")
        assert (old.spec_sha256, gone.spec_sha256) == (revision_of(bundled).sha256, None)
        nothing_in_memory = SpecCatalog({})
        assert await pinned_spec(database.sessions, nothing_in_memory, old) == bundled  # the stored copy
        assert await pinned_spec(database.sessions, nothing_in_memory, gone) is None
        await register_specs(database.sessions, load_catalog(), MOMENT)  # the bot starts: same hash, no conflict
    finally:
        await database.close()

    await downgrade_database(engine, "0006")
    async with engine.connect() as connection:
        assert await connection.run_sync(row_counts) == {"survey": 2, "respondent": 1, "answer": 1}
        columns = await connection.run_sync(lambda sync: {c["name"] for c in inspect(sync).get_columns("survey")})
    assert "spec_sha256" not in columns and "spec_revision" not in await table_names(engine)
