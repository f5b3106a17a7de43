"""`surveybot db backup PATH`: a consistent copy of a live SQLite database, and the pg_dump commands.

SQLite: customers keep answering and submitting (through the storage functions the bot uses) while
copies are taken on another thread; every copy passes SQLite's integrity check, holds each submitted
response with all its answers, has tallies that agree with those answers (a submission is all or
nothing), and opens with the bot's own storage. The CLI prints how to restore.
PostgreSQL: the commands name the configured database without its password; without pg_dump on PATH
the command stops with one line and exit code 2; on a PostgreSQL test run the printed commands are run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shlex
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from answering import answer, submit
from sqlalchemy import Connection, insert, make_url
from typer.testing import CliRunner

from bot.adapters import backup, storage
from bot.adapters.backup import BackupError, backup_sqlite, postgres_commands, require_tool
from bot.adapters.storage import Database
from bot.adapters.storage.engine import in_one_go
from bot.adapters.storage.tables import Answer, Channel, ItemRatingCount, Respondent
from bot.cli import app
from specs import load_catalog

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ITEMS = [item.code for item in load_catalog().get("TBSC120").items]
PREFILLED = 1000  # submitted paper responses: a copy takes long enough for customers to tap meanwhile
WRITERS = 4
BACKUPS = 5
runner = CliRunner()


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


@pytest.fixture
def sqlite_file(database_url: str, database: Database) -> Path:
    if not _is_sqlite(database_url):
        pytest.skip("SQLite's online backup: this run's database is PostgreSQL (its backup is pg_dump, tested below)")
    return Path(make_url(database_url).database)


# --- SQLite: a copy of a live database --------------------------------------------------------


def _prefill(connection: Connection, survey_id: int) -> None:
    """PREFILLED submitted responses with their answers and tallies, in one transaction."""
    connection.execute(insert(Respondent.__table__), [
        {"survey_id": survey_id, "number": number, "channel": Channel.PAPER, "language": "zh", "position": "done",
         "reviewing": False, "joined_at": T0, "last_active_at": T0, "submitted_at": T0, "reminder_count": 0,
         "unreachable": False}
        for number in range(1, PREFILLED + 1)])
    ids = [row[0] for row in connection.exec_driver_sql(
        "SELECT id FROM respondent WHERE survey_id = ? ORDER BY number", (survey_id,))]
    connection.execute(insert(Answer.__table__), [
        {"respondent_id": respondent_id, "item_code": code, "rating": 1 + (respondent_id + index) % 5,
         "answered_at": T0}
        for respondent_id in ids for index, code in enumerate(ITEMS)])
    counts: dict[tuple[str, int], int] = {}
    for respondent_id in ids:
        for index, code in enumerate(ITEMS):
            key = (code, 1 + (respondent_id + index) % 5)
            counts[key] = counts.get(key, 0) + 1
    connection.execute(insert(ItemRatingCount.__table__), [
        {"survey_id": survey_id, "item_code": code, "rating": rating, "respondents": respondents}
        for (code, rating), respondents in counts.items()])


@dataclass
class Customers:
    """Customers answering and submitting until told to stop; when each submission committed."""

    database: Database
    survey_id: int
    stop: asyncio.Event
    committed_at: list[float] = field(default_factory=list)  # each stored tap
    submitted_at: list[float] = field(default_factory=list)

    async def _tap(self, respondent_id: int, code: str, rating: int) -> None:
        await asyncio.sleep(0)  # each tap is an update of its own: the other customers get their turn
        assert await answer(self.database.sessions, respondent_id, code, rating, T0)
        self.committed_at.append(time.monotonic())

    async def keep_answering(self, first_user: int) -> None:
        user = first_user
        while not self.stop.is_set():
            user += WRITERS
            respondent = await storage.join(self.database.sessions, self.survey_id, user, user, "zh", T0)
            for index, code in enumerate(ITEMS):
                await self._tap(respondent.id, code, 1 + (user + index) % 5)
            await self._tap(respondent.id, ITEMS[0], 5)  # a changed mind
            await asyncio.sleep(0)
            assert await submit(self.database.sessions, respondent.id, T0)
            self.submitted_at.append(time.monotonic())
            self.committed_at.append(self.submitted_at[-1])


def _check_copy(path: Path) -> int:
    """Assert the copy is consistent; the number of submitted responses it holds."""
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
        incomplete = copy.execute(
            "SELECT r.id, count(a.id) FROM respondent r LEFT JOIN answer a ON a.respondent_id = r.id "
            "WHERE r.submitted_at IS NOT NULL GROUP BY r.id HAVING count(a.id) != ?", (len(ITEMS),)).fetchall()
        assert incomplete == []
        from_answers = copy.execute(
            "SELECT a.item_code, a.rating, count(*) FROM answer a JOIN respondent r ON r.id = a.respondent_id "
            "WHERE r.submitted_at IS NOT NULL GROUP BY a.item_code, a.rating").fetchall()
        tallies = copy.execute("SELECT item_code, rating, respondents FROM item_rating_count").fetchall()
        assert sorted(tallies) == sorted(from_answers)  # every submission counted exactly as far as it is there
        return copy.execute("SELECT count(*) FROM respondent WHERE submitted_at IS NOT NULL").fetchone()[0]


async def test_copies_taken_while_customers_submit_are_consistent(
        sqlite_file: Path, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copying: list[tuple[float, float]] = []  # when SQLite's backup step of each copy ran
    copy = backup._copy

    def timed_copy(source: Path, partial: Path) -> None:
        started = time.monotonic()
        copy(source, partial)
        copying.append((started, time.monotonic()))

    monkeypatch.setattr(backup, "_copy", timed_copy)
    survey = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="城市管家公司",
                                         timezone="Asia/Shanghai", now=T0)
    await in_one_go(database.sessions, _prefill, survey.id)
    customers = Customers(database, survey.id, asyncio.Event())
    writers = [asyncio.create_task(customers.keep_answering(first)) for first in range(1, WRITERS + 1)]
    while len(customers.submitted_at) < 5:
        await asyncio.sleep(0.005)

    copies = []
    for number in range(BACKUPS):
        before = PREFILLED + len(customers.submitted_at)
        made = await asyncio.to_thread(backup_sqlite, sqlite_file, tmp_path / f"copy{number}.sqlite3", T0)
        copies.append((made.target, before, PREFILLED + len(customers.submitted_at)))
    customers.stop.set()
    await asyncio.gather(*writers)

    during = [sum(start < moment < end for moment in customers.committed_at) for start, end in copying]
    assert sum(during) > 0, "no tap was stored while SQLite copied: the test proves nothing"
    for target, before, after in copies:
        assert before <= _check_copy(target) <= after
    assert not list(tmp_path.glob(".*partial*"))  # no temporary file left behind


async def test_a_copy_opens_with_the_bots_storage_and_holds_the_survey(sqlite_file: Path, database: Database,
                                                                      tmp_path: Path) -> None:
    survey = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="城市管家公司",
                                         timezone="Asia/Shanghai", now=T0)
    respondent = await storage.join(database.sessions, survey.id, 7, 7, "zh", T0)
    for code in ITEMS:
        await answer(database.sessions, respondent.id, code, 4, T0)
    await submit(database.sessions, respondent.id, T0)

    made = backup_sqlite(sqlite_file, tmp_path, T0)

    assert made.target.parent == tmp_path and made.target.name.endswith("-20260302-090000Z.sqlite3")
    assert made.counts == {"survey": 1, "respondent": 1, "answer": len(ITEMS)}
    assert not Path(f"{made.target}-wal").exists()  # one self-contained file
    restored = await storage.open_database(f"sqlite+aiosqlite:///{made.target}", migrate=False)
    try:
        assert (await storage.progress_counts(restored.sessions, survey.id)).submitted == 1
        assert await storage.item_histograms(restored.sessions, survey.id) == {code: {4: 1} for code in ITEMS}
    finally:
        await restored.close()


def _backup_command(url: str, *arguments: str, path: str | None = None) -> tuple[int, str, str]:
    env = {"DATABASE_URL": url} | ({"PATH": path} if path is not None else {})
    result = runner.invoke(app, ["db", "backup", *arguments], env=env)
    return result.exit_code, result.stdout, result.stderr


async def test_cli_backs_up_and_prints_how_to_restore(sqlite_file: Path, database_url: str,
                                                      tmp_path: Path) -> None:
    target = tmp_path / "nightly.sqlite3"

    code, out, err = _backup_command(database_url, str(target))

    assert (code, err) == (0, ""), err
    assert out.startswith(f"Backed up {sqlite_file} to {target} (")
    assert "integrity check: ok" in out
    assert "Stop the bot" in out
    assert f"mv {sqlite_file} {sqlite_file}.before-restore" in out
    assert f"[ ! -e {sqlite_file}-wal ] || mv {sqlite_file}-wal {sqlite_file}.before-restore-wal" in out
    assert f"cp {target} {sqlite_file}" in out
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert target.stat().st_mode & 0o077 == 0  # it holds Telegram ids: its owner's eyes only


async def test_cli_does_not_overwrite_a_file_unless_forced(sqlite_file: Path, database_url: str,
                                                          tmp_path: Path) -> None:
    target = tmp_path / "nightly.sqlite3"
    target.write_bytes(b"yesterday")

    code, out, err = _backup_command(database_url, str(target))
    assert (code, out) == (2, "")
    assert err.strip() == f"{target} exists: choose another path, or give --force to replace it."
    assert target.read_bytes() == b"yesterday"

    assert _backup_command(database_url, str(target), "--force")[0] == 0
    assert target.read_bytes().startswith(b"SQLite format 3\0")


async def test_a_missing_database_file_is_not_created(database_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    with pytest.raises(BackupError, match="There is no SQLite database at"):
        backup_sqlite(missing, tmp_path / "copy.sqlite3", T0)
    assert not missing.exists()


# --- PostgreSQL: the pg_dump and pg_restore commands -----------------------------------------

PG_URL = "postgresql+asyncpg://surveybot:s3cret@db.example.org:5433/surveybot?ssl=require"


def test_commands_name_the_database_without_its_password(tmp_path: Path) -> None:
    commands = postgres_commands(PG_URL, tmp_path / "surveybot.dump", T0)

    uri = "postgresql://surveybot@db.example.org:5433/surveybot?sslmode=require"
    assert commands.dump == ["pg_dump", "-Fc", "-d", uri, "-f", str(tmp_path / "surveybot.dump")]
    assert commands.restore == ["pg_restore", "--clean", "--if-exists", "--single-transaction", "-d", uri,
                                str(tmp_path / "surveybot.dump")]
    assert "s3cret" not in repr(commands)
    assert postgres_commands(PG_URL, tmp_path, T0).target == tmp_path / "surveybot-20260302-090000Z.dump"


@pytest.fixture
def empty_path(tmp_path: Path) -> Iterator[str]:
    directory = tmp_path / "bin"
    directory.mkdir()
    yield str(directory)


def test_without_pg_dump_on_path_one_line_and_exit_code_2(empty_path: str, tmp_path: Path) -> None:
    code, out, err = _backup_command(PG_URL, str(tmp_path / "x.dump"), path=empty_path)

    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("pg_dump is not on PATH: install the PostgreSQL client tools")
    with pytest.raises(BackupError):
        require_tool("pg_dump", which=lambda _name: None)


def test_cli_prints_the_commands_when_pg_dump_is_there(empty_path: str, tmp_path: Path) -> None:
    fake = Path(empty_path) / "pg_dump"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)

    code, out, err = _backup_command(PG_URL, str(tmp_path / "x.dump"), path=empty_path)

    assert (code, err) == (0, "")
    uri = "'postgresql://surveybot@db.example.org:5433/surveybot?sslmode=require'"
    assert f"  pg_dump -Fc -d {uri} -f {tmp_path / 'x.dump'}\n" in out
    assert f"  pg_restore --clean --if-exists --single-transaction -d {uri} {tmp_path / 'x.dump'}\n" in out
    assert "Stop the bot first" in out or "stop the bot first" in out
    assert "s3cret" not in out


async def test_printed_commands_back_up_and_restore_a_postgresql_database(
        database_url: str, database: Database, tmp_path: Path) -> None:
    if _is_sqlite(database_url):
        pytest.skip("needs a PostgreSQL test run (TEST_DATABASE_URL)")
    try:
        require_tool("pg_dump")
    except BackupError as exc:
        pytest.skip(str(exc))
    survey = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="城市管家公司",
                                         timezone="Asia/Shanghai", now=T0)
    code, out, err = _backup_command(database_url, str(tmp_path / "pg.dump"))
    assert code == 0, err
    dump, restore = (shlex.split(line) for line in out.splitlines() if line.startswith(("  pg_dump", "  pg_restore")))
    password = make_url(database_url).password
    env = os.environ | ({"PGPASSWORD": password} if password else {})
    subprocess.run(dump, check=True, env=env, capture_output=True)
    await storage.set_status(database.sessions, survey.id, storage.SurveyStatus.CLOSED)
    await database.close()  # the bot is stopped before a restore

    subprocess.run(restore, check=True, env=env, capture_output=True)

    reopened = await storage.open_database(database_url, migrate=False)
    try:
        found = await storage.survey_by_id(reopened.sessions, survey.id)
    finally:
        await reopened.close()
    assert found is not None and found.status == storage.SurveyStatus.OPEN
