"""`surveybot admin add|remove|list` and `survey create --lead` through the real command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "TELEGRAM_API_URL", "SPECS_DIR", "ADMIN_IDS"):
        monkeypatch.delenv(name, raising=False)
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "BOT_USERNAME": "audit_bot",
            "ADMIN_IDS": "111"}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_admins_are_added_listed_and_removed(env: dict[str, str]) -> None:
    assert run(env, "admin", "add", "222") == (0, "222 is now an administrator.\n")
    assert run(env, "admin", "add", "222") == (0, "222 is an administrator already.\n")
    assert run(env, "admin", "list") == (0, "111  (ADMIN_IDS)\n222\n")
    assert run(env, "admin", "remove", "222") == (0, "222 is no longer an administrator.\n")
    code, output = run(env, "admin", "remove", "111")
    assert code == 2 and "ADMIN_IDS" in output
    code, output = run(env, "admin", "remove", "333")
    assert code == 2 and "333 is not an administrator." in output


def test_a_survey_made_on_the_command_line_names_its_lead(env: dict[str, str]) -> None:
    code, output = run(env, "survey", "create", "--spec", "TBSC120", "--org", "Org A")
    assert code == 0 and "Lead: 111 (gets the target notice and the daily digest)." in output
    code, output = run(env, "survey", "create", "--spec", "TBSC120", "--org", "Org B", "--lead", "444")
    assert code == 0 and "Lead: 444" in output
    code, output = run({**env, "ADMIN_IDS": ""}, "survey", "create", "--spec", "TBSC120", "--org", "Org C")
    assert code == 0 and "No lead: nobody gets its target notice or digest." in output
