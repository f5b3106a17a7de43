"""Fixtures shared by every test ring.

`database_url`: a SQLite file in the test's tmp_path, or TEST_DATABASE_URL when that is set
(e.g. postgresql://user:pw@host/db), normalized to its async driver like DATABASE_URL.
`telegram`: a started fake Bot API server (tests/fakebot); `bot`: an aiogram Bot made by the bot's own
`create_bot`, pointed at it.
`database`: that database, emptied, with the full schema created afresh for the test (straight from
the models, for speed, and stamped as migrated to the newest revision; tests/test_migrations.py
proves the migrations build the same schema).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot
from fakebot import TEST_BOT_TOKEN, FakeTelegramServer

from bot.adapters.settings import Settings
from bot.adapters.storage import Database, create_schema, drop_schema, make_engine, make_sessions
from bot.adapters.storage.migrate import stamp_database
from bot.telegram_aiogram.client import create_bot


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return Settings(database_url=url).database_url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    engine = make_engine(database_url)
    await drop_schema(engine)
    await create_schema(engine)
    await stamp_database(engine)
    db = Database(engine, make_sessions(engine))
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def bot(telegram: FakeTelegramServer) -> AsyncIterator[Bot]:
    client = create_bot(Settings(bot_token=TEST_BOT_TOKEN, telegram_api_url=telegram.url))
    yield client
    await client.session.close()
