"""`surveybot survey import-responses`: paper questionnaires become submitted paper respondents."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.cli import app
from specs import load_catalog

ITEMS = [item.code for item in load_catalog().get("TBSC120").items]
runner = CliRunner()


@pytest.fixture
def survey_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return asyncio.run(_create_survey(Settings(database_url=url).database_url))


async def _create_survey(url: str) -> str:
    database = await storage.open_database(url)
    try:
        survey = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="Org P",
                                             timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC))
        return survey.code
    finally:
        await database.close()


async def _paper_figures(url: str, code: str) -> tuple[int, dict[str, dict[int, int]]]:
    database = await storage.open_database(url)
    try:
        survey = await storage.survey_by_code(database.sessions, code)
        progress = await storage.progress_counts(database.sessions, survey.id)
        return progress.submitted, await storage.item_histograms(database.sessions, survey.id)
    finally:
        await database.close()


def figures(code: str) -> tuple[int, dict[str, dict[int, int]]]:
    return asyncio.run(_paper_figures(Settings().database_url, code))


def answers_csv(path: Path, ratings: dict[str, int], skip: dict[str, str] | None = None) -> Path:
    skip = skip or {}
    rows = [f"{who},{code},{rating}"
            for who, rating in ratings.items() for code in ITEMS if skip.get(who) != code]
    path.write_text("respondent,item,rating\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def run_import(code: str, file: Path):
    return runner.invoke(app, ["survey", "import-responses", code, str(file), "--lang", "en"])


def test_complete_respondents_are_added_and_incomplete_ones_named(tmp_path, survey_code):
    file = answers_csv(tmp_path / "paper.csv", {"P1": 5, "P2": 3, "P3": 4}, skip={"P3": "7"})
    result = run_import(survey_code, file)
    assert result.exit_code == 0, result.output
    assert "Added 2 paper response(s)" in result.stdout
    assert "respondent P3 left out: no answer to item(s) 7" in result.stderr
    submitted, histograms = figures(survey_code)
    assert submitted == 2
    assert histograms["1.1"] == {3: 1, 5: 1} and histograms["7"] == {3: 1, 5: 1}


def test_the_same_file_is_not_imported_twice(tmp_path, survey_code):
    file = answers_csv(tmp_path / "paper.csv", {"P1": 5})
    assert run_import(survey_code, file).exit_code == 0
    again = run_import(survey_code, file)
    assert again.exit_code == 2
    assert "already imported" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    assert figures(survey_code)[0] == 1
    other = answers_csv(tmp_path / "second-batch.csv", {"P9": 2})
    assert run_import(survey_code, other).exit_code == 0
    assert figures(survey_code)[0] == 2


def test_a_bad_csv_is_refused_with_one_line_and_nothing_added(tmp_path, survey_code):
    file = tmp_path / "bad.csv"
    file.write_text("respondent,item,rating\nP1,1.1,6\n", encoding="utf-8")
    result = run_import(survey_code, file)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{file}, line 2: rating \"6\" is not a whole number from 1 to 5"
    assert figures(survey_code)[0] == 0


def test_an_unknown_survey_code_is_refused(tmp_path, survey_code):
    result = run_import("nosuchcode", answers_csv(tmp_path / "paper.csv", {"P1": 5}))
    assert result.exit_code == 2
    assert result.stderr.strip() == 'unknown survey code "nosuchcode"'


def test_na_is_imported_as_not_applicable(tmp_path, survey_code):
    # P1 rates everything 5 except 1.1 NA; P2 answers every item NA (added, counted as N/A, rates nothing).
    rows = [f"P1,{code},{'NA' if code == '1.1' else 5}" for code in ITEMS] + [f"P2,{code},na" for code in ITEMS]
    file = tmp_path / "paper-na.csv"
    file.write_text("respondent,item,rating\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = run_import(survey_code, file)
    assert result.exit_code == 0, result.output
    assert "Added 2 paper response(s)" in result.stdout
    submitted, histograms = figures(survey_code)
    assert submitted == 2
    assert histograms["1.1"] == {None: 2} and histograms["1.2"] == {None: 1, 5: 1}
