"""Pinned spec revisions (DESIGN.md rule 2a) on SQLite or PostgreSQL (TEST_DATABASE_URL): a survey keeps the
spec it was created with when its spec file gets a new version; a changed file that kept its version is
refused, naming the file; `surveybot specs list` shows each revision and its surveys; a paper import is
written to the audit trail.

The figures (TBSC120, α = rating / 5): every customer rates 1.1 at 5, 1.2 at 3 and the other 17 items at 4.
  B/0 (bundled): 1.1 weighs 5, 1.2 weighs 7:  5 × 1.0 + 7 × 0.6 + 88 × 0.8 = 5.0 + 4.2 + 70.4 = 79.6
  B/1 (revised): 1.1 weighs 6, 1.2 weighs 6:  6 × 1.0 + 6 × 0.6 + 88 × 0.8 = 6.0 + 3.6 + 70.4 = 80.0
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from spec_fixtures import bundled_spec_data, write_spec
from typer.testing import CliRunner, Result

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.adapters.storage import Database, SurveyRecord
from bot.app import create_app
from bot.cli import app
from bot.services import audit
from bot.services.pinned_specs import SpecFileChanged, register_specs
from bot.services.respondent import RespondentService
from bot.services.survey_export import build_export
from bot.services.survey_summary import build_summary
from specs import SpecCatalog, load_catalog
from specs.revisions import revision_of

NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
NEW_WORDING = "REVISED: how accurately and completely did the city stewards work?"
BUNDLED = load_catalog()
runner = CliRunner()


def revised_spec_dir(directory: Path, version: str = "B/1") -> Path:
    """A copy of TBSC120 with 1.1 weighing 6 (was 5), 1.2 weighing 6 (was 7), 1.1 asked anew, and `version`."""
    data = bundled_spec_data("TBSC120")
    data["version"] = version
    first, second = data["characteristics"][0]["items"][:2]
    first["weight"], second["weight"] = 6, 6
    first["question"]["en"] = NEW_WORDING
    write_spec(directory, "tbsc120.yaml", data)
    return directory


def ratings() -> dict[str, int]:
    return {item.code: 4 for item in BUNDLED.get("TBSC120").items} | {"1.1": 5, "1.2": 3}


async def create(database: Database, catalog: SpecCatalog, organization: str) -> SurveyRecord:
    await register_specs(database.sessions, catalog, NOW)
    return await storage.create_survey(database.sessions, spec_id="TBSC120", organization=organization,
                                       timezone="Asia/Shanghai", now=NOW, spec=catalog.get("TBSC120"))


async def answer(service: RespondentService, survey: SurveyRecord, user_id: int) -> str:
    """Join, tap Start, answer every question of `ratings()`, submit; the first question's text."""
    reply = await service.open_invite(survey.code, user_id, user_id, "en")
    reply = await service.on_button(user_id, survey.id, reply.screen.position, "start")
    first_question = reply.screen.text
    for rating in ratings().values():
        reply = await service.on_button(user_id, survey.id, reply.screen.position, f"r:{rating}")
    reply = await service.on_button(user_id, survey.id, "review", "submit")
    assert "Thank you" in reply.screen.text
    return first_question


def cell_values(workbook: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


async def figures(database: Database, catalog: SpecCatalog, survey: SurveyRecord) -> tuple[Any, ...]:
    summary = await build_summary(database.sessions, catalog, survey)
    first = summary.scores.items[0]
    files = await build_export(database.sessions, catalog, survey, "en", NOW)
    return (float(summary.scores.service_score), first.code, first.weight, float(first.score),
            cell_values(files.workbook))


async def test_an_old_survey_keeps_its_spec_after_the_spec_file_gets_a_new_version(database, tmp_path):
    old_survey = await create(database, BUNDLED, "Old Co")
    before = RespondentService(database.sessions, BUNDLED, "en", clock=lambda: NOW)
    old_question = await answer(before, old_survey, 1)
    old_figures = await figures(database, BUNDLED, old_survey)
    assert old_figures[:4] == (79.6, "1.1", 5, 5.0)

    # The operator installs the revised file and restarts: a new catalog, which never read B/0.
    revised = load_catalog(revised_spec_dir(tmp_path))
    assert revised.get("TBSC120").version == "B/1" and revised.revision(old_survey.spec_sha256) is None
    old_survey = await storage.survey_by_code(database.sessions, old_survey.code)
    after = RespondentService(database.sessions, revised, "en", clock=lambda: NOW)
    assert await figures(database, revised, old_survey) == old_figures  # scores and every workbook cell
    assert await answer(after, old_survey, 2) == old_question  # a late customer is asked the old questions
    assert NEW_WORDING not in old_question
    assert (await figures(database, revised, old_survey))[:4] == (79.6, "1.1", 5, 5.0)

    new_survey = await create(database, revised, "New Co")
    assert new_survey.spec_sha256 == revision_of(revised.get("TBSC120")).sha256 != old_survey.spec_sha256
    assert NEW_WORDING in await answer(after, new_survey, 3)
    assert (await figures(database, revised, new_survey))[:4] == (80.0, "1.1", 6, 6.0)


async def test_a_step_of_a_survey_whose_revision_this_process_never_read_reads_it_and_goes_on(database, tmp_path):
    """A customer half-way through when the bot restarts with a revised file: the next tap (inside the
    step's transaction, where the database cannot be asked) reads the stored copy and is taken."""
    survey = await create(database, BUNDLED, "Half-way Co")
    before = RespondentService(database.sessions, BUNDLED, "en", clock=lambda: NOW)
    reply = await before.open_invite(survey.code, 7, 7, "en")
    reply = await before.on_button(7, survey.id, reply.screen.position, "start")
    assert reply.screen.position == "q:0"

    after = RespondentService(database.sessions, load_catalog(revised_spec_dir(tmp_path)), "en", clock=lambda: NOW)
    reply = await after.on_button(7, survey.id, "q:0", "r:5")
    assert reply.screen.position == "q:1"
    assert await storage.item_histograms(database.sessions, survey.id) == {}  # not submitted: not counted yet
    respondent = await storage.respondent_for(database.sessions, survey.id, 7)
    assert respondent.position == "q:1"


async def test_a_changed_spec_file_that_kept_its_version_is_refused_naming_the_file(database, tmp_path):
    await create(database, BUNDLED, "Old Co")
    changed_file = revised_spec_dir(tmp_path, version="B/0") / "tbsc120.yaml"
    changed = load_catalog(tmp_path)
    with pytest.raises(SpecFileChanged) as refused:
        await register_specs(database.sessions, changed, NOW)
    [message] = str(refused.value).splitlines()
    stored = revision_of(BUNDLED.get("TBSC120")).sha256
    assert message.startswith(f"{changed_file}: spec TBSC120 version B/0 differs from the copy of that version "
                              f"stored in the database (sha256 {stored[:12]}, used by 1 survey(s)).")
    assert "give the changed file a new version" in message
    with pytest.raises(storage.spec_revisions.RevisionConflict):  # nor can a survey be created with it
        await storage.create_survey(database.sessions, spec_id="TBSC120", organization="X", timezone="UTC",
                                    now=NOW, spec=changed.get("TBSC120"))
    assert len(await storage.list_surveys(database.sessions)) == 1


async def test_the_bot_does_not_start_with_a_changed_spec_file(database, database_url, messenger, tmp_path):
    await create(database, BUNDLED, "Old Co")
    revised_spec_dir(tmp_path, version="B/0")
    with pytest.raises(SystemExit) as stopped:
        await create_app(Settings(database_url=database_url, specs_dir=tmp_path), messenger)
    assert str(stopped.value).startswith(f"{tmp_path / 'tbsc120.yaml'}: spec TBSC120 version B/0 differs")


async def surveybot(database_url: str, specs_dir: Path | None, *args: str) -> Result:
    """The command in a thread of its own (it runs its own event loop) on the test's database."""
    env = {"DATABASE_URL": database_url} | ({"SPECS_DIR": str(specs_dir)} if specs_dir else {})
    return await asyncio.to_thread(runner.invoke, app, list(args), env=env)


async def test_survey_create_refuses_a_changed_spec_file_in_one_message(database, database_url, tmp_path):
    await create(database, BUNDLED, "Old Co")
    revised_spec_dir(tmp_path, version="B/0")
    result = await surveybot(database_url, tmp_path, "survey", "create", "--spec", "TBSC120", "--org", "Y")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path / 'tbsc120.yaml'}: spec TBSC120 version B/0 differs")
    assert "Traceback" not in result.output
    assert len(await storage.list_surveys(database.sessions)) == 1


async def test_specs_list_shows_each_revision_its_document_hash_and_surveys(database, database_url, tmp_path):
    await create(database, BUNDLED, "Old Co")
    await create(database, BUNDLED, "Older Co")
    revised = load_catalog(revised_spec_dir(tmp_path))
    await create(database, revised, "New Co")
    old_hash = revision_of(BUNDLED.get("TBSC120")).sha256
    new_hash = revision_of(revised.get("TBSC120")).sha256

    result = await surveybot(database_url, tmp_path, "specs", "list", "--lang", "zh")
    assert result.exit_code == 0, result.output
    header, rule, *rows = result.stdout.splitlines()
    assert header.split() == ["规范", "服务", "版本", "文件编号", "SHA-256", "测评项", "问卷数"]
    tbsc120 = [row.split() for row in rows if row.startswith("TBSC120")]
    assert tbsc120 == [
        ["TBSC120", "智慧城市管家服务", "B/0", "CTS", "TBSC120-2026", old_hash[:12], "19", "2"],
        ["TBSC120", "智慧城市管家服务", "B/1", "*", "CTS", "TBSC120-2026", new_hash[:12], "19", "1"],
    ]
    tbsc97 = revision_of(BUNDLED.get("TBSC97")).sha256
    assert [row.split() for row in rows if row.startswith("TBSC97")] == [  # in use, no survey yet
        ["TBSC97", "客户投诉服务", "B/0", "*", "CTS", "TBSC97-2026", tbsc97[:12], "19", "0"]]
    assert rows[-1] == "* 在用：新建的问卷使用此版本；已有的问卷仍用创建时的版本。"


async def test_a_paper_import_is_written_to_the_trail_with_the_files_hash_and_rows(database, database_url,
                                                                                   tmp_path):
    survey = await create(database, BUNDLED, "Paper Co")
    lines = [f"P{who},{code},{rating}" for who in (1, 2) for code, rating in ratings().items()]
    lines.remove("P2,7,4")  # P2 left item 7 blank: left out
    file = tmp_path / "paper.csv"
    file.write_text("respondent,item,rating\n" + "\n".join(lines) + "\n", encoding="utf-8")

    result = await surveybot(database_url, None, "survey", "import-responses", survey.code, str(file), "--lang", "en")
    assert result.exit_code == 0, result.output
    [entry] = [entry for entry in await audit.trail(database.sessions, survey.id)
               if entry.action == audit.PAPER_IMPORT]
    assert (entry.who, entry.details) == ("cli", {
        "file": "paper.csv", "sha256": hashlib.sha256(file.read_bytes()).hexdigest(), "rows": 37,
        "responses": 1, "left_out": 1})
    assert (await audit.verify_survey(database.sessions, survey.id)).problems == []
