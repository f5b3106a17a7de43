"""Fixtures for end-to-end tests.

`telegram`: a started FakeTelegramServer.
`bot_env`: the environment of a bot process pointed at that server, with its own SQLite file.
`bot_process`: `await bot_process(args=("run",), command=None, **extra_env)` starts a bot, waits until
it polls, and stops it after the test; a failing test's report carries the log of every bot it started.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path

import pytest
from fakebot import TEST_BOT_TOKEN, BotFactory, BotProcess, FakeTelegramServer

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


@pytest.fixture
def bot_env(tmp_path: Path, telegram: FakeTelegramServer) -> dict[str, str]:
    return {
        "BOT_TOKEN": TEST_BOT_TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
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
                    ready_timeout: float = 15, **extra_env: str) -> BotProcess:
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
