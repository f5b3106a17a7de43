"""Retention: purging a closed survey forgets the Telegram ids and keeps the answers and scores."""

from __future__ import annotations

import asyncio
import datetime as dt

from answering import answer, submit
from typer.testing import CliRunner

from bot.adapters import storage
from bot.cli import app

NOW = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


async def _seed(url: str) -> str:
    database = await storage.open_database(url)
    try:
        survey = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="Org",
                                             timezone="Asia/Shanghai", now=NOW)
        for user in (101, 102):
            respondent = await storage.join(database.sessions, survey.id, user, user, "zh", NOW)
            await answer(database.sessions, respondent.id, "1.1", 4, NOW)
            await submit(database.sessions, respondent.id, NOW)
        return survey.code
    finally:
        await database.close()


async def _state(url: str, code: str) -> tuple[list[int | None], dict[str, dict[int, int]]]:
    database = await storage.open_database(url)
    try:
        survey = await storage.survey_by_code(database.sessions, code)
        ids = [(await storage.respondent_by_id(database.sessions, rid)).telegram_user_id for rid in (1, 2)]
        return ids, await storage.item_histograms(database.sessions, survey.id)
    finally:
        await database.close()


async def _close(url: str, code: str) -> None:
    database = await storage.open_database(url)
    try:
        survey = await storage.survey_by_code(database.sessions, code)
        await storage.set_status(database.sessions, survey.id, storage.SurveyStatus.CLOSED)
    finally:
        await database.close()


def test_purge_needs_a_closed_survey_then_removes_ids_and_keeps_answers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'purge.sqlite3'}"
    code = asyncio.run(_seed(url))
    runner = CliRunner()
    env = {"DATABASE_URL": url}

    still_open = runner.invoke(app, ["survey", "purge", code], env=env)
    assert still_open.exit_code == 2 and "close it first" in still_open.output
    assert asyncio.run(_state(url, code))[0] == [101, 102]

    asyncio.run(_close(url, code))

    done = runner.invoke(app, ["survey", "purge", code], env=env)
    assert done.exit_code == 0 and "2 respondents" in done.output
    ids, histograms = asyncio.run(_state(url, code))
    assert ids == [None, None]
    assert histograms == {"1.1": {4: 2}}

    unknown = runner.invoke(app, ["survey", "purge", "nosuchcode"], env=env)
    assert unknown.exit_code == 2 and "No survey" in unknown.output
