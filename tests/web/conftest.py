"""Fixtures of the web channel's tests, on the test database (SQLite, or TEST_DATABASE_URL).

`survey`: an open TBSC120 survey; `web_settings`: the settings of the page (no rate limit unless a
test sets one); `serve(settings=None)`: the page as an aiohttp TestServer over the test database;
`phone(language)`: a person's browser on it (own cookie jar), see tests/web/pages.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.adapters.storage import Database, SurveyRecord
from bot.web.app import create_web_app
from specs import load_catalog

from .pages import Phone

ORGANIZATION = "城市管家公司"


@pytest.fixture
async def survey(database: Database) -> SurveyRecord:
    now = dt.datetime.now(dt.UTC)
    return await storage.create_survey(database.sessions, spec_id="TBSC120", organization=ORGANIZATION,
                                       timezone="Asia/Shanghai", now=now - dt.timedelta(hours=1))


@pytest.fixture
def web_settings() -> Settings:
    return Settings(web_base_url="http://survey.test", web_rate_per_minute=0, default_language="zh",
                    _env_file=None)


@pytest.fixture
async def serve(database: Database, web_settings: Settings) -> AsyncIterator[Callable[..., object]]:
    servers: list[TestServer] = []

    async def start(settings: Settings | None = None) -> TestServer:
        server = TestServer(create_web_app(settings or web_settings, database, load_catalog(None)))
        await server.start_server()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.close()


@pytest.fixture
async def server(serve: Callable[..., object]) -> TestServer:
    return await serve()  # type: ignore[misc]


@pytest.fixture
async def phone(server: TestServer) -> AsyncIterator[Callable[..., Phone]]:
    sessions: list[aiohttp.ClientSession] = []

    def make(language: str = "en", base: TestServer | None = None) -> Phone:
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        sessions.append(session)
        return Phone(session, str((base or server).make_url("/")), language)

    yield make
    for session in sessions:
        await session.close()
