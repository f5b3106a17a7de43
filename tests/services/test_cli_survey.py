"""`surveybot survey create|list` through the real command line, on a SQLite file."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import socket
from pathlib import Path

import pytest
from aiohttp import web
from typer.testing import CliRunner

from bot.adapters import storage
from bot.cli import app
from bot.services import audit


def invite_link(username: str) -> re.Pattern[str]:
    pattern = rf"^Invite link: https://t\.me/{username}\?start=([A-Za-z0-9_-]{{16,64}})$"
    return re.compile(pattern, re.MULTILINE)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    for name in ("BOT_TOKEN", "TELEGRAM_API_URL", "SPECS_DIR"):
        monkeypatch.delenv(name, raising=False)
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "BOT_USERNAME": "audit_bot",
            "TIMEZONE": "Asia/Shanghai"}


async def stored_survey(url: str, code: str) -> storage.SurveyRecord:
    database = await storage.open_database(url.replace("sqlite://", "sqlite+aiosqlite://"))
    try:
        survey = await storage.survey_by_code(database.sessions, code)
    finally:
        await database.close()
    assert survey is not None
    return survey


def run(env: dict[str, str], *args: str):  # noqa: ANN201 (a typer Result)
    return CliRunner().invoke(app, list(args), env=env)


def test_create_prints_an_invite_link_and_list_shows_the_survey(cli_env: dict[str, str]) -> None:
    created = run(cli_env, "survey", "create", "--spec", "tbsc120", "--org", "城市管家公司", "--target", "30",
                  "--opens", "2099-03-02", "--closes", "2099-03-16")
    assert created.exit_code == 0, created.output
    code = invite_link("audit_bot").search(created.output).group(1)
    assert "Open 2099-03-02 – 2099-03-16 (Asia/Shanghai), target 30 responses." in created.output
    survey = asyncio.run(stored_survey(cli_env["DATABASE_URL"], code))
    assert survey.opens_at == dt.datetime(2099, 3, 1, 16, 0, tzinfo=dt.UTC)  # 2 March 00:00 in Shanghai
    assert survey.closes_at == dt.datetime(2099, 3, 16, 16, 0, tzinfo=dt.UTC)  # the end of 16 March there
    assert (survey.spec_id, survey.organization, survey.target) == ("TBSC120", "城市管家公司", 30)

    listed = run(cli_env, "survey", "list")
    assert listed.exit_code == 0, listed.output
    header, rule, row = listed.output.splitlines()
    assert set(rule.replace(" ", "")) == {"-"}
    assert header.split() == ["code", "spec", "organization", "status", "submitted/started/joined",
                              "target", "closes"]
    assert row.split() == [code, "TBSC120", "城市管家公司", "not", "yet", "open", "0/0/0", "30", "2099-03-16"]


def test_list_without_surveys_says_how_to_create_one(cli_env: dict[str, str]) -> None:
    listed = run(cli_env, "survey", "list")
    assert listed.exit_code == 0
    assert "No surveys yet" in listed.output


def test_without_a_bot_username_the_code_is_printed_with_advice(cli_env: dict[str, str]) -> None:
    cli_env.pop("BOT_USERNAME")
    created = run(cli_env, "survey", "create", "--spec", "TBSC120", "--org", "Acme")
    assert created.exit_code == 0, created.output
    assert re.search(r"Invite code: [A-Za-z0-9_-]{16,64}$", created.output, re.MULTILINE)
    assert "BOT_USERNAME" in created.output


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (["--spec", "NOPE1", "--org", "Acme"], "Unknown spec 'NOPE1'. Known specs: TBSC120"),
        (["--spec", "TBSC120", "--org", "Acme", "--opens", "next monday"], "is not a date"),
        (["--spec", "TBSC120", "--org", "Acme", "--opens", "2099-03-10", "--closes", "2099-03-09"],
         "--closes must not be before --opens"),
        (["--spec", "TBSC120", "--org", "Acme", "--closes", "2020-01-31"], "nor in the past"),
        (["--spec", "TBSC120", "--org", "   "], "--org must name"),
    ],
)
def test_bad_input_is_refused_with_exit_code_2(
    cli_env: dict[str, str], arguments: list[str], complaint: str
) -> None:
    refused = run(cli_env, "survey", "create", *arguments)
    assert refused.exit_code == 2
    assert complaint in refused.output
    assert "Traceback" not in refused.output
    assert "No surveys yet" in run(cli_env, "survey", "list").output


async def test_without_bot_username_the_link_uses_the_name_from_get_me(cli_env: dict[str, str]) -> None:
    async def get_me(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": {
            "id": 42, "is_bot": True, "first_name": "Audit", "username": "fake_audit_bot"}})

    api = web.Application()
    api.router.add_post("/bot{token}/getMe", get_me)
    runner = web.AppRunner(api)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    cli_env.pop("BOT_USERNAME")
    cli_env |= {"BOT_TOKEN": "42:TEST", "TELEGRAM_API_URL": f"http://127.0.0.1:{port}"}
    try:
        created = await asyncio.to_thread(
            run, cli_env, "survey", "create", "--spec", "TBSC120", "--org", "Acme"
        )
    finally:
        await runner.cleanup()
    assert created.exit_code == 0, created.output
    assert invite_link("fake_audit_bot").search(created.output)


def test_when_telegram_does_not_answer_the_code_is_printed(cli_env: dict[str, str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    cli_env.pop("BOT_USERNAME")
    cli_env |= {"BOT_TOKEN": "42:TEST", "TELEGRAM_API_URL": f"http://127.0.0.1:{closed_port}"}
    created = run(cli_env, "survey", "create", "--spec", "TBSC120", "--org", "Acme")
    assert created.exit_code == 0, created.output
    assert "Invite code: " in created.output and "BOT_USERNAME" in created.output


async def stored_trail(url: str, code: str) -> list[tuple[str, str, dict]]:
    database = await storage.open_database(url.replace("sqlite://", "sqlite+aiosqlite://"))
    try:
        survey = await storage.survey_by_code(database.sessions, code)
        assert survey is not None
        return [(entry.who, entry.action, entry.details) for entry in await audit.trail(database.sessions, survey.id)]
    finally:
        await database.close()


def test_edit_changes_the_days_and_the_target_and_logs_each_old_and_new(cli_env: dict[str, str]) -> None:
    created = run(cli_env, "survey", "create", "--spec", "TBSC120", "--org", "Acme", "--target", "30",
                  "--opens", "2099-03-02", "--closes", "2099-03-16")
    code = invite_link("audit_bot").search(created.output).group(1)

    edited = run(cli_env, "survey", "edit", code, "--closes", "2099-12-31", "--target", "50")
    assert edited.exit_code == 0, edited.output
    assert f"Survey {code}: open 2099-03-02 – 2099-12-31 (Asia/Shanghai), target 50 responses." in edited.output
    survey = asyncio.run(stored_survey(cli_env["DATABASE_URL"], code))
    assert survey.closes_at == dt.datetime(2099, 12, 31, 16, 0, tzinfo=dt.UTC)  # as /newsurvey stores it
    assert survey.opens_at == dt.datetime(2099, 3, 1, 16, 0, tzinfo=dt.UTC)  # unchanged
    trail = asyncio.run(stored_trail(cli_env["DATABASE_URL"], code))
    assert [action for _who, action, _details in trail] == ["created", "dates changed", "target changed"]
    assert trail[1] == ("cli", "dates changed", {
        "opens_at": {"old": "2099-03-01T16:00:00+00:00", "new": "2099-03-01T16:00:00+00:00"},
        "closes_at": {"old": "2099-03-16T16:00:00+00:00", "new": "2099-12-31T16:00:00+00:00"}})
    assert trail[2] == ("cli", "target changed", {"old": 30, "new": 50})

    assert run(cli_env, "survey", "edit", code, "--closes", "none", "--target", "none").exit_code == 0
    survey = asyncio.run(stored_survey(cli_env["DATABASE_URL"], code))
    assert (survey.closes_at, survey.target) == (None, None)
    assert run(cli_env, "survey", "edit", code, "--target", "none").exit_code == 0  # nothing new: not logged
    assert len(asyncio.run(stored_trail(cli_env["DATABASE_URL"], code))) == 5


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        ([], "Nothing to change"),
        (["--target", "0"], "not a whole number of responses"),
        (["--closes", "31.12."], "is not a date"),
        (["--closes", "2099-03-01"], "--closes must not be before --opens"),
    ],
)
def test_edit_refuses_bad_input_and_changes_nothing(cli_env: dict[str, str], arguments: list[str],
                                                    complaint: str) -> None:
    created = run(cli_env, "survey", "create", "--spec", "TBSC120", "--org", "Acme", "--opens", "2099-03-02")
    code = invite_link("audit_bot").search(created.output).group(1)
    refused = run(cli_env, "survey", "edit", code, *arguments)
    assert refused.exit_code == 2 and complaint in refused.output, refused.output
    assert [action for _who, action, _details in asyncio.run(stored_trail(cli_env["DATABASE_URL"], code))] \
        == ["created"]
    assert run(cli_env, "survey", "edit", "NO-SUCH-CODE", "--target", "5").exit_code == 2
