"""Fixtures for end-to-end tests.

`telegram`: a started FakeTelegramServer.
`bot_database_url`: the database the bot processes of a test share, empty at the start: a SQLite file
in tmp_path, or TEST_DATABASE_URL when that is set (its `public` schema dropped and created again, so
that the bot builds its schema itself, however it does that).
`bot_database`: a `Database` on that URL for reading or arranging rows beside the bot (no schema made).
`fetch(bot_database, sql, **params)`: the rows of one SQL query (":name" parameters) as tuples.
`framework`: aiogram or ptb; every test that starts a bot runs once with each.
`bot_env`: the environment of a bot process of that framework, pointed at that server and that database.
`bot_process`: `await bot_process(args=("run",), command=None, **extra_env)` starts a bot, waits until
it polls, and stops it after the test; a failing test's report carries the log of every bot it started.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fakebot import TEST_BOT_TOKEN, BotFactory, BotProcess, FakeTelegramServer, FakeUser
from sqlalchemy import make_url, text

from bot.adapters.storage import Database, make_engine, make_sessions

ADMIN_ID = 900001


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for process in getattr(item, "bot_processes", []):
            report.sections.append((f"bot log {process.log_path}", process.log_tail(120)))


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(bot_username="audit_survey_bot") as server:
        yield server


async def at_first_question(telegram: FakeTelegramServer, user_id: int, name: str,
                            invite_code: str) -> FakeUser:
    """A customer (English) who opened the invite link and tapped Start: question 1 is on screen."""
    customer = FakeUser(telegram, user_id, name, "en")
    await customer.send(f"/start {invite_code}")
    await customer.wait_reply()
    await customer.press("Start")
    await customer.wait_reply()
    return customer


async def fetch(database: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    async with database.sessions() as session:
        return [tuple(row) for row in await session.execute(text(sql), params)]


async def _empty_postgres(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


@pytest.fixture
async def bot_database_url(database_url: str) -> str:
    if make_url(database_url).get_backend_name() == "postgresql":
        await _empty_postgres(database_url)
    return database_url


@pytest.fixture
async def bot_database(bot_database_url: str) -> AsyncIterator[Database]:
    engine = make_engine(bot_database_url)
    database = Database(engine, make_sessions(engine))
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture(params=["aiogram", "ptb"])
def framework(request: pytest.FixtureRequest) -> str:
    """Every end-to-end test runs once per Telegram framework."""
    return request.param


@pytest.fixture
def bot_env(telegram: FakeTelegramServer, bot_database_url: str, framework: str) -> dict[str, str]:
    return {
        "TELEGRAM_FRAMEWORK": framework,
        "BOT_TOKEN": TEST_BOT_TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "DATABASE_URL": bot_database_url,
        "ADMIN_IDS": str(ADMIN_ID),
        "BOT_USERNAME": telegram.bot_username,
        "DEFAULT_LANGUAGE": "zh",
        "TIMEZONE": "Asia/Shanghai",
    }


@pytest.fixture
async def bot_process(request: pytest.FixtureRequest, tmp_path: Path, telegram: FakeTelegramServer,
                      bot_env: dict[str, str]) -> AsyncIterator[BotFactory]:
    started: list[BotProcess] = []
    request.node.bot_processes = started

    async def start(args: Sequence[str] = ("run",), command: Sequence[str] | None = None,
                    ready_timeout: float = 40, **extra_env: str) -> BotProcess:
        log_path = tmp_path / f"bot-{len(started) + 1}.log"
        process = BotProcess({**bot_env, **extra_env}, args, command=command, log_path=log_path,
                             cwd=tmp_path, server=telegram)
        started.append(process)
        process.start()
        await process.wait_ready(ready_timeout)
        return process

    yield start
    for process in started:
        await process.stop()
